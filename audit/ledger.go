package audit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"rxintake/internal/sqldb"
)

// The ledger records every message rxintake has taken from a mailbox, so that
// a second run, or a restart after a crash at any point, neither loses nor
// repeats one. A message is keyed by where it sits: (account, mailbox,
// UIDVALIDITY, UID). Its life:
//
//	claimed -> processing -> processed -> filed
//	              |    ^
//	              v    |
//	        failed-temporary
//
// A claimed entry already has its case. An entry is "processing" while an
// attempt runs; finding one in that state at start-up means the attempt died
// with the process. "processed" means the outcome is committed but the message
// has not yet been moved to its folder; "filed" is final.

// ErrNoEntry reports that the ledger has no entry for a message.
var ErrNoEntry = errors.New("audit: no such ledger entry")

// ErrNoCase reports that no case has the id asked for.
var ErrNoCase = errors.New("audit: no such case")

// EntryState is where a message is in its life on the ledger.
type EntryState string

// The states of a ledger entry.
const (
	EntryClaimed    EntryState = "claimed"          // recorded, case opened, no attempt yet
	EntryProcessing EntryState = "processing"       // an attempt is running (or died with the process)
	EntryRetry      EntryState = "failed-temporary" // an attempt failed; retry at NextAttempt
	EntryProcessed  EntryState = "processed"        // outcome committed, not yet filed
	EntryFiled      EntryState = "filed"            // moved to its folder (or marked): done
)

// CaseOpen is the status of a case whose message has no outcome yet.
const CaseOpen = "open"

// MessageKey names a message in a mailbox. UIDs are only meaningful within
// one UIDVALIDITY.
type MessageKey struct {
	Account     string
	Mailbox     string
	UIDValidity uint32
	UID         uint32
}

// String is the key as an IMAP URL (RFC 5092), without the host.
func (k MessageKey) String() string {
	return fmt.Sprintf("imap://%s/%s;UIDVALIDITY=%d/;UID=%d", k.Account, k.Mailbox, k.UIDValidity, k.UID)
}

// LedgerEntry is one message on the ledger.
type LedgerEntry struct {
	MessageKey
	MessageID   string // without angle brackets; "" when the message has none
	SHA256      string // hex digest of the raw message; "" when it was not fetched whole
	Size        int64  // RFC822.SIZE as the server reported it
	State       EntryState
	Attempts    int       // processing attempts started
	NextAttempt time.Time // for EntryRetry: not before
	LastError   string
	CaseID      string
	Outcome     string   // complete | needs-correction | needs-review, once decided
	Reasons     []string // why, for the outcome (rule ids, not-a-referral reasons)
	Folder      string   // where it was filed: a folder, or the keyword it was marked with
	FiledBy     string   // move | copy | keyword
	Created     time.Time
	Updated     time.Time
}

// Case is what the office manager follows: one per message taken in.
type Case struct {
	ID            string // "RX-7K3QH2"
	MessageRef    string // the message's MessageKey as an IMAP URL
	MessageSHA256 string
	Status        string // open, then the outcome; later stages move it on
	SenderFax     string // 10 digits, from the fax notification
	SenderAddress string
	Created       time.Time
	Updated       time.Time
}

// Claim asks the ledger to take a message.
type Claim struct {
	Key           MessageKey
	MessageID     string
	SHA256        string
	Size          int64
	SenderFax     string
	SenderAddress string
}

// Decision is a committed outcome.
type Decision struct {
	Outcome       string
	Reasons       []string
	LastError     string // the error that led to it, if any
	SenderFax     string // kept on the case when not ""
	SenderAddress string // kept on the case when not ""
	// Effects runs inside the decision's transaction: what must happen
	// exactly once with the decision (the case's documents, a correction
	// request in the outbox) commits or rolls back with it.
	Effects func(ctx context.Context, tx *sql.Tx) error
}

