// Package grade runs challenges headlessly: author tests (shellgym test)
// and, on the same scheduler and report types, grading of solutions.
package grade

import (
	"time"

	"github.com/shellgym/shellgym/internal/check"
)

// Report is the machine-readable outcome of a test or grading run: what
// `shellgym test --json` prints and `shellgym grade --report json=F`
// writes. Its JSON field names are a stable interface (docs/).
type Report struct {
	Title      string            `json:"title"`
	Score      float64           `json:"score"`
	MaxScore   float64           `json:"max_score"`
	PassMark   int               `json:"pass_mark"` // percent of max_score; 0 when not graded against a set
	Passed     bool              `json:"passed"`
	Started    time.Time         `json:"started"`
	DurationMS int64             `json:"duration_ms"`
	Challenges []ChallengeResult `json:"challenges"`
}

// ChallengeResult is one challenge's outcome. Error is empty unless the
// attempt could not be judged normally (no solution file, time limit,
// resource limit, sandbox failure, setup failure), and then says which.
// Checks are the challenge's checks when grading, and the author-test
// steps (one per seed and script) when testing.
type ChallengeResult struct {
	ID         string         `json:"id"`
	Passed     bool           `json:"passed"`
	Score      float64        `json:"score"`
	MaxScore   float64        `json:"max_score"`
	DurationMS int64          `json:"duration_ms"`
	Seed       int64          `json:"seed"` // the params' seed; the first one for author tests
	Error      string         `json:"error"`
	Checks     []check.Result `json:"checks"`
}
