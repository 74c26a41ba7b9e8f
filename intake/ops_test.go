package intake

import (
	"context"
	"errors"
	"sync"
	"testing"

	"rxintake/audit"
)

// brokenTrail refuses every write while broken is set.
type brokenTrail struct {
	mu     sync.Mutex
	broken bool
	events int
}

func (b *brokenTrail) write() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.broken {
		return errors.New("audit: trail database: append: disk I/O error")
	}
	b.events++
	return nil
}

func (b *brokenTrail) MessageReceived(context.Context, audit.Message) error       { return b.write() }
func (b *brokenTrail) CaseOpened(context.Context, string, string) error           { return b.write() }
func (b *brokenTrail) Decision(context.Context, string, string) error             { return b.write() }
func (b *brokenTrail) MessageFiled(context.Context, string, string, string) error { return b.write() }

// A trail that cannot be written stops the cycle after the message at
// hand: the rest stay in the mailbox, untouched, until it can be.
func TestCycleStopsWhenTheTrailFails(t *testing.T) {
	srv, _ := memServer(t, memOpts{})
	cfg := testConfig(t, t.TempDir(), srv, "", "")
	trail := &brokenTrail{broken: true}
	h := newHarness(t, cfg, Options{Trail: trail})
	c := client(t, srv)
	deliver(t, c, "INBOX", rxEmail(1, ""), rxEmail(2, ""), rxEmail(3, ""))

	sum, err := h.w.RunCycle(context.Background())
	if !errors.Is(err, ErrAuditTrail) {
		t.Fatalf("cycle with the trail failing: %v, want ErrAuditTrail", err)
	}
	if sum.Fetched != 1 || sum.Filed != 1 {
		t.Errorf("cycle with the trail failing: %+v, want the first message seen through and no other taken", sum)
	}
	if n := h.countCases(t); n != 1 {
		t.Errorf("%d cases opened, want 1", n)
	}
	trail.mu.Lock()
	trail.broken = false
	trail.mu.Unlock()
	sum = h.cycle(t)
	if sum.Fetched != 2 || sum.Filed != 2 {
		t.Errorf("cycle with the trail back: %+v, want the two others", sum)
	}
}

// A cycle that cannot log in says so with a MailboxError.
func TestCycleMailboxError(t *testing.T) {
	srv, _ := memServer(t, memOpts{})
	srv.password = "not the password"
	cfg := testConfig(t, t.TempDir(), srv, "", "")
	h := newHarness(t, cfg, Options{})
	_, err := h.w.RunCycle(context.Background())
	if me := new(*MailboxError); !errors.As(err, me) {
		t.Errorf("cycle with a wrong password: %v (%T), want a MailboxError", err, err)
	}
}

func (b *brokenTrail) CycleFailed(context.Context, audit.CycleFailure) error { return b.write() }
