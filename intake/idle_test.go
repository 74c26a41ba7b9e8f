package intake

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
)

// idleCaps is what the in-memory server offers when it offers IDLE.
var idleCaps = imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapMove: {}, imap.CapUIDPlus: {}, imap.CapNamespace: {}, imap.CapIdle: {}}

// watching runs Watch until the test ends; each wake is a value on the
// returned channel, and Watch's return is on done.
func watching(t *testing.T, h *harness) (wakes <-chan struct{}, done <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w := make(chan struct{}, 100)
	d := make(chan error, 1)
	go func() {
		d <- h.w.Watch(ctx, func() {
			select {
			case w <- struct{}{}:
			default:
			}
		})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-d:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Watch returned %v after the end, want context.Canceled", err)
			}
		case <-time.After(waitLimit):
			t.Error("Watch did not return when its context ended")
		}
	})
	return w, d
}

func waitWake(t *testing.T, wakes <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-wakes:
	case <-time.After(waitLimit):
		t.Fatalf("no wake %s within %s", what, waitLimit)
	}
}

// A message delivered while the worker watches the folder starts a cycle
// that files it, with no schedule involved.
func TestWatchWakesOnNewMail(t *testing.T) {
	srv, _ := memServer(t, memOpts{caps: idleCaps, pollIdle: true})
	cfg := testConfig(t, t.TempDir(), srv, "", "")
	h := newHarness(t, cfg, Options{})
	wakes, _ := watching(t, h)
	waitWake(t, wakes, "when IDLE began")

	c := client(t, srv)
	deliver(t, c, "INBOX", rxEmail(1, "fake:correction"))
	waitWake(t, wakes, "after a delivery")
	if sum := h.cycle(t); sum.Fetched != 1 || sum.NeedsCorrection != 1 || sum.Filed != 1 {
		t.Errorf("the woken cycle: %+v, want the new message fetched and filed", sum)
	}
	ids, _ := folderMail(t, c, "Rx/Needs-Correction")
	sameIDs(t, "Rx/Needs-Correction", ids, []string{msgID("rx", 1)})
	if !strings.Contains(h.logs.String(), "watching the mailbox with IDLE") {
		t.Errorf("log does not say the folder is watched:\n%s", h.logs.String())
	}
}

// A connection cut under the watcher is made again, and mail delivered
// after that still wakes it.
func TestWatchReconnects(t *testing.T) {
	defer func(d time.Duration) { idleRetryFirst = d }(idleRetryFirst)
	idleRetryFirst = 10 * time.Millisecond
	conns := &connList{}
	srv, _ := memServer(t, memOpts{caps: idleCaps, conns: conns, pollIdle: true})
	cfg := testConfig(t, t.TempDir(), srv, "", "")
	h := newHarness(t, cfg, Options{})
	wakes, _ := watching(t, h)
	waitWake(t, wakes, "when IDLE began")

	conns.cut()
	waitWake(t, wakes, "when IDLE began again after the cut")
	if !strings.Contains(h.logs.String(), "IDLE connection lost; reconnecting") {
		t.Errorf("log does not report the lost connection:\n%s", h.logs.String())
	}
	deliver(t, client(t, srv), "INBOX", rxEmail(2, ""))
	waitWake(t, wakes, "after a delivery on the new connection")
	if sum := h.cycle(t); sum.Fetched != 1 || sum.Complete != 1 {
		t.Errorf("the woken cycle: %+v, want the new message complete", sum)
	}
}

// plainIMAP4 is an IMAP4rev1 server of the oldest kind (go-imap's own
// server always offers IDLE): it greets, logs in, names its capabilities
// without IDLE, lists its delimiter and says goodbye.
func plainIMAP4(t *testing.T) server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				fmt.Fprint(conn, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n")
				sc := bufio.NewScanner(conn)
				for sc.Scan() {
					tag, cmd, _ := strings.Cut(sc.Text(), " ")
					verb, _, _ := strings.Cut(cmd, " ")
					switch strings.ToUpper(verb) {
					case "CAPABILITY":
						fmt.Fprint(conn, "* CAPABILITY IMAP4rev1 UIDPLUS\r\n")
					case "LIST":
						fmt.Fprint(conn, "* LIST (\\Noselect) \"/\" \"\"\r\n")
					case "LOGOUT":
						fmt.Fprintf(conn, "* BYE\r\n%s OK done\r\n", tag)
						return
					case "LOGIN", "NOOP":
					default:
						fmt.Fprintf(conn, "%s BAD not here\r\n", tag)
						continue
					}
					fmt.Fprintf(conn, "%s OK done\r\n", tag)
				}
			}()
		}
	}()
	return server{host: "127.0.0.1", port: ln.Addr().(*net.TCPAddr).Port, tlsMode: "none", user: testUser, password: testPassword}
}

// A server without IDLE is said so at once: the schedule alone runs the
// cycles.
func TestWatchWithoutIdle(t *testing.T) {
	srv := plainIMAP4(t)
	cfg := testConfig(t, t.TempDir(), srv, "", "")
	h := newHarness(t, cfg, Options{})
	err := h.w.Watch(context.Background(), func() { t.Error("woken by a server without IDLE") })
	if !errors.Is(err, ErrNoIdle) {
		t.Fatalf("Watch = %v, want ErrNoIdle", err)
	}
}

// The waits between reconnections double from idleRetryFirst up to
// idleRetryMax, each drawn from the upper half of its step.
func TestIdleRetry(t *testing.T) {
	for _, tc := range []struct {
		n      int
		lo, hi time.Duration
	}{
		{1, 500 * time.Millisecond, time.Second},
		{2, time.Second, 2 * time.Second},
		{5, 8 * time.Second, 16 * time.Second},
		{9, 128 * time.Second, 256 * time.Second},
		{10, 150 * time.Second, 5 * time.Minute},
		{50, 150 * time.Second, 5 * time.Minute},
	} {
		lo, hi := idleRetry(tc.n, func() float64 { return 0 }), idleRetry(tc.n, func() float64 { return 0.999999 })
		if lo != tc.lo || hi < tc.hi-time.Millisecond || hi > tc.hi {
			t.Errorf("attempt %d: waits %s to %s, want %s to %s", tc.n, lo, hi, tc.lo, tc.hi)
		}
	}
}
