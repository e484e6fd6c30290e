package session

import (
	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/internal/check"
)

// nextHint picks the hint to show: among the hints not yet seen, the first
// whose when_failing check is failing in results, else the first unseen
// one. It returns -1 when every hint has been seen.
func nextHint(hints []challenge.Hint, seen []bool, results []check.Result) int {
	failing := map[string]bool{}
	for _, r := range results {
		if !r.Passed {
			failing[r.Name] = true
		}
	}
	for i, h := range hints {
		if !seen[i] && h.WhenFailing != "" && failing[h.WhenFailing] {
			return i
		}
	}
	for i := range hints {
		if !seen[i] {
			return i
		}
	}
	return -1
}
