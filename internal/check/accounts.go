package check

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shellgym/shellgym/sandbox"
)

// The account databases, read from the container and parsed here: the
// learner's getent, id or libc cannot change what we see.
const (
	passwdPath = "/etc/passwd"
	groupPath  = "/etc/group"
	shadowPath = "/etc/shadow"
)

// PasswdEntry is one line of /etc/passwd.
type PasswdEntry struct {
	Name      string
	UID, GID  int
	Home      string
	Shell     string
	Gecos     string
	ShadowPwd string // the second field, usually "x"
}

// GroupEntry is one line of /etc/group.
type GroupEntry struct {
	Name    string
	GID     int
	Members []string
}

// ParsePasswd parses /etc/passwd. Comments, blank and malformed lines are
// skipped; the first entry of a name wins, as with getpwnam.
func ParsePasswd(data []byte) []PasswdEntry {
	var out []PasswdEntry
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(strings.TrimRight(line, "\r"), ":")
		if len(f) != 7 || f[0] == "" || strings.HasPrefix(f[0], "#") {
			continue
		}
		uid, err1 := strconv.Atoi(f[2])
		gid, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil || uid < 0 || gid < 0 {
			continue
		}
		out = append(out, PasswdEntry{Name: f[0], ShadowPwd: f[1], UID: uid, GID: gid, Gecos: f[4], Home: f[5], Shell: f[6]})
	}
	return out
}

// ParseGroup parses /etc/group, skipping what it cannot read.
func ParseGroup(data []byte) []GroupEntry {
	var out []GroupEntry
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(strings.TrimRight(line, "\r"), ":")
		if len(f) != 4 || f[0] == "" || strings.HasPrefix(f[0], "#") {
			continue
		}
		gid, err := strconv.Atoi(f[2])
		if err != nil || gid < 0 {
			continue
		}
		var members []string
		for _, m := range strings.Split(f[3], ",") {
			if m = strings.TrimSpace(m); m != "" {
				members = append(members, m)
			}
		}
		out = append(out, GroupEntry{Name: f[0], GID: gid, Members: members})
	}
	return out
}

// ParseShadow parses /etc/shadow into name -> password field.
func ParseShadow(data []byte) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(strings.TrimRight(line, "\r"), ":")
		if len(f) < 2 || f[0] == "" || strings.HasPrefix(f[0], "#") {
			continue
		}
		if _, dup := out[f[0]]; !dup {
			out[f[0]] = f[1]
		}
	}
	return out
}

// PasswordState classifies a shadow password field as `passwd -S` does:
// "none" (empty: no password needed), "locked" (starts with ! or *), or
// "set" (a usable hash).
func PasswordState(field string) string {
	switch {
	case field == "":
		return "none"
	case strings.HasPrefix(field, "!"), strings.HasPrefix(field, "*"):
		return "locked"
	default:
		return "set"
	}
}

// accountDB is one database file as read: its entries, or why it could not
// be used.
type accountDB struct {
	problem string // "" when the file was a readable regular file
	data    []byte
}

func loadDB(fi *sandbox.FileInfo) accountDB {
	switch {
	case fi == nil:
		return accountDB{problem: "account databases were not read"}
	case fi.Type == sandbox.Missing:
		return accountDB{problem: fi.Path + " does not exist"}
	case fi.Type != sandbox.Regular:
		// Never follow a symlink here: a learner could point it anywhere.
		return accountDB{problem: fi.Path + " is not a regular file"}
	case fi.Truncated:
		return accountDB{problem: fi.Path + " is too large to read"}
	}
	return accountDB{data: fi.Content}
}

// accounts answers name and id questions from the container's own files.
type accounts struct {
	passwdDB, groupDB, shadowDB accountDB
	users                       []PasswdEntry
	groups                      []GroupEntry
	shadowPw                    map[string]string
}

func newAccounts(passwd, group, shadow *sandbox.FileInfo) *accounts {
	a := &accounts{passwdDB: loadDB(passwd), groupDB: loadDB(group), shadowDB: loadDB(shadow)}
	if a.passwdDB.problem == "" {
		a.users = ParsePasswd(a.passwdDB.data)
	}
	if a.groupDB.problem == "" {
		a.groups = ParseGroup(a.groupDB.data)
	}
	if a.shadowDB.problem == "" {
		a.shadowPw = ParseShadow(a.shadowDB.data)
	}
	return a
}

func (a *accounts) user(name string) *PasswdEntry {
	for i := range a.users {
		if a.users[i].Name == name {
			return &a.users[i]
		}
	}
	return nil
}

func (a *accounts) userByID(uid int) *PasswdEntry {
	for i := range a.users {
		if a.users[i].UID == uid {
			return &a.users[i]
		}
	}
	return nil
}

func (a *accounts) group(name string) *GroupEntry {
	for i := range a.groups {
		if a.groups[i].Name == name {
			return &a.groups[i]
		}
	}
	return nil
}

func (a *accounts) groupByID(gid int) *GroupEntry {
	for i := range a.groups {
		if a.groups[i].GID == gid {
			return &a.groups[i]
		}
	}
	return nil
}

// uid resolves a user name or a number to a uid.
func (a *accounts) uid(nameOrID string) (int, error) {
	if n, err := strconv.Atoi(nameOrID); err == nil {
		return n, nil
	}
	if a.passwdDB.problem != "" {
		return 0, fmt.Errorf("%s", a.passwdDB.problem)
	}
	if u := a.user(nameOrID); u != nil {
		return u.UID, nil
	}
	return 0, fmt.Errorf("there is no user %s", nameOrID)
}

// gid resolves a group name or a number to a gid.
func (a *accounts) gid(nameOrID string) (int, error) {
	if n, err := strconv.Atoi(nameOrID); err == nil {
		return n, nil
	}
	if a.groupDB.problem != "" {
		return 0, fmt.Errorf("%s", a.groupDB.problem)
	}
	if g := a.group(nameOrID); g != nil {
		return g.GID, nil
	}
	return 0, fmt.Errorf("there is no group %s", nameOrID)
}

// userName renders a uid as ls does: the name when known, else the number.
func (a *accounts) userName(uid int) string {
	if u := a.userByID(uid); u != nil {
		return u.Name
	}
	return strconv.Itoa(uid)
}

func (a *accounts) groupName(gid int) string {
	if g := a.groupByID(gid); g != nil {
		return g.Name
	}
	return strconv.Itoa(gid)
}

// inGroup reports whether user u belongs to group g, by primary gid or by
// the group's member list, as `id` counts it.
func (a *accounts) inGroup(u *PasswdEntry, g *GroupEntry) bool {
	if u.GID == g.GID {
		return true
	}
	for _, m := range g.Members {
		if m == u.Name {
			return true
		}
	}
	return false
}
