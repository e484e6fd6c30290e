package sandbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// InspectorRoot is where the learner's filesystem shows in the inspector:
// the root of the learner's init, seen through the shared pid namespace, so
// the learner's mounts (the /tmp and /run tmpfs, /etc/hosts) are included.
// InspectorExec puts it in the command's environment as $ROOT.
const InspectorRoot = "/proc/1/root"

// InspectorExec runs a command in the inspector rather than in the
// learner's container: the pristine image's tools on a read-only root, in
// the learner's pid and network namespaces, with the learner's filesystem
// under $ROOT (InspectorRoot). Nothing the learner does to their own
// binaries, libraries or /etc/ld.so.preload reaches it. It runs as root with
// the inspector's few capabilities (reading any file and any process, no
// network configuration); o.User must be empty or "root", and Detach is not
// supported. Timeout and OutputLimit behave as in Exec. The inspector is
// started when it is not running, and re-created once when the learner has
// killed it.
func (s *Sandbox) InspectorExec(ctx context.Context, o ExecOptions) (*ExecResult, error) {
	if len(o.Cmd) == 0 {
		return nil, errors.New("inspector exec: empty command")
	}
	if o.User != "" && o.User != "root" {
		return nil, fmt.Errorf("inspector exec %s: runs as root, not %s", o.Cmd[0], o.User)
	}
	if o.Detach {
		return nil, fmt.Errorf("inspector exec %s: cannot detach", o.Cmd[0])
	}
	o.Env = append(slices.DeleteFunc(slices.Clone(o.Env), func(e string) bool { return strings.HasPrefix(e, "ROOT=") }), "ROOT="+InspectorRoot)
	for attempt := 0; ; attempt++ {
		id, err := s.inspectorID(ctx, attempt > 0)
		if err != nil {
			return nil, fmt.Errorf("inspector exec %s: %w", o.Cmd[0], err)
		}
		res, err := s.execIn(ctx, id, o, true)
		// A command killed with the inspector (137) or an exec refused by a
		// stopped container: run it again in a fresh inspector, once.
		if attempt == 0 && (err != nil || res.ExitCode >= 126) && ctx.Err() == nil && s.inspectorDead(ctx, id) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("inspector: %w", err)
		}
		return res, nil
	}
}
