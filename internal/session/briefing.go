package session

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/glamour/styles"

	"github.com/shellgym/shellgym/internal/challenge"
)

// briefingMarkdown is the text shown before the shell opens: the title, the
// difficulty and time limit, then the challenge's own briefing.
func briefingMarkdown(c *challenge.Challenge) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", c.Title)
	fmt.Fprintf(&b, "*%s · %s · time limit %s · `%s` · seed %d*\n\n", c.Category, c.Difficulty, ShortDuration(c.TimeLimit), c.ID, c.Seed)
	b.WriteString(strings.TrimSpace(c.Briefing))
	b.WriteString("\n")
	return b.String()
}

// RenderMarkdown renders md for a terminal width columns wide when styled,
// and returns it as it is otherwise (not a terminal, or rendering failed).
func RenderMarkdown(md string, width int, styled bool) string {
	if !styled {
		return md
	}
	if width <= 0 || width > 100 {
		width = min(max(width, 0), 100)
		if width == 0 {
			width = 80
		}
	}
	// A fixed style (or GLAMOUR_STYLE): the automatic one asks the terminal
	// for its background colour and waits for an answer some terminals
	// never send.
	style := os.Getenv("GLAMOUR_STYLE")
	if style == "" {
		style = styles.DarkStyle
	}
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle(style), glamour.WithWordWrap(width-2))
	if err != nil {
		return md
	}
	out, err := r.Render(md)
	if err != nil {
		return md
	}
	return out
}

// ShortDuration prints d as people write it: 10m rather than 10m0s, 1h
// rather than 1h0m0s.
func ShortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
