package sandbox

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
)

// Resource limits of every sandbox (DESIGN.md, "Sandbox profile").
const (
	PidsLimit        = 256
	MemoryLimit      = 512 << 20 // bytes; swap is the same, so no swap
	NanoCPUs         = 1e9
	FileSizeLimit    = 512 << 20 // RLIMIT_FSIZE, bytes
	NoFileLimit      = 1024
	TmpSize          = 64 << 20
	RunSize          = 16 << 20
	DefaultDiskQuota = 1 << 30 // writable layer, bytes
	DefaultLifetime  = 15 * time.Minute
)

// BaseCaps is the bounding set of every sandbox. It is the set a root learner
// needs for ps, ss -p, lsof, fuser, kill, useradd and chown to work on every
// process and file; setup scripts, services and checks also run as root
// through exec, so student sandboxes need it too. A student's processes carry
// no effective capabilities, and no-new-privileges keeps setuid binaries from
// raising them, so the set gives a student nothing. Absent, compared with
// Docker's default: MKNOD, NET_RAW, SETFCAP, SETPCAP.
var BaseCaps = []string{
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID",
	"KILL", "NET_BIND_SERVICE", "SETGID", "SETUID", "SYS_CHROOT", "SYS_PTRACE",
}

// Profile is what a caller may choose about a sandbox; everything else is the
// fixed hardened profile.
type Profile struct {
	Image     string        // "" = ImageTag()
	Root      bool          // the learner is root (same bounding set; see BaseCaps)
	Sudo      bool          // student with passwordless sudo: no-new-privileges off, setuid works
	CapAdd    []string      // beyond BaseCaps, e.g. NET_RAW
	Lifetime  time.Duration // hard deadline: PID 1 exits then even if shellgym is dead; 0 = DefaultLifetime
	Labels    map[string]string
	Env       []string
	Hostname  string // "" = "shellgym"
	DiskQuota int64  // writable-layer quota in bytes; 0 = DefaultDiskQuota
}

// keeperScript is the learner's first process under docker-init: it sleeps
// until the deadline, ignoring the catchable signals a learner might send
// with `killall sleep`, and starts over if its sleep is killed. When it ends,
// init ends and the kernel kills everything else in the container.
const keeperScript = `trap '' HUP INT QUIT TERM USR1 USR2 PIPE
end=$1
while now=$(date +%s); [ "$now" -lt "$end" ]; do sleep $((end - now)); done`

const keeperName = "shellgym-keeper"

func keeperCmd(deadline time.Time) []string {
	return []string{"/bin/sh", "-c", keeperScript, keeperName, strconv.FormatInt(deadline.Unix(), 10)}
}

func (p Profile) caps() []string {
	caps := slices.Clone(BaseCaps)
	for _, c := range p.CapAdd {
		c = strings.TrimPrefix(strings.ToUpper(c), "CAP_")
		if !slices.Contains(caps, c) {
			caps = append(caps, c)
		}
	}
	return caps
}

func tmpfsVolume(target string, size int64, mode string) mount.Mount {
	// An anonymous volume of the local driver backed by tmpfs, not a plain
	// tmpfs mount: Docker 20.10's archive API does not see into tmpfs mounts
	// but does into volumes, so files a learner leaves in /tmp stay
	// checkable. It is removed with the container.
	return mount.Mount{
		Type:   mount.TypeVolume,
		Target: target,
		VolumeOptions: &mount.VolumeOptions{
			DriverConfig: &mount.Driver{Name: "local", Options: map[string]string{
				"type":   "tmpfs",
				"device": "tmpfs",
				"o":      "size=" + strconv.FormatInt(size, 10) + ",mode=" + mode + ",nosuid,nodev",
			}},
		},
	}
}

// learnerConfig turns p into the container's configuration.
func (p Profile) learnerConfig(image string, labels map[string]string, deadline time.Time) (*container.Config, *container.HostConfig) {
	host := p.Hostname
	if host == "" {
		host = "shellgym"
	}
	cfg := &container.Config{
		Image:      image,
		Hostname:   host,
		User:       "root",
		Env:        slices.Clone(p.Env),
		Entrypoint: []string{},
		Cmd:        keeperCmd(deadline),
		Labels:     maps.Clone(labels),
	}
	pids := int64(PidsLimit)
	init := true
	hc := &container.HostConfig{
		NetworkMode: "none",
		CapDrop:     []string{"ALL"},
		CapAdd:      p.caps(),
		Init:        &init,
		AutoRemove:  true,
		Resources: container.Resources{
			PidsLimit:  &pids,
			Memory:     MemoryLimit,
			MemorySwap: MemoryLimit,
			NanoCPUs:   NanoCPUs,
			Ulimits: []*container.Ulimit{
				{Name: "core", Soft: 0, Hard: 0},
				{Name: "nofile", Soft: NoFileLimit, Hard: NoFileLimit},
				{Name: "fsize", Soft: FileSizeLimit, Hard: FileSizeLimit},
			},
		},
		Mounts: []mount.Mount{
			tmpfsVolume("/tmp", TmpSize, "1777"),
			tmpfsVolume("/run", RunSize, "755"),
		},
	}
	if !p.Sudo {
		hc.SecurityOpt = []string{"no-new-privileges:true"}
	}
	return cfg, hc
}

// inspectorConfig is the inspector's configuration: the pristine sandbox
// image, read-only, in the learner's pid and network namespaces, with only
// what reading /proc of every process takes, plus SETUID and SETGID so that
// a tool that drops root (tcpdump -r) works in an outside command check.
func inspectorConfig(learnerID string, labels map[string]string, deadline time.Time) (*container.Config, *container.HostConfig) {
	cfg := &container.Config{
		Image:      ImageTag(),
		User:       "root",
		Entrypoint: []string{},
		Cmd:        keeperCmd(deadline),
		Labels:     maps.Clone(labels),
	}
	cfg.Labels[LabelRole] = RoleInspector
	pids := int64(64)
	hc := &container.HostConfig{
		NetworkMode:    container.NetworkMode("container:" + learnerID),
		PidMode:        container.PidMode("container:" + learnerID),
		CapDrop:        []string{"ALL"},
		CapAdd:         []string{"SYS_PTRACE", "DAC_READ_SEARCH", "DAC_OVERRIDE", "SETUID", "SETGID"},
		ReadonlyRootfs: true,
		AutoRemove:     true,
		SecurityOpt:    []string{"no-new-privileges:true"},
		Resources: container.Resources{
			PidsLimit:  &pids,
			Memory:     128 << 20,
			MemorySwap: 128 << 20,
		},
	}
	return cfg, hc
}
