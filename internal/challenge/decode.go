package challenge

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var (
	modePattern  = regexp.MustCompile(`^0?[0-7]{1,4}$`)
	namePattern  = regexp.MustCompile(`^([a-z_][a-z0-9_.-]*\$?|[0-9]+)$`)
	sha256Hex    = regexp.MustCompile(`^[0-9a-f]{64}$`)
	defaultModes = Mode(0o644)
)

// decodeSections decodes the rendered templatable sections into c and checks
// the references between them.
func (d *decoder) decodeSections(c *Challenge, sections map[string]*yaml.Node) {
	if v := sections["briefing"]; v != nil {
		c.Briefing, _ = d.nonEmpty(&yaml.Node{Value: "briefing"}, v)
	}
	if v := sections["solution"]; v != nil {
		c.Solution, _ = d.nonEmpty(&yaml.Node{Value: "solution"}, v)
	}
	if v := sections["setup"]; v != nil {
		d.setup(c, v)
	}
	if v := sections["checks"]; v != nil {
		d.checks(c, v)
	}
	if v := sections["hints"]; v != nil {
		d.hints(c, v)
	}
	if v := sections["mistakes"]; v != nil {
		d.mistakes(c, v)
	}
}

func (d *decoder) setup(c *Challenge, v *yaml.Node) {
	services := map[string]int{}
	d.fields(v, "setup", []field{
		{key: "files", set: func(k, v *yaml.Node) {
			d.list(k, v, func(item *yaml.Node) { d.setupFile(c, item) })
		}},
		{key: "script", set: func(k, v *yaml.Node) { c.Setup.Script, _ = d.str(k, v) }},
		{key: "services", set: func(k, v *yaml.Node) {
			d.list(k, v, func(item *yaml.Node) {
				s := Service{User: RoleRoot, Pos: pos(item)}
				d.fields(item, "service", []field{
					{key: "name", required: true, set: func(k, v *yaml.Node) {
						s.Name, _ = d.nonEmpty(k, v)
						if line, dup := services[s.Name]; dup {
							d.errorf(v, "service name %q is already used on line %d", s.Name, line)
						}
						services[s.Name] = v.Line
					}},
					{key: "user", set: func(k, v *yaml.Node) { s.User, _ = d.account(k, v) }},
					{key: "run", required: true, set: func(k, v *yaml.Node) { s.Run, _ = d.nonEmpty(k, v) }},
				})
				c.Setup.Services = append(c.Setup.Services, s)
			})
		}},
	})
}

func (d *decoder) setupFile(c *Challenge, item *yaml.Node) {
	f := SetupFile{Pos: pos(item)}
	var hasContent, hasFrom bool
	ok := d.fields(item, "setup file", []field{
		{key: "path", required: true, set: func(k, v *yaml.Node) { f.Path, _ = d.absPath(k, v) }},
		{key: "content", set: func(k, v *yaml.Node) { f.Content, hasContent = d.str(k, v) }},
		{key: "from", set: func(k, v *yaml.Node) {
			var s string
			if s, hasFrom = d.nonEmpty(k, v); hasFrom {
				if err := checkFrom(c.FS, s); err != nil {
					d.errorf(v, "key %q: %v", k.Value, err)
				}
				f.From = s
			}
		}},
		{key: "mode", set: func(k, v *yaml.Node) {
			if m, ok := d.mode(k, v); ok {
				f.Mode = &m
			}
		}},
		{key: "owner", set: func(k, v *yaml.Node) { f.Owner, _ = d.owner(k, v) }},
	})
	if ok && hasContent == hasFrom {
		d.errorf(item, "setup file %s: give exactly one of content and from", f.Path)
	}
	if f.Mode == nil {
		m := defaultModes
		f.Mode = &m
	}
	c.Setup.Files = append(c.Setup.Files, f)
}

