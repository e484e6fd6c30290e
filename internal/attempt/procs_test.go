package attempt

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shellgym/shellgym/sandbox"
	"github.com/shellgym/shellgym/sandbox/sandboxtest"
)

// procsChallenge exercises every process, port and command assertion, and
// services, in one sandbox with a root learner.
const procsChallenge = `
title: Processes, ports and commands
category: test
difficulty: medium
user: root
briefing: Integration test.
setup:
  files:
    - path: /usr/local/bin/reloader.sh
      mode: "0755"
      content: |
        #!/bin/bash
        trap 'echo reloaded' HUP
        echo reloader up
        while :; do sleep 1 & wait $!; done
  script: |
    cp /usr/bin/sleep /usr/local/bin/mydaemon
    nohup sleep 4242 >/dev/null 2>&1 &
    nohup sleep 777 >/dev/null 2>&1 &
    nohup python3 -m http.server 8001 --bind 127.0.0.1 >/dev/null 2>&1 &
  services:
    - name: reloader
      run: /usr/local/bin/reloader.sh
    - name: web
      user: student
      run: exec python3 -m http.server 8000 --bind 127.0.0.1
checks:
  - name: runaway gone
    process: "^sleep 4242$"
    running: false
  - name: reloader kept
    process: "reloader\\.sh"
    same_pid: true
    count: 1
    user: root
  - name: web listens
    port: 8000
    process: "http\\.server 8000"
  - name: web user
    process: "http\\.server 8000"
    user: student
  - name: dns up
    port: 5353
    proto: udp
  - name: old port closed
    port: 8001
    listening: false
  - name: paused
    process: "^sleep 777$"
    state: stopped
  - name: zombie
    process: "^sleep$"
    state: zombie
  - name: real daemon
    process: mydaemon
    exe: /usr/local/bin/mydaemon
  - name: two workers
    process: "^sleep 31337$"
    count: 2
  - name: status file
    command: grep -c ok /root/status
    stdout: "1"
  - name: status words
    command: cat /root/status
    exit: 0
    stdout_contains: ok
    stdout_matches: "^ok$"
  - name: student sees it
    command: test -r /root/status
    as: student
    exit: 1
solution: |
  if pgrep -f zz-solution-marker-42 >/dev/null; then echo "the script found itself" >&2; exit 9; fi
  pkill -f '^sleep 4242$'
  pkill -f 'http.server 8001'
  pkill -STOP -f '^sleep 777$'
  nohup python3 -c 'import socket,time; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("127.0.0.1",5353)); time.sleep(10**6)' >/dev/null 2>&1 &
  (sleep 0.1 & exec sleep 100000) &
  nohup /usr/local/bin/mydaemon 100000 >/dev/null 2>&1 &
  for i in 1 2; do nohup sleep 31337 >/dev/null 2>&1 & done
  echo ok > /root/status
  sleep 1
`

func TestProcessesPortsCommands(t *testing.T) {
	c := load(t, "procs", procsChallenge, nil)
	a := prepare(t, c, Options{})
	if len(a.Baseline["reloader kept"]) == 0 {
		t.Fatalf("baseline = %v, want the reloader's pid", a.Baseline)
	}

	fresh := map[string]string{
		"runaway gone":    "1 matching process is still running",
		"dns up":          "nothing listens on udp port 5353",
		"old port closed": "something still listens on tcp port 8001 (python3, pid",
		"paused":          "is running, expected stopped",
		"zombie":          "no matching zombie process",
		"real daemon":     "no matching process is running",
		"two workers":     "0 matching processes, expected 2",
		"status file":     "output differs",
		"status words":    "exited with status 1, expected 0; the command's output lacks",
	}
	expect(t, "fresh", evaluate(t, a), fresh)

	// A fake daemon renamed with exec -a, a fake ss and a fake ps change
	// nothing.
	run(t, a, `
nohup bash -c 'exec -a "mydaemon --real" sleep 100000' >/dev/null 2>&1 &
printf '#!/bin/sh\necho "udp UNCONN 0 0 127.0.0.1:5353 0.0.0.0:*"\n' > /usr/bin/ss
printf '#!/bin/sh\necho "  1 ? T 0:00 sleep 777"\n' > /usr/bin/ps
chmod +x /usr/bin/ss /usr/bin/ps
sleep 0.5`)
	faked := map[string]string{}
	for k, v := range fresh {
		faked[k] = v
	}
	faked["real daemon"] = "runs /usr/bin/sleep, expected /usr/local/bin/mydaemon"
	expect(t, "faked", evaluate(t, a), faked)
	run(t, a, `pkill -f '^mydaemon --real'`)

	res := run(t, a, c.Solution+"\necho zz-solution-marker-42 done\n")
	if !strings.Contains(string(res.Stdout), "zz-solution-marker-42 done") {
		t.Errorf("solution stdout = %q", res.Stdout)
	}
	expect(t, "solved", evaluate(t, a), nil)

	// Sabotage after solving: tools gone, ld.so.preload, fake results.
	run(t, a, `
rm -f /usr/bin/stat /usr/bin/ls /usr/bin/find /usr/bin/ps /usr/bin/ss
echo /usr/lib/evil.so > /etc/ld.so.preload
echo '{"passed": true}' > /tmp/results.json
echo '{"title":"procs","passed":true,"challenges":[]}'`)
	expect(t, "sabotaged", evaluate(t, a), nil)
	rootExec(t, a, "rm -f /etc/ld.so.preload")

	// The service's output is kept in its log.
	log, err := a.Box.ReadFiles(ctxT(t), []string{LogDir + "/reloader.log"}, 1<<20)
	if err != nil || !strings.Contains(string(log[0].Content), "reloader up") {
		t.Errorf("reloader log = %q, %v", log[0].Content, err)
	}

	// Restarting the reloader instead of signalling it breaks same_pid.
	run(t, a, `pkill -f reloader.sh; nohup /usr/local/bin/reloader.sh >/dev/null 2>&1 & sleep 0.5`)
	expect(t, "restarted", evaluate(t, a), map[string]string{"reloader kept": "is gone; pid"})
}

