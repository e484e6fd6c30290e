package grade

import (
	"math"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/internal/check"
)

// Points is what a challenge worth max points earns with these check
// results under the set's scoring: partial splits the points evenly over the
// checks, all gives them only when every check passes. A challenge that
// could not be judged normally (errored) earns nothing. Scores are rounded
// to hundredths.
func Points(max int, scoring string, results []check.Result, errored bool) float64 {
	if errored || max <= 0 {
		return 0
	}
	passed := 0
	for _, r := range results {
		if r.Passed {
			passed++
		}
	}
	if passed == len(results) {
		return float64(max)
	}
	if scoring == challenge.ScoringAll {
		return 0
	}
	return round2(float64(max) * float64(passed) / float64(len(results)))
}

// Total sums the challenges' scores into r and decides r.Passed: the score
// reaches passMark percent of the maximum.
func (r *Report) Total(passMark int) {
	var score, max float64
	for _, c := range r.Challenges {
		score += c.Score
		max += c.MaxScore
	}
	r.Score, r.MaxScore, r.PassMark = round2(score), round2(max), passMark
	// Compare in hundredths of points so rounding cannot flip a verdict
	// that sits exactly on the mark.
	r.Passed = math.Round(r.Score*100)*100 >= math.Round(r.MaxScore*100)*float64(passMark)
}
