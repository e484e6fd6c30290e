package sandbox

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"

	"github.com/shellgym/shellgym/images"
)

func TestImageTagFollowsDockerfile(t *testing.T) {
	if !regexp.MustCompile(`^shellgym-sandbox:[0-9a-f]{12}$`).MatchString(ImageTag()) {
		t.Errorf("tag %q", ImageTag())
	}
	old := images.Dockerfile
	defer func() { images.Dockerfile = old }()
	before := ImageTag()
	images.Dockerfile = append(bytes.Clone(old), "\n# changed\n"...)
	if ImageTag() == before {
		t.Error("a changed Dockerfile keeps the tag")
	}
}

func TestDockerfileKeepsManPages(t *testing.T) {
	df := string(images.Dockerfile)
	for _, want := range []string{"ARG BASE=debian:bookworm-slim", "FROM ${BASE}", "/etc/dpkg/dpkg.cfg.d/docker", "man-db", "--uid 1000"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
}

// TestImageContents checks what challenges rely on in the built image.
func TestImageContents(t *testing.T) {
	c := testClient(t)
	s := start(t, c, Profile{})
	r := run(t, s, "root", "man -w ls chmod; getent passwd student; for c in ps ss lsof fuser tcpdump nc socat curl python3 sudo setfacl tar zip unzip ssh sshd less vi nano file tree plocate rename htop ip netstat awk; do command -v $c >/dev/null || echo missing $c; done")
	out := string(r.Stdout)
	if !strings.Contains(out, "/usr/share/man/man1/ls.1.gz") || !strings.Contains(out, "student:x:1000:1000::/home/student:/bin/bash") || strings.Contains(out, "missing") {
		t.Errorf("image: %s %s", out, r.Stderr)
	}
}

// TestMakeBase runs debootstrap (about 30 s and network to Debian's mirror),
// so only when SHELLGYM_TEST_DEBOOTSTRAP=1. It imports to a test tag and
// removes it, leaving shellgym-base:bookworm alone.
func TestMakeBase(t *testing.T) {
	if os.Getenv("SHELLGYM_TEST_DEBOOTSTRAP") != "1" {
		t.Skip("set SHELLGYM_TEST_DEBOOTSTRAP=1 to run debootstrap")
	}
	if _, err := exec.LookPath("debootstrap"); err != nil || os.Geteuid() != 0 {
		t.Skip("needs debootstrap and root")
	}
	c := testClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	tag := "shellgym-base:test-" + testRun
	t.Cleanup(func() { c.api.ImageRemove(context.Background(), tag, image.RemoveOptions{Force: true}) })
	if err := c.makeBase(ctx, testWriter{t}, tag); err != nil {
		t.Fatal(err)
	}
	resp, err := c.api.ContainerCreate(ctx, &container.Config{Image: tag, Cmd: []string{"cat", "/etc/debian_version"},
		Labels: map[string]string{testLabel: testRun}}, &container.HostConfig{}, nil, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.removeContainer(context.Background(), resp.ID) })
	if err := c.api.ContainerStart(ctx, resp.ID, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	wait, errc := c.api.ContainerWait(ctx, resp.ID, container.WaitConditionNotRunning)
	select {
	case w := <-wait:
		if w.StatusCode != 0 {
			t.Errorf("exit %d", w.StatusCode)
		}
	case err := <-errc:
		t.Fatal(err)
	}
}
