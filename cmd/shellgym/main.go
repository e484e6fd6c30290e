// Command shellgym is a Linux command trainer: challenges played in throwaway
// Docker containers and graded from the container's final state.
package main

import (
	"os"

	"github.com/shellgym/shellgym/internal/cli"
)

func main() { os.Exit(cli.Main()) }
