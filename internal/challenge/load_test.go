package challenge

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// valid is a minimal correct challenge; cases break one thing in it.
const valid = `title: T
category: basics
difficulty: easy
commands: [chmod]
params:
  port: {int: [20000, 20010]}
  who: {choice: [alice, bob], given: true}
  token: {word: 8}
briefing: Make it so.
checks:
  - name: c1
    file: /tmp/x
    mode: "0600"
solution: chmod 600 /tmp/x
`

func loadString(t *testing.T, yaml string, extra ...string) (*Definition, error) {
	t.Helper()
	fsys := fstest.MapFS{"c1/challenge.yaml": {Data: []byte(yaml)}}
	for i := 0; i+1 < len(extra); i += 2 {
		fsys["c1/"+extra[i]] = &fstest.MapFile{Data: []byte(extra[i+1])}
	}
	return Load(fsys, "c1", "c1")
}

func TestLoadValid(t *testing.T) {
	def, err := loadString(t, valid)
	if err != nil {
		t.Fatal(err)
	}
	if def.ID != "c1" || def.Title != "T" || def.TimeLimit != DefaultTimeLimit || def.User != RoleStudent {
		t.Errorf("metadata: %+v", def)
	}
	if len(def.Params) != 3 || def.Params[0].Name != "port" || def.Params[1].Given != true {
		t.Errorf("params: %+v", def.Params)
	}
}

// TestLoadErrors has one failing example per validation rule: the problem
// is reported at its line and column, and names the key.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // "line:col: substring", each must be reported
	}{
		{"unknown top-level key", valid + "colour: red\n", []string{`15:1: challenge: unknown key "colour"`}},
		{"unknown key suggests", valid + "solutoin: x\n", []string{`15:1: challenge: unknown key "solutoin" (did you mean "solution"?)`}},
		{"duplicate key", valid + "title: again\n", []string{`15:1: challenge: key "title" appears twice`}},
		{"missing title", strings.Replace(valid, "title: T\n", "", 1), []string{`1:1: challenge: missing required key "title"`}},
		{"missing checks", valid[:strings.Index(valid, "checks:")] + "solution: x\n", []string{`missing required key "checks"`}},
		{"missing solution", strings.Replace(valid, "solution: chmod 600 /tmp/x\n", "", 1), []string{`missing required key "solution"`}},
		{"empty solution", strings.Replace(valid, "solution: chmod 600 /tmp/x", `solution: ""`, 1), []string{`14:11: key "solution": must not be empty`}},
		{"no checks", strings.Replace(valid, "checks:\n  - name: c1\n    file: /tmp/x\n    mode: \"0600\"\n", "checks: []\n", 1), []string{`10:9: checks: a challenge needs at least one check`}},
		{"wrong type", strings.Replace(valid, "commands: [chmod]", "commands: chmod", 1), []string{`4:11: key "commands": want a list, got "chmod"`}},
		{"wrong type bool", valid + "sudo: yes please\n", []string{`15:7: key "sudo": want true or false, got "yes please"`}},
		{"difficulty", strings.Replace(valid, "difficulty: easy", "difficulty: trivial", 1), []string{`3:13: key "difficulty": "trivial" is not one of easy, medium, hard`}},
		{"category not a word", strings.Replace(valid, "category: basics", "category: Basic Stuff", 1), []string{`2:11: key "category"`}},
		{"user role", valid + "user: admin\n", []string{`15:7: key "user": "admin" is not student or root`}},
		{"duration", valid + "time_limit: 10 minutes\n", []string{`15:13: key "time_limit": "10 minutes" is not a duration`}},
		{"duration range", valid + "time_limit: 10s\n", []string{`15:13: key "time_limit": 10s is outside 1m to 24h`}},
		{"capability", valid + "capabilities: [NET_RAW, CAP_SYS_ADMIN, FLY]\n", []string{`15:40: key "capabilities": "FLY" is not a Linux capability`}},
		{"mode not octal", strings.Replace(valid, `mode: "0600"`, `mode: "0800"`, 1), []string{`13:11: key "mode": "0800" is not an octal mode from 0000 to 07777`}},
		{"mode too big", strings.Replace(valid, `mode: "0600"`, `mode: "17777"`, 1), []string{`key "mode": "17777" is not an octal mode`}},
		{"mode unquoted", strings.Replace(valid, `mode: "0600"`, `mode: 0600`, 1), []string{`13:11: key "mode": write the mode as a quoted string, mode: "0600"`}},
		{"param int range", strings.Replace(valid, "[20000, 20010]", "[20010, 20000]", 1), []string{`6:15: param "port": int range [20010, 20000] is empty`}},
		{"param int not pair", strings.Replace(valid, "[20000, 20010]", "[20000]", 1), []string{`6:15: param "port": int wants a range [lo, hi]`}},
		{"param empty choice", strings.Replace(valid, "[alice, bob]", "[]", 1), []string{`7:17: param "who": choice needs at least one value`}},
		{"param word length", strings.Replace(valid, "{word: 8}", "{word: 0}", 1), []string{`8:17: param "token": word length 0 is outside 1 to 64`}},
		{"param two kinds", strings.Replace(valid, "{word: 8}", "{word: 8, int: [1, 2]}", 1), []string{`8:10: param "token": give exactly one of int, choice, word`}},
		{"param no kind", strings.Replace(valid, "{word: 8}", "{given: true}", 1), []string{`give exactly one of int, choice, word`}},
		{"param unknown key", strings.Replace(valid, "{word: 8}", "{word: 8, hidden: true}", 1), []string{`8:20: param "token": unknown key "hidden"`}},
		{"param name", strings.Replace(valid, "  token:", "  Token:", 1), []string{`8:3: param "Token": a name is lower-case`}},
		{"template undefined param", strings.Replace(valid, "briefing: Make it so.", "briefing: Connect to {{.prot}}.", 1), []string{`9:11: template names "prot", which is not a param`}},
		{"template syntax", strings.Replace(valid, "briefing: Make it so.", "briefing: Connect to {{.port}.", 1), []string{`9:11: bad template`}},
		{"check names unique", strings.Replace(valid, "solution:", "  - name: c1\n    file: /tmp/y\nsolution:", 1), []string{`14:5: check name "c1" is already used on line 11`}},
		{"check without name", strings.Replace(valid, "  - name: c1\n", "  - message: hi\n", 1), []string{`11:5: check: missing required key "name"`}},
		{"check without subject", strings.Replace(valid, "    file: /tmp/x\n    mode: \"0600\"\n", "    mode: \"0600\"\n", 1), []string{`11:5: check "c1": no subject`}},
		{"check two subjects", strings.Replace(valid, "    mode: \"0600\"\n", "    command: ls\n", 1), []string{`13:5: check "c1": has two subjects, file and command`}},
		{"assertion of another kind", strings.Replace(valid, "    mode: \"0600\"\n", "    running: true\n", 1), []string{`13:5: check "c1": key "running" does not apply to a file check`}},
		{"user check lines", strings.Replace(valid, "    file: /tmp/x\n    mode: \"0600\"\n", "    user: bob\n    lines: 3\n", 1), []string{`13:5: check "c1": key "lines" does not apply to a user check`}},
		{"check unknown key", strings.Replace(valid, "    mode: \"0600\"\n", "    colour: red\n", 1), []string{`13:5: check "c1": unknown key "colour"`}},
		{"check relative path", strings.Replace(valid, "file: /tmp/x", "file: tmp/x", 1), []string{`12:11: key "file": "tmp/x" is not an absolute path`}},
		{"process RE2", strings.Replace(valid, "    file: /tmp/x\n    mode: \"0600\"\n", "    process: 'sleep (\\d+'\n", 1), []string{`12:14: key "process": "sleep (\\d+" is not an RE2 pattern`}},
		{"RE2 backreference", strings.Replace(valid, "    mode: \"0600\"\n", "    matches: '(a)\\1'\n", 1), []string{`13:14: key "matches"`}},
		{"port range", strings.Replace(valid, "    file: /tmp/x\n    mode: \"0600\"\n", "    port: 70000\n", 1), []string{`12:11: key "port": 70000 is not a port`}},
		{"port not number", strings.Replace(valid, "    file: /tmp/x\n    mode: \"0600\"\n", "    port: http\n", 1), []string{`12:11: key "port": want an integer, got "http"`}},
		{"enum state", strings.Replace(valid, "    file: /tmp/x\n    mode: \"0600\"\n", "    process: sleep\n    state: dead\n", 1), []string{`13:12: key "state": "dead" is not one of running, stopped, zombie`}},
		{"enum password", strings.Replace(valid, "    file: /tmp/x\n    mode: \"0600\"\n", "    user: bob\n    password: disabled\n", 1), []string{`key "password": "disabled" is not one of set, locked, none`}},
		{"min above max", strings.Replace(valid, "    file: /tmp/x\n    mode: \"0600\"\n", "    glob: /tmp/*.log\n    min: 3\n    max: 1\n", 1), []string{`11:5: check "c1": min 3 is above max 1`}},
		{"negative count", strings.Replace(valid, "    file: /tmp/x\n    mode: \"0600\"\n", "    glob: /tmp/*.log\n    count: -1\n", 1), []string{`13:12: key "count": -1 is below 0`}},
		{"exit range", strings.Replace(valid, "    file: /tmp/x\n    mode: \"0600\"\n", "    command: 'true'\n    exit: 300\n", 1), []string{`13:11: key "exit": 300 is above 255`}},
		{"sha256", strings.Replace(valid, "    mode: \"0600\"\n", "    sha256: abc\n", 1), []string{`13:13: key "sha256": "abc" is not 64 hex digits`}},
		{"exists false with more", strings.Replace(valid, "    mode: \"0600\"\n", "    exists: false\n    mode: \"0600\"\n", 1), []string{`check "c1": exists: false cannot be combined`}},
		{"mistake fails unknown", valid + "mistakes:\n  - name: m\n    script: x\n    fails: [c1, c2]\n", []string{`18:17: mistake "m": fails names "c2", which is not a check`}},
		{"mistake fails empty", valid + "mistakes:\n  - name: m\n    script: x\n    fails: []\n", []string{`18:12: mistake "m": fails must name at least one check`}},
		{"mistake missing fails", valid + "mistakes:\n  - name: m\n    script: x\n", []string{`16:5: mistake: missing required key "fails"`}},
		{"hint when_failing unknown", valid + "hints:\n  - text: t\n    when_failing: c9\n", []string{`17:19: hint: when_failing names "c9", which is not a check`}},
		{"hint without text", valid + "hints:\n  - when_failing: c1\n", []string{`16:5: hint: missing required key "text"`}},
		{"setup file content and from", valid + "setup:\n  files:\n    - path: /a\n      content: x\n      from: files/a\n", []string{`17:7: setup file /a: give exactly one of content and from`}},
		{"setup file neither", valid + "setup:\n  files:\n    - path: /a\n", []string{`give exactly one of content and from`}},
		{"from dotdot", valid + "setup:\n  files:\n    - path: /a\n      from: ../other/secret\n", []string{`18:13: key "from": "../other/secret" leaves the challenge folder`}},
		{"from absolute", valid + "setup:\n  files:\n    - path: /a\n      from: /etc/passwd\n", []string{`18:13: key "from": "/etc/passwd" must be a path inside the challenge folder`}},
		{"from missing", valid + "setup:\n  files:\n    - path: /a\n      from: files/nope\n", []string{`18:13: key "from": "files/nope"`}},
		{"owner format", valid + "setup:\n  files:\n    - path: /a\n      content: x\n      owner: a:b:c\n", []string{`19:14: key "owner": "a:b:c" is not user or user:group`}},
		{"setup mode", valid + "setup:\n  files:\n    - path: /a\n      content: x\n      mode: rw\n", []string{`19:13: key "mode": "rw" is not an octal mode`}},
		{"service unique", valid + "setup:\n  services:\n    - {name: s, run: x}\n    - {name: s, run: y}\n", []string{`18:14: service name "s" is already used on line 17`}},
		{"service without run", valid + "setup:\n  services:\n    - name: s\n", []string{`17:7: service: missing required key "run"`}},
		{"yaml syntax", valid + "checks: [\n", []string{`yaml:`}},
		{"empty file", "", []string{`1:1: empty file`}},
		{"not a mapping", "- a\n- b\n", []string{`1:1: challenge: want a mapping of keys, got a list`}},
		{"rendered mode", strings.Replace(valid, `mode: "0600"`, `mode: "0{{.port}}"`, 1), []string{`13:11: key "mode": "020`, `(rendered from "0{{.port}}")`}},
		{"rendered port", strings.Replace(valid, "    file: /tmp/x\n    mode: \"0600\"\n", "    port: \"{{.who}}\"\n", 1), []string{`12:11: key "port": want an integer, got "`, `(rendered from "{{.who}}")`}},
		{"rendered RE2", strings.Replace(valid, "    file: /tmp/x\n    mode: \"0600\"\n", "    process: \"({{.token}}\"\n", 1), []string{`12:14: key "process":`, `is not an RE2 pattern`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadString(t, tt.yaml)
			if err == nil {
				t.Fatalf("no error; want %q", tt.want)
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %T is not an ErrorList: %v", err, err)
			}
			for _, w := range tt.want {
				found := false
				for _, e := range list {
					if strings.Contains(e.Error(), "c1/challenge.yaml:"+w) || (!strings.Contains(w, ":") || w[0] < '0' || w[0] > '9') && strings.Contains(e.Error(), w) {
						found = true
					}
				}
				if !found {
					t.Errorf("want %q among:\n%v", w, err)
				}
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	y := strings.NewReplacer(
		"difficulty: easy", "difficulty: hard-ish",
		`mode: "0600"`, `mode: "9"`,
		"briefing: Make it so.", "briefing: Hi {{.nope}}",
	).Replace(valid) + "extra: 1\n"
	_, err := loadString(t, y)
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 4 {
		t.Fatalf("want 4 problems, got:\n%v", err)
	}
	for i := 1; i < len(list); i++ {
		if list[i-1].Line > list[i].Line {
			t.Errorf("not sorted by line:\n%v", err)
		}
	}
}

func TestLoadBadID(t *testing.T) {
	fsys := fstest.MapFS{"Bad Name/challenge.yaml": {Data: []byte(valid)}}
	_, err := Load(fsys, "Bad Name", "Bad Name")
	if err == nil || !strings.Contains(err.Error(), `the folder name "Bad Name" is the challenge id`) {
		t.Fatalf("got %v", err)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(fstest.MapFS{"c1/x": {}}, "c1", "c1")
	if err == nil || !strings.Contains(err.Error(), "c1/challenge.yaml: read challenge") {
		t.Fatalf("got %v", err)
	}
}

func TestLoadFromFile(t *testing.T) {
	y := valid + "setup:\n  files:\n    - path: /a\n      from: files/a\n      mode: \"0755\"\n      owner: student:staff\n"
	def, err := loadString(t, y, "files/a", "hello")
	if err != nil {
		t.Fatal(err)
	}
	c, err := def.Render(1)
	if err != nil {
		t.Fatal(err)
	}
	f := c.Setup.Files[0]
	if f.From != "files/a" || *f.Mode != 0o755 || f.Owner != "student:staff" {
		t.Errorf("setup file: %+v", f)
	}
}
