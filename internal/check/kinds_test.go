package check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/sandbox"
)

func fileCheck(c challenge.Check) challenge.Check {
	c.Kind = challenge.KindFile
	if c.Subject == "" {
		c.Subject = "/f"
	}
	return c
}

func TestFileCheck(t *testing.T) {
	reg := func(content string, mode uint32, uid, gid int) func() *fakeState {
		return func() *fakeState { return withAccounts(newFake()).file("/f", content, mode, uid, gid) }
	}
	sum := sha256.Sum256([]byte("hello\n"))
	digest := hex.EncodeToString(sum[:])
	links := func() *fakeState {
		st := newFake().file("/f", "x", 0644, 0, 0).file("/g", "x", 0644, 0, 0).file("/h", "x", 0644, 0, 0).symlink("/l", "/f")
		st.ino = map[string]uint64{"/f": 10, "/g": 10, "/h": 11, "/l": 12}
		return st
	}
	runKindCases(t, []kindCase{
		{name: "exists", check: fileCheck(challenge.Check{}), state: reg("", 0644, 0, 0), pass: true},
		{name: "missing", check: fileCheck(challenge.Check{}), msg: "/f does not exist"},
		{name: "must not exist, absent", check: fileCheck(challenge.Check{Exists: ptr(false)}), pass: true},
		{name: "must not exist, present", check: fileCheck(challenge.Check{Exists: ptr(false)}), state: reg("", 0644, 0, 0), msg: "/f exists"},
		{name: "type file", check: fileCheck(challenge.Check{Type: "file"}), state: reg("", 0644, 0, 0), pass: true},
		{name: "type dir wrong", check: fileCheck(challenge.Check{Type: "dir"}), state: reg("", 0644, 0, 0), msg: "is a file, expected a dir"},
		{name: "type symlink", check: fileCheck(challenge.Check{Subject: "/l", Type: "symlink"}), state: links, pass: true},
		{name: "mode", check: fileCheck(challenge.Check{Mode: ptr(challenge.Mode(0600))}), state: reg("", 0600, 0, 0), pass: true},
		{name: "mode wrong", check: fileCheck(challenge.Check{Mode: ptr(challenge.Mode(0600))}), state: reg("", 0644, 0, 0), msg: "mode is 0644, expected 0600"},
		{name: "setuid bit counts", check: fileCheck(challenge.Check{Mode: ptr(challenge.Mode(0755))}), state: reg("", 04755, 0, 0), msg: "mode is 4755"},
		{name: "owner name", check: fileCheck(challenge.Check{Owner: ptr("student")}), state: reg("", 0644, 1000, 1000), pass: true},
		{name: "owner uid", check: fileCheck(challenge.Check{Owner: ptr("1000")}), state: reg("", 0644, 1000, 1000), pass: true},
		{name: "owner wrong", check: fileCheck(challenge.Check{Owner: ptr("student")}), state: reg("", 0644, 0, 0), msg: "owner is root, expected student"},
		{name: "owner unknown user", check: fileCheck(challenge.Check{Owner: ptr("nobody2")}), state: reg("", 0644, 0, 0), msg: "there is no user nobody2"},
		{name: "group", check: fileCheck(challenge.Check{Group: ptr("devs")}), state: reg("", 0644, 0, 2000), pass: true},
		{name: "group wrong", check: fileCheck(challenge.Check{Group: ptr("devs")}), state: reg("", 0644, 0, 1000), msg: "group is student, expected devs"},
		{name: "content", check: fileCheck(challenge.Check{Content: ptr("a\nb")}), state: reg("a  \nb\n\n", 0644, 0, 0), pass: true},
		{name: "content wrong", check: fileCheck(challenge.Check{Content: ptr("a\nb")}), state: reg("a\nc\n", 0644, 0, 0), msg: "content differs"},
		{name: "contains", check: fileCheck(challenge.Check{Contains: ptr("PermitRootLogin no")}), state: reg("x\nPermitRootLogin no\n", 0644, 0, 0), pass: true},
		{name: "contains wrong", check: fileCheck(challenge.Check{Contains: ptr("PermitRootLogin no")}), state: reg("PermitRootLogin yes\n", 0644, 0, 0), msg: "lacks"},
		{name: "not_contains", check: fileCheck(challenge.Check{NotContain: ptr("ERROR")}), state: reg("ok\n", 0644, 0, 0), pass: true},
		{name: "not_contains wrong", check: fileCheck(challenge.Check{NotContain: ptr("ERROR")}), state: reg("ERROR x\n", 0644, 0, 0), msg: "still contains"},
		{name: "matches", check: fileCheck(challenge.Check{Matches: ptr(`(?m)^port=\d+$`)}), state: reg("a=1\nport=22\n", 0644, 0, 0), pass: true},
		{name: "matches wrong", check: fileCheck(challenge.Check{Matches: ptr(`(?m)^port=\d+$`)}), state: reg("port=x\n", 0644, 0, 0), msg: "does not match"},
		{name: "lines", check: fileCheck(challenge.Check{Lines: ptr(3)}), state: reg("a\nb\nc", 0644, 0, 0), pass: true},
		{name: "lines wrong", check: fileCheck(challenge.Check{Lines: ptr(3)}), state: reg("a\nb\n", 0644, 0, 0), msg: "has 2 lines, expected 3"},
		{name: "target", check: fileCheck(challenge.Check{Subject: "/l", Target: ptr("/f")}), state: links, pass: true},
		{name: "target wrong", check: fileCheck(challenge.Check{Subject: "/l", Target: ptr("/g")}), state: links, msg: "points to /f, expected /g"},
		{name: "target on a file", check: fileCheck(challenge.Check{Target: ptr("/g")}), state: links, msg: "not a symlink"},
		{name: "hardlink_of", check: fileCheck(challenge.Check{Subject: "/g", HardlinkOf: ptr("/f")}), state: links, pass: true},
		{name: "hardlink_of wrong", check: fileCheck(challenge.Check{Subject: "/h", HardlinkOf: ptr("/f")}), state: links, msg: "/h is not a hard link to /f"},
		{name: "hardlink_of a symlink", check: fileCheck(challenge.Check{Subject: "/l", HardlinkOf: ptr("/f")}), state: links, msg: "not a hard link"},
		{name: "sha256", check: fileCheck(challenge.Check{SHA256: ptr(strings.ToUpper(digest))}), state: reg("hello\n", 0644, 0, 0), pass: true},
		{name: "sha256 wrong", check: fileCheck(challenge.Check{SHA256: ptr(digest)}), state: reg("hello", 0644, 0, 0), msg: "SHA-256"},
		{name: "empty", check: fileCheck(challenge.Check{Empty: ptr(true)}), state: reg("", 0644, 0, 0), pass: true},
		{name: "empty wrong", check: fileCheck(challenge.Check{Empty: ptr(true)}), state: reg("abc", 0644, 0, 0), msg: "not empty (3 bytes)"},
		{name: "not empty wrong", check: fileCheck(challenge.Check{Empty: ptr(false)}), state: reg("", 0644, 0, 0), msg: "/f is empty"},
		{name: "empty dir", check: fileCheck(challenge.Check{Subject: "/d", Empty: ptr(true)}), state: func() *fakeState { return newFake().dir("/d", 0755, 0, 0) }, pass: true},
		{name: "empty dir wrong", check: fileCheck(challenge.Check{Subject: "/d", Empty: ptr(true)}), state: func() *fakeState { return newFake().dir("/d", 0755, 0, 0).file("/d/x", "", 0644, 0, 0) }, msg: "not empty (1 entry)"},
		{name: "content through a symlink is refused", check: fileCheck(challenge.Check{Subject: "/l", Contains: ptr("x")}), state: links, msg: "not a regular file"},
		{name: "truncated content", check: fileCheck(challenge.Check{Contains: ptr("x")}), state: func() *fakeState {
			st := newFake()
			st.files["/f"] = sandbox.FileInfo{Path: "/f", Type: sandbox.Regular, Size: 1 << 30, Truncated: true}
			return st
		}, msg: "larger than"},
		{name: "owner with passwd a symlink", check: fileCheck(challenge.Check{Owner: ptr("student")}), state: func() *fakeState {
			return withAccounts(newFake()).file("/f", "", 0644, 1000, 1000).symlink(passwdPath, "/tmp/passwd")
		}, msg: "/etc/passwd is not a regular file"},
	})
}

