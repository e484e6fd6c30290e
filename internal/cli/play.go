package cli

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/internal/progress"
	"github.com/shellgym/shellgym/internal/session"
)

func init() { commands = append(commands, newPlayCmd) }

// playOptions are play's flags.
type playOptions struct {
	seed         int64
	seedSet      bool
	record       string
	saveSolution string
	// set is --set F, registered through playFlagHooks by the file that
	// implements sets.
	set string
}

// playFlagHooks add flags to play (--set lives with the sets code).
var playFlagHooks []func(cmd *cobra.Command, f *Factory, o *playOptions)

// resolvePlay finds the challenge to play. The sets code may replace it to
// honour --set.
var resolvePlay = func(cmd *cobra.Command, f *Factory, o *playOptions, id string) (*challenge.Definition, error) {
	cat, err := f.Catalog()
	if err != nil {
		return nil, err
	}
	def, err := cat.Get(id)
	if err != nil {
		return nil, usageError{err}
	}
	return def, nil
}

func newPlayCmd(f *Factory) *cobra.Command {
	o := &playOptions{}
	cmd := &cobra.Command{
		Use:   "play ID",
		Short: "Play one challenge in a throwaway container",
		Long: `Play one challenge: read the briefing while its container is prepared, press
Enter for a shell inside it, and type exit (or press Ctrl-D) to have your work
checked. When something is still wrong you may go back to the shell, take a hint,
reset the container, or see the solution.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{fmt.Errorf("play takes one challenge id, got %d", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.seedSet = cmd.Flags().Changed("seed")
			return runPlay(cmd, f, o, args[0])
		},
	}
	fl := cmd.Flags()
	fl.Int64Var(&o.seed, "seed", 0, "seed for the challenge's generated values (default: random)")
	fl.StringVar(&o.record, "record", "", "write an asciicast v2 recording of the session to `F.cast`")
	fl.StringVar(&o.saveSolution, "save-solution", "", "write the commands you typed to `DIR`/<id>.sh, for grading")
	for _, hook := range playFlagHooks {
		hook(cmd, f, o)
	}
	return cmd
}

// terminalIn returns standard input when it is a terminal.
func terminalIn(f *Factory) (*os.File, bool) {
	in, ok := f.In.(*os.File)
	return in, ok && term.IsTerminal(int(in.Fd()))
}

func isTerminal(w io.Writer) bool {
	out, ok := w.(*os.File)
	return ok && term.IsTerminal(int(out.Fd()))
}

var errNoTerminal = withHint(
	usageError{errors.New("play needs a terminal: standard input is not one")},
	"to check a solution script without a terminal, use `shellgym grade` (or `shellgym test` for a challenge's own solution)")

func runPlay(cmd *cobra.Command, f *Factory, o *playOptions, id string) error {
	in, ok := terminalIn(f)
	if !ok {
		return errNoTerminal
	}
	def, err := resolvePlay(cmd, f, o, id)
	if err != nil {
		return err
	}
	seed := o.seed
	if !o.seedSet {
		var b [8]byte
		rand.Read(b[:])
		seed = int64(binary.LittleEndian.Uint64(b[:]) >> 33) // short enough to retype
	}
	c, err := def.Render(seed)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	docker, err := f.Docker(ctx)
	if err != nil {
		return err
	}
	store, err := progress.Open()
	if err != nil {
		return err
	}
	warn := func(err error) { fmt.Fprintf(f.Err, "shellgym: warning: %v\n", err) }
	_, err = session.Run(ctx, session.Options{
		Challenge:    c,
		Engine:       docker,
		Terminal:     in,
		Out:          f.Out,
		Err:          f.Err,
		Progress:     warnCorrupt{store, warn},
		Warn:         warn,
		Record:       o.record,
		SaveSolution: o.saveSolution,
		Labels: map[string]string{
			"shellgym.command":   "play",
			"shellgym.challenge": c.ID,
			"shellgym.pid":       strconv.Itoa(os.Getpid()),
		},
		Styled: isTerminal(f.Out),
	})
	if errors.Is(err, session.ErrNotTerminal) {
		return errNoTerminal
	}
	if ctx.Err() != nil {
		return errInterrupted{ctx.Err()}
	}
	if err != nil {
		return err
	}
	if o.record != "" {
		fmt.Fprintf(f.Err, "Recording saved to %s (play it with `asciinema play %s`)\n", o.record, o.record)
	}
	return nil
}

// warnCorrupt records progress, turning a corrupt store (already backed up)
// into a warning.
type warnCorrupt struct {
	s    *progress.Store
	warn func(error)
}

func (w warnCorrupt) check(err error) error {
	var ce *progress.CorruptError
	if errors.As(err, &ce) {
		w.warn(ce)
		return nil
	}
	return err
}

func (w warnCorrupt) RecordStart(id string) error  { return w.check(w.s.RecordStart(id)) }
func (w warnCorrupt) RecordHint(id string) error   { return w.check(w.s.RecordHint(id)) }
func (w warnCorrupt) RecordReveal(id string) error { return w.check(w.s.RecordReveal(id)) }
func (w warnCorrupt) RecordSolve(id string, took time.Duration) error {
	return w.check(w.s.RecordSolve(id, took))
}

// errInterrupted reports a command ended by a signal (exit 130); Main
// removes the sandboxes it started on the way out.
type errInterrupted struct{ err error }

func (e errInterrupted) Error() string {
	return "interrupted: removing the containers this run started"
}
func (e errInterrupted) Unwrap() error { return e.err }
