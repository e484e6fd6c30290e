package challenge

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/shellgym/shellgym/challenges"
)

// TestBuiltinCatalog lints every built-in challenge under two seeds and
// checks the facts every one must meet.
func TestBuiltinCatalog(t *testing.T) {
	dirs, err := FindFS(challenges.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 5 {
		t.Fatalf("only %d built-in challenges", len(dirs))
	}
	for _, dir := range dirs {
		t.Run(dir, func(t *testing.T) {
			def, err := Lint(challenges.FS, dir, "embedded:"+dir)
			if err != nil {
				t.Fatal(err)
			}
			if cat := strings.Split(dir, "/")[0]; def.Category != cat {
				t.Errorf("category %q, but the folder is under %s/", def.Category, cat)
			}
			c, err := def.Render(1)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Hints) < 2 {
				t.Errorf("%d hints; want at least 2", len(c.Hints))
			}
			if len(c.Mistakes) < 1 {
				t.Errorf("no mistake")
			}
		})
	}
}

func TestCatalog(t *testing.T) {
	mine := t.TempDir()
	write(t, filepath.Join(mine, "tree", "a", "one", FileName), strings.Replace(valid, "category: basics", "category: zeta", 1))
	write(t, filepath.Join(mine, "tree", "b", "two", FileName), strings.Replace(valid, "difficulty: easy", "difficulty: hard", 1))
	write(t, filepath.Join(mine, "single", FileName), valid)
	builtin := fstest.MapFS{
		"basics/three/challenge.yaml": {Data: []byte(strings.Replace(valid, "difficulty: easy", "difficulty: medium", 1))},
	}
	c, err := LoadCatalog(builtin, []string{filepath.Join(mine, "tree"), filepath.Join(mine, "single")})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range c.All() {
		ids = append(ids, d.ID)
	}
	// category, then difficulty (easy < medium < hard), then id
	if got, want := strings.Join(ids, " "), "single three two one"; got != want {
		t.Errorf("order %q, want %q", got, want)
	}
	if got := strings.Join(c.Categories(), " "); got != "basics zeta" {
		t.Errorf("categories %q", got)
	}
	if d, err := c.Get("three"); err != nil || d.Path != "embedded:basics/three/challenge.yaml" {
		t.Errorf("Get(three) = %v, %v", d, err)
	}
	_, err = c.Get("thre")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), `did you mean "three"`) || !strings.Contains(err.Error(), "shellgym list") {
		t.Errorf("Get(thre) error %v", err)
	}
	_, err = c.Get("zzzzzz")
	if err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("Get(zzzzzz) error %v, want no suggestion", err)
	}
}

func TestCatalogDuplicateID(t *testing.T) {
	mine := t.TempDir()
	write(t, filepath.Join(mine, "three", FileName), valid)
	builtin := fstest.MapFS{"basics/three/challenge.yaml": {Data: []byte(valid)}}
	c, err := LoadCatalog(builtin, []string{mine})
	want := filepath.Join(mine, "three", FileName) + `:1:1: challenge id "three" is already used by embedded:basics/three/challenge.yaml; rename one of the folders`
	if err == nil || err.Error() != want {
		t.Fatalf("error %v\nwant %s", err, want)
	}
	if len(c.All()) != 1 {
		t.Errorf("the built-in one should stay: %d", len(c.All()))
	}
}

func TestCatalogBadDir(t *testing.T) {
	empty := t.TempDir()
	_, err := LoadCatalog(nil, []string{filepath.Join(empty, "nope"), empty})
	if err == nil || !strings.Contains(err.Error(), "nope: challenge folder: no such file or directory") ||
		!strings.Contains(err.Error(), empty+": holds no challenge") {
		t.Fatalf("got %v", err)
	}
}

func TestFromSymlinkOut(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "c1")
	write(t, filepath.Join(root, "secret"), "s")
	write(t, filepath.Join(dir, "files", "inside"), "ok")
	y := valid + "setup:\n  files:\n    - path: /a\n      from: files/link\n    - path: /b\n      from: files/ok\n    - path: /c\n      from: up/secret\n"
	write(t, filepath.Join(dir, FileName), y)
	must(t, os.Symlink("../../secret", filepath.Join(dir, "files", "link")))
	must(t, os.Symlink("inside", filepath.Join(dir, "files", "ok")))
	must(t, os.Symlink("..", filepath.Join(dir, "up")))
	_, err := Load(os.DirFS(dir), ".", dir)
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	for _, want := range []string{
		`:18:13: key "from": "files/link": is a symlink to ../../secret, outside the challenge folder`,
		`:22:13: key "from": "up/secret": is a symlink to .., outside the challenge folder`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("want %q in:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "files/ok") {
		t.Errorf("a symlink inside the folder is fine:\n%s", msg)
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	must(t, os.MkdirAll(filepath.Dir(path), 0o755))
	must(t, os.WriteFile(path, []byte(data), 0o644))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func BenchmarkLoadCatalog(b *testing.B) {
	for b.Loop() {
		c, _ := LoadCatalog(challenges.FS, nil)
		if len(c.All()) == 0 {
			b.Fatal("empty catalog")
		}
	}
}

// TestCatalogSuggestsByPart: a query too far from every id to be a typo but
// part of some ids suggests those.
func TestCatalogSuggestsByPart(t *testing.T) {
	builtin := fstest.MapFS{
		"a/ssh-key-perms/challenge.yaml": {Data: []byte(valid)},
		"a/key-login/challenge.yaml":     {Data: []byte(valid)},
		"a/cron-schedule/challenge.yaml": {Data: []byte(valid)},
	}
	c, err := LoadCatalog(builtin, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Get("Key")
	if err == nil || !strings.Contains(err.Error(), `"Key" (did you mean "key-login" or "ssh-key-perms"?)`) {
		t.Errorf("Get(Key) error %v", err)
	}
}
