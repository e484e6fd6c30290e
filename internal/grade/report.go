package grade

import (
	"encoding/json"
	"fmt"
	"github.com/shellgym/shellgym/internal/check"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Formats lists the report formats Write accepts.
var Formats = []string{"json", "junit", "markdown", "tap", "gradescope"}

// Write renders r in the named format (one of Formats) to w. Every message
// that a learner can influence is capped at MaxMessage bytes and escaped for
// the format, so a solution's output cannot break or inject into a report.
func Write(w io.Writer, format string, r *Report) error {
	r = r.capped()
	var err error
	switch format {
	case "json":
		err = writeJSON(w, r)
	case "junit":
		err = writeJUnit(w, r)
	case "markdown":
		err = writeMarkdown(w, r)
	case "tap":
		err = writeTAP(w, r)
	case "gradescope":
		err = writeGradescope(w, r)
	default:
		return fmt.Errorf("unknown report format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return fmt.Errorf("write %s report: %w", format, err)
	}
	return nil
}

// ValidFormat reports whether Write knows format.
func ValidFormat(format string) bool { return slices.Contains(Formats, format) }

// capped returns a copy of r whose free texts are valid UTF-8 without
// control characters, capped at MaxMessage bytes (see cleanText).
func (r *Report) capped() *Report {
	cp := *r
	cp.Title = cleanText(r.Title)
	cp.Challenges = make([]ChallengeResult, len(r.Challenges))
	for i, c := range r.Challenges {
		c.ID = cleanText(c.ID)
		c.Error = cleanText(c.Error)
		checks := make([]check.Result, len(c.Checks))
		for j, k := range c.Checks {
			k.Name = cleanText(k.Name)
			k.Message = cleanText(k.Message)
			checks[j] = k
		}
		c.Checks = checks
		cp.Challenges[i] = c
	}
	return &cp
}

func writeJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// points formats a score without trailing zeros: 10, 3.33.
func points(f float64) string {
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}

// percent is score over max as a whole percentage; 100 when max is 0.
func percent(score, max float64) int {
	if max <= 0 {
		return 100
	}
	return int(math.Floor(score / max * 100))
}

// failedChecks returns the checks of c that did not pass.
func failedChecks(c ChallengeResult) []check.Result {
	var out []check.Result
	for _, k := range c.Checks {
		if !k.Passed {
			out = append(out, k)
		}
	}
	return out
}

// passedCount is how many checks of c passed.
func passedCount(c ChallengeResult) int {
	n := 0
	for _, k := range c.Checks {
		if k.Passed {
			n++
		}
	}
	return n
}

// verdictText is a one-paragraph, plain-text account of a challenge: its
// error, then one line per check. Used as failure text and test output.
func verdictText(c ChallengeResult) string {
	var b strings.Builder
	if c.Error != "" {
		fmt.Fprintf(&b, "error: %s\n", c.Error)
	}
	for _, k := range c.Checks {
		if k.Passed {
			fmt.Fprintf(&b, "PASS %s\n", k.Name)
		} else if k.Message != "" {
			fmt.Fprintf(&b, "FAIL %s: %s\n", k.Name, k.Message)
		} else {
			fmt.Fprintf(&b, "FAIL %s\n", k.Name)
		}
	}
	return b.String()
}

// summaryLine is the one-line verdict on the whole set.
func summaryLine(r *Report) string {
	verdict := "not passed"
	if r.Passed {
		verdict = "passed"
	}
	return fmt.Sprintf("%s/%s points (%d%%), pass mark %d%%: %s",
		points(r.Score), points(r.MaxScore), percent(r.Score, r.MaxScore), r.PassMark, verdict)
}
