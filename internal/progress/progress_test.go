package progress

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// A child process started by TestConcurrentProcesses: it records starts and
// exits.
func TestMain(m *testing.M) {
	if dir := os.Getenv("PROGRESS_TEST_CHILD_DIR"); dir != "" {
		n, _ := strconv.Atoi(os.Getenv("PROGRESS_TEST_CHILD_N"))
		s := At(dir)
		for range n {
			if err := s.RecordStart("shared"); err != nil {
				os.Stderr.WriteString(err.Error())
				os.Exit(1)
			}
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestDir(t *testing.T) {
	tests := []struct {
		name, home, xdg, want string
	}{
		{"SHELLGYM_HOME wins", "/g", "/x", "/g"},
		{"XDG_STATE_HOME", "", "/x", "/x/shellgym"},
		{"relative XDG ignored", "", "rel", "/h/.local/state/shellgym"},
		{"fallback", "", "", "/h/.local/state/shellgym"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("SHELLGYM_HOME", tt.home)
			t.Setenv("XDG_STATE_HOME", tt.xdg)
			t.Setenv("HOME", "/h")
			got, err := Dir()
			if err != nil || got != tt.want {
				t.Fatalf("Dir() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestRecordFlow(t *testing.T) {
	s := At(t.TempDir())
	d, err := s.Load()
	if err != nil || len(d.Challenges) != 0 {
		t.Fatalf("empty store: %+v, %v", d, err)
	}
	steps := []func() error{
		func() error { return s.RecordStart("a") },
		func() error { return s.RecordHint("a") },
		func() error { return s.RecordHint("a") },
		func() error { return s.RecordSolve("a", 90*time.Second) },
		func() error { return s.RecordStart("a") },
		func() error { return s.RecordSolve("a", 30*time.Second) },
		func() error { return s.RecordSolve("a", 60*time.Second) },
		func() error { return s.RecordStart("b") },
		func() error { return s.RecordReveal("b") },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	d, err = s.Load()
	if err != nil {
		t.Fatal(err)
	}
	a, b := d.Challenges["a"], d.Challenges["b"]
	if a.Attempts != 2 || !a.Solved || a.Best() != 30*time.Second || a.HintsUsed != 2 || a.Revealed {
		t.Errorf("a = %+v", a)
	}
	if b.Attempts != 1 || b.Solved || b.BestMS != 0 || !b.Revealed {
		t.Errorf("b = %+v", b)
	}
	if got := d.IDs(); strings.Join(got, ",") != "a,b" {
		t.Errorf("IDs() = %v", got)
	}

	t.Setenv("SHELLGYM_HOME", s.dir)
	solved, err := Solved()
	if err != nil || len(solved) != 1 || !solved["a"] {
		t.Errorf("Solved() = %v, %v", solved, err)
	}
}

func TestReset(t *testing.T) {
	s := At(t.TempDir())
	for _, id := range []string{"a", "b", "c"} {
		if err := s.RecordStart(id); err != nil {
			t.Fatal(err)
		}
	}
	if found, err := s.Reset("b"); err != nil || !found {
		t.Fatalf("Reset(b) = %v, %v", found, err)
	}
	if found, err := s.Reset("nope"); err != nil || found {
		t.Fatalf("Reset(nope) = %v, %v", found, err)
	}
	d, _ := s.Load()
	if strings.Join(d.IDs(), ",") != "a,c" {
		t.Fatalf("after Reset(b): %v", d.IDs())
	}
	if found, err := s.Reset(""); err != nil || !found {
		t.Fatalf("Reset all = %v, %v", found, err)
	}
	d, _ = s.Load()
	if len(d.Challenges) != 0 {
		t.Fatalf("after Reset all: %v", d.IDs())
	}
}

func TestCorruptFileIsBackedUp(t *testing.T) {
	for _, content := range []string{"{not json", `{"version": 99, "challenges": {}}`, `[1,2]`} {
		t.Run(content, func(t *testing.T) {
			dir := t.TempDir()
			s := At(dir)
			if err := os.WriteFile(s.Path(), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			err := s.RecordStart("a")
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("RecordStart on a corrupt file: %v, want *CorruptError", err)
			}
			saved, rerr := os.ReadFile(ce.Backup)
			if rerr != nil || string(saved) != content {
				t.Fatalf("backup %s = %q, %v; want the old content", ce.Backup, saved, rerr)
			}
			if !strings.HasPrefix(filepath.Base(ce.Backup), "progress.json.corrupt-") {
				t.Errorf("backup name %s", ce.Backup)
			}
			if !strings.Contains(ce.Error(), ce.Backup) {
				t.Errorf("message does not name the backup: %s", ce.Error())
			}
			d, err := s.Load()
			if err != nil || d.Challenges["a"] == nil || d.Challenges["a"].Attempts != 1 {
				t.Fatalf("after recovery: %+v, %v", d, err)
			}
		})
	}
}

func TestLoadCorruptReports(t *testing.T) {
	s := At(t.TempDir())
	os.WriteFile(s.Path(), []byte("garbage"), 0o644)
	d, err := s.Load()
	var ce *CorruptError
	if !errors.As(err, &ce) || d == nil || len(d.Challenges) != 0 {
		t.Fatalf("Load() = %+v, %v", d, err)
	}
	if _, err := os.Stat(s.Path()); !os.IsNotExist(err) {
		t.Errorf("corrupt file still in place: %v", err)
	}
}

func TestUpdateErrorWritesNothing(t *testing.T) {
	s := At(t.TempDir())
	boom := errors.New("boom")
	if err := s.Update(func(d *Data) error { d.record("x", time.Now()); return boom }); !errors.Is(err, boom) {
		t.Fatalf("Update: %v", err)
	}
	if _, err := os.Stat(s.Path()); !os.IsNotExist(err) {
		t.Fatalf("file written despite error: %v", err)
	}
}

func TestNoTempFilesLeft(t *testing.T) {
	dir := t.TempDir()
	s := At(dir)
	for range 5 {
		if err := s.RecordHint("a"); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func TestConcurrentGoroutines(t *testing.T) {
	dir := t.TempDir()
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Go(func() {
			s := At(dir) // its own lock file descriptor, as another process would have
			for range each {
				if err := s.RecordStart("shared"); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	d, err := At(dir).Load()
	if err != nil || d.Challenges["shared"].Attempts != workers*each {
		t.Fatalf("attempts = %+v, %v; want %d", d.Challenges["shared"], err, workers*each)
	}
}

func TestConcurrentProcesses(t *testing.T) {
	dir := t.TempDir()
	const procs, each = 4, 15
	var cmds []*exec.Cmd
	for range procs {
		c := exec.Command(os.Args[0], "-test.run=^$")
		c.Env = append(os.Environ(), "PROGRESS_TEST_CHILD_DIR="+dir, "PROGRESS_TEST_CHILD_N="+strconv.Itoa(each))
		c.Stderr = os.Stderr
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, c)
	}
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	d, err := At(dir).Load()
	if err != nil || d.Challenges["shared"].Attempts != procs*each {
		t.Fatalf("attempts = %+v, %v; want %d", d.Challenges["shared"], err, procs*each)
	}
}
