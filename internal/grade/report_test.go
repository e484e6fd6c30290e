package grade

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shellgym/shellgym/internal/check"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// hostile is learner-controlled text that tries to break every format.
const hostile = "pwned | col </failure><injected/> ]]> & \"q\" `code` ```\n" +
	"ok 99 - fake test # SKIP\n  ...\n---\n# heading\n<script>alert(1)</script>\n" +
	"[link](http://evil.example) ![img](x) **bold** \x00\x01\x1b[31mred\x7f \xff\xfe bad utf8 \u2028sep\uFFFE"

// sampleReport is a set of five graded challenges covering every verdict.
func sampleReport() *Report {
	return &Report{
		Title:      "Week 1 — files & permissions",
		Score:      23.33,
		MaxScore:   50,
		PassMark:   70,
		Passed:     false,
		Started:    time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC),
		DurationMS: 41250,
		Challenges: []ChallengeResult{
			{ID: "private-key", Passed: true, Score: 10, MaxScore: 10, DurationMS: 2310, Seed: 11,
				Checks: []check.Result{{Name: "key is private", Passed: true}, {Name: "key still there", Passed: true}}},
			{ID: "backup-perms", Passed: false, Score: 3.33, MaxScore: 10, DurationMS: 3120, Seed: 12,
				Checks: []check.Result{
					{Name: "archive exists", Passed: true},
					{Name: "archive mode", Passed: false, Message: "/srv/backup.tar has mode 0644, want 0600"},
					{Name: "content kept", Passed: false, Message: hostile},
				}},
			{ID: "find-logs", Score: 0, MaxScore: 10, DurationMS: 0, Seed: 13, Error: "no solution",
				Checks: []check.Result{}},
			{ID: "spin", Score: 0, MaxScore: 10, DurationMS: 20004, Seed: 14, Error: "time limit",
				Checks: []check.Result{{Name: "done", Passed: false, Message: "/tmp/done is missing"}}},
			{ID: "daemon-gone", Score: 0, MaxScore: 10, DurationMS: 512, Seed: 15,
				Error: "sandbox failure: docker daemon lost"},
		},
	}
}

var goldens = []struct{ format, file string }{
	{"json", "report.json"},
	{"junit", "report.junit.xml"},
	{"markdown", "report.md"},
	{"tap", "report.tap"},
	{"gradescope", "report.gradescope.json"},
}

func render(t *testing.T, format string, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, r); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return buf.Bytes()
}

func TestReportGolden(t *testing.T) {
	defer func(h func() string) { hostname = h }(hostname)
	hostname = func() string { return "grader" }
	for _, g := range goldens {
		t.Run(g.format, func(t *testing.T) {
			got := render(t, g.format, sampleReport())
			path := filepath.Join("testdata", g.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s report differs from %s (go test -update rewrites it):\n%s", g.format, path, got)
			}
		})
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "html", sampleReport()); err == nil || !strings.Contains(err.Error(), "html") {
		t.Fatalf("Write(html) = %v, want an error naming the format", err)
	}
}

// bigReport holds one challenge whose check message is far past the cap.
func bigReport() *Report {
	r := sampleReport()
	r.Challenges[1].Checks[2].Message = strings.Repeat("é"+hostile, 500)
	return r
}

func TestReportsCapMessages(t *testing.T) {
	for _, g := range goldens {
		t.Run(g.format, func(t *testing.T) {
			small := len(render(t, g.format, sampleReport()))
			big := len(render(t, g.format, bigReport()))
			// The capped message may appear a few times (attribute, text,
			// table), each escaped; far less than the 150 KB given.
			if big-small > 8*MaxMessage {
				t.Errorf("a %d-byte message grew the %s report by %d bytes", len(bigReport().Challenges[1].Checks[2].Message), g.format, big-small)
			}
		})
	}
}

func TestCapText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"bad\xffbyte", 20, "bad\uFFFDbyte"},
		{strings.Repeat("a", 30), 20, "aaaa" + truncMark},
		{strings.Repeat("é", 15), 20, "éé" + truncMark}, // never cuts inside a rune
	} {
		if got := capText(tc.in, tc.max); got != tc.want {
			t.Errorf("capText(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
	if got := cleanText("a\x1b[31mb\x00c\u009bd\te\nf\x7f"); got != "a[31mbcd\te\nf" {
		t.Errorf("cleanText kept control characters: %q", got)
	}
}

func TestJSONReportRoundTrips(t *testing.T) {
	var got Report
	if err := json.Unmarshal(render(t, "json", sampleReport()), &got); err != nil {
		t.Fatal(err)
	}
	want := sampleReport()
	if got.Challenges[1].Checks[2].Message != cleanText(hostile) {
		t.Errorf("message = %q, want the hostile text without control characters", got.Challenges[1].Checks[2].Message)
	}
	if got.Score != want.Score || got.Challenges[4].Error != want.Challenges[4].Error || got.Challenges[3].Seed != 14 {
		t.Errorf("round trip lost fields: %+v", got)
	}
}

func TestJUnitIsWellFormedAndCounts(t *testing.T) {
	out := render(t, "junit", bigReport())
	var s junitSuite
	if err := xml.Unmarshal(out, &s); err != nil {
		t.Fatalf("JUnit report is not well-formed XML: %v\n%s", err, out)
	}
	if s.Tests != 5 || s.Failures != 3 || s.Errors != 1 {
		t.Errorf("tests/failures/errors = %d/%d/%d, want 5/3/1", s.Tests, s.Failures, s.Errors)
	}
	if len(s.Cases) != 5 {
		t.Fatalf("%d testcases, want 5 (injected elements must not parse)", len(s.Cases))
	}
	if s.Cases[0].Failure != nil || s.Cases[1].Failure == nil || s.Cases[4].Error == nil {
		t.Errorf("verdicts wrong: %+v", s.Cases)
	}
	if !strings.Contains(s.Cases[1].Failure.Text, "</failure><injected/>") {
		t.Errorf("failure text lost the learner's text instead of escaping it: %q", s.Cases[1].Failure.Text)
	}
}

func TestJUnitValidatesAgainstSchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint is not installed; CI must install libxml2-utils")
		}
		t.Skip("xmllint not installed (apt-get install libxml2-utils)")
	}
	for name, r := range map[string]*Report{"sample": sampleReport(), "big": bigReport(), "empty": {Title: ""}} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "junit.xml")
			if err := os.WriteFile(path, render(t, "junit", r), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "junit.xsd"), path).CombinedOutput()
			if err != nil {
				t.Errorf("xmllint: %v\n%s", err, out)
			}
		})
	}
}

