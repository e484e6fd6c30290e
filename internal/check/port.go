package check

import (
	"fmt"
	"strconv"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/sandbox"
)

func evalPort(c *challenge.Check, f *facts, sp speaker) []string {
	port, err := strconv.Atoi(c.Subject)
	if err != nil {
		return []string{"the check's port is not a number"}
	}
	proto := "tcp"
	if c.Proto != nil {
		proto = *c.Proto
	}
	where := proto + " port " + sp.subject(c.Subject, "the expected port")
	if sp.secret(c.Subject) {
		where = "the expected " + proto + " port"
	}
	var listeners []sandbox.Socket
	for _, s := range f.snap.Sockets {
		if s.Proto == proto && s.Port == port && s.Listening {
			listeners = append(listeners, s)
		}
	}
	if c.Listening != nil && !*c.Listening {
		if len(listeners) > 0 {
			return []string{fmt.Sprintf("something still listens on %s%s", where, by(listeners, f.snap))}
		}
		return nil
	}
	if len(listeners) == 0 {
		return []string{"nothing listens on " + where}
	}
	if c.Process != nil {
		re, err := compile(*c.Process)
		if err != nil {
			return []string{"the check's process pattern is not a valid RE2 expression"}
		}
		for _, s := range listeners {
			for _, pid := range s.PIDs {
				if p := processByPID(f.snap, pid); p != nil && re.MatchString(commandLine(*p)) {
					return nil
				}
			}
		}
		return []string{fmt.Sprintf("%s is held by the wrong program%s", where, by(listeners, f.snap))}
	}
	return nil
}

func processByPID(snap *sandbox.Snapshot, pid int) *sandbox.Process {
	for i := range snap.Processes {
		if snap.Processes[i].PID == pid {
			return &snap.Processes[i]
		}
	}
	return nil
}

// by names the programs holding the sockets, which ss -p would show the
// learner too.
func by(socks []sandbox.Socket, snap *sandbox.Snapshot) string {
	for _, s := range socks {
		for _, pid := range s.PIDs {
			if p := processByPID(snap, pid); p != nil {
				return fmt.Sprintf(" (%s, pid %d)", p.Comm, p.PID)
			}
		}
	}
	return ""
}
