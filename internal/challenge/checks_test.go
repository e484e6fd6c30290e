package challenge

import (
	"errors"
	"strings"
	"testing"
)

// commandCheck replaces valid's file check with the given command check
// lines (each indented by four spaces).
func commandCheck(lines string) string {
	return strings.Replace(valid, "    file: /tmp/x\n    mode: \"0600\"\n", lines, 1)
}

func TestOutsideDecodes(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       bool
	}{
		{"default inside", commandCheck("    command: ip -o link\n"), false},
		{"outside", commandCheck("    command: ip -o link\n    outside: true\n"), true},
		{"explicit inside", commandCheck("    command: ip -o link\n    outside: false\n    as: student\n"), false},
		{"with assertions", commandCheck("    command: getfacl -cpn \"$ROOT/srv/x\"\n    outside: true\n    stdout_contains: \"user:1000:r--\"\n    exit: 0\n"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def, err := loadString(t, tt.yaml)
			if err != nil {
				t.Fatal(err)
			}
			r, err := def.Render(1)
			if err != nil {
				t.Fatal(err)
			}
			c := r.Checks[0]
			if c.Kind != KindCommand || c.Outside != tt.want {
				t.Errorf("kind %s, outside %v; want command, %v", c.Kind, c.Outside, tt.want)
			}
		})
	}
}

// TestOutsideErrors has one failing example per rule about outside.
func TestOutsideErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"as with outside", commandCheck("    command: id\n    outside: true\n    as: student\n"),
			`14:5: check "c1": as does not apply to an outside command check`},
		{"as before outside", commandCheck("    command: id\n    as: student\n    outside: true\n"),
			`13:5: check "c1": as does not apply to an outside command check`},
		{"outside on a file check", strings.Replace(valid, "    mode: \"0600\"\n", "    outside: true\n", 1),
			`13:5: check "c1": key "outside" does not apply to a file check`},
		{"outside on a process check", commandCheck("    process: sleep\n    outside: true\n"),
			`13:5: check "c1": key "outside" does not apply to a process check`},
		{"outside not a bool", commandCheck("    command: id\n    outside: yes please\n"),
			`13:14: key "outside": want true or false, got "yes please"`},
		{"outside twice", commandCheck("    command: id\n    outside: true\n    outside: false\n"),
			`14:5: check: key "outside" appears twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadString(t, tt.yaml)
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %v (%T) is not an ErrorList; want %q", err, err, tt.want)
			}
			for _, e := range list {
				if strings.Contains(e.Error(), "c1/challenge.yaml:"+tt.want) {
					return
				}
			}
			t.Errorf("want %q among:\n%v", tt.want, err)
		})
	}
}
