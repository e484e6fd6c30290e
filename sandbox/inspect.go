package sandbox

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
)

// inspectScript runs in the inspector with the pristine image's python3; it
// reads /proc of the shared pid namespace and the learner's root through
// /proc/1/root, never a tool of the learner's.
//
//go:embed inspect_script.py
var inspectScript string

// Process is a process of the learner's, as /proc shows it.
type Process struct {
	PID, PPID int
	UID       int    // effective
	State     string // first letter of the stat state: R S D T Z ...
	Cmdline   string // arguments joined by spaces
	Exe       string // readlink /proc/PID/exe: the real executable
	Comm      string
}

// Socket is an open socket in the learner's network namespace.
type Socket struct {
	Proto     string // tcp or udp
	Addr      string // local address
	Port      int
	Listening bool  // tcp LISTEN, or a bound udp socket
	PIDs      []int // processes holding it
}

// Snapshot is the learner's processes and sockets at one moment.
type Snapshot struct {
	Processes []Process
	Sockets   []Socket
}

// StartInspector starts the inspector now rather than on the first Snapshot
// or Inodes, so that first call is fast.
func (s *Sandbox) StartInspector(ctx context.Context) error {
	_, err := s.inspectorID(ctx, false)
	return err
}

// inspectorID returns the running inspector, creating it when there is none
// or (recreate) when the previous one died: a root learner can kill it.
func (s *Sandbox) inspectorID(ctx context.Context, recreate bool) (string, error) {
	s.inspMu.Lock()
	defer s.inspMu.Unlock()
	if s.inspector != "" && !recreate {
		return s.inspector, nil
	}
	if s.inspector != "" {
		s.c.removeContainer(ctx, s.inspector)
		s.inspector = ""
	}
	cfg, hc := inspectorConfig(s.ID, s.labels, s.Deadline)
	resp, err := s.c.api.ContainerCreate(ctx, cfg, hc, nil, nil, "shellgym-"+s.SessionID+"-inspector")
	if err != nil {
		if cerrdefs.IsNotFound(err) && strings.Contains(err.Error(), "image") {
			return "", fmt.Errorf("create inspector from %s: %w", ImageTag(), ErrImageMissing)
		}
		if cerrdefs.IsConflict(err) {
			// A previous inspector of ours still holds the name.
			s.c.removeContainer(ctx, "shellgym-"+s.SessionID+"-inspector")
			resp, err = s.c.api.ContainerCreate(ctx, cfg, hc, nil, nil, "shellgym-"+s.SessionID+"-inspector")
		}
		if err != nil {
			return "", fmt.Errorf("create inspector: %w", s.apiErr(err))
		}
	}
	s.inspector = resp.ID
	if err := s.c.api.ContainerStart(ctx, resp.ID, container.StartOptions{}); err != nil {
		return "", fmt.Errorf("start inspector: %w", s.apiErr(err))
	}
	return resp.ID, nil
}

// inspect runs the inspector script with args and decodes its JSON output
// into v, recreating the inspector once if it has died.
func (s *Sandbox) inspect(ctx context.Context, v any, args ...string) error {
	for attempt := 0; ; attempt++ {
		id, err := s.inspectorID(ctx, attempt > 0)
		if err != nil {
			return err
		}
		r, err := s.execIn(ctx, id, ExecOptions{
			Cmd:         append([]string{"python3", "-c", inspectScript}, args...),
			Timeout:     30 * time.Second,
			OutputLimit: 64 << 20,
		}, false)
		if err == nil && r.ExitCode == 0 && !r.Truncated {
			return json.Unmarshal(r.Stdout, v)
		}
		if attempt == 0 && s.inspectorDead(ctx, id) {
			continue
		}
		if err != nil {
			return fmt.Errorf("inspector: %w", err)
		}
		return fmt.Errorf("inspector: exit %d: %s", r.ExitCode, strings.TrimSpace(string(r.Stderr)))
	}
}

func (s *Sandbox) inspectorDead(ctx context.Context, id string) bool {
	in, err := s.c.api.ContainerInspect(ctx, id)
	return (err != nil && cerrdefs.IsNotFound(err)) || (err == nil && (in.State == nil || !in.State.Running))
}

type rawProc struct {
	PID   int    `json:"pid"`
	PPID  int    `json:"ppid"`
	UID   int    `json:"uid"`
	State string `json:"state"`
	Comm  string `json:"comm"`
	Cmd   string `json:"cmd"`
	Exe   string `json:"exe"`
	Own   bool   `json:"own"`
	Socks []int  `json:"socks"`
}

type rawSnapshot struct {
	Procs []rawProc         `json:"procs"`
	Net   map[string]string `json:"net"`
}

