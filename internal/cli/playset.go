package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/internal/progress"
)

// play --set F walks the set's challenges in order; play ID --set F plays
// one challenge of the set (which may be an instructor's folder that is not
// in the catalog). Everything is hooked in from here, so play.go stays as is.
func init() {
	playFlagHooks = append(playFlagHooks, addPlaySetFlag)
	byCatalog := resolvePlay
	resolvePlay = func(cmd *cobra.Command, f *Factory, o *playOptions, id string) (*challenge.Definition, error) {
		if o.set == "" {
			return byCatalog(cmd, f, o, id)
		}
		set, err := loadGradeSet(f, o.set)
		if err != nil {
			return nil, err
		}
		for _, e := range set.Entries {
			if e.Def.ID == id {
				return e.Def, nil
			}
		}
		return nil, usageError{fmt.Errorf("challenge %q is not in the set %s", id, o.set)}
	}
}

func addPlaySetFlag(cmd *cobra.Command, f *Factory, o *playOptions) {
	cmd.Flags().StringVar(&o.set, "set", "", "walk the challenges of the set file `F` in order (with ID: play that one of the set)")
	cmd.Use = "play [ID] [--set F]"
	args, run := cmd.Args, cmd.RunE
	cmd.Args = func(cmd *cobra.Command, a []string) error {
		if o.set != "" && len(a) == 0 {
			return nil
		}
		return args(cmd, a)
	}
	cmd.RunE = func(cmd *cobra.Command, a []string) error {
		if o.set != "" && len(a) == 0 {
			o.seedSet = cmd.Flags().Changed("seed")
			return playSet(cmd, f, o)
		}
		return run(cmd, a)
	}
}

// playSet plays the set's challenges in order, starting at the first one not
// yet solved, with the set's progress between them.
func playSet(cmd *cobra.Command, f *Factory, o *playOptions) error {
	file := o.set
	if _, ok := terminalIn(f); !ok {
		return errNoTerminal
	}
	set, err := loadGradeSet(f, file)
	if err != nil {
		return err
	}
	solved := solvedNow(f)
	next := 0
	for next < len(set.Entries) && solved[set.Entries[next].Def.ID] {
		next++
	}
	if next == len(set.Entries) {
		fmt.Fprint(f.Err, setProgress(set, solved))
		fmt.Fprintln(f.Err, "Every challenge of the set is solved. Play one again with `shellgym play ID --set "+file+"`.")
		return nil
	}
	for i := next; i < len(set.Entries); i++ {
		e := set.Entries[i]
		fmt.Fprint(f.Err, setProgress(set, solved))
		fmt.Fprintf(f.Err, "Next: [%d/%d] %s — %s (%d points). Press Enter to start, or q then Enter to stop. ",
			i+1, len(set.Entries), e.Def.ID, e.Def.Title, e.Points)
		if line := readLine(f.In); strings.HasPrefix(strings.TrimSpace(strings.ToLower(line)), "q") {
			return nil
		}
		if err := runPlay(cmd, f, o, e.Def.ID); err != nil {
			return err
		}
		solved = solvedNow(f)
	}
	fmt.Fprint(f.Err, setProgress(set, solved))
	return nil
}

// solvedNow reads which challenges the learner has solved; a store that
// cannot be read shows the set as unsolved rather than stopping play.
func solvedNow(f *Factory) map[string]bool {
	m, err := progress.Solved()
	var ce *progress.CorruptError
	if err != nil && !errors.As(err, &ce) {
		fmt.Fprintf(f.Err, "shellgym: warning: %v\n", err)
	}
	if m == nil {
		m = map[string]bool{}
	}
	return m
}

// setProgress is the set's title, a mark per challenge, and the points won.
func setProgress(set *challenge.Set, solved map[string]bool) string {
	var b strings.Builder
	won, n := 0, 0
	for _, e := range set.Entries {
		if solved[e.Def.ID] {
			won += e.Points
			n++
		}
	}
	max := set.MaxPoints()
	fmt.Fprintf(&b, "\n%s: %d of %d solved, %d/%d points (pass mark %d%%)\n", set.Title, n, len(set.Entries), won, max, set.PassMark)
	for i, e := range set.Entries {
		mark := "·"
		if solved[e.Def.ID] {
			mark = "✓"
		}
		fmt.Fprintf(&b, "  %s %d. %s (%d points)\n", mark, i+1, e.Def.ID, e.Points)
	}
	return b.String()
}

// readLine reads one line byte by byte, so nothing past it is taken from
// the terminal the next session reads.
func readLine(r io.Reader) string {
	var b strings.Builder
	buf := make([]byte, 1)
	for {
		n, err := r.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				return b.String()
			}
			b.WriteByte(buf[0])
		}
		if err != nil {
			return b.String()
		}
	}
}
