package challenge

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decoder walks a YAML node tree and collects every problem with its
// position, instead of stopping at the first one.
type decoder struct {
	file string
	errs ErrorList
	// rendered holds the template source of scalars whose value came from a
	// template, so messages can show both, and so a rendered string may be
	// read as a number or a boolean.
	rendered map[*yaml.Node]string
}

func (d *decoder) errorf(n *yaml.Node, format string, a ...any) {
	e := &Error{File: d.file, Line: 1, Col: 1, Msg: fmt.Sprintf(format, a...)}
	if n != nil && n.Line > 0 {
		e.Line, e.Col = n.Line, n.Column
	}
	if src, ok := d.rendered[n]; ok {
		e.Msg += fmt.Sprintf(" (rendered from %q)", src)
	}
	d.errs = append(d.errs, e)
}

// field is one key a mapping may hold.
type field struct {
	key      string
	required bool
	set      func(k, v *yaml.Node)
}

// fields decodes mapping n, calling set for each known key in file order.
// Unknown, duplicate and missing required keys are reported; what names the
// mapping in messages. It reports whether n was a mapping.
func (d *decoder) fields(n *yaml.Node, what string, fs []field) bool {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: want a mapping of keys, got %s", what, describe(n))
		return false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if seen[k.Value] {
			d.errorf(k, "%s: key %q appears twice", what, k.Value)
			continue
		}
		seen[k.Value] = true
		j := slices.IndexFunc(fs, func(f field) bool { return f.key == k.Value })
		if j < 0 {
			d.errorf(k, "%s: unknown key %q%s", what, k.Value, suggest(k.Value, fs))
			continue
		}
		fs[j].set(k, v)
	}
	for _, f := range fs {
		if f.required && !seen[f.key] {
			d.errorf(n, "%s: missing required key %q", what, f.key)
		}
	}
	return true
}

func suggest(key string, fs []field) string {
	best, dist := "", 3
	for _, f := range fs {
		if dd := editDistance(key, f.key); dd < dist {
			best, dist = f.key, dd
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// describe names what a node holds, for "want X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return n.Value
		}
		return strconv.Quote(n.Value)
	}
	return "something else"
}

// str reads a scalar as text. Numbers are text too; null, true/false and
// collections are not.
func (d *decoder) str(k, v *yaml.Node) (string, bool) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" || v.Tag == "!!bool" {
		d.errorf(v, "key %q: want a string, got %s", k.Value, describe(v))
		return "", false
	}
	return v.Value, true
}

// nonEmpty is str that also refuses an empty or blank string.
func (d *decoder) nonEmpty(k, v *yaml.Node) (string, bool) {
	s, ok := d.str(k, v)
	if ok && strings.TrimSpace(s) == "" {
		d.errorf(v, "key %q: must not be empty", k.Value)
		return "", false
	}
	return s, ok
}

// integer reads an int; a string is accepted only when a template produced it.
func (d *decoder) integer(k, v *yaml.Node) (int, bool) {
	if v.Kind == yaml.ScalarNode {
		if v.Tag == "!!int" {
			var i int
			if err := v.Decode(&i); err == nil {
				return i, true
			}
		}
		if _, ok := d.rendered[v]; ok {
			if i, err := strconv.Atoi(strings.TrimSpace(v.Value)); err == nil {
				return i, true
			}
		}
	}
	d.errorf(v, "key %q: want an integer, got %s", k.Value, describe(v))
	return 0, false
}

// boolean reads true or false; a string only when a template produced it.
func (d *decoder) boolean(k, v *yaml.Node) (bool, bool) {
	if v.Kind == yaml.ScalarNode {
		_, isRendered := d.rendered[v]
		if v.Tag == "!!bool" || isRendered {
			if b, err := strconv.ParseBool(strings.TrimSpace(v.Value)); err == nil {
				return b, true
			}
		}
	}
	d.errorf(v, "key %q: want true or false, got %s", k.Value, describe(v))
	return false, false
}

// strList reads a list of strings.
func (d *decoder) strList(k, v *yaml.Node) ([]string, bool) {
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, "key %q: want a list, got %s", k.Value, describe(v))
		return nil, false
	}
	out := make([]string, 0, len(v.Content))
	ok := true
	for _, item := range v.Content {
		item = resolve(item)
		s, good := d.str(k, item)
		if good && strings.TrimSpace(s) == "" {
			d.errorf(item, "key %q: empty item", k.Value)
			good = false
		}
		ok = ok && good
		out = append(out, s)
	}
	return out, ok
}

// list reads a list of mappings, calling each for every item.
func (d *decoder) list(k, v *yaml.Node, each func(item *yaml.Node)) {
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, "key %q: want a list, got %s", k.Value, describe(v))
		return
	}
	for _, item := range v.Content {
		each(resolve(item))
	}
}

func pos(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }
