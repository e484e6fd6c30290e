package sandbox

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestInspectorExecIgnoresFakeTools has a root learner replace ip, getfacl
// and tcpdump with liars and preload a missing library: the learner's own
// commands are fooled, the inspector's are not, and it sees the learner's
// files (the /tmp tmpfs included) under $ROOT.
func TestInspectorExecIgnoresFakeTools(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{Root: true})
	ctx := context.Background()
	inspector := func(cmd string) *ExecResult {
		t.Helper()
		r, err := s.InspectorExec(ctx, ExecOptions{Cmd: []string{"bash", "-c", cmd}, Timeout: time.Minute})
		if err != nil {
			t.Fatalf("inspector exec %q: %v", cmd, err)
		}
		return r
	}
	run(t, s, "root", `echo secret > /root/ledger && setfacl -m u:student:r /root/ledger && echo in-tmp > /tmp/marker
printf '#!/bin/sh\necho "10: fake0    inet 10.9.9.9/24 scope global fake0"\n' > /usr/bin/ip
printf '#!/bin/sh\necho "user:student:rwx"\n' > /usr/bin/getfacl
printf '#!/bin/sh\necho "12:00:00.000000 IP 127.0.0.1.1 > 127.0.0.1.9: UDP, length 3"\n' > /usr/bin/tcpdump
printf '\324\303\262\241\2\0\4\0\0\0\0\0\0\0\0\0\377\377\0\0\1\0\0\0' > /root/empty.pcap
chmod +x /usr/bin/ip /usr/bin/getfacl /usr/bin/tcpdump`)

	if out := string(run(t, s, "root", "ip -o addr show; getfacl -cp /root/ledger").Stdout); !strings.Contains(out, "10.9.9.9") || !strings.Contains(out, "user:student:rwx") {
		t.Fatalf("the fakes are not in place in the learner's container: %q", out)
	}
	// tcpdump drops root after opening the file: that takes SETUID/SETGID.
	r := inspector(`set -e; ip -o addr show dev lo; getfacl -cpn "$ROOT/root/ledger"; cat "$ROOT/tmp/marker"; tcpdump -nn -r "$ROOT/root/empty.pcap"; echo "ROOT=$ROOT"`)
	out := string(r.Stdout)
	if r.ExitCode != 0 || strings.Contains(out, "10.9.9.9") || strings.Contains(out, "rwx") || strings.Contains(out, "UDP") {
		t.Errorf("the inspector ran a fake: exit %d\n%s%s", r.ExitCode, out, r.Stderr)
	}
	for _, want := range []string{"inet 127.0.0.1/8", "user:1000:r--", "in-tmp", "ROOT=" + InspectorRoot} {
		if !strings.Contains(out, want) {
			t.Errorf("inspector output lacks %q:\n%s%s", want, out, r.Stderr)
		}
	}

	// ld.so.preload naming a library breaks the learner's programs (ld.so
	// complains on each), not the inspector's.
	run(t, s, "root", "echo /usr/lib/evil.so > /etc/ld.so.preload")
	if r := run(t, s, "root", "/usr/bin/true"); !strings.Contains(string(r.Stderr), "evil.so") {
		t.Errorf("the learner's preload had no effect: %q", r.Stderr)
	}
	if r := inspector("/usr/bin/true"); r.ExitCode != 0 || len(r.Stderr) != 0 {
		t.Errorf("the learner's preload reached the inspector: exit %d, %q", r.ExitCode, r.Stderr)
	}
	if r := inspector(`cat "$ROOT/etc/ld.so.preload"`); !strings.Contains(string(r.Stdout), "evil.so") {
		t.Errorf("the learner's /etc is not under $ROOT: %q", r.Stdout)
	}

	// A file the learner changes shows at once: no copy, no cache.
	run(t, s, "root", "echo changed > /tmp/marker")
	if r := inspector(`cat "$ROOT/tmp/marker"`); strings.TrimSpace(string(r.Stdout)) != "changed" {
		t.Errorf("$ROOT/tmp/marker = %q after the change", r.Stdout)
	}
	// The inspector's own root is read-only.
	if r := inspector("touch /etc/x"); r.ExitCode == 0 {
		t.Error("the inspector's root is writable")
	}

	// A root learner kills the inspector: the next command re-creates it.
	run(t, s, "root", "pkill -9 -P 0 -f shellgym-keeper; true")
	time.Sleep(500 * time.Millisecond)
	if r := inspector("echo alive"); strings.TrimSpace(string(r.Stdout)) != "alive" {
		t.Errorf("after killing the inspector: exit %d, %q %q", r.ExitCode, r.Stdout, r.Stderr)
	}
}

// TestInspectorExecLimits checks that Timeout and OutputLimit work as in
// Exec, and that only root is accepted.
func TestInspectorExecLimits(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{})
	ctx := context.Background()
	start := time.Now()
	r, err := s.InspectorExec(ctx, ExecOptions{Cmd: []string{"bash", "-c", "sleep 600; echo late"}, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if !r.TimedOut || strings.Contains(string(r.Stdout), "late") || time.Since(start) > 20*time.Second {
		t.Errorf("timeout: %+v after %s", r, time.Since(start))
	}
	r, err = s.InspectorExec(ctx, ExecOptions{Cmd: []string{"bash", "-c", "head -c 100000 /dev/zero"}, OutputLimit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Truncated || len(r.Stdout) != 1000 {
		t.Errorf("output limit: truncated=%v, %d bytes", r.Truncated, len(r.Stdout))
	}
	if _, err := s.InspectorExec(ctx, ExecOptions{Cmd: []string{"true"}, User: "student"}); err == nil {
		t.Error("InspectorExec ran as student")
	}
}
