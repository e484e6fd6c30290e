package check

import (
	"context"
	"path"
	"strings"
	"sync"

	"github.com/shellgym/shellgym/sandbox"
)

// fakeState is a State made of func fields (docker/cli's fakeClient
// pattern); nil fields fall back to the in-memory tree and count calls.
type fakeState struct {
	files map[string]sandbox.FileInfo
	snap  *sandbox.Snapshot
	ino   map[string]uint64

	readFilesFn func(ctx context.Context, paths []string, max int64) ([]sandbox.FileInfo, error)
	execFn      func(ctx context.Context, o sandbox.ExecOptions) (*sandbox.ExecResult, error)
	inspExecFn  func(ctx context.Context, o sandbox.ExecOptions) (*sandbox.ExecResult, error)

	mu    sync.Mutex
	calls map[string]int
}

func newFake() *fakeState {
	return &fakeState{files: map[string]sandbox.FileInfo{}, snap: &sandbox.Snapshot{}, calls: map[string]int{}}
}

func (f *fakeState) count(name string) {
	f.mu.Lock()
	f.calls[name]++
	f.mu.Unlock()
}

func (f *fakeState) file(p, content string, mode uint32, uid, gid int) *fakeState {
	f.files[p] = sandbox.FileInfo{Path: p, Type: sandbox.Regular, Mode: mode, UID: uid, GID: gid, Size: int64(len(content)), Content: []byte(content)}
	return f
}

func (f *fakeState) dir(p string, mode uint32, uid, gid int) *fakeState {
	f.files[p] = sandbox.FileInfo{Path: p, Type: sandbox.Dir, Mode: mode, UID: uid, GID: gid}
	return f
}

func (f *fakeState) symlink(p, target string) *fakeState {
	f.files[p] = sandbox.FileInfo{Path: p, Type: sandbox.Symlink, Mode: 0777, LinkTarget: target}
	return f
}

func (f *fakeState) ReadFiles(ctx context.Context, paths []string, max int64) ([]sandbox.FileInfo, error) {
	f.count("ReadFiles")
	if f.readFilesFn != nil {
		return f.readFilesFn(ctx, paths, max)
	}
	out := make([]sandbox.FileInfo, len(paths))
	for i, p := range paths {
		fi, ok := f.files[p]
		if !ok {
			fi = sandbox.FileInfo{Path: p, Type: sandbox.Missing}
		}
		if int64(len(fi.Content)) > max {
			fi.Content, fi.Truncated = fi.Content[:max], true
		}
		out[i] = fi
	}
	return out, nil
}

func (f *fakeState) ListTree(ctx context.Context, dir string) ([]sandbox.FileInfo, error) {
	f.count("ListTree")
	var out []sandbox.FileInfo
	prefix := strings.TrimSuffix(dir, "/") + "/"
	for p, fi := range f.files {
		if strings.HasPrefix(p, prefix) {
			fi.Content = nil
			out = append(out, fi)
		}
	}
	fi, ok := f.files[path.Clean(dir)]
	if !ok {
		return nil, nil // as the sandbox: a missing dir lists nothing
	}
	return append([]sandbox.FileInfo{fi}, out...), nil
}

func (f *fakeState) Snapshot(ctx context.Context) (*sandbox.Snapshot, error) {
	f.count("Snapshot")
	return f.snap, nil
}

func (f *fakeState) Inodes(ctx context.Context, paths []string) (map[string]uint64, error) {
	f.count("Inodes")
	out := map[string]uint64{}
	for _, p := range paths {
		if n, ok := f.ino[p]; ok {
			out[p] = n
		}
	}
	return out, nil
}

func (f *fakeState) Exec(ctx context.Context, o sandbox.ExecOptions) (*sandbox.ExecResult, error) {
	f.count("Exec")
	if f.execFn != nil {
		return f.execFn(ctx, o)
	}
	return &sandbox.ExecResult{}, nil
}

func (f *fakeState) InspectorExec(ctx context.Context, o sandbox.ExecOptions) (*sandbox.ExecResult, error) {
	f.count("InspectorExec")
	if f.inspExecFn != nil {
		return f.inspExecFn(ctx, o)
	}
	return &sandbox.ExecResult{}, nil
}

func ptr[T any](v T) *T { return &v }

const (
	testPasswd = "root:x:0:0:root:/root:/bin/bash\n" +
		"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n" +
		"student:x:1000:1000::/home/student:/bin/bash\n" +
		"alice:x:1001:1001::/home/alice:/bin/sh\n"
	testGroup  = "root:x:0:\nadm:x:4:student\nsudo:x:27:alice\nstudent:x:1000:\nalice:x:1001:\ndevs:x:2000:alice,student\n"
	testShadow = "root:*:19000:0:99999:7:::\n" +
		"student:$y$j9T$abc$def:19000:0:99999:7:::\n" +
		"alice:!$y$j9T$abc$def:19000:0:99999:7:::\n"
)

func withAccounts(f *fakeState) *fakeState {
	return f.file(passwdPath, testPasswd, 0644, 0, 0).file(groupPath, testGroup, 0644, 0, 0).file(shadowPath, testShadow, 0640, 0, 42)
}
