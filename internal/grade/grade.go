package grade

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/shellgym/shellgym/internal/attempt"
	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/internal/check"
	"github.com/shellgym/shellgym/sandbox"
)

// Errors of a challenge that could not be judged normally. The learner is
// answerable for NoSolution and for the limits (see LearnerFault); anything
// else is a failure of the grader, its sandbox or the challenge.
const (
	NoSolution     = "no solution"
	SandboxFailure = "sandbox failure"
	SetupFailure   = "setup failure"
)

// limits are the prefixes of the errors attempt.Limit names.
var limits = []string{"time limit", "memory limit", "pids limit", "disk limit"}

// LearnerFault reports whether a challenge error is the learner's doing (no
// solution, a limit hit): a failed test rather than a grader error.
func LearnerFault(err string) bool {
	if err == NoSolution {
		return true
	}
	for _, l := range limits {
		if strings.HasPrefix(err, l) {
			return true
		}
	}
	return false
}

// GraderError reports whether any challenge of r could not be judged for a
// reason that is not the learner's (a sandbox or setup failure): such a
// report must not be taken for a verdict.
func (r *Report) GraderError() error {
	var bad []string
	for _, c := range r.Challenges {
		if c.Error != "" && !LearnerFault(c.Error) {
			bad = append(bad, c.ID+": "+c.Error)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d challenges could not be graded: %s", len(bad), len(r.Challenges), strings.Join(bad, "; "))
}

// Options tune Set.
type Options struct {
	// Solutions is the folder holding <id>.sh for each challenge.
	Solutions string
	// Parallel is how many challenges are graded at once; 0 = the number
	// of CPUs.
	Parallel int
	// Seed, when SeedSet, makes every challenge's seed a function of it
	// and the challenge id, so a run can be repeated; otherwise each
	// challenge gets a random seed. Either way the report records it.
	Seed    int64
	SeedSet bool
	// Progress receives one line per challenge as it starts and ends;
	// nil = discard.
	Progress io.Writer
	// Labels are added to every sandbox's labels.
	Labels map[string]string
}

// Set grades the solutions in o.Solutions against every challenge of set,
// each in a fresh sandbox with a fresh seed, up to o.Parallel at a time, and
// returns the report in the set's order. A challenge that cannot be judged
// carries an Error in the report (see LearnerFault and GraderError); the
// returned error is non-nil only when grading could not run at all (no
// image, ctx cancelled).
func Set(ctx context.Context, eng attempt.Engine, set *challenge.Set, o Options) (*Report, error) {
	progress := o.Progress
	if progress == nil {
		progress = io.Discard
	}
	pw := &lockedWriter{w: progress}
	start := time.Now()
	if _, err := eng.EnsureImage(ctx, pw); err != nil {
		return nil, err
	}
	n := o.Parallel
	if n < 1 {
		n = DefaultParallel()
	}
	fmt.Fprintf(pw, "grading %d challenges of %q, %d at a time\n", len(set.Entries), set.Title, n)
	r := &Report{Title: set.Title, Started: start, Challenges: make([]ChallengeResult, len(set.Entries))}
	var done int
	var mu sync.Mutex
	Run(ctx, len(set.Entries), n, func(ctx context.Context, i int) {
		e := set.Entries[i]
		res := one(ctx, eng, e, set.Scoring, seedFor(o, e.Def.ID), o)
		r.Challenges[i] = res
		mu.Lock()
		done++
		fmt.Fprintf(pw, "[%d/%d] %s\n", done, len(set.Entries), progressLine(res))
		mu.Unlock()
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.DurationMS = time.Since(start).Milliseconds()
	r.Total(set.PassMark)
	return r, nil
}

// one grades the solution for one set entry.
func one(ctx context.Context, eng attempt.Engine, e challenge.SetEntry, scoring string, seed int64, o Options) (res ChallengeResult) {
	start := time.Now()
	res = ChallengeResult{ID: e.Def.ID, MaxScore: float64(e.Points), Seed: seed, Checks: []check.Result{}}
	// Deferred first, so it runs last: the duration includes removal.
	defer func() { res.DurationMS = time.Since(start).Milliseconds() }()
	fail := func(msg string) ChallengeResult {
		res.Error = msg
		return res
	}
	script, err := os.ReadFile(filepath.Join(o.Solutions, e.Def.ID+".sh"))
	if errors.Is(err, os.ErrNotExist) {
		return fail(NoSolution)
	}
	if err != nil {
		return fail(fmt.Sprintf("read solution: %v", err))
	}
	c, err := e.Def.Render(seed)
	if err != nil {
		return fail(fmt.Sprintf("%s: render: %v", SetupFailure, err))
	}
	labels := map[string]string{"shellgym.command": "grade"}
	for k, v := range o.Labels {
		labels[k] = v
	}
	a, err := attempt.Prepare(ctx, eng, c, attempt.Options{Labels: labels})
	if err != nil {
		if errors.Is(err, attempt.ErrSetup) {
			return fail(fmt.Sprintf("%s: %v", SetupFailure, err))
		}
		return fail(fmt.Sprintf("%s: %v", SandboxFailure, err))
	}
	defer func() {
		// The removal must happen even when ctx was cancelled.
		rmCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		a.Close(rmCtx)
	}()
	run, err := a.RunScript(ctx, string(script))
	var le *sandbox.LimitError
	switch {
	case errors.As(err, &le):
		return fail(le.Error())
	case err != nil:
		return fail(fmt.Sprintf("%s: %v", SandboxFailure, err))
	}
	if run.TimedOut {
		return fail(fmt.Sprintf("time limit: still running after %s", c.TimeLimit))
	}
	if l := a.Limit(ctx); l != "" {
		return fail(l)
	}
	results, err := a.Evaluate(ctx)
	if err != nil {
		return fail(fmt.Sprintf("%s: evaluate: %v", SandboxFailure, err))
	}
	res.Checks = results
	res.Passed = check.AllPassed(results)
	res.Score = Points(e.Points, scoring, results, false)
	return res
}

// seedFor is a challenge's seed: random, or derived from o.Seed and the id.
// Seeds are kept below 2^31 so they are short enough to retype into
// `shellgym play --seed`.
func seedFor(o Options, id string) int64 {
	if !o.SeedSet {
		var b [8]byte
		rand.Read(b[:])
		return int64(binary.LittleEndian.Uint64(b[:]) >> 33)
	}
	h := fnv.New64a()
	binary.Write(h, binary.LittleEndian, o.Seed)
	io.WriteString(h, id)
	return int64(h.Sum64() >> 33)
}

func progressLine(c ChallengeResult) string {
	verdict := "failed"
	switch {
	case c.Error != "":
		verdict = c.Error
	case c.Passed:
		verdict = "passed"
	}
	return fmt.Sprintf("%s: %s, %s/%s points (%s s)", c.ID, oneLine(capText(verdict, 200)), points(c.Score), points(c.MaxScore), seconds(c.DurationMS))
}

// lockedWriter serialises writes from parallel workers.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