// Ledger is the record of messages taken from mailboxes and the cases they
// opened. Every method is one transaction.
type Ledger interface {
	// HighWater is the highest UID claimed in the mailbox under uidValidity,
	// 0 when none.
	HighWater(ctx context.Context, account, mailbox string, uidValidity uint32) (uint32, error)
	// Claim records a message and opens its case, and raises the high-water
	// mark to its UID. When the mailbox was seen before under another
	// UIDVALIDITY and an entry there has the same Message-ID and SHA-256, the
	// new entry adopts it (its case, state, attempts and outcome; a filed
	// entry comes back as processed, to be filed again) and adopted is true.
	// Claiming a key already claimed returns its entry unchanged.
	Claim(ctx context.Context, c Claim) (e *LedgerEntry, adopted bool, err error)
	// Entry returns the entry for key, or ErrNoEntry.
	Entry(ctx context.Context, key MessageKey) (*LedgerEntry, error)
	// Identify fills in the Message-ID, hash and size of an entry claimed
	// before its content could be read.
	Identify(ctx context.Context, key MessageKey, messageID, sha256 string, size int64) error
	// Begin starts a processing attempt: state processing, attempts + 1.
	Begin(ctx context.Context, key MessageKey) (*LedgerEntry, error)
	// Retry records a temporary failure: state failed-temporary until next.
	Retry(ctx context.Context, key MessageKey, lastError string, next time.Time) error
	// Decide commits the outcome (state processed) and updates the case.
	Decide(ctx context.Context, key MessageKey, d Decision) error
	// Filed records where the message was filed (state filed).
	Filed(ctx context.Context, key MessageKey, folder, by string) error
	// Unfinished lists the entries under uidValidity that are not filed, in
	// UID order.
	Unfinished(ctx context.Context, account, mailbox string, uidValidity uint32) ([]LedgerEntry, error)
	// Case returns the case with id, or ErrNoCase.
	Case(ctx context.Context, id string) (*Case, error)
}

// SQLLedger is the Ledger in a SQL database. Its SQL is portable: standard
// types, times as RFC 3339 UTC text, ON CONFLICT upserts, "?" placeholders
// passed through rebind.
type SQLLedger struct {
	db     *sql.DB
	rebind func(string) string // placeholder style of the database
	now    func() time.Time
}

var _ Ledger = (*SQLLedger)(nil)

var ledgerSchema = []string{
	`CREATE TABLE IF NOT EXISTS ledger (
		account      TEXT    NOT NULL,
		mailbox      TEXT    NOT NULL,
		uidvalidity  BIGINT  NOT NULL,
		uid          BIGINT  NOT NULL,
		message_id   TEXT    NOT NULL DEFAULT '',
		sha256       TEXT    NOT NULL DEFAULT '',
		size         BIGINT  NOT NULL DEFAULT 0,
		state        TEXT    NOT NULL,
		attempts     INTEGER NOT NULL DEFAULT 0,
		next_attempt TEXT    NOT NULL DEFAULT '',
		last_error   TEXT    NOT NULL DEFAULT '',
		case_id      TEXT    NOT NULL,
		outcome      TEXT    NOT NULL DEFAULT '',
		reasons      TEXT    NOT NULL DEFAULT '[]',
		folder       TEXT    NOT NULL DEFAULT '',
		filed_by     TEXT    NOT NULL DEFAULT '',
		created      TEXT    NOT NULL,
		updated      TEXT    NOT NULL,
		PRIMARY KEY (account, mailbox, uidvalidity, uid)
	)`,
	`CREATE INDEX IF NOT EXISTS ledger_content ON ledger (account, mailbox, message_id, sha256)`,
	`CREATE INDEX IF NOT EXISTS ledger_state ON ledger (account, mailbox, uidvalidity, state)`,
	`CREATE TABLE IF NOT EXISTS ledger_highwater (
		account     TEXT   NOT NULL,
		mailbox     TEXT   NOT NULL,
		uidvalidity BIGINT NOT NULL,
		uid         BIGINT NOT NULL,
		updated     TEXT   NOT NULL,
		PRIMARY KEY (account, mailbox, uidvalidity)
	)`,
	`CREATE TABLE IF NOT EXISTS cases (
		id             TEXT NOT NULL PRIMARY KEY,
		message_ref    TEXT NOT NULL,
		message_sha256 TEXT NOT NULL DEFAULT '',
		status         TEXT NOT NULL,
		sender_fax     TEXT NOT NULL DEFAULT '',
		sender_address TEXT NOT NULL DEFAULT '',
		created        TEXT NOT NULL,
		updated        TEXT NOT NULL
	)`,
}

// NewSQLLedger creates the ledger's tables in db if they are missing.
func NewSQLLedger(ctx context.Context, db *sql.DB) (*SQLLedger, error) {
	for _, stmt := range ledgerSchema {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("%w: ledger schema: %v", sqldb.ErrOpen, err)
		}
	}
	return &SQLLedger{db: db, rebind: func(q string) string { return q }, now: time.Now}, nil
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

