package intake

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"rxintake/casefile"
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
var ErrNoEntry = errors.New("intake: no such ledger entry")

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

// Entry is one message on the ledger.
type Entry struct {
	MessageKey
	MessageID   string // without angle brackets; "" when the message has none
	SHA256      string // hex digest of the raw message; "" when it was not fetched whole
	Size        int64  // RFC822.SIZE as the server reported it
	State       EntryState
	Attempts    int       // processing attempts started
	NextAttempt time.Time // for EntryRetry: not before
	LastError   string
	CaseID      string
	Outcome     casefile.Status // complete | needs-correction | needs-review, once decided
	Reasons     []string        // why, for the outcome (rule ids, not-a-referral reasons)
	Folder      string          // where it was filed: a folder, or the keyword it was marked with
	FiledBy     string          // move | copy | keyword
	Created     time.Time
	Updated     time.Time
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
	Outcome       casefile.Status
	Reasons       []string
	LastError     string // the error that led to it, if any
	SenderFax     string // kept on the case when not ""
	SenderAddress string // kept on the case when not ""
	// Effects runs inside the decision's transaction: what must happen
	// exactly once with the decision (the case's documents, a correction
	// request in the outbox) commits or rolls back with it.
	Effects func(ctx context.Context, tx *sql.Tx) error
}

// Ledger is the record of messages taken from mailboxes, in the database;
// each message's case is opened in the case store with its claim. Every
// method is one transaction. Its SQL is portable: standard types, times in
// sqldb.TimeLayout, ON CONFLICT upserts.
type Ledger struct {
	db    *sql.DB
	cases *casefile.Store
	now   func() time.Time
}

// The tables are created and changed by the numbered files of migrations/.
//
//go:embed migrations/*.sql
var migrations embed.FS

// NewLedger returns the ledger in db, bringing its tables up to date; cases is where the messages' cases are opened.
func NewLedger(ctx context.Context, db *sql.DB, cases *casefile.Store) (*Ledger, error) {
	if err := sqldb.Migrate(ctx, db, "intake", migrations); err != nil {
		return nil, err
	}
	return &Ledger{db: db, cases: cases, now: time.Now}, nil
}

// tx runs f in one transaction (BEGIN IMMEDIATE on SQLite).
func (l *Ledger) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("intake: ledger: %w", err)
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("intake: ledger: commit: %w", err)
	}
	return nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// HighWater is the highest UID claimed in the mailbox under uidValidity,
// 0 when none.
func (l *Ledger) HighWater(ctx context.Context, account, mailbox string, uidValidity uint32) (uint32, error) {
	var uid int64
	err := l.db.QueryRowContext(ctx, `SELECT uid FROM ledger_highwater WHERE account = ? AND mailbox = ? AND uidvalidity = ?`,
		account, mailbox, int64(uidValidity)).Scan(&uid)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("intake: ledger: high-water: %w", err)
	}
	return uint32(uid), nil
}

const entryColumns = `account, mailbox, uidvalidity, uid, message_id, sha256, size, state, attempts,
	next_attempt, last_error, case_id, outcome, reasons, folder, filed_by, created, updated`

