package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

const attachHelperEnv = "SHELLGYM_ATTACH_HELPER"

// attachHelper is the program the PTY test runs: this test binary,
// re-executed under a pseudo-terminal, attaching it to a shell in a sandbox.
func attachHelper() int {
	testRun = os.Getenv(attachHelperEnv)
	ctx := context.Background()
	c, err := Connect(ctx)
	if err != nil {
		fmt.Println("connect:", err)
		return 1
	}
	defer c.Close()
	s, err := c.Start(ctx, Profile{Lifetime: 2 * time.Minute, Labels: map[string]string{testLabel: testRun}})
	if err != nil {
		fmt.Println("start:", err)
		return 1
	}
	code, err := s.Attach(ctx, AttachOptions{
		ExecOptions: ExecOptions{Cmd: []string{"/bin/bash", "--norc", "-i"}, User: "student", WorkDir: "/home/student", Env: []string{"PS1=gym$ "}},
		In:          os.Stdin,
		Out:         os.Stdout,
	})
	fmt.Printf("\r\nEXIT=%d ERR=%v\r\n", code, err)
	return 0
}

// term is the test's end of a pseudo-terminal, with everything read so far.
type ptyOut struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (p *ptyOut) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.Write(b)
}

// expect waits until re matches the output after offset *from, then moves
// *from past the match.
func (p *ptyOut) expect(t *testing.T, from *int, re string, timeout time.Duration) {
	t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		b := p.buf.Bytes()[*from:]
		loc := rx.FindIndex(b)
		p.mu.Unlock()
		if loc != nil {
			*from += loc[1]
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t.Fatalf("no %q within %v; output:\n%q", re, timeout, p.buf.Bytes()[*from:])
}

func TestAttachUnderPTY(t *testing.T) {
	testClient(t) // skips without Docker; builds the image if needed
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), attachHelperEnv+"="+testRun)
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ptmx.Close(); cmd.Process.Kill(); cmd.Wait() })
	out := &ptyOut{}
	go func() {
		var b [4096]byte
		for {
			n, err := ptmx.Read(b[:])
			out.Write(b[:n])
			if err != nil {
				return
			}
		}
	}()
	at := 0
	out.expect(t, &at, `gym\$ `, 30*time.Second)
	ptmx.WriteString("stty size\r")
	out.expect(t, &at, `[\r\n]24 80\r\n`, 10*time.Second)

	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 33, Cols: 101}); err != nil {
		t.Fatal(err)
	}
	ok := false
	for i := 0; i < 20 && !ok; i++ {
		time.Sleep(100 * time.Millisecond)
		ptmx.WriteString("stty size\r")
		from := at
		out.expect(t, &from, `[\r\n]\d+ \d+\r\n`, 10*time.Second)
		out.mu.Lock()
		ok = bytes.Contains(out.buf.Bytes()[at:from], []byte("33 101"))
		out.mu.Unlock()
		at = from
	}
	if !ok {
		t.Error("stty size never showed the new size 33 101")
	}

	ptmx.WriteString("sleep 100\r")
	time.Sleep(500 * time.Millisecond)
	ptmx.WriteString("\x03")
	out.expect(t, &at, `gym\$ `, 10*time.Second)
	ptmx.WriteString("echo alive$((6*7))\r")
	out.expect(t, &at, `alive42`, 10*time.Second)
	ptmx.WriteString("exit 7\r")
	out.expect(t, &at, `EXIT=7 ERR=<nil>`, 10*time.Second)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("helper: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("helper did not exit")
	}
}

func TestAttachRefusesNonTerminal(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{})
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := s.Attach(context.Background(), AttachOptions{ExecOptions: ExecOptions{Cmd: []string{"bash"}}, In: f}); !errors.Is(err, ErrNotTerminal) {
		t.Errorf("attach on /dev/null: %v", err)
	}
}
