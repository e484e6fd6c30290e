package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
)

// Sandbox is one running learner container. Its methods are safe for
// concurrent use.
type Sandbox struct {
	ID        string    // container ID
	SessionID string    // random id, also the shellgym.session label
	Deadline  time.Time // PID 1 exits then; the container removes itself
	Image     string

	c      *Client
	labels map[string]string
	quota  int64

	mu           sync.Mutex
	removed      bool
	diskExceeded bool
	oomKills     int // OOM kills already reported
	stopWatch    context.CancelFunc
	watchDone    chan struct{}

	inspMu    sync.Mutex
	inspector string
}

func newSessionID() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Start creates and starts a learner container with the hardened profile
// and p's choices, and tracks it so that Close removes it. It does not wait
// for anything else: the disk watcher runs in the background and the
// inspector starts on first use.
func (c *Client) Start(ctx context.Context, p Profile) (*Sandbox, error) {
	img := p.Image
	if img == "" {
		img = ImageTag()
	}
	life := p.Lifetime
	if life <= 0 {
		life = DefaultLifetime
	}
	deadline := time.Now().Add(life).Truncate(time.Second)
	if deadline.Before(time.Now().Add(life)) {
		deadline = deadline.Add(time.Second)
	}
	sid := newSessionID()
	labels := map[string]string{}
	for k, v := range p.Labels {
		labels[k] = v
	}
	labels[LabelShellgym] = "1"
	labels[LabelSession] = sid
	labels[LabelExpires] = strconv.FormatInt(deadline.Unix(), 10)
	labels[LabelRole] = RoleLearner
	cfg, hc := p.learnerConfig(img, labels, deadline)
	resp, err := c.api.ContainerCreate(ctx, cfg, hc, nil, nil, "shellgym-"+sid)
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return nil, fmt.Errorf("create sandbox from %s: %w", img, ErrImageMissing)
		}
		return nil, fmt.Errorf("create sandbox from %s: %w", img, lost(err))
	}
	quota := p.DiskQuota
	if quota <= 0 {
		quota = DefaultDiskQuota
	}
	s := &Sandbox{ID: resp.ID, SessionID: sid, Deadline: deadline, Image: img, c: c, labels: labels, quota: quota}
	c.track(s)
	fail := func(err error) (*Sandbox, error) {
		rctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.Remove(rctx)
		return nil, err
	}
	if p.Sudo {
		rule := []byte("student ALL=(ALL:ALL) NOPASSWD: ALL\n")
		if err := s.CopyIn(ctx, []File{{Path: "/etc/sudoers.d/shellgym-student", Content: rule, Mode: 0o440}}); err != nil {
			return fail(fmt.Errorf("write sudo rule: %w", err))
		}
	}
	if err := c.api.ContainerStart(ctx, s.ID, container.StartOptions{}); err != nil {
		return fail(fmt.Errorf("start container %s: %w", short(s.ID), lost(err)))
	}
	wctx, cancel := context.WithCancel(context.Background())
	s.stopWatch, s.watchDone = cancel, make(chan struct{})
	go s.watchDisk(wctx)
	return s, nil
}

func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// Remove force-removes the sandbox, its volumes and its inspector. It is
// idempotent, and a container already gone counts as removed.
func (s *Sandbox) Remove(ctx context.Context) error {
	s.mu.Lock()
	if s.removed {
		s.mu.Unlock()
		return nil
	}
	stop, done := s.stopWatch, s.watchDone
	s.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
	s.inspMu.Lock()
	insp := s.inspector
	s.inspMu.Unlock()
	// The inspector first: removing the learner ends the inspector's pid
	// namespace, and its auto-removal would then race ours.
	if insp != "" {
		if err := s.c.removeContainer(ctx, insp); err != nil {
			return err
		}
	}
	if err := s.c.removeContainer(ctx, s.ID); err != nil {
		return err
	}
	s.mu.Lock()
	s.removed = true
	s.mu.Unlock()
	s.c.untrack(s)
	return nil
}

func (c *Client) removeContainer(ctx context.Context, id string) error {
	err := c.api.ContainerRemove(ctx, id, container.RemoveOptions{Force: true, RemoveVolumes: true})
	if isRemovalInProgress(err) {
		// The container exited and its auto-removal is under way: wait for
		// it, so that "removed" means gone.
		return c.waitRemoved(ctx, id)
	}
	if err == nil || cerrdefs.IsNotFound(err) {
		return nil
	}
	return fmt.Errorf("remove container %s: %w", short(id), lost(err))
}

