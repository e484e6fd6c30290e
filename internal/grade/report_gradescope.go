package grade

import (
	"encoding/json"
	"io"
	"math"
)

// gradescopeResults is Gradescope's autograder results.json.
type gradescopeResults struct {
	Score            float64          `json:"score"`
	MaxScore         float64          `json:"max_score"`
	ExecutionTime    float64          `json:"execution_time"`
	Output           string           `json:"output"`
	OutputFormat     string           `json:"output_format"`
	TestOutputFormat string           `json:"test_output_format"`
	TestNameFormat   string           `json:"test_name_format"`
	Visibility       string           `json:"visibility"`
	StdoutVisibility string           `json:"stdout_visibility"`
	Tests            []gradescopeTest `json:"tests"`
}

type gradescopeTest struct {
	Name         string  `json:"name"`
	Score        float64 `json:"score"`
	MaxScore     float64 `json:"max_score"`
	Status       string  `json:"status"`
	Output       string  `json:"output"`
	OutputFormat string  `json:"output_format"`
	Visibility   string  `json:"visibility"`
}

// writeGradescope writes Gradescope's results.json: the total, one test per
// challenge with its points and a plain-text account of its checks. Texts are
// declared "text" so Gradescope renders none of them as HTML or Markdown.
func writeGradescope(w io.Writer, r *Report) error {
	g := gradescopeResults{
		Score:            round2(r.Score),
		MaxScore:         round2(r.MaxScore),
		ExecutionTime:    math.Round(float64(r.DurationMS) / 1000),
		Output:           r.Title + ": " + summaryLine(r),
		OutputFormat:     "text",
		TestOutputFormat: "text",
		TestNameFormat:   "text",
		Visibility:       "visible",
		StdoutVisibility: "hidden",
		Tests:            []gradescopeTest{},
	}
	for _, c := range r.Challenges {
		status := "passed"
		if !c.Passed || c.Error != "" {
			status = "failed"
		}
		g.Tests = append(g.Tests, gradescopeTest{
			Name:         oneLine(c.ID),
			Score:        round2(c.Score),
			MaxScore:     round2(c.MaxScore),
			Status:       status,
			Output:       verdictText(c),
			OutputFormat: "text",
			Visibility:   "visible",
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(g)
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }
