package session

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/shellgym/shellgym/internal/progress"
	"github.com/shellgym/shellgym/sandbox/sandboxtest"
)

// The end-to-end tests play the simplest built-in challenge: ~/.ssh and a
// key whose name is hidden must get modes 700 and 600, the .pub stays 644.
const (
	playID     = "ssh-key-perms"
	playTitle  = "Make ssh trust your key again"
	prompt     = `\[` + playID + `[^\]]*\] student@[^:]*:~\$ $`
	solveCmd   = `chmod 700 ~/.ssh; for p in ~/.ssh/*.pub; do chmod 600 "${p%.pub}"; done`
	wrongCmd   = `chmod -R go-rwx ~/.ssh`
	wrongCheck = "public key stays readable"
	wrongHint  = "`chmod -R` changes the public key too"
	step       = 30 * time.Second // deadline of one step that involves Docker
)

// openShell starts `shellgym play` and gets through the briefing to the
// shell prompt.
func openShell(t *testing.T, home string, args ...string) *console {
	t.Helper()
	c := startConsole(t, home, append([]string{"play", playID, "--seed", "1"}, args...)...)
	c.expect(playTitle, step)
	c.expect(`Press Enter to open the shell`, step)
	c.send("\r")
	c.expect(Greeting, step)
	c.expect(prompt, step)
	return c
}

func loadProgress(t *testing.T, home string) *progress.Record {
	t.Helper()
	d, err := progress.At(home).Load()
	if err != nil {
		t.Fatal(err)
	}
	r := d.Challenges[playID]
	if r == nil {
		t.Fatalf("no progress recorded for %s: %+v", playID, d)
	}
	return r
}

func TestPlaySolve(t *testing.T) {
	sandboxtest.Connect(t)
	home, work := t.TempDir(), t.TempDir()
	cast := filepath.Join(work, "session.cast")
	sol := filepath.Join(work, "solutions")
	c := openShell(t, home, "--record", cast, "--save-solution", sol)

	c.line("echo GYM=$SHELLGYM_ID LANG=$LANG")
	c.expect(`GYM=`+playID+` LANG=C.UTF-8`, step)
	c.expect(prompt, step)
	c.line(solveCmd)
	c.expect(prompt, step)

	// The checks re-run in the background; the prompt picks up the mark.
	deadline := time.Now().Add(20 * time.Second)
	for {
		c.send("\r")
		m := c.expect(prompt, step)
		if strings.Contains(m, markSolved) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the prompt never showed %q; last prompt %q", markSolved, m)
		}
		time.Sleep(time.Second)
	}

	c.line("exit")
	c.expect(`Checking your work`, step)
	for _, name := range []string{"ssh folder is private", "private key is private", "private key unchanged", "public key stays readable"} {
		c.expect(`✓ `+name, step)
	}
	c.expect(`Solved `+playID, step)
	if code := c.wait(step); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	c.saneTerminal()

	r := loadProgress(t, home)
	if r.Attempts != 1 || !r.Solved || r.BestMS <= 0 || r.HintsUsed != 0 || r.Revealed {
		t.Errorf("progress = %+v", r)
	}

	script, err := os.ReadFile(filepath.Join(sol, playID+".sh"))
	if err != nil || !strings.Contains(string(script), solveCmd) || strings.Contains(string(script), "\nexit") {
		t.Errorf("saved solution %q, %v", script, err)
	}

	checkCast(t, cast)
}

// checkCast validates the recording's header and events, and has
// asciinema read it back when it is installed.
func checkCast(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var h castHeader
	if err := json.Unmarshal([]byte(lines[0]), &h); err != nil || h.Version != 2 || h.Width != 100 || h.Height != 30 || h.Env["SHELL"] == "" || h.Env["TERM"] == "" {
		t.Fatalf("cast header %s: %v", lines[0], err)
	}
	if len(lines) < 10 {
		t.Fatalf("only %d events recorded", len(lines)-1)
	}
	if _, err := exec.LookPath("asciinema"); err != nil {
		t.Log("asciinema not installed; recording checked by format only")
		return
	}
	// asciinema opens /dev/tty: give it a terminal of its own.
	cmd := exec.Command("asciinema", "cat", path)
	f, err := pty.Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	read := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(f) // ends with EIO once asciinema exits
		read <- b
	}()
	var out []byte
	select {
	case out = <-read:
	case <-time.After(step):
		cmd.Process.Kill()
		t.Fatal("asciinema cat did not finish")
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("asciinema cat: %v\n%s", err, out)
	}
	text := ansi.ReplaceAllString(string(out), "")
	for _, want := range []string{playTitle, Greeting, "chmod 700", "Solved " + playID} {
		if !strings.Contains(text, want) {
			t.Errorf("asciinema cat lacks %q", want)
		}
	}
}

