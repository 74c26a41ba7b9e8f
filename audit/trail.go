package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"rxintake/internal/sqldb"
)

// The audit trail is the record the office manager (and, one day, an auditor)
// reads to learn who did what to which case and when. It is not the log: every
// kind of event has its own method (see trail_event.go) with typed arguments,
// so that protected health information (patient names, dates of birth, OCR
// text, patients' addresses) has no parameter to arrive through.
//
// Each entry is chained to the one before it: its hash covers its own fields
// and the previous entry's hash, and the first entry chains from genesisHash.
// Changing, removing or reordering an entry breaks the chain and Verify names
// the first entry affected. Removing entries from the end, or rewriting the
// whole tail with recomputed hashes, leaves a chain that is consistent in
// itself; checkpoints (checkpoint.go), kept away from the database, catch that.
//
// Retention: HIPAA requires the trail to be kept for six years from the date
// an entry was written (45 CFR 164.316(b)(2)(i)). The application never
// updates entries, and deletes them only in Purge (purge.go): the entries
// older than retention.audit (at least RetentionYears), by checkpointed
// segment, the chain kept verifiable from the checkpoint's hash. Triggers in
// the database refuse UPDATE and DELETE on the trail otherwise.

// RetentionYears is how long audit entries must be kept.
const RetentionYears = 6

var (
	// ErrInvalid reports an event argument that is malformed or could carry
	// PHI. It is permanent: the caller has a bug, and nothing was written.
	ErrInvalid = errors.New("audit: invalid event argument")
	// ErrStore reports that the trail's database could not be read or
	// written. It is usually temporary (a busy or full disk, a lock held too
	// long): the caller may retry the operation.
	ErrStore = errors.New("audit: trail database")
)

var timeNow = time.Now // replaced in tests

// genesisHash is the prev_hash of the first entry.
const genesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// hashDomain separates trail hashes from every other SHA-256 use.
const hashDomain = "rxintake audit trail v1\x00"

// Actors.
const (
	ActorWorker    = "worker"
	ActorAnonymous = "anonymous" // a failed sign-in that named no known user
	actorUserPref  = "user:"
)

// Event names, as stored in the event column and used by List filters.
const (
	EventMessageReceived        = "message-received"
	EventCaseOpened             = "case-opened"
	EventDocumentRead           = "document-read"
	EventFindings               = "findings"
	EventDecision               = "decision"
	EventCorrectionQueued       = "correction-queued"
	EventCorrectionSent         = "correction-sent"
	EventCorrectionFailed       = "correction-failed"
	EventCorrectionReminded     = "correction-reminded"
	EventMessageFiled           = "message-filed"
	EventCorrectedRxLinked      = "corrected-rx-linked"
	EventCaseOverridden         = "case-overridden"
	EventPageViewed             = "page-viewed"
	EventUserSignedIn           = "user-signed-in"
	EventUserSignInFailed       = "user-sign-in-failed"
	EventConfigLoaded           = "config-loaded"
	EventDuplicateSendSuspected = "duplicate-send-suspected"
	EventCaseState              = "case-state"
)

// TrailOptions configures a Trail. The zero value works: no checkpoint
// directory, the default logger.
type TrailOptions struct {
	// CheckpointDir is where checkpoint files are written by Checkpoint and
	// read by Verify; normally CheckpointDir(dataDir). Empty: the checkpoint
	// table only.
	CheckpointDir string
	// SigningKey signs every checkpoint taken (LoadSigningKey reads it
	// from audit.checkpoint_key_file). Without it checkpoints are
	// unsigned, and Verify reports the trail unanchored.
	SigningKey ed25519.PrivateKey
	// PublicKey checks checkpoint signatures in Verify; when nil, the
	// public half of SigningKey. Verify needs only this one.
	PublicKey ed25519.PublicKey
	// Sinks receive every checkpoint off the machine (Deliver).
	Sinks  []Sink
	Logger *slog.Logger
}

// Trail is the append-only, hash-chained audit trail. It is safe for
// concurrent use, and several processes may append to the same database:
// every append runs in a BEGIN IMMEDIATE transaction (the DSN of sqldb.Open sets
// _txlock=immediate), so the chain stays linear. On PostgreSQL the append
// holds the chain's advisory lock (chainLock) from before it reads the head
// until it commits, for the same reason (docs/postgres.md, "The audit
// trail").
type Trail struct {
	db   *sql.DB
	d    sqldb.Dialect
	opts TrailOptions
	log  *slog.Logger
	mu   sync.Mutex // serializes this process's appends; SQLite serializes processes
	// deliverMu lets one Deliver run at a time in this process.
	deliverMu sync.Mutex
}

