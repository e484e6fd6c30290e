package grade

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/sandbox/sandboxtest"
)

// benchSet writes n copies of the note-correct challenge, a solution for
// each and a set of them, and returns the set and the solutions folder.
func benchSet(t testing.TB, n int) (*challenge.Set, string) {
	t.Helper()
	yaml, err := os.ReadFile(filepath.Join("testdata", "challenges", "note-correct", "challenge.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sol, err := os.ReadFile(filepath.Join("testdata", "solutions", "note-correct.sh"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	set := "title: bench\npass_mark: 100\nchallenges:\n"
	for i := range n {
		id := fmt.Sprintf("note-%02d", i)
		os.MkdirAll(filepath.Join(dir, "challenges", id), 0o755)
		os.MkdirAll(filepath.Join(dir, "solutions"), 0o755)
		os.WriteFile(filepath.Join(dir, "challenges", id, "challenge.yaml"), yaml, 0o644)
		os.WriteFile(filepath.Join(dir, "solutions", id+".sh"), sol, 0o644)
		set += fmt.Sprintf("  - path: challenges/%s\n    points: 1\n", id)
	}
	file := filepath.Join(dir, "set.yaml")
	if err := os.WriteFile(file, []byte(set), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := challenge.LoadSet(file, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, filepath.Join(dir, "solutions")
}

// TestParallelSpeedup grades 10 challenges with --parallel 1, then 2, in
// one run, and wants the second to take at most 0.6 of the first. It takes
// a minute or so: set SHELLGYM_BENCH=1 to run it.
func TestParallelSpeedup(t *testing.T) {
	if os.Getenv("SHELLGYM_BENCH") != "1" {
		t.Skip("set SHELLGYM_BENCH=1 to measure the parallel speed-up")
	}
	c := sandboxtest.Connect(t)
	set, solutions := benchSet(t, 10)
	labels := testLabels(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if _, err := c.EnsureImage(ctx, nil); err != nil {
		t.Fatal(err)
	}
	took := map[int]time.Duration{}
	for _, p := range []int{1, 2} {
		start := time.Now()
		r, err := Set(ctx, c, set, Options{Solutions: solutions, Parallel: p, Labels: labels})
		took[p] = time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Passed {
			t.Fatalf("parallel %d: the set did not pass: %+v", p, r.Challenges)
		}
	}
	ratio := took[2].Seconds() / took[1].Seconds()
	t.Logf("10 challenges: --parallel 1 %s, --parallel 2 %s, ratio %.2f", took[1].Round(time.Millisecond), took[2].Round(time.Millisecond), ratio)
	if ratio > 0.6 {
		t.Errorf("--parallel 2 took %.2f of --parallel 1's time, want at most 0.6", ratio)
	}
	if left := leftovers(t, c, labels); len(left) > 0 {
		t.Errorf("containers left behind: %v", left)
	}
}
