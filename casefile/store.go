package casefile

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"rxintake/internal/safeio"
	"rxintake/internal/sqldb"
)

// ErrNoCase reports that no case has the id asked for.
var ErrNoCase = errors.New("casefile: no such case")

// ErrNoRecord reports a case with no stored record: its message has not
// been read yet.
var ErrNoRecord = errors.New("casefile: no record for case")

// Case is what the office manager follows: one per message taken in.
type Case struct {
	ID            string // "RX-7K3QH2"
	MessageRef    string // where the message sits, as an IMAP URL
	MessageSHA256 string
	Status        Status
	StatusReason  string // what set the status last (a rule id, an action)
	SenderFax     string // 10 digits, from the fax notification
	SenderAddress string
	Created       time.Time
	Updated       time.Time
}

// Opening is a case about to be opened for a message.
type Opening struct {
	ID            string // "" draws a fresh id (NewCaseID); tests and imports give one
	MessageRef    string
	SHA256        string
	SenderFax     string
	SenderAddress string
	At            time.Time // when the message was taken in; zero: now
}

// Store keeps the cases, their records and their page images.
type Store struct {
	db  *sql.DB
	dir string // data_dir/pages
	now func() time.Time
}

// The tables are created and changed by the numbered files of migrations/.
//
//go:embed migrations/*.sql
var migrations embed.FS

// New returns the store of the cases in db, their page images under
// dataDir, bringing its tables up to date.
func New(ctx context.Context, db *sql.DB, dataDir string) (*Store, error) {
	if err := sqldb.Migrate(ctx, db, "casefile", migrations); err != nil {
		return nil, err
	}
	return &Store{db: db, dir: filepath.Join(dataDir, "pages"), now: time.Now}, nil
}

// caseAlphabet is Crockford's base 32: no I, L, O or U to misread.
const caseAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewCaseID returns a random case id, short and safe in a subject line:
// "RX-" and six characters of Crockford base 32 (about a billion values).
func NewCaseID() string {
	var b [6]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	id := []byte("RX-")
	for _, c := range b {
		id = append(id, caseAlphabet[int(c)%len(caseAlphabet)])
	}
	return string(id)
}

// Open opens a case with status open inside tx and returns its id.
func (s *Store) Open(ctx context.Context, tx *sql.Tx, o Opening) (string, error) {
	at := o.At
	if at.IsZero() {
		at = s.now()
	}
	stamp := sqldb.FormatTime(at)
	for range 10 {
		id := o.ID
		if id == "" {
			id = NewCaseID()
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO cases
			(id, message_ref, message_sha256, status, sender_fax, sender_address, created, updated)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			id, o.MessageRef, o.SHA256, string(StatusOpen), o.SenderFax, o.SenderAddress, stamp, stamp)
		if err != nil {
			return "", fmt.Errorf("casefile: open: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return "", fmt.Errorf("casefile: open: %w", err)
		} else if n == 1 {
			return id, nil
		}
		if o.ID != "" {
			return "", fmt.Errorf("casefile: open: case %s exists", o.ID)
		}
	}
	return "", errors.New("casefile: open: no free case id after 10 tries")
}

// update runs one UPDATE of the case id inside tx, setting set (with args)
// and the time it changed; ErrNoCase when there is no such case.
func (s *Store) update(ctx context.Context, tx *sql.Tx, id, set string, args ...any) error {
	args = append(args, sqldb.FormatTime(s.now()), id)
	res, err := tx.ExecContext(ctx, `UPDATE cases SET `+set+`, updated = ? WHERE id = ?`, args...)
	if err != nil {
		return fmt.Errorf("casefile: case %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("casefile: case %s: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("%w: %s", ErrNoCase, id)
	}
	return nil
}

// SetMessage records where the case's message now sits (it came back under
// another UIDVALIDITY) and, when not "", its SHA-256.
func (s *Store) SetMessage(ctx context.Context, tx *sql.Tx, id, ref, sha256 string) error {
	if ref == "" {
		return s.update(ctx, tx, id, `message_sha256 = ?`, sha256)
	}
	return s.update(ctx, tx, id, `message_ref = ?, message_sha256 = CASE WHEN ? <> '' THEN ? ELSE message_sha256 END`, ref, sha256, sha256)
}

// SetSender records who sent the case's message; an empty value leaves
// what the case holds.
func (s *Store) SetSender(ctx context.Context, tx *sql.Tx, id, fax, address string) error {
	return s.update(ctx, tx, id, `sender_fax = CASE WHEN ? <> '' THEN ? ELSE sender_fax END,
		sender_address = CASE WHEN ? <> '' THEN ? ELSE sender_address END`, fax, fax, address, address)
}

// SetStatus moves the case id to status inside tx, for reason (a rule id,
// an outcome's cause or an action: kept with the status, never shown as
// PHI). The case's record, when there is one, carries the status too.
func (s *Store) SetStatus(ctx context.Context, tx *sql.Tx, id string, status Status, reason string) error {
	if err := s.update(ctx, tx, id, `status = ?, status_reason = ?`, string(status), reason); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE case_records SET status = ?, updated = ? WHERE case_id = ?`,
		string(status), sqldb.FormatTime(s.now()), id); err != nil {
		return fmt.Errorf("casefile: case %s: %w", id, err)
	}
	return nil
}

// PutRecord writes (or replaces) the record of case r.CaseID inside tx.
func (s *Store) PutRecord(ctx context.Context, tx *sql.Tx, r *Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("casefile: record %s: %w", r.CaseID, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO case_records (case_id, status, record, updated) VALUES (?, ?, ?, ?)
		ON CONFLICT (case_id) DO UPDATE SET status = excluded.status, record = excluded.record, updated = excluded.updated`,
		r.CaseID, string(r.Status), string(b), sqldb.FormatTime(s.now()))
	if err != nil {
		return fmt.Errorf("casefile: record %s: %w", r.CaseID, err)
	}
	return nil
}

// Settle stores r as the case's record with status (r.Status is set to
// it), and the case's status, in one transaction: a person's decision on
// the review page.
func (s *Store) Settle(ctx context.Context, r *Record, status Status, reason string) error {
	r.Status = status
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("casefile: case %s: %w", r.CaseID, err)
	}
	defer tx.Rollback()
	if err := s.PutRecord(ctx, tx, r); err != nil {
		return err
	}
	if err := s.SetStatus(ctx, tx, r.CaseID, status, reason); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("casefile: case %s: %w", r.CaseID, err)
	}
	return nil
}

