package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/internal/progress"
	"github.com/shellgym/shellgym/internal/session"
)

// list marks solved challenges from the progress store. A corrupt store is
// backed up by progress.Solved and reported here, so it is never lost
// silently.
func init() {
	solvedIDs = func() map[string]bool {
		m, err := progress.Solved()
		if err != nil {
			fmt.Fprintf(os.Stderr, "shellgym: warning: %v\n", err)
		}
		return m
	}
}

// newPrompter returns the menus' Prompter on the factory's terminal, or
// false when standard input or output is not one.
var newPrompter = func(f *Factory) (session.Prompter, bool) {
	in, ok := terminalIn(f)
	out, isFile := f.Out.(*os.File)
	if !ok || !isFile || !isTerminal(out) {
		return nil, false
	}
	return session.NewSurvey(in, out, f.Err), true
}

// runPicker is shellgym without arguments: choose a challenge, then play it.
func runPicker(cmd *cobra.Command, f *Factory) error {
	p, ok := newPrompter(f)
	if !ok {
		return withHint(usageError{errors.New("the challenge picker needs a terminal")},
			"`shellgym list` shows the challenges, `shellgym play ID` plays one")
	}
	cat, err := f.Catalog()
	if err != nil {
		return err
	}
	solved, err := progress.Solved()
	var ce *progress.CorruptError
	if errors.As(err, &ce) {
		fmt.Fprintf(f.Err, "shellgym: warning: %v\n", ce)
	} else if err != nil {
		return err
	}
	defs := cat.All()
	if len(defs) == 0 {
		return errors.New("no challenges found")
	}
	labels, def := pickerOptions(defs, solved)
	i, err := p.Select("Pick a challenge (type to filter):", labels, def)
	if errors.Is(err, session.ErrAborted) {
		return nil
	}
	if err != nil {
		return err
	}
	return runPlay(cmd, f, &playOptions{}, defs[i].ID)
}

// pickerOptions labels each challenge with its category, difficulty and a
// mark when solved; defs come grouped by category. The default is the
// first unsolved challenge.
func pickerOptions(defs []*challenge.Definition, solved map[string]bool) ([]string, int) {
	width := 0
	for _, d := range defs {
		width = max(width, len(d.Category))
	}
	labels := make([]string, len(defs))
	first := -1
	for i, d := range defs {
		mark := " "
		if solved[d.ID] {
			mark = "✓"
		} else if first < 0 {
			first = i
		}
		labels[i] = fmt.Sprintf("%s %-*s  %-6s  %s (%s)", mark, width, d.Category, d.Difficulty, d.Title, d.ID)
	}
	return labels, max(first, 0)
}