func TestGlobCheck(t *testing.T) {
	tree := func() *fakeState {
		return newFake().dir("/var", 0755, 0, 0).dir("/var/log", 0755, 0, 0).dir("/var/log/app", 0755, 0, 0).
			file("/var/log/app/a.log", "", 0644, 0, 0).file("/var/log/app/b.log", "", 0644, 0, 0).
			dir("/var/log/app/old", 0755, 0, 0).file("/var/log/app/old/c.log", "", 0644, 0, 0).
			file("/var/log/app/.hidden.log", "", 0644, 0, 0).file("/var/log/app/notes.txt", "", 0644, 0, 0)
	}
	g := func(p string, count, min, max *int) challenge.Check {
		return challenge.Check{Kind: challenge.KindGlob, Subject: p, Count: count, Min: min, Max: max}
	}
	runKindCases(t, []kindCase{
		{name: "count", check: g("/var/log/app/*.log", ptr(3), nil, nil), state: tree, pass: true},
		{name: "count wrong", check: g("/var/log/app/*.log", ptr(2), nil, nil), state: tree, msg: "3 paths match, expected 2"},
		{name: "globstar", check: g("/var/log/**/*.log", ptr(4), nil, nil), state: tree, pass: true},
		{name: "min", check: g("/var/**/*.log", nil, ptr(4), nil), state: tree, pass: true},
		{name: "min wrong", check: g("/var/**/*.log", nil, ptr(5), nil), state: tree, msg: "expected at least 5"},
		{name: "max", check: g("/var/log/app/*.txt", nil, nil, ptr(1)), state: tree, pass: true},
		{name: "max wrong", check: g("/var/log/app/*", nil, nil, ptr(2)), state: tree, msg: "expected at most 2"},
		{name: "existence", check: g("/var/log/app/*.txt", nil, nil, nil), state: tree, pass: true},
		{name: "existence wrong", check: g("/var/log/app/*.gz", nil, nil, nil), state: tree, msg: "nothing matches"},
		{name: "missing root counts zero", check: g("/nope/*.log", ptr(0), nil, nil), state: tree, pass: true},
		{name: "missing root fails existence", check: g("/nope/*.log", nil, nil, nil), state: tree, msg: "nothing matches"},
	})
}

func TestMatchGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"/a/*.txt", "/a/x.txt", true},
		{"/a/*.txt", "/a/b/x.txt", false},
		{"/a/**/*.txt", "/a/x.txt", true},
		{"/a/**/*.txt", "/a/b/c/x.txt", true},
		{"/a/**", "/a/b/c", true},
		{"/a/**/**/c", "/a/c", true},
		{"/a/?.txt", "/a/xy.txt", false},
		{"/a/[xy].txt", "/a/y.txt", true},
		{"/a/*", "/a/.dot", true},
	} {
		got, err := MatchGlob(tc.pattern, tc.name)
		if err != nil || got != tc.want {
			t.Errorf("MatchGlob(%q, %q) = %v, %v; want %v", tc.pattern, tc.name, got, err, tc.want)
		}
	}
	for p, root := range map[string]string{"/a/b/*.txt": "/a/b", "/**/x": "/", "/a/b/c": "/a/b", "/a/b*/c": "/a"} {
		if got := globRoot(p); got != root {
			t.Errorf("globRoot(%q) = %q, want %q", p, got, root)
		}
	}
}

func TestUserCheck(t *testing.T) {
	acct := func() *fakeState { return withAccounts(newFake()) }
	u := func(c challenge.Check) challenge.Check { c.Kind = challenge.KindUser; c.Subject = "alice"; return c }
	runKindCases(t, []kindCase{
		{name: "exists", check: u(challenge.Check{}), state: acct, pass: true},
		{name: "exists wrong", check: challenge.Check{Kind: challenge.KindUser, Subject: "bob"}, state: acct, msg: "there is no user bob"},
		{name: "absent", check: challenge.Check{Kind: challenge.KindUser, Subject: "bob", Exists: ptr(false)}, state: acct, pass: true},
		{name: "absent wrong", check: u(challenge.Check{Exists: ptr(false)}), state: acct, msg: "alice exists"},
		{name: "uid", check: u(challenge.Check{UID: ptr(1001)}), state: acct, pass: true},
		{name: "uid wrong", check: u(challenge.Check{UID: ptr(1500)}), state: acct, msg: "uid is 1001, expected 1500"},
		{name: "primary group", check: u(challenge.Check{Group: ptr("alice")}), state: acct, pass: true},
		{name: "primary group wrong", check: u(challenge.Check{Group: ptr("devs")}), state: acct, msg: "primary group is alice, expected devs"},
		{name: "groups", check: u(challenge.Check{Groups: []string{"sudo", "devs", "alice"}}), state: acct, pass: true},
		{name: "groups wrong", check: u(challenge.Check{Groups: []string{"adm"}}), state: acct, msg: "alice is not in group adm"},
		{name: "not_groups", check: u(challenge.Check{NotGroups: []string{"adm"}}), state: acct, pass: true},
		{name: "not_groups wrong", check: u(challenge.Check{NotGroups: []string{"sudo"}}), state: acct, msg: "still in group sudo"},
		{name: "home", check: u(challenge.Check{Home: ptr("/home/alice")}), state: acct, pass: true},
		{name: "home wrong", check: u(challenge.Check{Home: ptr("/srv/alice")}), state: acct, msg: "home is /home/alice"},
		{name: "shell", check: u(challenge.Check{Shell: ptr("/bin/sh")}), state: acct, pass: true},
		{name: "shell wrong", check: u(challenge.Check{Shell: ptr("/bin/bash")}), state: acct, msg: "shell is /bin/sh, expected /bin/bash"},
		{name: "password locked", check: u(challenge.Check{Password: ptr("locked")}), state: acct, pass: true},
		{name: "password set wrong", check: u(challenge.Check{Password: ptr("set")}), state: acct, msg: "password is locked, expected set"},
		{name: "password set", check: challenge.Check{Kind: challenge.KindUser, Subject: "student", Password: ptr("set")}, state: acct, pass: true},
		{name: "no shadow entry", check: challenge.Check{Kind: challenge.KindUser, Subject: "daemon", Password: ptr("none")}, state: acct, msg: "no entry in /etc/shadow"},
		{name: "passwd is a symlink", check: u(challenge.Check{}), state: func() *fakeState { return acct().symlink(passwdPath, "/tmp/fake") }, msg: "/etc/passwd is not a regular file"},
		{name: "passwd missing", check: u(challenge.Check{}), state: func() *fakeState { st := acct(); delete(st.files, passwdPath); return st }, msg: "/etc/passwd does not exist"},
		{name: "group file a symlink", check: u(challenge.Check{Groups: []string{"sudo"}}), state: func() *fakeState { return acct().symlink(groupPath, "/tmp/g") }, msg: "/etc/group is not a regular file"},
		{name: "shadow a symlink", check: u(challenge.Check{Password: ptr("locked")}), state: func() *fakeState { return acct().symlink(shadowPath, "/tmp/s") }, msg: "/etc/shadow is not a regular file"},
	})
}

