package grade

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/shellgym/shellgym/internal/attempt"
	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/internal/check"
)

// TestOptions tune Test.
type TestOptions struct {
	Parallel int       // sandboxes at once; < 1 = DefaultParallel
	Progress io.Writer // one line per challenge as it finishes; nil = none
	Attempt  attempt.Options
}

// Test runs the author tests of each challenge under two seeds that give
// different param values (when the challenge has params): after setup at
// least one check fails; after the solution every check passes; after each
// mistake, in a fresh sandbox, every check it names fails. Each of those is
// one step, reported as a check.Result whose message names the seed, the
// step, the check and what was found. A challenge passes when every step
// does. Sandboxes run in parallel, each (seed, script) in its own.
func Test(ctx context.Context, eng attempt.Engine, defs []*challenge.Definition, o TestOptions) *Report {
	rep := &Report{Title: "author tests", Started: time.Now(), Challenges: make([]ChallengeResult, len(defs))}
	type job struct {
		ci      int
		seed    int64
		c       *challenge.Challenge
		mistake int // -1 = fresh state and solution
		slot    int // index of its step in the challenge's steps
	}
	var jobs []job
	steps := make([][]check.Result, len(defs))
	errs := make([][]string, len(defs))
	left := make([]int, len(defs))
	starts := make([]time.Time, len(defs))
	for ci, def := range defs {
		rep.Challenges[ci].ID = def.ID
		seeds, cs, err := twoSeeds(def)
		if err != nil {
			errs[ci] = append(errs[ci], err.Error())
			continue
		}
		rep.Challenges[ci].Seed = seeds[0]
		for si, c := range cs {
			jobs = append(jobs, job{ci: ci, seed: seeds[si], c: c, mistake: -1, slot: len(steps[ci])})
			steps[ci] = append(steps[ci], check.Result{}, check.Result{})
			for mi := range c.Mistakes {
				jobs = append(jobs, job{ci: ci, seed: seeds[si], c: c, mistake: mi, slot: len(steps[ci])})
				steps[ci] = append(steps[ci], check.Result{})
			}
		}
		left[ci] = len(cs) * (1 + len(cs[0].Mistakes))
	}
	o.Attempt.Reveal = true
	var mu sync.Mutex
	finish := func(ci int) {
		r := &rep.Challenges[ci]
		r.Checks = steps[ci]
		for _, s := range r.Checks {
			r.MaxScore++
			if s.Passed {
				r.Score++
			}
		}
		r.Error = strings.Join(errs[ci], "; ")
		r.Passed = r.Error == "" && r.Score == r.MaxScore && r.MaxScore > 0
		if !starts[ci].IsZero() {
			r.DurationMS = time.Since(starts[ci]).Milliseconds()
		}
		if o.Progress != nil {
			mark := "✓"
			if !r.Passed {
				mark = "✗"
			}
			fmt.Fprintf(o.Progress, "%s %s  %s\n", mark, r.ID, (time.Duration(r.DurationMS) * time.Millisecond).Round(100*time.Millisecond))
		}
	}
	for ci := range defs {
		if left[ci] == 0 {
			finish(ci)
		}
	}
	Run(ctx, len(jobs), o.Parallel, func(ctx context.Context, i int) {
		j := jobs[i]
		mu.Lock()
		if starts[j.ci].IsZero() {
			starts[j.ci] = time.Now()
		}
		mu.Unlock()
		var res []check.Result
		var err error
		if j.mistake < 0 {
			res, err = testSolution(ctx, eng, j.c, j.seed, o.Attempt)
		} else {
			var r check.Result
			r, err = testMistake(ctx, eng, j.c, j.seed, j.c.Mistakes[j.mistake], o.Attempt)
			res = []check.Result{r}
		}
		mu.Lock()
		defer mu.Unlock()
		copy(steps[j.ci][j.slot:], res)
		if err != nil {
			errs[j.ci] = append(errs[j.ci], err.Error())
		}
		if left[j.ci]--; left[j.ci] == 0 {
			finish(j.ci)
		}
	})
	// Steps a cancelled run never started stay unjudged.
	for ci := range defs {
		if left[ci] > 0 {
			rep.Challenges[ci].Checks = steps[ci]
			rep.Challenges[ci].Error = "not run: " + context.Cause(ctx).Error()
			for si := range rep.Challenges[ci].Checks {
				if rep.Challenges[ci].Checks[si].Name == "" {
					rep.Challenges[ci].Checks[si] = check.Result{Name: "not run", Message: "the run was interrupted"}
				}
			}
		}
	}
	rep.Passed = len(defs) > 0
	for _, c := range rep.Challenges {
		rep.Score += c.Score
		rep.MaxScore += c.MaxScore
		rep.Passed = rep.Passed && c.Passed
	}
	rep.DurationMS = time.Since(rep.Started).Milliseconds()
	return rep
}

