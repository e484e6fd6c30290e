package grade

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// writeTAP writes TAP version 13: a plan, one test line per challenge, and a
// YAML diagnostic block under each failing one. Every value in the block is a
// one-line double-quoted string, so learner text can neither end the block
// nor start a test line of its own.
func writeTAP(w io.Writer, r *Report) error {
	var b strings.Builder
	b.WriteString("TAP version 13\n")
	fmt.Fprintf(&b, "1..%d\n", len(r.Challenges))
	for i, c := range r.Challenges {
		status := "ok"
		if !c.Passed || c.Error != "" {
			status = "not ok"
		}
		fmt.Fprintf(&b, "%s %d - %s (%s/%s points)\n", status, i+1, tapDescription(c.ID), points(c.Score), points(c.MaxScore))
		if status == "ok" {
			continue
		}
		b.WriteString("  ---\n")
		fmt.Fprintf(&b, "  score: %s\n  max_score: %s\n", points(c.Score), points(c.MaxScore))
		if c.Error != "" {
			fmt.Fprintf(&b, "  error: %s\n", yamlString(c.Error))
		}
		if failed := failedChecks(c); len(failed) > 0 {
			b.WriteString("  failed_checks:\n")
			for _, k := range failed {
				fmt.Fprintf(&b, "    - name: %s\n      message: %s\n", yamlString(k.Name), yamlString(k.Message))
			}
		}
		b.WriteString("  ...\n")
	}
	fmt.Fprintf(&b, "# %s\n", tapDescription(summaryLine(r)))
	_, err := io.WriteString(w, b.String())
	return err
}

// yamlString quotes s as a JSON string, which YAML reads as a double-quoted
// scalar; line breaks (U+2028 and U+2029 too) come out escaped.
func yamlString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}
