package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"rxintake/internal/sqldb"
)

// Retention (docs/operations.md): Purge removes the entries older than
// retention.audit, by checkpointed segment. It removes the entries up to a
// checkpoint's entry (the newest checkpoint whose entry is older than the
// cutoff), after checking that segment's chain, and records in audit_purge
// the checkpoint and its hash. Verify then starts the chain from that hash:
// the first entry kept must chain to it, and a checkpoint must vouch for
// it, so that entries removed from the beginning outside a purge are still
// reported. Each case whose entries all went gets a case-state entry that
// carries its last recorded state forward, and the purge itself is an
// audit-purged entry. The application removes nothing else, ever.

// EventAuditPurged records a retention purge of the trail.
const EventAuditPurged = "audit-purged"

// ErrPurge reports a purge refused: the segment to remove is not intact.
// Nothing was removed.
var ErrPurge = errors.New("audit: purge refused")

// Purged is what one Purge removed.
type Purged struct {
	Through int64  // the last entry removed, 0 when none was
	Hash    string // its hash, which the first entry kept chains to
	Entries int    // entries removed
}

type purgeDetail struct {
	Through    int64  `json:"through_seq"`
	Hash       string `json:"hash"`
	Entries    int    `json:"entries"`
	Before     string `json:"before"`
	Checkpoint string `json:"checkpoint_at"`
}

// purgeBase is where the trail begins: the last purge's entry and hash, or
// 0 and the genesis hash.
func purgeBase(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int64, string, error) {
	var seq int64
	hash := genesisHash
	err := q.QueryRowContext(ctx, `SELECT through_seq, hash FROM audit_purge ORDER BY through_seq DESC LIMIT 1`).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, genesisHash, nil
	}
	return seq, hash, err
}

