package grade

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/sandbox"
	"github.com/shellgym/shellgym/sandbox/sandboxtest"
)

// testLabels tags this test's sandboxes so leftovers can be counted.
func testLabels(t testing.TB) map[string]string {
	b := make([]byte, 6)
	rand.Read(b)
	return map[string]string{"shellgym.test": "grade-" + hex.EncodeToString(b)}
}

// leftovers lists the containers carrying labels that still exist.
func leftovers(t testing.TB, c *sandbox.Client, labels map[string]string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var ids []string
	for range 20 {
		list, err := c.List(ctx)
		if err != nil {
			t.Fatalf("list containers: %v", err)
		}
		ids = ids[:0]
		for _, s := range list {
			if s.Labels["shellgym.test"] == labels["shellgym.test"] {
				ids = append(ids, s.ID[:12]+" "+s.Role+" "+s.State)
			}
		}
		if len(ids) == 0 {
			return nil
		}
		time.Sleep(250 * time.Millisecond)
	}
	return ids
}

func loadSet(t testing.TB, name string) *challenge.Set {
	t.Helper()
	s, err := challenge.LoadSet(filepath.Join("testdata", "sets", name), nil)
	if err != nil {
		t.Fatalf("load set: %v", err)
	}
	return s
}

func TestGradeFiveVerdicts(t *testing.T) {
	c := sandboxtest.Connect(t)
	set := loadSet(t, "five.yaml")
	labels := testLabels(t)
	var progress bytes.Buffer
	longest := time.Minute
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	r, err := Set(ctx, c, set, Options{
		Solutions: filepath.Join("testdata", "solutions"),
		Parallel:  5,
		Progress:  &progress,
		Labels:    labels,
	})
	took := time.Since(start)
	t.Logf("graded in %s; progress:\n%s", took.Round(time.Millisecond), progress.String())
	if err != nil {
		t.Fatal(err)
	}
	if left := leftovers(t, c, labels); len(left) > 0 {
		t.Errorf("containers left behind: %v", left)
	}
	if took > longest+30*time.Second {
		t.Errorf("grading took %s, more than the longest time limit (%s) + 30s", took, longest)
	}
	want := []struct {
		id, errPrefix string
		passed        bool
		score         float64
	}{
		{"note-correct", "", true, 10},
		{"note-wrong", "", false, 5},
		{"note-missing", NoSolution, false, 0},
		{"note-loop", "time limit", false, 0},
		{"note-bomb", "pids limit", false, 0},
	}
	for i, w := range want {
		got := r.Challenges[i]
		if got.ID != w.id || got.Passed != w.passed || got.Score != w.score ||
			(w.errPrefix == "") != (got.Error == "") || !strings.HasPrefix(got.Error, w.errPrefix) {
			t.Errorf("challenge %d = %+v, want id %s passed %v score %v error %q...", i, got, w.id, w.passed, w.score, w.errPrefix)
		}
		if got.Seed == 0 {
			t.Errorf("%s: no seed recorded", got.ID)
		}
	}
	if r.Score != 15 || r.MaxScore != 50 || r.Passed {
		t.Errorf("total %v/%v passed=%v, want 15/50 not passed", r.Score, r.MaxScore, r.Passed)
	}
	if err := r.GraderError(); err != nil {
		t.Errorf("GraderError = %v, want nil (every verdict is the learner's)", err)
	}
}
