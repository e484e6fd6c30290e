package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/shellgym/shellgym/sandbox"
)

func init() { commands = append(commands, newImagesCmd) }

func newImagesCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "images",
		Short: "Manage the sandbox image",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	var opts sandbox.BuildOptions
	build := &cobra.Command{
		Use:   "build",
		Short: "Build the sandbox image",
		Long: `Build the sandbox image (` + sandbox.ImageTag() + `) through the Docker Engine API.

Online it starts from ` + sandbox.OnlineBase + `. With --offline, or when that base
cannot be pulled and debootstrap is installed, it starts from ` + sandbox.OfflineBase + `,
made with debootstrap --variant=minbase on this machine (needs root); the
build itself still installs packages from Debian's mirror.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := f.Docker(cmd.Context())
			if err != nil {
				return err
			}
			opts.Progress = f.Err
			tag, err := c.BuildImage(cmd.Context(), opts)
			if err != nil {
				return fmt.Errorf("build the sandbox image: %w", err)
			}
			fmt.Fprintf(f.Err, "shellgym: built %s\n", tag)
			return nil
		},
	}
	build.Flags().BoolVar(&opts.Offline, "offline", false, "start from a base made with debootstrap instead of pulling "+sandbox.OnlineBase)
	build.Flags().BoolVar(&opts.NoCache, "no-cache", false, "do not use the layer cache (with --offline, remake the base too)")
	cmd.AddCommand(build)
	return cmd
}
