package grade

import (
	"testing"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/internal/check"
)

func results(passed ...bool) []check.Result {
	var out []check.Result
	for _, p := range passed {
		out = append(out, check.Result{Passed: p})
	}
	return out
}

func TestPoints(t *testing.T) {
	for _, tc := range []struct {
		name    string
		max     int
		scoring string
		results []check.Result
		errored bool
		want    float64
	}{
		{"partial all pass", 10, challenge.ScoringPartial, results(true, true, true), false, 10},
		{"partial one of three", 10, challenge.ScoringPartial, results(true, false, false), false, 3.33},
		{"partial two of three", 10, challenge.ScoringPartial, results(true, true, false), false, 6.67},
		{"partial none", 10, challenge.ScoringPartial, results(false, false), false, 0},
		{"all, all pass", 10, challenge.ScoringAll, results(true, true), false, 10},
		{"all, one fails", 10, challenge.ScoringAll, results(true, false), false, 0},
		{"errored scores nothing", 10, challenge.ScoringPartial, results(true, true), true, 0},
	} {
		if got := Points(tc.max, tc.scoring, tc.results, tc.errored); got != tc.want {
			t.Errorf("%s: Points = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestTotalPassMark(t *testing.T) {
	for _, tc := range []struct {
		scores   []float64
		passMark int
		want     bool
	}{
		{[]float64{7, 0, 0}, 70, false}, // 7/30
		{[]float64{10, 10, 1}, 70, true},
		{[]float64{10, 10, 0.99}, 70, false}, // 20.99/30 = 69.97%
		{[]float64{10, 4, 7}, 70, true},      // exactly 70%
		{[]float64{0, 0, 0}, 0, true},
	} {
		r := &Report{}
		for _, s := range tc.scores {
			r.Challenges = append(r.Challenges, ChallengeResult{Score: s, MaxScore: 10})
		}
		r.Total(tc.passMark)
		if r.Passed != tc.want || r.MaxScore != 30 || r.PassMark != tc.passMark {
			t.Errorf("scores %v, pass mark %d: passed %v (max %v), want %v", tc.scores, tc.passMark, r.Passed, r.MaxScore, tc.want)
		}
	}
}

func TestLearnerFault(t *testing.T) {
	for err, want := range map[string]bool{
		NoSolution:                             true,
		"time limit: still running after 1m0s": true,
		"pids limit reached: more than 256":    true,
		"memory limit reached: out of memory":  true,
		"disk limit":                           true,
		"sandbox failure: lost the connection": false,
		"setup failure: setup failed: exit 1":  false,
		"read solution: permission denied":     false,
	} {
		if got := LearnerFault(err); got != want {
			t.Errorf("LearnerFault(%q) = %v, want %v", err, got, want)
		}
	}
	r := &Report{Challenges: []ChallengeResult{{ID: "a", Error: NoSolution}, {ID: "b", Error: "sandbox failure: gone"}}}
	if err := r.GraderError(); err == nil {
		t.Error("GraderError = nil for a sandbox failure: it would pass for a verdict")
	}
	r.Challenges = r.Challenges[:1]
	if err := r.GraderError(); err != nil {
		t.Errorf("GraderError = %v for a missing solution, want nil", err)
	}
}

func TestSeedFor(t *testing.T) {
	o := Options{Seed: 42, SeedSet: true}
	if seedFor(o, "a") != seedFor(o, "a") {
		t.Error("a fixed seed does not give a repeatable challenge seed")
	}
	if seedFor(o, "a") == seedFor(o, "b") {
		t.Error("two challenges share a seed")
	}
	if s := seedFor(Options{}, "a"); s < 0 || s >= 1<<31 {
		t.Errorf("random seed %d is not in [0, 2^31)", s)
	}
}
