package sandbox

import (
	"context"
	"fmt"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/docker/docker/client"
)

// Labels shellgym puts on every container it creates.
const (
	LabelShellgym = "shellgym"         // always "1"
	LabelSession  = "shellgym.session" // the sandbox's session id
	LabelExpires  = "shellgym.expires" // deadline, unix seconds
	LabelRole     = "shellgym.role"    // RoleLearner or RoleInspector
	RoleLearner   = "learner"
	RoleInspector = "inspector"
)

// Client is a connection to the Docker daemon that remembers the sandboxes it
// started, so that Close can remove them whatever way the program ends.
type Client struct {
	api  *client.Client
	host string

	mu   sync.Mutex
	live map[string]*Sandbox // by container ID

	// scope narrows List, Sweep and RemoveAll to containers carrying these
	// labels as well; tests set it so they never touch others' containers.
	scope map[string]string
	// diskPoll is how often the writable-layer watcher looks; 0 = default.
	diskPoll time.Duration

	// imageMu serialises EnsureImage, so parallel attempts build a missing
	// image once; imageReady remembers that the image is there.
	imageMu    sync.Mutex
	imageReady bool
}

// Connect reaches the daemon named by the environment (DOCKER_HOST and
// friends), negotiates the API version and pings it. When the daemon cannot
// be reached it returns an *UnavailableError.
func Connect(ctx context.Context) (*Client, error) {
	api, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, &UnavailableError{Host: hostFromEnv(), Err: err}
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := api.Ping(pctx); err != nil {
		api.Close()
		return nil, &UnavailableError{Host: api.DaemonHost(), Err: err}
	}
	api.NegotiateAPIVersion(pctx)
	return &Client{api: api, host: api.DaemonHost(), live: map[string]*Sandbox{}}, nil
}

func hostFromEnv() string {
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		return h
	}
	return client.DefaultDockerHost
}

// Host is the daemon address the client talks to.
func (c *Client) Host() string { return c.host }

// Close removes every sandbox this client started and still holds, each with
// a fresh 10-second context (the caller's may already be cancelled by a
// signal), then closes the connection. It returns the first removal error.
func (c *Client) Close() error {
	c.mu.Lock()
	boxes := make([]*Sandbox, 0, len(c.live))
	for _, s := range c.live {
		boxes = append(boxes, s)
	}
	c.mu.Unlock()
	errs := make([]error, len(boxes))
	var wg sync.WaitGroup
	for i, s := range boxes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			errs[i] = s.Remove(ctx)
		}()
	}
	wg.Wait()
	cerr := c.api.Close()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return cerr
}

// DaemonInfo describes the daemon, for `shellgym doctor`.
type DaemonInfo struct {
	Host             string
	ServerVersion    string
	APIVersion       string // negotiated, what this client speaks
	ServerAPIVersion string
	OS, Arch         string
	KernelVersion    string
	OperatingSystem  string
	DefaultRuntime   string
	Runtimes         []string
	StorageDriver    string
	CgroupVersion    string
	CgroupDriver     string
}

// Info asks the daemon for its version and configuration.
func (c *Client) Info(ctx context.Context) (DaemonInfo, error) {
	v, err := c.api.ServerVersion(ctx)
	if err != nil {
		return DaemonInfo{}, fmt.Errorf("daemon version: %w", lost(err))
	}
	in, err := c.api.Info(ctx)
	if err != nil {
		return DaemonInfo{}, fmt.Errorf("daemon info: %w", lost(err))
	}
	d := DaemonInfo{
		Host:             c.host,
		ServerVersion:    v.Version,
		APIVersion:       c.api.ClientVersion(),
		ServerAPIVersion: v.APIVersion,
		OS:               v.Os,
		Arch:             v.Arch,
		KernelVersion:    v.KernelVersion,
		OperatingSystem:  in.OperatingSystem,
		DefaultRuntime:   in.DefaultRuntime,
		StorageDriver:    in.Driver,
		CgroupVersion:    in.CgroupVersion,
		CgroupDriver:     in.CgroupDriver,
	}
	for name := range in.Runtimes {
		d.Runtimes = append(d.Runtimes, name)
	}
	sort.Strings(d.Runtimes)
	return d, nil
}

func (c *Client) track(s *Sandbox) {
	c.mu.Lock()
	c.live[s.ID] = s
	c.mu.Unlock()
}

func (c *Client) untrack(s *Sandbox) {
	c.mu.Lock()
	delete(c.live, s.ID)
	c.mu.Unlock()
}
