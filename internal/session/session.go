// Package session is interactive play: the briefing while the container is
// prepared, the learner's terminal attached to a shell in it, live status
// in the prompt, the verdict when the shell ends, and the menu (back to the
// shell, hint, reset, solution, quit). It prints nothing while the learner's
// terminal is raw.
package session

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/shellgym/shellgym/internal/attempt"
	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/internal/check"
	"github.com/shellgym/shellgym/sandbox"
)

// Recorder keeps the learner's progress; *progress.Store implements it.
type Recorder interface {
	RecordStart(id string) error
	RecordHint(id string) error
	RecordReveal(id string) error
	RecordSolve(id string, took time.Duration) error
}

// Options configure one play session.
type Options struct {
	Challenge *challenge.Challenge
	Engine    attempt.Engine
	// Terminal is the learner's terminal (standard input); Run refuses
	// anything else with ErrNotTerminal.
	Terminal *os.File
	// Out is where the session writes: the terminal, usually standard output.
	Out io.Writer
	// Err gets status lines (preparing, building the image).
	Err io.Writer
	// Prompter asks the menu questions; nil means a Survey on the terminal.
	Prompter Prompter
	// Progress records attempts, hints, reveals and solves; nil records nothing.
	Progress Recorder
	// Warn reports a problem that does not stop the session (progress not
	// saved); nil drops it.
	Warn func(error)
	// Record is an asciicast v2 file to write the session to; "" for none.
	Record string
	// SaveSolution is a folder to write <id>.sh into, from the shell's
	// history; "" for none.
	SaveSolution string
	// Labels are added to the container's labels.
	Labels map[string]string
	// CheckEvery is how often the checks run while the learner works; 0
	// means 3s.
	CheckEvery time.Duration
	// Styled renders the briefing with glamour.
	Styled bool
}

// Result is how the session ended.
type Result struct {
	Solved   bool
	Took     time.Duration  // from the shell opening to the passing verdict
	Checks   []check.Result // the last verdict
	Revealed bool
	// SolutionPath is the script written for --save-solution.
	SolutionPath string
}

// ExtraLifetime is how long a container may outlive the challenge's time
// limit: the briefing, the verdict and the menus happen outside it.
const ExtraLifetime = 30 * time.Minute

type session struct {
	o      Options
	c      *challenge.Challenge
	tty    *tty
	ctl    int // the terminal descriptor for mode changes
	out    io.Writer
	prompt Prompter
	rec    *cast

	att        *attempt.Attempt
	live       *liveShell // a shell spawned ahead, not yet taken
	shellStart time.Time  // first shell of the current attempt
	seen       []bool     // hints shown
	last       []check.Result
	revealed   bool
}

// Run plays one session to its end: solved, quit, or ctx cancelled (then it
// returns ctx.Err() after restoring the terminal and removing the
// container).
func Run(ctx context.Context, o Options) (res *Result, err error) {
	if o.CheckEvery <= 0 {
		o.CheckEvery = 3 * time.Second
	}
	if o.Err == nil {
		o.Err = io.Discard
	}
	if o.Terminal == nil {
		return nil, ErrNotTerminal
	}
	t, err := openTTY(o.Terminal)
	if err != nil {
		return nil, err
	}
	// Terminal modes go through the caller's descriptor, which stays open
	// whatever happens to ours.
	ctl := int(o.Terminal.Fd())
	orig, err := term.GetState(ctl)
	if err != nil {
		t.Close()
		return nil, fmt.Errorf("read terminal state: %w", err)
	}
	defer func() {
		term.Restore(ctl, orig)
		t.Close()
	}()
	// A cancelled context (a signal) must end any read in progress.
	stop := context.AfterFunc(ctx, t.interrupt)
	defer stop()

	s := &session{o: o, c: o.Challenge, tty: t, ctl: ctl, out: o.Out, prompt: o.Prompter, seen: make([]bool, len(o.Challenge.Hints))}
	if s.prompt == nil {
		s.prompt = &Survey{In: t, Out: fdWriter{s, t.fd}, Err: o.Err}
	}
	if o.Record != "" {
		w, h := t.size()
		s.rec, err = createCast(o.Record, w, h, map[string]string{"SHELL": "/bin/bash", "TERM": termName()})
		if err != nil {
			return nil, err
		}
		s.out = io.MultiWriter(o.Out, s.rec)
		defer func() {
			if cerr := s.rec.Close(); cerr != nil && err == nil {
				err = cerr
			}
		}()
	}
	defer s.closeAttempt()
	return s.run(ctx)
}

