package intake

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"rxintake/casefile"
	"rxintake/internal/pg"
)

// testLedger is a ledger with the case store its claims open cases in.
type testLedger struct {
	*Ledger
	cases *casefile.Store
}

// eachBackend runs test on SQLite and on PostgreSQL.
func eachBackend(t *testing.T, test func(t *testing.T, backend string)) {
	for _, backend := range pg.Backends {
		t.Run(backend, func(t *testing.T) { test(t, backend) })
	}
}

func newTestLedger(t *testing.T, backend string) testLedger {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, _ := pg.OpenDB(t, backend, dir)
	cases, err := casefile.New(ctx, db, dir)
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewLedger(ctx, db, cases)
	if err != nil {
		t.Fatal(err)
	}
	// A second open must find the tables and keep them.
	if _, err := NewLedger(ctx, db, cases); err != nil {
		t.Fatal(err)
	}
	return testLedger{l, cases}
}

func TestLedgerLife(t *testing.T) { eachBackend(t, testLedgerLife) }

func testLedgerLife(t *testing.T, backend string) {
	ctx := context.Background()
	l := newTestLedger(t, backend)
	key := MessageKey{Account: "rx@clinic.example", Mailbox: "INBOX", UIDValidity: 7, UID: 42}

	if hw, err := l.HighWater(ctx, key.Account, key.Mailbox, key.UIDValidity); err != nil || hw != 0 {
		t.Fatalf("HighWater of an empty ledger = %d, %v; want 0", hw, err)
	}
	if _, err := l.Entry(ctx, key); !errors.Is(err, ErrNoEntry) {
		t.Fatalf("Entry before claim: %v, want ErrNoEntry", err)
	}

	e, adopted, err := l.Claim(ctx, Claim{Key: key, MessageID: "a@b", SHA256: "ff", Size: 10, SenderFax: "9415550143"})
	if err != nil || adopted {
		t.Fatalf("Claim = %v, adopted %v", err, adopted)
	}
	if e.State != EntryClaimed || e.Attempts != 0 || e.CaseID == "" {
		t.Fatalf("claimed entry = %+v", e)
	}
	again, _, err := l.Claim(ctx, Claim{Key: key, MessageID: "other", SHA256: "00"})
	if err != nil || again.CaseID != e.CaseID || again.MessageID != "a@b" {
		t.Fatalf("second Claim of the same key changed it: %+v, %v", again, err)
	}
	if hw, _ := l.HighWater(ctx, key.Account, key.Mailbox, key.UIDValidity); hw != 42 {
		t.Errorf("HighWater = %d, want 42", hw)
	}
	lower := key
	lower.UID = 5
	if _, _, err := l.Claim(ctx, Claim{Key: lower}); err != nil {
		t.Fatal(err)
	}
	if hw, _ := l.HighWater(ctx, key.Account, key.Mailbox, key.UIDValidity); hw != 42 {
		t.Errorf("HighWater after claiming a lower UID = %d, want 42", hw)
	}
	c, err := l.cases.Case(ctx, e.CaseID)
	if err != nil || c.Status != casefile.StatusOpen || c.SenderFax != "9415550143" || c.MessageRef != key.String() || c.MessageSHA256 != "ff" {
		t.Fatalf("case = %+v, %v", c, err)
	}

	if e, err = l.Begin(ctx, key); err != nil || e.State != EntryProcessing || e.Attempts != 1 {
		t.Fatalf("Begin = %+v, %v", e, err)
	}
	next := time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)
	if err := l.Retry(ctx, key, "ocr timeout", next); err != nil {
		t.Fatal(err)
	}
	e, _ = l.Entry(ctx, key)
	if e.State != EntryRetry || !e.NextAttempt.Equal(next) || e.LastError != "ocr timeout" {
		t.Fatalf("after Retry: %+v", e)
	}
	if e, _ = l.Begin(ctx, key); e.Attempts != 2 {
		t.Fatalf("second Begin: attempts %d, want 2", e.Attempts)
	}
	d := Decision{Outcome: "needs-correction", Reasons: []string{"npi-invalid", "signature-missing"}, SenderAddress: "fax@svc.example"}
	if err := l.Decide(ctx, key, d); err != nil {
		t.Fatal(err)
	}
	e, _ = l.Entry(ctx, key)
	if e.State != EntryProcessed || e.Outcome != d.Outcome || !slices.Equal(e.Reasons, d.Reasons) || !e.NextAttempt.IsZero() {
		t.Fatalf("after Decide: %+v", e)
	}
	c, _ = l.cases.Case(ctx, e.CaseID)
	if c.Status != "needs-correction" || c.SenderFax != "9415550143" || c.SenderAddress != "fax@svc.example" {
		t.Fatalf("case after Decide = %+v", c)
	}

	un, err := l.Unfinished(ctx, key.Account, key.Mailbox, key.UIDValidity)
	if err != nil || len(un) != 2 || un[0].UID != 5 || un[1].UID != 42 {
		t.Fatalf("Unfinished = %+v, %v; want UIDs 5, 42", un, err)
	}
	if err := l.Filed(ctx, key, "Rx.Needs-Correction", "move"); err != nil {
		t.Fatal(err)
	}
	e, _ = l.Entry(ctx, key)
	if e.State != EntryFiled || e.Folder != "Rx.Needs-Correction" || e.FiledBy != "move" {
		t.Fatalf("after Filed: %+v", e)
	}
	if un, _ = l.Unfinished(ctx, key.Account, key.Mailbox, key.UIDValidity); len(un) != 1 {
		t.Fatalf("Unfinished after filing = %d entries, want 1", len(un))
	}

	missing := key
	missing.UID = 99
	for name, err := range map[string]error{
		"Begin":    func() error { _, err := l.Begin(ctx, missing); return err }(),
		"Retry":    l.Retry(ctx, missing, "x", next),
		"Decide":   l.Decide(ctx, missing, d),
		"Filed":    l.Filed(ctx, missing, "f", "move"),
		"Identify": l.Identify(ctx, missing, "m", "h", 1),
	} {
		if !errors.Is(err, ErrNoEntry) {
			t.Errorf("%s of an unclaimed key: %v, want ErrNoEntry", name, err)
		}
	}
	if _, err := l.cases.Case(ctx, "RX-000000"); !errors.Is(err, casefile.ErrNoCase) {
		t.Errorf("Case of an unknown id: %v, want ErrNoCase", err)
	}
}

