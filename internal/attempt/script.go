package attempt

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"time"

	"github.com/shellgym/shellgym/sandbox"
)

// Where shellgym keeps its own files in the container. The directories are
// root's and traversable only, so a learner cannot list what runs there.
const (
	stateDir   = "/var/lib/shellgym"
	runDir     = stateDir + "/run"
	serviceDir = stateDir + "/svc"
	// LogDir holds one log per service, NAME.log, capped at ServiceLogLimit.
	LogDir = "/var/log/shellgym"
	// ReadyPath exists once the setup files and the setup script are done:
	// a shell started early waits for it.
	ReadyPath = stateDir + "/ready"

	studentUID = 1000

	// ScriptOutputLimit caps each of a script's stdout and stderr.
	ScriptOutputLimit = 1 << 20
	// ServiceLogLimit caps each service's log; the rest is drained and dropped.
	ServiceLogLimit = 1 << 20

	setupTimeout = 5 * time.Minute
)

// runner runs the script "$0" with its output in files rather than the exec's
// pipes: a script that starts a server in the background must not hold the
// exec open. It then prints the files (Exec caps them) and cleans up.
const runner = `d=${0%/*}; bash "$0" >"$d/o" 2>"$d/e" </dev/null; s=$?; cat "$d/o"; cat "$d/e" >&2; rm -f "$0" "$d/o" "$d/e"; exit $s`

func randomName() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// script is one bash script to run in the container as a file.
type script struct {
	body    string
	user    string
	uid     int
	workDir string
	env     []string
	timeout time.Duration
}

// files are what CopyIn must write before the script can run: a private
// directory owned by the script's user, and the script in it. Running a
// file rather than `bash -c TEXT` keeps the text out of the process table,
// where `pgrep -f` would find the script itself.
func (s script) files() (sandbox.File, sandbox.File, string) {
	dir := path.Join(runDir, randomName())
	file := path.Join(dir, randomName()+".sh")
	return sandbox.File{Path: dir, Dir: true, Mode: 0700, UID: s.uid, GID: s.uid},
		sandbox.File{Path: file, Content: []byte(s.body), Mode: 0755, UID: s.uid, GID: s.uid},
		file
}

// run executes a script already copied in at file.
func (s script) run(ctx context.Context, box *sandbox.Sandbox, file string) (*sandbox.ExecResult, error) {
	return box.Exec(ctx, sandbox.ExecOptions{
		Cmd:         []string{"bash", "-c", runner, file},
		User:        s.user,
		Env:         s.env,
		WorkDir:     s.workDir,
		Timeout:     s.timeout,
		OutputLimit: ScriptOutputLimit,
	})
}

// RunScript copies script into the container and runs it as the learner, in
// their home, with GYM_* set, under the challenge's time limit, with output
// capped. A script that runs out of time returns a result with TimedOut; one
// that hits a resource limit returns its result and a *sandbox.LimitError.
// Either way Limit reports it afterwards.
func (a *Attempt) RunScript(ctx context.Context, body string) (*sandbox.ExecResult, error) {
	s := script{body: body, user: a.user(), uid: a.uid(), workDir: a.home(), env: a.env(), timeout: a.Challenge.TimeLimit}
	dir, file, p := s.files()
	if err := a.Box.CopyIn(ctx, []sandbox.File{dir, file}); err != nil {
		return nil, fmt.Errorf("copy script in: %w", err)
	}
	res, err := s.run(ctx, a.Box, p)
	var le *sandbox.LimitError
	switch {
	case errors.As(err, &le):
		a.noteLimit(le.Kind + " limit")
		return res, err
	case err != nil:
		return nil, fmt.Errorf("run script: %w", err)
	case res.TimedOut:
		a.noteLimit("time limit")
	}
	return res, nil
}
