package check

import (
	"context"
	"testing"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/sandbox"
)

// TestCommandOutside checks where a command check runs: an outside one in
// the inspector as root and never in the learner's container, an inside one
// the other way round. The learner's container answers "pass" and the
// inspector "fail", so a check sent to the wrong place gets the wrong
// verdict.
func TestCommandOutside(t *testing.T) {
	for _, outside := range []bool{false, true} {
		st := newFake()
		st.execFn = func(_ context.Context, o sandbox.ExecOptions) (*sandbox.ExecResult, error) {
			return &sandbox.ExecResult{ExitCode: 0, Stdout: []byte("user:student:r--\n")}, nil
		}
		st.inspExecFn = func(_ context.Context, o sandbox.ExecOptions) (*sandbox.ExecResult, error) {
			if o.User != "root" || o.Cmd[len(o.Cmd)-1] != `getfacl -cp "$ROOT/srv/x"` || o.Timeout != commandTimeout || o.OutputLimit != commandOutput {
				t.Errorf("inspector exec options = %+v", o)
			}
			return &sandbox.ExecResult{ExitCode: 0, Stdout: []byte("user:student:rw-\n")}, nil
		}
		c := challenge.Check{Name: "acl", Kind: challenge.KindCommand, Subject: `getfacl -cp "$ROOT/srv/x"`, StdoutContains: ptr("user:student:r--"), Outside: outside}
		rs, err := Evaluate(context.Background(), st, []challenge.Check{c}, nil)
		if err != nil {
			t.Fatal(err)
		}
		wantIn, wantOut := 1, 0
		if outside {
			wantIn, wantOut = 0, 1
		}
		if st.calls["Exec"] != wantIn || st.calls["InspectorExec"] != wantOut {
			t.Errorf("outside=%v: %d Exec, %d InspectorExec; want %d, %d", outside, st.calls["Exec"], st.calls["InspectorExec"], wantIn, wantOut)
		}
		if rs[0].Passed == outside {
			t.Errorf("outside=%v: passed=%v (%s)", outside, rs[0].Passed, rs[0].Message)
		}
	}
}
