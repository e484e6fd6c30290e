package challenge

import (
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// subjectOrder decides the subject of a check when several subject keys are
// present: the first one wins, the others must be its assertions.
var subjectOrder = []Kind{KindFile, KindGlob, KindPcap, KindPort, KindProcess, KindCommand, KindUser, KindGroup}

// assertionsOf lists the assertion keys each kind accepts.
var assertionsOf = map[Kind][]string{
	KindFile:    {"exists", "type", "mode", "owner", "group", "content", "contains", "not_contains", "matches", "lines", "target", "hardlink_of", "sha256", "empty"},
	KindGlob:    {"count", "min", "max"},
	KindUser:    {"exists", "uid", "group", "groups", "not_groups", "home", "shell", "password"},
	KindGroup:   {"exists", "gid", "members"},
	KindProcess: {"running", "count", "user", "state", "same_pid", "exe"},
	KindPort:    {"proto", "listening", "process"},
	KindPcap:    {"min_packets", "proto", "port", "contains"},
	KindCommand: {"as", "exit", "stdout", "stdout_contains", "stdout_matches"},
}

// optionsOf lists the keys each kind accepts that change how a check is
// evaluated without asserting anything: a check with only options still
// asserts its default (existence, exit status 0).
var optionsOf = map[Kind][]string{
	KindCommand: {"outside"},
}

// checkDecoder decodes one check.
type checkDecoder struct {
	*decoder
	c    *Check
	what string
}

func (d *decoder) checks(c *Challenge, v *yaml.Node) {
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, "key \"checks\": want a list, got %s", describe(v))
		return
	}
	if len(v.Content) == 0 {
		d.errorf(v, "checks: a challenge needs at least one check")
	}
	lines := map[string]int{}
	for _, item := range v.Content {
		item = resolve(item)
		chk, ok := d.check(item)
		if !ok {
			continue
		}
		if line, dup := lines[chk.Name]; dup && chk.Name != "" {
			d.errorf(item, "check name %q is already used on line %d", chk.Name, line)
		}
		lines[chk.Name] = item.Line
		c.Checks = append(c.Checks, *chk)
	}
}

func (d *decoder) check(n *yaml.Node) (*Check, bool) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "check: want a mapping of keys, got %s", describe(n))
		return nil, false
	}
	c := &Check{Pos: pos(n)}
	keys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if _, dup := keys[k.Value]; dup {
			d.errorf(k, "check: key %q appears twice", k.Value)
			continue
		}
		keys[k.Value] = k
	}
	if k := keys["name"]; k != nil {
		c.Name, _ = d.nonEmpty(k, valueOf(n, k))
	} else {
		d.errorf(n, "check: missing required key \"name\"")
	}
	cd := &checkDecoder{decoder: d, c: c, what: "check " + strconv.Quote(c.Name)}
	for _, kind := range subjectOrder {
		if keys[string(kind)] != nil {
			c.Kind = kind
			break
		}
	}
	if c.Kind == "" {
		d.errorf(n, "%s: no subject; give one of file, glob, user, group, process, port, pcap, command", cd.what)
		return c, true
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if keys[k.Value] != k {
			continue // a duplicate, reported above
		}
		switch {
		case k.Value == "name":
		case k.Value == "message":
			c.Message, _ = d.nonEmpty(k, v)
		case k.Value == string(c.Kind):
			cd.subject(k, v)
		case slices.Contains(assertionsOf[c.Kind], k.Value):
			cd.assertion(k, v)
		case slices.Contains(optionsOf[c.Kind], k.Value):
			cd.option(k, v)
		case slices.Contains(subjectOrder, Kind(k.Value)):
			d.errorf(k, "%s: has two subjects, %s and %s; a check has exactly one", cd.what, c.Kind, k.Value)
		case isAssertion(k.Value) || isOption(k.Value):
			d.errorf(k, "%s: key %q does not apply to a %s check", cd.what, k.Value, c.Kind)
		default:
			d.errorf(k, "%s: unknown key %q", cd.what, k.Value)
		}
	}
	cd.consistent(n)
	return c, true
}