func TestLedgerIdentify(t *testing.T) { eachBackend(t, testLedgerIdentify) }

func testLedgerIdentify(t *testing.T, backend string) {
	ctx := context.Background()
	l := newTestLedger(t, backend)
	key := MessageKey{Account: "a", Mailbox: "INBOX", UIDValidity: 1, UID: 3}
	e, _, err := l.Claim(ctx, Claim{Key: key, Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Identify(ctx, key, "m@x", "abcd", 120); err != nil {
		t.Fatal(err)
	}
	got, _ := l.Entry(ctx, key)
	if got.MessageID != "m@x" || got.SHA256 != "abcd" || got.Size != 120 {
		t.Errorf("after Identify: %+v", got)
	}
	if c, _ := l.cases.Case(ctx, e.CaseID); c.MessageSHA256 != "abcd" {
		t.Errorf("case hash after Identify = %q", c.MessageSHA256)
	}
}

// A mailbox recreated under a new UIDVALIDITY holds the same messages with new
// UIDs: the ledger recognises them by Message-ID and hash.
func TestLedgerAdoptsAcrossUIDValidity(t *testing.T) {
	eachBackend(t, testLedgerAdoptsAcrossUIDValidity)
}

func testLedgerAdoptsAcrossUIDValidity(t *testing.T, backend string) {
	ctx := context.Background()
	l := newTestLedger(t, backend)
	old := func(uid uint32) MessageKey {
		return MessageKey{Account: "a", Mailbox: "INBOX", UIDValidity: 1, UID: uid}
	}
	cur := func(uid uint32) MessageKey {
		return MessageKey{Account: "a", Mailbox: "INBOX", UIDValidity: 2, UID: uid}
	}

	// 1: filed. 2: processed, not filed. 3: waiting for a retry.
	for uid := uint32(1); uid <= 3; uid++ {
		if _, _, err := l.Claim(ctx, Claim{Key: old(uid), MessageID: "m", SHA256: string('a' + rune(uid)), Size: 5}); err != nil {
			t.Fatal(err)
		}
		l.Begin(ctx, old(uid))
	}
	l.Decide(ctx, old(1), Decision{Outcome: "complete"})
	l.Filed(ctx, old(1), "Rx/Complete", "move")
	l.Decide(ctx, old(2), Decision{Outcome: "needs-review", Reasons: []string{"unreadable"}})
	l.Retry(ctx, old(3), "disk full", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))

	for uid, want := range map[uint32]EntryState{1: EntryProcessed, 2: EntryProcessed, 3: EntryRetry} {
		prev, _ := l.Entry(ctx, old(uid))
		e, adopted, err := l.Claim(ctx, Claim{Key: cur(uid + 10), MessageID: "m", SHA256: prev.SHA256, Size: 5})
		if err != nil || !adopted {
			t.Fatalf("uid %d: Claim = %v, adopted %v", uid, err, adopted)
		}
		if e.State != want || e.CaseID != prev.CaseID || e.Outcome != prev.Outcome || e.Attempts != prev.Attempts {
			t.Errorf("uid %d: adopted %+v from %+v", uid, e, prev)
		}
		if c, _ := l.cases.Case(ctx, e.CaseID); c.MessageRef != cur(uid+10).String() {
			t.Errorf("uid %d: case message_ref = %q", uid, c.MessageRef)
		}
	}

	// Same Message-ID, other content: a different message.
	e, adopted, err := l.Claim(ctx, Claim{Key: cur(20), MessageID: "m", SHA256: "zz", Size: 5})
	if err != nil || adopted || e.State != EntryClaimed {
		t.Errorf("different content was adopted: %+v, %v, %v", e, adopted, err)
	}
	// Same UIDVALIDITY, new UID: a new arrival (someone put it back to be read again).
	e, adopted, err = l.Claim(ctx, Claim{Key: old(9), MessageID: "m", SHA256: "b", Size: 5})
	if err != nil || adopted || e.State != EntryClaimed {
		t.Errorf("a new UID under the same UIDVALIDITY was adopted: %+v, %v, %v", e, adopted, err)
	}
}
