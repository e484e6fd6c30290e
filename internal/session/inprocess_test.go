package session

import (
	"context"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shellgym/shellgym/challenges"
	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/sandbox"
	"github.com/shellgym/shellgym/sandbox/sandboxtest"
)

func renderPlay(t testing.TB, seed int64) *challenge.Challenge {
	t.Helper()
	cat, err := challenge.LoadCatalog(challenges.FS, nil)
	if err != nil {
		t.Fatal(err)
	}
	def, err := cat.Get(playID)
	if err != nil {
		t.Fatal(err)
	}
	c, err := def.Render(seed)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// runOnConsole runs a session in this process on a new console; the
// returned channel gets Run's error.
func runOnConsole(t testing.TB, ctx context.Context, o Options) (*console, <-chan error) {
	c := newConsole(t)
	o.Terminal, o.Out = c.slave, c.slave
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, o)
		done <- err
		close(c.exited)
	}()
	return c, done
}

func TestTimeLimitEndsShell(t *testing.T) {
	eng := sandboxtest.Connect(t)
	ch := renderPlay(t, 1)
	ch.TimeLimit = 6 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	c, done := runOnConsole(t, ctx, Options{Challenge: ch, Engine: eng, CheckEvery: 300 * time.Millisecond})
	defer func() {
		cancel()
		select {
		case <-c.exited:
		case <-time.After(step):
			t.Error("Run did not return after cancel")
		}
		c.close()
	}()

	c.expect(`Press Enter to open the shell`, step)
	c.send("\r")
	c.expect(prompt, step)
	start := time.Now()
	time.Sleep(time.Until(start.Add(5300 * time.Millisecond)))
	c.send("\r")
	if m := c.expect(prompt, step); !strings.Contains(m, "⏰") {
		t.Errorf("no warning in the prompt at 80%% of the time: %q", m)
	}
	// No exit typed: the shell is ended from outside at the limit.
	c.expect(`Checking your work`, 15*time.Second)
	if took := time.Since(start); took < 5500*time.Millisecond {
		t.Errorf("shell ended after %s, before the 6s limit", took)
	}
	c.expect(`Time is up`, step)
	c.expect(`What next\?`, step)
	time.Sleep(300 * time.Millisecond)
	if strings.Contains(c.text()[c.pos:], "Back to the shell") {
		t.Error("the menu offers the shell after the time is up")
	}
	c.line("quit")
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(step):
		t.Fatal("Run did not return after quit")
	}
	c.saneTerminal()
}

// Startup benchmarks. Run with
//
//	go test -run '^$' -bench Startup -benchtime 8x ./internal/session
//
// Each sub-benchmark reports its median in ms.
func BenchmarkStartup(b *testing.B) {
	eng := sandboxtest.Connect(b)
	img, err := eng.EnsureImage(context.Background(), io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	medians := map[string]float64{}
	b.Run("raw-run-api", func(b *testing.B) {
		medians["raw"] = sample(b, func() time.Duration { return rawRun(b, eng, img, true) })
	})
	b.Run("raw-run-api-no-rm", func(b *testing.B) {
		medians["raw-no-rm"] = sample(b, func() time.Duration { return rawRun(b, eng, img, false) })
	})
	b.Run("docker-cli-run", func(b *testing.B) {
		medians["cli"] = sample(b, func() time.Duration {
			t0 := time.Now()
			out, err := exec.Command("docker", "run", "--rm", "-t", "--label", "shellgym.bench=1", img, "bash", "-c", "echo ready").CombinedOutput()
			if err != nil || !strings.Contains(string(out), "ready") {
				b.Fatalf("docker run: %v %s", err, out)
			}
			return time.Since(t0)
		})
	})
	b.Run("play-cold", func(b *testing.B) {
		medians["cold"] = sample(b, func() time.Duration { return playToPrompt(b, eng, cold) })
	})
	b.Run("enter-to-prompt", func(b *testing.B) {
		medians["warm"] = sample(b, func() time.Duration { return playToPrompt(b, eng, warm) })
	})
	b.Run("back-to-shell", func(b *testing.B) {
		medians["back"] = sample(b, func() time.Duration { return playToPrompt(b, eng, back) })
	})
	b.Logf("median ms: raw run (API, --rm) %.0f, without removal %.0f, docker run (CLI) %.0f; play cold %.0f (%.2fx raw, %.2fx raw without removal); Enter to prompt %.0f; back to the shell %.0f",
		medians["raw"], medians["raw-no-rm"], medians["cli"], medians["cold"], medians["cold"]/medians["raw"], medians["cold"]/medians["raw-no-rm"], medians["warm"], medians["back"])
}

// sample runs fn b.N times and reports the median.
func sample(b *testing.B, fn func() time.Duration) float64 {
	var ds []time.Duration
	for b.Loop() {
		ds = append(ds, fn())
	}
	slices.Sort(ds)
	med := float64(ds[len(ds)/2].Microseconds()) / 1000
	b.ReportMetric(med, "ms-median")
	b.ReportMetric(float64(ds[0].Microseconds())/1000, "ms-min")
	b.ReportMetric(float64(ds[len(ds)-1].Microseconds())/1000, "ms-max")
	return med
}

// rawRun is `docker run --rm -it image bash -c 'echo ready'` through the
// sandbox API: a sandbox with the default profile, a TTY exec, and (rm) its
// removal, which `docker run --rm` waits for.
func rawRun(b *testing.B, eng *sandbox.Client, img string, rm bool) time.Duration {
	ctx := context.Background()
	c := newConsole(b)
	defer c.close()
	t0 := time.Now()
	box, err := eng.Start(ctx, sandbox.Profile{Image: img, Lifetime: time.Minute, Labels: map[string]string{"shellgym.bench": "1"}})
	if box != nil {
		defer box.Remove(context.Background())
	}
	if err != nil {
		b.Fatal(err)
	}
	if _, err := box.Attach(ctx, sandbox.AttachOptions{ExecOptions: sandbox.ExecOptions{Cmd: []string{"bash", "-c", "echo ready"}}, In: c.slave, Out: c.slave}); err != nil {
		b.Fatal(err)
	}
	c.expect(`ready`, step)
	if rm {
		if err := box.Remove(ctx); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(t0)
}

// What playToPrompt times.
const (
	cold = iota // from the start, Enter pressed at once: to the first prompt
	warm        // from Enter after 2.5s of briefing: to the first prompt
	back        // from choosing "back to the shell" in the menu: to the prompt
)

// playToPrompt times a play session in this process up to a prompt.
func playToPrompt(b *testing.B, eng *sandbox.Client, what int) time.Duration {
	ctx, cancel := context.WithCancel(context.Background())
	ch := renderPlay(b, 1)
	t0 := time.Now()
	c, done := runOnConsole(b, ctx, Options{Challenge: ch, Engine: eng, Labels: map[string]string{"shellgym.bench": "1"}})
	defer func() {
		cancel()
		<-done
		c.close()
	}()
	c.expect(`Press Enter to open the shell`, step)
	if what != cold {
		time.Sleep(2500 * time.Millisecond) // reading the briefing
		t0 = time.Now()
	}
	c.send("\r")
	c.expect(prompt, step)
	took := time.Since(t0)
	if what != cold && strings.Contains(c.text(), "Preparing the container") {
		b.Fatal("the container was not ready after 2.5s of briefing")
	}
	if what == back {
		c.line("exit")
		c.expect(`What next\?`, step)
		c.send("back")
		time.Sleep(300 * time.Millisecond)
		t0 = time.Now()
		c.send("\r")
		c.expect(prompt, step)
		took = time.Since(t0)
	}
	return took
}
