package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/shellgym/shellgym/sandbox"
)

// hintFor returns the line that tells the user what to do about err, or ""
// when there is nothing more useful to say than the error itself.
func hintFor(err error) string {
	switch {
	case errors.Is(err, sandbox.ErrDockerUnavailable):
		return "start the Docker daemon, or set DOCKER_HOST"
	case errors.Is(err, sandbox.ErrDaemonLost):
		return "the Docker daemon went away mid-run; start it again and retry (`shellgym doctor` checks it)"
	case errors.Is(err, sandbox.ErrBaseUnavailable):
		return "run: shellgym images build --offline (needs debootstrap)"
	case errors.Is(err, sandbox.ErrImageMissing):
		return "run: shellgym images build"
	case errors.Is(err, sandbox.ErrNotTerminal):
		return "run it in an interactive terminal; `shellgym test` and `shellgym grade` run without one"
	case errors.Is(err, sandbox.ErrLimit):
		return "the sandbox hit a resource limit (memory, processes or disk); the attempt cannot be judged"
	}
	return ""
}

// noArgs rejects positional arguments as bad usage (exit 2); cobra's own
// check exits 1 and names no next step.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if !cmd.HasParent() || cmd.HasSubCommands() {
		return withHint(usageError{fmt.Errorf("unknown command %q", args[0])},
			"`"+cmd.CommandPath()+" --help` lists the commands")
	}
	return withHint(usageError{fmt.Errorf("%s takes no arguments, got %q", cmd.Name(), args[0])},
		"`"+cmd.CommandPath()+" --help` shows its usage")
}

// oneID accepts exactly one challenge id, as bad usage otherwise.
func oneID(cmd *cobra.Command, args []string) error {
	if len(args) == 1 {
		return nil
	}
	err := fmt.Errorf("%s takes one challenge id, got %d", cmd.Name(), len(args))
	if len(args) == 0 {
		err = fmt.Errorf("%s needs a challenge id", cmd.Name())
	}
	return withHint(usageError{err},
		"`shellgym list` shows the ids; for example: "+cmd.CommandPath()+" ssh-key-perms")
}
