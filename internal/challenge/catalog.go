package challenge

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Catalog is the set of challenges one can play: the built-in ones followed
// by those of the --dir folders.
type Catalog struct {
	defs []*Definition
	byID map[string]*Definition
}

// LoadCatalog loads every challenge of builtin (layout
// <category>/<id>/challenge.yaml) and of dirs; a dir is a challenge folder
// or a tree holding challenge folders. An id used twice is an error naming
// both. On problems it returns the challenges that did load together with
// an ErrorList of every problem.
//
// To keep `list` fast it reads only each challenge's metadata; the rest is
// parsed and validated when the challenge is first rendered (Render and
// Validate return its problems). Lint validates everything up front.
func LoadCatalog(builtin fs.FS, dirs []string) (*Catalog, error) {
	c := &Catalog{byID: map[string]*Definition{}}
	var errs ErrorList
	if builtin != nil {
		folders, err := FindFS(builtin, ".")
		errs.add("embedded", err)
		for _, dir := range folders {
			def, err := loadHeader(builtin, dir, "embedded:"+dir)
			errs.add("embedded:"+dir, err.Err())
			c.add(def, &errs)
		}
	}
	for _, dir := range dirs {
		folders, err := FindDir(dir)
		errs.add(dir, err)
		if err == nil && len(folders) == 0 {
			errs.add(dir, errors.New("holds no challenge (no challenge.yaml in its tree)"))
		}
		for _, folder := range folders {
			def, err := loadHeader(os.DirFS(folder), ".", folder)
			errs.add(folder, err.Err())
			c.add(def, &errs)
		}
	}
	slices.SortFunc(c.defs, func(a, b *Definition) int {
		return cmp.Or(cmp.Compare(a.Category, b.Category),
			cmp.Compare(difficultyRank(a.Difficulty), difficultyRank(b.Difficulty)),
			cmp.Compare(a.ID, b.ID))
	})
	return c, errs.Err()
}

func (c *Catalog) add(def *Definition, errs *ErrorList) {
	if def == nil {
		return
	}
	if other, dup := c.byID[def.ID]; dup {
		*errs = append(*errs, &Error{File: def.Path, Line: 1, Col: 1,
			Msg: fmt.Sprintf("challenge id %q is already used by %s; rename one of the folders", def.ID, other.Path)})
		return
	}
	c.byID[def.ID] = def
	c.defs = append(c.defs, def)
}

// All returns every challenge, sorted by category, then difficulty, then id.
func (c *Catalog) All() []*Definition { return slices.Clone(c.defs) }

// Get returns the challenge with the id; the error wraps ErrNotFound.
func (c *Catalog) Get(id string) (*Definition, error) {
	if def, ok := c.byID[id]; ok {
		return def, nil
	}
	return nil, fmt.Errorf("%w: %q%s; `shellgym list` shows them all", ErrNotFound, id, c.didYouMean(id))
}

// didYouMean returns " (did you mean ...?)" naming the id closest to id by
// spelling or, failing that, up to three ids that contain it; "" when none
// comes near.
func (c *Catalog) didYouMean(id string) string {
	best, dist := "", 4
	for _, def := range c.defs {
		if d := editDistance(id, def.ID); d < dist {
			best, dist = def.ID, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	var near []string
	if len(id) >= 3 {
		for _, def := range c.defs {
			if strings.Contains(def.ID, strings.ToLower(id)) && len(near) < 3 {
				near = append(near, fmt.Sprintf("%q", def.ID))
			}
		}
	}
	if len(near) == 0 {
		return ""
	}
	return " (did you mean " + strings.Join(near, " or ") + "?)"
}

// Categories returns the categories in use, sorted.
func (c *Catalog) Categories() []string {
	var out []string
	for _, def := range c.defs {
		if !slices.Contains(out, def.Category) {
			out = append(out, def.Category)
		}
	}
	slices.Sort(out)
	return out
}

// FindFS returns the challenge folders under root in fsys: every folder
// holding a challenge.yaml, not looking inside one once found.
func FindFS(fsys fs.FS, root string) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() {
			return nil
		}
		if p != root && strings.HasPrefix(e.Name(), ".") {
			return fs.SkipDir
		}
		if _, err := fs.Stat(fsys, path.Join(p, FileName)); err == nil {
			out = append(out, p)
			return fs.SkipDir
		}
		return nil
	})
	return out, err
}

// FindDir returns the challenge folders of dir on disk: dir itself if it
// holds a challenge.yaml, else every challenge folder in its tree.
func FindDir(dir string) ([]string, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("challenge folder: %w", unwrapPathError(err))
	}
	if !info.IsDir() {
		return nil, errors.New("not a folder")
	}
	rel, err := FindFS(os.DirFS(dir), ".")
	if err != nil {
		return nil, err
	}
	out := make([]string, len(rel))
	for i, r := range rel {
		out[i] = filepath.Join(dir, filepath.FromSlash(r))
	}
	return out, nil
}
