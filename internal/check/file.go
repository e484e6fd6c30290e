package check

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/sandbox"
)

func typeName(t sandbox.FileType) string {
	switch t {
	case sandbox.Regular:
		return "file"
	case sandbox.Dir:
		return "dir"
	case sandbox.Symlink:
		return "symlink"
	case sandbox.Missing:
		return "missing"
	}
	return "special file"
}

// normalize drops trailing whitespace on every line and trailing blank
// lines, so an editor's or echo's newline never decides a verdict.
func normalize(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// countLines counts lines as wc -l would, plus an unterminated last line.
func countLines(b []byte) int {
	n := strings.Count(string(b), "\n")
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}

func hasContentAssertion(c *challenge.Check) bool {
	return c.Content != nil || c.Contains != nil || c.NotContain != nil || c.Matches != nil ||
		c.Lines != nil || c.SHA256 != nil
}

func evalFile(c *challenge.Check, f *facts, sp speaker) []string {
	fi := f.files[c.Subject]
	name := sp.subject(c.Subject, "the file")
	if fi == nil {
		return []string{name + " was not read"}
	}
	if c.Exists != nil && !*c.Exists {
		if fi.Type != sandbox.Missing {
			return []string{fmt.Sprintf("%s exists (a %s)", name, typeName(fi.Type))}
		}
		return nil
	}
	if fi.Type == sandbox.Missing {
		return []string{name + " does not exist"}
	}
	var fails []string
	add := func(format string, a ...any) { fails = append(fails, fmt.Sprintf(format, a...)) }

	if c.Type != "" && typeName(fi.Type) != c.Type {
		add("%s is a %s, expected a %s", name, typeName(fi.Type), c.Type)
	}
	if c.Mode != nil && fi.Mode&07777 != uint32(*c.Mode) {
		want := fmt.Sprintf("%04o", uint32(*c.Mode))
		add("mode is %04o%s", fi.Mode&07777, sp.want(want))
	}
	if c.Owner != nil {
		fails = append(fails, ownerMismatch(*c.Owner, fi.UID, f.acct, sp, true)...)
	}
	if c.Group != nil {
		fails = append(fails, ownerMismatch(*c.Group, fi.GID, f.acct, sp, false)...)
	}
	if c.Target != nil {
		switch {
		case fi.Type != sandbox.Symlink:
			add("%s is not a symlink", name)
		case fi.LinkTarget != *c.Target:
			add("the link points to %s%s", fi.LinkTarget, sp.want(*c.Target))
		}
	}
	if c.HardlinkOf != nil {
		a, okA := f.inodes[c.Subject]
		b, okB := f.inodes[*c.HardlinkOf]
		other := sp.subject(*c.HardlinkOf, "the expected file")
		switch {
		case !okB:
			add("%s does not exist", other)
		case !okA || a != b:
			add("%s is not a hard link to %s", name, other)
		}
	}
	if c.Empty != nil {
		fails = append(fails, emptiness(c, fi, f, name)...)
	}
	if hasContentAssertion(c) {
		fails = append(fails, contentFails(c, fi, name, sp)...)
	}
	return fails
}

// ownerMismatch compares a file's uid (isUser) or gid with the expected name
// or number.
func ownerMismatch(want string, got int, acct *accounts, sp speaker, isUser bool) []string {
	what, resolve, render := "group", (*accounts).gid, (*accounts).groupName
	if isUser {
		what, resolve, render = "owner", (*accounts).uid, (*accounts).userName
	}
	if acct == nil {
		acct = &accounts{}
	}
	id, err := resolve(acct, want)
	if err != nil {
		if sp.secret(want) {
			return []string{fmt.Sprintf("the expected %s cannot be resolved: %s", what, strings.ReplaceAll(err.Error(), want, "it"))}
		}
		return []string{fmt.Sprintf("cannot check the %s: %v", what, err)}
	}
	if id == got {
		return nil
	}
	return []string{fmt.Sprintf("%s is %s%s", what, render(acct, got), sp.want(want))}
}

func emptiness(c *challenge.Check, fi *sandbox.FileInfo, f *facts, name string) []string {
	var empty bool
	switch fi.Type {
	case sandbox.Regular:
		empty = fi.Size == 0
	case sandbox.Dir:
		empty = len(f.trees[c.Subject]) == 0
	default:
		return []string{fmt.Sprintf("%s is a %s, neither a file nor a directory", name, typeName(fi.Type))}
	}
	switch {
	case *c.Empty && !empty:
		if fi.Type == sandbox.Dir {
			return []string{fmt.Sprintf("%s is not empty (%s)", name, plural(len(f.trees[c.Subject]), "entry", "entries"))}
		}
		return []string{fmt.Sprintf("%s is not empty (%s)", name, plural(int(fi.Size), "byte", "bytes"))}
	case !*c.Empty && empty:
		return []string{name + " is empty"}
	}
	return nil
}

// contentFails checks the assertions on a regular file's bytes. Content is
// never shown: the expected text may be the answer, and the found text is
// in the learner's reach anyway.
func contentFails(c *challenge.Check, fi *sandbox.FileInfo, name string, sp speaker) []string {
	if fi.Type != sandbox.Regular {
		return []string{fmt.Sprintf("%s is a %s, not a regular file, so its content was not checked", name, typeName(fi.Type))}
	}
	if fi.Truncated {
		return []string{fmt.Sprintf("%s is larger than %d MiB, so its content was not checked", name, MaxFileBytes>>20)}
	}
	var fails []string
	text := string(fi.Content)
	if c.Content != nil && normalize(text) != normalize(*c.Content) {
		fails = append(fails, "the content differs from what was expected")
	}
	if c.Contains != nil && !strings.Contains(text, *c.Contains) {
		fails = append(fails, "the content lacks something it should contain")
	}
	if c.NotContain != nil && strings.Contains(text, *c.NotContain) {
		fails = append(fails, "the content still contains something it should not")
	}
	if c.Matches != nil {
		re, err := compile(*c.Matches)
		switch {
		case err != nil:
			fails = append(fails, "the check's pattern is not a valid RE2 expression")
		case !re.MatchString(strings.TrimRight(text, "\n")):
			fails = append(fails, "the content does not match the expected pattern")
		}
	}
	if c.Lines != nil {
		if n := countLines(fi.Content); n != *c.Lines {
			fails = append(fails, fmt.Sprintf("%s has %s%s", name, plural(n, "line", "lines"), sp.want(fmt.Sprint(*c.Lines))))
		}
	}
	if c.SHA256 != nil {
		sum := sha256.Sum256(fi.Content)
		if !strings.EqualFold(hex.EncodeToString(sum[:]), strings.TrimSpace(*c.SHA256)) {
			fails = append(fails, "the content's SHA-256 differs from what was expected")
		}
	}
	return fails
}
