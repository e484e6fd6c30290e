package grade

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteSummary writes r as a plain-text table for a terminal: one row per
// challenge, then the failing checks, and the verdict on the set.
// Learner-influenced text is capped and kept to one line without control
// characters, so it cannot drive the terminal.
func WriteSummary(w io.Writer, r *Report) error {
	r = r.capped()
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHALLENGE\tRESULT\tPOINTS\tCHECKS\tTIME")
	for _, c := range r.Challenges {
		result := "passed"
		switch {
		case c.Error != "":
			result = oneLine(capText(c.Error, 120))
		case !c.Passed:
			result = "failed"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s/%s\t%d/%d\t%ss\n", oneLine(c.ID), result,
			points(c.Score), points(c.MaxScore), passedCount(c), len(c.Checks), seconds(c.DurationMS))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, c := range r.Challenges {
		for _, k := range failedChecks(c) {
			fmt.Fprintf(w, "✗ %s: %s: %s\n", oneLine(c.ID), oneLine(k.Name), oneLine(capText(k.Message, 200)))
		}
	}
	_, err := fmt.Fprintln(w, summaryLine(r))
	return err
}