func TestGroupCheck(t *testing.T) {
	acct := func() *fakeState { return withAccounts(newFake()) }
	g := func(c challenge.Check) challenge.Check { c.Kind = challenge.KindGroup; c.Subject = "devs"; return c }
	runKindCases(t, []kindCase{
		{name: "exists", check: g(challenge.Check{}), state: acct, pass: true},
		{name: "exists wrong", check: challenge.Check{Kind: challenge.KindGroup, Subject: "ops"}, state: acct, msg: "there is no group ops"},
		{name: "absent", check: challenge.Check{Kind: challenge.KindGroup, Subject: "ops", Exists: ptr(false)}, state: acct, pass: true},
		{name: "absent wrong", check: g(challenge.Check{Exists: ptr(false)}), state: acct, msg: "group devs exists"},
		{name: "gid", check: g(challenge.Check{GID: ptr(2000)}), state: acct, pass: true},
		{name: "gid wrong", check: g(challenge.Check{GID: ptr(3000)}), state: acct, msg: "gid is 2000, expected 3000"},
		{name: "members", check: g(challenge.Check{Members: []string{"alice", "student"}}), state: acct, pass: true},
		{name: "primary counts as member", check: challenge.Check{Kind: challenge.KindGroup, Subject: "alice", Members: []string{"alice"}}, state: acct, pass: true},
		{name: "members wrong", check: g(challenge.Check{Members: []string{"root"}}), state: acct, msg: "root is not a member"},
		{name: "group file a symlink", check: g(challenge.Check{}), state: func() *fakeState { return acct().symlink(groupPath, "/tmp/g") }, msg: "/etc/group is not a regular file"},
		{name: "members with passwd a symlink", check: g(challenge.Check{Members: []string{"alice"}}), state: func() *fakeState { return acct().symlink(passwdPath, "/tmp/p") }, msg: "/etc/passwd is not a regular file"},
	})
}

