package challenge

import (
	"fmt"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"
)

// Scoring modes of a set.
const (
	ScoringPartial = "partial"
	ScoringAll     = "all"
)

// LoadSet reads a set file and resolves its entries: `id:` from c (which may
// be nil when the set only has paths), `path:` as a challenge folder relative
// to the set file. Every entry of the result has its Def. The error is an
// ErrorList holding every problem, an unknown id with its line.
func LoadSet(file string, c *Catalog) (*Set, error) {
	s := &Set{Path: file, Scoring: ScoringPartial}
	d := &decoder{file: file}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, ErrorList{{File: file, Msg: fmt.Sprintf("read set: %v", unwrapPathError(err))}}
	}
	root, ok := parseDocument(d, data)
	if !ok {
		return nil, d.errs
	}
	seen := map[string]int{}
	d.fields(root, "set", []field{
		{key: "title", required: true, set: func(k, v *yaml.Node) { s.Title, _ = d.nonEmpty(k, v) }},
		{key: "pass_mark", required: true, set: func(k, v *yaml.Node) {
			if i, ok := d.integer(k, v); ok {
				if i < 0 || i > 100 {
					d.errorf(v, "key %q: %d is not a percentage from 0 to 100", k.Value, i)
				}
				s.PassMark = i
			}
		}},
		{key: "scoring", set: func(k, v *yaml.Node) {
			if str, ok := d.str(k, v); ok {
				if str != ScoringPartial && str != ScoringAll {
					d.errorf(v, "key %q: %q is not partial or all", k.Value, str)
				}
				s.Scoring = str
			}
		}},
		{key: "challenges", required: true, set: func(k, v *yaml.Node) {
			if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
				d.errorf(v, "challenges: a set needs at least one challenge")
			}
			d.list(k, v, func(item *yaml.Node) {
				e, ok := d.setEntry(item, file, c)
				if !ok {
					return
				}
				if line, dup := seen[e.Def.ID]; dup {
					d.errorf(item, "challenge %q is already in the set on line %d", e.Def.ID, line)
					return
				}
				seen[e.Def.ID] = item.Line
				s.Entries = append(s.Entries, e)
			})
		}},
	})
	if err := d.errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

func (d *decoder) setEntry(item *yaml.Node, file string, c *Catalog) (SetEntry, bool) {
	e := SetEntry{Pos: pos(item)}
	var idNode, pathNode *yaml.Node
	ok := d.fields(item, "set entry", []field{
		{key: "id", set: func(k, v *yaml.Node) { e.ID, _ = d.nonEmpty(k, v); idNode = v }},
		{key: "path", set: func(k, v *yaml.Node) { e.Path, _ = d.nonEmpty(k, v); pathNode = v }},
		{key: "points", required: true, set: func(k, v *yaml.Node) {
			if i, ok := d.integer(k, v); ok {
				if i < 1 {
					d.errorf(v, "key %q: %d is not a positive number of points", k.Value, i)
				}
				e.Points = i
			}
		}},
	})
	if !ok {
		return e, false
	}
	switch {
	case (idNode == nil) == (pathNode == nil):
		d.errorf(item, "set entry: give exactly one of id and path")
	case idNode != nil && e.ID != "":
		if c == nil {
			d.errorf(idNode, "unknown challenge id %q: no catalog to look it up in", e.ID)
			return e, false
		}
		def, err := c.Get(e.ID)
		if err != nil {
			d.errorf(idNode, "unknown challenge id %q%s; `shellgym list` shows the catalog, or use path: for a folder of your own", e.ID, c.didYouMean(e.ID))
			return e, false
		}
		e.Def = def
		return e, true
	case pathNode != nil && e.Path != "":
		rel := e.Path
		if !filepath.IsAbs(rel) {
			rel = filepath.Join(filepath.Dir(file), rel)
		}
		abs, err := filepath.Abs(rel)
		if err != nil {
			d.errorf(pathNode, "path %q: %v", e.Path, err)
			return e, false
		}
		e.Path = abs
		if _, err := os.Stat(filepath.Join(abs, FileName)); err != nil {
			d.errorf(pathNode, "path %q: no %s in %s", pathNode.Value, FileName, rel)
			return e, false
		}
		def, err := Load(os.DirFS(abs), ".", rel)
		if err != nil {
			d.errs.add(rel, err)
			return e, false
		}
		e.Def = def
		e.ID = def.ID
		return e, true
	}
	return e, false
}

// Definitions returns the challenges of the set in order.
func (s *Set) Definitions() []*Definition {
	out := make([]*Definition, len(s.Entries))
	for i, e := range s.Entries {
		out[i] = e.Def
	}
	return out
}

// MaxPoints is the sum of the entries' points.
func (s *Set) MaxPoints() int {
	total := 0
	for _, e := range s.Entries {
		total += e.Points
	}
	return total
}