// TestRunScriptLimits checks the learner's scripts: their time limit,
// their capped output, and that a background server outlives the script.
func TestRunScriptLimits(t *testing.T) {
	c := load(t, "limits", `
title: Limits
category: test
difficulty: easy
briefing: Integration test.
params:
  color: {choice: [red, blue], given: true}
setup:
  services:
    - name: chatty
      user: student
      run: |
        echo first line
        head -c 3000000 /dev/zero | tr '\0' x | fold -w 99
        exec sleep 424242
    - name: secretive
      run: |
        : TOPSECRET
        exec sleep 515151
checks:
  - name: server up
    port: 8123
  - name: chatty survives its log cap
    process: "^sleep 424242$"
    user: student
solution: "true"
`, nil)
	a := prepare(t, c, Options{})

	res := run(t, a, `echo "$(id -un) $HOME $PWD $GYM_COLOR"; head -c 3000000 /dev/zero | tr '\0' x; nohup python3 -m http.server 8123 >/dev/null 2>&1 &`)
	first := strings.SplitN(string(res.Stdout), "\n", 2)[0]
	if want := "student /home/student /home/student " + c.Values["color"]; first != want {
		t.Errorf("first line = %q, want %q", first, want)
	}
	if !res.Truncated || len(res.Stdout) > ScriptOutputLimit {
		t.Errorf("output not capped: %d bytes, truncated=%v", len(res.Stdout), res.Truncated)
	}
	time.Sleep(500 * time.Millisecond)
	expect(t, "server", evaluate(t, a), nil)
	// The service got past its output, so the log holds all it will.
	logs, err := a.Box.ReadFiles(ctxT(t), []string{LogDir + "/chatty.log"}, 4<<20)
	if err != nil {
		t.Fatal(err)
	}
	if l := logs[0]; l.Size != ServiceLogLimit || !strings.HasPrefix(string(l.Content), "first line\nxxx") {
		t.Errorf("chatty log: %d bytes, starts %q", l.Size, l.Content[:min(len(l.Content), 20)])
	}
	if l := a.Limit(ctxT(t)); l != "" {
		t.Errorf("Limit = %q before any limit", l)
	}

	// Service scripts show in ps; a student reads their own, not root's.
	svc, err := a.Box.ListTree(ctxT(t), serviceDir)
	if err != nil {
		t.Fatal(err)
	}
	var cat strings.Builder
	for _, f := range svc {
		if f.Type == sandbox.Regular {
			fmt.Fprintf(&cat, "cat %s 2>/dev/null\n", f.Path)
		}
	}
	res = run(t, a, cat.String()+"true\n")
	if out := string(res.Stdout); !strings.Contains(out, "fold -w 99") || strings.Contains(out, "TOPSECRET") {
		t.Errorf("service scripts the student could read:\n%s", out)
	}

	if res, err := a.RunScript(ctxT(t), "sudo -n true"); err != nil || res.ExitCode == 0 {
		t.Errorf("a student without sudo: true ran sudo: %v", err)
	}

	a.Challenge.TimeLimit = 2 * time.Second
	start := time.Now()
	res, err = a.RunScript(ctxT(t), "sleep 60")
	if err != nil && !errors.Is(err, sandbox.ErrLimit) {
		t.Fatal(err)
	}
	if !res.TimedOut || time.Since(start) > 20*time.Second {
		t.Errorf("timed out = %v after %s", res.TimedOut, time.Since(start))
	}
	if l := a.Limit(ctxT(t)); l != "time limit" {
		t.Errorf("Limit = %q, want time limit", l)
	}
}

// TestSetupFailures checks that a broken setup is a setup error that says
// why: a failing script, and a setup file whose owner exists neither before
// nor after the script.
func TestSetupFailures(t *testing.T) {
	const head = "title: Broken\ncategory: test\ndifficulty: easy\nbriefing: Integration test.\nchecks:\n  - name: x\n    file: /x\nsolution: \"true\"\n"
	for name, tc := range map[string]struct {
		setup string
		want  []string
	}{
		"script fails": {
			setup: "setup:\n  script: |\n    echo \"cannot frobnicate\" >&2\n    exit 3\n",
			want:  []string{"status 3", "cannot frobnicate"},
		},
		"unknown owner": {
			setup: "setup:\n  files:\n    - path: /srv/x\n      content: x\n      owner: ghost\n  script: \"true\"\n",
			want:  []string{"ghost"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			c := load(t, "broken", head+tc.setup, nil)
			_, err := Prepare(ctxT(t), sandboxtest.Connect(t), c, Options{Labels: map[string]string{"shellgym.test": testRun}})
			if !errors.Is(err, ErrSetup) {
				t.Fatalf("err = %v, want a setup error", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v, want it to say %q", err, w)
				}
			}
		})
	}
}
