package challenge

import (
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"
	"time"

	"go.yaml.in/yaml/v3"
)

// FileName is the name of the file that makes a folder a challenge.
const FileName = "challenge.yaml"

// Definition is a parsed, validated challenge before its params are
// rendered. Its metadata is concrete; the sections that may use params
// (briefing, setup, hints, checks, solution, mistakes) become concrete in
// Render.
type Definition struct {
	ID   string // the folder name
	Path string // the challenge.yaml, as shown in messages
	Dir  string // the folder, as shown in messages
	FS   fs.FS  // the challenge folder; `from:` paths are read from it

	Title        string
	Category     string
	Difficulty   string
	Commands     []string
	TimeLimit    time.Duration
	User         string
	Sudo         bool
	Capabilities []string // upper case, without CAP_
	Image        string
	Params       []Param

	// sections holds the templatable top-level values by key.
	sections map[string]*yaml.Node
	// templates are the parsed templates of scalars holding "{{".
	templates map[*yaml.Node]*template.Template
	// lazy is set when only the metadata was read (LoadCatalog).
	lazy *lazy
	// broken are scalars whose template does not parse or names an
	// undefined param; they were reported once and are not rendered.
	broken map[*yaml.Node]bool
}

var (
	idPattern       = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	categoryPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
)

// templatable lists the top-level keys whose scalars may use params.
var templatable = []string{"briefing", "setup", "hints", "checks", "solution", "mistakes"}

// validationSeed is the seed Load renders with to validate the sections.
const validationSeed = 1

// Load reads dir/challenge.yaml from fsys and validates it, rendering it
// once. display is how dir is shown in messages and in Definition.Dir
// (a disk path, or "embedded:<category>/<id>" for the built-in catalog).
// The error is an ErrorList holding every problem.
func Load(fsys fs.FS, dir, display string) (*Definition, error) {
	def, errs := load(fsys, dir, display)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return def, nil
}

// readFile points def.FS at the challenge folder dir of fsys and reads its
// challenge.yaml.
func (def *Definition) readFile(fsys fs.FS, dir string) ([]byte, ErrorList) {
	if dir != "." {
		sub, err := fs.Sub(fsys, dir)
		if err != nil {
			return nil, ErrorList{{File: def.Dir, Msg: err.Error()}}
		}
		def.FS = sub
	}
	data, err := fs.ReadFile(def.FS, FileName)
	if err != nil {
		return nil, ErrorList{{File: def.Path, Msg: fmt.Sprintf("read challenge: %v", unwrapPathError(err))}}
	}
	return data, nil
}

func load(fsys fs.FS, dir, display string) (*Definition, ErrorList) {
	file := joinDisplay(display, FileName)
	def := &Definition{
		ID:        folderID(dir, display),
		Path:      file,
		Dir:       display,
		FS:        fsys,
		TimeLimit: DefaultTimeLimit,
		User:      RoleStudent,
		sections:  map[string]*yaml.Node{},
		templates: map[*yaml.Node]*template.Template{},
		broken:    map[*yaml.Node]bool{},
	}
	data, errs := def.readFile(fsys, dir)
	if errs != nil {
		return nil, errs
	}
	d := &decoder{file: file}
	root, ok := parseDocument(d, data)
	if !ok {
		return nil, d.errs
	}
	if !idPattern.MatchString(def.ID) {
		d.errorf(root, "the folder name %q is the challenge id: use lower-case letters, digits, '.', '_' and '-'", def.ID)
	}
	d.fields(root, "challenge", def.topFields(d))
	def.parseTemplates(d)
	// Render even after problems so that every problem is reported; scalars
	// whose template is broken are left out of rendering and of its messages.
	if _, errs := def.render(validationSeed); len(errs) > 0 {
		d.errs = append(d.errs, errs...)
	}
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return def, nil
}

