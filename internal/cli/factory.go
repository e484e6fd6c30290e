package cli

import (
	"context"
	"io"
	"sync"

	"github.com/shellgym/shellgym/challenges"
	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/sandbox"
)

// Factory hands commands their dependencies, built lazily on first use, so
// that --help, list and lint never touch Docker.
type Factory struct {
	In       io.Reader
	Out, Err io.Writer
	Dirs     []string // --dir

	catalogOnce sync.Once
	catalog     *challenge.Catalog
	catalogErr  error

	dockerMu sync.Mutex
	docker   *sandbox.Client
}

// NewFactory returns a Factory over the given streams.
func NewFactory(in io.Reader, out, errw io.Writer) *Factory {
	return &Factory{In: in, Out: out, Err: errw}
}

// Catalog loads the built-in catalog followed by the --dir folders.
func (f *Factory) Catalog() (*challenge.Catalog, error) {
	f.catalogOnce.Do(func() {
		f.catalog, f.catalogErr = challenge.LoadCatalog(challenges.FS, f.Dirs)
	})
	return f.catalog, f.catalogErr
}

// Docker connects to the Docker daemon once, and sweeps expired shellgym
// containers on that first connection.
func (f *Factory) Docker(ctx context.Context) (*sandbox.Client, error) {
	f.dockerMu.Lock()
	defer f.dockerMu.Unlock()
	if f.docker != nil {
		return f.docker, nil
	}
	c, err := sandbox.Connect(ctx)
	if err != nil {
		return nil, err
	}
	_, _ = c.Sweep(ctx)
	f.docker = c
	return c, nil
}

// Close removes every sandbox this process started and still holds, then
// closes the Docker connection. Main calls it on every exit path, signals
// included.
func (f *Factory) Close() {
	f.dockerMu.Lock()
	defer f.dockerMu.Unlock()
	if f.docker != nil {
		f.docker.Close()
		f.docker = nil
	}
}
