package review

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"rxintake/audit"
	"rxintake/casework"
	"rxintake/internal/sqldb"
	"rxintake/validate"
)

// What the page reads and writes in the database besides the trail: the
// ledger's cases, casework's case_records, and, when the notify stage has
// created it, its outbox.

// StatusNotPrescription is the status of a case a user closed as not a
// prescription: no correction request goes out for it.
const StatusNotPrescription = validate.RuleNotPrescription

// caseRow is a line of the case list.
type caseRow struct {
	ID, Status       string
	Received         time.Time
	Patient, Office  string
	Sender           string
	Errors, Warnings int
}

// listFilter is the case list's query string.
type listFilter struct {
	Status, From, To, Office, Q string
	Page                        int
}

const pageSize = 50

// listCases returns a page of cases, newest first, and whether there are more.
func (s *Server) listCases(ctx context.Context, f listFilter) ([]caseRow, bool, error) {
	var where []string
	var args []any
	if f.Status != "" {
		where, args = append(where, "c.status = ?"), append(args, f.Status)
	}
	if f.From != "" {
		where, args = append(where, "c.created >= ?"), append(args, f.From)
	}
	if f.To != "" {
		// "to" is inclusive: up to the start of the next day.
		if d, err := time.Parse("2006-01-02", f.To); err == nil {
			where, args = append(where, "c.created < ?"), append(args, d.AddDate(0, 0, 1).Format("2006-01-02"))
		}
	}
	if f.Office != "" {
		where, args = append(where, "json_extract(r.record, '$.office') = ?"), append(args, f.Office)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		where = append(where, `lower(json_extract(r.record, '$.prescription.patient.name')) LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscape(strings.ToLower(q))+"%")
	}
	query := `SELECT c.id, c.status, c.created, c.sender_fax, c.sender_address, COALESCE(r.record, '')
		FROM cases c LEFT JOIN case_records r ON r.case_id = c.id`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY c.created DESC, c.id LIMIT ? OFFSET ?"
	args = append(args, pageSize+1, f.Page*pageSize)
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, false, fmt.Errorf("review: list cases: %w", err)
	}
	defer rows.Close()
	var out []caseRow
	for rows.Next() {
		var c caseRow
		var created, fax, addr, raw string
		if err := rows.Scan(&c.ID, &c.Status, &created, &fax, &addr, &raw); err != nil {
			return nil, false, fmt.Errorf("review: list cases: %w", err)
		}
		c.Received = sqldb.ParseTime(created)
		c.Sender = firstNonEmpty(addr, formatFax(fax))
		if raw != "" {
			var rec casework.Record
			if json.Unmarshal([]byte(raw), &rec) == nil {
				if rx := rec.Prescription; rx != nil && rx.Patient != nil {
					c.Patient = rx.Patient.Name
				}
				c.Office = rec.Office
				if rec.Sender != nil && c.Sender == "" {
					c.Sender = firstNonEmpty(rec.Sender.Name, rec.Sender.Email, formatFax(rec.Sender.Fax))
				}
				for _, f := range rec.Findings {
					if f.Severity == validate.Error {
						c.Errors++
					} else {
						c.Warnings++
					}
				}
			}
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("review: list cases: %w", err)
	}
	more := len(out) > pageSize
	if more {
		out = out[:pageSize]
	}
	return out, more, nil
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

type statusCount struct {
	Status string
	N      int
}

// statusCounts counts the cases of each status, the usual ones first.
func (s *Server) statusCounts(ctx context.Context) ([]statusCount, int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT status, count(*) FROM cases GROUP BY status`)
	if err != nil {
		return nil, 0, fmt.Errorf("review: count cases: %w", err)
	}
	defer rows.Close()
	n := map[string]int{}
	total := 0
	for rows.Next() {
		var st string
		var c int
		if err := rows.Scan(&st, &c); err != nil {
			return nil, 0, fmt.Errorf("review: count cases: %w", err)
		}
		n[st] = c
		total += c
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("review: count cases: %w", err)
	}
	var out []statusCount
	for _, st := range knownStatuses {
		out = append(out, statusCount{st, n[st]})
		delete(n, st)
	}
	var rest []string
	for st := range n {
		rest = append(rest, st)
	}
	slices.Sort(rest)
	for _, st := range rest {
		out = append(out, statusCount{st, n[st]})
	}
	return out, total, nil
}

// knownStatuses are always offered in the filter, in this order.
var knownStatuses = []string{validate.StatusNeedsReview, validate.StatusNeedsCorrection,
	validate.StatusComplete, audit.CaseOpen, StatusNotPrescription}

// officeNames lists the offices cases belong to, for the filter.
func (s *Server) officeNames(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT json_extract(record, '$.office') AS o FROM case_records
		WHERE o IS NOT NULL AND o <> '' ORDER BY o`)
	if err != nil {
		return nil, fmt.Errorf("review: offices: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return nil, fmt.Errorf("review: offices: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// saveCase stores rec with status as the case's record and status, in one
// transaction.
func (s *Server) saveCase(ctx context.Context, rec *casework.Record, status string) error {
	rec.Status = status
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("review: save case %s: %w", rec.CaseID, err)
	}
	defer tx.Rollback()
	if err := s.store.Put(ctx, tx, rec); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE cases SET status = ?, updated = ? WHERE id = ?`,
		status, sqldb.FormatTime(timeNow()), rec.CaseID)
	if err != nil {
		return fmt.Errorf("review: save case %s: %w", rec.CaseID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("%w: %s", audit.ErrNoCase, rec.CaseID)
	}
	return tx.Commit()
}

// outboxTables are the names the notify stage may give the table of
// correction requests; the first present is read.
var outboxTables = []string{"outbox", "notify_outbox", "correction_requests", "sent_requests"}

// outboxView is the correction requests of a case, column by column as the
// table holds them: the page makes no assumption about its schema beyond a
// case_id column.
type outboxView struct {
	Table   string
	Columns []string
	Rows    [][]outboxCell
}

type outboxCell struct {
	Column, Value string
	Long          bool // shown as a block of text (an email body)
}

// outbox reads the correction requests of a case, or nil when there is no
// outbox table (or it has no case_id column).
func (s *Server) outbox(ctx context.Context, caseID string) (*outboxView, error) {
	var table string
	for _, name := range outboxTables {
		var n string
		err := s.db.QueryRowContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`, name).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("review: outbox: %w", err)
		}
		table = n
		break
	}
	if table == "" {
		return nil, nil
	}
	// The name comes from outboxTables, not from the request.
	rows, err := s.db.QueryContext(ctx, `SELECT * FROM "`+table+`" WHERE case_id = ? ORDER BY rowid LIMIT 100`, caseID)
	if err != nil {
		if strings.Contains(err.Error(), "no such column") {
			return nil, nil
		}
		return nil, fmt.Errorf("review: outbox: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("review: outbox: %w", err)
	}
	v := &outboxView{Table: table, Columns: cols}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("review: outbox: %w", err)
		}
		var row []outboxCell
		for i, c := range cols {
			var text string
			switch x := vals[i].(type) {
			case nil:
			case []byte:
				text = string(x)
			case time.Time:
				text = x.UTC().Format(time.RFC3339)
			default:
				text = fmt.Sprint(x)
			}
			if len(text) > 20000 {
				text = text[:20000] + " …"
			}
			row = append(row, outboxCell{Column: c, Value: text, Long: len(text) > 80 || strings.Contains(text, "\n")})
		}
		v.Rows = append(v.Rows, row)
	}
	return v, rows.Err()
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// formatFax writes a 10-digit number as 941-555-0143.
func formatFax(s string) string {
	if len(s) == 10 {
		return s[:3] + "-" + s[3:6] + "-" + s[6:]
	}
	return s
}
