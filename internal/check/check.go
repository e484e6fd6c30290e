// Package check evaluates a challenge's checks against a sandbox's state.
//
// Nothing is asked of the learner's tools: files, users, groups and captures
// are read through the Docker archive API and parsed here, on the host;
// processes and sockets come from the sandbox's inspector. One evaluation
// pass batches its reads (see Evaluate), so a pass costs a handful of Docker
// round trips whatever the number of checks.
package check

import (
	"context"
	"fmt"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/sandbox"
)

// State is what evaluation reads; *sandbox.Sandbox implements it.
type State interface {
	ReadFiles(ctx context.Context, paths []string, maxBytes int64) ([]sandbox.FileInfo, error)
	ListTree(ctx context.Context, dir string) ([]sandbox.FileInfo, error)
	Snapshot(ctx context.Context) (*sandbox.Snapshot, error)
	Inodes(ctx context.Context, paths []string) (map[string]uint64, error)
	Exec(ctx context.Context, o sandbox.ExecOptions) (*sandbox.ExecResult, error)
	// InspectorExec runs a command in the inspector, with the learner's
	// filesystem under $ROOT: outside command checks.
	InspectorExec(ctx context.Context, o sandbox.ExecOptions) (*sandbox.ExecResult, error)
}

// Result is the verdict of one check. Message says what is wrong when the
// check fails (the author's message, or one generated from what was found);
// it is empty when the check passes.
type Result struct {
	Name    string `json:"name"`
	Passed  bool   `json:"passed"`
	Message string `json:"message"`
}

// Baseline maps a process check's name to the PIDs that matched its pattern
// when setup ended; same_pid compares against it.
type Baseline map[string][]int

// MaxFileBytes is how much of a file's content one evaluation reads. A
// content assertion on a larger file fails rather than guess.
const MaxFileBytes = 16 << 20

// Evaluate runs every check against st and returns one Result per check, in
// order. The error is non-nil only when the state could not be read at all
// (the sandbox is gone, Docker failed); a check that finds bad state fails
// with a message instead.
//
// Reads are batched: one ReadFiles for every file and capture path plus
// /etc/passwd, /etc/group and /etc/shadow when a check needs them, at most
// one Snapshot, at most one Inodes, one ListTree per glob root, and one Exec
// (or InspectorExec, for an outside one) per command check. The reads run concurrently; command checks run after
// them, in order.
//
// hidden lists the values of the challenge's hidden params: a generated
// message never echoes an expected value (a path, a pattern, a number, a
// content) that equals or contains one of them, so failing a check cannot
// give the answer away.
func Evaluate(ctx context.Context, st State, checks []challenge.Check, base Baseline, hidden ...string) ([]Result, error) {
	f, err := gather(ctx, st, checks)
	if err != nil {
		return nil, err
	}
	sp := speaker{hidden: nonEmpty(hidden)}
	out := make([]Result, len(checks))
	for i := range checks {
		c := &checks[i]
		var fails []string
		switch c.Kind {
		case challenge.KindFile:
			fails = evalFile(c, f, sp)
		case challenge.KindGlob:
			fails = evalGlob(c, f, sp)
		case challenge.KindUser:
			fails = evalUser(c, f, sp)
		case challenge.KindGroup:
			fails = evalGroup(c, f, sp)
		case challenge.KindProcess:
			fails = evalProcess(c, f, base, sp)
		case challenge.KindPort:
			fails = evalPort(c, f, sp)
		case challenge.KindPcap:
			fails = evalPcap(c, f, sp)
		case challenge.KindCommand:
			fails, err = evalCommand(ctx, st, c, sp)
			if err != nil {
				return nil, err
			}
		default:
			fails = []string{fmt.Sprintf("unknown check kind %q", c.Kind)}
		}
		out[i] = verdict(c, fails)
	}
	return out, nil
}

// AllPassed reports whether every result passed.
func AllPassed(rs []Result) bool {
	for _, r := range rs {
		if !r.Passed {
			return false
		}
	}
	return true
}

// TakeBaseline records, for every process check that asserts same_pid, the
// PIDs of the live processes matching its pattern now. It reads one Snapshot,
// and none when no check needs it.
func TakeBaseline(ctx context.Context, st State, checks []challenge.Check) (Baseline, error) {
	var need []*challenge.Check
	for i := range checks {
		if c := &checks[i]; c.Kind == challenge.KindProcess && c.SamePID != nil && *c.SamePID {
			need = append(need, c)
		}
	}
	if len(need) == 0 {
		return Baseline{}, nil
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("read processes: %w", err)
	}
	return baselineFrom(snap, need), nil
}

// BaselineComplete reports whether every same_pid check found at least one
// process in b; setup uses it to wait for services to come up.
func BaselineComplete(b Baseline, checks []challenge.Check) bool {
	for i := range checks {
		if c := &checks[i]; c.Kind == challenge.KindProcess && c.SamePID != nil && *c.SamePID && len(b[c.Name]) == 0 {
			return false
		}
	}
	return true
}

func baselineFrom(snap *sandbox.Snapshot, need []*challenge.Check) Baseline {
	b := Baseline{}
	for _, c := range need {
		re, err := compile(c.Subject)
		if err != nil {
			continue
		}
		for _, p := range snap.Processes {
			if p.State != "Z" && re.MatchString(commandLine(p)) {
				b[c.Name] = append(b[c.Name], p.PID)
			}
		}
	}
	return b
}

// verdict turns a check's failure reasons into its Result: the author's
// message wins over the generated ones.
func verdict(c *challenge.Check, fails []string) Result {
	r := Result{Name: c.Name, Passed: len(fails) == 0}
	if r.Passed {
		return r
	}
	if c.Message != "" {
		r.Message = c.Message
	} else {
		r.Message = joinReasons(fails)
	}
	return r
}
