package grade

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// hostname names the machine in JUnit reports; tests pin it.
var hostname = func() string {
	h, err := os.Hostname()
	if err != nil || strings.TrimSpace(h) == "" {
		return "localhost"
	}
	return h
}

type junitSuite struct {
	XMLName    xml.Name        `xml:"testsuite"`
	Name       string          `xml:"name,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out"`
	SystemErr  string          `xml:"system-err"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// classPart keeps a JUnit classname a dotted identifier-like token.
var classPart = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// writeJUnit writes one <testsuite> for the set and one <testcase> per
// challenge, in the Apache Ant JUnit schema most CI systems read. A challenge
// that fails its checks, has no solution or hits a limit is a <failure>; one
// whose sandbox failed is an <error>.
func writeJUnit(w io.Writer, r *Report) error {
	title := xmlText(r.Title)
	if strings.TrimSpace(title) == "" {
		title = "shellgym"
	}
	class := "shellgym." + strings.Trim(classPart.ReplaceAllString(strings.ToLower(title), "-"), "-.")
	s := junitSuite{
		Name:      oneLine(title),
		Timestamp: r.Started.UTC().Format("2006-01-02T15:04:05"),
		Hostname:  xmlText(hostname()),
		Tests:     len(r.Challenges),
		Time:      seconds(r.DurationMS),
		Properties: []junitProperty{
			{"score", points(r.Score)},
			{"max_score", points(r.MaxScore)},
			{"pass_mark", fmt.Sprint(r.PassMark)},
			{"passed", fmt.Sprint(r.Passed)},
		},
		SystemOut: summaryLine(r) + "\n",
	}
	for _, c := range r.Challenges {
		tc := junitCase{Name: xmlText(oneLine(c.ID)), Classname: class, Time: seconds(c.DurationMS)}
		text := xmlText(verdictText(c))
		msg := fmt.Sprintf("%s/%s points", points(c.Score), points(c.MaxScore))
		switch {
		case c.Error != "" && !LearnerFault(c.Error):
			s.Errors++
			tc.Error = &junitProblem{Message: xmlText(c.Error), Type: "sandbox", Text: text}
		case c.Error != "":
			s.Failures++
			tc.Failure = &junitProblem{Message: xmlText(c.Error) + "; " + msg, Type: xmlText(c.Error), Text: text}
		case !c.Passed:
			s.Failures++
			n := len(failedChecks(c))
			tc.Failure = &junitProblem{
				Message: fmt.Sprintf("%d of %d checks failed; %s", n, len(c.Checks), msg),
				Type:    "checks",
				Text:    text,
			}
		}
		s.Cases = append(s.Cases, tc)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(s); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// seconds formats milliseconds as a decimal number of seconds.
func seconds(ms int64) string {
	return fmt.Sprintf("%d.%03d", ms/1000, ms%1000)
}
