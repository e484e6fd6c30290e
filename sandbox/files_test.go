package sandbox

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCopyInAndReadFiles(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{})
	ctx := context.Background()
	err := s.CopyIn(ctx, []File{
		{Path: "/opt/new/dir/tool", Content: []byte("#!/bin/sh\necho hi\n"), Mode: 0o4755, UID: 0, GID: 0},
		{Path: "/home/student/.ssh", Dir: true, Mode: 0o700, UID: 1000, GID: 1000},
		{Path: "/home/student/.ssh/id", Content: []byte("secret key"), Mode: 0o644, UID: 1000, GID: 1000},
		{Path: "/srv/shared", Dir: true, Mode: 0o1777},
		{Path: "/srv/old.log", Content: []byte("old"), Mode: 0o644, ModTime: time.Unix(1_600_000_000, 0)},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Copied files look written now unless a time is given.
	mtimes := strings.Fields(string(run(t, s, "root", "stat -c %Y /home/student/.ssh/id /srv/old.log").Stdout))
	if now, _ := strconv.ParseInt(mtimes[0], 10, 64); len(mtimes) != 2 || time.Since(time.Unix(now, 0)).Abs() > time.Minute || mtimes[1] != "1600000000" {
		t.Errorf("mtimes %q, want about now and 1600000000", mtimes)
	}
	run(t, s, "student", "ln -s /etc/passwd /tmp/link; echo tmpdata > /tmp/inside-tmpfs")
	got, err := s.ReadFiles(ctx, []string{"/opt/new/dir/tool", "/home/student/.ssh", "/home/student/.ssh/id", "/srv/shared", "/tmp/link", "/tmp/inside-tmpfs", "/nope", "/etc/shadow"}, 6)
	if err != nil {
		t.Fatal(err)
	}
	want := []FileInfo{
		{Path: "/opt/new/dir/tool", Type: Regular, Mode: 0o4755, Size: 18, Content: []byte("#!/bin"), Truncated: true},
		{Path: "/home/student/.ssh", Type: Dir, Mode: 0o700, UID: 1000, GID: 1000},
		{Path: "/home/student/.ssh/id", Type: Regular, Mode: 0o644, UID: 1000, GID: 1000, Size: 10, Content: []byte("secret"), Truncated: true},
		{Path: "/srv/shared", Type: Dir, Mode: 0o1777},
		{Path: "/tmp/link", Type: Symlink, Mode: 0o777, UID: 1000, GID: 1000, LinkTarget: "/etc/passwd"},
		{Path: "/tmp/inside-tmpfs", Type: Regular, Mode: 0o644, UID: 1000, GID: 1000, Size: 8, Content: []byte("tmpdat"), Truncated: true},
		{Path: "/nope", Type: Missing},
		{Path: "/etc/shadow", Type: Regular, Mode: 0o640, GID: 42},
	}
	for i, w := range want {
		g := got[i]
		if w.Path == "/etc/shadow" {
			if g.Type != Regular || g.Mode != 0o640 || len(g.Content) == 0 {
				t.Errorf("shadow: %+v", g)
			}
			continue
		}
		if w.Type == Dir {
			g.Size = 0
		}
		if g.Path != w.Path || g.Type != w.Type || g.Mode != w.Mode || g.UID != w.UID || g.GID != w.GID ||
			g.Size != w.Size || string(g.Content) != string(w.Content) || g.Truncated != w.Truncated || g.LinkTarget != w.LinkTarget {
			t.Errorf("%s:\n got %+v\nwant %+v", w.Path, g, w)
		}
	}
	// The learner changes a mode; reading again sees it (and a test of the
	// wrong state would fail).
	run(t, s, "student", "chmod 600 ~/.ssh/id")
	got, err = s.ReadFiles(ctx, []string{"/home/student/.ssh/id"}, 100)
	if err != nil || got[0].Mode != 0o600 || string(got[0].Content) != "secret key" || got[0].Truncated {
		t.Errorf("after chmod: %+v %v", got, err)
	}
}

func TestListTree(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{})
	run(t, s, "student", "mkdir -p ~/a/b && touch ~/a/x.txt ~/a/b/y.txt && ln ~/a/x.txt ~/a/hard && ln -s x.txt ~/a/soft && mkdir /tmp/t && touch /tmp/t/z")
	list, err := s.ListTree(context.Background(), "/home/student/a")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]FileType{}
	for _, f := range list {
		got[f.Path] = f.Type
	}
	want := map[string]FileType{"/home/student/a": Dir, "/home/student/a/b": Dir, "/home/student/a/x.txt": Regular,
		"/home/student/a/b/y.txt": Regular, "/home/student/a/hard": Regular, "/home/student/a/soft": Symlink}
	if len(got) != len(want) {
		t.Errorf("got %v", got)
	}
	for p, ty := range want {
		if got[p] != ty {
			t.Errorf("%s: %v, want %v (all: %v)", p, got[p], ty, got)
		}
	}
	if list, err := s.ListTree(context.Background(), "/tmp/t"); err != nil || len(list) != 2 || list[1].Path != "/tmp/t/z" {
		t.Errorf("tmpfs tree: %+v %v", list, err)
	}
	if list, err := s.ListTree(context.Background(), "/missing"); err != nil || len(list) != 0 {
		t.Errorf("missing: %v %v", list, err)
	}
}