// Purge removes the entries written before before, up to the newest
// checkpoint that covers only such entries and leaves at least one entry
// after it. Without such a checkpoint it removes nothing.
func (t *Trail) Purge(ctx context.Context, before time.Time) (Purged, error) {
	fail := func(err error) (Purged, error) { return Purged{}, fmt.Errorf("%w: purge: %v", ErrStore, err) }
	t.mu.Lock()
	defer t.mu.Unlock()
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	baseSeq, baseHash, err := purgeBase(ctx, tx)
	if err != nil {
		return fail(err)
	}
	var head int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM audit_trail`).Scan(&head); err != nil {
		return fail(err)
	}
	// The newest checkpoint past the base, short of the head, whose entry
	// is older than before.
	rows, err := tx.QueryContext(ctx, `SELECT c.seq, c.hash, c.at, t.at FROM audit_checkpoint c JOIN audit_trail t ON t.seq = c.seq
		WHERE c.seq > ? AND c.seq < ? ORDER BY c.seq DESC, c.id DESC`, baseSeq, head)
	if err != nil {
		return fail(err)
	}
	var cp Checkpoint
	var cpAt string
	for rows.Next() {
		var seq int64
		var hash, at, entryAt string
		if err := rows.Scan(&seq, &hash, &at, &entryAt); err != nil {
			rows.Close()
			return fail(err)
		}
		if e, err := time.Parse(time.RFC3339Nano, entryAt); err == nil && e.Before(before) {
			cp.Seq, cp.Hash, cpAt = seq, hash, at
			break
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	if cp.Seq == 0 {
		return Purged{}, nil
	}

	// The segment must be intact: a purge never hides a change.
	v := chainCheck{last: row{seq: baseSeq}, prevHash: baseHash}
	seg, err := tx.QueryContext(ctx, `SELECT `+rowColumns+` FROM audit_trail WHERE seq <= ? ORDER BY seq`, cp.Seq)
	if err != nil {
		return fail(err)
	}
	for seg.Next() {
		r, err := scanRow(seg)
		if err != nil {
			seg.Close()
			return fail(err)
		}
		v.next(r)
	}
	seg.Close()
	if err := seg.Err(); err != nil {
		return fail(err)
	}
	switch {
	case v.problem != "":
		return Purged{}, fmt.Errorf("%w: the entries to remove are not intact: %s", ErrPurge, v.problem)
	case v.last.seq != cp.Seq || v.prevHash != cp.Hash:
		return Purged{}, fmt.Errorf("%w: entry %d does not match the checkpoint taken %s", ErrPurge, cp.Seq, cpAt)
	}

	// The cases that keep no entry: their last recorded state is carried
	// forward.
	trails, err := caseTrails(ctx, tx)
	if err != nil {
		return fail(err)
	}
	var carry []string
	for id, c := range trails {
		if c.stateSeq > 0 && c.stateSeq <= cp.Seq && c.activity <= cp.Seq && c.outside == 0 {
			carry = append(carry, id)
		}
	}

	// The guard against deletes is lifted inside this transaction only.
	d := sqldb.DialectOf(t.db)
	drop := `DROP TRIGGER IF EXISTS audit_trail_no_delete`
	if d == sqldb.Postgres {
		drop += ` ON audit_trail`
	}
	if _, err := tx.ExecContext(ctx, drop); err != nil {
		return fail(err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM audit_trail WHERE seq <= ?`, cp.Seq)
	if err != nil {
		return fail(err)
	}
	n, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, trailGuard(d, "audit_trail_no_delete")); err != nil {
		return fail(err)
	}
	now := timeNow().UTC()
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_purge (through_seq, hash, at, entries, checkpoint) VALUES (?, ?, ?, ?, ?)`,
		cp.Seq, cp.Hash, now.Format(time.RFC3339), n, cpAt); err != nil {
		return fail(err)
	}
	detail, _ := json.Marshal(purgeDetail{Through: cp.Seq, Hash: cp.Hash, Entries: int(n),
		Before: before.UTC().Format(time.RFC3339), Checkpoint: cpAt})
	if _, err := appendTx(ctx, tx, d, record{actor: ActorWorker, event: EventAuditPurged, outcome: "purged"}, detail); err != nil {
		return Purged{}, err
	}
	slices.Sort(carry)
	for _, id := range carry {
		c := trails[id]
		state, _ := json.Marshal(caseStateDetail{RecordSHA256: c.hash, CarriedFrom: c.stateSeq})
		if _, err := appendTx(ctx, tx, d, record{actor: ActorWorker, caseID: id, event: EventCaseState, outcome: caseStateRecorded}, state); err != nil {
			return Purged{}, err
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	t.log.InfoContext(ctx, "audit trail purged", "through", cp.Seq, "entries", n, "cases_carried", len(carry))
	return Purged{Through: cp.Seq, Hash: cp.Hash, Entries: int(n)}, nil
}

// EventRetentionPurged records what a retention purge removed besides the
// trail: stored originals and page images.
const EventRetentionPurged = "retention-purged"

// RetentionPurge is what the daily purge removed of the files kept for
// cases: counts and the cutoff, no names.
type RetentionPurge struct {
	Before     time.Time // what was received before this went
	Originals  int       // messages as received
	PageImages int       // page images read from them
}

// RetentionPurged records the daily purge of originals and page images.
func (t *Trail) RetentionPurged(ctx context.Context, p RetentionPurge) error {
	var c checker
	if p.Originals < 0 || p.PageImages < 0 {
		c.fail("counts must not be negative")
	}
	return t.write(ctx, c, record{
		actor: ActorWorker, event: EventRetentionPurged, outcome: "purged",
		detail: struct {
			Before     string `json:"before"`
			Originals  int    `json:"originals"`
			PageImages int    `json:"page_images"`
		}{p.Before.UTC().Format(time.RFC3339), p.Originals, p.PageImages},
	})
}

// trailGuard is the statement of trailGuards that creates the named trigger.
func trailGuard(d sqldb.Dialect, name string) string {
	for _, stmt := range trailGuards[d] {
		if strings.Contains(stmt, " "+name+" ") {
			return stmt
		}
	}
	panic("audit: no guard " + name)
}
