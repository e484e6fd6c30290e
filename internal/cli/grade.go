package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/internal/grade"
)

func init() { commands = append(commands, newGradeCmd) }

// reportTarget is one --report FORMAT[=PATH]; Path "" or "-" is stdout.
type reportTarget struct{ Format, Path string }

func (t reportTarget) stdout() bool { return t.Path == "" || t.Path == "-" }

// parseReports checks every --report value before anything runs.
func parseReports(values []string) ([]reportTarget, error) {
	var out []reportTarget
	stdout := 0
	for _, v := range values {
		format, path, _ := strings.Cut(v, "=")
		if !grade.ValidFormat(format) {
			return nil, usageError{fmt.Errorf("--report %s: unknown format %q (want one of %s)", v, format, strings.Join(grade.Formats, ", "))}
		}
		t := reportTarget{format, path}
		if t.stdout() {
			stdout++
		}
		out = append(out, t)
	}
	if stdout > 1 {
		return nil, usageError{errors.New("--report: only one report can go to standard output; give the others a path (FORMAT=PATH)")}
	}
	return out, nil
}

func newGradeCmd(f *Factory) *cobra.Command {
	var (
		setFile, solutions string
		parallel           int
		reports            []string
		seed               int64
	)
	cmd := &cobra.Command{
		Use:   "grade --set F --solutions DIR",
		Short: "Grade solution scripts against a set, headlessly, and write reports",
		Long: `Grade runs DIR/<id>.sh for every challenge of the set, as the learner, each in a
fresh sandbox with fresh param values and under the challenge's time limit, then
checks the sandbox's state. A missing script scores 0 ("no solution"), so does
one that hits the time limit or a resource limit (processes, memory, disk).

Points are split evenly over a challenge's checks, or given only when every
check passes with "scoring: all" in the set. The set passes when the score
reaches its pass_mark percent.

Progress and a summary table go to stderr. Reports (repeatable --report):
json, junit, markdown, tap and gradescope, each written to PATH, or to stdout
without a path or with "-". Their fields are documented in docs/ci.md.

Exit code: 0 passed, 3 not passed, 1 when a challenge could not be graded for
a reason that is not the learner's (the sandbox failed), 2 on bad usage or an
invalid set file.`,
		Example: `  shellgym grade --set week1.yaml --solutions ./student
  shellgym grade --set week1.yaml --solutions ./student --report junit=out/junit.xml --report markdown=-
  shellgym grade --dir ./extra --set week1.yaml --solutions ./student --report json=grade.json --seed 42`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := gradeFlagsGiven(setFile, solutions); err != nil {
				return err
			}
			targets, err := parseReports(reports)
			if err != nil {
				return err
			}
			if st, err := os.Stat(solutions); err != nil || !st.IsDir() {
				return usageError{fmt.Errorf("--solutions %s: not a folder", solutions)}
			}
			set, err := loadGradeSet(f, setFile)
			if err != nil {
				return err
			}
			if err := prepareReports(targets); err != nil {
				return err
			}
			ctx := cmd.Context()
			eng, err := f.Docker(ctx)
			if err != nil {
				return err
			}
			r, err := grade.Set(ctx, eng, set, grade.Options{
				Solutions: solutions,
				Parallel:  parallel,
				Seed:      seed,
				SeedSet:   cmd.Flags().Changed("seed"),
				Progress:  f.Err,
				Labels: map[string]string{
					"shellgym.command": "grade",
					"shellgym.pid":     strconv.Itoa(os.Getpid()),
				},
			})
			if err != nil {
				return err
			}
			fmt.Fprintln(f.Err)
			grade.WriteSummary(f.Err, r)
			for _, t := range targets {
				if err := writeReport(f, t, r); err != nil {
					return err
				}
			}
			if err := r.GraderError(); err != nil {
				return withHint(err, "the report marks them as errors, not as the learner's failures; `shellgym doctor` checks Docker, then grade again")
			}
			if !r.Passed {
				return exitError{ExitNotPassing}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&setFile, "set", "", "grade against the set file `F` (required)")
	fl.StringVar(&solutions, "solutions", "", "run `DIR`/<id>.sh for each challenge (required)")
	fl.IntVar(&parallel, "parallel", grade.DefaultParallel(), "grade `N` challenges at once")
	fl.StringArrayVar(&reports, "report", nil, "write a report `FORMAT[=PATH]`: FORMAT is json, junit, markdown, tap or gradescope; PATH a file, or - or nothing for stdout (repeatable)")
	fl.Int64Var(&seed, "seed", 0, "derive every challenge's seed from `N`, to repeat a run (default: random seeds)")
	return cmd
}

// gradeFlagsGiven names the required flags that are missing.
func gradeFlagsGiven(setFile, solutions string) error {
	var missing []string
	if setFile == "" {
		missing = append(missing, "--set F")
	}
	if solutions == "" {
		missing = append(missing, "--solutions DIR")
	}
	if len(missing) == 0 {
		return nil
	}
	return withHint(usageError{fmt.Errorf("grade needs %s", strings.Join(missing, " and "))},
		"for example: shellgym grade --set week1.yaml --solutions ./student (a folder of <id>.sh)")
}

// prepareReports makes each report file's folder and checks it can be
// written, so that a typo in a path fails before grading, not after it.
func prepareReports(targets []reportTarget) error {
	for _, t := range targets {
		if t.stdout() {
			continue
		}
		if st, err := os.Stat(t.Path); err == nil && st.IsDir() {
			return usageError{fmt.Errorf("--report %s=%s: %s is a folder; name a file", t.Format, t.Path, t.Path)}
		}
		if dir := filepath.Dir(t.Path); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("--report %s=%s: %w", t.Format, t.Path, err)
			}
		}
	}
	return nil
}

// loadGradeSet loads the set file; a bad one is invalid input (exit 2), its
// problems named file:line:col.
func loadGradeSet(f *Factory, file string) (*challenge.Set, error) {
	cat, err := loadCatalog(f)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(file); err != nil {
		return nil, usageError{fmt.Errorf("--set %s: %w", file, errors.Unwrap(err))}
	}
	set, err := challenge.LoadSet(file, cat)
	if err != nil {
		return nil, invalidInput(err, "`shellgym lint "+file+"` lists every problem of the set and its challenges")
	}
	defs := make([]*challenge.Definition, len(set.Entries))
	for i, e := range set.Entries {
		defs[i] = e.Def
	}
	if err := validateAll(defs); err != nil {
		return nil, err
	}
	return set, nil
}

// writeReport writes one report to its file, or to stdout.
func writeReport(f *Factory, t reportTarget, r *grade.Report) error {
	if t.stdout() {
		return grade.Write(f.Out, t.Format, r)
	}
	if dir := filepath.Dir(t.Path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("report %s: %w", t.Path, err)
		}
	}
	file, err := os.Create(t.Path)
	if err != nil {
		return fmt.Errorf("report %s: %w", t.Path, err)
	}
	if err := grade.Write(file, t.Format, r); err != nil {
		file.Close()
		return fmt.Errorf("report %s: %w", t.Path, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("report %s: %w", t.Path, err)
	}
	fmt.Fprintf(f.Err, "wrote %s report to %s\n", t.Format, t.Path)
	return nil
}
