package check

import (
	"fmt"
	"strconv"

	"github.com/shellgym/shellgym/internal/challenge"
)

func evalUser(c *challenge.Check, f *facts, sp speaker) []string {
	a := f.acct
	if a.passwdDB.problem != "" {
		return []string{a.passwdDB.problem}
	}
	name := sp.subject(c.Subject, "the user")
	u := a.user(c.Subject)
	if c.Exists != nil && !*c.Exists {
		if u != nil {
			return []string{name + " exists"}
		}
		return nil
	}
	if u == nil {
		if sp.secret(c.Subject) {
			return []string{"the expected user does not exist"}
		}
		return []string{"there is no user " + name}
	}
	var fails []string
	add := func(format string, args ...any) { fails = append(fails, fmt.Sprintf(format, args...)) }
	if c.UID != nil && u.UID != *c.UID {
		add("uid is %d%s", u.UID, sp.want(strconv.Itoa(*c.UID)))
	}
	needGroups := c.Group != nil || len(c.Groups) > 0 || len(c.NotGroups) > 0
	if needGroups && a.groupDB.problem != "" {
		add("%s", a.groupDB.problem)
		needGroups = false
	}
	if needGroups {
		if c.Group != nil {
			gid, err := a.gid(*c.Group)
			switch {
			case err != nil && sp.secret(*c.Group):
				add("the expected primary group does not exist")
			case err != nil:
				add("%v", err)
			case gid != u.GID:
				add("primary group is %s%s", a.groupName(u.GID), sp.want(*c.Group))
			}
		}
		for _, gn := range c.Groups {
			g := a.group(gn)
			if g == nil || !a.inGroup(u, g) {
				add("%s is not in group %s", name, sp.subject(gn, "an expected group"))
			}
		}
		for _, gn := range c.NotGroups {
			if g := a.group(gn); g != nil && a.inGroup(u, g) {
				add("%s is still in group %s", name, sp.subject(gn, "a group it should have left"))
			}
		}
	}
	if c.Home != nil && u.Home != *c.Home {
		add("home is %s%s", u.Home, sp.want(*c.Home))
	}
	if c.Shell != nil && u.Shell != *c.Shell {
		add("shell is %s%s", u.Shell, sp.want(*c.Shell))
	}
	if c.Password != nil {
		switch pw, ok := a.shadowPw[u.Name]; {
		case a.shadowDB.problem != "":
			add("%s", a.shadowDB.problem)
		case !ok:
			add("%s has no entry in /etc/shadow", name)
		case PasswordState(pw) != *c.Password:
			add("password is %s, expected %s", describePassword(PasswordState(pw)), *c.Password)
		}
	}
	return fails
}

func describePassword(state string) string {
	switch state {
	case "none":
		return "empty (none)"
	case "locked":
		return "locked"
	}
	return "set"
}

func evalGroup(c *challenge.Check, f *facts, sp speaker) []string {
	a := f.acct
	if a.groupDB.problem != "" {
		return []string{a.groupDB.problem}
	}
	name := sp.subject(c.Subject, "the group")
	g := a.group(c.Subject)
	if c.Exists != nil && !*c.Exists {
		if g != nil {
			return []string{"group " + name + " exists"}
		}
		return nil
	}
	if g == nil {
		if sp.secret(c.Subject) {
			return []string{"the expected group does not exist"}
		}
		return []string{"there is no group " + name}
	}
	var fails []string
	if c.GID != nil && g.GID != *c.GID {
		fails = append(fails, fmt.Sprintf("gid is %d%s", g.GID, sp.want(strconv.Itoa(*c.GID))))
	}
	if len(c.Members) > 0 && a.passwdDB.problem != "" {
		// Membership by primary group needs /etc/passwd.
		return append(fails, a.passwdDB.problem)
	}
	for _, m := range c.Members {
		u := a.user(m)
		member := u != nil && a.inGroup(u, g)
		if !member {
			fails = append(fails, fmt.Sprintf("%s is not a member", sp.subject(m, "an expected user")))
		}
	}
	return fails
}
