package session

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/internal/check"
)

func TestNextHint(t *testing.T) {
	hints := []challenge.Hint{
		{Text: "general"},
		{Text: "about a", WhenFailing: "a"},
		{Text: "about b", WhenFailing: "b"},
	}
	failB := []check.Result{{Name: "a", Passed: true}, {Name: "b", Passed: false}}
	tests := []struct {
		name    string
		seen    []bool
		results []check.Result
		want    int
	}{
		{"no verdict yet: first unseen", []bool{false, false, false}, nil, 0},
		{"failing check's hint first", []bool{false, false, false}, failB, 2},
		{"its hint seen: next unseen", []bool{false, false, true}, failB, 0},
		{"then the others in order", []bool{true, false, true}, failB, 1},
		{"all seen", []bool{true, true, true}, failB, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nextHint(hints, tt.seen, tt.results); got != tt.want {
				t.Fatalf("nextHint = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestSolutionScript(t *testing.T) {
	hist := "#1700000000\nls -la ~/.ssh\n  \nchmod 700 ~/.ssh\n#1700000001\nchmod 600 ~/.ssh/key\nexit\n"
	got := solutionScript("k", []byte(hist))
	lines := strings.Split(strings.TrimSpace(got), "\n")
	want := []string{"ls -la ~/.ssh", "chmod 700 ~/.ssh", "chmod 600 ~/.ssh/key"}
	if !strings.HasPrefix(lines[0], "#!/bin/bash") || !reflect.DeepEqual(lines[2:], want) {
		t.Fatalf("script:\n%s", got)
	}
	dir := filepath.Join(t.TempDir(), "sol")
	path, err := writeSolution(dir, "k", got)
	if err != nil || path != filepath.Join(dir, "k.sh") {
		t.Fatalf("writeSolution = %s, %v", path, err)
	}
	if out, err := exec.Command("bash", "-n", path).CombinedOutput(); err != nil {
		t.Fatalf("saved script does not parse: %v %s", err, out)
	}
}

func TestCastSplitsNoRune(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.cast")
	c, err := createCast(path, 100, 30, map[string]string{"SHELL": "/bin/bash", "TERM": "xterm"})
	if err != nil {
		t.Fatal(err)
	}
	check := []byte("✓ ok\r\n")
	// Split inside the three-byte check mark.
	c.Write(check[:1])
	c.Write(check[1:2])
	c.Write(check[2:])
	c.Write([]byte("tail\xe2"))
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	var h castHeader
	if err := json.Unmarshal(sc.Bytes(), &h); err != nil || h.Version != 2 || h.Width != 100 || h.Height != 30 || h.Env["TERM"] != "xterm" || h.Timestamp == 0 {
		t.Fatalf("header %s: %+v %v", sc.Bytes(), h, err)
	}
	var text strings.Builder
	var events []string
	last := -1.0
	for sc.Scan() {
		var ev []any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || len(ev) != 3 || ev[1] != "o" {
			t.Fatalf("event %s: %v", sc.Bytes(), err)
		}
		if ts := ev[0].(float64); ts < last {
			t.Fatalf("time goes back: %v", ev)
		} else {
			last = ts
		}
		events = append(events, ev[2].(string))
		text.WriteString(ev[2].(string))
	}
	// Only the final event, flushed at Close, may hold an incomplete rune.
	for _, s := range events[:len(events)-1] {
		if strings.ContainsRune(s, '\uFFFD') {
			t.Fatalf("a rune was split: %q in %q", s, events)
		}
	}
	if !strings.HasPrefix(text.String(), "✓ ok\r\ntail") {
		t.Fatalf("recorded %q", text.String())
	}
}

func TestStatusLine(t *testing.T) {
	limit := 10 * time.Minute
	tests := []struct {
		solved bool
		left   time.Duration
		want   string
	}{
		{false, 9 * time.Minute, ""},
		{true, 9 * time.Minute, markSolved},
		{false, 2*time.Minute + time.Second, ""},
		{false, 2*time.Minute - time.Second, "⏰ 2m left"},
		{true, 90 * time.Second, markSolved + " ⏰ 2m left"},
		{false, 40 * time.Second, "⏰ 40s left"},
		{false, -time.Second, "⏰ 0s left"},
	}
	for _, tt := range tests {
		if got := statusLine(tt.solved, tt.left, limit); got != tt.want {
			t.Errorf("statusLine(%v, %v) = %q, want %q", tt.solved, tt.left, got, tt.want)
		}
	}
}

func TestSetEnv(t *testing.T) {
	got := setEnv([]string{"A=1", "TERM=x", "B=2"}, "TERM=y", "C=3")
	want := []string{"A=1", "B=2", "TERM=y", "C=3"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("setEnv = %v", got)
	}
}

func TestScriptsParse(t *testing.T) {
	for name, script := range map[string]string{"shellRC": shellRC, "killScript": killScript} {
		if out, err := exec.Command("bash", "-n", "-c", script).CombinedOutput(); err != nil {
			t.Errorf("%s does not parse: %v %s", name, err, out)
		}
	}
}

func TestBriefingMarkdown(t *testing.T) {
	c := &challenge.Challenge{ID: "x", Title: "Fix it", Category: "files", Difficulty: "easy", TimeLimit: 10 * time.Minute, Briefing: "Do **this**.\n", Seed: 7}
	md := briefingMarkdown(c)
	for _, want := range []string{"# Fix it", "time limit 10m", "Do **this**."} {
		if !strings.Contains(md, want) {
			t.Errorf("briefing lacks %q:\n%s", want, md)
		}
	}
	if out := RenderMarkdown(md, 80, true); strings.Contains(out, "**") || !strings.Contains(out, "this") {
		t.Errorf("styled briefing:\n%s", out)
	}
	if out := RenderMarkdown(md, 80, false); out != md {
		t.Errorf("unstyled briefing changed")
	}
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                            "0s",
		20 * time.Second:             "20s",
		10 * time.Minute:             "10m",
		90 * time.Second:             "1m30s",
		time.Hour:                    "1h",
		time.Hour + 30*time.Second:   "1h0m30s",
		2*time.Hour + 15*time.Minute: "2h15m",
	} {
		if got := ShortDuration(d); got != want {
			t.Errorf("ShortDuration(%s) = %q, want %q", d, got, want)
		}
	}
}
