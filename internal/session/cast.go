package session

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
	"unicode/utf8"
)

// cast writes an asciicast v2 recording: a header line, then one
// [seconds, "o", text] event per write. Writes may split a UTF-8 sequence;
// the incomplete tail is held back until the next write.
type cast struct {
	mu      sync.Mutex
	f       *os.File
	w       *bufio.Writer
	start   time.Time
	pending []byte
	err     error
}

type castHeader struct {
	Version   int               `json:"version"`
	Width     int               `json:"width"`
	Height    int               `json:"height"`
	Timestamp int64             `json:"timestamp"`
	Env       map[string]string `json:"env"`
}

// createCast creates path and writes the header.
func createCast(path string, width, height int, env map[string]string) (*cast, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create recording: %w", err)
	}
	c := &cast{f: f, w: bufio.NewWriter(f), start: time.Now()}
	h, _ := json.Marshal(castHeader{Version: 2, Width: width, Height: height, Timestamp: c.start.Unix(), Env: env})
	c.w.Write(h)
	c.w.WriteByte('\n')
	return c, nil
}

// Write records p as an output event. It never fails the caller's write:
// a recording error is kept and reported by Close.
func (c *cast) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return len(p), nil
	}
	data := append(c.pending, p...)
	cut := len(data)
	// Hold back at most 3 bytes of an incomplete trailing sequence.
	for i := len(data) - 1; i >= 0 && i >= len(data)-3; i-- {
		if utf8.RuneStart(data[i]) {
			if !utf8.FullRune(data[i:]) {
				cut = i
			}
			break
		}
	}
	c.pending = append([]byte(nil), data[cut:]...)
	if cut > 0 {
		c.event(string(data[:cut]))
	}
	return len(p), nil
}

func (c *cast) event(s string) {
	t := time.Since(c.start).Seconds()
	ev, _ := json.Marshal([]any{json.Number(fmt.Sprintf("%.6f", t)), "o", s})
	if _, err := c.w.Write(append(ev, '\n')); err != nil {
		c.err = err
	}
}

// Close flushes the recording.
func (c *cast) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) > 0 && c.err == nil {
		c.event(string(c.pending))
		c.pending = nil
	}
	if err := c.w.Flush(); err != nil && c.err == nil {
		c.err = err
	}
	if err := c.f.Close(); err != nil && c.err == nil {
		c.err = err
	}
	if c.err != nil {
		return fmt.Errorf("write recording: %w", c.err)
	}
	return nil
}

var _ io.WriteCloser = (*cast)(nil)