// parseDocument parses YAML into its root node, reporting syntax errors.
func parseDocument(d *decoder, data []byte) (*yaml.Node, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		d.errs = append(d.errs, yamlError(d.file, err))
		return nil, false
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		d.errs = append(d.errs, &Error{File: d.file, Line: 1, Col: 1, Msg: "empty file"})
		return nil, false
	}
	return resolve(doc.Content[0]), true
}

func (def *Definition) topFields(d *decoder) []field {
	fs := []field{
		{key: "title", required: true, set: func(k, v *yaml.Node) { def.Title, _ = d.nonEmpty(k, v) }},
		{key: "category", required: true, set: func(k, v *yaml.Node) {
			if s, ok := d.str(k, v); ok {
				if !categoryPattern.MatchString(s) {
					d.errorf(v, "key %q: %q is not one lower-case word (letters, digits, '-', '_')", k.Value, s)
				}
				def.Category = s
			}
		}},
		{key: "difficulty", required: true, set: func(k, v *yaml.Node) {
			if s, ok := d.str(k, v); ok {
				if difficultyRank(s) < 0 {
					d.errorf(v, "key %q: %q is not one of easy, medium, hard", k.Value, s)
				}
				def.Difficulty = s
			}
		}},
		{key: "commands", set: func(k, v *yaml.Node) { def.Commands, _ = d.strList(k, v) }},
		{key: "time_limit", set: func(k, v *yaml.Node) {
			if s, ok := d.str(k, v); ok {
				t, err := time.ParseDuration(s)
				switch {
				case err != nil:
					d.errorf(v, "key %q: %q is not a duration like 10m or 1h30m", k.Value, s)
				case t < time.Minute || t > 24*time.Hour:
					d.errorf(v, "key %q: %s is outside 1m to 24h", k.Value, s)
				default:
					def.TimeLimit = t
				}
			}
		}},
		{key: "user", set: func(k, v *yaml.Node) {
			if s, ok := d.str(k, v); ok {
				if s != RoleStudent && s != RoleRoot {
					d.errorf(v, "key %q: %q is not student or root", k.Value, s)
				}
				def.User = s
			}
		}},
		{key: "sudo", set: func(k, v *yaml.Node) { def.Sudo, _ = d.boolean(k, v) }},
		{key: "capabilities", set: func(k, v *yaml.Node) { def.Capabilities = d.capabilities(k, v) }},
		{key: "image", set: func(k, v *yaml.Node) { def.Image, _ = d.str(k, v) }},
		{key: "params", set: func(k, v *yaml.Node) { def.Params = d.params(k, v) }},
	}
	for _, key := range templatable {
		required := key == "briefing" || key == "checks" || key == "solution"
		fs = append(fs, field{key: key, required: required, set: func(k, v *yaml.Node) { def.sections[key] = v }})
	}
	return fs
}

// folderID is the challenge id: the folder's name.
func folderID(dir, display string) string {
	if dir != "." {
		return path.Base(dir)
	}
	display = strings.TrimPrefix(display, "embedded:")
	if abs, err := filepath.Abs(display); err == nil {
		display = abs
	}
	return filepath.Base(display)
}

func joinDisplay(dir, name string) string {
	if strings.HasPrefix(dir, "embedded:") {
		return path.Join(dir, name)
	}
	return filepath.Join(dir, name)
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// difficultyRank orders difficulties; -1 for an unknown one.
func difficultyRank(s string) int {
	switch s {
	case Easy:
		return 0
	case Medium:
		return 1
	case Hard:
		return 2
	}
	return -1
}

// lintSeed is the second seed Lint renders with, after Load's.
const lintSeed = 2

// Lint is Load followed by a rendering with a second seed, so that values
// that are only invalid for some params (a rendered mode, pattern or number)
// are caught. The error is an ErrorList.
func Lint(fsys fs.FS, dir, display string) (*Definition, error) {
	def, errs := load(fsys, dir, display)
	if def != nil {
		_, more := def.render(lintSeed)
		errs = append(errs, more...)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return def, nil
}