func (d *decoder) hints(c *Challenge, v *yaml.Node) {
	d.list(&yaml.Node{Value: "hints"}, v, func(item *yaml.Node) {
		h := Hint{Pos: pos(item)}
		d.fields(item, "hint", []field{
			{key: "text", required: true, set: func(k, v *yaml.Node) { h.Text, _ = d.nonEmpty(k, v) }},
			{key: "when_failing", set: func(k, v *yaml.Node) {
				if s, ok := d.nonEmpty(k, v); ok {
					if c.CheckByName(s) == nil {
						d.errorf(v, "hint: when_failing names %q, which is not a check", s)
					}
					h.WhenFailing = s
				}
			}},
		})
		c.Hints = append(c.Hints, h)
	})
}

func (d *decoder) mistakes(c *Challenge, v *yaml.Node) {
	names := map[string]int{}
	d.list(&yaml.Node{Value: "mistakes"}, v, func(item *yaml.Node) {
		m := Mistake{Pos: pos(item)}
		d.fields(item, "mistake", []field{
			{key: "name", required: true, set: func(k, v *yaml.Node) {
				m.Name, _ = d.nonEmpty(k, v)
				if line, dup := names[m.Name]; dup {
					d.errorf(v, "mistake name %q is already used on line %d", m.Name, line)
				}
				names[m.Name] = v.Line
			}},
			{key: "script", required: true, set: func(k, v *yaml.Node) { m.Script, _ = d.nonEmpty(k, v) }},
			{key: "fails", required: true, set: func(k, v *yaml.Node) {
				list, ok := d.strList(k, v)
				if ok && len(list) == 0 {
					d.errorf(v, "mistake %q: fails must name at least one check", m.Name)
				}
				for i, s := range list {
					if s != "" && c.CheckByName(s) == nil {
						d.errorf(v.Content[i], "mistake %q: fails names %q, which is not a check", m.Name, s)
					}
				}
				m.Fails = list
			}},
		})
		c.Mistakes = append(c.Mistakes, m)
	})
}

// mode reads an octal mode written as a string, "0600" or "600".
func (d *decoder) mode(k, v *yaml.Node) (Mode, bool) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!int" {
		d.errorf(v, "key %q: write the mode as a quoted string, %s: \"%s\" (YAML reads an unquoted %s as a number)", k.Value, k.Value, v.Value, v.Value)
		return 0, false
	}
	s, ok := d.str(k, v)
	if !ok {
		return 0, false
	}
	if !modePattern.MatchString(s) {
		d.errorf(v, "key %q: %q is not an octal mode from 0000 to 07777", k.Value, s)
		return 0, false
	}
	m, _ := strconv.ParseUint(s, 8, 32)
	return Mode(m), true
}

// String formats m as four octal digits, like "0644".
func (m Mode) String() string { return fmt.Sprintf("%04o", uint32(m)) }

// absPath reads an absolute path in the container.
func (d *decoder) absPath(k, v *yaml.Node) (string, bool) {
	s, ok := d.nonEmpty(k, v)
	if ok && !path.IsAbs(s) {
		d.errorf(v, "key %q: %q is not an absolute path", k.Value, s)
		return s, false
	}
	return s, ok
}

// account reads a user or group name, or a numeric id.
func (d *decoder) account(k, v *yaml.Node) (string, bool) {
	s, ok := d.nonEmpty(k, v)
	if ok && !namePattern.MatchString(s) {
		d.errorf(v, "key %q: %q is not a user or group name", k.Value, s)
		return s, false
	}
	return s, ok
}

// owner reads "user" or "user:group".
func (d *decoder) owner(k, v *yaml.Node) (string, bool) {
	s, ok := d.nonEmpty(k, v)
	if !ok {
		return "", false
	}
	user, group, hasGroup := strings.Cut(s, ":")
	if !namePattern.MatchString(user) || (hasGroup && !namePattern.MatchString(group)) {
		d.errorf(v, "key %q: %q is not user or user:group", k.Value, s)
		return s, false
	}
	return s, true
}