// keyNode returns the key node named key in mapping m, or m itself.
func keyNode(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return m
}

func valueOf(m, k *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i] == k {
			return resolve(m.Content[i+1])
		}
	}
	return nil
}

func isAssertion(key string) bool {
	for _, keys := range assertionsOf {
		if slices.Contains(keys, key) {
			return true
		}
	}
	return false
}

func isOption(key string) bool {
	for _, keys := range optionsOf {
		if slices.Contains(keys, key) {
			return true
		}
	}
	return false
}

// option decodes a key of optionsOf.
func (cd *checkDecoder) option(k, v *yaml.Node) {
	switch k.Value {
	case "outside":
		cd.c.Outside, _ = cd.boolean(k, v)
	default:
		panic("challenge: option without decoder: " + k.Value)
	}
}

func (cd *checkDecoder) subject(k, v *yaml.Node) {
	c := cd.c
	switch c.Kind {
	case KindFile, KindPcap:
		c.Subject, _ = cd.absPath(k, v)
	case KindGlob:
		if s, ok := cd.absPath(k, v); ok {
			if _, err := path.Match(strings.ReplaceAll(s, "**", "*"), ""); err != nil {
				cd.errorf(v, "key %q: %q is not a valid glob pattern", k.Value, s)
			}
			c.Subject = s
		}
	case KindPort:
		if p, ok := cd.port(k, v); ok {
			c.Subject = strconv.Itoa(p)
		}
	case KindProcess:
		c.Subject, _ = cd.regexp(k, v)
	case KindCommand:
		c.Subject, _ = cd.nonEmpty(k, v)
	case KindUser, KindGroup:
		c.Subject, _ = cd.account(k, v)
	}
}

func (cd *checkDecoder) assertion(k, v *yaml.Node) {
	c := cd.c
	str := func() *string {
		if s, ok := cd.str(k, v); ok {
			return &s
		}
		return nil
	}
	boolean := func() *bool {
		if b, ok := cd.boolean(k, v); ok {
			return &b
		}
		return nil
	}
	atLeast := func(lo int) *int {
		if i, ok := cd.integer(k, v); ok {
			if i < lo {
				cd.errorf(v, "key %q: %d is below %d", k.Value, i, lo)
				return nil
			}
			return &i
		}
		return nil
	}
	oneOf := func(allowed ...string) *string {
		if s, ok := cd.str(k, v); ok {
			if !slices.Contains(allowed, s) {
				cd.errorf(v, "key %q: %q is not one of %s", k.Value, s, strings.Join(allowed, ", "))
				return nil
			}
			return &s
		}
		return nil
	}
	re := func() *string {
		if s, ok := cd.regexp(k, v); ok {
			return &s
		}
		return nil
	}
	abs := func() *string {
		if s, ok := cd.absPath(k, v); ok {
			return &s
		}
		return nil
	}
	account := func() *string {
		if s, ok := cd.account(k, v); ok {
			return &s
		}
		return nil
	}
	list := func() []string {
		l, _ := cd.strList(k, v)
		return l
	}
	switch k.Value {
	case "exists":
		c.Exists = boolean()
	case "type":
		if s := oneOf("file", "dir", "symlink"); s != nil {
			c.Type = *s
		}
	case "mode":
		if m, ok := cd.mode(k, v); ok {
			c.Mode = &m
		}
	case "owner":
		c.Owner = account()
	case "group":
		c.Group = account()
	case "content":
		c.Content = str()
	case "contains":
		c.Contains = str()
	case "not_contains":
		c.NotContain = str()
	case "matches":
		c.Matches = re()
	case "lines":
		c.Lines = atLeast(0)
	case "target":
		c.Target = str()
	case "hardlink_of":
		c.HardlinkOf = abs()
	case "sha256":
		if s := str(); s != nil {
			h := strings.ToLower(*s)
			if !sha256Hex.MatchString(h) {
				cd.errorf(v, "key %q: %q is not 64 hex digits", k.Value, *s)
			}
			c.SHA256 = &h
		}
	case "empty":
		c.Empty = boolean()
	case "count":
		c.Count = atLeast(0)
	case "min":
		c.Min = atLeast(0)
	case "max":
		c.Max = atLeast(0)
	case "uid":
		c.UID = atLeast(0)
	case "groups":
		c.Groups = list()
	case "not_groups":
		c.NotGroups = list()
	case "home":
		c.Home = abs()
	case "shell":
		c.Shell = abs()
	case "password":
		c.Password = oneOf("set", "locked", "none")
	case "gid":
		c.GID = atLeast(0)
	case "members":
		c.Members = list()
	case "running":
		c.Running = boolean()
	case "user":
		c.User = account()
	case "state":
		c.State = oneOf("running", "stopped", "zombie")
	case "same_pid":
		c.SamePID = boolean()
	case "exe":
		c.Exe = abs()
	case "proto":
		c.Proto = oneOf("tcp", "udp")
	case "listening":
		c.Listening = boolean()
	case "process":
		c.Process = re()
	case "min_packets":
		c.MinPackets = atLeast(0)
	case "port":
		if p, ok := cd.port(k, v); ok {
			c.Port = &p
		}
	case "as":
		c.As = account()
	case "exit":
		if i := atLeast(0); i != nil {
			if *i > 255 {
				cd.errorf(v, "key %q: %d is above 255", k.Value, *i)
			}
			c.Exit = i
		}
	case "stdout":
		c.Stdout = str()
	case "stdout_contains":
		c.StdoutContains = str()
	case "stdout_matches":
		c.StdoutMatches = re()
	default:
		panic("challenge: assertion without decoder: " + k.Value)
	}
}

