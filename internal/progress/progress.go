// Package progress is the learner's local progress store: per challenge, how
// many attempts were started, whether it was solved, the best time, hints
// used and whether the solution was revealed.
//
// The store is one JSON file, progress.json, in Dir(). Every change is a
// read-modify-write under an exclusive file lock, so concurrent shellgym
// processes never lose each other's updates, and every write is atomic (a
// temporary file renamed over the old one). A file that cannot be parsed is
// never silently dropped: it is renamed to progress.json.corrupt-<time> and
// the operation reports a *CorruptError after carrying on with empty
// progress.
package progress

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/gofrs/flock"
)

// FileName is the name of the store inside Dir().
const FileName = "progress.json"

// Version is the format version written to the file.
const Version = 1

// Record is the progress on one challenge.
type Record struct {
	Attempts int  `json:"attempts"`
	Solved   bool `json:"solved"`
	// BestMS is the fastest solve, in milliseconds from the shell opening to
	// the passing verdict; 0 when never solved.
	BestMS     int64     `json:"best_ms,omitempty"`
	HintsUsed  int       `json:"hints_used"`
	Revealed   bool      `json:"revealed"`
	FirstSeen  time.Time `json:"first_seen,omitzero"`
	LastPlayed time.Time `json:"last_played,omitzero"`
	SolvedAt   time.Time `json:"solved_at,omitzero"`
}

// Best is the best time as a duration; 0 when never solved.
func (r Record) Best() time.Duration { return time.Duration(r.BestMS) * time.Millisecond }

// Data is the whole store.
type Data struct {
	Version    int                `json:"version"`
	Challenges map[string]*Record `json:"challenges"`
}