func TestParsers(t *testing.T) {
	users := ParsePasswd([]byte("# comment\nroot:x:0:0:root:/root:/bin/bash\nbroken:line\nbad:x:y:0::/:/bin/sh\r\nbob:x:5:6:Bob B:/home/bob:/bin/zsh\r\n"))
	if len(users) != 2 || users[1] != (PasswdEntry{Name: "bob", ShadowPwd: "x", UID: 5, GID: 6, Gecos: "Bob B", Home: "/home/bob", Shell: "/bin/zsh"}) {
		t.Errorf("ParsePasswd = %+v", users)
	}
	groups := ParseGroup([]byte("devs:x:10:a, b,,c\nempty:x:11:\nbad:x:z:\n"))
	if len(groups) != 2 || strings.Join(groups[0].Members, ",") != "a,b,c" || groups[1].Members != nil {
		t.Errorf("ParseGroup = %+v", groups)
	}
	sh := ParseShadow([]byte("a:$6$x:1::::::\nb::1::::::\na:dup:::::::\n"))
	if sh["a"] != "$6$x" || sh["b"] != "" {
		t.Errorf("ParseShadow = %v", sh)
	}
	for field, want := range map[string]string{"": "none", "!": "locked", "!$6$abc": "locked", "*": "locked", "$y$abc": "set"} {
		if got := PasswordState(field); got != want {
			t.Errorf("PasswordState(%q) = %q, want %q", field, got, want)
		}
	}
}

func TestCommandCheck(t *testing.T) {
	ex := func(code int, out string) func() *fakeState {
		return func() *fakeState {
			st := newFake()
			st.execFn = func(ctx context.Context, o sandbox.ExecOptions) (*sandbox.ExecResult, error) {
				if o.User != "root" && o.User != "student" {
					t.Errorf("user = %q", o.User)
				}
				if o.Cmd[len(o.Cmd)-1] != "systemctl is-enabled x" {
					t.Errorf("cmd = %q", o.Cmd)
				}
				return &sandbox.ExecResult{ExitCode: code, Stdout: []byte(out)}, nil
			}
			return st
		}
	}
	cmd := func(c challenge.Check) challenge.Check {
		c.Kind, c.Subject = challenge.KindCommand, "systemctl is-enabled x"
		return c
	}
	runKindCases(t, []kindCase{
		{name: "exit 0 by default", check: cmd(challenge.Check{}), state: ex(0, ""), pass: true},
		{name: "exit 0 by default wrong", check: cmd(challenge.Check{}), state: ex(1, ""), msg: "exited with status 1, expected 0"},
		{name: "exit", check: cmd(challenge.Check{Exit: ptr(2), As: ptr("student")}), state: ex(2, ""), pass: true},
		{name: "stdout", check: cmd(challenge.Check{Stdout: ptr("enabled")}), state: ex(1, "enabled\n"), pass: true},
		{name: "stdout wrong", check: cmd(challenge.Check{Stdout: ptr("enabled")}), state: ex(0, "disabled\n"), msg: "output differs", notInMs: "enabled"},
		{name: "stdout_contains", check: cmd(challenge.Check{StdoutContains: ptr("able")}), state: ex(0, "enabled\n"), pass: true},
		{name: "stdout_contains wrong", check: cmd(challenge.Check{StdoutContains: ptr("masked")}), state: ex(0, "enabled\n"), msg: "lacks"},
		{name: "stdout_matches", check: cmd(challenge.Check{StdoutMatches: ptr("^en")}), state: ex(0, "enabled\n"), pass: true},
		{name: "stdout_matches wrong", check: cmd(challenge.Check{StdoutMatches: ptr("^dis")}), state: ex(0, "enabled\n"), msg: "does not match"},
		{name: "timeout", check: cmd(challenge.Check{}), state: func() *fakeState {
			st := newFake()
			st.execFn = func(context.Context, sandbox.ExecOptions) (*sandbox.ExecResult, error) {
				return &sandbox.ExecResult{TimedOut: true, ExitCode: -1}, nil
			}
			return st
		}, msg: "did not finish"},
	})
}