// consistent reports assertions that contradict each other.
func (cd *checkDecoder) consistent(n *yaml.Node) {
	c := cd.c
	if c.Min != nil && c.Max != nil && *c.Min > *c.Max {
		cd.errorf(n, "%s: min %d is above max %d", cd.what, *c.Min, *c.Max)
	}
	if c.Target != nil && c.Type != "" && c.Type != "symlink" {
		cd.errorf(n, "%s: target applies to a symlink, but type is %s", cd.what, c.Type)
	}
	if c.Exists != nil && !*c.Exists && cd.assertionCount(n) > 1 {
		cd.errorf(n, "%s: exists: false cannot be combined with other assertions", cd.what)
	}
	if c.Running != nil && !*c.Running && cd.assertionCount(n) > 1 {
		cd.errorf(n, "%s: running: false cannot be combined with other assertions", cd.what)
	}
	if c.Outside && c.As != nil {
		// An outside command runs in the inspector, as root: there is no
		// learner's user to become.
		cd.errorf(keyNode(n, "as"), "%s: as does not apply to an outside command check", cd.what)
	}
}

func (cd *checkDecoder) assertionCount(n *yaml.Node) int {
	count := 0
	for i := 0; i < len(n.Content); i += 2 {
		if slices.Contains(assertionsOf[cd.c.Kind], n.Content[i].Value) {
			count++
		}
	}
	return count
}

// regexp reads an RE2 pattern.
func (d *decoder) regexp(k, v *yaml.Node) (string, bool) {
	s, ok := d.nonEmpty(k, v)
	if !ok {
		return "", false
	}
	if _, err := regexp.Compile(s); err != nil {
		d.errorf(v, "key %q: %q is not an RE2 pattern: %s", k.Value, s, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		return s, false
	}
	return s, true
}

// port reads a port number, 1 to 65535.
func (d *decoder) port(k, v *yaml.Node) (int, bool) {
	p, ok := d.integer(k, v)
	if ok && (p < 1 || p > 65535) {
		d.errorf(v, "key %q: %d is not a port (1 to 65535)", k.Value, p)
		return p, false
	}
	return p, ok
}
