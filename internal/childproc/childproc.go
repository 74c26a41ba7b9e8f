// Package childproc runs a test binary again as a child process for crash
// tests: the child works until a point of the test's choosing, reports it
// on file descriptor 3 and waits for a line on its standard input; the test
// then kills it there (SIGKILL) or lets it go on.
package childproc

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// WaitLimit bounds the wait for a child to pause or finish.
const WaitLimit = 60 * time.Second

// Child is a running child process.
type Child struct {
	Cmd    *exec.Cmd
	Stdout *Buffer
	Stderr *Buffer
	stdin  io.WriteCloser
	signal *bufio.Reader
}

// Start runs the test binary with no tests selected and env added to the
// environment: the test's TestMain sees its marker there and plays the
// child. The child is killed at the end of the test if still running.
func Start(t testing.TB, env ...string) *Child {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &Child{Stdout: &Buffer{}, Stderr: &Buffer{}, signal: bufio.NewReader(r)}
	c.Cmd = exec.Command(os.Args[0], "-test.run=^$")
	c.Cmd.Env = append(os.Environ(), env...)
	c.Cmd.ExtraFiles = []*os.File{w} // fd 3
	c.Cmd.Stdout, c.Cmd.Stderr = c.Stdout, c.Stderr
	if c.stdin, err = c.Cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := c.Cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		r.Close()
		c.stdin.Close()
		if c.Cmd.ProcessState == nil {
			c.Cmd.Process.Kill()
			c.Cmd.Wait()
		}
		if t.Failed() {
			t.Logf("child stderr:\n%s", c.Stderr.String())
		}
	})
	return c
}

// WaitPaused returns the line the child reported when it paused.
func (c *Child) WaitPaused(t testing.TB) string {
	t.Helper()
	line := make(chan string, 1)
	go func() {
		s, _ := c.signal.ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case s := <-line:
		if s == "" {
			c.Cmd.Wait()
			t.Fatalf("child ended without pausing:\n%s", c.Stderr.String())
		}
		return s
	case <-time.After(WaitLimit):
		t.Fatalf("child did not pause:\n%s", c.Stderr.String())
	}
	return ""
}

// Kill ends the child with SIGKILL, as a crash would.
func (c *Child) Kill(t testing.TB) {
	t.Helper()
	if err := c.Cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	c.Cmd.Wait()
}

// Resume lets a paused child go on, waits for it to end and returns what
// it wrote on its standard output.
func (c *Child) Resume(t testing.TB) []byte {
	t.Helper()
	io.WriteString(c.stdin, "go on\n")
	if err := c.Cmd.Wait(); err != nil {
		t.Fatalf("child: %v\n%s", err, c.Stderr.String())
	}
	return []byte(c.Stdout.String())
}

// Buffer is a bytes.Buffer safe for the writer and a reader at once.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
