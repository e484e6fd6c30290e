package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/shellgym/shellgym/sandbox"
)

func init() { commands = append(commands, newDoctorCmd) }

func newDoctorCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "Check that Docker is reachable and the sandbox image is there",
		Long: `Doctor connects to Docker (DOCKER_HOST, else the local socket) and prints the
engine, its runtime and storage, whether the sandbox image is built, and how
many shellgym sandboxes exist. The exit code is 0 when Docker is reachable
and the image is built, 1 otherwise.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			out := f.Out
			c, err := f.Docker(ctx)
			if err != nil {
				fmt.Fprintln(out, "docker:    not reachable")
				return err
			}
			info, err := c.Info(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "docker:    %s, engine %s, API %s (server %s)\n", info.Host, info.ServerVersion, info.APIVersion, info.ServerAPIVersion)
			fmt.Fprintf(out, "host:      %s, kernel %s, %s/%s\n", info.OperatingSystem, info.KernelVersion, info.OS, info.Arch)
			fmt.Fprintf(out, "runtime:   %s (available: %s), storage %s, cgroup v%s (%s)\n",
				info.DefaultRuntime, strings.Join(info.Runtimes, ", "), info.StorageDriver, info.CgroupVersion, info.CgroupDriver)
			present, err := c.HasImage(ctx, sandbox.ImageTag())
			if err != nil {
				return err
			}
			problems := 0
			if present {
				fmt.Fprintf(out, "image:     %s present\n", sandbox.ImageTag())
			} else {
				problems++
				fmt.Fprintf(out, "image:     %s missing; it is built on first use, or now with `shellgym images build`\n", sandbox.ImageTag())
			}
			list, err := c.List(ctx)
			if err != nil {
				return err
			}
			running, expired := 0, 0
			for _, s := range list {
				if s.Expired(time.Now()) || s.State != "running" {
					expired++
				} else {
					running++
				}
			}
			fmt.Fprintf(out, "sandboxes: %d running, %d leftover", running, expired)
			if expired > 0 {
				fmt.Fprint(out, " (the next start sweeps them; `shellgym clean` removes all)")
			}
			fmt.Fprintln(out)
			if problems > 0 {
				return exitError{ExitError}
			}
			return nil
		},
	}
}