// tx runs f in one transaction (BEGIN IMMEDIATE on SQLite).
func (l *SQLLedger) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("audit: ledger: %w", err)
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("audit: ledger: commit: %w", err)
	}
	return nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// HighWater implements Ledger.
func (l *SQLLedger) HighWater(ctx context.Context, account, mailbox string, uidValidity uint32) (uint32, error) {
	var uid int64
	err := l.db.QueryRowContext(ctx, l.rebind(`SELECT uid FROM ledger_highwater WHERE account = ? AND mailbox = ? AND uidvalidity = ?`),
		account, mailbox, int64(uidValidity)).Scan(&uid)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("audit: ledger: high-water: %w", err)
	}
	return uint32(uid), nil
}

const entryColumns = `account, mailbox, uidvalidity, uid, message_id, sha256, size, state, attempts,
	next_attempt, last_error, case_id, outcome, reasons, folder, filed_by, created, updated`

func scanEntry(row interface{ Scan(...any) error }) (*LedgerEntry, error) {
	var (
		e                                  LedgerEntry
		uidValidity, uid                   int64
		next, reasons, created, updated, s string
	)
	err := row.Scan(&e.Account, &e.Mailbox, &uidValidity, &uid, &e.MessageID, &e.SHA256, &e.Size, &s, &e.Attempts,
		&next, &e.LastError, &e.CaseID, &e.Outcome, &reasons, &e.Folder, &e.FiledBy, &created, &updated)
	if err != nil {
		return nil, err
	}
	e.UIDValidity, e.UID, e.State = uint32(uidValidity), uint32(uid), EntryState(s)
	e.NextAttempt, e.Created, e.Updated = sqldb.ParseTime(next), sqldb.ParseTime(created), sqldb.ParseTime(updated)
	if err := json.Unmarshal([]byte(reasons), &e.Reasons); err != nil {
		return nil, fmt.Errorf("reasons: %v", err)
	}
	return &e, nil
}

func (l *SQLLedger) entry(ctx context.Context, q querier, key MessageKey) (*LedgerEntry, error) {
	row := q.QueryRowContext(ctx, l.rebind(`SELECT `+entryColumns+` FROM ledger
		WHERE account = ? AND mailbox = ? AND uidvalidity = ? AND uid = ?`),
		key.Account, key.Mailbox, int64(key.UIDValidity), int64(key.UID))
	e, err := scanEntry(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s", ErrNoEntry, key)
	}
	if err != nil {
		return nil, fmt.Errorf("audit: ledger: %s: %w", key, err)
	}
	return e, nil
}

// Entry implements Ledger.
func (l *SQLLedger) Entry(ctx context.Context, key MessageKey) (*LedgerEntry, error) {
	return l.entry(ctx, l.db, key)
}

