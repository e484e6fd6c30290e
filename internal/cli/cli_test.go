package cli

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run the shellgym command in-process: scripts
// call `shellgym ...` and get cli.Main's exit code.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"shellgym": func() { os.Exit(Main()) },
	})
}

// TestScripts runs the CLI flows of testdata/script/*.txtar.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("XDG_DATA_HOME", env.WorkDir+"/.local/share")
			env.Setenv("XDG_CONFIG_HOME", env.WorkDir+"/.config")
			env.Setenv("XDG_STATE_HOME", env.WorkDir+"/.local/state")
			return nil
		},
	})
}
