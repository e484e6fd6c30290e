package cli

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/internal/session"
)

func init() { commands = append(commands, newShowCmd) }

func newShowCmd(f *Factory) *cobra.Command {
	var seed int64
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a challenge's briefing, commands, difficulty and time limit",
		Long: `Show prints a challenge's briefing and facts without starting anything. Its
hidden values are drawn from a seed, printed with the page; ` + "`play --seed N`" + ` plays
that same variant. On a terminal the page is styled; piped, it is plain
Markdown.`,
		Example: `  shellgym show ssh-key-perms
  shellgym show ssh-key-perms --seed 7 > briefing.md`,
		Args: oneID,
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := loadCatalog(f)
			if err != nil {
				return err
			}
			def, err := cat.Get(args[0])
			if err != nil {
				if slices.Contains(cat.Categories(), args[0]) {
					return withHint(usageError{err}, fmt.Sprintf("%s is a category: `shellgym list --category %s` lists its challenges", args[0], args[0]))
				}
				return usageError{err}
			}
			if !cmd.Flags().Changed("seed") {
				seed = rand.Int64N(1 << 31)
			}
			c, err := def.Render(seed)
			if err != nil {
				return invalidInput(err, "`shellgym lint "+def.Dir+"` lists every problem")
			}
			md := showMarkdown(c)
			width, styled := terminalWidth(f.Out)
			md = session.RenderMarkdown(md, width, styled)
			_, err = io.WriteString(f.Out, md)
			return err
		},
	}
	cmd.Flags().Int64Var(&seed, "seed", 0, "render the briefing with the hidden values of seed `N` (default: random)")
	return cmd
}

// showMarkdown is the page `show` prints: plain text that is also Markdown.
func showMarkdown(c *challenge.Challenge) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", c.Title)
	fmt.Fprintf(&b, "- id: `%s`\n", c.ID)
	fmt.Fprintf(&b, "- category: %s\n", c.Category)
	fmt.Fprintf(&b, "- difficulty: %s\n", c.Difficulty)
	fmt.Fprintf(&b, "- time limit: %s\n", session.ShortDuration(c.TimeLimit))
	if len(c.Commands) > 0 {
		fmt.Fprintf(&b, "- commands: %s\n", strings.Join(c.Commands, ", "))
	}
	fmt.Fprintf(&b, "- you play as: %s\n", c.User)
	fmt.Fprintf(&b, "- seed: %d (`shellgym play %s --seed %d` plays this variant)\n\n", c.Seed, c.ID, c.Seed)
	b.WriteString(strings.TrimSpace(c.Briefing))
	b.WriteString("\n")
	return b.String()
}

// terminalWidth reports whether w is a terminal, and its width.
func terminalWidth(w io.Writer) (int, bool) {
	file, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(file.Fd())) {
		return 0, false
	}
	width, _, err := term.GetSize(int(file.Fd()))
	if err != nil || width <= 0 {
		width = 80
	}
	return min(width, 100), true
}
