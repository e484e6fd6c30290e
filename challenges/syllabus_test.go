package challenges_test

import (
	"testing"

	"github.com/shellgym/shellgym/challenges"
	"github.com/shellgym/shellgym/internal/challenge"
)

// syllabus is every command the built-in catalog promises to drill.
var syllabus = []string{
	"man", "tar",
	"chown", "chmod", "chgrp", "umask", "setfacl",
	"ls", "rm", "cd", "cp", "mv", "touch", "rename", "ln",
	"locate", "find", "grep",
	"vi", "nano",
	"cat", "head", "tail", "more", "less",
	"ps", "kill", "top", "htop", "free",
	"ifconfig", "ip", "lsof", "netstat", "ss",
	"ssh", "scp", "tcpdump",
	"useradd", "usermod", "groupadd", "groupmod", "passwd",
	"sed", "awk", "sort", "uniq", "cut", "wc", "tee",
	"curl", "du", "df",
}

func TestCatalogCoversTheSyllabus(t *testing.T) {
	cat, err := challenge.LoadCatalog(challenges.FS, nil)
	if err != nil {
		t.Fatal(err)
	}
	all := cat.All()
	if len(all) < 40 {
		t.Errorf("the catalog has %d challenges, want at least 40", len(all))
	}
	byDifficulty := map[string]int{}
	hidden := 0
	covered := map[string]bool{}
	for _, d := range all {
		byDifficulty[d.Difficulty]++
		if err := d.Validate(); err != nil {
			t.Error(err)
			continue
		}
		for _, c := range d.Commands {
			covered[c] = true
		}
		for _, p := range d.Params {
			if !p.Given {
				hidden++
				break
			}
		}
	}
	for _, c := range syllabus {
		if !covered[c] {
			t.Errorf("no challenge drills %q (list it in some challenge's commands)", c)
		}
	}
	for d, min := range map[string]int{challenge.Easy: 10, challenge.Medium: 10, challenge.Hard: 8} {
		if byDifficulty[d] < min {
			t.Errorf("%d %s challenges, want at least %d", byDifficulty[d], d, min)
		}
	}
	if 2*hidden < len(all) {
		t.Errorf("%d of %d challenges have hidden params, want at least half", hidden, len(all))
	}
}
