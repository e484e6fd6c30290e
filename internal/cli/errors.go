package cli

import (
	"errors"

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