// Entry is one row of the trail.
type Entry struct {
	Seq      int64           `json:"seq"`
	At       time.Time       `json:"at"`
	Actor    string          `json:"actor"`
	CaseID   string          `json:"case_id"`
	Event    string          `json:"event"`
	Outcome  string          `json:"outcome"`
	Detail   json.RawMessage `json:"detail"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// The tables are created and changed by the numbered files of migrations/.
//
//go:embed migrations/*.sql
var migrations embed.FS

// trailGuards make the trail and its checkpoints append-only: defence in
// depth against a stray statement elsewhere in the program. Someone with the
// sqlite3 shell can drop them, and Verify then catches what they change;
// NewTrail creates them again at every start.
var trailGuards = map[sqldb.Dialect][]string{sqldb.SQLite: {
	`CREATE TRIGGER IF NOT EXISTS audit_trail_no_update BEFORE UPDATE ON audit_trail
		BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END`,
	`CREATE TRIGGER IF NOT EXISTS audit_trail_no_delete BEFORE DELETE ON audit_trail
		BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END`,
	`CREATE TRIGGER IF NOT EXISTS audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
		BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END`,
	`CREATE TRIGGER IF NOT EXISTS audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
		BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END`,
	`CREATE TRIGGER IF NOT EXISTS audit_purge_no_update BEFORE UPDATE ON audit_purge
		BEGIN SELECT RAISE(ABORT, 'audit purges are append-only'); END`,
	`CREATE TRIGGER IF NOT EXISTS audit_purge_no_delete BEFORE DELETE ON audit_purge
		BEGIN SELECT RAISE(ABORT, 'audit purges are append-only'); END`,
},
	// PostgreSQL refuses TRUNCATE too, which bypasses row triggers.
	sqldb.Postgres: {
		`CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$`,
		`CREATE OR REPLACE TRIGGER audit_trail_no_update BEFORE UPDATE ON audit_trail
		FOR EACH ROW EXECUTE FUNCTION audit_append_only('audit trail is append-only')`,
		`CREATE OR REPLACE TRIGGER audit_trail_no_delete BEFORE DELETE ON audit_trail
		FOR EACH ROW EXECUTE FUNCTION audit_append_only('audit trail is append-only')`,
		`CREATE OR REPLACE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON audit_trail
		FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only('audit trail is append-only')`,
		`CREATE OR REPLACE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
		FOR EACH ROW EXECUTE FUNCTION audit_append_only('audit checkpoints are append-only')`,
		`CREATE OR REPLACE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
		FOR EACH ROW EXECUTE FUNCTION audit_append_only('audit checkpoints are append-only')`,
		`CREATE OR REPLACE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
		FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only('audit checkpoints are append-only')`,
		`CREATE OR REPLACE TRIGGER audit_purge_no_update BEFORE UPDATE ON audit_purge
		FOR EACH ROW EXECUTE FUNCTION audit_append_only('audit purges are append-only')`,
		`CREATE OR REPLACE TRIGGER audit_purge_no_delete BEFORE DELETE ON audit_purge
		FOR EACH ROW EXECUTE FUNCTION audit_append_only('audit purges are append-only')`,
		`CREATE OR REPLACE TRIGGER audit_purge_no_truncate BEFORE TRUNCATE ON audit_purge
		FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only('audit purges are append-only')`,
	},
}

// NewTrail returns the trail stored in db, bringing its tables up to date.
// db should come from sqldb.Open or sqldb.OpenURL.
func NewTrail(ctx context.Context, db *sql.DB, opts TrailOptions) (*Trail, error) {
	d := sqldb.DialectOf(db)
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	if err := sqldb.Migrate(ctx, db, "audit", migrations); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStore, err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: create tables: %v", ErrStore, err)
	}
	defer tx.Rollback()
	for _, stmt := range trailGuards[d] {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("%w: create tables: %v", ErrStore, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("%w: create tables: %v", ErrStore, err)
	}
	if opts.PublicKey == nil && opts.SigningKey != nil {
		opts.PublicKey = opts.SigningKey.Public().(ed25519.PublicKey)
	}
	return &Trail{db: db, d: d, opts: opts, log: log}, nil
}

// record is what an event method hands to append; the rest is filled in.
type record struct {
	actor, caseID, event, outcome string
	detail                        any // marshalled to a JSON object
}

// append writes one entry at the end of the chain and returns it.
func (t *Trail) append(ctx context.Context, r record) (Entry, error) {
	detail, err := json.Marshal(r.detail)
	if err != nil {
		return Entry{}, fmt.Errorf("%w: %s detail: %v", ErrInvalid, r.event, err)
	}
	if len(detail) == 0 || detail[0] != '{' {
		return Entry{}, fmt.Errorf("%w: %s detail is not an object", ErrInvalid, r.event)
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return Entry{}, fmt.Errorf("%w: append %s: %v", ErrStore, r.event, err)
	}
	defer tx.Rollback()
	e, err := appendTx(ctx, tx, t.d, r, detail)
	if err != nil {
		return Entry{}, err
	}
	if err := tx.Commit(); err != nil {
		return Entry{}, fmt.Errorf("%w: append %s: commit: %v", ErrStore, r.event, err)
	}
	return e, nil
}

// chainLock names the advisory lock (sqldb.Lock) an append holds on
// PostgreSQL from before it reads the head of the chain until it commits:
// another appender waits, then reads the head this one wrote. (A SELECT …
// FOR UPDATE of the last row would not do: the next appender, woken, would
// still see that row as the head and fork the chain.)
const chainLock = "audit_trail chain"

// appendTx writes one entry at the end of the chain inside tx, which must
// hold the database's write lock (BEGIN IMMEDIATE; on PostgreSQL it takes
// chainLock itself).
func appendTx(ctx context.Context, tx *sql.Tx, d sqldb.Dialect, r record, detail []byte) (Entry, error) {
	if err := sqldb.Lock(ctx, tx, d, chainLock); err != nil {
		return Entry{}, fmt.Errorf("%w: append %s: lock the chain: %v", ErrStore, r.event, err)
	}
	// The next seq follows the highest ever used (sqlite_sequence remembers
	// it even if the last rows were deleted), so entries removed from the end
	// stay visible as a gap once the trail grows again. The chain continues
	// from the last row present.
	var lastSeq, maxSeq int64
	prev := genesisHash
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_trail ORDER BY seq DESC LIMIT 1`).Scan(&lastSeq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Entry{}, fmt.Errorf("%w: append %s: read head: %v", ErrStore, r.event, err)
	}
	maxSeq, err = highestSeq(ctx, tx, d)
	if err != nil {
		return Entry{}, fmt.Errorf("%w: append %s: read sequence: %v", ErrStore, r.event, err)
	}
	e := Entry{
		Seq:      max(lastSeq, maxSeq) + 1,
		At:       timeNow().UTC(),
		Actor:    r.actor,
		CaseID:   r.caseID,
		Event:    r.event,
		Outcome:  r.outcome,
		Detail:   detail,
		PrevHash: prev,
	}
	at := e.At.Format(time.RFC3339Nano)
	e.Hash = entryHash(e.Seq, at, e.Actor, e.CaseID, e.Event, e.Outcome, string(detail), e.PrevHash)
	_, err = tx.ExecContext(ctx,
		`INSERT INTO audit_trail (seq, at, actor, case_id, event, outcome, detail, prev_hash, hash)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, at, e.Actor, e.CaseID, e.Event, e.Outcome, string(detail), e.PrevHash, e.Hash)
	if err != nil {
		return Entry{}, fmt.Errorf("%w: append %s: %v", ErrStore, r.event, err)
	}
	return e, nil
}

// highestSeq returns the highest seq the trail has ever used. SQLite's
// sqlite_sequence remembers it after rows are deleted; PostgreSQL has no
// transactional counterpart (a sequence is not rolled back, and would leave
// a gap at every failed append), so there it is the highest present, and a
// removed tail shows against the checkpoints (docs/postgres.md).
func highestSeq(ctx context.Context, tx *sql.Tx, d sqldb.Dialect) (int64, error) {
	q := `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_trail'), 0)`
	if d == sqldb.Postgres {
		q = `SELECT COALESCE(MAX(seq), 0) FROM audit_trail`
	}
	var n int64
	err := tx.QueryRowContext(ctx, q).Scan(&n)
	return n, err
}

