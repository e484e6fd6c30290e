package session

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/shellgym/shellgym/internal/attempt"
	"github.com/shellgym/shellgym/internal/check"
	"github.com/shellgym/shellgym/sandbox"
)

// Status marks the prompt shows.
const (
	markSolved  = "✓ solved"
	markTimeUp  = "⏰ time is up"
	warnPercent = 80
)

// liveShell is a login shell started in the container and attached to a
// relay, its output held back until the learner takes it: a shell started
// while the briefing is read is there the moment Enter is pressed.
type liveShell struct {
	relay  *relay
	gate   *gate
	user   string
	tok    string
	ctx    context.Context // ends the attach
	cancel context.CancelFunc
	done   chan error // Attach's result
}

// spawn starts the learner's shell in box, the current attempt's container
// or one whose setup is still running (the shell waits for it).
func (s *session) spawn(ctx context.Context, box *sandbox.Sandbox) (*liveShell, error) {
	tok := token()
	eo := attempt.ShellOptions(s.c)
	eo.Env = setEnv(eo.Env,
		"LANG=C.UTF-8",
		"TERM="+termName(),
		"SHELLGYM_ID="+s.c.ID,
		"SHELLGYM_TITLE="+s.c.Title,
		"SHELLGYM_SHELL="+tok,
	)
	r, err := newRelay(s.tty)
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	sh := &liveShell{relay: r, gate: &gate{out: s.out}, user: eo.User, tok: tok, ctx: sctx, cancel: cancel, done: make(chan error, 1)}
	go func() {
		_, err := box.Attach(sctx, sandbox.AttachOptions{ExecOptions: eo, In: r.slave, Out: sh.gate})
		sh.done <- err
	}()
	return sh, nil
}

// stop ends a shell the learner never took (quit at the briefing, reset).
func (sh *liveShell) stop() {
	sh.cancel()
	select {
	case <-sh.done:
	case <-time.After(2 * time.Second):
	}
	sh.relay.close()
}

// shell gives the learner a shell, spawned now unless one is waiting, until
// it exits, is ended at the time limit, or ctx is cancelled. Meanwhile the
// checks run in the background and the prompt's status file follows them.
func (s *session) shell(ctx context.Context) error {
	sh := s.live
	s.live = nil
	if sh == nil {
		var err error
		if sh, err = s.spawn(ctx, s.att.Box); err != nil {
			return err
		}
	}
	defer sh.cancel()
	defer sh.relay.close()
	if s.shellStart.IsZero() {
		s.shellStart = time.Now()
		// The attempt counts from here, so a killed session is still recorded.
		s.note(s.o.Progress != nil, func() error { return s.o.Progress.RecordStart(s.c.ID) })
	}
	state, err := term.MakeRaw(s.ctl)
	if err != nil {
		return fmt.Errorf("raw mode: %w", err)
	}
	restore := func() { term.Restore(s.ctl, state) }
	defer restore()
	sh.gate.open()
	sh.relay.startInput()

	watched := make(chan struct{})
	go func() {
		defer close(watched)
		s.watch(sh.ctx, sh.cancel, sh.user, sh.tok)
	}()
	defer func() { sh.cancel(); <-watched }()

	select {
	case err = <-sh.done:
	case <-sh.ctx.Done():
		// Give Attach a moment to return on its own, then leave it: the
		// container is about to be removed anyway.
		select {
		case err = <-sh.done:
		case <-time.After(2 * time.Second):
		}
	}
	sh.relay.close()
	restore()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil && sh.ctx.Err() == nil {
		return fmt.Errorf("attach to the shell: %w", err)
	}
	return nil
}

// gate holds a shell's output back until open, then passes it through.
type gate struct {
	mu     sync.Mutex
	out    io.Writer
	held   []byte
	opened bool
}

func (g *gate) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.opened {
		g.held = append(g.held, p...)
		return len(p), nil
	}
	return g.out.Write(p)
}

func (g *gate) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.opened = true
	if len(g.held) > 0 {
		g.out.Write(g.held)
		g.held = nil
	}
}

// watch re-runs the checks every CheckEvery and keeps the prompt's status
// file current; from 80% of the time limit it adds a warning, and at the
// limit it ends the shell from outside. It writes nothing to the terminal.
func (s *session) watch(ctx context.Context, endShell context.CancelFunc, user, tok string) {
	a := s.att
	var wg sync.WaitGroup
	defer wg.Wait()
	verdicts := make(chan bool)
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(s.o.CheckEvery):
			}
			if rs, err := a.Evaluate(ctx); err == nil {
				select {
				case verdicts <- check.AllPassed(rs):
				case <-ctx.Done():
					return
				}
			}
		}
	})

	deadline := time.NewTimer(max(s.timeLeft(), 0))
	defer deadline.Stop()
	clock := time.NewTicker(250 * time.Millisecond)
	defer clock.Stop()
	shown, solved := "", false
	show := func() {
		st := statusLine(solved, s.timeLeft(), s.c.TimeLimit)
		if st != shown && writeStatus(ctx, a.Box, st) == nil {
			shown = st
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case solved = <-verdicts:
			show()
		case <-clock.C:
			show()
		case <-deadline.C:
			writeStatus(ctx, a.Box, markTimeUp)
			if killShell(ctx, a.Box, user, tok) != nil {
				endShell()
				return
			}
			// Attach should now return; if it does not, stop waiting.
			select {
			case <-ctx.Done():
			case <-time.After(5 * time.Second):
				endShell()
			}
			return
		}
	}
}

// statusLine is what the prompt shows: a solved mark, and a warning once
// less than 20% of the time is left.
func statusLine(solved bool, left, limit time.Duration) string {
	st := ""
	if solved {
		st = markSolved
	}
	if left < limit*(100-warnPercent)/100 {
		if st != "" {
			st += " "
		}
		st += "⏰ " + leftText(left) + " left"
	}
	return st
}

func leftText(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	if d < time.Minute {
		return fmt.Sprintf("%ds", int((d+time.Second-1)/time.Second))
	}
	return fmt.Sprintf("%dm", int((d+time.Minute-1)/time.Minute))
}

// setEnv sets each KEY=value in env, replacing an earlier value: with
// duplicates, which one a program sees depends on how it reads them.
func setEnv(env []string, kvs ...string) []string {
	out := make([]string, 0, len(env)+len(kvs))
	set := map[string]bool{}
	for _, kv := range kvs {
		set[strings.SplitN(kv, "=", 2)[0]] = true
	}
	for _, kv := range env {
		if !set[strings.SplitN(kv, "=", 2)[0]] {
			out = append(out, kv)
		}
	}
	return append(out, kvs...)
}
