// Package attempt is one try at a challenge: a sandbox started with the
// challenge's profile and prepared by its setup, scripts run in it as the
// learner, and its state evaluated against the challenge's checks. Play,
// author tests and grading all go through it.
package attempt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"sync"
	"time"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/internal/check"
	"github.com/shellgym/shellgym/sandbox"
)

// Engine starts sandboxes; *sandbox.Client implements it.
type Engine interface {
	EnsureImage(ctx context.Context, progress io.Writer) (string, error)
	Start(ctx context.Context, p sandbox.Profile) (*sandbox.Sandbox, error)
}

// DefaultExtraLifetime is how long a sandbox outlives the challenge's time
// limit when Options.ExtraLifetime is zero: room for setup and evaluation.
const DefaultExtraLifetime = 5 * time.Minute

// ErrSetup marks a failure of the challenge's own setup (a script that
// exits non-zero, a `from:` file that cannot be read): a defect of the
// challenge, not of Docker.
var ErrSetup = errors.New("setup failed")

// Options tune Prepare.
type Options struct {
	Progress      io.Writer         // image build progress; nil = discard
	Labels        map[string]string // added to the sandbox's labels
	ExtraLifetime time.Duration     // added to the time limit for the hard deadline; 0 = DefaultExtraLifetime
	// Reveal lets failure messages echo hidden param values. Only author
	// tests set it: the author knows the answers.
	Reveal bool
	// Files are written with the setup files, before the setup script (the
	// session's prompt script).
	Files []sandbox.File
	// Started, when set, is called once the sandbox runs, before its setup:
	// what may overlap the setup starts there (a shell that waits for
	// ReadyPath).
	Started func(*sandbox.Sandbox)
}

// Attempt is a prepared sandbox for one rendered challenge.
type Attempt struct {
	Challenge *challenge.Challenge
	Box       *sandbox.Sandbox
	Baseline  check.Baseline
	Started   time.Time // when setup ended and the learner's time began

	reveal bool
	mu     sync.Mutex
	limit  string // the last limit a script hit
}

// Profile is the sandbox profile a challenge asks for.
func Profile(c *challenge.Challenge, o Options) sandbox.Profile {
	extra := o.ExtraLifetime
	if extra <= 0 {
		extra = DefaultExtraLifetime
	}
	limit := c.TimeLimit
	if limit <= 0 {
		limit = challenge.DefaultTimeLimit
	}
	labels := map[string]string{"shellgym.challenge": c.ID}
	maps.Copy(labels, o.Labels)
	return sandbox.Profile{
		Image:    c.Image,
		Root:     c.User == challenge.RoleRoot,
		Sudo:     c.Sudo,
		CapAdd:   c.Capabilities,
		Lifetime: limit + extra,
		Labels:   labels,
	}
}

// Prepare starts a sandbox for c and runs its setup: files, then the script
// as root, then the services, then the baseline of same_pid checks. On any
// error the sandbox is removed. Setup defects wrap ErrSetup.
func Prepare(ctx context.Context, eng Engine, c *challenge.Challenge, o Options) (*Attempt, error) {
	p := Profile(c, o)
	if p.Image == "" {
		progress := o.Progress
		if progress == nil {
			progress = io.Discard
		}
		img, err := eng.EnsureImage(ctx, progress)
		if err != nil {
			return nil, err
		}
		p.Image = img
	}
	box, err := eng.Start(ctx, p)
	if err != nil {
		return nil, err
	}
	a := &Attempt{Challenge: c, Box: box, reveal: o.Reveal}
	if o.Started != nil {
		o.Started(box)
	}
	if err := a.setup(ctx, o.Files); err != nil {
		rmCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		box.Remove(rmCtx)
		return nil, err
	}
	a.Started = time.Now()
	return a, nil
}

// Evaluate runs the challenge's checks against the sandbox's state. Unless
// the attempt was prepared with Reveal, messages never echo a hidden value.
func (a *Attempt) Evaluate(ctx context.Context) ([]check.Result, error) {
	var hidden []string
	if !a.reveal {
		hidden = HiddenValues(a.Challenge)
	}
	return check.Evaluate(ctx, a.Box, a.Challenge.Checks, a.Baseline, hidden...)
}

// HiddenValues lists the values of c's params that are not given.
func HiddenValues(c *challenge.Challenge) []string {
	var out []string
	for _, p := range c.Params {
		if !p.Given {
			if v, ok := c.Values[p.Name]; ok && v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// ShellOptions is the learner's interactive shell: a login bash as the
// challenge's user, in their home, with GYM_* and SHELLGYM_ID set.
func (a *Attempt) ShellOptions() sandbox.ExecOptions {
	return ShellOptions(a.Challenge)
}

// ShellOptions is Attempt.ShellOptions for a challenge whose attempt is still
// being prepared. The shell waits for ReadyPath, so it may be started as soon
// as the sandbox is: its exec then overlaps the setup.
func ShellOptions(c *challenge.Challenge) sandbox.ExecOptions {
	a := &Attempt{Challenge: c}
	return sandbox.ExecOptions{
		Cmd:     []string{"bash", "-c", `until [ -e ` + ReadyPath + ` ]; do sleep 0.01; done; exec "$@"`, "shellgym-shell", "bash", "--login"},
		User:    a.user(),
		WorkDir: a.home(),
		Env:     append(a.env(), "SHELLGYM_ID="+a.Challenge.ID, "TERM=xterm-256color"),
	}
}

// Limit says which limit ended the attempt: "" when none, else "time
// limit", "memory limit", "pids limit" or "disk limit".
func (a *Attempt) Limit(ctx context.Context) string {
	a.mu.Lock()
	l := a.limit
	a.mu.Unlock()
	if l != "" {
		return l
	}
	st, err := a.Box.Status(ctx)
	if err != nil {
		return ""
	}
	switch {
	case st.DiskExceeded:
		return "disk limit"
	case st.OOMKilled:
		return "memory limit"
	case st.PidsLimitHit:
		return "pids limit"
	case st.DeadlinePassed:
		return "time limit"
	}
	return ""
}

func (a *Attempt) noteLimit(l string) {
	a.mu.Lock()
	a.limit = l
	a.mu.Unlock()
}

// Close removes the sandbox.
func (a *Attempt) Close(ctx context.Context) error {
	if err := a.Box.Remove(ctx); err != nil {
		return fmt.Errorf("remove sandbox: %w", err)
	}
	return nil
}

func (a *Attempt) user() string {
	if a.Challenge.User == challenge.RoleRoot {
		return "root"
	}
	return "student"
}

func (a *Attempt) uid() int {
	if a.Challenge.User == challenge.RoleRoot {
		return 0
	}
	return studentUID
}

func (a *Attempt) home() string {
	if a.Challenge.User == challenge.RoleRoot {
		return "/root"
	}
	return "/home/student"
}

// env is the learner's environment: who they are and the given params.
func (a *Attempt) env() []string {
	u := a.user()
	return append([]string{"HOME=" + a.home(), "USER=" + u, "LOGNAME=" + u}, a.Challenge.Env()...)
}
