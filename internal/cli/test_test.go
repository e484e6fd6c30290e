package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shellgym/shellgym/internal/grade"
	"github.com/shellgym/shellgym/sandbox/sandboxtest"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	f := NewFactory(strings.NewReader(""), &out, &errb)
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	code = Run(ctx, f, args)
	return code, out.String(), errb.String()
}

func TestTestUsage(t *testing.T) {
	for _, args := range [][]string{{"test"}, {"test", "--all", "x"}, {"test", "no-such-challenge"}} {
		if code, _, errs := runCLI(t, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d\n%s", args, code, ExitUsage, errs)
		}
	}
}

// TestTestNamesDefects runs `shellgym test` over challenges with one defect
// each: it exits 3 and says which step of which challenge failed and why.
func TestTestNamesDefects(t *testing.T) {
	sandboxtest.Connect(t)
	code, out, errs := runCLI(t, "test", "--dir", "../grade/testdata/authortest", "--parallel", "2")
	if code != ExitNotPassing {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, ExitNotPassing, out, errs)
	}
	for _, want := range []string{
		"✗ already-true\n",
		"seed 1: fresh state fails a check: after setup every check already passes",
		"✗ bad-solution\n",
		`solution passes every check: check "report exists" fails: the content lacks something it should contain`,
		"✗ weak-mistake\n",
		`mistake "touched the wrong file" fails "flag exists": check "flag exists" passes after this mistake`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "good") {
		t.Errorf("stdout names the sound challenge:\n%s", out)
	}
	for _, want := range []string{"✓ good", "✗ already-true", "3 of 4 challenges fail"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}

	code, out, _ = runCLI(t, "test", "../grade/testdata/authortest/good", "--json")
	var rep grade.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if code != ExitOK || !rep.Passed || len(rep.Challenges) != 1 || rep.Challenges[0].ID != "good" || rep.Score != rep.MaxScore {
		t.Errorf("exit %d, report %+v", code, rep)
	}
}

// TestTestSummary checks the last line of `shellgym test` agrees in number.
func TestTestSummary(t *testing.T) {
	for _, tc := range []struct {
		passed []bool
		want   string
	}{
		{[]bool{true}, "1 challenge: all pass their author tests\n"},
		{[]bool{false}, "1 of 1 challenge fails its author tests\n"},
		{[]bool{false, true}, "1 of 2 challenges fails its author tests\n"},
		{[]bool{false, false, true}, "2 of 3 challenges fail their author tests\n"},
	} {
		rep := &grade.Report{}
		for i, p := range tc.passed {
			rep.Challenges = append(rep.Challenges, grade.ChallengeResult{ID: string(rune('a' + i)), Passed: p})
		}
		var out, errb bytes.Buffer
		printTestReport(NewFactory(nil, &out, &errb), rep)
		if errb.String() != tc.want {
			t.Errorf("%v: stderr %q, want %q", tc.passed, errb.String(), tc.want)
		}
	}
}
