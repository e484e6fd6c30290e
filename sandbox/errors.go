package sandbox

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/docker/docker/client"
)

var (
	// ErrDockerUnavailable means the Docker daemon could not be reached at
	// all; Connect returns it as an *UnavailableError.
	ErrDockerUnavailable = errors.New("docker unavailable")
	// ErrDaemonLost means the daemon answered at first and then went away.
	ErrDaemonLost = errors.New("lost the connection to the Docker daemon")
	// ErrImageMissing means the image a sandbox needs is not on the daemon.
	ErrImageMissing = errors.New("sandbox image missing")
	// ErrBaseUnavailable means the online build could not pull its base
	// image and debootstrap is not installed to make one offline.
	ErrBaseUnavailable = errors.New("base image unavailable")
	// ErrNotTerminal means Attach was given an input that is not a terminal.
	ErrNotTerminal = errors.New("input is not a terminal")
	// ErrLimit is what every *LimitError matches with errors.Is.
	ErrLimit = errors.New("resource limit")
	// ErrGone means the sandbox's container no longer exists (its deadline
	// passed, a limit killed it, or it was removed).
	ErrGone = errors.New("sandbox is gone")
)

// UnavailableError reports that the daemon at Host could not be reached. It
// matches ErrDockerUnavailable.
type UnavailableError struct {
	Host string
	Err  error
}

func (e *UnavailableError) Error() string {
	return "cannot reach Docker at " + e.Host
}

// Unwrap returns the underlying connection error.
func (e *UnavailableError) Unwrap() error { return e.Err }

// Is reports whether target is ErrDockerUnavailable.
func (e *UnavailableError) Is(target error) bool { return target == ErrDockerUnavailable }

// Limit kinds carried by LimitError.
const (
	LimitMemory = "memory"
	LimitPids   = "pids"
	LimitDisk   = "disk"
)

// LimitError reports that a sandbox hit one of its resource limits: the
// memory cap (OOM kill), the process cap, or the disk quota. It matches
// ErrLimit.
type LimitError struct {
	Kind   string // LimitMemory, LimitPids or LimitDisk
	Detail string
}

func (e *LimitError) Error() string {
	if e.Detail == "" {
		return e.Kind + " limit reached"
	}
	return e.Kind + " limit reached: " + e.Detail
}

// Is reports whether target is ErrLimit.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// lostError marks an API error caused by the connection to the daemon.
type lostError struct{ err error }

func (e *lostError) Error() string   { return fmt.Sprintf("%v: %v", ErrDaemonLost, e.err) }
func (e *lostError) Unwrap() []error { return []error{ErrDaemonLost, e.err} }

// lost wraps err with ErrDaemonLost when it says the daemon's socket is gone:
// connection refused or reset, the socket file missing, or EOF mid-request.
func lost(err error) error {
	if err == nil || errors.Is(err, ErrDaemonLost) {
		return err
	}
	if isConnError(err) {
		return &lostError{err}
	}
	return err
}

func isConnError(err error) bool {
	if client.IsErrConnectionFailed(err) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "connection refused") || strings.Contains(s, "connection reset") ||
		strings.HasSuffix(s, ": EOF")
}