func scanEntry(row interface{ Scan(...any) error }) (*Entry, error) {
	var (
		e                                  Entry
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

func (l *Ledger) entry(ctx context.Context, q querier, key MessageKey) (*Entry, error) {
	row := q.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM ledger
		WHERE account = ? AND mailbox = ? AND uidvalidity = ? AND uid = ?`,
		key.Account, key.Mailbox, int64(key.UIDValidity), int64(key.UID))
	e, err := scanEntry(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s", ErrNoEntry, key)
	}
	if err != nil {
		return nil, fmt.Errorf("intake: ledger: %s: %w", key, err)
	}
	return e, nil
}

// Entry returns the entry for key, or ErrNoEntry.
func (l *Ledger) Entry(ctx context.Context, key MessageKey) (*Entry, error) {
	return l.entry(ctx, l.db, key)
}

// Claim records a message and opens its case, and raises the high-water
// mark to its UID. When the mailbox was seen before under another
// UIDVALIDITY and an entry there has the same Message-ID and SHA-256, the
// new entry adopts it (its case, state, attempts and outcome; a filed entry
// comes back as processed, to be filed again) and adopted is true. Claiming
// a key already claimed returns its entry unchanged.
func (l *Ledger) Claim(ctx context.Context, c Claim) (*Entry, bool, error) {
	var (
		out     *Entry
		adopted bool
	)
	err := l.tx(ctx, func(tx *sql.Tx) error {
		if e, err := l.entry(ctx, tx, c.Key); err == nil {
			out = e
			return nil
		} else if !errors.Is(err, ErrNoEntry) {
			return err
		}
		at := l.now()
		now := sqldb.FormatTime(at)
		prev, err := l.findAdoptable(ctx, tx, c)
		if err != nil {
			return err
		}
		e := Entry{MessageKey: c.Key, MessageID: c.MessageID, SHA256: c.SHA256, Size: c.Size, State: EntryClaimed}
		if prev != nil {
			adopted = true
			e.State, e.Attempts, e.NextAttempt, e.LastError = prev.State, prev.Attempts, prev.NextAttempt, prev.LastError
			e.CaseID, e.Outcome, e.Reasons = prev.CaseID, prev.Outcome, prev.Reasons
			if e.State == EntryFiled {
				e.State = EntryProcessed // the message is back in the mailbox: file it again
			}
			err = l.cases.SetMessage(ctx, tx, e.CaseID, c.Key.String(), "")
		} else {
			e.CaseID, err = l.cases.Open(ctx, tx, casefile.Opening{MessageRef: c.Key.String(), SHA256: c.SHA256,
				SenderFax: c.SenderFax, SenderAddress: c.SenderAddress, At: at})
		}
		if err != nil {
			return fmt.Errorf("intake: ledger: claim %s: %w", c.Key, err)
		}
		reasons, _ := json.Marshal(nonNil(e.Reasons))
		_, err = tx.ExecContext(ctx, `INSERT INTO ledger (`+entryColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?)`,
			c.Key.Account, c.Key.Mailbox, int64(c.Key.UIDValidity), int64(c.Key.UID), c.MessageID, c.SHA256, c.Size,
			string(e.State), e.Attempts, sqldb.FormatTime(e.NextAttempt), e.LastError, e.CaseID, e.Outcome, string(reasons), now, now)
		if err != nil {
			return fmt.Errorf("intake: ledger: claim %s: %w", c.Key, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO ledger_highwater (account, mailbox, uidvalidity, uid, updated)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (account, mailbox, uidvalidity) DO UPDATE SET
				uid = CASE WHEN excluded.uid > ledger_highwater.uid THEN excluded.uid ELSE ledger_highwater.uid END,
				updated = excluded.updated`,
			c.Key.Account, c.Key.Mailbox, int64(c.Key.UIDValidity), int64(c.Key.UID), now)
		if err != nil {
			return fmt.Errorf("intake: ledger: high-water %s: %w", c.Key, err)
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
func (l *Ledger) findAdoptable(ctx context.Context, q querier, c Claim) (*Entry, error) {
	if c.SHA256 == "" && c.MessageID == "" {
		return nil, nil
	}
	row := q.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM ledger
		WHERE account = ? AND mailbox = ? AND message_id = ? AND sha256 = ? AND size = ?
		ORDER BY CASE WHEN uidvalidity = ? THEN 0 ELSE 1 END, updated DESC LIMIT 1`,
		c.Key.Account, c.Key.Mailbox, c.MessageID, c.SHA256, c.Size, int64(c.Key.UIDValidity))
	e, err := scanEntry(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("intake: ledger: find by content: %w", err)
	}
	if e.UIDValidity == c.Key.UIDValidity {
		return nil, nil
	}
	return e, nil
}

// update runs one UPDATE on the entry for key and fails with ErrNoEntry when
// there is none.
func (l *Ledger) update(ctx context.Context, q querier, key MessageKey, set string, args ...any) error {
	args = append(args, sqldb.FormatTime(l.now()), key.Account, key.Mailbox, int64(key.UIDValidity), int64(key.UID))
	res, err := q.ExecContext(ctx, `UPDATE ledger SET `+set+`, updated = ?
		WHERE account = ? AND mailbox = ? AND uidvalidity = ? AND uid = ?`, args...)
	if err != nil {
		return fmt.Errorf("intake: ledger: %s: %w", key, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("intake: ledger: %s: %w", key, err)
	} else if n == 0 {
		return fmt.Errorf("%w: %s", ErrNoEntry, key)
	}
	return nil
}

// Identify fills in the Message-ID, hash and size of an entry claimed
// before its content could be read.
func (l *Ledger) Identify(ctx context.Context, key MessageKey, messageID, sha256 string, size int64) error {
	return l.tx(ctx, func(tx *sql.Tx) error {
		if err := l.update(ctx, tx, key, `message_id = ?, sha256 = ?, size = ?`, messageID, sha256, size); err != nil {
			return err
		}
		e, err := l.entry(ctx, tx, key)
		if err != nil {
			return err
		}
		return l.cases.SetMessage(ctx, tx, e.CaseID, "", sha256)
	})
}

// Begin starts a processing attempt: state processing, attempts + 1.
func (l *Ledger) Begin(ctx context.Context, key MessageKey) (*Entry, error) {
	var e *Entry
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

// Retry records a temporary failure: state failed-temporary until next.
func (l *Ledger) Retry(ctx context.Context, key MessageKey, lastError string, next time.Time) error {
	return l.update(ctx, l.db, key, `state = ?, last_error = ?, next_attempt = ?`,
		string(EntryRetry), lastError, sqldb.FormatTime(next))
}

// Decide commits the outcome (state processed) and sets the case's status.
func (l *Ledger) Decide(ctx context.Context, key MessageKey, d Decision) error {
	if d.Outcome == "" {
		return fmt.Errorf("intake: ledger: decide %s: no outcome", key)
	}
	reasons, _ := json.Marshal(nonNil(d.Reasons))
	return l.tx(ctx, func(tx *sql.Tx) error {
		e, err := l.entry(ctx, tx, key)
		if err != nil {
			return err
		}
		if err := l.update(ctx, tx, key, `state = ?, outcome = ?, reasons = ?, last_error = ?, next_attempt = ''`,
			string(EntryProcessed), string(d.Outcome), string(reasons), d.LastError); err != nil {
			return err
		}
		if err := l.cases.SetStatus(ctx, tx, e.CaseID, d.Outcome, strings.Join(d.Reasons, ", ")); err != nil {
			return fmt.Errorf("intake: ledger: decide %s: %w", key, err)
		}
		if err := l.cases.SetSender(ctx, tx, e.CaseID, d.SenderFax, d.SenderAddress); err != nil {
			return fmt.Errorf("intake: ledger: decide %s: %w", key, err)
		}
		if d.Effects != nil {
			if err := d.Effects(ctx, tx); err != nil {
				return fmt.Errorf("intake: ledger: decide %s: %w", key, err)
			}
		}
		return nil
	})
}

// Filed records where the message was filed (state filed).
func (l *Ledger) Filed(ctx context.Context, key MessageKey, folder, by string) error {
	return l.update(ctx, l.db, key, `state = ?, folder = ?, filed_by = ?`, string(EntryFiled), folder, by)
}

// Unfinished lists the entries under uidValidity that are not filed, in UID
// order.
func (l *Ledger) Unfinished(ctx context.Context, account, mailbox string, uidValidity uint32) ([]Entry, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT `+entryColumns+` FROM ledger
		WHERE account = ? AND mailbox = ? AND uidvalidity = ? AND state <> ? ORDER BY uid`,
		account, mailbox, int64(uidValidity), string(EntryFiled))
	if err != nil {
		return nil, fmt.Errorf("intake: ledger: unfinished: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("intake: ledger: unfinished: %w", err)
		}
		out = append(out, *e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("intake: ledger: unfinished: %w", err)
	}
	return out, nil
}

// Backlog is the work intake has taken from the mailbox and not yet
// finished: how many messages are claimed but not filed, and when the
// oldest of them was claimed (zero when there are none).
func (l *Ledger) Backlog(ctx context.Context) (n int, oldest time.Time, err error) {
	var first sql.NullString
	err = l.db.QueryRowContext(ctx, `SELECT COUNT(*), MIN(created) FROM ledger WHERE state <> ?`, string(EntryFiled)).Scan(&n, &first)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("intake: ledger: backlog: %w", err)
	}
	if first.Valid {
		oldest = sqldb.ParseTime(first.String)
	}
	return n, oldest, nil
}

// oldOriginals lists the digests of the messages whose every entry is
// filed and was claimed before before: their stored originals are past
// retention.
func (l *Ledger) oldOriginals(ctx context.Context, before time.Time) ([]string, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT sha256 FROM ledger WHERE sha256 <> '' GROUP BY sha256
		HAVING MAX(created) < ? AND SUM(CASE WHEN state <> ? THEN 1 ELSE 0 END) = 0`, sqldb.FormatTime(before), string(EntryFiled))
	if err != nil {
		return nil, fmt.Errorf("intake: ledger: old originals: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("intake: ledger: old originals: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Outcomes counts the messages decided, by outcome.
func (l *Ledger) Outcomes(ctx context.Context) (map[string]int, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT outcome, COUNT(*) FROM ledger WHERE outcome <> '' GROUP BY outcome`)
	if err != nil {
		return nil, fmt.Errorf("intake: ledger: outcomes: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var o string
		var n int
		if err := rows.Scan(&o, &n); err != nil {
			return nil, fmt.Errorf("intake: ledger: outcomes: %w", err)
		}
		out[o] = n
	}
	return out, rows.Err()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
