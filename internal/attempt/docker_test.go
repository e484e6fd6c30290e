package attempt

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/internal/check"
	"github.com/shellgym/shellgym/sandbox"
	"github.com/shellgym/shellgym/sandbox/sandboxtest"
)

// testRun labels every sandbox these tests start.
var testRun = "attempt-" + randomName()

// load parses a challenge from YAML (plus extra files for `from:`) and
// renders it with seed 1.
func load(t testing.TB, id, yaml string, extra map[string]string) *challenge.Challenge {
	t.Helper()
	fsys := fstest.MapFS{id + "/challenge.yaml": {Data: []byte(yaml)}}
	for name, data := range extra {
		fsys[id+"/"+name] = &fstest.MapFile{Data: []byte(data)}
	}
	def, err := challenge.Load(fsys, id, id)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	c, err := def.Render(1)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return c
}

// prepare starts and sets up a sandbox for c, removed when the test ends.
func prepare(t testing.TB, c *challenge.Challenge, o Options) *Attempt {
	t.Helper()
	e := sandboxtest.Connect(t)
	o.Labels = map[string]string{"shellgym.test": testRun}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	a, err := Prepare(ctx, e, c, o)
	if a != nil {
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			a.Close(ctx)
		})
	}
	if err != nil {
		t.Fatalf("prepare: %v", err)
	}
	return a
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// run runs a script as the learner and fails the test unless it exits 0.
func run(t testing.TB, a *Attempt, script string) *sandbox.ExecResult {
	t.Helper()
	res, err := a.RunScript(ctxT(t), script)
	if err != nil {
		t.Fatalf("run script: %v", err)
	}
	if res.ExitCode != 0 {
		t.Fatalf("script exited %d\nstdout: %s\nstderr: %s", res.ExitCode, res.Stdout, res.Stderr)
	}
	return res
}

// rootExec runs a command as root, outside the learner's script.
func rootExec(t testing.TB, a *Attempt, cmd string) *sandbox.ExecResult {
	t.Helper()
	res, err := a.Box.Exec(ctxT(t), sandbox.ExecOptions{Cmd: []string{"bash", "-c", cmd}, Timeout: time.Minute})
	if err != nil {
		t.Fatalf("exec %q: %v", cmd, err)
	}
	return res
}

func evaluate(t testing.TB, a *Attempt) map[string]check.Result {
	t.Helper()
	rs, err := a.Evaluate(ctxT(t))
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	out := map[string]check.Result{}
	for _, r := range rs {
		out[r.Name] = r
	}
	return out
}

// expect asserts the verdict of every named check: names in failing must
// fail (with a message containing the given text, when not empty), every
// other check must pass.
func expect(t testing.TB, step string, rs map[string]check.Result, failing map[string]string) {
	t.Helper()
	for name, r := range rs {
		want, shouldFail := failing[name]
		switch {
		case shouldFail && r.Passed:
			t.Errorf("%s: check %q passed, want it to fail", step, name)
		case shouldFail && !strings.Contains(r.Message, want):
			t.Errorf("%s: check %q message %q does not contain %q", step, name, r.Message, want)
		case !shouldFail && !r.Passed:
			t.Errorf("%s: check %q failed: %s", step, name, r.Message)
		}
	}
	for name := range failing {
		if _, ok := rs[name]; !ok {
			t.Errorf("%s: no check named %q", step, name)
		}
	}
}
