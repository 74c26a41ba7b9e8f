// Package testserver runs a server process for an integration test: it
// starts the command, waits until its output says it is up, stops it when
// the test ends and shows its log when the test failed.
package testserver

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// waitLimit bounds the wait for a server to start or stop.
const waitLimit = 60 * time.Second

// FreePort returns a loopback port nobody listens on.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Process is a server started by Start.
type Process struct {
	stop func()
}

// Stop stops the server now (SIGTERM, then SIGKILL after a minute) and
// waits for it to exit. Stopping it again does nothing.
func (p *Process) Stop() { p.stop() }

// Start starts cmd and waits until every one of ready has appeared in its
// output (stdout and stderr); name says which server in the messages. The
// server gets SIGTERM, then SIGKILL, when the test ends, or at Stop.
func Start(t testing.TB, name string, cmd *exec.Cmd, ready ...string) *Process {
	t.Helper()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		t.Fatal(err)
	}
	pw.Close()
	var (
		mu   sync.Mutex
		logs strings.Builder
	)
	out := func() string { mu.Lock(); defer mu.Unlock(); return logs.String() }
	up, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		defer pr.Close()
		sc := bufio.NewScanner(pr)
		seen := map[string]bool{}
		once := sync.OnceFunc(func() { close(up) })
		for sc.Scan() {
			mu.Lock()
			fmt.Fprintln(&logs, sc.Text())
			mu.Unlock()
			for _, r := range ready {
				if strings.Contains(sc.Text(), r) {
					seen[r] = true
				}
			}
			if len(seen) == len(ready) {
				once()
			}
		}
	}()
	stop := sync.OnceFunc(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(waitLimit):
			cmd.Process.Kill()
		}
		cmd.Wait()
	})
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("%s log:\n%s", name, out())
		}
	})
	select {
	case <-up:
	case <-exited:
		t.Fatalf("%s exited at start:\n%s", name, out())
	case <-time.After(waitLimit):
		t.Fatalf("%s did not start:\n%s", name, out())
	}
	return &Process{stop: stop}
}
