package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shellgym/shellgym/internal/attempt"
	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/internal/grade"
)

func init() { commands = append(commands, newTestCmd) }

func newTestCmd(f *Factory) *cobra.Command {
	var (
		all      bool
		parallel int
		asJSON   bool
	)
	cmd := &cobra.Command{
		Use:   "test [ID|PATH...]",
		Short: "Author tests: fresh state fails, the solution passes, every mistake fails its checks",
		Long: `Test proves challenges solvable and not trivially passed. For each challenge,
under two seeds that give different param values:

  - right after setup, at least one check must fail;
  - after the solution, every check must pass;
  - after each mistake, in a fresh sandbox, every check it names must fail.

Name challenges by id or by folder; --all tests the whole catalog; with
neither, the challenges of the --dir folders are tested. One line per
challenge goes to stderr as it finishes, then what failed, with the step, the
check and what was found. --json prints the report as JSON on stdout instead
(fields in docs/json.md).

Every challenge is validated first, as lint does: a broken one is reported
as path:line:col and nothing runs (exit 2). The exit code is 3 when any
challenge fails its tests.`,
		Example: `  shellgym test ssh-key-perms
  shellgym test ./my-challenges/backup-perms
  shellgym test --dir ./my-challenges          # every challenge of that folder
  shellgym test --all --parallel 4`,
		RunE: func(cmd *cobra.Command, args []string) error {
			defs, err := testTargets(f, args, all)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			eng, err := f.Docker(ctx)
			if err != nil {
				return err
			}
			if _, err := eng.EnsureImage(ctx, f.Err); err != nil {
				return err
			}
			rep := grade.Test(ctx, eng, defs, grade.TestOptions{
				Parallel: parallel,
				Progress: f.Err,
				Attempt: attempt.Options{Labels: map[string]string{
					"shellgym.command": "test",
					"shellgym.pid":     strconv.Itoa(os.Getpid()),
				}},
			})
			if err := ctx.Err(); err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(f.Out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else {
				printTestReport(f, rep)
			}
			if !rep.Passed {
				return exitError{ExitNotPassing}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "test every challenge of the catalog and the --dir folders")
	cmd.Flags().IntVar(&parallel, "parallel", grade.DefaultParallel(), "run `N` sandboxes at once")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON on stdout")
	return cmd
}

// testTargets resolves the command line to challenge definitions.
func testTargets(f *Factory, args []string, all bool) ([]*challenge.Definition, error) {
	if all && len(args) > 0 {
		return nil, usageError{errors.New("name challenges or pass --all, not both")}
	}
	cat, err := loadCatalog(f)
	if err != nil {
		return nil, err
	}
	var defs []*challenge.Definition
	switch {
	case all:
		defs = cat.All()
	case len(args) == 0 && len(f.Dirs) > 0:
		for _, d := range cat.All() {
			if !strings.HasPrefix(d.Dir, "embedded:") {
				defs = append(defs, d)
			}
		}
	case len(args) == 0:
		return nil, usageError{errors.New("name the challenges to test, or pass --all")}
	}
	for _, arg := range args {
		if isChallengeDir(arg) {
			abs, err := filepath.Abs(arg)
			if err != nil {
				return nil, err
			}
			d, err := challenge.Load(os.DirFS(filepath.Dir(abs)), filepath.Base(abs), arg)
			if err != nil {
				return nil, invalidInput(err, "`shellgym lint "+arg+"` lists every problem")
			}
			defs = append(defs, d)
			continue
		}
		d, err := cat.Get(arg)
		if err != nil {
			return nil, usageError{err}
		}
		defs = append(defs, d)
	}
	if len(defs) == 0 {
		return nil, usageError{errors.New("no challenges to test")}
	}
	if err := validateAll(defs); err != nil {
		return nil, err
	}
	return defs, nil
}

// validateAll loads each challenge in full and renders it with the seeds the
// author tests use first, so a broken challenge is reported at its line,
// before any sandbox starts, instead of as a failed test.
func validateAll(defs []*challenge.Definition) error {
	var problems challenge.ErrorList
	var broken []string
	for _, d := range defs {
		err := d.Validate()
		if err == nil {
			for _, seed := range []int64{1, 2} {
				if _, err = d.Render(seed); err != nil {
					break
				}
			}
		}
		var list challenge.ErrorList
		switch {
		case err == nil:
			continue
		case errors.As(err, &list):
			problems = append(problems, list...)
		default:
			problems = append(problems, &challenge.Error{File: d.Path, Msg: err.Error()})
		}
		if !strings.HasPrefix(d.Dir, "embedded:") {
			broken = append(broken, d.Dir)
		}
	}
	if err := problems.Err(); err != nil {
		return invalidInput(err, "`shellgym lint "+strings.Join(broken, " ")+"` lists every problem; fix them, then test again")
	}
	return nil
}

func isChallengeDir(p string) bool {
	if !strings.ContainsRune(p, filepath.Separator) && p != "." {
		return false
	}
	st, err := os.Stat(filepath.Join(p, challenge.FileName))
	return err == nil && st.Mode().IsRegular()
}

// printTestReport says what failed, step by step, and sums up.
func printTestReport(f *Factory, rep *grade.Report) {
	failed := 0
	for _, c := range rep.Challenges {
		if c.Passed {
			continue
		}
		failed++
		fmt.Fprintf(f.Out, "✗ %s\n", c.ID)
		if c.Error != "" {
			fmt.Fprintf(f.Out, "    error: %s\n", c.Error)
		}
		for _, s := range c.Checks {
			if !s.Passed {
				fmt.Fprintf(f.Out, "    %s: %s\n", s.Name, s.Message)
			}
		}
	}
	n := len(rep.Challenges)
	if failed == 0 {
		fmt.Fprintf(f.Err, "%s: all pass their author tests\n", plural(n, "challenge"))
		return
	}
	verb := "fail their"
	if failed == 1 {
		verb = "fails its"
	}
	fmt.Fprintf(f.Err, "%d of %s %s author tests\n", failed, plural(n, "challenge"), verb)
}
