package attempt

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/shellgym/shellgym/internal/check"
	"github.com/shellgym/shellgym/sandbox"
)

const sudoersLine = "student ALL=(ALL:ALL) NOPASSWD: ALL\n"

// setup runs the challenge's setup in the fresh sandbox; extra files are
// written with the setup files.
func (a *Attempt) setup(ctx context.Context, extra []sandbox.File) error {
	c := a.Challenge
	files := append([]sandbox.File{
		{Path: stateDir, Dir: true, Mode: 0711},
		{Path: runDir, Dir: true, Mode: 0711},
		{Path: serviceDir, Dir: true, Mode: 0711},
		{Path: LogDir, Dir: true, Mode: 0755},
	}, extra...)
	if c.Sudo {
		files = append(files, sandbox.File{Path: "/etc/sudoers.d/student", Content: []byte(sudoersLine), Mode: 0440})
	}
	// Owners are set by chown in the same exec as the script: before it
	// where the owner exists already, after it where the script creates
	// the user. One exec, and no read of the accounts first.
	var owners []string // SPEC PATH pairs
	for _, sf := range c.Setup.Files {
		content := []byte(sf.Content)
		if sf.From != "" {
			var err error
			if content, err = fs.ReadFile(c.FS, sf.From); err != nil {
				return fmt.Errorf("%w: read %s: %v", ErrSetup, sf.From, err)
			}
		}
		mode := uint32(0644)
		if sf.Mode != nil {
			mode = uint32(*sf.Mode)
		}
		files = append(files, sandbox.File{Path: sf.Path, Content: content, Mode: mode})
		if spec := sf.Owner; spec != "" {
			if !strings.Contains(spec, ":") {
				spec += ":" // the user's login group, as DESIGN's `owner: user` means
			}
			owners = append(owners, spec, sf.Path)
		}
	}
	if strings.TrimSpace(c.Setup.Script) == "" && len(owners) == 0 {
		files = append(files, sandbox.File{Path: ReadyPath, Mode: 0644})
		if err := a.Box.CopyIn(ctx, files); err != nil {
			return fmt.Errorf("copy setup files in: %w", err)
		}
	} else if err := a.runSetupScript(ctx, files, owners); err != nil {
		return err
	}
	if err := a.startServices(ctx); err != nil {
		return err
	}
	return a.takeBaseline(ctx)
}

// runSetupScript runs the setup script as root in one exec: the files
// (setup files and the script) arrive as a tar on its stdin, the setup
// files' owners are set around the script (setupRunner).
func (a *Attempt) runSetupScript(ctx context.Context, files []sandbox.File, owners []string) error {
	sc := script{body: a.Challenge.Setup.Script, user: "root", uid: 0, workDir: "/root", env: append([]string{"HOME=/root"}, a.Challenge.Env()...), timeout: setupTimeout}
	dir, file, scriptFile := sc.files()
	archive, err := sandbox.Archive(append(files, dir, file))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrSetup, err)
	}
	res, err := a.Box.Exec(ctx, sandbox.ExecOptions{
		Cmd:         append([]string{"bash", "-c", setupRunner, scriptFile}, owners...),
		User:        "root",
		Env:         sc.env,
		WorkDir:     "/",
		Timeout:     sc.timeout,
		OutputLimit: ScriptOutputLimit,
		Stdin:       archive,
	})
	switch {
	case err != nil:
		return fmt.Errorf("run setup script: %w", err)
	case res.TimedOut:
		return fmt.Errorf("%w: the script did not finish within %s", ErrSetup, setupTimeout)
	case res.ExitCode == setupFailed && strings.Contains(string(res.Stderr), setupFailedMark):
		return fmt.Errorf("%w:%s", ErrSetup, tail(res.Stderr))
	case res.ExitCode != 0:
		return fmt.Errorf("%w: the script exited with status %d%s", ErrSetup, res.ExitCode, tail(res.Stderr))
	}
	return nil
}

// setupRunner is runner for the setup script: it extracts the tar on its
// stdin at /, then takes the setup files' owners as SPEC PATH pairs after
// "$0" and chowns each before the script or, when its user or group does
// not exist yet, after it. The script then runs in /root, as runner runs
// any script. Last, it creates ReadyPath.
const setupRunner = `fail() { echo "` + setupFailedMark + ` $*" >&2; exit 125; }
tar -x -p --same-owner -C / -f - || fail "cannot write the setup files"
d=${0%/*}; late=()
while [ $# -gt 0 ]; do chown -h -- "$1" "$2" 2>/dev/null || late+=("$1" "$2"); shift 2; done
cd /root || fail "no /root"
bash "$0" >"$d/o" 2>"$d/e" </dev/null; s=$?; cat "$d/o"; cat "$d/e" >&2; rm -f "$0" "$d/o" "$d/e"
[ $s -eq 0 ] || exit $s
set -- "${late[@]}"
while [ $# -gt 0 ]; do chown -h -- "$1" "$2" || fail "no such owner for $2: $1"; shift 2; done
: > ` + ReadyPath