// waitRemoved waits until the daemon has removed container id.
func (c *Client) waitRemoved(ctx context.Context, id string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	done, errs := c.api.ContainerWait(ctx, id, container.WaitConditionRemoved)
	select {
	case <-done:
		return nil
	case err := <-errs:
		if err == nil || cerrdefs.IsNotFound(err) {
			return nil
		}
		return fmt.Errorf("wait for removal of %s: %w", short(id), lost(err))
	}
}

func isRemovalInProgress(err error) bool {
	return cerrdefs.IsConflict(err) && strings.Contains(err.Error(), "already in progress")
}

// Status is a sandbox's state as Status reads it.
type Status struct {
	Running        bool
	Gone           bool // the container no longer exists
	OOMKilled      bool // the kernel OOM-killed a process in it
	PidsLimitHit   bool // a fork failed at the pids limit (a fork bomb)
	DiskExceeded   bool // the watcher killed it past its disk quota
	DeadlinePassed bool
	ExitCode       int
}

// Err returns a *LimitError when the status shows a limit was hit, else nil.
func (st Status) Err() error {
	switch {
	case st.DiskExceeded:
		return &LimitError{Kind: LimitDisk, Detail: "the writable layer grew past its quota"}
	case st.OOMKilled:
		return &LimitError{Kind: LimitMemory, Detail: "out of memory"}
	case st.PidsLimitHit:
		return &LimitError{Kind: LimitPids, Detail: fmt.Sprintf("more than %d processes", PidsLimit)}
	}
	return nil
}

// Status inspects the container, its cgroup's limit counters and the
// watcher's findings.
func (s *Sandbox) Status(ctx context.Context) (Status, error) {
	s.mu.Lock()
	st := Status{DiskExceeded: s.diskExceeded, DeadlinePassed: !time.Now().Before(s.Deadline)}
	s.mu.Unlock()
	in, err := s.c.api.ContainerInspect(ctx, s.ID)
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			st.Gone = true
			return st, nil
		}
		return st, fmt.Errorf("inspect container %s: %w", short(s.ID), lost(err))
	}
	if in.State != nil {
		st.Running = in.State.Running
		st.OOMKilled = in.State.OOMKilled
		st.ExitCode = in.State.ExitCode
	}
	if st.Running {
		if ooms, pids, err := s.cgroupEvents(ctx); err == nil {
			st.OOMKilled = st.OOMKilled || ooms > 0
			st.PidsLimitHit = pids > 0
		}
	}
	return st, nil
}

// gone explains why an operation on a vanished container failed.
func (s *Sandbox) gone() error {
	s.mu.Lock()
	disk := s.diskExceeded
	s.mu.Unlock()
	if disk {
		return &LimitError{Kind: LimitDisk, Detail: "the writable layer grew past its quota"}
	}
	if !time.Now().Before(s.Deadline) {
		return fmt.Errorf("%w: its deadline passed", ErrGone)
	}
	return ErrGone
}

// apiErr turns an error of a call on the learner container into one the
// caller can act on.
func (s *Sandbox) apiErr(err error) error {
	if cerrdefs.IsNotFound(err) || (cerrdefs.IsConflict(err) && strings.Contains(err.Error(), "is not running")) {
		return fmt.Errorf("%w (%w)", s.gone(), err)
	}
	return lost(err)
}

// watchDisk polls the size of the writable layer and kills the container
// when it passes the quota.
func (s *Sandbox) watchDisk(ctx context.Context) {
	defer close(s.watchDone)
	every := s.c.diskPoll
	if every <= 0 {
		every = 10 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		in, _, err := s.c.api.ContainerInspectWithRaw(ctx, s.ID, true)
		if err != nil {
			if cerrdefs.IsNotFound(err) {
				return
			}
			continue
		}
		if in.SizeRw != nil && *in.SizeRw > s.quota {
			s.mu.Lock()
			s.diskExceeded = true
			s.mu.Unlock()
			s.c.api.ContainerKill(ctx, s.ID, "KILL")
			return
		}
	}
}

var errNoCount = errors.New("no oom_kill count")