// fdWriter lets the menus write through the recording while survey still
// finds the terminal's descriptor.
type fdWriter struct {
	s  *session
	fd uintptr
}

func (w fdWriter) Write(p []byte) (int, error) { return w.s.out.Write(p) }
func (w fdWriter) Fd() uintptr                 { return w.fd }

type prepared struct {
	a   *attempt.Attempt
	sh  *liveShell
	err error
}

// prepare starts a fresh attempt in the background. The prompt script rides
// with the setup files, and the shell is started as soon as the container
// runs, waiting for the setup to finish: Enter only has to show it, and even
// a learner who presses Enter at once waits for the setup alone.
func (s *session) prepare(ctx context.Context) <-chan prepared {
	ch := make(chan prepared, 1)
	go func() {
		var sh *liveShell
		var spawnErr error
		a, err := attempt.Prepare(ctx, s.o.Engine, s.c, attempt.Options{
			Progress:      s.o.Err,
			Labels:        s.o.Labels,
			ExtraLifetime: ExtraLifetime,
			Files:         shellRCFiles(),
			Started: func(b *sandbox.Sandbox) {
				sh, spawnErr = s.spawn(ctx, b)
			},
		})
		if err == nil {
			err = spawnErr
		}
		if err != nil {
			if sh != nil {
				sh.stop()
				sh = nil
			}
			if a != nil {
				a.Close(context.WithoutCancel(ctx))
				a = nil
			}
		}
		ch <- prepared{a, sh, err}
	}()
	return ch
}

// await waits for a background preparation, saying so when it is slow.
func (s *session) await(ctx context.Context, ch <-chan prepared) error {
	select {
	case p := <-ch:
		s.att, s.live, s.shellStart = p.a, p.sh, time.Time{}
		return p.err
	default:
	}
	fmt.Fprintln(s.o.Err, "Preparing the container…")
	select {
	case p := <-ch:
		s.att, s.live, s.shellStart = p.a, p.sh, time.Time{}
		return p.err
	case <-ctx.Done():
		go func() {
			if p := <-ch; p.a != nil {
				if p.sh != nil {
					p.sh.stop()
				}
				p.a.Close(context.Background())
			}
		}()
		return ctx.Err()
	}
}

func (s *session) closeAttempt() {
	if s.live != nil {
		s.live.stop()
		s.live = nil
	}
	if s.att == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	s.att.Close(ctx)
	s.att = nil
}

func (s *session) run(ctx context.Context) (*Result, error) {
	ready := s.prepare(ctx)
	w, _ := s.tty.size()
	fmt.Fprint(s.out, RenderMarkdown(briefingMarkdown(s.c), w, s.o.Styled))
	fmt.Fprint(s.out, "\nPress Enter to open the shell. ")
	ok, err := s.tty.waitEnter()
	if ctx.Err() != nil {
		s.await(ctx, ready)
		return nil, ctx.Err()
	}
	if err != nil || !ok {
		fmt.Fprintln(s.out)
		if aerr := s.await(context.WithoutCancel(ctx), ready); aerr != nil {
			return nil, aerr
		}
		return &Result{}, err
	}
	if err := s.await(ctx, ready); err != nil {
		return nil, err
	}
	for {
		if err := s.shell(ctx); err != nil {
			return nil, err
		}
		fmt.Fprintln(s.out, "\nChecking your work…")
		results, err := s.att.Evaluate(ctx)
		if err != nil {
			return nil, ctxOr(ctx, fmt.Errorf("check your work: %w", err))
		}
		s.last = results
		s.printVerdict(results)
		if check.AllPassed(results) {
			took := time.Since(s.shellStart).Round(time.Second)
			s.note(s.o.Progress != nil, func() error { return s.o.Progress.RecordSolve(s.c.ID, took) })
			fmt.Fprintf(s.out, "\n✓ Solved %s in %s.\n", s.c.ID, ShortDuration(took))
			res := &Result{Solved: true, Took: took, Checks: results, Revealed: s.revealed}
			res.SolutionPath = s.saveSolution(ctx)
			return res, nil
		}
		if lim := s.att.Limit(ctx); lim != "" {
			fmt.Fprintf(s.out, "\nThe %s was reached.\n", lim)
		}
		again, err := s.menu(ctx)
		if err != nil || !again {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			res := &Result{Checks: results, Revealed: s.revealed}
			res.SolutionPath = s.saveSolution(ctx)
			return res, err
		}
	}
}

