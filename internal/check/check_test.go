package check

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/sandbox"
)

// kindCase is one check against one fake state.
type kindCase struct {
	name    string
	check   challenge.Check
	state   func() *fakeState
	hidden  []string
	pass    bool
	msg     string // a substring the failure message must contain
	notInMs string // a substring it must not contain (a hidden value)
}

func runKindCases(t *testing.T, cases []kindCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.check
			if c.Name == "" {
				c.Name = "the check"
			}
			st := newFake()
			if tc.state != nil {
				st = tc.state()
			}
			base := Baseline{}
			if c.Kind == challenge.KindProcess && c.SamePID != nil {
				b, err := TakeBaseline(context.Background(), &fakeState{snap: baselineSnap, calls: map[string]int{}}, []challenge.Check{c})
				if err != nil {
					t.Fatal(err)
				}
				base = b
			}
			rs, err := Evaluate(context.Background(), st, []challenge.Check{c}, base, tc.hidden...)
			if err != nil {
				t.Fatalf("Evaluate: %v", err)
			}
			r := rs[0]
			if r.Name != c.Name {
				t.Errorf("name = %q", r.Name)
			}
			if r.Passed != tc.pass {
				t.Fatalf("passed = %v, want %v (message %q)", r.Passed, tc.pass, r.Message)
			}
			if tc.pass && r.Message != "" {
				t.Errorf("a passing check has message %q", r.Message)
			}
			if !tc.pass && r.Message == "" {
				t.Errorf("a failing check has no message")
			}
			if tc.msg != "" && !strings.Contains(r.Message, tc.msg) {
				t.Errorf("message %q does not contain %q", r.Message, tc.msg)
			}
			if tc.notInMs != "" && strings.Contains(r.Message, tc.notInMs) {
				t.Errorf("message %q reveals %q", r.Message, tc.notInMs)
			}
		})
	}
}

// baselineSnap is the process table "when setup ended" for same_pid cases.
var baselineSnap = &sandbox.Snapshot{Processes: []sandbox.Process{
	{PID: 40, UID: 0, State: "S", Cmdline: "/bin/bash /usr/local/bin/reloader.sh", Exe: "/usr/bin/bash", Comm: "reloader.sh"},
}}

