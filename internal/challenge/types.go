// Package challenge is the challenge format v1: its types, strict parsing with
// file:line:column errors, validation, params, templates and sets. It imports
// no Docker.
package challenge

import (
	"io/fs"
	"time"
)

// Difficulty levels, in increasing order.
const (
	Easy   = "easy"
	Medium = "medium"
	Hard   = "hard"
)

// Learner roles (the `user:` key).
const (
	RoleStudent = "student"
	RoleRoot    = "root"
)

// DefaultTimeLimit applies when a challenge sets no time_limit.
const DefaultTimeLimit = 15 * time.Minute

// Pos is a place in a YAML file, 1-based.
type Pos struct {
	Line, Col int
}

// Challenge is one challenge after its params were rendered: every value is
// concrete. Definition.Render produces it.
type Challenge struct {
	ID   string // the folder name
	Path string // the challenge.yaml, as shown in messages (a disk path, or embedded:<category>/<id>/challenge.yaml)
	// FS is the challenge folder; `from:` paths are read from it.
	FS fs.FS `yaml:"-"`

	Title        string        `yaml:"title"`
	Category     string        `yaml:"category"`
	Difficulty   string        `yaml:"difficulty"`
	Commands     []string      `yaml:"commands"`
	TimeLimit    time.Duration `yaml:"time_limit"`
	User         string        `yaml:"user"`
	Sudo         bool          `yaml:"sudo"`
	Capabilities []string      `yaml:"capabilities"`
	Image        string        `yaml:"image"`
	Params       []Param       `yaml:"params"`
	Briefing     string        `yaml:"briefing"`
	Setup        Setup         `yaml:"setup"`
	Hints        []Hint        `yaml:"hints"`
	Checks       []Check       `yaml:"checks"`
	Solution     string        `yaml:"solution"`
	Mistakes     []Mistake     `yaml:"mistakes"`

	// Values are the param values this rendering used, by name.
	Values map[string]string `yaml:"-"`
	// Seed is the seed the values were generated from.
	Seed int64 `yaml:"-"`
}

// Param is one generated value. Exactly one of Int, Choice, Word is set.
type Param struct {
	Name   string
	Int    *[2]int  // inclusive range
	Choice []string // one of these
	Word   int      // length of a random [a-z0-9] word
	Given  bool     // shown in the briefing and exported as GYM_<NAME>
	Pos    Pos
}

// Setup prepares the container before the learner gets it.
type Setup struct {
	Files    []SetupFile `yaml:"files"`
	Script   string      `yaml:"script"`
	Services []Service   `yaml:"services"`
}

// SetupFile is written before the setup script runs. Exactly one of Content
// and From is set; From is a path inside the challenge folder.
type SetupFile struct {
	Path    string `yaml:"path"`
	Content string `yaml:"content"`
	From    string `yaml:"from"`
	Mode    *Mode  `yaml:"mode"`  // default 0644
	Owner   string `yaml:"owner"` // user or user:group; default root
	Pos     Pos    `yaml:"-"`
}

// Service is a background process kept running for the whole attempt.
type Service struct {
	Name string `yaml:"name"`
	User string `yaml:"user"` // default root
	Run  string `yaml:"run"`  // bash
	Pos  Pos    `yaml:"-"`
}

// Hint is shown on request. WhenFailing names a check; while it fails the
// hint is offered first.
type Hint struct {
	Text        string `yaml:"text"`
	WhenFailing string `yaml:"when_failing"`
	Pos         Pos    `yaml:"-"`
}

// Mistake is a known wrong answer: after Script, every check in Fails must fail.
type Mistake struct {
	Name   string   `yaml:"name"`
	Script string   `yaml:"script"`
	Fails  []string `yaml:"fails"`
	Pos    Pos      `yaml:"-"`
}

// Mode is a file mode with permission and special bits (at most 07777).
type Mode uint32

// Kind is the subject of a check.
type Kind string

// Check kinds, one per subject key.
const (
	KindFile    Kind = "file"
	KindGlob    Kind = "glob"
	KindUser    Kind = "user"
	KindGroup   Kind = "group"
	KindProcess Kind = "process"
	KindPort    Kind = "port"
	KindPcap    Kind = "pcap"
	KindCommand Kind = "command"
)

// Check is one assertion about the container's final state. Kind says which
// subject key was given and Subject holds its value; the assertion fields
// that apply to other kinds are left nil. A check with no assertion asserts
// that its subject exists.
//
// In YAML some keys are both a subject and an assertion of another kind
// (group, user, process, port); the subject is the first present key in the
// order file, glob, pcap, port, process, command, user, group.
type Check struct {
	Name    string
	Message string // shown when the check fails, instead of a generated one
	Kind    Kind
	Subject string // path, pattern, name, RE2, port number, or bash
	Pos     Pos

	// file, user, group
	Exists *bool
	// file
	Type       string // file, dir, symlink
	Mode       *Mode
	Owner      *string // user name or numeric uid
	Group      *string // file: group owner; user: primary group
	Content    *string // trailing whitespace ignored
	Contains   *string // file: substring; pcap: payload bytes
	NotContain *string // not_contains
	Matches    *string // RE2
	Lines      *int
	Target     *string // symlink target
	HardlinkOf *string // same inode as this path
	SHA256     *string
	Empty      *bool
	// glob
	Count *int // glob: exact matches; process: exact number of matching processes
	Min   *int
	Max   *int
	// user
	UID       *int
	Groups    []string // must include
	NotGroups []string
	Home      *string
	Shell     *string
	Password  *string // set, locked, none
	// group
	GID     *int
	Members []string // must include
	// process
	Running *bool
	User    *string // process owner, name or uid
	State   *string // running, stopped, zombie
	SamePID *bool
	Exe     *string
	// port
	Proto     *string // tcp, udp (port and pcap)
	Listening *bool
	Process   *string // RE2 on the listener's command line
	// pcap
	MinPackets *int
	Port       *int
	// command
	As             *string // default root
	Exit           *int
	Stdout         *string
	StdoutContains *string
	StdoutMatches  *string
	// Outside runs the command in the inspector (pristine image, learner's
	// filesystem under $ROOT) instead of the learner's container; not an
	// assertion.
	Outside bool
}

// Set is an instructor's list of challenges with points.
type Set struct {
	Title    string
	PassMark int    // percent of points
	Scoring  string // "partial" (points split over checks, the default) or "all" (all or nothing)
	Entries  []SetEntry
	Path     string // the set file
}

// SetEntry is one challenge of a set: ID (catalog) or Path (a folder,
// resolved relative to the set file), with points.
type SetEntry struct {
	ID     string
	Path   string // absolute after loading
	Points int
	Pos    Pos
	Def    *Definition // the resolved challenge
}

// Error is one problem in a file. Error() reads "file:line:col: msg".
type Error struct {
	File      string
	Line, Col int
	Msg       string
}