// Claim implements Ledger.
func (l *SQLLedger) Claim(ctx context.Context, c Claim) (*LedgerEntry, bool, error) {
	var (
		out     *LedgerEntry
		adopted bool
	)
	err := l.tx(ctx, func(tx *sql.Tx) error {
		if e, err := l.entry(ctx, tx, c.Key); err == nil {
			out = e
			return nil
		} else if !errors.Is(err, ErrNoEntry) {
			return err
		}
		now := sqldb.FormatTime(l.now())
		prev, err := l.findAdoptable(ctx, tx, c)
		if err != nil {
			return err
		}
		e := LedgerEntry{MessageKey: c.Key, MessageID: c.MessageID, SHA256: c.SHA256, Size: c.Size, State: EntryClaimed}
		if prev != nil {
			adopted = true
			e.State, e.Attempts, e.NextAttempt, e.LastError = prev.State, prev.Attempts, prev.NextAttempt, prev.LastError
			e.CaseID, e.Outcome, e.Reasons = prev.CaseID, prev.Outcome, prev.Reasons
			if e.State == EntryFiled {
				e.State = EntryProcessed // the message is back in the mailbox: file it again
			}
			_, err = tx.ExecContext(ctx, l.rebind(`UPDATE cases SET message_ref = ?, updated = ? WHERE id = ?`),
				c.Key.String(), now, e.CaseID)
		} else {
			e.CaseID, err = l.openCase(ctx, tx, c, now)
		}
		if err != nil {
			return fmt.Errorf("audit: ledger: claim %s: %w", c.Key, err)
		}
		reasons, _ := json.Marshal(nonNil(e.Reasons))
		_, err = tx.ExecContext(ctx, l.rebind(`INSERT INTO ledger (`+entryColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?)`),
			c.Key.Account, c.Key.Mailbox, int64(c.Key.UIDValidity), int64(c.Key.UID), c.MessageID, c.SHA256, c.Size,
			string(e.State), e.Attempts, sqldb.FormatTime(e.NextAttempt), e.LastError, e.CaseID, e.Outcome, string(reasons), now, now)
		if err != nil {
			return fmt.Errorf("audit: ledger: claim %s: %w", c.Key, err)
		}
		_, err = tx.ExecContext(ctx, l.rebind(`INSERT INTO ledger_highwater (account, mailbox, uidvalidity, uid, updated)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (account, mailbox, uidvalidity) DO UPDATE SET
				uid = CASE WHEN excluded.uid > ledger_highwater.uid THEN excluded.uid ELSE ledger_highwater.uid END,
				updated = excluded.updated`),
			c.Key.Account, c.Key.Mailbox, int64(c.Key.UIDValidity), int64(c.Key.UID), now)
		if err != nil {
			return fmt.Errorf("audit: ledger: high-water %s: %w", c.Key, err)
		}
		out, err = l.entry(ctx, tx, c.Key)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return out, adopted, nil
}

// findAdoptable finds the entry a claim is the same message as: same account
// and mailbox, another UIDVALIDITY, same Message-ID and hash (and size, when
// the hash is unknown because the message was too large to fetch). When the
// same content was already taken under the claim's own UIDVALIDITY, the
// message was put into the mailbox again on purpose: a new arrival.
func (l *SQLLedger) findAdoptable(ctx context.Context, q querier, c Claim) (*LedgerEntry, error) {
	if c.SHA256 == "" && c.MessageID == "" {
		return nil, nil
	}
	row := q.QueryRowContext(ctx, l.rebind(`SELECT `+entryColumns+` FROM ledger
		WHERE account = ? AND mailbox = ? AND message_id = ? AND sha256 = ? AND size = ?
		ORDER BY CASE WHEN uidvalidity = ? THEN 0 ELSE 1 END, updated DESC LIMIT 1`),
		c.Key.Account, c.Key.Mailbox, c.MessageID, c.SHA256, c.Size, int64(c.Key.UIDValidity))
	e, err := scanEntry(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit: ledger: find by content: %w", err)
	}
	if e.UIDValidity == c.Key.UIDValidity {
		return nil, nil
	}
	return e, nil
}

// openCase inserts a case with a fresh random id.
func (l *SQLLedger) openCase(ctx context.Context, tx *sql.Tx, c Claim, now string) (string, error) {
	for range 10 {
		id := NewCaseID()
		res, err := tx.ExecContext(ctx, l.rebind(`INSERT INTO cases
			(id, message_ref, message_sha256, status, sender_fax, sender_address, created, updated)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
			id, c.Key.String(), c.SHA256, CaseOpen, c.SenderFax, c.SenderAddress, now, now)
		if err != nil {
			return "", err
		}
		if n, err := res.RowsAffected(); err != nil {
			return "", err
		} else if n == 1 {
			return id, nil
		}
	}
	return "", errors.New("no free case id after 10 tries")
}

// update runs one UPDATE on the entry for key and fails with ErrNoEntry when
// there is none.
func (l *SQLLedger) update(ctx context.Context, q querier, key MessageKey, set string, args ...any) error {
	args = append(args, sqldb.FormatTime(l.now()), key.Account, key.Mailbox, int64(key.UIDValidity), int64(key.UID))
	res, err := q.ExecContext(ctx, l.rebind(`UPDATE ledger SET `+set+`, updated = ?
		WHERE account = ? AND mailbox = ? AND uidvalidity = ? AND uid = ?`), args...)
	if err != nil {
		return fmt.Errorf("audit: ledger: %s: %w", key, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("audit: ledger: %s: %w", key, err)
	} else if n == 0 {
		return fmt.Errorf("%w: %s", ErrNoEntry, key)
	}
	return nil
}

// Identify implements Ledger.
func (l *SQLLedger) Identify(ctx context.Context, key MessageKey, messageID, sha256 string, size int64) error {
	return l.tx(ctx, func(tx *sql.Tx) error {
		if err := l.update(ctx, tx, key, `message_id = ?, sha256 = ?, size = ?`, messageID, sha256, size); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, l.rebind(`UPDATE cases SET message_sha256 = ?, updated = ?
			WHERE id = (SELECT case_id FROM ledger WHERE account = ? AND mailbox = ? AND uidvalidity = ? AND uid = ?)`),
			sha256, sqldb.FormatTime(l.now()), key.Account, key.Mailbox, int64(key.UIDValidity), int64(key.UID))
		return err
	})
}

// Begin implements Ledger.
func (l *SQLLedger) Begin(ctx context.Context, key MessageKey) (*LedgerEntry, error) {
	var e *LedgerEntry
	err := l.tx(ctx, func(tx *sql.Tx) error {
		if err := l.update(ctx, tx, key, `state = ?, attempts = attempts + 1`, string(EntryProcessing)); err != nil {
			return err
		}
		var err error
		e, err = l.entry(ctx, tx, key)
		return err
	})
	return e, err
}

// Retry implements Ledger.
func (l *SQLLedger) Retry(ctx context.Context, key MessageKey, lastError string, next time.Time) error {
	return l.update(ctx, l.db, key, `state = ?, last_error = ?, next_attempt = ?`,
		string(EntryRetry), lastError, sqldb.FormatTime(next))
}

// Decide implements Ledger.
func (l *SQLLedger) Decide(ctx context.Context, key MessageKey, d Decision) error {
	if d.Outcome == "" {
		return fmt.Errorf("audit: ledger: decide %s: no outcome", key)
	}
	reasons, _ := json.Marshal(nonNil(d.Reasons))
	return l.tx(ctx, func(tx *sql.Tx) error {
		e, err := l.entry(ctx, tx, key)
		if err != nil {
			return err
		}
		if err := l.update(ctx, tx, key, `state = ?, outcome = ?, reasons = ?, last_error = ?, next_attempt = ''`,
			string(EntryProcessed), d.Outcome, string(reasons), d.LastError); err != nil {
			return err
		}
		now := sqldb.FormatTime(l.now())
		_, err = tx.ExecContext(ctx, l.rebind(`UPDATE cases SET status = ?,
			sender_fax = CASE WHEN ? <> '' THEN ? ELSE sender_fax END,
			sender_address = CASE WHEN ? <> '' THEN ? ELSE sender_address END,
			updated = ? WHERE id = ?`),
			d.Outcome, d.SenderFax, d.SenderFax, d.SenderAddress, d.SenderAddress, now, e.CaseID)
		if err != nil {
			return fmt.Errorf("audit: ledger: decide %s: case: %w", key, err)
		}
		if d.Effects != nil {
			if err := d.Effects(ctx, tx); err != nil {
				return fmt.Errorf("audit: ledger: decide %s: %w", key, err)
			}
		}
		return nil
	})
}

// Filed implements Ledger.
func (l *SQLLedger) Filed(ctx context.Context, key MessageKey, folder, by string) error {
	return l.update(ctx, l.db, key, `state = ?, folder = ?, filed_by = ?`, string(EntryFiled), folder, by)
}

// Unfinished implements Ledger.
func (l *SQLLedger) Unfinished(ctx context.Context, account, mailbox string, uidValidity uint32) ([]LedgerEntry, error) {
	rows, err := l.db.QueryContext(ctx, l.rebind(`SELECT `+entryColumns+` FROM ledger
		WHERE account = ? AND mailbox = ? AND uidvalidity = ? AND state <> ? ORDER BY uid`),
		account, mailbox, int64(uidValidity), string(EntryFiled))
	if err != nil {
		return nil, fmt.Errorf("audit: ledger: unfinished: %w", err)
	}
	defer rows.Close()
	var out []LedgerEntry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("audit: ledger: unfinished: %w", err)
		}
		out = append(out, *e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit: ledger: unfinished: %w", err)
	}
	return out, nil
}

// Case implements Ledger.
func (l *SQLLedger) Case(ctx context.Context, id string) (*Case, error) {
	var c Case
	var created, updated string
	err := l.db.QueryRowContext(ctx, l.rebind(`SELECT id, message_ref, message_sha256, status, sender_fax, sender_address, created, updated
		FROM cases WHERE id = ?`), strings.ToUpper(id)).
		Scan(&c.ID, &c.MessageRef, &c.MessageSHA256, &c.Status, &c.SenderFax, &c.SenderAddress, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s", ErrNoCase, id)
	}
	if err != nil {
		return nil, fmt.Errorf("audit: ledger: case %s: %w", id, err)
	}
	c.Created, c.Updated = sqldb.ParseTime(created), sqldb.ParseTime(updated)
	return &c, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
