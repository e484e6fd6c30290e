package grade

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shellgym/shellgym/internal/attempt"
	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/sandbox"
	"github.com/shellgym/shellgym/sandbox/sandboxtest"
)

func loadTestdata(t *testing.T, ids ...string) []*challenge.Definition {
	t.Helper()
	var defs []*challenge.Definition
	for _, id := range ids {
		d, err := challenge.Load(os.DirFS("testdata/authortest"), id, "testdata/authortest/"+id)
		if err != nil {
			t.Fatal(err)
		}
		defs = append(defs, d)
	}
	return defs
}

// TestAuthorTests runs the author tests of one sound challenge and of one
// challenge per defect, and checks each defect is named.
func TestAuthorTests(t *testing.T) {
	eng := sandboxtest.Connect(t)
	defs := loadTestdata(t, "good", "already-true", "bad-solution", "weak-mistake")
	var progress strings.Builder
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	rep := Test(ctx, eng, defs, TestOptions{
		Parallel: 2,
		Progress: &progress,
		Attempt:  attempt.Options{Labels: map[string]string{"shellgym.test": "grade-authortest"}},
	})
	if rep.Passed {
		t.Error("the report passed with three defective challenges")
	}
	want := map[string]struct {
		pass    bool
		step    string // a failing step's name contains this
		message string // and its message this
	}{
		"good":         {pass: true},
		"already-true": {step: "fresh state fails a check", message: "after setup every check already passes"},
		"bad-solution": {step: "solution passes every check", message: `check "report exists" fails: the content lacks`},
		"weak-mistake": {step: `mistake "touched the wrong file" fails "flag exists"`, message: `check "flag exists" passes after this mistake`},
	}
	for _, c := range rep.Challenges {
		w := want[c.ID]
		if c.Passed != w.pass {
			t.Errorf("%s: passed = %v, want %v (%+v)", c.ID, c.Passed, w.pass, c)
		}
		if c.Error != "" {
			t.Errorf("%s: error %q", c.ID, c.Error)
		}
		if c.DurationMS <= 0 || c.MaxScore == 0 {
			t.Errorf("%s: duration %d ms, max score %v", c.ID, c.DurationMS, c.MaxScore)
		}
		seeds := map[string]bool{}
		for _, s := range c.Checks {
			seeds[strings.SplitN(s.Name, ":", 2)[0]] = true
		}
		if len(seeds) != 2 {
			t.Errorf("%s: steps ran under seeds %v, want two", c.ID, seeds)
		}
		if w.pass {
			continue
		}
		found := false
		for _, s := range c.Checks {
			if !s.Passed && strings.Contains(s.Name, w.step) && strings.Contains(s.Message, w.message) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no failing step %q with message %q in %+v", c.ID, w.step, w.message, c.Checks)
		}
	}
	for _, line := range []string{"✓ good", "✗ already-true", "✗ bad-solution", "✗ weak-mistake"} {
		if !strings.Contains(progress.String(), line) {
			t.Errorf("progress lacks %q:\n%s", line, progress.String())
		}
	}
}

// TestAuthorTestSetupFailure reports a broken setup as the challenge's
// error.
func TestAuthorTestSetupFailure(t *testing.T) {
	d := loadTestdata(t, "good")[0]
	rep := Test(context.Background(), failingEngine{}, []*challenge.Definition{d}, TestOptions{Parallel: 1})
	c := rep.Challenges[0]
	if c.Passed || !strings.Contains(c.Error, "sandbox failure: no daemon here") {
		t.Errorf("result = %+v", c)
	}
	if len(c.Checks) != 6 {
		t.Errorf("%d steps, want 6 (2 seeds x fresh, solution, one mistake)", len(c.Checks))
	}
}

// failingEngine cannot start anything.
type failingEngine struct{}

func (failingEngine) EnsureImage(context.Context, io.Writer) (string, error) { return "img", nil }
func (failingEngine) Start(context.Context, sandbox.Profile) (*sandbox.Sandbox, error) {
	return nil, errors.New("no daemon here")
}
