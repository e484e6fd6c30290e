package check

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/sandbox"
)

// Command checks are the escape hatch. By default they run inside the
// learner's container, with the container's tools, so they trust what the
// learner could have changed; an outside one runs in the inspector, with the
// pristine image's tools and the learner's filesystem under $ROOT. Each is
// one Exec or InspectorExec.
const (
	commandTimeout = 30 * time.Second
	commandOutput  = 256 << 10
)

func evalCommand(ctx context.Context, st State, c *challenge.Check, sp speaker) ([]string, error) {
	user := "root"
	if c.As != nil && *c.As != "" {
		user = *c.As
	}
	o := sandbox.ExecOptions{
		// No profile or rc file: the learner's dot files stay out of it.
		Cmd:         []string{"bash", "--noprofile", "--norc", "-c", c.Subject},
		User:        user,
		WorkDir:     "/",
		Timeout:     commandTimeout,
		OutputLimit: commandOutput,
	}
	run := st.Exec
	if c.Outside {
		// The inspector runs as root; the format forbids as with outside.
		o.User = "root"
		run = st.InspectorExec
	}
	res, err := run(ctx, o)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, fmt.Errorf("run command check %q: %w", c.Name, err)
	}
	if res.TimedOut {
		return []string{fmt.Sprintf("the check's command did not finish within %s", commandTimeout)}, nil
	}
	var fails []string
	wantExit := 0
	if c.Exit != nil {
		wantExit = *c.Exit
	}
	exitAsserted := c.Exit != nil || (c.Stdout == nil && c.StdoutContains == nil && c.StdoutMatches == nil)
	if exitAsserted && res.ExitCode != wantExit {
		fails = append(fails, fmt.Sprintf("the command exited with status %d%s", res.ExitCode, sp.want(strconv.Itoa(wantExit))))
	}
	out := string(res.Stdout)
	if c.Stdout != nil && normalize(out) != normalize(*c.Stdout) {
		fails = append(fails, "the command's output differs from what was expected")
	}
	if c.StdoutContains != nil && !strings.Contains(out, *c.StdoutContains) {
		fails = append(fails, "the command's output lacks something it should contain")
	}
	if c.StdoutMatches != nil {
		re, err := compile(*c.StdoutMatches)
		switch {
		case err != nil:
			fails = append(fails, "the check's pattern is not a valid RE2 expression")
		case !re.MatchString(strings.TrimRight(out, "\n")):
			fails = append(fails, "the command's output does not match the expected pattern")
		}
	}
	return fails, nil
}
