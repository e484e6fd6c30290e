package check

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// speaker writes failure messages. It names what was found, which the
// learner could see anyway, and names what was expected only when that does
// not contain the value of a hidden param.
type speaker struct {
	hidden []string
}

// secret reports whether v gives away a hidden param value.
func (sp speaker) secret(v string) bool {
	for _, h := range sp.hidden {
		if strings.Contains(v, h) {
			return true
		}
	}
	return false
}

// want renders ", expected X" or "" when X is secret.
func (sp speaker) want(x string) string {
	if sp.secret(x) {
		return ""
	}
	return ", expected " + x
}

// subject names a check's subject, or a neutral phrase when it is secret.
func (sp speaker) subject(s, neutral string) string {
	if sp.secret(s) {
		return neutral
	}
	return s
}

func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	return out
}

// joinReasons joins failure reasons. They stay lower case: a reason may
// start with a user or file name, which must keep its spelling.
func joinReasons(rs []string) string {
	return strings.Join(rs, "; ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

var reCache sync.Map // pattern -> *regexp.Regexp

// compile compiles an RE2 pattern, caching it: the same checks are
// evaluated again and again during a live session.
func compile(pattern string) (*regexp.Regexp, error) {
	if re, ok := reCache.Load(pattern); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	reCache.Store(pattern, re)
	return re, nil
}
