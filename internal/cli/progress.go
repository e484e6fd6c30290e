package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/internal/progress"
	"github.com/shellgym/shellgym/internal/session"
)

func init() { commands = append(commands, newProgressCmd) }

func newProgressCmd(f *Factory) *cobra.Command {
	var asJSON, reset, yes bool
	cmd := &cobra.Command{
		Use:   "progress [--json] [--reset [ID]]",
		Short: "Show what you have solved",
		Long: `Show your progress: a bar per category, then a line per challenge you have
played (attempts, best time, hints used, whether the solution was shown).

--reset forgets the progress of one challenge, or of all of them; it asks
first unless --yes is given. Progress is kept in $SHELLGYM_HOME, else
$XDG_STATE_HOME/shellgym, else ~/.local/state/shellgym.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 || (len(args) == 1 && !reset) {
				return usageError{errors.New("progress takes an id only with --reset")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			store, err := progress.Open()
			if err != nil {
				return err
			}
			if reset {
				id := ""
				if len(args) == 1 {
					id = args[0]
				}
				return resetProgress(f, store, id, yes)
			}
			d, err := store.Load()
			var ce *progress.CorruptError
			if errors.As(err, &ce) {
				fmt.Fprintf(f.Err, "shellgym: warning: %v\n", ce)
			} else if err != nil {
				return err
			}
			rows := progressRows(f, d)
			if asJSON {
				return writeProgressJSON(f.Out, rows)
			}
			writeProgressText(f.Out, rows)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (fields in docs/)")
	cmd.Flags().BoolVar(&reset, "reset", false, "forget the progress of ID, or of every challenge")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "with --reset: do not ask")
	return cmd
}

func resetProgress(f *Factory, store *progress.Store, id string, yes bool) error {
	what := "all your progress"
	if id != "" {
		what = "your progress on " + id
	}
	if !yes {
		p, ok := newPrompter(f)
		if !ok {
			return withHint(usageError{fmt.Errorf("not resetting %s without confirmation", what)}, "pass --yes to reset without a terminal")
		}
		sure, err := p.Confirm(fmt.Sprintf("Forget %s?", what))
		if errors.Is(err, session.ErrAborted) || (err == nil && !sure) {
			fmt.Fprintln(f.Err, "Nothing was reset.")
			return nil
		}
		if err != nil {
			return err
		}
	}
	found, err := store.Reset(id)
	var ce *progress.CorruptError
	if errors.As(err, &ce) {
		fmt.Fprintf(f.Err, "shellgym: warning: %v\n", ce)
	} else if err != nil {
		return err
	}
	switch {
	case id != "" && !found:
		fmt.Fprintf(f.Err, "There was no progress on %s.\n", id)
	default:
		fmt.Fprintf(f.Err, "Forgot %s.\n", what)
	}
	return nil
}

// progressRow is one challenge in `progress` output.
type progressRow struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Category  string `json:"category"`
	Solved    bool   `json:"solved"`
	Attempts  int    `json:"attempts"`
	BestMS    int64  `json:"best_ms"`
	HintsUsed int    `json:"hints_used"`
	Revealed  bool   `json:"revealed"`
	// Known is false for an id the catalog no longer has.
	Known bool `json:"known"`
}

// progressRows lists every catalog challenge, then any recorded id the
// catalog does not know. A catalog that fails to load leaves the recorded
// ids alone.
func progressRows(f *Factory, d *progress.Data) []progressRow {
	var defs []*challenge.Definition
	if cat, err := f.Catalog(); err == nil {
		defs = cat.All()
	}
	seen := map[string]bool{}
	var rows []progressRow
	for _, def := range defs {
		seen[def.ID] = true
		row := progressRow{ID: def.ID, Title: def.Title, Category: def.Category, Known: true}
		if r := d.Challenges[def.ID]; r != nil {
			row.Solved, row.Attempts, row.BestMS, row.HintsUsed, row.Revealed = r.Solved, r.Attempts, r.BestMS, r.HintsUsed, r.Revealed
		}
		rows = append(rows, row)
	}
	for _, id := range d.IDs() {
		if seen[id] {
			continue
		}
		r := d.Challenges[id]
		rows = append(rows, progressRow{ID: id, Category: "(unknown)", Solved: r.Solved, Attempts: r.Attempts, BestMS: r.BestMS, HintsUsed: r.HintsUsed, Revealed: r.Revealed})
	}
	return rows
}

// categoryTotal is the solved count of one category.
type categoryTotal struct {
	Name   string `json:"name"`
	Solved int    `json:"solved"`
	Total  int    `json:"total"`
}

func categoryTotals(rows []progressRow) []categoryTotal {
	by := map[string]*categoryTotal{}
	var out []*categoryTotal
	for _, r := range rows {
		if !r.Known {
			continue
		}
		t := by[r.Category]
		if t == nil {
			t = &categoryTotal{Name: r.Category}
			by[r.Category] = t
			out = append(out, t)
		}
		t.Total++
		if r.Solved {
			t.Solved++
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	res := make([]categoryTotal, len(out))
	for i, t := range out {
		res[i] = *t
	}
	return res
}

func writeProgressJSON(w io.Writer, rows []progressRow) error {
	played := []progressRow{}
	for _, r := range rows {
		if r.Attempts > 0 || r.Solved || r.Revealed || r.HintsUsed > 0 {
			played = append(played, r)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Categories []categoryTotal `json:"categories"`
		Challenges []progressRow   `json:"challenges"`
	}{categoryTotals(rows), played})
}

func writeProgressText(w io.Writer, rows []progressRow) {
	totals := categoryTotals(rows)
	width := 0
	for _, t := range totals {
		width = max(width, len(t.Name))
	}
	solved, total := 0, 0
	for _, t := range totals {
		fmt.Fprintf(w, "%-*s  %s  %d/%d\n", width, t.Name, bar(t.Solved, t.Total, 20), t.Solved, t.Total)
		solved += t.Solved
		total += t.Total
	}
	fmt.Fprintf(w, "\n%d of %d challenges solved.\n", solved, total)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := false
	for _, r := range rows {
		if r.Attempts == 0 && !r.Solved && !r.Revealed && r.HintsUsed == 0 {
			continue
		}
		if !header {
			fmt.Fprintln(w)
			fmt.Fprintln(tw, "ID\tCATEGORY\tSOLVED\tATTEMPTS\tBEST\tHINTS\tSOLUTION SHOWN")
			header = true
		}
		best := "-"
		if r.BestMS > 0 {
			best = (time.Duration(r.BestMS) * time.Millisecond).Round(time.Second).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%d\t%s\n", r.ID, r.Category, yesNo(r.Solved, "✓", "-"), r.Attempts, best, r.HintsUsed, yesNo(r.Revealed, "yes", "-"))
	}
	tw.Flush()
}

func bar(n, total, width int) string {
	full := 0
	if total > 0 {
		full = n * width / total
	}
	return strings.Repeat("█", full) + strings.Repeat("░", width-full)
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