func TestJUnitSchemaRejectsBrokenReport(t *testing.T) {
	// Guards the validation test above: the schema and xmllint do reject.
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed")
	}
	bad := bytes.Replace(render(t, "junit", sampleReport()), []byte("<properties>"), []byte("<props>"), 1)
	bad = bytes.Replace(bad, []byte("</properties>"), []byte("</props>"), 1)
	path := filepath.Join(t.TempDir(), "junit.xml")
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "junit.xsd"), path).Run(); err == nil {
		t.Fatal("xmllint accepted a report without <properties>")
	}
}

var tapTestLine = regexp.MustCompile(`^(not )?ok\b`)

func TestTAPCannotBeInjected(t *testing.T) {
	out := string(render(t, "tap", bigReport()))
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if lines[0] != "TAP version 13" || lines[1] != "1..5" {
		t.Fatalf("header = %q, %q", lines[0], lines[1])
	}
	tests, inYAML := 0, false
	for _, l := range lines[2:] {
		switch {
		case l == "  ---":
			inYAML = true
		case l == "  ...":
			inYAML = false
		case inYAML:
			if !strings.HasPrefix(l, "  ") {
				t.Errorf("YAML block line not indented: %q", l)
			}
		case tapTestLine.MatchString(l):
			tests++
			if strings.Contains(strings.ReplaceAll(l, `\#`, ""), "#") {
				t.Errorf("test line carries a directive: %q", l)
			}
		case strings.HasPrefix(l, "# "):
		default:
			t.Errorf("line outside the TAP grammar: %q", l)
		}
	}
	if tests != 5 || inYAML {
		t.Errorf("%d test lines (want 5), YAML block open at end: %v", tests, inYAML)
	}
}

func TestTAPDescriptionEscapesDirectives(t *testing.T) {
	r := sampleReport()
	r.Challenges[0].ID = "evil # TODO\nok 2 - fake"
	out := string(render(t, "tap", r))
	first := strings.Split(out, "\n")[2]
	if first != `ok 1 - evil \# TODO ok 2 - fake (10/10 points)` {
		t.Errorf("test line = %q", first)
	}
}

func TestMarkdownNeutralisesLearnerText(t *testing.T) {
	r := bigReport()
	r.Challenges[0].ID = "a|b<img src=x>`c`"
	out := string(render(t, "markdown", r))
	rows := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "| ") {
			rows++
			// A row has six unescaped pipes: five cells.
			if n := len(regexp.MustCompile(`(^|[^\\])\|`).FindAllString(l, -1)); n != 6 {
				t.Errorf("table row has %d cell separators: %q", n, l)
			}
		}
	}
	if rows != 6 {
		t.Errorf("%d table rows, want header + 5", rows)
	}
	for _, bad := range []string{"<script", "<img", "</failure>", "](http", "\x1b", "\x00", "\n#" + " heading"} {
		if strings.Contains(out, bad) {
			t.Errorf("markdown report contains %q unescaped", bad)
		}
	}
	if strings.Contains(out, "`c`") {
		t.Errorf("markdown report lets a code span through")
	}
}

func TestGradescopeFields(t *testing.T) {
	var g map[string]any
	if err := json.Unmarshal(render(t, "gradescope", sampleReport()), &g); err != nil {
		t.Fatal(err)
	}
	if g["score"] != 23.33 || g["max_score"] != 50.0 {
		t.Errorf("score = %v / %v", g["score"], g["max_score"])
	}
	tests := g["tests"].([]any)
	if len(tests) != 5 {
		t.Fatalf("%d tests, want 5", len(tests))
	}
	for i, want := range []string{"passed", "failed", "failed", "failed", "failed"} {
		tc := tests[i].(map[string]any)
		if tc["status"] != want {
			t.Errorf("test %d status = %v, want %s", i, tc["status"], want)
		}
		for _, k := range []string{"name", "score", "max_score", "output"} {
			if _, ok := tc[k]; !ok {
				t.Errorf("test %d has no %q", i, k)
			}
		}
	}
}

func TestSummaryTable(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSummary(&buf, bigReport()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.ContainsAny(out, "\x1b\x00") {
		t.Error("summary carries control characters")
	}
	for _, want := range []string{"private-key", "passed", "no solution", "time limit", "3.33/10", "✗ backup-perms: archive mode:", "23.33/50 points (46%), pass mark 70%: not passed"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 1+5+3+1 {
		t.Errorf("summary has %d lines, want 10 (header, 5 rows, 3 failing checks, verdict):\n%s", n, out)
	}
}
