package review

import (
	"bytes"
	"crypto/ed25519"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"testing"
	"time"

	"rxintake/audit"
	"rxintake/validate"
)

// Every action on the page is followed by a checkpoint: once the manager
// has accepted a case, a signed checkpoint covers what she did.
func TestCheckpointAfterAction(t *testing.T) {
	e := newEnv(t, nil)
	ctx := t.Context()
	signed, err := audit.NewTrail(ctx, e.db, audit.TrailOptions{
		SigningKey: ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize)), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	actions := 0
	e.srv.after = func() {
		actions++
		if _, err := signed.Checkpoint(ctx, io.Discard); err != nil {
			t.Error(err)
		}
	}
	e.seedCase(seedRecord(testCase), time.Now(), nil)
	c := e.client()
	csrf := c.signIn(testUser, testPassword)
	c.get("/cases/" + testCase)
	if actions != 0 {
		t.Errorf("%d checkpoints after signing in and viewing pages; want none", actions)
	}
	resp, _ := c.post("/cases/"+testCase+"/accept", url.Values{"csrf": {csrf}})
	if resp.StatusCode != http.StatusSeeOther || e.caseStatus(testCase) != validate.StatusComplete {
		t.Fatalf("accept: %s, %s", resp.Status, e.caseStatus(testCase))
	}
	if actions != 1 {
		t.Fatalf("%d checkpoints after one action; want 1", actions)
	}
	over := e.entries(audit.Filter{Event: audit.EventCaseOverridden})
	rep, err := signed.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(over) != 1 || !rep.OK || rep.Anchor < over[0].Seq {
		t.Errorf("after accepting: %q, anchored through entry %d; want the override (entry %v) covered", rep, rep.Anchor, over)
	}
}
