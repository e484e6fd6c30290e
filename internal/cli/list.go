package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newListCmd) }

// solvedIDs returns the ids the learner has solved; the progress store
// replaces it. nil means nothing solved.
var solvedIDs = func() map[string]bool { return nil }

// listItem is one element of `list --json`, a stable interface documented
// in docs/json.md.
type listItem struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Category   string   `json:"category"`
	Difficulty string   `json:"difficulty"`
	Commands   []string `json:"commands"`
	Solved     bool     `json:"solved"`
	TimeLimit  int      `json:"time_limit_seconds"`
	Points     int      `json:"points,omitempty"` // with --set only
}

func newListCmd(f *Factory) *cobra.Command {
	var category, setFile string
	var asJSON, asMarkdown bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the challenges, grouped by category, with progress marks",
		Long: `List the built-in challenges and those of the --dir folders, grouped by
category, easiest first; a ✓ marks the ones you have solved.

--json prints the same as a JSON array (fields in docs/json.md); --markdown
prints the table docs/catalog.md is made of; --set F lists a set file's
challenges in the set's order, with their points.`,
		Example: `  shellgym list --category permissions
  shellgym list --json | jq -r '.[] | select(.solved | not) | .id'
  shellgym list --dir ./my-challenges --set week1.yaml`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if asJSON && asMarkdown {
				return usageError{errors.New("--json and --markdown cannot be used together; pick one")}
			}
			if setFile != "" && (asMarkdown || category != "") {
				flag := "--markdown"
				if category != "" {
					flag = "--category"
				}
				return usageError{fmt.Errorf("--set lists the set's challenges only; it cannot be used with %s", flag)}
			}
			cat, err := loadCatalog(f)
			if err != nil {
				return err
			}
			solved := solvedIDs()
			if setFile != "" {
				set, err := challenge.LoadSet(setFile, cat)
				if err != nil {
					return invalidInput(err, "fix the set file; `shellgym lint "+setFile+"` lists every problem")
				}
				return listSet(f.Out, set, solved, asJSON)
			}
			defs := cat.All()
			if category != "" {
				var kept []*challenge.Definition
				for _, d := range defs {
					if strings.EqualFold(d.Category, category) {
						kept = append(kept, d)
					}
				}
				if len(kept) == 0 {
					return withHint(usageError{fmt.Errorf("no challenge in category %q", category)},
						"categories: "+strings.Join(cat.Categories(), ", "))
				}
				defs = kept
			}
			if asMarkdown {
				return listMarkdown(f.Out, defs)
			}
			if asJSON {
				items := make([]listItem, 0, len(defs))
				for _, d := range defs {
					items = append(items, itemOf(d, solved))
				}
				return writeJSON(f.Out, items)
			}
			return listTable(f.Out, defs, solved)
		},
	}
	cmd.Flags().StringVar(&category, "category", "", "only the challenges of category `C`")
	cmd.Flags().StringVar(&setFile, "set", "", "list the challenges of the set file `F`, in order, with points")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array: [{id, title, category, difficulty, commands, solved, ...}] (docs/json.md)")
	cmd.Flags().BoolVar(&asMarkdown, "markdown", false, "print the catalog as Markdown tables, without progress (docs/catalog.md is made with it)")
	return cmd
}

// loadCatalog returns the catalog; broken challenges are invalid input.
func loadCatalog(f *Factory) (*challenge.Catalog, error) {
	cat, err := f.Catalog()
	if err != nil {
		return nil, invalidInput(err, "`shellgym lint` lists every problem of the built-in catalog and --dir folders")
	}
	return cat, nil
}

// invalidInput marks challenge and set problems as bad input (exit 2).
func invalidInput(err error, hint string) error {
	var list challenge.ErrorList
	if errors.As(err, &list) {
		return withHint(usageError{fmt.Errorf("invalid challenge or set:\n%w", err)}, hint)
	}
	return withHint(usageError{err}, hint)
}

