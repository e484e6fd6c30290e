package challenge

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ErrNotFound is wrapped by Catalog.Get when no challenge has the id.
var ErrNotFound = errors.New("no such challenge")

// Error reads "file:line:col: msg"; a zero Line leaves out line and column.
func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// ErrorList is every problem found in one or more files, sorted by file,
// line and column. Load, LoadCatalog and LoadSet return it as their error.
type ErrorList []*Error

// Error joins the problems with newlines.
func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Err returns nil when l is empty and l, sorted and without duplicates,
// otherwise.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.sort()
	return l
}

func (l *ErrorList) sort() {
	slices.SortStableFunc(*l, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col), cmp.Compare(a.Msg, b.Msg))
	})
	*l = slices.CompactFunc(*l, func(a, b *Error) bool { return *a == *b })
}

// add appends err: its problems if it is an ErrorList or an *Error, else one
// problem in file.
func (l *ErrorList) add(file string, err error) {
	var el ErrorList
	var e *Error
	switch {
	case err == nil:
	case errors.As(err, &el):
		*l = append(*l, el...)
	case errors.As(err, &e):
		*l = append(*l, e)
	default:
		*l = append(*l, &Error{File: file, Msg: err.Error()})
	}
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a YAML syntax error into an *Error with its line.
func yamlError(file string, err error) *Error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: file, Line: line, Col: 1, Msg: "yaml: " + m[2]}
	}
	return &Error{File: file, Line: 1, Col: 1, Msg: msg}
}
