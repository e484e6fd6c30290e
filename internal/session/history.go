package session

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// solutionScript turns a bash history file into a script: the commands in
// order, without timestamps and without the command that ended the shell.
func solutionScript(id string, history []byte) string {
	var cmds []string
	for _, line := range strings.Split(string(history), "\n") {
		line = strings.TrimRight(line, " \t\r")
		if line == "" || isTimestamp(line) {
			continue
		}
		cmds = append(cmds, line)
	}
	for len(cmds) > 0 && isExit(cmds[len(cmds)-1]) {
		cmds = cmds[:len(cmds)-1]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/bash\n# %s: the commands typed in `shellgym play`, from the shell's history.\n", id)
	for _, c := range cmds {
		b.WriteString(c)
		b.WriteByte('\n')
	}
	return b.String()
}

// isTimestamp matches the "#1700000000" lines HISTTIMEFORMAT adds.
func isTimestamp(line string) bool {
	if len(line) < 2 || line[0] != '#' {
		return false
	}
	for _, r := range line[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func isExit(cmd string) bool {
	f := strings.Fields(cmd)
	return len(f) > 0 && (f[0] == "exit" || f[0] == "logout")
}

// writeSolution writes script to dir/<id>.sh, creating dir.
func writeSolution(dir, id, script string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("save solution: %w", err)
	}
	path := filepath.Join(dir, id+".sh")
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		return "", fmt.Errorf("save solution: %w", err)
	}
	return path, nil
}
