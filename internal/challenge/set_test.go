package challenge

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadSet(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "extra", "mine", FileName), valid)
	write(t, filepath.Join(root, "set.yaml"), `title: Week 1
pass_mark: 70
scoring: all
challenges:
  - id: three
    points: 10
  - path: ./extra/mine
    points: 20
`)
	cat, err := LoadCatalog(fstest.MapFS{"basics/three/challenge.yaml": {Data: []byte(valid)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := LoadSet(filepath.Join(root, "set.yaml"), cat)
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "Week 1" || s.PassMark != 70 || s.Scoring != ScoringAll || s.MaxPoints() != 30 {
		t.Errorf("set %+v", s)
	}
	defs := s.Definitions()
	if len(defs) != 2 || defs[0].ID != "three" || defs[1].ID != "mine" {
		t.Fatalf("definitions %v", defs)
	}
	if e := s.Entries[1]; e.Path != filepath.Join(root, "extra", "mine") || e.Points != 20 || e.Pos.Line != 7 {
		t.Errorf("path entry %+v", e)
	}
}

func TestLoadSetDefaultScoring(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "c1", FileName), valid)
	write(t, filepath.Join(root, "s.yaml"), "title: S\npass_mark: 50\nchallenges:\n  - {path: c1, points: 1}\n")
	s, err := LoadSet(filepath.Join(root, "s.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Scoring != ScoringPartial {
		t.Errorf("scoring %q, want partial", s.Scoring)
	}
}

func TestLoadSetErrors(t *testing.T) {
	tests := []struct {
		name, set string
		want      []string
	}{
		{"unknown id", "title: S\npass_mark: 50\nchallenges:\n  - id: nope\n    points: 1\n", []string{`:4:9: unknown challenge id "nope"`}},
		{"missing path", "title: S\npass_mark: 50\nchallenges:\n  - path: ./gone\n    points: 1\n", []string{`:4:11: path "./gone": no challenge.yaml in`}},
		{"id and path", "title: S\npass_mark: 50\nchallenges:\n  - {id: three, path: c1, points: 1}\n", []string{`:4:5: set entry: give exactly one of id and path`}},
		{"no points", "title: S\npass_mark: 50\nchallenges:\n  - id: three\n", []string{`:4:5: set entry: missing required key "points"`}},
		{"zero points", "title: S\npass_mark: 50\nchallenges:\n  - {id: three, points: 0}\n", []string{`:4:25: key "points": 0 is not a positive number of points`}},
		{"pass mark", "title: S\npass_mark: 101\nchallenges:\n  - {id: three, points: 1}\n", []string{`:2:12: key "pass_mark": 101 is not a percentage`}},
		{"scoring", "title: S\npass_mark: 1\nscoring: best\nchallenges:\n  - {id: three, points: 1}\n", []string{`:3:10: key "scoring": "best" is not partial or all`}},
		{"missing title", "pass_mark: 1\nchallenges:\n  - {id: three, points: 1}\n", []string{`:1:1: set: missing required key "title"`}},
		{"unknown key", "title: S\npass_mark: 1\nchallenges:\n  - {id: three, points: 1}\ndeadline: friday\n", []string{`:5:1: set: unknown key "deadline"`}},
		{"empty", "title: S\npass_mark: 1\nchallenges: []\n", []string{`:3:13: challenges: a set needs at least one challenge`}},
		{"twice", "title: S\npass_mark: 1\nchallenges:\n  - {id: three, points: 1}\n  - {id: three, points: 2}\n", []string{`:5:5: challenge "three" is already in the set on line 4`}},
		{"broken path challenge", "title: S\npass_mark: 1\nchallenges:\n  - {path: bad, points: 1}\n", []string{`bad/challenge.yaml:3:13: key "difficulty"`}},
		{"every problem", "title: S\npass_mark: 200\nchallenges:\n  - id: nope\n    points: 1\n  - id: nada\n    points: 1\n", []string{`:2:12:`, `:4:9: unknown challenge id "nope"`, `:6:9: unknown challenge id "nada"`}},
	}
	cat, _ := LoadCatalog(fstest.MapFS{"basics/three/challenge.yaml": {Data: []byte(valid)}}, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			write(t, filepath.Join(root, "c1", FileName), valid)
			write(t, filepath.Join(root, "bad", FileName), strings.Replace(valid, "difficulty: easy", "difficulty: x", 1))
			file := filepath.Join(root, "s.yaml")
			write(t, file, tt.set)
			_, err := LoadSet(file, cat)
			if err == nil {
				t.Fatalf("no error, want %v", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("want %q in:\n%v", w, err)
				}
			}
		})
	}
}
