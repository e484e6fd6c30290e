package session

import (
	"context"
	"fmt"
	"time"

	"github.com/shellgym/shellgym/sandbox"
)

// Paths shellgym writes in the container, root-owned so a student learner
// cannot change them. The status file is cosmetic (the prompt shows it); the
// verdict is always evaluated anew.
const (
	rcPath     = "/etc/profile.d/zz-shellgym.sh"
	statusDir  = "/etc/shellgym"
	statusPath = statusDir + "/status"
)

// Greeting is the line the learner's shell prints at start.
const Greeting = "type exit or press Ctrl-D to check your work"

// shellRC runs in every interactive login shell of the learner: it keeps
// the history per command (for --save-solution) and rebuilds the prompt
// before each command, so a ~/.bashrc that sets PS1 cannot hide the
// challenge id or the status mark.
const shellRC = `# Written by shellgym.
case $- in *i*) ;; *) return ;; esac
[ -n "$SHELLGYM_ID" ] || return
export HISTFILE="$HOME/.bash_history"
HISTSIZE=10000
HISTFILESIZE=10000
shopt -s histappend
__shellgym_prompt() {
	local st=
	[ -r ` + statusPath + ` ] && IFS= read -r st < ` + statusPath + `
	PS1="\[\e[1;36m\][$SHELLGYM_ID${st:+ $st}]\[\e[0m\] \u@\h:\w\\$ "
}
PROMPT_COMMAND='history -a; __shellgym_prompt'
__shellgym_prompt
printf '\n\e[1mshellgym: %s\e[0m\n` + Greeting + `\n\n' "${SHELLGYM_TITLE:-$SHELLGYM_ID}"
`

// box is what the session needs of a sandbox beyond Attach.
type box interface {
	CopyIn(ctx context.Context, files []sandbox.File) error
	ReadFiles(ctx context.Context, paths []string, maxBytes int64) ([]sandbox.FileInfo, error)
	Exec(ctx context.Context, o sandbox.ExecOptions) (*sandbox.ExecResult, error)
}

// shellRCFiles are the prompt script and an empty status file, written
// with the challenge's setup files.
func shellRCFiles() []sandbox.File {
	return []sandbox.File{
		{Path: statusDir, Mode: 0o755, Dir: true},
		{Path: statusPath, Content: nil, Mode: 0o644},
		{Path: rcPath, Content: []byte(shellRC), Mode: 0o644},
	}
}

// writeStatus replaces the status the prompt shows.
func writeStatus(ctx context.Context, b box, status string) error {
	return b.CopyIn(ctx, []sandbox.File{{Path: statusPath, Content: []byte(status + "\n"), Mode: 0o644}})
}

// killScript hangs up the learner's shell like a closed terminal would: it
// finds the exec'd shell (parent 0 inside the container, carrying this
// attach's token in its environment), sends SIGHUP to every process of its
// session, then SIGKILL to the shell. It runs as the learner, who owns those
// processes, so it needs no capability.
const killScript = `tok=$1
shells=
for d in /proc/[0-9]*; do
	read -r stat < "$d/stat" 2>/dev/null || continue
	set -- ${stat##*) }
	[ "$2" = 0 ] || continue
	grep -qzx "SHELLGYM_SHELL=$tok" "$d/environ" 2>/dev/null || continue
	shells="$shells ${d#/proc/}"
done
[ -n "$shells" ] || exit 3
for d in /proc/[0-9]*; do
	read -r stat < "$d/stat" 2>/dev/null || continue
	set -- ${stat##*) }
	for s in $shells; do
		[ "$4" = "$s" ] && kill -HUP "${d#/proc/}" 2>/dev/null
	done
done
sleep 0.3
kill -KILL $shells 2>/dev/null
exit 0
`

// killShell ends the shell started with token, from outside.
func killShell(ctx context.Context, b box, user, token string) error {
	res, err := b.Exec(ctx, sandbox.ExecOptions{
		Cmd:     []string{"bash", "-c", killScript, "shellgym-kill", token},
		User:    user,
		Timeout: 5 * time.Second,
	})
	if err != nil {
		return fmt.Errorf("end the shell: %w", err)
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("end the shell: exit %d: %s", res.ExitCode, res.Stderr)
	}
	return nil
}
