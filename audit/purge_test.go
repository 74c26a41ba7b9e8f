package audit

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
)

// purgeFixture is the case fixture's trail (a case, its entries, a
// checkpoint) followed by three entries, a checkpoint, three more and a
// last checkpoint. It returns the seq of the middle checkpoint and the time
// between its entry and the next.
func purgeFixture(t *testing.T) (*Trail, func() Report, int64, time.Time) {
	t.Helper()
	tr, db, _ := caseFixture(t)
	ctx := t.Context()
	config := func(n int) {
		for range n {
			if err := tr.ConfigLoaded(ctx, testConfigHash, "v1"); err != nil {
				t.Fatal(err)
			}
		}
	}
	config(3)
	mid, err := tr.Checkpoint(ctx, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cut := timeNow() // between the middle checkpoint's entry and the next
	config(3)
	if _, err := tr.Checkpoint(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	verify := func() Report {
		t.Helper()
		rep, err := tr.Verify(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	if rep := verify(); !rep.OK || rep.Unanchored {
		t.Fatalf("fixture: %s", rep)
	}
	_ = db
	return tr, verify, mid.Seq, cut
}

// A purge removes the entries up to the newest checkpoint older than the
// cutoff, and the trail still verifies: intact, anchored, its case still
// covered.
func TestPurgeKeepsTheTrailVerifiable(t *testing.T) {
	tr, verify, mid, cut := purgeFixture(t)
	ctx := t.Context()
	before := verify()
	p, err := tr.Purge(ctx, cut)
	if err != nil {
		t.Fatal(err)
	}
	if p.Through != mid || p.Entries != int(mid) {
		t.Fatalf("purged %+v, want entries 1 to %d", p, mid)
	}
	if rep := verify(); !rep.OK || !rep.Unanchored {
		t.Fatalf("right after the purge: %s, want intact and the purge's entries unanchored", rep)
	}
	// The worker takes a checkpoint right after its purge.
	if _, err := tr.Checkpoint(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	rep := verify()
	if !rep.OK || rep.Unanchored || rep.PurgedThrough != mid {
		t.Fatalf("after the purge: %s (purged through %d)", rep, rep.PurgedThrough)
	}
	// What is left: the entries after the checkpoint, the purge's own entry
	// and the case's state carried forward.
	if want := int(before.HeadSeq-mid) + 2; rep.Entries != want {
		t.Errorf("%d entries left, want %d", rep.Entries, want)
	}
	if !strings.Contains(rep.String(), "entries up to "+itoa(mid)+" purged for retention") {
		t.Errorf("report: %s", rep)
	}
	list, err := tr.List(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	for _, e := range list {
		events = append(events, e.Event+"/"+e.CaseID)
	}
	joined := strings.Join(events, " ")
	if !strings.Contains(joined, EventAuditPurged+"/") || !strings.Contains(joined, EventCaseState+"/RX-CASE01") {
		t.Errorf("entries after the purge: %s, want audit-purged and the case's state carried forward", joined)
	}
	if p, err := tr.Purge(ctx, cut); err != nil || p.Entries != 0 {
		t.Errorf("second purge with the same cutoff: %+v, %v; want nothing removed", p, err)
	}
	if rep := verify(); !rep.OK {
		t.Errorf("after a second purge: %s", rep)
	}
}

// Entries removed from the beginning outside a purge are still reported,
// and so is a purge record no checkpoint vouches for.
func TestPurgeDoesNotHideRemovals(t *testing.T) {
	tr, verify, mid, cut := purgeFixture(t)
	if _, err := tr.Purge(t.Context(), cut); err != nil {
		t.Fatal(err)
	}
	tamper(t, tr.db, "DELETE FROM audit_trail WHERE seq = "+itoa(mid+1))
	if rep := verify(); rep.OK || rep.FirstBad != mid+1 || !strings.Contains(rep.Problem, "was removed") {
		t.Errorf("first entry after the purge removed: %s (first bad %d), want entry %d reported", rep, rep.FirstBad, mid+1)
	}

	tr2, verify2, mid2, _ := purgeFixture(t)
	// Someone removes the beginning and writes a purge record to cover it.
	var hash string
	if err := tr2.db.QueryRow(`SELECT hash FROM audit_trail WHERE seq = ?`, mid2-1).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	tamper(t, tr2.db, "DELETE FROM audit_trail WHERE seq < "+itoa(mid2),
		`INSERT INTO audit_purge (through_seq, hash, at, entries, checkpoint) VALUES (`+itoa(mid2-1)+`, '`+hash+`', '2026-11-20T15:00:00Z', 1, '')`)
	if rep := verify2(); rep.OK || !strings.Contains(rep.Problem, "no checkpoint records that entry") {
		t.Errorf("a forged purge record: %s", rep)
	}
}

// A segment that was changed is not purged: nothing is removed.
func TestPurgeRefusesAChangedSegment(t *testing.T) {
	tr, verify, _, cut := purgeFixture(t)
	rewrite(t, tr.db, 2, 2, func(r *row) { r.outcome = "complete" })
	p, err := tr.Purge(t.Context(), cut)
	if !errors.Is(err, ErrPurge) || p.Entries != 0 {
		t.Fatalf("purge of a changed segment: %+v, %v; want ErrPurge", p, err)
	}
	if rep := verify(); rep.OK || rep.PurgedThrough != 0 {
		t.Errorf("after the refused purge: %s", rep)
	}
}

// Nothing older than the cutoff is checkpointed: nothing is removed.
func TestPurgeNothingOldEnough(t *testing.T) {
	tr, verify, _, _ := purgeFixture(t)
	p, err := tr.Purge(t.Context(), time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || p.Entries != 0 {
		t.Errorf("purge before 2000: %+v, %v", p, err)
	}
	if rep := verify(); !rep.OK || rep.PurgedThrough != 0 {
		t.Errorf("after: %s", rep)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
