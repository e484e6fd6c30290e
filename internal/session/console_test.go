package session

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// shellgymBin is the binary TestMain builds for the end-to-end tests.
var shellgymBin, buildErr = "", error(nil)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "shellgym-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shellgymBin = filepath.Join(dir, "shellgym")
	out, err := exec.Command("go", "build", "-o", shellgymBin, "github.com/shellgym/shellgym/cmd/shellgym").CombinedOutput()
	if err != nil {
		buildErr = fmt.Errorf("go build: %v\n%s", err, out)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]`)

// console runs shellgym under a real pseudo-terminal. Every expectation has
// a deadline, so a hang fails the test instead of blocking it.
type console struct {
	t       testing.TB
	master  *os.File
	slave   *os.File // kept open: its termios tell whether the terminal was restored
	cmd     *exec.Cmd
	initial *unix.Termios
	mu      sync.Mutex
	raw     []byte
	pos     int // offset in the cleaned text already matched
	queries int // cursor position queries answered
	changed chan struct{}
	exited  chan struct{}
	waitErr error
}

// newConsole opens a fresh 100x30 pseudo-terminal and starts reading it.
func newConsole(t testing.TB) *console {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	pty.Setsize(master, &pty.Winsize{Rows: 30, Cols: 100})
	initial, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	c := &console{t: t, master: master, slave: slave, initial: initial,
		changed: make(chan struct{}, 1), exited: make(chan struct{})}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			if n > 0 {
				// Answer cursor position queries as a terminal would
				// (survey's line prompts wait for the answer).
				q := bytes.Count(buf[:n], []byte("\x1b[6n"))
				for range q {
					master.Write([]byte("\x1b[1;1R"))
				}
				c.mu.Lock()
				c.queries += q
				c.raw = append(c.raw, buf[:n]...)
				c.mu.Unlock()
				select {
				case c.changed <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return c
}

// startConsole runs the shellgym binary with args on a new console, with
// its progress kept in home.
func startConsole(t *testing.T, home string, args ...string) *console {
	t.Helper()
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	c := newConsole(t)
	cmd := exec.Command(shellgymBin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.slave, c.slave, c.slave
	cmd.Env = append(os.Environ(), "SHELLGYM_HOME="+home, "TERM=xterm-256color", "LANG=C.UTF-8")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	c.cmd = cmd
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		c.waitErr = cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-c.exited:
		default:
			cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-c.exited:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				<-c.exited
			}
		}
		c.close()
	})
	return c
}

// close releases the terminal, showing its output if the test failed.
func (c *console) close() {
	c.master.Close()
	c.slave.Close()
	if c.t.Failed() {
		c.t.Logf("terminal output:\n%s", c.text())
	}
}

// text is everything shown so far, without escape sequences.
func (c *console) text() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return ansi.ReplaceAllString(string(c.raw), "")
}

// expect waits until the text after the last match matches re, and returns
// the match.
func (c *console) expect(re string, within time.Duration) string {
	c.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.After(within)
	for {
		text := c.text()
		if loc := rx.FindStringIndex(text[min(c.pos, len(text)):]); loc != nil {
			m := text[c.pos+loc[0] : c.pos+loc[1]]
			c.pos += loc[1]
			return m
		}
		select {
		case <-c.changed:
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			c.dumpGoroutines()
			text = c.text()
			tail := text[min(c.pos, len(text)):]
			if len(tail) > 1500 {
				tail = tail[len(tail)-1500:]
			}
			c.t.Fatalf("no %q within %s; unmatched output:\n%s", re, within, tail)
		}
	}
}

// dumpGoroutines has a hung shellgym process print its goroutines (Go
// does on SIGQUIT), so a deadline failure shows where it hangs.
func (c *console) dumpGoroutines() {
	if c.cmd == nil || c.cmd.Process == nil {
		return
	}
	select {
	case <-c.exited:
		return
	default:
	}
	c.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-c.exited:
	case <-time.After(2 * time.Second):
	}
	// SIGQUIT skips shellgym's cleanup: remove what it left.
	out, _ := exec.Command("docker", "ps", "-a", "-q", "--filter", fmt.Sprintf("label=shellgym.pid=%d", c.cmd.Process.Pid)).Output()
	if ids := strings.Fields(string(out)); len(ids) > 0 {
		exec.Command("docker", append([]string{"rm", "-f"}, ids...)...).Run()
	}
}

// awaitQueries waits until n cursor position queries were answered: a
// line prompt is reading keys only after its query.
func (c *console) awaitQueries(n int, within time.Duration) {
	c.t.Helper()
	deadline := time.Now().Add(within)
	for {
		c.mu.Lock()
		q := c.queries
		c.mu.Unlock()
		if q >= n {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("no cursor position query within %s", within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// send types s.
func (c *console) send(s string) {
	c.t.Helper()
	if _, err := c.master.Write([]byte(s)); err != nil {
		c.t.Fatalf("type %q: %v", s, err)
	}
}

// line types s and Enter, pausing so a menu has drawn its filter first.
func (c *console) line(s string) {
	c.t.Helper()
	c.send(s)
	time.Sleep(150 * time.Millisecond)
	c.send("\r")
}

// wait waits for the process to exit and returns its exit code.
func (c *console) wait(within time.Duration) int {
	c.t.Helper()
	select {
	case <-c.exited:
	case <-time.After(within):
		c.t.Fatalf("shellgym still running after %s", within)
	}
	if c.waitErr == nil {
		return 0
	}
	if ee, ok := c.waitErr.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	c.t.Fatalf("wait: %v", c.waitErr)
	return -1
}

// saneTerminal fails unless the terminal modes are those before shellgym ran.
func (c *console) saneTerminal() {
	c.t.Helper()
	now, err := unix.IoctlGetTermios(int(c.slave.Fd()), unix.TCGETS)
	if err != nil {
		c.t.Fatal(err)
	}
	if now.Lflag != c.initial.Lflag || now.Iflag != c.initial.Iflag || now.Oflag != c.initial.Oflag {
		c.t.Fatalf("terminal not restored: lflag %#x iflag %#x oflag %#x, was %#x %#x %#x",
			now.Lflag, now.Iflag, now.Oflag, c.initial.Lflag, c.initial.Iflag, c.initial.Oflag)
	}
	if now.Lflag&unix.ECHO == 0 || now.Lflag&unix.ICANON == 0 {
		c.t.Fatalf("terminal left without echo or line editing: lflag %#x", now.Lflag)
	}
}

// containers lists the containers, running or not, with a label.
func containers(t *testing.T, label string) []string {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-a", "-q", "--filter", "label="+label).Output()
	if err != nil {
		t.Fatalf("docker ps: %v", err)
	}
	return strings.Fields(string(out))
}

// sessionsOf returns the shellgym.session labels of the containers a
// shellgym process started.
func sessionsOf(t *testing.T, pid int) []string {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-a", "--filter", fmt.Sprintf("label=shellgym.pid=%d", pid),
		"--format", `{{.Label "shellgym.session"}}`).Output()
	if err != nil {
		t.Fatalf("docker ps: %v", err)
	}
	return strings.Fields(string(out))
}

// noContainersLeft fails if a container of those sessions (the learner's or
// its inspector) or of that process is still there.
func noContainersLeft(t *testing.T, pid int, sessions []string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var left []string
		left = append(left, containers(t, fmt.Sprintf("shellgym.pid=%d", pid))...)
		for _, s := range sessions {
			left = append(left, containers(t, "shellgym.session="+s)...)
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("containers left behind: %v", left)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
