package check

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strconv"
	"sync"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/sandbox"
)

// facts is everything one evaluation pass read from the sandbox.
type facts struct {
	files  map[string]*sandbox.FileInfo
	acct   *accounts
	trees  map[string][]sandbox.FileInfo // by root directory
	snap   *sandbox.Snapshot
	inodes map[string]uint64
}

// plan is the set of reads a list of checks needs.
type plan struct {
	paths    []string
	seen     map[string]bool
	passwd   bool
	group    bool
	shadow   bool
	snapshot bool
	inodes   []string
	roots    []string
}

func (p *plan) addPath(s string) {
	if !p.seen[s] {
		p.seen[s] = true
		p.paths = append(p.paths, s)
	}
}

func (p *plan) addRoot(r string) {
	for _, x := range p.roots {
		if x == r {
			return
		}
	}
	p.roots = append(p.roots, r)
}

func isName(s *string) bool {
	if s == nil {
		return false
	}
	_, err := strconv.Atoi(*s)
	return err != nil
}

func planFor(checks []challenge.Check) *plan {
	p := &plan{seen: map[string]bool{}}
	for i := range checks {
		c := &checks[i]
		switch c.Kind {
		case challenge.KindFile:
			p.addPath(c.Subject)
			p.passwd = p.passwd || isName(c.Owner)
			p.group = p.group || isName(c.Group)
			if c.HardlinkOf != nil {
				p.inodes = append(p.inodes, c.Subject, *c.HardlinkOf)
			}
			if c.Empty != nil {
				// An empty directory is one with no entries; the listing
				// is cheap and only read when asked for.
				p.addRoot(c.Subject)
			}
		case challenge.KindPcap:
			p.addPath(c.Subject)
		case challenge.KindGlob:
			p.addRoot(globRoot(c.Subject))
		case challenge.KindUser:
			p.passwd = true
			p.group = p.group || c.Group != nil || len(c.Groups) > 0 || len(c.NotGroups) > 0
			p.shadow = p.shadow || c.Password != nil
		case challenge.KindGroup:
			p.group = true
			p.passwd = p.passwd || len(c.Members) > 0
		case challenge.KindProcess:
			p.snapshot = true
			p.passwd = p.passwd || isName(c.User)
		case challenge.KindPort:
			p.snapshot = true
		}
	}
	if p.passwd {
		p.addPath(passwdPath)
	}
	if p.group {
		p.addPath(groupPath)
	}
	if p.shadow {
		p.addPath(shadowPath)
	}
	return p
}

// gather performs a plan's reads concurrently.
func gather(ctx context.Context, st State, checks []challenge.Check) (*facts, error) {
	p := planFor(checks)
	f := &facts{files: map[string]*sandbox.FileInfo{}, trees: map[string][]sandbox.FileInfo{}}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	if len(p.paths) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			infos, err := readFiles(ctx, st, p.paths)
			if err != nil {
				fail(fmt.Errorf("read files: %w", err))
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for i := range infos {
				key := infos[i].Path
				if len(infos) == len(p.paths) {
					key = p.paths[i]
				}
				f.files[key] = &infos[i]
			}
		}()
	}
	if p.snapshot {
		wg.Add(1)
		go func() {
			defer wg.Done()
			snap, err := st.Snapshot(ctx)
			if err != nil {
				fail(fmt.Errorf("read processes: %w", err))
				return
			}
			mu.Lock()
			f.snap = snap
			mu.Unlock()
		}()
	}
	if len(p.inodes) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ino, err := st.Inodes(ctx, p.inodes)
			if err != nil {
				fail(fmt.Errorf("read inodes: %w", err))
				return
			}
			mu.Lock()
			f.inodes = ino
			mu.Unlock()
		}()
	}
	for _, root := range p.roots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			entries, err := st.ListTree(ctx, root)
			if fatal(ctx, err) {
				fail(fmt.Errorf("list %s: %w", root, err))
				return
			}
			mu.Lock()
			f.trees[root] = absolutize(root, entries)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if p.passwd || p.group || p.shadow {
		f.acct = newAccounts(f.files[passwdPath], f.files[groupPath], f.files[shadowPath])
	}
	return f, nil
}

// fatal reports whether a read error means the state cannot be read at all
// (the daemon or the sandbox is gone, the caller gave up), rather than that
// one path cannot be read: a learner can make a path unreadable (a file
// where a directory was, a symlink loop), which must fail the checks on it,
// not the whole evaluation.
func fatal(ctx context.Context, err error) bool {
	return err != nil && (ctx.Err() != nil || errors.Is(err, sandbox.ErrDaemonLost) ||
		errors.Is(err, sandbox.ErrGone) || errors.Is(err, sandbox.ErrLimit))
}

// readFiles reads paths in one batch. When the batch fails for a reason of
// one path, it reads them one by one, and a path that cannot be resolved (a
// file where a directory should be, a symlink loop) is Missing, as `test -e`
// would say.
func readFiles(ctx context.Context, st State, paths []string) ([]sandbox.FileInfo, error) {
	infos, err := st.ReadFiles(ctx, paths, MaxFileBytes)
	if err == nil || fatal(ctx, err) {
		return infos, err
	}
	out := make([]sandbox.FileInfo, len(paths))
	for i, p := range paths {
		one, err := st.ReadFiles(ctx, []string{p}, MaxFileBytes)
		switch {
		case fatal(ctx, err):
			return nil, err
		case err != nil || len(one) != 1:
			out[i] = sandbox.FileInfo{Path: p, Type: sandbox.Missing}
		default:
			out[i] = one[0]
		}
	}
	return out, nil
}

// absolutize makes entry paths absolute, whichever way the lister reports
// them, and drops the root itself. A root that is missing or not a
// directory lists no entries.
func absolutize(root string, entries []sandbox.FileInfo) []sandbox.FileInfo {
	out := entries[:0:0]
	for _, e := range entries {
		p := e.Path
		if !path.IsAbs(p) {
			p = path.Join(root, p)
		}
		p = path.Clean(p)
		if p == path.Clean(root) {
			continue
		}
		e.Path = p
		out = append(out, e)
	}
	return out
}
