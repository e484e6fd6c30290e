package check

import (
	"fmt"
	"path"
	"strings"

	"github.com/shellgym/shellgym/internal/challenge"
)

// globRoot is the directory a pattern's matches must lie under: its longest
// leading run of segments without a glob metacharacter.
func globRoot(pattern string) string {
	p := path.Clean("/" + pattern)
	segs := strings.Split(p, "/")[1:]
	root := "/"
	for _, s := range segs {
		if strings.ContainsAny(s, `*?[\`) {
			break
		}
		root = path.Join(root, s)
	}
	if root == p {
		// No metacharacter at all: the pattern names one path, which lies in
		// its parent.
		return path.Dir(p)
	}
	return root
}

// MatchGlob reports whether name matches pattern. Both are slash-separated
// absolute paths; `*`, `?` and `[...]` match within one segment, dot files
// included (as find sees them), and a `**` segment matches zero or more
// segments.
func MatchGlob(pattern, name string) (bool, error) {
	ps := strings.Split(strings.Trim(path.Clean("/"+pattern), "/"), "/")
	ns := strings.Split(strings.Trim(path.Clean("/"+name), "/"), "/")
	return matchSegs(ps, ns)
}

func matchSegs(ps, ns []string) (bool, error) {
	for len(ps) > 0 {
		if ps[0] == "**" {
			// Collapse runs of ** and try every split.
			for len(ps) > 1 && ps[1] == "**" {
				ps = ps[1:]
			}
			for i := 0; i <= len(ns); i++ {
				ok, err := matchSegs(ps[1:], ns[i:])
				if ok || err != nil {
					return ok, err
				}
			}
			return false, nil
		}
		if len(ns) == 0 {
			return false, nil
		}
		ok, err := path.Match(ps[0], ns[0])
		if err != nil || !ok {
			return false, err
		}
		ps, ns = ps[1:], ns[1:]
	}
	return len(ns) == 0, nil
}

func evalGlob(c *challenge.Check, f *facts, sp speaker) []string {
	n := 0
	for _, e := range f.trees[globRoot(c.Subject)] {
		ok, err := MatchGlob(c.Subject, e.Path)
		if err != nil {
			return []string{"the check's glob pattern is malformed"}
		}
		if ok {
			n++
		}
	}
	found := plural(n, "path matches", "paths match")
	switch {
	case c.Count != nil && n != *c.Count:
		return []string{fmt.Sprintf("%s%s", found, sp.want(fmt.Sprint(*c.Count)))}
	case c.Min != nil && n < *c.Min:
		return []string{fmt.Sprintf("%s%s", found, sp.want(fmt.Sprintf("at least %d", *c.Min)))}
	case c.Max != nil && n > *c.Max:
		return []string{fmt.Sprintf("%s%s", found, sp.want(fmt.Sprintf("at most %d", *c.Max)))}
	case c.Count == nil && c.Min == nil && c.Max == nil && n == 0:
		return []string{"nothing matches"}
	}
	return nil
}