// twoSeeds renders def under seed 1 and under the first later seed whose
// param values differ, so a solution that hard-codes one attempt's answer
// fails the other.
func twoSeeds(def *challenge.Definition) ([]int64, []*challenge.Challenge, error) {
	first, err := def.Render(1)
	if err != nil {
		return nil, nil, fmt.Errorf("render seed 1: %w", err)
	}
	seed := int64(2)
	for s := int64(2); s < 64 && len(first.Values) > 0; s++ {
		c, err := def.Render(s)
		if err != nil {
			return nil, nil, fmt.Errorf("render seed %d: %w", s, err)
		}
		if !maps.Equal(c.Values, first.Values) {
			return []int64{1, s}, []*challenge.Challenge{first, c}, nil
		}
	}
	second, err := def.Render(seed)
	if err != nil {
		return nil, nil, fmt.Errorf("render seed %d: %w", seed, err)
	}
	return []int64{1, seed}, []*challenge.Challenge{first, second}, nil
}

func prepareFor(ctx context.Context, eng attempt.Engine, c *challenge.Challenge, o attempt.Options) (*attempt.Attempt, error) {
	a, err := attempt.Prepare(ctx, eng, c, o)
	if err != nil {
		if errors.Is(err, attempt.ErrSetup) {
			return nil, err
		}
		return nil, fmt.Errorf("sandbox failure: %w", err)
	}
	return a, nil
}

func closeAttempt(ctx context.Context, a *attempt.Attempt) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	a.Close(ctx)
}

// testSolution judges the fresh state and the solution in one sandbox: two
// steps.
func testSolution(ctx context.Context, eng attempt.Engine, c *challenge.Challenge, seed int64, o attempt.Options) ([]check.Result, error) {
	fresh := check.Result{Name: fmt.Sprintf("seed %d: fresh state fails a check", seed)}
	solved := check.Result{Name: fmt.Sprintf("seed %d: solution passes every check", seed)}
	a, err := prepareFor(ctx, eng, c, o)
	if err != nil {
		fresh.Message = fmt.Sprintf("setup: %v", err)
		solved.Message = "not run: setup failed"
		return []check.Result{fresh, solved}, err
	}
	defer closeAttempt(ctx, a)
	rs, err := a.Evaluate(ctx)
	if err != nil {
		fresh.Message = fmt.Sprintf("evaluate: %v", err)
		solved.Message = "not run: evaluation failed"
		return []check.Result{fresh, solved}, fmt.Errorf("sandbox failure: %w", err)
	}
	if check.AllPassed(rs) {
		fresh.Message = "after setup every check already passes: there is nothing for the learner to do"
	} else {
		fresh.Passed = true
	}
	solved.Passed, solved.Message, err = afterScript(ctx, a, "solution", c.Solution, func(rs []check.Result) []string {
		var bad []string
		for _, r := range rs {
			if !r.Passed {
				bad = append(bad, fmt.Sprintf("check %q fails: %s", r.Name, r.Message))
			}
		}
		return bad
	})
	return []check.Result{fresh, solved}, err
}

// testMistake judges one mistake in a fresh sandbox: every check it names
// must fail.
func testMistake(ctx context.Context, eng attempt.Engine, c *challenge.Challenge, seed int64, m challenge.Mistake, o attempt.Options) (check.Result, error) {
	r := check.Result{Name: fmt.Sprintf("seed %d: mistake %q fails %s", seed, m.Name, quoteList(m.Fails))}
	a, err := prepareFor(ctx, eng, c, o)
	if err != nil {
		r.Message = fmt.Sprintf("setup: %v", err)
		return r, err
	}
	defer closeAttempt(ctx, a)
	r.Passed, r.Message, err = afterScript(ctx, a, "mistake", m.Script, func(rs []check.Result) []string {
		byName := map[string]check.Result{}
		for _, x := range rs {
			byName[x.Name] = x
		}
		var bad []string
		for _, name := range m.Fails {
			x, ok := byName[name]
			switch {
			case !ok:
				bad = append(bad, fmt.Sprintf("there is no check %q", name))
			case x.Passed:
				bad = append(bad, fmt.Sprintf("check %q passes after this mistake", name))
			}
		}
		return bad
	})
	return r, err
}

// afterScript runs a script as the learner, evaluates, and asks judge what
// is wrong with the results; it returns the step's verdict and message.
func afterScript(ctx context.Context, a *attempt.Attempt, what, script string, judge func([]check.Result) []string) (bool, string, error) {
	res, err := a.RunScript(ctx, script)
	if err != nil && res == nil {
		return false, fmt.Sprintf("%s: %v", what, err), fmt.Errorf("sandbox failure: %w", err)
	}
	var notes []string
	if limit := a.Limit(ctx); limit != "" {
		notes = append(notes, fmt.Sprintf("the %s hit the %s", what, limit))
	}
	rs, err := a.Evaluate(ctx)
	if err != nil {
		return false, fmt.Sprintf("evaluate after the %s: %v", what, err), fmt.Errorf("sandbox failure: %w", err)
	}
	bad := judge(rs)
	if len(bad) == 0 {
		return true, "", nil
	}
	if res.ExitCode != 0 {
		notes = append(notes, fmt.Sprintf("the %s exited with status %d%s", what, res.ExitCode, stderrTail(res.Stderr)))
	}
	return false, strings.Join(append(bad, notes...), "; "), nil
}

func stderrTail(b []byte) string {
	s := strings.TrimSpace(string(b))
	if s == "" {
		return ""
	}
	if len(s) > 300 {
		s = "..." + s[len(s)-300:]
	}
	return ": " + s
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
