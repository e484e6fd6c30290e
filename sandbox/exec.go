package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
)

// DefaultOutputLimit is the per-stream output cap of Exec.
const DefaultOutputLimit = 1 << 20

// ExecOptions describes a command to run in a sandbox.
type ExecOptions struct {
	Cmd     []string
	User    string // "" = root
	Env     []string
	WorkDir string
	// Timeout kills the command's whole process group when it passes; the
	// result then says TimedOut. 0 = no timeout but the context's.
	Timeout time.Duration
	// OutputLimit caps each of stdout and stderr, in bytes; 0 =
	// DefaultOutputLimit. Output past it is drained and dropped.
	OutputLimit int
	Stdin       io.Reader
	Detach      bool // start and return at once (services)
}

// ExecResult is what a finished command left behind.
type ExecResult struct {
	ExitCode       int
	Stdout, Stderr []byte
	Truncated      bool // output was cut at OutputLimit
	TimedOut       bool
	OOMKilled      bool // the memory limit killed a process while it ran
	Duration       time.Duration
}

// pgidPrefix starts the line the wrapper writes to stderr before running the
// command, so Exec knows the process group to kill at its timeout: Docker's
// exec API has no kill. runc makes every exec'd process a session (and so
// process group) leader; the wrapper reports 0, and the timeout kills
// nothing, should that ever not hold.
const pgidPrefix = "shellgym-pgid="

var wrapper = []string{"/bin/sh", "-c", `read -r _ _ _ _ pg _ < /proc/$$/stat; [ "$pg" = "$$" ] || pg=0; echo "` + pgidPrefix + `$pg" >&2; exec "$@"`, "sh"}

// Exec runs a command in the sandbox and collects its output. A command that
// hits the memory or process limit returns its result and a *LimitError; a
// command killed at its timeout returns a result with TimedOut and no error.
func (s *Sandbox) Exec(ctx context.Context, o ExecOptions) (*ExecResult, error) {
	res, err := s.exec(ctx, o, true)
	if err != nil || o.Detach {
		return res, err
	}
	if res.ExitCode >= 128 || res.TimedOut {
		if lerr := s.checkLimits(ctx, o.Cmd[0], res); lerr != nil {
			return res, lerr
		}
	}
	return res, nil
}

func (s *Sandbox) exec(ctx context.Context, o ExecOptions, wrap bool) (*ExecResult, error) {
	return s.execIn(ctx, s.ID, o, wrap)
}

// execIn runs o in container id (the learner's or the inspector's); wrap
// puts the command under the process-group wrapper so a timeout can kill it.
func (s *Sandbox) execIn(ctx context.Context, id string, o ExecOptions, wrap bool) (*ExecResult, error) {
	if len(o.Cmd) == 0 {
		return nil, errors.New("exec: empty command")
	}
	user := o.User
	if user == "" {
		user = "root"
	}
	cmd := o.Cmd
	if wrap && !o.Detach {
		cmd = append(append([]string{}, wrapper...), o.Cmd...)
	}
	start := time.Now()
	cr, err := s.c.api.ContainerExecCreate(ctx, id, container.ExecOptions{
		User:         user,
		Env:          o.Env,
		WorkingDir:   o.WorkDir,
		Cmd:          cmd,
		AttachStdin:  o.Stdin != nil && !o.Detach,
		AttachStdout: !o.Detach,
		AttachStderr: !o.Detach,
	})
	if err != nil {
		return nil, fmt.Errorf("exec %s: %w", o.Cmd[0], s.apiErr(err))
	}
	if o.Detach {
		if err := s.c.api.ContainerExecStart(ctx, cr.ID, container.ExecStartOptions{Detach: true}); err != nil {
			return nil, fmt.Errorf("exec %s: %w", o.Cmd[0], s.apiErr(err))
		}
		return &ExecResult{}, nil
	}
	hj, err := s.c.api.ContainerExecAttach(ctx, cr.ID, container.ExecAttachOptions{})
	if err != nil {
		return nil, fmt.Errorf("exec %s: %w", o.Cmd[0], s.apiErr(err))
	}
	defer hj.Close()
	limit := o.OutputLimit
	if limit <= 0 {
		limit = DefaultOutputLimit
	}
	stdout := &capped{limit: limit}
	stderr := &capped{limit: limit}
	var errw io.Writer = stderr
	var pg *pgidSniffer
	if wrap {
		pg = &pgidSniffer{next: stderr}
		errw = pg
	}
	if o.Stdin != nil {
		go func() {
			io.Copy(hj.Conn, o.Stdin)
			hj.CloseWrite()
		}()
	}
	done := make(chan error, 1)
	go func() {
		_, err := stdcopy.StdCopy(stdout, errw, hj.Reader)
		done <- err
	}()
	var timeout <-chan time.Time
	if o.Timeout > 0 {
		t := time.NewTimer(o.Timeout)
		defer t.Stop()
		timeout = t.C
	}
	res := &ExecResult{}
	var copyErr error
	select {
	case copyErr = <-done:
	case <-timeout:
		res.TimedOut = true
		s.killGroup(id, pg)
		select {
		case copyErr = <-done:
		case <-time.After(3 * time.Second):
			hj.Close()
			<-done
		}
	case <-ctx.Done():
		s.killGroup(id, pg)
		hj.Close()
		<-done
		return nil, ctx.Err()
	}
	if copyErr != nil && !res.TimedOut {
		return nil, fmt.Errorf("exec %s: read output: %w", o.Cmd[0], s.apiErr(copyErr))
	}
	code, err := s.execExitCode(ctx, cr.ID)
	if err != nil {
		return nil, fmt.Errorf("exec %s: %w", o.Cmd[0], err)
	}
	res.ExitCode = code
	res.Stdout, res.Stderr = stdout.buf.Bytes(), stderr.buf.Bytes()
	res.Truncated = stdout.dropped || stderr.dropped
	res.Duration = time.Since(start)
	return res, nil
}