func TestPlayWrongThenHintThenFix(t *testing.T) {
	sandboxtest.Connect(t)
	home := t.TempDir()
	c := openShell(t, home)
	c.line(wrongCmd)
	c.expect(prompt, step)
	c.line("exit")
	c.expect(`Checking your work`, step)
	c.expect(`✗ `+wrongCheck+`: The public key must stay readable by everyone \(644\)\.`, step)
	c.expect(`Not solved yet: 3 of 4 checks pass`, step)

	c.expect(`What next\?`, step)
	c.line("hint")
	c.expect(`Hint: `+regexp.QuoteMeta(wrongHint), step)

	c.expect(`What next\?`, step)
	c.line("back")
	c.expect(Greeting, step)
	c.expect(prompt, step)
	// Same container, same state: the wrong mode is still there.
	c.line("stat -c %a ~/.ssh/*.pub")
	c.expect(`\n\r?600\r?\n`, step)
	c.line("chmod 644 ~/.ssh/*.pub")
	c.expect(prompt, step)
	c.line("exit")
	c.expect(`✓ `+wrongCheck, step)
	c.expect(`Solved `+playID, step)
	if code := c.wait(step); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	c.saneTerminal()
	r := loadProgress(t, home)
	if r.Attempts != 1 || !r.Solved || r.HintsUsed != 1 {
		t.Errorf("progress = %+v", r)
	}
}

func TestPlayResizeReachesShell(t *testing.T) {
	sandboxtest.Connect(t)
	c := openShell(t, t.TempDir())
	c.line("stty size")
	c.expect(`\n\r?30 100\r?\n`, step)
	c.expect(prompt, step)
	if err := pty.Setsize(c.master, &pty.Winsize{Rows: 41, Cols: 123}); err != nil {
		t.Fatal(err)
	}
	// The resize travels shellgym → Docker asynchronously: ask until it lands.
	deadline := time.Now().Add(10 * time.Second)
	for {
		c.line("stty size")
		m := c.expect(`\n\r?\d+ \d+\r?\n`, step)
		if strings.TrimSpace(m) == "41 123" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the shell still sees %q after the resize", strings.TrimSpace(m))
		}
		c.expect(prompt, step)
		time.Sleep(200 * time.Millisecond)
	}
	c.expect(prompt, step)
	c.line("exit")
	c.expect(`What next\?`, step)
	c.line("quit")
	if code := c.wait(step); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	c.saneTerminal()
}

func TestPlayKilledMidSession(t *testing.T) {
	sandboxtest.Connect(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			home := t.TempDir()
			c := openShell(t, home)
			pid := c.cmd.Process.Pid
			sessions := sessionsOf(t, pid)
			if len(sessions) == 0 {
				t.Fatal("no container labelled with the shellgym process")
			}
			c.line("sleep 1000")
			time.Sleep(300 * time.Millisecond)
			if err := c.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			code := c.wait(step)
			if code == 0 {
				t.Errorf("exit code 0 after %v", sig)
			}
			noContainersLeft(t, pid, sessions)
			c.saneTerminal()
			if r := loadProgress(t, home); r.Attempts != 1 || r.Solved {
				t.Errorf("progress = %+v", r)
			}
		})
	}
}

func TestPickerThenQuitAtBriefing(t *testing.T) {
	sandboxtest.Connect(t)
	home := t.TempDir()
	c := startConsole(t, home)
	c.expect(`Pick a challenge`, step)
	c.line(playID)
	c.expect(playTitle, step)
	c.expect(`Press Enter to open the shell`, step)
	pid := c.cmd.Process.Pid
	c.send("\x04") // Ctrl-D: end of input, no shell
	if code := c.wait(step); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	noContainersLeft(t, pid, nil)
	c.saneTerminal()
}

func TestPlayRefusesWithoutTerminal(t *testing.T) {
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	cmd := exec.Command(shellgymBin, "play", playID)
	cmd.Env = append(os.Environ(), "SHELLGYM_HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 2 {
		t.Fatalf("exit %v, want 2; output:\n%s", err, out)
	}
	for _, want := range []string{"needs a terminal", "shellgym grade"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("message lacks %q:\n%s", want, out)
		}
	}
}

func TestProgressResetAsksFirst(t *testing.T) {
	home := t.TempDir()
	s := progress.At(home)
	if err := s.RecordSolve(playID, time.Minute); err != nil {
		t.Fatal(err)
	}
	for _, answer := range []string{"n", "y"} {
		c := startConsole(t, home, "progress", "--reset", playID)
		c.expect(`Forget your progress on `+playID+`\?`, step)
		c.awaitQueries(1, step)
		time.Sleep(100 * time.Millisecond)
		c.line(answer)
		if code := c.wait(step); code != 0 {
			t.Fatalf("answer %s: exit code %d", answer, code)
		}
		c.saneTerminal()
		d, err := s.Load()
		if err != nil {
			t.Fatal(err)
		}
		if kept := d.Challenges[playID] != nil; kept != (answer == "n") {
			t.Fatalf("answer %s: progress kept = %v", answer, kept)
		}
	}
}
