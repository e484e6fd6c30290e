package sandbox

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
)

// testRun labels every container this test binary creates, so the suite
// checks and removes only its own leftovers.
var testRun = "t" + newSessionID()

const testLabel = "shellgym.test"

func TestMain(m *testing.M) {
	if os.Getenv(attachHelperEnv) != "" {
		os.Exit(attachHelper())
	}
	code := m.Run()
	if n := leftovers(); n > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: %d shellgym container(s) of test run %s left behind\n", n, testRun)
		code = 1
	}
	os.Exit(code)
}

// leftovers counts, then removes, containers of this test run that are still
// there a few seconds after the suite (AutoRemove may lag a little).
func leftovers() int {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := Connect(ctx)
	if err != nil {
		return 0
	}
	defer c.api.Close()
	var list []container.Summary
	for i := 0; i < 20; i++ {
		list, err = c.api.ContainerList(ctx, container.ListOptions{All: true,
			Filters: filters.NewArgs(filters.Arg("label", testLabel+"="+testRun))})
		if err != nil || len(list) == 0 {
			return 0
		}
		time.Sleep(250 * time.Millisecond)
	}
	for _, s := range list {
		fmt.Fprintf(os.Stderr, "leftover: %s %v %s\n", s.ID[:12], s.Names, s.State)
		c.removeContainer(ctx, s.ID)
	}
	return len(list)
}

// testClient connects to Docker or skips, scoped to this test run's label,
// and makes sure the sandbox image exists.
func testClient(t testing.TB) *Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	c, err := Connect(ctx)
	if err != nil {
		if os.Getenv("SHELLGYM_REQUIRE_DOCKER") == "1" {
			t.Fatalf("docker required: %v", err)
		}
		t.Skipf("docker not available: %v", err)
	}
	c.scope = map[string]string{testLabel: testRun}
	t.Cleanup(func() { c.Close() })
	if _, err := c.EnsureImage(ctx, testWriter{t}); err != nil {
		if _, err2 := c.BuildImage(ctx, BuildOptions{Offline: true, Progress: testWriter{t}}); err2 != nil {
			t.Fatalf("build image: %v / offline: %v", err, err2)
		}
	}
	return c
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) { w.t.Logf("%s", p); return len(p), nil }

// start starts a sandbox labelled for this run and registers its removal.
func start(t testing.TB, c *Client, p Profile) *Sandbox {
	t.Helper()
	if p.Labels == nil {
		p.Labels = map[string]string{}
	}
	p.Labels[testLabel] = testRun
	if p.Lifetime == 0 {
		p.Lifetime = 5 * time.Minute
	}
	s, err := c.Start(context.Background(), p)
	if s != nil {
		t.Cleanup(func() { s.Remove(context.Background()) })
	}
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	return s
}

// run executes cmd as user and fails the test on an API error.
func run(t testing.TB, s *Sandbox, user string, cmd string) *ExecResult {
	t.Helper()
	r, err := s.Exec(context.Background(), ExecOptions{Cmd: []string{"/bin/bash", "-c", cmd}, User: user, Timeout: time.Minute})
	if err != nil {
		t.Fatalf("exec %q: %v", cmd, err)
	}
	return r
}
