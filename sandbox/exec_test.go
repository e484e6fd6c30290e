package sandbox

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/client"
)

func TestExecBasics(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{})
	r, err := s.Exec(context.Background(), ExecOptions{
		Cmd:     []string{"/bin/sh", "-c", `echo out; echo err >&2; echo "$FOO"; pwd; cat; exit 3`},
		User:    "student",
		Env:     []string{"FOO=bar"},
		WorkDir: "/tmp",
		Stdin:   strings.NewReader("from stdin\n"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.ExitCode != 3 || string(r.Stdout) != "out\nbar\n/tmp\nfrom stdin\n" || string(r.Stderr) != "err\n" || r.Truncated || r.TimedOut {
		t.Errorf("got %+v stdout %q stderr %q", r, r.Stdout, r.Stderr)
	}
}

func TestExecTimeoutKillsProcessGroup(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{})
	t0 := time.Now()
	r, err := s.Exec(context.Background(), ExecOptions{
		Cmd:     []string{"/bin/sh", "-c", "trap '' TERM; sleep 3001 & sleep 3002; wait"},
		User:    "student",
		Timeout: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !r.TimedOut || time.Since(t0) > 5*time.Second {
		t.Errorf("timed out %v after %v", r.TimedOut, time.Since(t0))
	}
	time.Sleep(200 * time.Millisecond)
	if ps := run(t, s, "root", "pgrep -f '[s]leep 300[12]' || true"); len(ps.Stdout) != 0 {
		t.Errorf("processes survived the timeout: %s", ps.Stdout)
	}
}

func TestExecOutputFloodIsCapped(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{})
	r, err := s.Exec(context.Background(), ExecOptions{
		Cmd:         []string{"/bin/sh", "-c", "head -c 50000000 /dev/zero; echo done >&2"},
		OutputLimit: 1000,
		Timeout:     time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.TimedOut || !r.Truncated || len(r.Stdout) != 1000 || string(r.Stderr) != "done\n" || r.ExitCode != 0 {
		t.Errorf("timed out %v truncated %v stdout %d bytes stderr %q exit %d", r.TimedOut, r.Truncated, len(r.Stdout), r.Stderr, r.ExitCode)
	}
	r, err = s.Exec(context.Background(), ExecOptions{Cmd: []string{"yes"}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if !r.TimedOut || !r.Truncated || len(r.Stdout) != DefaultOutputLimit {
		t.Errorf("yes: timed out %v truncated %v %d bytes", r.TimedOut, r.Truncated, len(r.Stdout))
	}
}

func TestForkBombIsContained(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{})
	other := start(t, c, Profile{})
	done := make(chan *ExecResult, 1)
	var bombErr error
	go func() {
		r, err := s.Exec(context.Background(), ExecOptions{
			Cmd:     []string{"/bin/bash", "-c", "bomb() { bomb | bomb & }; bomb; sleep 8"},
			User:    "student",
			Timeout: 8 * time.Second,
		})
		bombErr = err
		done <- r
	}()
	time.Sleep(3 * time.Second)
	// The host and other sandboxes stay responsive.
	t0 := time.Now()
	if r := run(t, other, "root", "echo alive"); string(r.Stdout) != "alive\n" || time.Since(t0) > 5*time.Second {
		t.Errorf("other sandbox: %q after %v", r.Stdout, time.Since(t0))
	}
	if r := run(t, s, "root", "cat /sys/fs/cgroup/pids/pids.current 2>/dev/null || cat /sys/fs/cgroup/pids.current"); r.ExitCode == 0 {
		t.Logf("pids during the bomb: %s", r.Stdout)
	}
	// The inspector reads the limit's hits even while nothing can fork in
	// the learner's container; the other sandbox never hit it.
	if st, err := s.Status(context.Background()); err != nil || !st.PidsLimitHit || !errors.Is(st.Err(), ErrLimit) {
		t.Errorf("status during the bomb: %+v, %v", st, err)
	}
	if st, err := other.Status(context.Background()); err != nil || st.PidsLimitHit {
		t.Errorf("status without a bomb: %+v, %v", st, err)
	}
	r := <-done
	var le *LimitError
	if !errors.As(bombErr, &le) || le.Kind != LimitPids || !r.TimedOut {
		t.Errorf("fork bomb: err %v, result %+v", bombErr, r)
	}
}

func TestMemoryBombIsReported(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{})
	r, err := s.Exec(context.Background(), ExecOptions{
		Cmd:     []string{"python3", "-c", "a = []\nwhile True: a.append(bytearray(10**7))"},
		User:    "student",
		Timeout: time.Minute,
	})
	if !errors.Is(err, ErrLimit) || r == nil || !r.OOMKilled || r.ExitCode != 137 {
		t.Fatalf("memory bomb: err %v result %+v", err, r)
	}
	var le *LimitError
	if !errors.As(err, &le) || le.Kind != LimitMemory {
		t.Errorf("limit %v", err)
	}
	// The sandbox survives, and a later clean command is not blamed.
	if r, err := s.Exec(context.Background(), ExecOptions{Cmd: []string{"sh", "-c", "kill -9 $$"}}); err != nil || r.ExitCode != 137 {
		t.Errorf("after the bomb: %v %+v", err, r)
	}
	if st, err := s.Status(context.Background()); err != nil || !st.OOMKilled || !st.Running {
		t.Errorf("status %+v %v", st, err)
	}
}

func TestDiskFillIsStopped(t *testing.T) {
	c := testClient(t)
	c.diskPoll = 300 * time.Millisecond
	s := start(t, c, Profile{DiskQuota: 50 << 20})
	// /tmp is a capped tmpfs.
	r := run(t, s, "student", "dd if=/dev/zero of=/tmp/fill bs=1M count=100 2>&1")
	if r.ExitCode == 0 || !strings.Contains(string(r.Stdout), "No space left") {
		t.Errorf("tmp fill: exit %d %s", r.ExitCode, r.Stdout)
	}
	// The writable layer is watched.
	r, err := s.Exec(context.Background(), ExecOptions{
		Cmd:     []string{"/bin/sh", "-c", "for i in 1 2 3 4 5 6 7 8; do dd if=/dev/zero of=/home/student/f$i bs=1M count=30 status=none; sleep 0.3; done; sleep 30"},
		User:    "student",
		Timeout: time.Minute,
	})
	if err == nil {
		t.Fatalf("disk fill went unnoticed: %+v", r)
	}
	var st Status
	var serr error
	for i := 0; i < 50; i++ {
		if st, serr = s.Status(context.Background()); serr != nil || !st.Running {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if serr != nil || !st.DiskExceeded || st.Running {
		t.Errorf("status %+v %v", st, serr)
	}
	if !errors.Is(st.Err(), ErrLimit) {
		t.Errorf("status error %v", st.Err())
	}
	if _, err := s.Exec(context.Background(), ExecOptions{Cmd: []string{"true"}}); !errors.Is(err, ErrLimit) {
		t.Errorf("exec after the kill: %v", err)
	}
}

func TestDeadlineKillsEverything(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{Lifetime: 4 * time.Second})
	detach(t, s, "root", "trap '' TERM HUP INT; exec sleep 4444", "[s]leep 4444")
	// killall sleep does not end the sandbox early.
	run(t, s, "root", "killall sleep; killall -9 sleep; true")
	if st, err := s.Status(context.Background()); err != nil || !st.Running {
		t.Fatalf("killall sleep ended the sandbox: %+v %v", st, err)
	}
	for time.Now().Before(s.Deadline.Add(8 * time.Second)) {
		st, err := s.Status(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if st.Gone {
			if time.Now().Before(s.Deadline) {
				t.Error("gone before the deadline")
			}
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Error("the sandbox outlived its deadline")
}

func TestDaemonLost(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "docker.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			conn.Close()
		}
	}()
	api, err := client.NewClientWithOpts(client.WithHost("unix://"+sock), client.WithVersion("1.41"))
	if err != nil {
		t.Fatal(err)
	}
	c := &Client{api: api, live: map[string]*Sandbox{}}
	if _, err := c.List(context.Background()); !errors.Is(err, ErrDaemonLost) {
		t.Errorf("list on a dropped connection: %v", err)
	}
	l.Close()
	os.Remove(sock)
	if _, err := c.List(context.Background()); !errors.Is(err, ErrDaemonLost) {
		t.Errorf("list on a missing socket: %v", err)
	}
	t.Setenv("DOCKER_HOST", "unix://"+sock)
	_, err = Connect(context.Background())
	var ue *UnavailableError
	if !errors.As(err, &ue) || !errors.Is(err, ErrDockerUnavailable) || ue.Host != "unix://"+sock {
		t.Errorf("connect: %v", err)
	}
	if err.Error() != "cannot reach Docker at unix://"+sock {
		t.Errorf("message %q", err)
	}
	_ = bytes.MinRead
}