func TestAuthorMessageWins(t *testing.T) {
	c := challenge.Check{Name: "key", Kind: challenge.KindFile, Subject: "/k", Message: "The key is still readable."}
	rs, err := Evaluate(context.Background(), newFake().file("/k", "x", 0644, 0, 0), []challenge.Check{{Name: "key", Kind: challenge.KindFile, Subject: "/k", Mode: ptr(challenge.Mode(0600)), Message: c.Message}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Passed || rs[0].Message != c.Message {
		t.Fatalf("got %+v", rs[0])
	}
}

func TestEvaluateBatchesReads(t *testing.T) {
	st := withAccounts(newFake())
	st.file("/a", "1", 0644, 0, 0).file("/b", "2", 0600, 1000, 1000).dir("/logs", 0755, 0, 0).file("/logs/x.log", "", 0644, 0, 0)
	st.dir("/srv", 0755, 0, 0).file("/srv/y.txt", "", 0644, 0, 0)
	st.ino = map[string]uint64{"/a": 1, "/b": 1}
	st.snap = &sandbox.Snapshot{Processes: []sandbox.Process{{PID: 7, Cmdline: "sleep 100", State: "S"}}, Sockets: []sandbox.Socket{{Proto: "tcp", Port: 80, Listening: true, PIDs: []int{7}}}}
	checks := []challenge.Check{
		{Name: "a", Kind: challenge.KindFile, Subject: "/a", Owner: ptr("root")},
		{Name: "b", Kind: challenge.KindFile, Subject: "/b", HardlinkOf: ptr("/a"), Group: ptr("student")},
		{Name: "u", Kind: challenge.KindUser, Subject: "student", Password: ptr("set")},
		{Name: "g", Kind: challenge.KindGroup, Subject: "devs"},
		{Name: "p", Kind: challenge.KindProcess, Subject: "sleep", User: ptr("root")},
		{Name: "port", Kind: challenge.KindPort, Subject: "80"},
		{Name: "logs", Kind: challenge.KindGlob, Subject: "/logs/*.log"},
		{Name: "logs2", Kind: challenge.KindGlob, Subject: "/logs/**"},
		{Name: "srv", Kind: challenge.KindGlob, Subject: "/srv/**/*.txt"},
	}
	rs, err := Evaluate(context.Background(), st, checks, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if !r.Passed {
			t.Errorf("%s failed: %s", r.Name, r.Message)
		}
	}
	want := map[string]int{"ReadFiles": 1, "Snapshot": 1, "Inodes": 1, "ListTree": 2}
	for k, n := range want {
		if st.calls[k] != n {
			t.Errorf("%s called %d times, want %d", k, st.calls[k], n)
		}
	}
	if st.calls["Exec"] != 0 {
		t.Errorf("Exec called %d times", st.calls["Exec"])
	}
}

func TestEvaluateReadsNothingForNoChecks(t *testing.T) {
	st := newFake()
	rs, err := Evaluate(context.Background(), st, nil, nil)
	if err != nil || len(rs) != 0 {
		t.Fatalf("got %v, %v", rs, err)
	}
	if len(st.calls) != 0 {
		t.Fatalf("calls: %v", st.calls)
	}
}

func TestEvaluateReportsReadErrors(t *testing.T) {
	for _, boom := range []error{sandbox.ErrDaemonLost, sandbox.ErrGone} {
		st := newFake()
		st.readFilesFn = func(context.Context, []string, int64) ([]sandbox.FileInfo, error) {
			return nil, fmt.Errorf("read /x: %w", boom)
		}
		_, err := Evaluate(context.Background(), st, []challenge.Check{{Name: "f", Kind: challenge.KindFile, Subject: "/x"}}, nil)
		if !errors.Is(err, boom) {
			t.Errorf("err = %v, want it to wrap %v", err, boom)
		}
	}
}

// A learner who makes one path unresolvable (a file where a directory was, a
// symlink loop) fails the checks on it, not the whole evaluation.
func TestUnresolvablePathIsMissing(t *testing.T) {
	tree := newFake().file("/ok", "x", 0644, 0, 0)
	st := newFake()
	st.readFilesFn = func(ctx context.Context, paths []string, max int64) ([]sandbox.FileInfo, error) {
		if slices.Contains(paths, "/srv/afile/x") {
			return nil, errors.New("lstat /srv/afile/x: not a directory")
		}
		return tree.ReadFiles(ctx, paths, max)
	}
	checks := []challenge.Check{
		{Name: "bad", Kind: challenge.KindFile, Subject: "/srv/afile/x"},
		{Name: "gone", Kind: challenge.KindFile, Subject: "/srv/afile/x", Exists: ptr(false)},
		{Name: "ok", Kind: challenge.KindFile, Subject: "/ok"},
	}
	rs, err := Evaluate(context.Background(), st, checks, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Passed || !strings.Contains(rs[0].Message, "does not exist") || !rs[1].Passed || !rs[2].Passed {
		t.Errorf("results = %+v", rs)
	}
}

func TestAllPassed(t *testing.T) {
	if !AllPassed(nil) || !AllPassed([]Result{{Passed: true}}) || AllPassed([]Result{{Passed: true}, {Passed: false}}) {
		t.Fatal("AllPassed is wrong")
	}
}

func TestBaselineComplete(t *testing.T) {
	checks := []challenge.Check{{Name: "p", Kind: challenge.KindProcess, Subject: "reloader", SamePID: ptr(true)}}
	if BaselineComplete(Baseline{}, checks) {
		t.Error("an empty baseline is complete")
	}
	b, err := TakeBaseline(context.Background(), &fakeState{snap: baselineSnap, calls: map[string]int{}}, checks)
	if err != nil {
		t.Fatal(err)
	}
	if !BaselineComplete(b, checks) || len(b["p"]) != 1 || b["p"][0] != 40 {
		t.Errorf("baseline = %v", b)
	}
	st := newFake()
	if b, _ := TakeBaseline(context.Background(), st, []challenge.Check{{Kind: challenge.KindFile}}); len(b) != 0 || st.calls["Snapshot"] != 0 {
		t.Error("a baseline without same_pid checks read the process table")
	}
}

func TestSecretExpectationsAreNotEchoed(t *testing.T) {
	runKindCases(t, []kindCase{
		{name: "hidden port", check: challenge.Check{Kind: challenge.KindPort, Subject: "23456"}, hidden: []string{"23456"}, msg: "nothing listens on the expected tcp port", notInMs: "23456"},
		{name: "hidden path", check: challenge.Check{Kind: challenge.KindFile, Subject: "/srv/q7x2k9.txt"}, hidden: []string{"q7x2k9"}, msg: "the file does not exist", notInMs: "q7x2k9"},
		{name: "hidden mode", check: challenge.Check{Kind: challenge.KindFile, Subject: "/f", Mode: ptr(challenge.Mode(0640))}, state: func() *fakeState { return newFake().file("/f", "", 0644, 0, 0) }, hidden: []string{"0640"}, msg: "mode is 0644", notInMs: "0640"},
		{name: "hidden owner", check: challenge.Check{Kind: challenge.KindFile, Subject: "/f", Owner: ptr("alice")}, state: func() *fakeState { return withAccounts(newFake()).file("/f", "", 0644, 1000, 1000) }, hidden: []string{"alice"}, msg: "owner is student", notInMs: "alice"},
		{name: "given owner shown", check: challenge.Check{Kind: challenge.KindFile, Subject: "/f", Owner: ptr("alice")}, state: func() *fakeState { return withAccounts(newFake()).file("/f", "", 0644, 1000, 1000) }, msg: "expected alice"},
		{name: "hidden user", check: challenge.Check{Kind: challenge.KindUser, Subject: "zed"}, state: func() *fakeState { return withAccounts(newFake()) }, hidden: []string{"zed"}, msg: "the expected user does not exist", notInMs: "zed"},
		{name: "content never shown", check: challenge.Check{Kind: challenge.KindFile, Subject: "/f", Content: ptr("s3cr3t-token")}, state: func() *fakeState { return newFake().file("/f", "wrong", 0644, 0, 0) }, msg: "content differs", notInMs: "s3cr3t"},
		{name: "pattern never shown", check: challenge.Check{Kind: challenge.KindFile, Subject: "/f", Matches: ptr("^tok[0-9]+$")}, state: func() *fakeState { return newFake().file("/f", "wrong", 0644, 0, 0) }, msg: "does not match", notInMs: "tok"},
		{name: "hidden count", check: challenge.Check{Kind: challenge.KindGlob, Subject: "/d/*", Count: ptr(17)}, state: func() *fakeState { return newFake().dir("/d", 0755, 0, 0) }, hidden: []string{"17"}, msg: "0 paths match", notInMs: "17"},
	})
}
