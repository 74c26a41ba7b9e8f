package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"

	"rxintake/internal/sqldb"
)

// The case records are covered by the trail (docs/audit.md). Each case's
// record hash is the SHA-256 of the fields that decide what happens to it:
// its status and what set it, the status and findings of its record, the
// office it belongs to, the case it corrects, and the folders its messages
// were filed in. At every checkpoint, a case whose hash differs from the
// last case-state entry of the trail gets a new case-state entry carrying
// the new hash, in the same transaction as the checkpoint that signs it.
//
// rxintake writes a trail entry for every change it makes to a case, so a
// case whose hash changed with no entry for it since its last case-state
// entry was changed outside rxintake: the case-state entry says so in its
// outcome, and Verify reports it from then on. Verify also recomputes every
// hash and reports a case whose hash differs from its last case-state entry
// with no entry for it since, and a case that disappeared.
//
// The hash reads the tables of casefile (cases, case_records) and of intake
// (ledger) in the same database; a database without them holds no cases.

// Outcomes of a case-state entry.
const (
	caseStateRecorded = "recorded"
	caseStateOutside  = "changed-outside-trail"
	caseStateRemoved  = "removed-outside-trail"
)

const caseHashDomain = "rxintake case record v1\x00"

type caseStateDetail struct {
	RecordSHA256 string `json:"record_sha256"` // empty: the case is gone
	// CarriedFrom is the case-state entry a purge removed, whose state
	// this one carries forward (purge.go).
	CarriedFrom int64 `json:"carried_from,omitempty"`
}

// caseHashes returns the record hash of every case.
func caseHashes(ctx context.Context, tx *sql.Tx, d sqldb.Dialect) (map[string]string, error) {
	have := map[string]bool{}
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('cases', 'case_records', 'ledger')`
	if d == sqldb.Postgres {
		q = `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_name IN ('cases', 'case_records', 'ledger')`
	}
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		have[n] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !have["cases"] || !have["case_records"] {
		return map[string]string{}, nil
	}

	folders := map[string][]string{}
	if have["ledger"] {
		rows, err := tx.QueryContext(ctx, `SELECT case_id, folder FROM ledger WHERE state = 'filed' AND case_id <> ''`)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, folder string
			if err := rows.Scan(&id, &folder); err != nil {
				rows.Close()
				return nil, err
			}
			folders[id] = append(folders[id], folder)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}

	rows, err = tx.QueryContext(ctx, `SELECT c.id, c.status, c.status_reason, COALESCE(r.status, ''), COALESCE(r.record, '')
		FROM cases c LEFT JOIN case_records r ON r.case_id = c.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, status, reason, recStatus, record string
		if err := rows.Scan(&id, &status, &reason, &recStatus, &record); err != nil {
			return nil, err
		}
		var r struct {
			Findings json.RawMessage `json:"findings"`
			Office   string          `json:"office"`
			Corrects string          `json:"corrects"`
		}
		findings := record // a record that is not JSON is covered whole
		if record != "" && json.Unmarshal([]byte(record), &r) == nil {
			findings = string(r.Findings)
		}
		f := folders[id]
		slices.Sort(f)
		out[id] = caseHash(append([]string{id, status, reason, recStatus, findings, r.Office, r.Corrects}, f...))
	}
	return out, rows.Err()
}