// IDs returns the challenge ids with a record, sorted.
func (d *Data) IDs() []string {
	ids := make([]string, 0, len(d.Challenges))
	for id := range d.Challenges {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// record returns the record of id, creating it.
func (d *Data) record(id string, now time.Time) *Record {
	r := d.Challenges[id]
	if r == nil {
		r = &Record{FirstSeen: now}
		d.Challenges[id] = r
	}
	return r
}

func empty() *Data { return &Data{Version: Version, Challenges: map[string]*Record{}} }

// CorruptError reports a store file that could not be parsed. The file was
// moved to Backup; the operation went on with empty progress.
type CorruptError struct {
	Path   string
	Backup string
	Err    error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("progress file %s is corrupt (%v); it was moved to %s and progress starts afresh", e.Path, e.Err, e.Backup)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Dir is the folder of the store: $SHELLGYM_HOME if set, else
// $XDG_STATE_HOME/shellgym, else ~/.local/state/shellgym.
func Dir() (string, error) {
	if d := os.Getenv("SHELLGYM_HOME"); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "shellgym"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the progress folder: %w", err)
	}
	return filepath.Join(home, ".local", "state", "shellgym"), nil
}

// Store is a progress file and its lock.
type Store struct {
	dir string
	now func() time.Time
}

// Open returns the store in Dir(). Nothing is read or created until used.
func Open() (*Store, error) {
	d, err := Dir()
	if err != nil {
		return nil, err
	}
	return At(d), nil
}

// At returns the store in dir.
func At(dir string) *Store { return &Store{dir: dir, now: time.Now} }

// Path is the store's JSON file.
func (s *Store) Path() string { return filepath.Join(s.dir, FileName) }

// lock takes the exclusive lock, creating the folder.
func (s *Store) lock() (*flock.Flock, error) {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return nil, fmt.Errorf("create progress folder: %w", err)
	}
	l := flock.New(filepath.Join(s.dir, FileName+".lock"))
	if err := l.Lock(); err != nil {
		return nil, fmt.Errorf("lock progress file: %w", err)
	}
	return l, nil
}

// Load reads the store. A missing file is empty progress. A corrupt file is
// moved aside and reported with a *CorruptError alongside empty data.
func (s *Store) Load() (*Data, error) {
	l, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer l.Unlock()
	return s.read()
}

// read parses the file; the caller holds the lock.
func (s *Store) read() (*Data, error) {
	b, err := os.ReadFile(s.Path())
	if errors.Is(err, os.ErrNotExist) {
		return empty(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read progress: %w", err)
	}
	d := empty()
	perr := json.Unmarshal(b, d)
	if perr == nil && d.Version > Version {
		perr = fmt.Errorf("format version %d is newer than this shellgym understands (%d)", d.Version, Version)
	}
	if perr == nil {
		if d.Challenges == nil {
			d.Challenges = map[string]*Record{}
		}
		for id, r := range d.Challenges {
			if r == nil {
				delete(d.Challenges, id)
			}
		}
		return d, nil
	}
	backup := fmt.Sprintf("%s.corrupt-%s", s.Path(), s.now().UTC().Format("20060102T150405.000000000Z"))
	if err := os.Rename(s.Path(), backup); err != nil {
		return nil, fmt.Errorf("move corrupt progress file aside: %w", err)
	}
	return empty(), &CorruptError{Path: s.Path(), Backup: backup, Err: perr}
}

// write replaces the file atomically; the caller holds the lock.
func (s *Store) write(d *Data) error {
	d.Version = Version
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("encode progress: %w", err)
	}
	tmp, err := os.CreateTemp(s.dir, FileName+".tmp-*")
	if err != nil {
		return fmt.Errorf("write progress: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("write progress: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write progress: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write progress: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.Path()); err != nil {
		return fmt.Errorf("write progress: %w", err)
	}
	return nil
}

// Update applies fn to the stored data and writes the result, all under the
// exclusive lock. When fn returns an error nothing is written. A corrupt
// file is backed up, fn runs on empty data, and the *CorruptError is
// returned after a successful write.
func (s *Store) Update(fn func(*Data) error) error {
	l, err := s.lock()
	if err != nil {
		return err
	}
	defer l.Unlock()
	d, rerr := s.read()
	var corrupt *CorruptError
	if rerr != nil && !errors.As(rerr, &corrupt) {
		return rerr
	}
	if err := fn(d); err != nil {
		return err
	}
	if err := s.write(d); err != nil {
		return err
	}
	if corrupt != nil {
		return corrupt
	}
	return nil
}

// RecordStart counts a new attempt at id.
func (s *Store) RecordStart(id string) error {
	return s.Update(func(d *Data) error {
		now := s.now()
		r := d.record(id, now)
		r.Attempts++
		r.LastPlayed = now
		return nil
	})
}

// RecordHint counts one hint shown for id.
func (s *Store) RecordHint(id string) error {
	return s.Update(func(d *Data) error {
		d.record(id, s.now()).HintsUsed++
		return nil
	})
}

// RecordReveal marks that the solution of id was shown.
func (s *Store) RecordReveal(id string) error {
	return s.Update(func(d *Data) error {
		d.record(id, s.now()).Revealed = true
		return nil
	})
}

// RecordSolve marks id solved in took, keeping the best time.
func (s *Store) RecordSolve(id string, took time.Duration) error {
	return s.Update(func(d *Data) error {
		now := s.now()
		r := d.record(id, now)
		ms := max(took.Milliseconds(), 1)
		if !r.Solved || r.SolvedAt.IsZero() {
			r.SolvedAt = now
		}
		r.Solved = true
		if r.BestMS == 0 || ms < r.BestMS {
			r.BestMS = ms
		}
		return nil
	})
}

// Reset forgets the progress of id, or of every challenge when id is "".
// It reports whether there was anything to forget.
func (s *Store) Reset(id string) (bool, error) {
	found := false
	err := s.Update(func(d *Data) error {
		if id == "" {
			found = len(d.Challenges) > 0
			d.Challenges = map[string]*Record{}
			return nil
		}
		_, found = d.Challenges[id]
		delete(d.Challenges, id)
		return nil
	})
	return found, err
}

// Solved returns the ids solved according to the default store. A corrupt
// store is backed up and reported as a *CorruptError with an empty map.
func Solved() (map[string]bool, error) {
	s, err := Open()
	if err != nil {
		return nil, err
	}
	d, err := s.Load()
	if d == nil {
		return nil, err
	}
	m := map[string]bool{}
	for id, r := range d.Challenges {
		if r.Solved {
			m[id] = true
		}
	}
	return m, err
}
