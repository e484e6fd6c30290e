package challenge

import (
	"fmt"
	"slices"
	"strings"
	"text/template"
	"text/template/parse"

	"go.yaml.in/yaml/v3"
)

// parseTemplates parses every templated scalar of the templatable sections
// and reports syntax errors and names that are not params.
func (def *Definition) parseTemplates(d *decoder) {
	defined := map[string]bool{}
	for _, p := range def.Params {
		defined[p.Name] = true
	}
	for _, key := range templatable {
		walkScalars(def.sections[key], func(n *yaml.Node) {
			if !strings.Contains(n.Value, "{{") {
				return
			}
			t, err := template.New("").Option("missingkey=error").Parse(n.Value)
			if err != nil {
				d.errorf(n, "bad template: %s", strings.TrimPrefix(err.Error(), "template: :"))
				def.broken[n] = true
				return
			}
			for _, name := range templateFields(t.Tree.Root) {
				if !defined[name] {
					d.errorf(n, "template names %q, which is not a param", name)
					def.broken[n] = true
				}
			}
			if !def.broken[n] {
				def.templates[n] = t
			}
		})
	}
}

// walkScalars calls fn for every scalar value under n (not mapping keys).
func walkScalars(n *yaml.Node, fn func(*yaml.Node)) {
	n = resolve(n)
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.ScalarNode:
		fn(n)
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			walkScalars(n.Content[i], fn)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			walkScalars(c, fn)
		}
	}
}

// templateFields lists the top-level names a template reads ({{.name}}).
func templateFields(n parse.Node) []string {
	var out []string
	var visit func(parse.Node)
	visit = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				visit(c)
			}
		case *parse.ActionNode:
			visit(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, c := range n.Cmds {
				visit(c)
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				visit(a)
			}
		case *parse.FieldNode:
			out = append(out, n.Ident[0])
		case *parse.VariableNode:
			if len(n.Ident) > 1 && n.Ident[0] == "$" {
				out = append(out, n.Ident[1])
			}
		case *parse.ChainNode:
			visit(n.Node)
		case *parse.IfNode:
			visit(n.Pipe)
			visit(n.List)
			visit(n.ElseList)
		case *parse.RangeNode:
			visit(n.Pipe)
			visit(n.List)
			visit(n.ElseList)
		case *parse.WithNode:
			visit(n.Pipe)
			visit(n.List)
			visit(n.ElseList)
		case *parse.TemplateNode:
			visit(n.Pipe)
		}
	}
	visit(n)
	return out
}

// Values returns the param values for seed, by name (none when the
// challenge does not validate).
func (def *Definition) Values(seed int64) map[string]string {
	def.full()
	v := make(map[string]string, len(def.Params))
	for _, p := range def.Params {
		v[p.Name] = p.Generate(seed)
	}
	return v
}

// Render generates the params for seed, renders every templated scalar with
// them and decodes the result into a Challenge. The error is an ErrorList; a
// rendered value that is invalid (a mode, a pattern, a number) is reported
// at the scalar's position with the template it came from.
func (def *Definition) Render(seed int64) (*Challenge, error) {
	if err := def.Validate(); err != nil {
		return nil, err
	}
	c, errs := def.render(seed)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

func (def *Definition) render(seed int64) (*Challenge, ErrorList) {
	values := def.Values(seed)
	d := &decoder{file: def.Path, rendered: map[*yaml.Node]string{}}
	var broken []*yaml.Node
	var execErrs ErrorList
	sections := map[string]*yaml.Node{}
	for key, n := range def.sections {
		sections[key] = copyNode(n, func(orig, cp *yaml.Node) {
			if def.broken[orig] {
				broken = append(broken, cp)
				return
			}
			t := def.templates[orig]
			if t == nil {
				return
			}
			var b strings.Builder
			if err := t.Execute(&b, values); err != nil {
				execErrs = append(execErrs, &Error{File: def.Path, Line: orig.Line, Col: orig.Column,
					Msg: "template: " + strings.TrimPrefix(err.Error(), "template: :")})
				broken = append(broken, cp)
				return
			}
			cp.Value, cp.Tag, cp.Style = b.String(), "!!str", 0
			d.rendered[cp] = orig.Value
		})
	}
	c := &Challenge{
		ID: def.ID, Path: def.Path, FS: def.FS,
		Title: def.Title, Category: def.Category, Difficulty: def.Difficulty,
		Commands: slices.Clone(def.Commands), TimeLimit: def.TimeLimit,
		User: def.User, Sudo: def.Sudo, Capabilities: slices.Clone(def.Capabilities),
		Image: def.Image, Params: slices.Clone(def.Params),
		Values: values, Seed: seed,
	}
	d.decodeSections(c, sections)
	d.errs = slices.DeleteFunc(d.errs, func(e *Error) bool {
		return slices.ContainsFunc(broken, func(n *yaml.Node) bool { return n.Line == e.Line && n.Column == e.Col })
	})
	return c, append(d.errs, execErrs...)
}

// copyNode deep-copies n, resolving aliases, and calls scalar for each
// scalar value (not keys) with the original and its copy.
func copyNode(n *yaml.Node, scalar func(orig, cp *yaml.Node)) *yaml.Node {
	n = resolve(n)
	if n == nil {
		return nil
	}
	cp := *n
	cp.Content = nil
	switch n.Kind {
	case yaml.ScalarNode:
		scalar(n, &cp)
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := *n.Content[i]
			cp.Content = append(cp.Content, &k, copyNode(n.Content[i+1], scalar))
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			cp.Content = append(cp.Content, copyNode(c, scalar))
		}
	}
	return &cp
}

// Env returns "GYM_NAME=value" for every given param, sorted.
func (c *Challenge) Env() []string {
	var env []string
	for _, p := range c.Params {
		if p.Given {
			env = append(env, fmt.Sprintf("%s=%s", p.EnvName(), c.Values[p.Name]))
		}
	}
	slices.Sort(env)
	return env
}

// GivenValues returns the values of the given params, by name: what the
// learner may be shown.
func (c *Challenge) GivenValues() map[string]string {
	out := map[string]string{}
	for _, p := range c.Params {
		if p.Given {
			out[p.Name] = c.Values[p.Name]
		}
	}
	return out
}

// CheckByName returns the check called name, or nil.
func (c *Challenge) CheckByName(name string) *Check {
	for i := range c.Checks {
		if c.Checks[i].Name == name {
			return &c.Checks[i]
		}
	}
	return nil
}
