package sandbox

import (
	"context"
	"strings"
	"testing"
	"time"
)

// detach starts a long-running process as user and waits until pgrep sees it.
func detach(t *testing.T, s *Sandbox, user, cmd, pattern string) {
	t.Helper()
	if _, err := s.Exec(context.Background(), ExecOptions{Cmd: []string{"/bin/bash", "-c", cmd}, User: user, Detach: true}); err != nil {
		t.Fatalf("detach %q: %v", cmd, err)
	}
	for i := 0; i < 50; i++ {
		if run(t, s, "root", "pgrep -f -- '"+pattern+"'").ExitCode == 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%q never started", cmd)
}

func TestRootLearnerSeesAndControlsEverything(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{Root: true})
	detach(t, s, "student", "exec python3 -m http.server 8123 --bind 127.0.0.1", "[h]ttp.server 8123")
	detach(t, s, "student", "exec sleep 4242", "sleep 4242")
	checks := []struct{ name, cmd, want string }{
		{"ps aux", "ps aux", "sleep 4242"},
		{"ss -ltnp", "ss -ltnp", `users:(("python3",pid=`},
		{"lsof -i", "lsof -nP -i :8123", "python3"},
		{"fuser", "fuser -n tcp 8123 2>&1", "8123/tcp"},
		{"useradd", "useradd -m alice && id -u alice", "1001"},
		{"chown", "touch /root/f && chown alice:alice /root/f && stat -c %U /root/f", "alice"},
		{"kill other user's process", "pkill -x sleep -U student && sleep 0.5; pgrep -f '[s]leep 4242' || echo gone", "gone"},
	}
	for _, tc := range checks {
		r := run(t, s, "root", tc.cmd)
		if r.ExitCode != 0 || !strings.Contains(string(r.Stdout), tc.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q, want %q", tc.name, r.ExitCode, r.Stdout, r.Stderr, tc.want)
		}
	}
}

func TestStudentIsConfined(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{})
	detach(t, s, "root", "exec sleep 4343", "[s]leep 4343")
	for _, tc := range []struct{ name, cmd string }{
		{"read /etc/shadow", "cat /etc/shadow"},
		{"kill root's process", "pkill -f '[s]leep 4343'"},
		{"chown", "chown root ~/.bashrc"},
		{"useradd", "useradd bob"},
	} {
		if r := run(t, s, "student", tc.cmd); r.ExitCode == 0 {
			t.Errorf("student could %s: %s", tc.name, r.Stdout)
		}
	}
	if r := run(t, s, "root", "pgrep -f '[s]leep 4343'"); r.ExitCode != 0 {
		t.Error("root's process died")
	}
	r, err := s.Exec(context.Background(), ExecOptions{Cmd: []string{"sh", "-c", "whoami; pwd"}, User: "student", WorkDir: "/home/student"})
	if err != nil || string(r.Stdout) != "student\n/home/student\n" {
		t.Errorf("student shell: %v %q", err, r.Stdout)
	}
}

const rawSocket = `python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); print("raw ok")'`

func TestRawSocketNeedsNetRaw(t *testing.T) {
	c := testClient(t)
	plain := start(t, c, Profile{Root: true})
	if r := run(t, plain, "root", rawSocket); r.ExitCode == 0 {
		t.Errorf("raw socket without NET_RAW: %s", r.Stdout)
	}
	raw := start(t, c, Profile{Root: true, CapAdd: []string{"NET_RAW"}})
	if r := run(t, raw, "root", rawSocket); r.ExitCode != 0 || string(r.Stdout) != "raw ok\n" {
		t.Errorf("raw socket with NET_RAW: exit %d %s %s", r.ExitCode, r.Stdout, r.Stderr)
	}
	if r := run(t, raw, "root", "ip -o link | grep -v ' lo:' | wc -l"); strings.TrimSpace(string(r.Stdout)) != "0" {
		t.Errorf("network none has interfaces: %s", r.Stdout)
	}
}