// Record reads a case's record, or ErrNoRecord.
func (s *Store) Record(ctx context.Context, caseID string) (*Record, error) {
	var raw string
	err := s.db.QueryRowContext(ctx, `SELECT record FROM case_records WHERE case_id = ?`, caseID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w %s", ErrNoRecord, caseID)
	}
	if err != nil {
		return nil, fmt.Errorf("casefile: record %s: %w", caseID, err)
	}
	var r Record
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return nil, fmt.Errorf("casefile: record %s: %w", caseID, err)
	}
	return &r, nil
}

const caseColumns = `c.id, c.message_ref, c.message_sha256, c.status, c.status_reason, c.sender_fax, c.sender_address, c.created, c.updated`

func scanCase(row interface{ Scan(...any) error }, more ...any) (*Case, error) {
	var c Case
	var status, created, updated string
	dest := append([]any{&c.ID, &c.MessageRef, &c.MessageSHA256, &status, &c.StatusReason, &c.SenderFax, &c.SenderAddress, &created, &updated}, more...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	c.Status, c.Created, c.Updated = Status(status), sqldb.ParseTime(created), sqldb.ParseTime(updated)
	return &c, nil
}

// Case returns the case with id (in any letter case), or ErrNoCase.
func (s *Store) Case(ctx context.Context, id string) (*Case, error) {
	c, err := scanCase(s.db.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases c WHERE c.id = ?`, strings.ToUpper(id)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s", ErrNoCase, id)
	}
	if err != nil {
		return nil, fmt.Errorf("casefile: case %s: %w", id, err)
	}
	return c, nil
}

// Filter selects cases for List. Its zero value selects all of them.
type Filter struct {
	Status  Status // "" any
	From    string // YYYY-MM-DD: taken in on or after that day (UTC)
	To      string // YYYY-MM-DD: taken in on or before that day
	Office  string // the directory office of the record
	Patient string // part of the patient's name, in any letter case
	Offset  int
	Limit   int // 0: no limit
}

// Listed is a case of a list with its record; Record is nil when the case
// has none yet, or it cannot be read.
type Listed struct {
	Case
	Record *Record
}

// List returns the cases f selects, newest first, and whether more follow
// past f.Limit.
func (s *Store) List(ctx context.Context, f Filter) ([]Listed, bool, error) {
	var where []string
	var args []any
	if f.Status != "" {
		where, args = append(where, "c.status = ?"), append(args, string(f.Status))
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
	if q := strings.TrimSpace(f.Patient); q != "" {
		where = append(where, `lower(json_extract(r.record, '$.prescription.patient.name')) LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscape(strings.ToLower(q))+"%")
	}
	query := `SELECT ` + caseColumns + `, COALESCE(r.record, '') FROM cases c LEFT JOIN case_records r ON r.case_id = c.id`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY c.created DESC, c.id"
	if f.Limit > 0 {
		query += " LIMIT ? OFFSET ?"
		args = append(args, f.Limit+1, f.Offset)
	}
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, false, fmt.Errorf("casefile: list: %w", err)
	}
	defer rows.Close()
	var out []Listed
	for rows.Next() {
		var raw string
		c, err := scanCase(rows, &raw)
		if err != nil {
			return nil, false, fmt.Errorf("casefile: list: %w", err)
		}
		l := Listed{Case: *c}
		if raw != "" {
			var rec Record
			if json.Unmarshal([]byte(raw), &rec) == nil {
				l.Record = &rec
			}
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("casefile: list: %w", err)
	}
	more := f.Limit > 0 && len(out) > f.Limit
	if more {
		out = out[:f.Limit]
	}
	return out, more, nil
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Counts returns how many cases have each status.
func (s *Store) Counts(ctx context.Context) (map[Status]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT status, count(*) FROM cases GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("casefile: count: %w", err)
	}
	defer rows.Close()
	n := map[Status]int{}
	for rows.Next() {
		var st string
		var c int
		if err := rows.Scan(&st, &c); err != nil {
			return nil, fmt.Errorf("casefile: count: %w", err)
		}
		n[Status(st)] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("casefile: count: %w", err)
	}
	return n, nil
}