// execExitCode waits briefly for Docker to record the exit of an exec whose
// output stream has ended.
func (s *Sandbox) execExitCode(ctx context.Context, id string) (int, error) {
	for i := 0; ; i++ {
		in, err := s.c.api.ContainerExecInspect(ctx, id)
		if err != nil {
			return 0, s.apiErr(err)
		}
		if !in.Running || i >= 100 {
			return in.ExitCode, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// killGroup SIGKILLs the process group the wrapper reported, through a
// second exec with a fresh context (the caller's may be cancelled).
func (s *Sandbox) killGroup(id string, pg *pgidSniffer) {
	if pg == nil {
		return
	}
	pgid := pg.get()
	if pgid <= 1 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.execIn(ctx, id, ExecOptions{Cmd: []string{"kill", "-KILL", "--", "-" + strconv.Itoa(pgid)}}, false)
}

// checkLimits asks the container's cgroups whether the memory or the
// process limit was hit since the last look.
func (s *Sandbox) checkLimits(ctx context.Context, name string, res *ExecResult) error {
	s.mu.Lock()
	disk := s.diskExceeded
	s.mu.Unlock()
	if disk {
		return s.gone()
	}
	ooms, pidsMax, err := s.cgroupEvents(ctx)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	newOOM := ooms > s.oomKills
	s.oomKills = ooms
	s.mu.Unlock()
	if newOOM {
		res.OOMKilled = true
		return &LimitError{Kind: LimitMemory, Detail: fmt.Sprintf("%s: a process was killed for using more than %d MiB", name, MemoryLimit>>20)}
	}
	if res.TimedOut && pidsMax > 0 {
		return &LimitError{Kind: LimitPids, Detail: fmt.Sprintf("more than %d processes", PidsLimit)}
	}
	return nil
}

// cgroupEvents reads the container's OOM-kill count and the number of times
// fork hit the pids limit, from cgroup v1 or v2 files. It asks the learner's
// container first, which needs no inspector; when nothing can be exec'd
// there (a fork bomb fills the pids limit) the inspector, in a cgroup of its
// own, reads the same files under $ROOT. A root learner who fakes the first
// answer only hides which limit made a failing verdict fail.
func (s *Sandbox) cgroupEvents(ctx context.Context) (ooms, pidsMax int, err error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	read := ExecOptions{Cmd: []string{"/bin/sh", "-c",
		`for f in "$ROOT"/sys/fs/cgroup/memory/memory.oom_control "$ROOT"/sys/fs/cgroup/memory.events; do [ -r $f ] && sed 's/^/mem /' $f; done
for f in "$ROOT"/sys/fs/cgroup/pids/pids.events "$ROOT"/sys/fs/cgroup/pids.events; do [ -r $f ] && sed 's/^/pids /' $f; done; true`}}
	r, err := s.exec(ctx, read, false)
	if err != nil || r.ExitCode != 0 {
		if r, err = s.InspectorExec(ctx, read); err != nil {
			return 0, 0, err
		}
	}
	found := false
	sc := bufio.NewScanner(bytes.NewReader(r.Stdout))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			continue
		}
		n, _ := strconv.Atoi(f[2])
		switch {
		case f[0] == "mem" && f[1] == "oom_kill":
			ooms, found = n, true
		case f[0] == "pids" && f[1] == "max":
			pidsMax = n
		}
	}
	if !found {
		return 0, 0, errNoCount
	}
	return ooms, pidsMax, nil
}

// capped keeps the first limit bytes written to it and drops the rest,
// never blocking the writer.
type capped struct {
	limit   int
	buf     bytes.Buffer
	dropped bool
}

func (c *capped) Write(p []byte) (int, error) {
	room := c.limit - c.buf.Len()
	if room >= len(p) {
		c.buf.Write(p)
	} else {
		if room > 0 {
			c.buf.Write(p[:room])
		}
		c.dropped = true
	}
	return len(p), nil
}

// pgidSniffer takes the wrapper's first stderr line off the stream.
type pgidSniffer struct {
	next io.Writer
	mu   sync.Mutex
	head []byte
	pgid int
	done bool
}

func (p *pgidSniffer) Write(b []byte) (int, error) {
	p.mu.Lock()
	if p.done {
		p.mu.Unlock()
		return p.next.Write(b)
	}
	p.head = append(p.head, b...)
	i := bytes.IndexByte(p.head, '\n')
	if i < 0 && len(p.head) < 64 {
		p.mu.Unlock()
		return len(b), nil
	}
	p.done = true
	rest := p.head
	if line, ok := bytes.CutPrefix(p.head, []byte(pgidPrefix)); ok && i >= 0 {
		p.pgid, _ = strconv.Atoi(string(line[:i-len(pgidPrefix)]))
		rest = p.head[i+1:]
	}
	p.head = nil
	p.mu.Unlock()
	if len(rest) > 0 {
		p.next.Write(rest)
	}
	return len(b), nil
}

func (p *pgidSniffer) get() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pgid
}
