// Package cli is shellgym's command line: one file per command, wired to its
// dependencies through a Factory.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Exit codes, as DESIGN.md fixes them.
const (
	ExitOK         = 0
	ExitError      = 1
	ExitUsage      = 2 // bad usage or invalid input
	ExitNotPassing = 3 // graded or tested and not passing
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=v1.2.3".
var Version = "dev"

// Main runs shellgym with os.Args and returns the process exit code.
func Main() int {
	f := NewFactory(os.Stdin, os.Stdout, os.Stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	// Deferred, so that a panic on the way out still removes the sandboxes
	// this process started.
	defer f.Close()
	return Run(ctx, f, os.Args[1:])
}

// Run executes one command line against f and returns the exit code. Errors
// are printed here and nowhere else.
func Run(ctx context.Context, f *Factory, args []string) int {
	root := NewRootCmd(f)
	root.SetArgs(args)
	root.SetIn(f.In)
	root.SetOut(f.Out)
	root.SetErr(f.Err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	return printError(f.Err, err)
}

// NewRootCmd builds the command tree.
func NewRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "shellgym",
		Short: "Learn, teach and grade Linux command-line skills in throwaway containers",
		Long: `shellgym is a Linux command trainer. Each challenge runs in a throwaway Docker
container; when you are done, the container's final state is checked and you are
told exactly what is still wrong.

Run it without arguments to pick a challenge and play.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
		Args:          noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPicker(cmd, f)
		},
	}
	root.PersistentFlags().StringArrayVar(&f.Dirs, "dir", nil, "a folder `DIR` of your own challenges, searched after the built-in catalog (repeatable)")
	root.SetVersionTemplate(versionLine() + "\n")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{err}
	})
	for _, add := range commands {
		root.AddCommand(add(f))
	}
	return root
}

// commands lists the subcommand constructors; each command file appends its
// own in an init function, so adding a command touches one file.
var commands []func(*Factory) *cobra.Command

// usageError marks bad usage or invalid input: exit 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// exitError carries an exit code with no message of its own: the command has
// already reported (a failing grade, a lint report).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// hintError is an error with a line telling the user what to do next.
type hintError struct {
	err  error
	hint string
}

func (e hintError) Error() string { return e.err.Error() }
func (e hintError) Unwrap() error { return e.err }

func withHint(err error, hint string) error { return hintError{err, hint} }

func printError(w io.Writer, err error) int {
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if errors.Is(err, context.Canceled) {
		var ei errInterrupted
		if !errors.As(err, &ei) {
			err = errInterrupted{err}
		}
		fmt.Fprintf(w, "shellgym: %v\n", err)
		return 130
	}
	fmt.Fprintf(w, "shellgym: error: %v\n", err)
	code := ExitError
	var ue usageError
	if errors.As(err, &ue) {
		code = ExitUsage
	}
	var he hintError
	if errors.As(err, &he) {
		fmt.Fprintf(w, "shellgym: hint: %s\n", he.hint)
	} else if hint := hintFor(err); hint != "" {
		fmt.Fprintf(w, "shellgym: hint: %s\n", hint)
	}
	return code
}
