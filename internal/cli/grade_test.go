package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shellgym/shellgym/internal/grade"
	"github.com/shellgym/shellgym/sandbox/sandboxtest"
)

// runGrade runs `shellgym grade ARGS...` (runCLI).
func runGrade(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLI(t, append([]string{"grade"}, args...)...)
}

func TestGradeUsageExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("title: s\npass_mark: lots\nchallenges: []\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--solutions", dir}, "--set"},
		{[]string{"--set", bad, "--solutions", dir, "--report", "pdf"}, `unknown format "pdf"`},
		{[]string{"--set", bad, "--solutions", dir}, "bad.yaml:2:"},
		{[]string{"--set", bad, "--solutions", filepath.Join(dir, "none")}, "not a folder"},
	} {
		code, _, stderr := runGrade(t, tc.args...)
		if code != ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("grade %v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// writeSet writes a set of the grade package's test challenges.
func writeSet(t *testing.T, ids ...string) string {
	t.Helper()
	abs, err := filepath.Abs("../grade/testdata/challenges")
	if err != nil {
		t.Fatal(err)
	}
	text := "title: cli test\npass_mark: 100\nchallenges:\n"
	for _, id := range ids {
		text += "  - path: " + filepath.Join(abs, id) + "\n    points: 4\n"
	}
	file := filepath.Join(t.TempDir(), "set.yaml")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestGradeExitCodesAndReports(t *testing.T) {
	sandboxtest.Connect(t)
	solutions := "../grade/testdata/solutions"
	out := t.TempDir()

	code, stdout, stderr := runGrade(t, "--set", writeSet(t, "note-correct"), "--solutions", solutions,
		"--report", "json", "--report", "junit="+filepath.Join(out, "sub", "junit.xml"))
	if code != ExitOK {
		t.Fatalf("correct solution: exit %d, want 0\n%s", code, stderr)
	}
	var r grade.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil || !r.Passed || r.Score != 4 {
		t.Errorf("json report on stdout: %v %+v", err, r)
	}
	if _, err := os.Stat(filepath.Join(out, "sub", "junit.xml")); err != nil {
		t.Errorf("junit report not written: %v", err)
	}
	if !strings.Contains(stderr, "CHALLENGE") || !strings.Contains(stderr, "[1/1] note-correct: passed") {
		t.Errorf("stderr lacks progress or the summary table:\n%s", stderr)
	}

	code, stdout, stderr = runGrade(t, "--set", writeSet(t, "note-correct", "note-wrong"), "--solutions", solutions,
		"--report", "tap=-", "--seed", "7")
	if code != ExitNotPassing {
		t.Fatalf("a wrong solution: exit %d, want 3\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "ok 1 - note-correct") || !strings.Contains(stdout, "not ok 2 - note-wrong (2/4 points)") {
		t.Errorf("tap report:\n%s", stdout)
	}
}
