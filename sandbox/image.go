package sandbox

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/image"

	"github.com/shellgym/shellgym/images"
)

// Image names.
const (
	OnlineBase  = "debian:bookworm-slim"   // base of an online build
	OfflineBase = "shellgym-base:bookworm" // base made by debootstrap
	imageRepo   = "shellgym-sandbox"
)

// ImageTag is the sandbox image's tag: shellgym-sandbox:<12 hex digits of the
// Dockerfile's SHA-256>, so a changed Dockerfile names a new image.
func ImageTag() string {
	sum := sha256.Sum256(images.Dockerfile)
	return imageRepo + ":" + hex.EncodeToString(sum[:])[:12]
}

// BuildOptions controls BuildImage.
type BuildOptions struct {
	Offline  bool      // build FROM a debootstrap base instead of pulling one
	NoCache  bool      // no layer cache; with Offline, also remake the base
	Progress io.Writer // build output; nil discards it
}

// EnsureImage returns the sandbox image's tag, building it first (with
// progress on w) when the daemon does not have it. A client asks the daemon
// once; callers in parallel wait for a single build.
func (c *Client) EnsureImage(ctx context.Context, w io.Writer) (string, error) {
	tag := ImageTag()
	c.imageMu.Lock()
	defer c.imageMu.Unlock()
	if c.imageReady {
		return tag, nil
	}
	ok, err := c.HasImage(ctx, tag)
	if err != nil {
		return tag, err
	}
	if !ok {
		if w == nil {
			w = io.Discard
		}
		fmt.Fprintf(w, "shellgym: building the sandbox image %s (first use, takes a few minutes)\n", tag)
		if tag, err = c.BuildImage(ctx, BuildOptions{Progress: w}); err != nil {
			return tag, err
		}
	}
	c.imageReady = true
	return tag, nil
}

// HasImage reports whether the daemon has the image ref.
func (c *Client) HasImage(ctx context.Context, ref string) (bool, error) {
	_, err := c.api.ImageInspect(ctx, ref)
	if err == nil {
		return true, nil
	}
	if cerrdefs.IsNotFound(err) {
		return false, nil
	}
	return false, fmt.Errorf("inspect image %s: %w", ref, lost(err))
}

// BuildImage builds the sandbox image through the Engine API and returns its
// tag. Online it builds FROM debian:bookworm-slim, pulling it if needed; when
// that pull fails it falls back to the offline path if debootstrap is
// installed, else it returns an error matching ErrBaseUnavailable. Offline it
// builds FROM shellgym-base:bookworm, making that base with debootstrap when
// it is missing (or always, with NoCache).
func (c *Client) BuildImage(ctx context.Context, o BuildOptions) (string, error) {
	w := o.Progress
	if w == nil {
		w = io.Discard
	}
	base := OnlineBase
	if o.Offline {
		base = OfflineBase
		if err := c.ensureOfflineBase(ctx, w, o.NoCache); err != nil {
			return "", err
		}
	} else if err := c.pullBase(ctx, w); err != nil {
		if _, lerr := exec.LookPath("debootstrap"); lerr != nil || errors.Is(err, ErrDaemonLost) {
			return "", fmt.Errorf("pull %s: %w: %w", OnlineBase, ErrBaseUnavailable, err)
		}
		fmt.Fprintf(w, "shellgym: cannot pull %s (%v); bootstrapping a base with debootstrap instead\n", OnlineBase, err)
		base = OfflineBase
		if err := c.ensureOfflineBase(ctx, w, false); err != nil {
			return "", err
		}
	}
	return c.buildFrom(ctx, base, o.NoCache, w)
}

func (c *Client) pullBase(ctx context.Context, w io.Writer) error {
	ok, err := c.HasImage(ctx, OnlineBase)
	if err != nil || ok {
		return err
	}
	fmt.Fprintf(w, "shellgym: pulling %s\n", OnlineBase)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	rc, err := c.api.ImagePull(pctx, OnlineBase, image.PullOptions{})
	if err != nil {
		return lost(err)
	}
	defer rc.Close()
	return streamJSON(rc, w)
}

