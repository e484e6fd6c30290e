// Package sandboxtest connects tests to the Docker daemon the way every
// shellgym test must: a test that needs Docker is skipped with the reason when
// no daemon answers, and fails instead under SHELLGYM_REQUIRE_DOCKER=1 (CI).
package sandboxtest

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/shellgym/shellgym/sandbox"
)

// Required reports whether Docker tests must run rather than skip.
func Required() bool { return os.Getenv("SHELLGYM_REQUIRE_DOCKER") == "1" }

var (
	imageOnce sync.Once
	imageErr  error
)

// Connect returns a client for t, closed (removing every sandbox it started)
// when t ends, with the sandbox image built once per test process. No daemon:
// t is skipped, or fails when Required. Any other error fails t.
func Connect(t testing.TB) *sandbox.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	c, err := sandbox.Connect(ctx)
	if err != nil {
		if Required() || !errors.Is(err, sandbox.ErrDockerUnavailable) {
			t.Fatalf("docker: %v", err)
		}
		t.Skipf("docker unavailable: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	imageOnce.Do(func() { _, imageErr = c.EnsureImage(ctx, os.Stderr) })
	if imageErr != nil {
		t.Fatalf("sandbox image: %v", imageErr)
	}
	return c
}
