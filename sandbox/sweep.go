package sandbox

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
)

// Summary describes one shellgym container on the daemon.
type Summary struct {
	ID        string
	Name      string
	SessionID string
	Role      string // RoleLearner or RoleInspector
	Image     string
	State     string // running, exited, created, ...
	Created   time.Time
	Expires   time.Time // zero if the label is missing or bad
	Labels    map[string]string
}

// Expired reports whether the container's deadline has passed at now.
func (s Summary) Expired(now time.Time) bool {
	return !s.Expires.IsZero() && !now.Before(s.Expires)
}

// List returns every shellgym container on the daemon, running or not.
func (c *Client) List(ctx context.Context) ([]Summary, error) {
	f := filters.NewArgs(filters.Arg("label", LabelShellgym+"=1"))
	for k, v := range c.scope {
		f.Add("label", k+"="+v)
	}
	list, err := c.api.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", lost(err))
	}
	out := make([]Summary, 0, len(list))
	for _, s := range list {
		sum := Summary{
			ID:        s.ID,
			SessionID: s.Labels[LabelSession],
			Role:      s.Labels[LabelRole],
			Image:     s.Image,
			State:     string(s.State),
			Created:   time.Unix(s.Created, 0),
			Labels:    s.Labels,
		}
		if len(s.Names) > 0 {
			sum.Name = strings.TrimPrefix(s.Names[0], "/")
		}
		if n, err := strconv.ParseInt(s.Labels[LabelExpires], 10, 64); err == nil {
			sum.Expires = time.Unix(n, 0)
		}
		out = append(out, sum)
	}
	return out, nil
}

// Sweep removes shellgym containers whose deadline has passed, or that have
// stopped without removing themselves, and returns how many it removed.
// Containers still running within their deadline are left alone: another
// shellgym may be using them.
func (c *Client) Sweep(ctx context.Context) (int, error) {
	return c.removeWhere(ctx, func(s Summary) bool {
		return s.Expired(time.Now()) || s.State == "exited" || s.State == "dead"
	})
}

// RemoveAll removes every shellgym container, in use or not (`shellgym
// clean`), and returns how many it removed.
func (c *Client) RemoveAll(ctx context.Context) (int, error) {
	return c.removeWhere(ctx, func(Summary) bool { return true })
}

func (c *Client) removeWhere(ctx context.Context, match func(Summary) bool) (int, error) {
	list, err := c.List(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range list {
		if !match(s) {
			continue
		}
		if err := c.removeContainer(ctx, s.ID); err != nil {
			return n, err
		}
		n++
		c.mu.Lock()
		if b := c.live[s.ID]; b != nil {
			delete(c.live, s.ID)
			b.mu.Lock()
			b.removed = true
			b.mu.Unlock()
		}
		c.mu.Unlock()
	}
	return n, nil
}
