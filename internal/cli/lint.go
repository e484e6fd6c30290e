package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shellgym/shellgym/challenges"
	"github.com/shellgym/shellgym/internal/challenge"
)

func init() { commands = append(commands, newLintCmd) }

func newLintCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Validate challenge folders and set files, without Docker",
		Long: `Lint validates challenge folders, challenge.yaml files, set files, or trees
holding them; with no PATH, the built-in catalog and the --dir folders. Each
challenge is rendered with two seeds, so templated values are checked too.

Every problem is printed as path:line:col: message. The exit code is 0 when
everything is valid and 2 otherwise.`,
		Example: `  shellgym lint                          # the built-in catalog
  shellgym lint ./my-challenges          # a tree of challenge folders and set files
  shellgym lint week1.yaml               # a set file, and the ids it names`,
		RunE: func(cmd *cobra.Command, args []string) error {
			l := &linter{ids: map[string]string{}}
			// The catalog resolves `id:` entries of sets; its own problems
			// are reported only when it is what is being linted.
			l.catalog, _ = f.Catalog()
			if len(args) == 0 {
				l.builtin(challenges.FS)
				for _, dir := range f.Dirs {
					l.path(dir, true)
				}
			}
			for _, p := range args {
				l.path(p, false)
			}
			summary := fmt.Sprintf("%s, %s", plural(l.challenges, "challenge"), plural(l.sets, "set"))
			problems, _ := l.errs.Err().(challenge.ErrorList)
			if len(problems) == 0 {
				fmt.Fprintf(f.Err, "%s: ok\n", summary)
				return nil
			}
			for _, e := range problems {
				fmt.Fprintln(f.Out, e)
			}
			fmt.Fprintf(f.Err, "%s: %s\n", summary, plural(len(problems), "problem"))
			return exitError{ExitUsage}
		},
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

type linter struct {
	catalog    *challenge.Catalog
	errs       challenge.ErrorList
	ids        map[string]string // challenge id -> its challenge.yaml
	challenges int
	sets       int
}

func (l *linter) problem(file string, err error) {
	var list challenge.ErrorList
	var one *challenge.Error
	switch {
	case errors.As(err, &list):
		l.errs = append(l.errs, list...)
	case errors.As(err, &one):
		l.errs = append(l.errs, one)
	case err != nil:
		l.errs = append(l.errs, &challenge.Error{File: file, Msg: err.Error()})
	}
}

func (l *linter) builtin(fsys fs.FS) {
	dirs, err := challenge.FindFS(fsys, ".")
	l.problem("embedded", err)
	for _, dir := range dirs {
		l.challenge(fsys, dir, "embedded:"+dir)
	}
}

func (l *linter) challenge(fsys fs.FS, dir, display string) {
	l.challenges++
	def, err := challenge.Lint(fsys, dir, display)
	l.problem(display, err)
	if def == nil {
		return
	}
	if other, dup := l.ids[def.ID]; dup {
		l.errs = append(l.errs, &challenge.Error{File: def.Path, Line: 1, Col: 1,
			Msg: fmt.Sprintf("challenge id %q is already used by %s; rename one of the folders", def.ID, other)})
		return
	}
	l.ids[def.ID] = def.Path
}

func (l *linter) set(file string) {
	l.sets++
	_, err := challenge.LoadSet(file, l.catalog)
	l.problem(file, err)
}

// path lints a challenge folder, a challenge.yaml, a set file or a tree of
// them. A --dir holds challenges only: its YAML files are not taken as sets.
func (l *linter) path(p string, challengesOnly bool) {
	info, err := os.Stat(p)
	if err != nil {
		l.problem(p, errors.Unwrap(err))
		return
	}
	if !info.IsDir() {
		switch {
		case filepath.Base(p) == challenge.FileName:
			dir := filepath.Dir(p)
			l.challenge(os.DirFS(dir), ".", dir)
		case isYAML(p):
			l.set(p)
		default:
			l.problem(p, errors.New("not a challenge.yaml or a set file (.yaml)"))
		}
		return
	}
	found := 0
	err = filepath.WalkDir(p, func(q string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if q != p && strings.HasPrefix(e.Name(), ".") {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if e.IsDir() {
			if _, err := os.Stat(filepath.Join(q, challenge.FileName)); err == nil {
				found++
				l.challenge(os.DirFS(q), ".", q)
				return filepath.SkipDir
			}
			return nil
		}
		if !challengesOnly && isYAML(q) {
			found++
			l.set(q)
		}
		return nil
	})
	l.problem(p, err)
	if err == nil && found == 0 {
		l.problem(p, errors.New("holds no challenge folder or set file"))
	}
}

func isYAML(p string) bool {
	ext := filepath.Ext(p)
	return ext == ".yaml" || ext == ".yml"
}
