package session

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/shellgym/shellgym/internal/attempt"
	"github.com/shellgym/shellgym/sandbox"
)

type timedEngine struct {
	*sandbox.Client
	t0 time.Time
	tb testing.TB
}

func (e timedEngine) Start(ctx context.Context, p sandbox.Profile) (*sandbox.Sandbox, error) {
	s := time.Now()
	b, err := e.Client.Start(ctx, p)
	e.tb.Logf("  Start %v (at %v)", time.Since(s), s.Sub(e.t0))
	return b, err
}

func TestScratchBreakdown(t *testing.T) {
	eng := needDocker(t)
	ch := renderPlay(t, 1)
	ctx := context.Background()
	for i := 0; i < 4; i++ {
		t0 := time.Now()
		a, err := attempt.Prepare(ctx, timedEngine{eng, t0, t}, ch, attempt.Options{Progress: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		t1 := time.Now()
		installShellRC(ctx, a.Box)
		t2 := time.Now()
		c := newConsole(t)
		_, err = a.Box.Attach(ctx, sandbox.AttachOptions{ExecOptions: sandbox.ExecOptions{Cmd: []string{"bash", "-c", "echo ready"}}, In: c.slave, Out: c.slave})
		t3 := time.Now()
		t.Logf("prepare %v rc %v attach-echo %v", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2))
		c.close()
		a.Close(ctx)
	}
}