// printVerdict shows each check with ✓ or ✗ and what is wrong.
func (s *session) printVerdict(results []check.Result) {
	passed := 0
	for _, r := range results {
		if r.Passed {
			passed++
			fmt.Fprintf(s.out, "  ✓ %s\n", r.Name)
			continue
		}
		fmt.Fprintf(s.out, "  ✗ %s: %s\n", r.Name, r.Message)
	}
	if passed < len(results) {
		fmt.Fprintf(s.out, "\nNot solved yet: %d of %d checks pass.\n", passed, len(results))
	}
}

// timeLeft is what remains of the current attempt's time limit.
func (s *session) timeLeft() time.Duration {
	if s.shellStart.IsZero() {
		return s.c.TimeLimit
	}
	return s.c.TimeLimit - time.Since(s.shellStart)
}

// Menu choices.
const (
	choiceBack     = "Back to the shell (same container, same state)"
	choiceHint     = "Show a hint"
	choiceReset    = "Reset: a fresh container, same challenge"
	choiceSolution = "Show the solution"
	choiceQuit     = "Quit"
)

// menu asks what next until the learner goes back to a shell (true) or
// quits (false).
func (s *session) menu(ctx context.Context) (bool, error) {
	for {
		var opts []string
		if s.timeLeft() > 0 {
			opts = append(opts, choiceBack)
		} else {
			fmt.Fprintln(s.out, "\nTime is up for this container; reset to try again.")
		}
		opts = append(opts, choiceHint, choiceReset, choiceSolution, choiceQuit)
		fmt.Fprintln(s.out)
		i, err := s.prompt.Select("What next?", opts, 0)
		if errors.Is(err, ErrAborted) || ctx.Err() != nil {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		switch opts[i] {
		case choiceBack:
			return true, nil
		case choiceHint:
			s.showHint()
		case choiceReset:
			fmt.Fprintln(s.out, "Removing this container and preparing a fresh one…")
			s.closeAttempt()
			if err := s.await(ctx, s.prepare(ctx)); err != nil {
				return false, err
			}
			return true, nil
		case choiceSolution:
			s.revealed = true
			s.note(s.o.Progress != nil, func() error { return s.o.Progress.RecordReveal(s.c.ID) })
			fmt.Fprintf(s.out, "\nA solution:\n\n%s\n", indent(s.c.Solution))
		case choiceQuit:
			return false, nil
		}
	}
}

func (s *session) showHint() {
	i := nextHint(s.c.Hints, s.seen, s.last)
	if i < 0 {
		if len(s.c.Hints) == 0 {
			fmt.Fprintln(s.out, "\nThis challenge has no hints.")
			return
		}
		fmt.Fprintln(s.out, "\nYou have seen every hint:")
		for _, h := range s.c.Hints {
			fmt.Fprintf(s.out, "  • %s\n", h.Text)
		}
		return
	}
	s.seen[i] = true
	s.note(s.o.Progress != nil, func() error { return s.o.Progress.RecordHint(s.c.ID) })
	fmt.Fprintf(s.out, "\nHint: %s\n", s.c.Hints[i].Text)
}

// saveSolution writes the shell's history as a script when asked; it
// reports problems through Warn.
func (s *session) saveSolution(ctx context.Context) string {
	if s.o.SaveSolution == "" || s.att == nil {
		return ""
	}
	home := s.att.ShellOptions().WorkDir
	if home == "" {
		home = "/home/student"
		if s.c.User == challenge.RoleRoot {
			home = "/root"
		}
	}
	files, err := s.att.Box.ReadFiles(context.WithoutCancel(ctx), []string{home + "/.bash_history"}, 1<<20)
	if err != nil {
		s.warn(fmt.Errorf("save solution: read the shell history: %w", err))
		return ""
	}
	var hist []byte
	if len(files) == 1 {
		hist = files[0].Content
	}
	path, err := writeSolution(s.o.SaveSolution, s.c.ID, solutionScript(s.c.ID, hist))
	if err != nil {
		s.warn(err)
		return ""
	}
	fmt.Fprintf(s.out, "Your commands were saved to %s\n", path)
	return path
}

func (s *session) note(enabled bool, fn func() error) {
	if enabled {
		if err := fn(); err != nil {
			s.warn(err)
		}
	}
}

func (s *session) warn(err error) {
	if s.o.Warn != nil {
		s.o.Warn(err)
	}
}

func ctxOr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

func indent(text string) string {
	var out []byte
	start := true
	for _, c := range []byte(text) {
		if start && c != '\n' {
			out = append(out, "    "...)
		}
		out = append(out, c)
		start = c == '\n'
	}
	return string(out)
}

func token() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func termName() string {
	if t := os.Getenv("TERM"); t != "" && t != "dumb" {
		return t
	}
	return "xterm-256color"
}
