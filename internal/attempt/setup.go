package attempt

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/shellgym/shellgym/internal/check"
	"github.com/shellgym/shellgym/sandbox"
)

const sudoersLine = "student ALL=(ALL:ALL) NOPASSWD: ALL\n"

// setup runs the challenge's setup in the fresh sandbox.
func (a *Attempt) setup(ctx context.Context) error {
	c := a.Challenge
	files := []sandbox.File{
		{Path: stateDir, Dir: true, Mode: 0711},
		{Path: runDir, Dir: true, Mode: 0711},
		{Path: serviceDir, Dir: true, Mode: 0711},
		{Path: LogDir, Dir: true, Mode: 0755},
	}
	if c.Sudo {
		files = append(files, sandbox.File{Path: "/etc/sudoers.d/student", Content: []byte(sudoersLine), Mode: 0440})
	}
	own, err := a.resolveOwners(ctx)
	if err != nil {
		return err
	}
	var later []string // chown SPEC PATH pairs for owners the script creates
	for i, sf := range c.Setup.Files {
		content := []byte(sf.Content)
		if sf.From != "" {
			if content, err = fs.ReadFile(c.FS, sf.From); err != nil {
				return fmt.Errorf("%w: read %s: %v", ErrSetup, sf.From, err)
			}
		}
		mode := uint32(0644)
		if sf.Mode != nil {
			mode = uint32(*sf.Mode)
		}
		f := sandbox.File{Path: sf.Path, Content: content, Mode: mode}
		if o := own[i]; o.resolved {
			f.UID, f.GID = o.uid, o.gid
		} else {
			later = append(later, o.spec, sf.Path)
		}
		files = append(files, f)
	}
	var scriptFile string
	var sc script
	if strings.TrimSpace(c.Setup.Script) != "" {
		sc = script{body: c.Setup.Script, user: "root", uid: 0, workDir: "/root", env: append([]string{"HOME=/root"}, c.Env()...), timeout: setupTimeout}
		dir, file, p := sc.files()
		files = append(files, dir, file)
		scriptFile = p
	}
	if err := a.Box.CopyIn(ctx, files); err != nil {
		return fmt.Errorf("copy setup files in: %w", err)
	}
	if scriptFile != "" {
		res, err := sc.run(ctx, a.Box, scriptFile)
		if err != nil {
			return fmt.Errorf("run setup script: %w", err)
		}
		switch {
		case res.TimedOut:
			return fmt.Errorf("%w: the script did not finish within %s", ErrSetup, setupTimeout)
		case res.ExitCode != 0:
			return fmt.Errorf("%w: the script exited with status %d%s", ErrSetup, res.ExitCode, tail(res.Stderr))
		}
	}
	if len(later) > 0 {
		if err := a.chownLater(ctx, later); err != nil {
			return err
		}
	}
	if err := a.startServices(ctx); err != nil {
		return err
	}
	return a.takeBaseline(ctx)
}

// owner is a setup file's owner: numeric ids when they could be resolved
// before the script runs, else the user:group spec for chown afterwards.
type owner struct {
	resolved bool
	uid, gid int
	spec     string
}

// resolveOwners maps each setup file's owner to numeric ids against the
// container's own /etc/passwd and /etc/group, read once. `user` alone means
// the user's primary group, as `chown user:` does.
func (a *Attempt) resolveOwners(ctx context.Context) ([]owner, error) {
	files := a.Challenge.Setup.Files
	out := make([]owner, len(files))
	var users []check.PasswdEntry
	var groups []check.GroupEntry
	read := false
	for i, sf := range files {
		spec := sf.Owner
		if spec == "" {
			out[i] = owner{resolved: true}
			continue
		}
		u, g, hasGroup := strings.Cut(spec, ":")
		uid, uerr := strconv.Atoi(u)
		gid, gerr := strconv.Atoi(g)
		if uerr == nil && hasGroup && gerr == nil {
			out[i] = owner{resolved: true, uid: uid, gid: gid}
			continue
		}
		if !read {
			infos, err := a.Box.ReadFiles(ctx, []string{"/etc/passwd", "/etc/group"}, 4<<20)
			if err != nil {
				return nil, fmt.Errorf("read accounts: %w", err)
			}
			users, groups = check.ParsePasswd(infos[0].Content), check.ParseGroup(infos[1].Content)
			read = true
		}
		o := owner{spec: spec}
		if !hasGroup {
			o.spec = u + ":"
		}
		pu := lookupUser(users, u)
		switch {
		case uerr == nil:
			o.uid = uid
		case pu != nil:
			o.uid = pu.UID
		default:
			out[i] = o
			continue
		}
		switch {
		case !hasGroup && pu != nil:
			o.gid, o.resolved = pu.GID, true
		case !hasGroup && uerr == nil:
			o.gid, o.resolved = uid, true
		case gerr == nil:
			o.gid, o.resolved = gid, true
		default:
			if pg := lookupGroup(groups, g); pg != nil {
				o.gid, o.resolved = pg.GID, true
			}
		}
		out[i] = o
	}
	return out, nil
}

func lookupUser(us []check.PasswdEntry, name string) *check.PasswdEntry {
	for i := range us {
		if us[i].Name == name {
			return &us[i]
		}
	}
	return nil
}

func lookupGroup(gs []check.GroupEntry, name string) *check.GroupEntry {
	for i := range gs {
		if gs[i].Name == name {
			return &gs[i]
		}
	}
	return nil
}

// chownLater gives files to owners that only exist once the script ran.
func (a *Attempt) chownLater(ctx context.Context, pairs []string) error {
	res, err := a.Box.Exec(ctx, sandbox.ExecOptions{
		Cmd:     append([]string{"bash", "-c", `while [ $# -gt 0 ]; do chown -h -- "$1" "$2" || exit; shift 2; done`, "chown"}, pairs...),
		Timeout: time.Minute,
	})
	if err != nil {
		return fmt.Errorf("set setup file owners: %w", err)
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("%w: set file owners: %s", ErrSetup, strings.TrimSpace(string(res.Stderr)))
	}
	return nil
}

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
