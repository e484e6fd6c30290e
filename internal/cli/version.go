package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newVersionCmd) }

func newVersionCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print shellgym's version and the Go version it was built with",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintln(f.Out, versionLine())
			return err
		},
	}
}

// versionLine is what both `shellgym version` and `shellgym --version` print.
func versionLine() string {
	return fmt.Sprintf("shellgym %s (%s %s/%s)", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