func (c *Client) buildFrom(ctx context.Context, base string, noCache bool, w io.Writer) (string, error) {
	tag := ImageTag()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	hdr := &tar.Header{Name: "Dockerfile", Mode: 0o644, Size: int64(len(images.Dockerfile)), ModTime: time.Unix(0, 0)}
	if err := tw.WriteHeader(hdr); err != nil {
		return "", err
	}
	if _, err := tw.Write(images.Dockerfile); err != nil {
		return "", err
	}
	if err := tw.Close(); err != nil {
		return "", err
	}
	resp, err := c.api.ImageBuild(ctx, &buf, build.ImageBuildOptions{
		Tags:        []string{tag},
		BuildArgs:   map[string]*string{"BASE": &base},
		Labels:      map[string]string{"shellgym.image": "sandbox"},
		Remove:      true,
		ForceRemove: true,
		NoCache:     noCache,
		Version:     build.BuilderV1,
	})
	if err != nil {
		return "", fmt.Errorf("build %s: %w", tag, lost(err))
	}
	defer resp.Body.Close()
	if err := streamJSON(resp.Body, w); err != nil {
		return "", fmt.Errorf("build %s: %w", tag, lost(err))
	}
	return tag, nil
}

// streamJSON copies a JSON message stream (build or pull output) to w as
// text and returns the error the stream reports, if any.
func streamJSON(r io.Reader, w io.Writer) error {
	dec := json.NewDecoder(r)
	lastStatus := ""
	for {
		var m struct {
			Stream   string `json:"stream"`
			Status   string `json:"status"`
			ID       string `json:"id"`
			Progress string `json:"progress"`
			Error    string `json:"error"`
			Detail   struct {
				Message string `json:"message"`
			} `json:"errorDetail"`
		}
		if err := dec.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		switch {
		case m.Error != "":
			return errors.New(m.Error)
		case m.Stream != "":
			io.WriteString(w, m.Stream)
		case m.Status != "" && m.Progress == "":
			line := m.Status
			if m.ID != "" {
				line = m.ID + ": " + line
			}
			if line != lastStatus {
				fmt.Fprintln(w, line)
				lastStatus = line
			}
		}
	}
}

// ensureOfflineBase makes shellgym-base:bookworm with debootstrap unless it
// exists already (and remake is false).
func (c *Client) ensureOfflineBase(ctx context.Context, w io.Writer, remake bool) error {
	if !remake {
		ok, err := c.HasImage(ctx, OfflineBase)
		if err != nil || ok {
			return err
		}
	}
	return c.MakeBase(ctx, w)
}

// MakeBase runs `debootstrap --variant=minbase bookworm` into a temporary
// directory and imports the result as shellgym-base:bookworm through the
// Engine API. It needs root and debootstrap on this host. The mirror is
// $SHELLGYM_DEBIAN_MIRROR, default http://deb.debian.org/debian.
func (c *Client) MakeBase(ctx context.Context, w io.Writer) error {
	return c.makeBase(ctx, w, OfflineBase)
}

func (c *Client) makeBase(ctx context.Context, w io.Writer, tag string) error {
	if w == nil {
		w = io.Discard
	}
	if _, err := exec.LookPath("debootstrap"); err != nil {
		return fmt.Errorf("make base image: debootstrap is not installed: %w", ErrBaseUnavailable)
	}
	mirror := os.Getenv("SHELLGYM_DEBIAN_MIRROR")
	if mirror == "" {
		mirror = "http://deb.debian.org/debian"
	}
	dir, err := os.MkdirTemp("", "shellgym-base-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(w, "shellgym: debootstrap --variant=minbase bookworm (%s)\n", mirror)
	boot := exec.CommandContext(ctx, "debootstrap", "--variant=minbase", "bookworm", dir, mirror)
	boot.Stdout, boot.Stderr = w, w
	if err := boot.Run(); err != nil {
		return fmt.Errorf("debootstrap: %w", err)
	}
	// The archive goes to a file first, so a failing tar cannot import a
	// truncated image under the tag.
	archive := dir + ".tar"
	defer os.Remove(archive)
	tarc := exec.CommandContext(ctx, "tar", "--numeric-owner", "--xattrs", "-C", dir, "-cf", archive, ".")
	tarc.Stdout, tarc.Stderr = w, w
	if err := tarc.Run(); err != nil {
		return fmt.Errorf("tar %s: %w", dir, err)
	}
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintf(w, "shellgym: importing %s\n", tag)
	rc, err := c.api.ImageImport(ctx, image.ImportSource{Source: f, SourceName: "-"}, tag,
		image.ImportOptions{Changes: []string{`CMD ["/bin/bash"]`}})
	if err != nil {
		return fmt.Errorf("import %s: %w", tag, lost(err))
	}
	defer rc.Close()
	if err := streamJSON(rc, w); err != nil {
		return fmt.Errorf("import %s: %w", tag, err)
	}
	return nil
}
