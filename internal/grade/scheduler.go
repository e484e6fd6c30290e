package grade

import (
	"context"
	"runtime"
	"sync"
)

// DefaultParallel is the default number of sandboxes run at once: one per
// core.
func DefaultParallel() int { return runtime.NumCPU() }

// Run calls job(ctx, i) for every i in [0, n), at most parallel at a time
// (parallel < 1 means DefaultParallel), and returns when all have returned.
// Jobs are started in index order; once ctx is done no new job starts, so
// the ones left out never run. A job must honour ctx itself.
func Run(ctx context.Context, n, parallel int, job func(ctx context.Context, i int)) {
	if parallel < 1 {
		parallel = DefaultParallel()
	}
	if parallel > n {
		parallel = n
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				job(ctx, i)
			}
		}()
	}
feed:
	for i := 0; i < n; i++ {
		select {
		case <-ctx.Done():
			break feed
		case next <- i:
		}
	}
	close(next)
	wg.Wait()
}
