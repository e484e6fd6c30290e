package check

import (
	"testing"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/sandbox"
)

func procState(ps ...sandbox.Process) func() *fakeState {
	return func() *fakeState {
		st := withAccounts(newFake())
		st.snap = &sandbox.Snapshot{Processes: ps}
		return st
	}
}

var (
	reloader = sandbox.Process{PID: 40, UID: 0, State: "S", Cmdline: "/bin/bash /usr/local/bin/reloader.sh", Exe: "/usr/bin/bash", Comm: "reloader.sh"}
	newer    = sandbox.Process{PID: 90, UID: 0, State: "S", Cmdline: "/bin/bash /usr/local/bin/reloader.sh", Exe: "/usr/bin/bash", Comm: "reloader.sh"}
	sleeper  = sandbox.Process{PID: 50, UID: 1000, State: "S", Cmdline: "sleep 1000", Exe: "/usr/bin/sleep", Comm: "sleep"}
	stopped  = sandbox.Process{PID: 51, UID: 1000, State: "T", Cmdline: "sleep 1000", Exe: "/usr/bin/sleep", Comm: "sleep"}
	zombie   = sandbox.Process{PID: 52, UID: 1000, State: "Z", Comm: "sleep"}
	// A process renamed with exec -a: its command line lies, its exe does not.
	faker = sandbox.Process{PID: 60, UID: 1000, State: "S", Cmdline: "nginx: master process", Exe: "/usr/bin/sleep", Comm: "sleep"}
)

func TestProcessCheck(t *testing.T) {
	p := func(pattern string, c challenge.Check) challenge.Check {
		c.Kind, c.Subject = challenge.KindProcess, pattern
		return c
	}
	runKindCases(t, []kindCase{
		{name: "running", check: p("^sleep", challenge.Check{}), state: procState(sleeper), pass: true},
		{name: "running wrong", check: p("^sleep", challenge.Check{}), state: procState(reloader), msg: "no matching process is running"},
		{name: "zombie is not running", check: p("^sleep", challenge.Check{}), state: procState(zombie), msg: "no matching process"},
		{name: "not running", check: p("^sleep", challenge.Check{Running: ptr(false)}), state: procState(reloader, zombie), pass: true},
		{name: "not running wrong", check: p("^sleep", challenge.Check{Running: ptr(false)}), state: procState(sleeper), msg: "still running (pid 50)"},
		{name: "count", check: p("^sleep", challenge.Check{Count: ptr(2)}), state: procState(sleeper, stopped, zombie), pass: true},
		{name: "count wrong", check: p("^sleep", challenge.Check{Count: ptr(1)}), state: procState(sleeper, stopped), msg: "2 matching processes, expected 1"},
		{name: "count zero", check: p("^sleep", challenge.Check{Count: ptr(0)}), state: procState(reloader), pass: true},
		{name: "user", check: p("^sleep", challenge.Check{User: ptr("student")}), state: procState(sleeper), pass: true},
		{name: "user by uid", check: p("^sleep", challenge.Check{User: ptr("1000")}), state: procState(sleeper), pass: true},
		{name: "user wrong", check: p("reloader", challenge.Check{User: ptr("student")}), state: procState(reloader), msg: "pid 40 runs as root, expected student"},
		{name: "state stopped", check: p("^sleep", challenge.Check{State: ptr("stopped")}), state: procState(stopped), pass: true},
		{name: "state stopped wrong", check: p("^sleep", challenge.Check{State: ptr("stopped")}), state: procState(sleeper), msg: "pid 50 is running, expected stopped"},
		{name: "state running", check: p("^sleep", challenge.Check{State: ptr("running")}), state: procState(sleeper), pass: true},
		{name: "state zombie", check: p("^sleep", challenge.Check{State: ptr("zombie")}), state: procState(zombie), pass: true},
		{name: "state zombie wrong", check: p("^sleep", challenge.Check{State: ptr("zombie")}), state: procState(sleeper), msg: "no matching zombie"},
		{name: "exe", check: p("nginx", challenge.Check{Exe: ptr("/usr/sbin/nginx")}), state: procState(sandbox.Process{PID: 3, State: "S", Cmdline: "nginx: master process", Exe: "/usr/sbin/nginx"}), pass: true},
		{name: "exe defeats exec -a", check: p("nginx", challenge.Check{Exe: ptr("/usr/sbin/nginx")}), state: procState(faker), msg: "pid 60 runs /usr/bin/sleep, expected /usr/sbin/nginx"},
		{name: "same_pid", check: p("reloader", challenge.Check{SamePID: ptr(true)}), state: procState(reloader), pass: true},
		{name: "same_pid restarted", check: p("reloader", challenge.Check{SamePID: ptr(true)}), state: procState(newer), msg: "pid 40) is gone; pid 90"},
		{name: "same_pid gone", check: p("reloader", challenge.Check{SamePID: ptr(true)}), state: procState(), msg: "no matching process is running"},
		{name: "bad pattern", check: p("(", challenge.Check{}), state: procState(sleeper), msg: "not a valid RE2"},
	})
}

func TestPortCheck(t *testing.T) {
	snap := func(socks ...sandbox.Socket) func() *fakeState {
		return func() *fakeState {
			st := newFake()
			st.snap = &sandbox.Snapshot{Processes: []sandbox.Process{sleeper, {PID: 70, State: "S", Cmdline: "python3 -m http.server 8080", Comm: "python3"}}, Sockets: socks}
			return st
		}
	}
	web := sandbox.Socket{Proto: "tcp", Addr: "0.0.0.0", Port: 8080, Listening: true, PIDs: []int{70}}
	dns := sandbox.Socket{Proto: "udp", Addr: "127.0.0.1", Port: 5353, Listening: true, PIDs: []int{50}}
	client := sandbox.Socket{Proto: "tcp", Addr: "127.0.0.1", Port: 8080, Listening: false, PIDs: []int{50}}
	port := func(n string, c challenge.Check) challenge.Check { c.Kind, c.Subject = challenge.KindPort, n; return c }
	runKindCases(t, []kindCase{
		{name: "listening", check: port("8080", challenge.Check{}), state: snap(web), pass: true},
		{name: "listening wrong", check: port("8080", challenge.Check{}), state: snap(client), msg: "nothing listens on tcp port 8080"},
		{name: "udp", check: port("5353", challenge.Check{Proto: ptr("udp")}), state: snap(dns), pass: true},
		{name: "udp is not tcp", check: port("5353", challenge.Check{}), state: snap(dns), msg: "nothing listens on tcp port 5353"},
		{name: "closed", check: port("8080", challenge.Check{Listening: ptr(false)}), state: snap(client), pass: true},
		{name: "closed wrong", check: port("8080", challenge.Check{Listening: ptr(false)}), state: snap(web), msg: "still listens on tcp port 8080 (python3, pid 70)"},
		{name: "process", check: port("8080", challenge.Check{Process: ptr("http\\.server")}), state: snap(web), pass: true},
		{name: "process wrong", check: port("8080", challenge.Check{Process: ptr("nginx")}), state: snap(web), msg: "held by the wrong program (python3, pid 70)"},
	})
}