// entryHash is the hex SHA-256 of an entry. The encoding is unambiguous:
// a domain string, seq as 8 big-endian bytes, then every text field as its
// length (8 big-endian bytes) followed by its bytes exactly as stored.
func entryHash(seq int64, at, actor, caseID, event, outcome, detail, prevHash string) string {
	h := sha256.New()
	var n [8]byte
	h.Write([]byte(hashDomain))
	binary.BigEndian.PutUint64(n[:], uint64(seq))
	h.Write(n[:])
	for _, f := range [...]string{at, actor, caseID, event, outcome, detail, prevHash} {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// row is an entry as stored, every field as text, which is what the hash
// covers.
type row struct {
	seq                                                   int64
	at, actor, caseID, event, outcome, detail, prev, hash string
}

const rowColumns = `seq, at, actor, case_id, event, outcome, detail, prev_hash, hash`

func scanRow(rows *sql.Rows) (row, error) {
	var r row
	err := rows.Scan(&r.seq, &r.at, &r.actor, &r.caseID, &r.event, &r.outcome, &r.detail, &r.prev, &r.hash)
	return r, err
}

func (r row) computeHash(seq int64, prev string) string {
	return entryHash(seq, r.at, r.actor, r.caseID, r.event, r.outcome, r.detail, prev)
}

func (r row) entry() Entry {
	at, _ := time.Parse(time.RFC3339Nano, r.at)
	return Entry{
		Seq: r.seq, At: at, Actor: r.actor, CaseID: r.caseID, Event: r.event,
		Outcome: r.outcome, Detail: json.RawMessage(r.detail), PrevHash: r.prev, Hash: r.hash,
	}
}

// when renders a stored timestamp for a sentence: "2026-11-20 14:02 UTC".
func when(at string) string {
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return fmt.Sprintf("%q", at)
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// Written is the number of the last entry ever written (entries are
// numbered from 1, never reused): the count of entries written, removed
// ones included.
func (t *Trail) Written(ctx context.Context) (int64, error) {
	var n int64
	err := t.db.QueryRowContext(ctx, `SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_trail'), 0),
		COALESCE((SELECT MAX(seq) FROM audit_trail), 0))`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("%w: written: %v", ErrStore, err)
	}
	return n, nil
}