func itemOf(d *challenge.Definition, solved map[string]bool) listItem {
	commands := d.Commands
	if commands == nil {
		commands = []string{}
	}
	return listItem{ID: d.ID, Title: d.Title, Category: d.Category, Difficulty: d.Difficulty,
		Commands: commands, Solved: solved[d.ID], TimeLimit: int(d.TimeLimit.Seconds())}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func mark(solved bool) string {
	if solved {
		return "✓"
	}
	return " "
}

// listTable prints one block per category; columns line up across blocks.
func listTable(w io.Writer, defs []*challenge.Definition, solved map[string]bool) error {
	var rows [][]string
	for _, d := range defs {
		rows = append(rows, []string{mark(solved[d.ID]) + " " + d.ID, d.Difficulty, d.Title, strings.Join(d.Commands, ", ")})
	}
	widths := columnWidths(rows)
	var b strings.Builder
	last := ""
	for i, d := range defs {
		if d.Category != last {
			if last != "" {
				b.WriteByte('\n')
			}
			b.WriteString(d.Category + "\n")
			last = d.Category
		}
		b.WriteString("  " + formatRow(rows[i], widths) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func listSet(w io.Writer, set *challenge.Set, solved map[string]bool, asJSON bool) error {
	if asJSON {
		items := make([]listItem, 0, len(set.Entries))
		for _, e := range set.Entries {
			item := itemOf(e.Def, solved)
			item.Points = e.Points
			items = append(items, item)
		}
		return writeJSON(w, items)
	}
	rows := [][]string{{"  #", "ID", "POINTS", "DIFFICULTY", "TITLE"}}
	for i, e := range set.Entries {
		rows = append(rows, []string{fmt.Sprintf("%s %d", mark(solved[e.Def.ID]), i+1), e.Def.ID,
			fmt.Sprint(e.Points), e.Def.Difficulty, e.Def.Title})
	}
	widths := columnWidths(rows)
	var b strings.Builder
	b.WriteString(set.Title + "\n")
	for _, r := range rows {
		b.WriteString(formatRow(r, widths) + "\n")
	}
	fmt.Fprintf(&b, "%d points; pass mark %d%%; scoring: %s\n", set.MaxPoints(), set.PassMark, set.Scoring)
	_, err := io.WriteString(w, b.String())
	return err
}

func columnWidths(rows [][]string) []int {
	var widths []int
	for _, r := range rows {
		for i, cell := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	return widths
}

func formatRow(r []string, widths []int) string {
	var b strings.Builder
	for i, cell := range r {
		b.WriteString(cell)
		if i < len(r)-1 {
			b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell)+2))
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// listMarkdown prints the catalog as docs/catalog.md: a table per category
// and totals by difficulty. It carries no progress, so it is the same on
// every machine and CI can compare it with the committed file.
func listMarkdown(w io.Writer, defs []*challenge.Definition) error {
	var b strings.Builder
	count := map[string]int{}
	for _, d := range defs {
		count[d.Difficulty]++
	}
	b.WriteString("# The built-in catalog\n\n")
	b.WriteString("Generated by `shellgym list --markdown > docs/catalog.md`; CI fails when it is stale.\n\n")
	fmt.Fprintf(&b, "%d challenges: %d easy, %d medium, %d hard.\n", len(defs),
		count[challenge.Easy], count[challenge.Medium], count[challenge.Hard])
	last := ""
	for _, d := range defs {
		if d.Category != last {
			fmt.Fprintf(&b, "\n## %s\n\n| id | title | difficulty | commands |\n|---|---|---|---|\n", d.Category)
			last = d.Category
		}
		cmds := make([]string, len(d.Commands))
		for i, c := range d.Commands {
			cmds[i] = "`" + c + "`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", d.ID, strings.ReplaceAll(d.Title, "|", "\\|"),
			d.Difficulty, strings.Join(cmds, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
