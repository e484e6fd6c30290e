package check

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/sandbox"
)

// commandLine is what a process pattern is matched against: the full
// command line, or the name when there is none (zombies, kernel threads),
// as pgrep -f does.
func commandLine(p sandbox.Process) string {
	if p.Cmdline != "" {
		return p.Cmdline
	}
	return p.Comm
}

var stateNames = map[string]string{"R": "running", "S": "running", "D": "running", "I": "running", "T": "stopped", "t": "stopped", "Z": "zombie"}

// stateName maps a kernel state letter to the words of the format: a
// sleeping process is running as far as a learner is concerned.
func stateName(letter string) string {
	if n, ok := stateNames[letter]; ok {
		return n
	}
	return "in state " + letter
}

func evalProcess(c *challenge.Check, f *facts, base Baseline, sp speaker) []string {
	re, err := compile(c.Subject)
	if err != nil {
		return []string{"the check's pattern is not a valid RE2 expression"}
	}
	var all, live []sandbox.Process
	for _, p := range f.snap.Processes {
		if re.MatchString(commandLine(p)) {
			all = append(all, p)
			if p.State != "Z" {
				live = append(live, p)
			}
		}
	}
	if c.Running != nil && !*c.Running {
		if len(live) > 0 {
			return []string{fmt.Sprintf("%s still running (pid %s)", plural(len(live), "matching process is", "matching processes are"), pids(live))}
		}
		return nil
	}
	var fails []string
	add := func(format string, args ...any) { fails = append(fails, fmt.Sprintf(format, args...)) }
	zombieWanted := c.State != nil && *c.State == "zombie"
	counted := live
	if zombieWanted {
		counted = nil
		for _, p := range all {
			if p.State == "Z" {
				counted = append(counted, p)
			}
		}
	}
	if c.Count != nil {
		if len(counted) != *c.Count {
			add("%s%s", plural(len(counted), "matching process", "matching processes"), sp.want(strconv.Itoa(*c.Count)))
		}
		if *c.Count == 0 {
			return fails
		}
	}
	if len(counted) == 0 {
		if zombieWanted {
			return append(fails, "no matching zombie process")
		}
		return append(fails, "no matching process is running")
	}
	if c.State != nil {
		for _, p := range all {
			if stateName(p.State) != *c.State {
				add("pid %d is %s, expected %s", p.PID, stateName(p.State), *c.State)
			}
		}
	}
	if c.User != nil {
		uid, err := resolveUID(*c.User, f.acct)
		if err != nil {
			add("%s", err)
		} else {
			for _, p := range counted {
				if p.UID != uid {
					add("pid %d runs as %s%s", p.PID, userLabel(p.UID, f.acct), sp.want(*c.User))
				}
			}
		}
	}
	if c.Exe != nil {
		for _, p := range counted {
			if exe := strings.TrimSuffix(p.Exe, " (deleted)"); exe != *c.Exe {
				shown := exe
				if shown == "" {
					shown = "unknown"
				}
				add("pid %d runs %s%s", p.PID, shown, sp.want(*c.Exe))
			}
		}
	}
	if c.SamePID != nil && *c.SamePID {
		was := map[int]bool{}
		for _, pid := range base[c.Name] {
			was[pid] = true
		}
		still := false
		for _, p := range counted {
			still = still || was[p.PID]
		}
		if !still {
			if len(was) == 0 {
				add("no matching process was running when the challenge started")
			} else {
				add("the process that was running at the start (pid %s) is gone; pid %s is a new one", intList(base[c.Name]), pids(counted))
			}
		}
	}
	return fails
}

func resolveUID(v string, acct *accounts) (int, error) {
	if acct == nil {
		acct = &accounts{}
	}
	uid, err := acct.uid(v)
	if err != nil {
		return 0, fmt.Errorf("cannot check the process owner: %v", err)
	}
	return uid, nil
}

func userLabel(uid int, acct *accounts) string {
	if acct == nil {
		return strconv.Itoa(uid)
	}
	return acct.userName(uid)
}

func pids(ps []sandbox.Process) string {
	ids := make([]int, len(ps))
	for i, p := range ps {
		ids[i] = p.PID
	}
	return intList(ids)
}

func intList(ids []int) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.Itoa(id)
	}
	return strings.Join(s, ", ")
}
