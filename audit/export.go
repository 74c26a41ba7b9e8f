package audit

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Exports are for archiving: every entry in seq order, every field exactly as
// stored, hashes included, so an archived file can be checked on its own by
// recomputing the chain. Entries hold no PHI, but an export is still an
// account of who looked at which case: keep it with the clinic's records.

// ExportColumns are the columns of ExportCSV, in order (a header row).
var ExportColumns = []string{"seq", "at", "actor", "case_id", "event", "outcome", "detail", "prev_hash", "hash"}

// ExportCSV writes the whole trail as CSV with a header row of ExportColumns.
func (t *Trail) ExportCSV(ctx context.Context, w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ExportColumns); err != nil {
		return fmt.Errorf("%w: export: %v", ErrStore, err)
	}
	err := t.eachRow(ctx, func(r row) error {
		return cw.Write([]string{strconv.FormatInt(r.seq, 10), r.at, r.actor, r.caseID, r.event, r.outcome, r.detail, r.prev, r.hash})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("%w: export: %v", ErrStore, err)
	}
	return nil
}

// jsonlEntry is a line of ExportJSONL. Detail is the stored JSON object as
// is; should the stored text not be compact JSON (a damaged trail), it is
// written as a JSON string instead, so that the exact text survives.
type jsonlEntry struct {
	Seq      int64  `json:"seq"`
	At       string `json:"at"`
	Actor    string `json:"actor"`
	CaseID   string `json:"case_id"`
	Event    string `json:"event"`
	Outcome  string `json:"outcome"`
	Detail   any    `json:"detail"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// ExportJSONL writes the whole trail as JSON Lines, one entry per line, with
// the fields of Entry.
func (t *Trail) ExportJSONL(ctx context.Context, w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return t.eachRow(ctx, func(r row) error {
		var detail any = r.detail
		if isCompactJSON(r.detail) {
			detail = json.RawMessage(r.detail)
		}
		err := enc.Encode(jsonlEntry{r.seq, r.at, r.actor, r.caseID, r.event, r.outcome, detail, r.prev, r.hash})
		if err != nil {
			return fmt.Errorf("%w: export: %v", ErrStore, err)
		}
		return nil
	})
}

func isCompactJSON(s string) bool {
	var b bytes.Buffer
	return json.Compact(&b, []byte(s)) == nil && b.String() == s
}

// eachRow calls fn for every entry in seq order, from one snapshot.
func (t *Trail) eachRow(ctx context.Context, fn func(row) error) error {
	tx, err := t.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("%w: export: %v", ErrStore, err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+rowColumns+` FROM audit_trail ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("%w: export: %v", ErrStore, err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return fmt.Errorf("%w: export: %v", ErrStore, err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%w: export: %v", ErrStore, err)
	}
	return nil
}

// Filter selects entries for List. Empty fields match everything.
type Filter struct {
	CaseID string
	Event  string // one of the Event* constants
	Actor  string // "worker", "user:<id>", ...
	// Before pages backwards: only entries with seq < Before. 0 starts at the
	// newest; pass the Seq of the last entry of a page to get the next.
	Before int64
	Limit  int // 0 means DefaultListLimit; at most MaxListLimit
}

// List page sizes.
const (
	DefaultListLimit = 50
	MaxListLimit     = 500
)

// List returns the entries matching f, newest first, for the review page.
func (t *Trail) List(ctx context.Context, f Filter) ([]Entry, error) {
	var where []string
	var args []any
	for _, c := range []struct {
		col, val string
	}{{"case_id", f.CaseID}, {"event", f.Event}, {"actor", f.Actor}} {
		if c.val != "" {
			where = append(where, c.col+" = ?")
			args = append(args, c.val)
		}
	}
	if f.Before > 0 {
		where = append(where, "seq < ?")
		args = append(args, f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultListLimit
	}
	limit = min(limit, MaxListLimit)
	q := `SELECT ` + rowColumns + ` FROM audit_trail`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY seq DESC LIMIT ?`
	args = append(args, limit)

	rows, err := t.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%w: list: %v", ErrStore, err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, fmt.Errorf("%w: list: %v", ErrStore, err)
		}
		out = append(out, r.entry())
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%w: list: %v", ErrStore, err)
	}
	return out, nil
}
