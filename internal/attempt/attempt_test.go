package attempt

import (
	"slices"
	"testing"
	"time"

	"github.com/shellgym/shellgym/internal/challenge"
)

func TestProfile(t *testing.T) {
	c := &challenge.Challenge{ID: "x", User: challenge.RoleRoot, Sudo: true, Capabilities: []string{"NET_RAW"}, TimeLimit: 10 * time.Minute, Image: "custom:1"}
	p := Profile(c, Options{Labels: map[string]string{"k": "v"}, ExtraLifetime: time.Minute})
	if !p.Root || !p.Sudo || !slices.Equal(p.CapAdd, []string{"NET_RAW"}) || p.Lifetime != 11*time.Minute || p.Image != "custom:1" {
		t.Errorf("profile = %+v", p)
	}
	if p.Labels["k"] != "v" || p.Labels["shellgym.challenge"] != "x" {
		t.Errorf("labels = %v", p.Labels)
	}
	p = Profile(&challenge.Challenge{User: challenge.RoleStudent}, Options{})
	if p.Root || p.Sudo || p.Lifetime != challenge.DefaultTimeLimit+DefaultExtraLifetime {
		t.Errorf("default profile = %+v", p)
	}
}

func TestHiddenValues(t *testing.T) {
	c := &challenge.Challenge{
		Params: []challenge.Param{{Name: "port"}, {Name: "user", Given: true}, {Name: "token"}},
		Values: map[string]string{"port": "23456", "user": "alice", "token": "abc123"},
	}
	if got := HiddenValues(c); !slices.Equal(got, []string{"23456", "abc123"}) {
		t.Errorf("HiddenValues = %v", got)
	}
}

func TestShellOptions(t *testing.T) {
	a := &Attempt{Challenge: &challenge.Challenge{ID: "key", User: challenge.RoleStudent,
		Params: []challenge.Param{{Name: "user", Given: true}}, Values: map[string]string{"user": "bob"}}}
	o := a.ShellOptions()
	if o.User != "student" || o.WorkDir != "/home/student" || !slices.Contains(o.Env, "GYM_USER=bob") || !slices.Contains(o.Env, "SHELLGYM_ID=key") {
		t.Errorf("shell options = %+v", o)
	}
	a.Challenge.User = challenge.RoleRoot
	if o := a.ShellOptions(); o.User != "root" || o.WorkDir != "/root" {
		t.Errorf("root shell options = %+v", o)
	}
}

func TestShellQuote(t *testing.T) {
	if got := shellQuote(`it's "$x"`); got != `'it'\''s "$x"'` {
		t.Errorf("shellQuote = %s", got)
	}
}
