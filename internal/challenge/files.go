package challenge

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// maxLinks bounds symlink resolution, as the kernel's ELOOP does.
const maxLinks = 40

// checkFrom reports whether p names a regular file inside the challenge
// folder fsys: relative, no "..", and no symlink on the way that points out
// of the folder.
func checkFrom(fsys fs.FS, p string) error {
	if path.IsAbs(p) {
		return fmt.Errorf("%q must be a path inside the challenge folder, not an absolute path", p)
	}
	for _, elem := range strings.Split(p, "/") {
		if elem == ".." {
			return fmt.Errorf("%q leaves the challenge folder (\"..\" is not allowed)", p)
		}
	}
	resolved, err := resolveInside(fsys, path.Clean(p))
	if err != nil {
		return fmt.Errorf("%q: %w", p, err)
	}
	info, err := fs.Stat(fsys, resolved)
	if err != nil {
		return fmt.Errorf("%q: %w", p, unwrapPathError(err))
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%q is not a regular file", p)
	}
	return nil
}

// resolveInside follows symlinks in p one element at a time and returns the
// resolved path, or an error if a link leads out of fsys's root.
func resolveInside(fsys fs.FS, p string) (string, error) {
	if _, ok := fsys.(fs.ReadLinkFS); !ok {
		return p, nil // the embedded catalog holds no symlinks
	}
	todo := strings.Split(p, "/")
	done := "."
	for links := 0; len(todo) > 0; {
		elem := todo[0]
		todo = todo[1:]
		next := path.Join(done, elem)
		info, err := fs.Lstat(fsys, next)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return "", errors.New("no such file in the challenge folder")
			}
			return "", unwrapPathError(err)
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			done = next
			continue
		}
		if links++; links > maxLinks {
			return "", errors.New("too many levels of symbolic links")
		}
		target, err := fs.ReadLink(fsys, next)
		if err != nil {
			return "", unwrapPathError(err)
		}
		if path.IsAbs(target) {
			return "", fmt.Errorf("is a symlink to %s, outside the challenge folder", target)
		}
		joined := path.Join(done, target)
		if joined == ".." || strings.HasPrefix(joined, "../") {
			return "", fmt.Errorf("is a symlink to %s, outside the challenge folder", target)
		}
		// Restart from the root with the link replaced by its target.
		rest := append(strings.Split(joined, "/"), todo...)
		todo, done = rest, "."
	}
	return done, nil
}
