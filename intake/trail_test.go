package intake

import (
	"context"
	"testing"

	"rxintake/audit"
)

// TestTrailWithoutMessageID: a message without a Message-ID (some fax
// gateways send none; a header that cannot be parsed gives none) has its
// arrival, its case and its filing in the audit trail like any other.
func TestTrailWithoutMessageID(t *testing.T) {
	srv, _ := memServer(t, memOpts{})
	cfg := testConfig(t, t.TempDir(), srv, "", "")
	ctx := context.Background()
	h := newHarness(t, cfg, Options{})
	trail, err := audit.NewTrail(ctx, h.db, audit.TrailOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if h.w, err = New(cfg, h.l, h.fake, Options{Trail: trail}); err != nil {
		t.Fatal(err)
	}
	deliver(t, client(t, srv), "INBOX", []byte("From: fax@gateway.example\r\nTo: "+testUser+"\r\nSubject: Fax\r\n\r\nfake:review\r\n"))
	if sum := h.cycle(t); sum.Filed != 1 {
		t.Fatalf("summary %+v, want the message filed", sum)
	}
	for _, ev := range []string{audit.EventMessageReceived, audit.EventCaseOpened, audit.EventDecision, audit.EventMessageFiled} {
		if entries, err := trail.List(ctx, audit.Filter{Event: ev}); err != nil || len(entries) != 1 {
			t.Errorf("%s in the trail: %d entries (%v), want 1", ev, len(entries), err)
		}
	}
}
