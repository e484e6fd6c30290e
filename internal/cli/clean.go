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
		Long: `Clean removes every container shellgym started on this Docker daemon, running
or not, including those of a play, test or grade still in progress (they
end with an error). Expired sandboxes are swept anyway each time shellgym
starts one; clean is for when you want them all gone now.`,
		Args: noArgs,
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
