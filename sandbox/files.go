package sandbox

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
)

// File is a file or directory to create in a sandbox.
type File struct {
	Path    string // absolute
	Content []byte
	Mode    uint32 // permission bits including setuid, setgid and sticky
	UID     int
	GID     int
	Dir     bool
	ModTime time.Time // zero: the time of the copy, as a file written now would have
}

// CopyIn writes files into the sandbox in one archive, with their modes and
// owners. Missing parent directories are created (root-owned, 0755);
// existing ones are left as they are.
func (s *Sandbox) CopyIn(ctx context.Context, files []File) error {
	archive, err := Archive(files)
	if err != nil {
		return fmt.Errorf("copy in: %w", err)
	}
	if err := s.c.api.CopyToContainer(ctx, s.ID, "/", archive, container.CopyToContainerOptions{}); err != nil {
		return fmt.Errorf("copy into %s: %w", short(s.ID), s.apiErr(err))
	}
	return nil
}

// Archive is files as a tar stream rooted at /, as CopyIn writes them: for
// a caller that hands the files to a process in the sandbox (`tar -x -C /`
// on an exec's stdin) to save a round trip.
func Archive(files []File) (io.Reader, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	now := time.Now()
	for _, f := range files {
		p := path.Clean("/" + f.Path)
		if p == "/" {
			return nil, fmt.Errorf("bad path %q", f.Path)
		}
		h := &tar.Header{Name: strings.TrimPrefix(p, "/"), Mode: int64(f.Mode & 0o7777), Uid: f.UID, Gid: f.GID, Format: tar.FormatPAX, ModTime: now}
		if !f.ModTime.IsZero() {
			h.ModTime = f.ModTime
		}
		if f.Dir {
			h.Typeflag = tar.TypeDir
			h.Name += "/"
		} else {
			h.Typeflag = tar.TypeReg
			h.Size = int64(len(f.Content))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.Content); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return &buf, nil
}

// FileType is what a path is.
type FileType int

// File types reported by ReadFiles and ListTree.
const (
	Missing FileType = iota
	Regular
	Dir
	Symlink
	Other
)

func (t FileType) String() string {
	return [...]string{"missing", "file", "dir", "symlink", "other"}[t]
}

// FileInfo is a path's header and, for regular files read by ReadFiles, its
// content.
type FileInfo struct {
	Path       string
	Type       FileType
	Mode       uint32 // 07777 bits
	UID, GID   int
	Size       int64
	LinkTarget string
	Content    []byte
	Truncated  bool // Content stops at maxBytes
}

// ReadFiles reads each path through the archive API, in parallel, without
// running anything in the container. It returns one FileInfo per path in
// order; an absent path has Type Missing. A symlink is reported as such, not
// followed. Regular files come with up to maxBytes of content.
func (s *Sandbox) ReadFiles(ctx context.Context, paths []string, maxBytes int64) ([]FileInfo, error) {
	out := make([]FileInfo, len(paths))
	errs := make([]error, len(paths))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i], errs[i] = s.readFile(ctx, p, maxBytes)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Sandbox) readFile(ctx context.Context, p string, maxBytes int64) (FileInfo, error) {
	p = path.Clean("/" + p)
	fi := FileInfo{Path: p}
	rc, _, err := s.c.api.CopyFromContainer(ctx, s.ID, p)
	if err != nil {
		if cerrdefs.IsNotFound(err) && !strings.Contains(err.Error(), "No such container") {
			return fi, nil
		}
		return fi, fmt.Errorf("read %s: %w", p, s.apiErr(err))
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	h, err := tr.Next()
	if err != nil {
		return fi, fmt.Errorf("read %s: %w", p, lost(err))
	}
	fillInfo(&fi, h)
	if fi.Type == Regular {
		fi.Content, err = io.ReadAll(io.LimitReader(tr, maxBytes))
		if err != nil {
			return fi, fmt.Errorf("read %s: %w", p, lost(err))
		}
		fi.Truncated = fi.Size > maxBytes
	}
	return fi, nil
}

func fillInfo(fi *FileInfo, h *tar.Header) {
	fi.Mode = uint32(h.Mode) & 0o7777
	fi.UID, fi.GID = h.Uid, h.Gid
	fi.Size = h.Size
	switch h.Typeflag {
	case tar.TypeReg, tar.TypeLink:
		fi.Type = Regular
	case tar.TypeDir:
		fi.Type = Dir
	case tar.TypeSymlink:
		fi.Type = Symlink
		fi.LinkTarget = h.Linkname
	default:
		fi.Type = Other
	}
}

// ListTree returns the header of dir and of every entry under it, in
// archive order, without content. A missing dir gives an empty list.
func (s *Sandbox) ListTree(ctx context.Context, dir string) ([]FileInfo, error) {
	dir = path.Clean("/" + dir)
	rc, _, err := s.c.api.CopyFromContainer(ctx, s.ID, dir)
	if err != nil {
		if cerrdefs.IsNotFound(err) && !strings.Contains(err.Error(), "No such container") {
			return nil, nil
		}
		return nil, fmt.Errorf("list %s: %w", dir, s.apiErr(err))
	}
	defer rc.Close()
	// Member names start with dir's base name ("student/.bashrc" for
	// /home/student), or are "." based for "/".
	parent := path.Dir(dir)
	var out []FileInfo
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", dir, lost(err))
		}
		name := strings.TrimSuffix(h.Name, "/")
		var p string
		if dir == "/" {
			p = path.Clean("/" + name)
		} else {
			p = path.Join(parent, name)
		}
		fi := FileInfo{Path: p}
		fillInfo(&fi, h)
		if h.Typeflag == tar.TypeLink {
			fi.Size = 0
		}
		out = append(out, fi)
	}
}
