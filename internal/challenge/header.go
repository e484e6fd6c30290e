package challenge

import (
	"bytes"
	"io/fs"
	"sync"

	"go.yaml.in/yaml/v3"
)

// metadataKeys are the top-level keys a header load reads.
var metadataKeys = map[string]bool{
	"title": true, "category": true, "difficulty": true, "commands": true,
	"time_limit": true, "user": true, "sudo": true, "capabilities": true, "image": true,
}

// lazy holds what a header-only Definition needs to load itself fully.
type lazy struct {
	once         sync.Once
	fsys         fs.FS
	dir, display string
	errs         ErrorList
}

// loadHeader reads only the metadata of dir/challenge.yaml (title,
// category, difficulty, commands, ...): listing a large catalog must not
// parse and render every challenge. The rest is loaded and validated on
// first use (Render, Validate). Problems in the metadata are reported with
// the same positions as a full load.
func loadHeader(fsys fs.FS, dir, display string) (*Definition, ErrorList) {
	def := &Definition{
		ID:        folderID(dir, display),
		Path:      joinDisplay(display, FileName),
		Dir:       display,
		FS:        fsys,
		TimeLimit: DefaultTimeLimit,
		User:      RoleStudent,
		lazy:      &lazy{fsys: fsys, dir: dir, display: display},
	}
	data, errs := def.readFile(fsys, dir)
	if errs != nil {
		return nil, errs
	}
	head, ok := metadataLines(data)
	d := &decoder{file: def.Path}
	var root *yaml.Node
	if ok {
		root, ok = parseDocument(d, head)
	}
	if ok {
		var fields []field
		for _, f := range def.topFields(d) {
			if metadataKeys[f.key] {
				fields = append(fields, f)
			}
		}
		ok = d.fields(root, "challenge", fields) && len(d.errs) == 0
	}
	if !ok {
		// Cutting the file did not work (unusual YAML, or a problem): a full
		// load reports the problems of the whole file, with their positions.
		return load(fsys, dir, display)
	}
	return def, nil
}

// metadataLines blanks every line of a challenge file that is not part of
// a metadata key, keeping line numbers. It reports false when the file uses
// YAML it does not cut safely (document markers, tabs); an anchor defined in
// a blanked line makes the parse fail, and the caller falls back.
func metadataLines(data []byte) ([]byte, bool) {
	lines := bytes.Split(data, []byte("\n"))
	keep := false
	var out bytes.Buffer
	out.Grow(len(data) / 4)
	for _, line := range lines {
		switch {
		case len(line) == 0 || line[0] == '#':
		case line[0] == ' ' || line[0] == '-' && (len(line) == 1 || line[1] == ' '):
			// a continuation of the current top-level key
		case bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("...")) || line[0] == '\t':
			return nil, false
		default:
			key, _, found := bytes.Cut(line, []byte(":"))
			if !found {
				return nil, false
			}
			keep = metadataKeys[string(key)]
		}
		if keep {
			out.Write(line)
		}
		out.WriteByte('\n')
	}
	return out.Bytes(), true
}

// full loads and validates the whole challenge once, for a Definition that
// came from a header load.
func (def *Definition) full() ErrorList {
	l := def.lazy
	if l == nil {
		return nil
	}
	l.once.Do(func() {
		full, errs := load(l.fsys, l.dir, l.display)
		if len(errs) > 0 {
			l.errs = errs
			return
		}
		def.Params = full.Params
		def.sections = full.sections
		def.templates = full.templates
		def.broken = full.broken
	})
	return l.errs
}

// Validate loads and validates the whole challenge if it was not yet (a
// catalog reads only metadata until a challenge is used). The error is an
// ErrorList.
func (def *Definition) Validate() error {
	return def.full().Err()
}
