package sandbox

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestProfile(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{Lifetime: 3 * time.Minute, Labels: map[string]string{"x.extra": "yes"}})
	in, err := c.api.ContainerInspect(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	hc := in.HostConfig
	if hc.NetworkMode != "none" {
		t.Errorf("network = %q, want none", hc.NetworkMode)
	}
	if !slices.Equal(hc.CapDrop, []string{"ALL"}) {
		t.Errorf("cap drop = %v", hc.CapDrop)
	}
	var caps []string
	for _, c := range hc.CapAdd {
		caps = append(caps, strings.TrimPrefix(c, "CAP_"))
	}
	for _, want := range []string{"CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "SETUID", "SETGID", "SYS_PTRACE"} {
		if !slices.Contains(caps, want) {
			t.Errorf("cap add %v lacks %s", caps, want)
		}
	}
	if slices.Contains(caps, "NET_RAW") || slices.Contains(caps, "SYS_ADMIN") {
		t.Errorf("cap add %v has more than the profile", caps)
	}
	if hc.PidsLimit == nil || *hc.PidsLimit != 256 {
		t.Errorf("pids limit = %v", hc.PidsLimit)
	}
	if hc.Memory != 512<<20 || hc.MemorySwap != hc.Memory {
		t.Errorf("memory %d swap %d", hc.Memory, hc.MemorySwap)
	}
	if hc.NanoCPUs != 1e9 {
		t.Errorf("cpus = %d", hc.NanoCPUs)
	}
	if !slices.Contains(hc.SecurityOpt, "no-new-privileges:true") {
		t.Errorf("security opt = %v", hc.SecurityOpt)
	}
	if hc.Init == nil || !*hc.Init {
		t.Error("init is off")
	}
	if hc.Privileged {
		t.Error("privileged")
	}
	if len(hc.Binds) != 0 {
		t.Errorf("binds = %v", hc.Binds)
	}
	for _, m := range in.Mounts {
		if m.Type == "bind" || strings.Contains(m.Source, "docker.sock") {
			t.Errorf("host mount %+v", m)
		}
	}
	if !hc.AutoRemove {
		t.Error("auto remove is off")
	}
	ul := map[string]int64{}
	for _, u := range hc.Ulimits {
		ul[u.Name] = u.Hard
	}
	if ul["core"] != 0 || ul["nofile"] != 1024 || ul["fsize"] != FileSizeLimit {
		t.Errorf("ulimits = %v", ul)
	}
	l := in.Config.Labels
	if l[LabelShellgym] != "1" || l[LabelSession] != s.SessionID || l[LabelRole] != RoleLearner || l["x.extra"] != "yes" {
		t.Errorf("labels = %v", l)
	}
	exp, _ := strconv.ParseInt(l[LabelExpires], 10, 64)
	if exp != s.Deadline.Unix() || time.Until(s.Deadline) > 3*time.Minute+time.Second || time.Until(s.Deadline) < 2*time.Minute {
		t.Errorf("expires label %d, deadline %v", exp, s.Deadline)
	}
	if !slices.Contains(in.Config.Cmd, strconv.FormatInt(s.Deadline.Unix(), 10)) {
		t.Errorf("PID 1 command %v does not carry the deadline", in.Config.Cmd)
	}
	// The limits are what the kernel enforces, not only what Docker says.
	r := run(t, s, "root", "ulimit -c; ulimit -n; cat /proc/1/status | grep NoNewPrivs; df -k /tmp /run | tail -2")
	out := string(r.Stdout)
	if !strings.HasPrefix(out, "0\n1024\n") || !strings.Contains(out, "NoNewPrivs:\t1") {
		t.Errorf("in the container: %s", out)
	}
}

func TestProfileSudo(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{Sudo: true})
	in, err := c.api.ContainerInspect(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(in.HostConfig.SecurityOpt, "no-new-privileges:true") {
		t.Error("sudo profile keeps no-new-privileges")
	}
	if r := run(t, s, "student", "sudo -n id -u"); strings.TrimSpace(string(r.Stdout)) != "0" {
		t.Errorf("sudo as student: exit %d %s %s", r.ExitCode, r.Stdout, r.Stderr)
	}
	plain := start(t, c, Profile{})
	if r := run(t, plain, "student", "sudo -n id -u"); r.ExitCode == 0 {
		t.Errorf("sudo works without Sudo: %s", r.Stdout)
	}
}
