package grade

import (
	"strings"
	"unicode/utf8"
)

// MaxMessage caps every learner-influenced message a report carries (check
// messages, errors, output): a solution that prints megabytes or a check that
// quotes a huge file cannot bloat a gradebook.
const MaxMessage = 4 << 10

// truncMark ends a message cut at MaxMessage.
const truncMark = " … (truncated)"

// capText returns s as valid UTF-8 of at most max bytes, cut on a rune
// boundary and marked when cut. Invalid bytes become U+FFFD first, so every
// writer downstream sees well-formed text.
func capText(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= max {
		return s
	}
	cut := max - len(truncMark)
	if cut < 0 {
		cut = 0
	}
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + truncMark
}

// cleanText is capText after dropping control characters other than tab and
// newline (C0, DEL, C1): escape sequences in a learner's output must not
// drive the terminal of whoever reads the report.
func cleanText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' {
			return r
		}
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return capText(s, MaxMessage)
}

// xmlText strips the code points XML 1.0 cannot carry at all (most C0
// controls, surrogates, U+FFFE/U+FFFF); escaping of <, >, & and quotes is
// left to encoding/xml.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' ||
			(r >= 0x20 && r <= 0xD7FF) ||
			(r >= 0xE000 && r <= 0xFFFD) ||
			(r >= 0x10000 && r <= 0x10FFFF) {
			return r
		}
		return -1
	}, capText(s, MaxMessage))
}

// oneLine folds every line break and other control character into a space,
// so a value cannot start a new line in a line-oriented format.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return ' '
		}
		return r
	}, s)
}

// mdEscaper backslash-escapes every ASCII punctuation character that can
// start Markdown syntax, and turns the HTML-significant ones into entities, so
// text shows as typed and never becomes a link, an image, HTML, a code span or
// a table column.
var mdEscaper = func() *strings.Replacer {
	var pairs []string
	for _, c := range "\\`*_{}[]()#+-.!|~:@" {
		pairs = append(pairs, string(c), "\\"+string(c))
	}
	pairs = append(pairs, "<", "&lt;", ">", "&gt;", "&", "&amp;", `"`, "&quot;")
	return strings.NewReplacer(pairs...)
}()

// mdInline renders s as inert Markdown on one line, fit for a table cell or a
// heading.
func mdInline(s string) string {
	return mdEscaper.Replace(strings.TrimSpace(oneLine(capText(s, MaxMessage))))
}

// tapDescription makes s safe after "ok N - ": one line, and '#' escaped so
// it cannot start a directive (TODO, SKIP) or a comment.
func tapDescription(s string) string {
	s = oneLine(capText(s, MaxMessage))
	s = strings.ReplaceAll(s, `\`, `\\`)
	return strings.ReplaceAll(s, "#", `\#`)
}
