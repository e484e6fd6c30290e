package grade

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunBoundsParallelism(t *testing.T) {
	for _, parallel := range []int{1, 2, 5} {
		var running, peak atomic.Int32
		var mu sync.Mutex
		seen := map[int]bool{}
		Run(context.Background(), 12, parallel, func(ctx context.Context, i int) {
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
			running.Add(-1)
			mu.Lock()
			seen[i] = true
			mu.Unlock()
		})
		if len(seen) != 12 {
			t.Errorf("parallel %d: ran %d jobs, want 12", parallel, len(seen))
		}
		if p := peak.Load(); int(p) > parallel || (parallel > 1 && p < 2) {
			t.Errorf("parallel %d: peak %d", parallel, p)
		}
	}
}

func TestRunStopsStartingWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var ran atomic.Int32
	Run(ctx, 100, 1, func(ctx context.Context, i int) {
		if ran.Add(1) == 3 {
			cancel()
		}
	})
	if n := ran.Load(); n < 3 || n > 4 {
		t.Errorf("ran %d jobs after cancelling at the third", n)
	}
}

func TestRunDefaults(t *testing.T) {
	var ran atomic.Int32
	Run(context.Background(), 3, 0, func(context.Context, int) { ran.Add(1) })
	Run(context.Background(), 0, 4, func(context.Context, int) { t.Error("a job ran for n = 0") })
	if ran.Load() != 3 {
		t.Errorf("ran %d", ran.Load())
	}
}
