package sandbox

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
)

// rawContainer creates a running shellgym-labelled container the way a dead
// shellgym would have left it.
func rawContainer(t *testing.T, c *Client, expires time.Time) string {
	t.Helper()
	ctx := context.Background()
	resp, err := c.api.ContainerCreate(ctx, &container.Config{Image: ImageTag(), Cmd: []string{"sleep", "300"}, Labels: map[string]string{
		LabelShellgym: "1", LabelExpires: strconv.FormatInt(expires.Unix(), 10), LabelRole: RoleLearner, testLabel: testRun,
	}}, &container.HostConfig{NetworkMode: "none"}, nil, nil, "")
	if resp.ID != "" {
		t.Cleanup(func() { c.removeContainer(context.Background(), resp.ID) })
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := c.api.ContainerStart(ctx, resp.ID, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	return resp.ID
}

func exists(t *testing.T, c *Client, id string) bool {
	t.Helper()
	list, err := c.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.ID == id {
			return true
		}
	}
	return false
}

func TestSweepAndRemoveAll(t *testing.T) {
	c := testClient(t)
	ctx := context.Background()
	expired := rawContainer(t, c, time.Now().Add(-time.Minute))
	live := rawContainer(t, c, time.Now().Add(time.Hour))
	mine := start(t, c, Profile{})
	n, err := c.Sweep(ctx)
	if err != nil || n != 1 {
		t.Errorf("sweep removed %d, %v; want 1", n, err)
	}
	if exists(t, c, expired) || !exists(t, c, live) || !exists(t, c, mine.ID) {
		t.Errorf("after sweep: expired %v live %v mine %v", exists(t, c, expired), exists(t, c, live), exists(t, c, mine.ID))
	}
	n, err = c.RemoveAll(ctx)
	if err != nil || n != 2 {
		t.Errorf("remove all removed %d, %v; want 2", n, err)
	}
	if exists(t, c, live) || exists(t, c, mine.ID) {
		t.Error("remove all left containers")
	}
	if err := mine.Remove(ctx); err != nil {
		t.Errorf("remove after remove all: %v", err)
	}
}

func TestCloseRemovesTrackedSandboxes(t *testing.T) {
	c := testClient(t)
	a := start(t, c, Profile{})
	b := start(t, c, Profile{})
	if err := b.Remove(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := b.Remove(context.Background()); err != nil {
		t.Errorf("second remove: %v", err)
	}
	if err := a.StartInspector(context.Background()); err != nil {
		t.Fatal(err)
	}
	other, err := Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	other.scope = c.scope
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	defer other.api.Close()
	list, err := other.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.SessionID == a.SessionID {
			t.Errorf("left after Close: %s %s %s", s.Name, s.Role, s.State)
		}
	}
}
