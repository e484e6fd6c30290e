package sandbox

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestSnapshot(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{Root: true})
	ctx := context.Background()
	detach(t, s, "root", "exec -a fakename sleep 4545", "[f]akename")
	detach(t, s, "student", "exec python3 -m http.server 8124 --bind 127.0.0.1", "[h]ttp.server 8124")
	run(t, s, "root", "rm -f /usr/bin/ps /usr/bin/ss; echo 'echo fake' > /usr/local/bin/python3; chmod +x /usr/local/bin/python3")
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var fake, server *Process
	for i, p := range snap.Processes {
		switch {
		case p.PID == 1 || strings.Contains(p.Cmdline, keeperName) || strings.HasPrefix(p.Cmdline, "sleep 29"):
			t.Errorf("shellgym's own process listed: %+v", p)
		case strings.Contains(p.Cmdline, "-c "+inspectScript[:20]):
			t.Errorf("the inspector listed: %+v", p)
		case p.Cmdline == "fakename 4545":
			fake = &snap.Processes[i]
		case strings.Contains(p.Cmdline, "http.server 8124"):
			server = &snap.Processes[i]
		}
	}
	if fake == nil || fake.Exe != "/usr/bin/sleep" || fake.UID != 0 || fake.State != "S" {
		t.Errorf("exec -a process: %+v (all %+v)", fake, snap.Processes)
	}
	if server == nil || server.UID != 1000 || server.Exe != "/usr/bin/python3.11" {
		t.Fatalf("server: %+v", server)
	}
	found := false
	for _, so := range snap.Sockets {
		if so.Proto == "tcp" && so.Port == 8124 && so.Listening && so.Addr == "127.0.0.1" && len(so.PIDs) == 1 && so.PIDs[0] == server.PID {
			found = true
		}
		if so.Port == 8125 {
			t.Errorf("socket 8125 before it exists: %+v", so)
		}
	}
	if !found {
		t.Errorf("no listener on 8124: %+v", snap.Sockets)
	}
	// A root learner kills the inspector: the next snapshot recreates it.
	run(t, s, "root", "pkill -9 -P 0 -f shellgym-keeper; true")
	time.Sleep(500 * time.Millisecond)
	detach(t, s, "root", "exec nc -u -l -p 8125", "[n]c -u -l")
	snap, err = s.Snapshot(ctx)
	if err != nil {
		t.Fatalf("after killing the inspector: %v", err)
	}
	found = false
	for _, so := range snap.Sockets {
		found = found || (so.Proto == "udp" && so.Port == 8125 && so.Listening && len(so.PIDs) == 1)
	}
	if !found {
		t.Errorf("no udp 8125: %+v", snap.Sockets)
	}
}

func TestInodes(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{})
	run(t, s, "student", "echo a > ~/a && ln ~/a ~/hard && echo a > ~/copy && ln -s /home/student ~/dirlink && echo t > /tmp/t && ln /tmp/t /tmp/t2")
	got, err := s.Inodes(context.Background(), []string{"/home/student/a", "/home/student/hard", "/home/student/copy", "/home/student/dirlink/a", "/nope", "/tmp/t", "/tmp/t2"})
	if err != nil {
		t.Fatal(err)
	}
	if got["/home/student/a"] == 0 || got["/home/student/a"] != got["/home/student/hard"] || got["/home/student/a"] != got["/home/student/dirlink/a"] {
		t.Errorf("hard link not seen: %v", got)
	}
	if got["/home/student/a"] == got["/home/student/copy"] {
		t.Errorf("copy has the same inode: %v", got)
	}
	if _, ok := got["/nope"]; ok {
		t.Errorf("missing path present: %v", got)
	}
	if got["/tmp/t"] == 0 || got["/tmp/t"] != got["/tmp/t2"] || got["/tmp/t"] == got["/home/student/a"] {
		t.Errorf("tmpfs: %v", got)
	}
}