// setupFailed (125 in setupRunner) is the exit status when a step of ours
// fails, told apart from a script's own 125 by setupFailedMark on stderr.
const (
	setupFailed     = 125
	setupFailedMark = "shellgym setup:"
)

// startServices starts each service detached, as its user, with its output
// in LogDir/NAME.log capped at ServiceLogLimit. A service's script is a file
// with a random name and the log path travels in the environment, so no
// command line of ours (shellgym-log, head -c N) holds the service's name: a
// process pattern naming the service matches the service alone.
func (a *Attempt) startServices(ctx context.Context) error {
	svcs := a.Challenge.Setup.Services
	if len(svcs) == 0 {
		return nil
	}
	var files []sandbox.File
	paths := make([]string, len(svcs))
	// A service's script path shows in ps, so the file is readable by the
	// service's own user alone: a student cannot read a root service's
	// script (and the hidden values it may hold).
	var own strings.Builder
	own.WriteString("set -e\n")
	for i, s := range svcs {
		paths[i] = path.Join(serviceDir, randomName()+".sh")
		files = append(files,
			sandbox.File{Path: paths[i], Content: []byte(s.Run), Mode: 0500},
			sandbox.File{Path: path.Join(LogDir, s.Name+".log"), Mode: 0666})
		if s.User != "" && s.User != "root" {
			fmt.Fprintf(&own, "chown -- %s %s\n", shellQuote(s.User), shellQuote(paths[i]))
		}
	}
	if err := a.Box.CopyIn(ctx, files); err != nil {
		return fmt.Errorf("copy services in: %w", err)
	}
	if strings.Contains(own.String(), "chown") {
		res, err := a.Box.Exec(ctx, sandbox.ExecOptions{Cmd: []string{"bash", "-c", own.String()}, User: "root"})
		if err != nil {
			return fmt.Errorf("hand services to their users: %w", err)
		}
		if res.ExitCode != 0 {
			return fmt.Errorf("%w: hand services to their users: %s", ErrSetup, strings.TrimSpace(string(res.Stderr)))
		}
	}
	starter := fmt.Sprintf(`exec > >(exec -a shellgym-log bash -c %s) 2>&1 </dev/null; unset SHELLGYM_LOG; exec bash "$0"`, shellQuote(fmt.Sprintf(logger, ServiceLogLimit)))
	for i, s := range svcs {
		user := s.User
		if user == "" {
			user = "root"
		}
		home := "/root"
		if user != "root" {
			home = "/home/" + user
		}
		env := append([]string{"HOME=" + home, "USER=" + user, "LOGNAME=" + user, "SHELLGYM_LOG=" + path.Join(LogDir, s.Name+".log")}, a.Challenge.Env()...)
		if _, err := a.Box.Exec(ctx, sandbox.ExecOptions{
			Cmd:     []string{"bash", "-c", starter, paths[i]},
			User:    user,
			Env:     env,
			WorkDir: "/",
			Detach:  true,
		}); err != nil {
			return fmt.Errorf("start service %s: %w", s.Name, err)
		}
	}
	return nil
}

// logger copies a service's output to $SHELLGYM_LOG as it comes (stdbuf
// keeps head from holding it in a stdio buffer), up to a byte cap; past the
// cap it keeps draining, so the service never blocks on a full pipe.
const logger = `stdbuf -o0 head -c %d >>"$SHELLGYM_LOG"; exec -a shellgym-log cat >/dev/null`

// takeBaseline records the processes same_pid checks compare against,
// giving freshly started services a moment to appear.
func (a *Attempt) takeBaseline(ctx context.Context) error {
	checks := a.Challenge.Checks
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := check.TakeBaseline(ctx, a.Box, checks)
		if err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
		a.Baseline = b
		if check.BaselineComplete(b, checks) || time.Now().After(deadline) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(150 * time.Millisecond):
		}
	}
}

// shellQuote quotes s for bash, in single quotes.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// tail is the end of a script's stderr, for an error message.
func tail(b []byte) string {
	s := strings.TrimSpace(string(b))
	if s == "" {
		return ""
	}
	if len(s) > 500 {
		s = "..." + s[len(s)-500:]
	}
	return ": " + s
}