// Offices lists the directory offices the records name, in order.
func (s *Store) Offices(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT o FROM (SELECT json_extract(record, '$.office') AS o FROM case_records) AS r
		WHERE o IS NOT NULL AND o <> '' ORDER BY o`)
	if err != nil {
		return nil, fmt.Errorf("casefile: offices: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return nil, fmt.Errorf("casefile: offices: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// PutImage stores a page image under its SHA-256 (safeio.WriteFile) and
// returns the hex digest.
func (s *Store) PutImage(png []byte) (string, error) {
	h := sha256.Sum256(png)
	sum := hex.EncodeToString(h[:])
	path := s.ImagePath(sum)
	if _, err := os.Stat(path); err == nil {
		return sum, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("casefile: page image: %w", err)
	}
	if err := safeio.WriteFile(path, png, 0o600); err != nil {
		return "", fmt.Errorf("casefile: page image: %w", err)
	}
	return sum, nil
}

// ImagePath is where a page image with the given digest is stored.
func (s *Store) ImagePath(sum string) string {
	if len(sum) < 3 {
		return filepath.Join(s.dir, sum+".png")
	}
	return filepath.Join(s.dir, sum[:2], sum[2:]+".png")
}

// PurgeImages removes the page images of the cases opened before before
// (retention.originals, docs/operations.md) and returns how many files
// went. An image a newer case shows too stays.
func (s *Store) PurgeImages(ctx context.Context, before time.Time) (int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.created < ?, r.record FROM cases c JOIN case_records r ON r.case_id = c.id`,
		sqldb.FormatTime(before))
	if err != nil {
		return 0, fmt.Errorf("casefile: purge images: %w", err)
	}
	old, keep := map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var isOld bool
		var raw string
		if err := rows.Scan(&isOld, &raw); err != nil {
			rows.Close()
			return 0, fmt.Errorf("casefile: purge images: %w", err)
		}
		var r struct {
			PageImages []string `json:"page_images"`
		}
		if json.Unmarshal([]byte(raw), &r) != nil {
			continue
		}
		for _, sum := range r.PageImages {
			if isOld {
				old[sum] = true
			} else {
				keep[sum] = true
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("casefile: purge images: %w", err)
	}
	n := 0
	for sum := range old {
		if keep[sum] || sum == "" || strings.ContainsAny(sum, "/.") {
			continue
		}
		err := os.Remove(s.ImagePath(sum))
		switch {
		case err == nil:
			n++
		case !errors.Is(err, fs.ErrNotExist):
			return n, fmt.Errorf("casefile: purge images: %w", err)
		}
	}
	return n, nil
}