// caseHash hashes fields unambiguously, each as its length and its bytes.
func caseHash(fields []string) string {
	h := sha256.New()
	var n [8]byte
	h.Write([]byte(caseHashDomain))
	for _, f := range fields {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// caseTrail is what the trail says of one case.
type caseTrail struct {
	stateSeq int64  // its last case-state entry, 0 for none
	stateAt  string // when that was written
	hash     string // the record hash it carries
	outcome  string // its outcome
	// outside is the first case-state entry that found the case changed
	// or removed outside the trail, 0 for none.
	outside   int64
	outsideAt string
	activity  int64 // its last other entry that may change it, 0 for none
}

// caseTrails reads what the trail says of every case.
func caseTrails(ctx context.Context, tx *sql.Tx) (map[string]*caseTrail, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, at, case_id, event, outcome, detail FROM audit_trail
		WHERE case_id <> '' AND event <> ? ORDER BY seq`, EventPageViewed)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*caseTrail{}
	get := func(id string) *caseTrail {
		c := out[id]
		if c == nil {
			c = &caseTrail{}
			out[id] = c
		}
		return c
	}
	for rows.Next() {
		var seq int64
		var at, id, event, outcome, detail string
		if err := rows.Scan(&seq, &at, &id, &event, &outcome, &detail); err != nil {
			return nil, err
		}
		c := get(id)
		switch event {
		case EventCaseState:
			var d caseStateDetail
			_ = json.Unmarshal([]byte(detail), &d) // a damaged detail is a broken chain, reported first
			c.stateSeq, c.stateAt, c.hash, c.outcome = seq, at, d.RecordSHA256, outcome
			if outcome != caseStateRecorded && c.outside == 0 {
				c.outside, c.outsideAt = seq, at
			}
		case EventCorrectedRxLinked:
			c.activity = seq
			var d struct {
				Corrected string `json:"corrected_case_id"`
			}
			if json.Unmarshal([]byte(detail), &d) == nil && d.Corrected != "" {
				get(d.Corrected).activity = seq
			}
		default:
			c.activity = seq
		}
	}
	return out, rows.Err()
}

// recordCaseStates appends a case-state entry for every case whose record
// hash is not the one the trail last recorded for it. tx holds the write
// lock.
func recordCaseStates(ctx context.Context, tx *sql.Tx, d sqldb.Dialect) (int, error) {
	hashes, err := caseHashes(ctx, tx, d)
	if err != nil {
		return 0, err
	}
	trails, err := caseTrails(ctx, tx)
	if err != nil {
		return 0, err
	}
	ids := make([]string, 0, len(hashes)+len(trails))
	for id := range hashes {
		ids = append(ids, id)
	}
	for id, c := range trails {
		if _, ok := hashes[id]; !ok && c.stateSeq > 0 && c.hash != "" {
			ids = append(ids, id) // recorded once, gone now
		}
	}
	slices.Sort(ids)
	n := 0
	for _, id := range ids {
		h := hashes[id]
		c := trails[id]
		if c == nil {
			c = &caseTrail{}
		}
		if c.stateSeq > 0 && c.hash == h {
			continue
		}
		outcome := caseStateRecorded
		switch {
		case h == "":
			outcome = caseStateRemoved
		case c.activity <= c.stateSeq:
			// Nothing rxintake wrote explains the change: since its last
			// case-state entry, or ever for a case the trail never saw.
			outcome = caseStateOutside
		}
		detail, err := json.Marshal(caseStateDetail{RecordSHA256: h})
		if err != nil {
			return n, err
		}
		if _, err := appendTx(ctx, tx, d, record{actor: ActorWorker, caseID: id, event: EventCaseState, outcome: outcome}, detail); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// checkCases compares the case records with what the trail says of them
// and returns the first problem, or "".
func checkCases(ctx context.Context, tx *sql.Tx, d sqldb.Dialect) (string, error) {
	hashes, err := caseHashes(ctx, tx, d)
	if err != nil {
		return "", err
	}
	trails, err := caseTrails(ctx, tx)
	if err != nil {
		return "", err
	}
	ids := make([]string, 0, len(trails)+len(hashes))
	for id := range trails {
		ids = append(ids, id)
	}
	for id := range hashes {
		if _, ok := trails[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	// Problems found by a checkpoint come first, in the order they were
	// found.
	var first *caseTrail
	var firstID string
	for _, id := range ids {
		if c := trails[id]; c != nil && c.outside > 0 && (first == nil || c.outside < first.outside) {
			first, firstID = c, id
		}
	}
	if first != nil {
		what := "changed"
		if hashes[firstID] == "" && first.outcome == caseStateRemoved {
			what = "removed"
		}
		return fmt.Sprintf("case %s was %s outside the audit trail: its record no longer matched the trail when checked %s (entry %d)",
			firstID, what, when(first.outsideAt), first.outside), nil
	}
	for _, id := range ids {
		h, exists := hashes[id]
		c := trails[id]
		switch {
		case c == nil:
			return fmt.Sprintf("case %s was added outside the audit trail: the trail has no entry for it", id), nil
		case c.stateSeq == 0 || c.hash == h:
			// Not yet recorded by a checkpoint (the trail is then
			// unanchored), or as recorded.
		case c.activity > c.stateSeq:
			// Changed by rxintake since the last checkpoint.
		case !exists:
			return fmt.Sprintf("case %s was removed outside the audit trail after %s (entry %d recorded its state)", id, when(c.stateAt), c.stateSeq), nil
		default:
			return fmt.Sprintf("case %s was changed outside the audit trail after %s: its status, findings, office or filing differ from what entry %d recorded",
				id, when(c.stateAt), c.stateSeq), nil
		}
	}
	return "", nil
}
