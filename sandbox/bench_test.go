package sandbox

import (
	"context"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
)

// BenchmarkStart measures a sandbox ready to use: create and start with the
// full profile. Removal is outside the timer.
func BenchmarkStart(b *testing.B) {
	c := testClient(b)
	ctx := context.Background()
	for b.Loop() {
		s, err := c.Start(ctx, Profile{Lifetime: time.Minute, Labels: map[string]string{testLabel: testRun}})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Remove(ctx)
		b.StartTimer()
	}
}

// BenchmarkRawCreateStart is the baseline for BenchmarkStart: a bare Engine
// API create and start of the same image.
func BenchmarkRawCreateStart(b *testing.B) {
	c := testClient(b)
	ctx := context.Background()
	for b.Loop() {
		resp, err := c.api.ContainerCreate(ctx, &container.Config{Image: ImageTag(), Cmd: []string{"sleep", "60"},
			Labels: map[string]string{testLabel: testRun, LabelShellgym: "1"}}, &container.HostConfig{}, nil, nil, "")
		if err != nil {
			b.Fatal(err)
		}
		if err := c.api.ContainerStart(ctx, resp.ID, container.StartOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		c.removeContainer(ctx, resp.ID)
		b.StartTimer()
	}
}

// BenchmarkExec is one exec round trip: create, attach, run true, exit code.
func BenchmarkExec(b *testing.B) {
	c := testClient(b)
	s := start(b, c, Profile{})
	ctx := context.Background()
	for b.Loop() {
		if r, err := s.Exec(ctx, ExecOptions{Cmd: []string{"true"}}); err != nil || r.ExitCode != 0 {
			b.Fatal(err, r)
		}
	}
}

// BenchmarkSnapshot is one process and socket snapshot, inspector warm.
func BenchmarkSnapshot(b *testing.B) {
	c := testClient(b)
	s := start(b, c, Profile{})
	ctx := context.Background()
	if err := s.StartInspector(ctx); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Snapshot(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRemove is teardown of a running sandbox.
func BenchmarkRemove(b *testing.B) {
	c := testClient(b)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s, err := c.Start(ctx, Profile{Lifetime: time.Minute, Labels: map[string]string{testLabel: testRun}})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.Remove(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
