package grade

import (
	"fmt"
	"io"
	"strings"
)

// writeMarkdown writes a summary fit for $GITHUB_STEP_SUMMARY or a pull
// request comment: the score, a table of challenges, then what failed.
// Every learner-influenced text is rendered inert (see mdInline).
func writeMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	title := mdInline(r.Title)
	if title == "" {
		title = "shellgym"
	}
	fmt.Fprintf(&b, "## %s\n\n", title)
	mark := "❌ not passed"
	if r.Passed {
		mark = "✅ passed"
	}
	fmt.Fprintf(&b, "**Score: %s / %s (%d%%)**, pass mark %d%%: %s\n\n",
		points(r.Score), points(r.MaxScore), percent(r.Score, r.MaxScore), r.PassMark, mark)
	b.WriteString("| challenge | result | points | checks | time |\n")
	b.WriteString("|---|---|---:|---:|---:|\n")
	for _, c := range r.Challenges {
		fmt.Fprintf(&b, "| %s | %s | %s / %s | %d / %d | %s s |\n",
			mdInline(c.ID), mdResult(c), points(c.Score), points(c.MaxScore),
			passedCount(c), len(c.Checks), seconds(c.DurationMS))
	}
	var failed []ChallengeResult
	for _, c := range r.Challenges {
		if !c.Passed || c.Error != "" {
			failed = append(failed, c)
		}
	}
	if len(failed) > 0 {
		b.WriteString("\n### What failed\n")
		for _, c := range failed {
			fmt.Fprintf(&b, "\n#### %s (%s / %s)\n\n", mdInline(c.ID), points(c.Score), points(c.MaxScore))
			if c.Error != "" {
				fmt.Fprintf(&b, "- error: %s\n", mdInline(c.Error))
			}
			for _, k := range failedChecks(c) {
				if k.Message != "" {
					fmt.Fprintf(&b, "- ❌ **%s**: %s\n", mdInline(k.Name), mdInline(k.Message))
				} else {
					fmt.Fprintf(&b, "- ❌ **%s**\n", mdInline(k.Name))
				}
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdResult is a challenge's verdict cell.
func mdResult(c ChallengeResult) string {
	switch {
	case c.Error != "":
		return "⚠️ " + mdInline(c.Error)
	case c.Passed:
		return "✅ passed"
	default:
		return "❌ failed"
	}
}
