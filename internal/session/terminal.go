package session

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// tty is the learner's terminal opened anew. The process's stdin blocks a
// thread in read(2) that nothing can interrupt; this handle is pollable, so
// a pending read ends on SetReadDeadline or Close. Fd never switches it back
// to blocking mode (os.File.Fd would).
type tty struct {
	*os.File
	fd          uintptr
	interrupted atomic.Bool
}

// interrupt ends the pending read and every later one.
func (t *tty) interrupt() {
	t.interrupted.Store(true)
	t.SetReadDeadline(time.Now())
}

// openTTY reopens the terminal behind in.
func openTTY(in *os.File) (*tty, error) {
	fd := in.Fd()
	if !term.IsTerminal(int(fd)) {
		return nil, ErrNotTerminal
	}
	f, err := os.OpenFile(fmt.Sprintf("/proc/self/fd/%d", fd), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, fmt.Errorf("open the terminal: %w", err)
	}
	t := &tty{File: f}
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open the terminal: %w", err)
	}
	rc.Control(func(fd uintptr) { t.fd = fd })
	return t, nil
}

// ErrNotTerminal is returned when play is asked for without a terminal.
var ErrNotTerminal = errors.New("standard input is not a terminal")

// Fd returns the descriptor without changing its blocking mode.
func (t *tty) Fd() uintptr { return t.fd }

// size is the terminal's size, 80x24 when unknown.
func (t *tty) size() (w, h int) {
	w, h, err := term.GetSize(int(t.fd))
	if err != nil || w <= 0 || h <= 0 {
		return 80, 24
	}
	return w, h
}

// waitEnter reads until a newline. It reports false on end of input.
func (t *tty) waitEnter() (bool, error) {
	buf := make([]byte, 64)
	for {
		n, err := t.Read(buf)
		for _, c := range buf[:n] {
			if c == '\n' || c == '\r' {
				return true, nil
			}
		}
		if errors.Is(err, io.EOF) || (n == 0 && err == nil) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
}

// relay is a pseudo-terminal between the learner's terminal and the
// sandbox's Attach. Attach gets the relay's slave; when the shell ends, the
// relay is torn down, so no reader left behind by Attach can swallow the
// keys the learner types next. Resizes of the real terminal are mirrored to
// the relay, then SIGWINCH is raised again so Attach reads the new size.
type relay struct {
	t             *tty
	master, slave *os.File
	// mfd is the master's descriptor, taken once: calling Fd on a relay
	// file during Attach would clear the O_NONBLOCK that Attach set on the
	// shared file description and leave its input reader blocked for good.
	mfd      int
	done     chan struct{}
	wg       sync.WaitGroup
	stopOnce sync.Once
}

func newRelay(t *tty) (*relay, error) {
	master, slave, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("open a pseudo-terminal: %w", err)
	}
	r := &relay{t: t, master: master, slave: slave, mfd: int(master.Fd()), done: make(chan struct{})}
	r.syncSize()
	if _, err := term.MakeRaw(int(slave.Fd())); err != nil {
		r.close()
		return nil, fmt.Errorf("raw mode: %w", err)
	}
	winch := make(chan os.Signal, 1)
	signal.Notify(winch, syscall.SIGWINCH)
	r.wg.Add(2)
	go func() {
		defer r.wg.Done()
		defer signal.Stop(winch)
		for {
			select {
			case <-r.done:
				return
			case <-winch:
				if r.syncSize() {
					syscall.Kill(os.Getpid(), syscall.SIGWINCH)
				}
			}
		}
	}()
	go func() {
		// Nothing should come back through the relay's output (Attach
		// writes to its Out), but drain it so the line discipline never
		// stalls.
		defer r.wg.Done()
		io.Copy(io.Discard, master)
	}()
	return r, nil
}

// startInput starts copying the learner's keys to the relay. Until then
// the terminal stays free for other readers (the briefing's Enter).
func (r *relay) startInput() {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		io.Copy(r.master, r.t)
	}()
}

// syncSize copies the real terminal's size to the relay and reports whether
// it changed.
func (r *relay) syncSize() bool {
	w, h := r.t.size()
	cur, err := unix.IoctlGetWinsize(r.mfd, unix.TIOCGWINSZ)
	if err == nil && int(cur.Col) == w && int(cur.Row) == h {
		return false
	}
	unix.IoctlSetWinsize(r.mfd, unix.TIOCSWINSZ, &unix.Winsize{Col: uint16(w), Row: uint16(h)})
	return true
}

// close stops the copies and closes the pseudo-terminal; the real
// terminal stays open and readable.
func (r *relay) close() {
	r.stopOnce.Do(func() {
		close(r.done)
		r.t.SetReadDeadline(time.Now())
		r.master.Close()
		r.slave.Close()
		r.wg.Wait()
		if !r.t.interrupted.Load() {
			r.t.SetReadDeadline(time.Time{})
		}
	})
}