// Snapshot reads the learner's processes and sockets with one exec in the
// inspector. shellgym's own processes are left out: the init (PID 1), the
// deadline keeper and its children, and anything in the inspector's cgroup.
func (s *Sandbox) Snapshot(ctx context.Context) (*Snapshot, error) {
	var raw rawSnapshot
	if err := s.inspect(ctx, &raw, "snapshot"); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	return raw.build(), nil
}

func (raw *rawSnapshot) build() *Snapshot {
	ours := map[int]bool{1: true}
	children := map[int][]int{}
	for _, p := range raw.Procs {
		children[p.PPID] = append(children[p.PPID], p.PID)
		if p.Own || (p.PPID == 1 && isKeeper(p.Cmd)) {
			ours[p.PID] = true
		}
	}
	var mark func(int)
	mark = func(pid int) {
		for _, c := range children[pid] {
			if !ours[c] {
				ours[c] = true
				mark(c)
			}
		}
	}
	for _, p := range raw.Procs {
		if ours[p.PID] && p.PID != 1 {
			mark(p.PID)
		}
	}
	snap := &Snapshot{}
	owners := map[int][]int{}
	for _, p := range raw.Procs {
		if ours[p.PID] {
			continue
		}
		snap.Processes = append(snap.Processes, Process{PID: p.PID, PPID: p.PPID, UID: p.UID, State: p.State, Cmdline: p.Cmd, Exe: p.Exe, Comm: p.Comm})
		for _, ino := range p.Socks {
			owners[ino] = append(owners[ino], p.PID)
		}
	}
	sort.Slice(snap.Processes, func(i, j int) bool { return snap.Processes[i].PID < snap.Processes[j].PID })
	for _, proto := range []string{"tcp", "tcp6", "udp", "udp6"} {
		for _, e := range parseNet(raw.Net[proto]) {
			e.sock.Proto = strings.TrimSuffix(proto, "6")
			e.sock.PIDs = owners[e.inode]
			sort.Ints(e.sock.PIDs)
			snap.Sockets = append(snap.Sockets, e.sock)
		}
	}
	return snap
}

func isKeeper(cmd string) bool {
	return strings.HasPrefix(cmd, "/bin/sh -c ") && strings.Contains(cmd, " "+keeperName+" ")
}

type netEntry struct {
	sock  Socket
	inode int
}

// parseNet parses a /proc/net/{tcp,udp}[6] table.
func parseNet(text string) []netEntry {
	var out []netEntry
	sc := bufio.NewScanner(strings.NewReader(text))
	for first := true; sc.Scan(); first = false {
		f := strings.Fields(sc.Text())
		if first || len(f) < 10 {
			continue
		}
		addr, port, ok := parseHexAddr(f[1])
		if !ok {
			continue
		}
		st, _ := strconv.ParseUint(f[3], 16, 8)
		ino, _ := strconv.Atoi(f[9])
		// tcp 0A is LISTEN; udp 07 (TCP_CLOSE) is a bound, unconnected socket.
		listening := st == 0x0A || (st == 0x07 && port != 0)
		out = append(out, netEntry{sock: Socket{Addr: addr, Port: port, Listening: listening}, inode: ino})
	}
	return out
}

// parseHexAddr decodes "0100007F:1F90" (IPv4) or a 32-digit IPv6 address,
// each 32-bit word in host (little-endian) order.
func parseHexAddr(s string) (string, int, bool) {
	h, p, ok := strings.Cut(s, ":")
	if !ok {
		return "", 0, false
	}
	port, err := strconv.ParseUint(p, 16, 16)
	if err != nil {
		return "", 0, false
	}
	b, err := hex.DecodeString(h)
	if err != nil || (len(b) != 4 && len(b) != 16) {
		return "", 0, false
	}
	ip := make(net.IP, len(b))
	for i := 0; i < len(b); i += 4 {
		ip[i], ip[i+1], ip[i+2], ip[i+3] = b[i+3], b[i+2], b[i+1], b[i]
	}
	return ip.String(), int(port), true
}

// Inodes returns the inode of each path that exists, by lstat in the
// learner's root (intermediate symlinks resolved inside it, the last one not
// followed), for hard-link checks. The device is folded into the high bits so
// that equal values mean the same file. Missing paths are absent.
func (s *Sandbox) Inodes(ctx context.Context, paths []string) (map[string]uint64, error) {
	var raw map[string][2]uint64
	if err := s.inspect(ctx, &raw, append([]string{"inodes"}, paths...)...); err != nil {
		return nil, fmt.Errorf("inodes: %w", err)
	}
	out := make(map[string]uint64, len(raw))
	for p, v := range raw {
		out[p] = v[0] ^ v[1]<<48
	}
	return out, nil
}
