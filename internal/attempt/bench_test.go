package attempt

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/shellgym/shellgym/internal/check"
)

// benchChallenge has one check of each kind the benchmark mixes.
const benchChallenge = `
title: Bench
category: test
difficulty: easy
briefing: Benchmark.
setup:
  script: |
    mkdir -p /srv/logs && touch /srv/logs/a.log /srv/logs/b.log
    nohup python3 -m http.server 8000 --bind 127.0.0.1 >/dev/null 2>&1 &
    sleep 1
checks:
  - name: file
    file: /etc/hostname
    mode: "0644"
    owner: root
  - name: user
    user: student
    uid: 1000
    shell: /bin/bash
  - name: process
    process: "http\\.server"
    user: root
  - name: port
    port: 8000
  - name: glob
    glob: /srv/logs/*.log
    count: 2
solution: "true"
`

// BenchmarkEvaluate is one evaluation pass over five checks of mixed kinds
// against a live sandbox. It reports the median as median-ms.
func BenchmarkEvaluate(b *testing.B) {
	a := prepare(b, load(b, "bench", benchChallenge, nil), Options{})
	ctx := context.Background()
	eval := func() time.Duration {
		start := time.Now()
		rs, err := a.Evaluate(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if !check.AllPassed(rs) {
			b.Fatalf("checks failed: %+v", rs)
		}
		return time.Since(start)
	}
	eval() // the inspector starts on first use
	var ds []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ds = append(ds, eval())
	}
	b.StopTimer()
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "median-ms")
}
