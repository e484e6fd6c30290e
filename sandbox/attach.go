package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/docker/docker/api/types/container"
	"golang.org/x/term"
)

// AttachOptions describes an interactive command: ExecOptions (Cmd, User,
// Env, WorkDir, Timeout) plus the local terminal.
type AttachOptions struct {
	ExecOptions
	In  *os.File  // the terminal; Attach refuses anything else
	Out io.Writer // usually the same terminal; may be a tee for recording
}

// detachKeys replaces Docker's default ctrl-p,ctrl-q, which would swallow a
// learner's ctrl-p; NUL three times never comes from a keyboard.
const detachKeys = "ctrl-@,ctrl-@,ctrl-@"

// Attach runs a command on a pseudo-terminal in the sandbox with the local
// terminal In in raw mode, forwarding window size changes, until the command
// exits; it returns the command's exit code. The terminal is restored exactly
// once, as soon as the output ends. Nothing is printed while it is raw.
// Ctrl-C reaches the command, not this process.
func (s *Sandbox) Attach(ctx context.Context, o AttachOptions) (int, error) {
	if o.In == nil || !term.IsTerminal(int(o.In.Fd())) {
		return -1, ErrNotTerminal
	}
	if len(o.Cmd) == 0 {
		return -1, errors.New("attach: empty command")
	}
	if o.Out == nil {
		o.Out = os.Stdout
	}
	user := o.User
	if user == "" {
		user = "root"
	}
	fd := int(o.In.Fd())
	cr, err := s.c.api.ContainerExecCreate(ctx, s.ID, container.ExecOptions{
		User:         user,
		Env:          o.Env,
		WorkingDir:   o.WorkDir,
		Cmd:          o.Cmd,
		Tty:          true,
		AttachStdin:  true,
		AttachStdout: true,
		AttachStderr: true,
		DetachKeys:   detachKeys,
	})
	if err != nil {
		return -1, fmt.Errorf("exec %s: %w", o.Cmd[0], s.apiErr(err))
	}
	hj, err := s.c.api.ContainerExecAttach(ctx, cr.ID, container.ExecAttachOptions{Tty: true})
	if err != nil {
		return -1, fmt.Errorf("exec %s: %w", o.Cmd[0], s.apiErr(err))
	}
	defer hj.Close()

	state, err := term.MakeRaw(fd)
	if err != nil {
		return -1, fmt.Errorf("terminal raw mode: %w", err)
	}
	restore := sync.OnceFunc(func() { term.Restore(fd, state) })
	defer restore()

	resize := func() error {
		w, h, err := term.GetSize(fd)
		if err != nil || w == 0 || h == 0 {
			return err
		}
		return s.c.api.ContainerExecResize(ctx, cr.ID, container.ResizeOptions{Height: uint(h), Width: uint(w)})
	}
	// The first resize may come before the exec has a terminal: retry briefly.
	go func() {
		for i := 0; i < 10; i++ {
			if resize() == nil {
				return
			}
			time.Sleep(time.Duration(i+1) * 10 * time.Millisecond)
		}
	}()
	winch := make(chan os.Signal, 1)
	signal.Notify(winch, syscall.SIGWINCH)
	defer signal.Stop(winch)
	go func() {
		for range winch {
			resize()
		}
	}()

	in, stopIn, err := cancelableInput(o.In)
	if err != nil {
		return -1, err
	}
	inDone := make(chan struct{})
	go func() {
		defer close(inDone)
		io.Copy(hj.Conn, in)
	}()
	outDone := make(chan error, 1)
	go func() {
		_, err := io.Copy(o.Out, hj.Reader)
		restore()
		outDone <- err
	}()
	var timeout <-chan time.Time
	if o.Timeout > 0 {
		t := time.NewTimer(o.Timeout)
		defer t.Stop()
		timeout = t.C
	}
	var waitErr error
	select {
	case <-outDone:
	case <-timeout:
		hj.Close()
		<-outDone
	case <-ctx.Done():
		hj.Close()
		<-outDone
		waitErr = ctx.Err()
	}
	restore()
	stopIn()
	<-inDone
	// O_NONBLOCK belongs to the open file description, which In shares.
	syscall.SetNonblock(fd, false)
	if waitErr != nil {
		return -1, waitErr
	}
	code, err := s.execExitCode(context.WithoutCancel(ctx), cr.ID)
	if err != nil {
		return -1, fmt.Errorf("exec %s: %w", o.Cmd[0], err)
	}
	return code, nil
}

// cancelableInput returns a reader over a duplicate of f's descriptor in
// non-blocking mode, so that stop can interrupt a pending read: a goroutine
// left blocked on the terminal would steal the next keystroke from whoever
// reads it after Attach. The caller restores blocking mode once the reader
// has returned.
func cancelableInput(f *os.File) (io.Reader, func(), error) {
	nfd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		return nil, nil, fmt.Errorf("dup terminal: %w", err)
	}
	if err := syscall.SetNonblock(nfd, true); err != nil {
		syscall.Close(nfd)
		return nil, nil, fmt.Errorf("terminal non-blocking: %w", err)
	}
	df := os.NewFile(uintptr(nfd), f.Name())
	stop := func() { df.SetReadDeadline(time.Now()) }
	return &closingReader{f: df}, stop, nil
}

// closingReader closes its file when a read fails, so the duplicate
// descriptor does not leak.
type closingReader struct {
	f    *os.File
	once sync.Once
}

func (r *closingReader) Read(p []byte) (int, error) {
	n, err := r.f.Read(p)
	if err != nil {
		r.once.Do(func() { r.f.Close() })
	}
	return n, err
}
