package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newCleanCmd) }

func newCleanCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "clean",
		Short: "Remove every shellgym container, including ones in use",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := f.Docker(cmd.Context())
			if err != nil {
				return err
			}
			n, err := c.RemoveAll(cmd.Context())
			if err != nil {
				return fmt.Errorf("clean: %w", err)
			}
			fmt.Fprintf(f.Err, "shellgym: removed %d container(s)\n", n)
			return nil
		},
	}
}
