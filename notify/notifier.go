package notify

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/casework"
	"rxintake/config"
	"rxintake/internal/sqldb"
)

// Rules of the findings notify adds when it sends a case to review.
const (
	RuleUndeliverable = "correction-undeliverable"  // the mail server refused the request
	RuleUnanswered    = "correction-unanswered"     // no corrected Rx after the request and the reminder
	RuleDuplicateHeld = "correction-duplicate-held" // a request interrupted twice was held back
)

// Case states in notify_cases.
const (
	caseAwaiting   = "awaiting"   // a request is queued or sent; no corrected Rx yet
	caseCorrected  = "corrected"  // a complete corrected Rx arrived
	caseSuperseded = "superseded" // a corrected Rx arrived that is itself a case (incomplete, or in review)
	caseReview     = "review"     // the manager follows it up
	caseCancelled  = "cancelled"  // not asked: the case was answered before its request went out
)

// Options tune a Notifier; the zero value gives the defaults.
type Options struct {
	Sender      Sender // default: an SMTPSender for the smtp: section
	Logger      *slog.Logger
	Now         func() time.Time // the clock; default time.Now
	RetryAfter  time.Duration    // wait after the first temporary failure, doubling; default 5 minutes
	RetryMax    time.Duration    // longest wait; default 2 hours
	MaxAttempts int              // attempts before a request fails and its case goes to review; default 12
}

// Notifier is rxintake's casework.Notifier: it finds offices, links
// corrected prescriptions to their cases, queues requests inside the
// decision's transaction, and delivers and follows them up after each cycle.
type Notifier struct {
	dir      *Directory
	offices  []config.Office
	settings Settings
	db       *sql.DB
	trail    *audit.Trail
	store    *casefile.Store
	sender   Sender
	dataDir  string
	remind   int
	capOne   int
	capAll   int
	opts     Options
	log      *slog.Logger

	// hook, when set, is called at named points of a delivery ("accepted":
	// the server took the message, before it is marked sent): the crash
	// tests stop the process there.
	hook func(point, caseID string)
}

var _ casework.Notifier = (*Notifier)(nil)

// The tables are created and changed by the numbered files of migrations/.
//
//go:embed migrations/*.sql
var migrations embed.FS

// New makes the notifier for cfg, bringing its tables in db up to date.
// It reads the SMTP password now, so that bad configuration fails at
// start-up.
func New(ctx context.Context, cfg *config.Config, db *sql.DB, trail *audit.Trail, store *casefile.Store, opts Options) (*Notifier, error) {
	if store == nil {
		return nil, errors.New("notify: New needs the case store")
	}
	s, err := NewSettings(cfg)
	if err != nil {
		return nil, err
	}
	n := &Notifier{dir: NewDirectory(cfg.Offices), offices: cfg.Offices, settings: s, db: db, trail: trail, store: store,
		sender: opts.Sender, dataDir: cfg.DataDir, remind: cfg.Notify.ReminderAfterDays,
		capOne: cfg.Notify.DailyCapPerOffice, capAll: cfg.Notify.DailyCap, log: opts.Logger}
	if n.sender == nil {
		if n.sender, err = NewSMTPSender(cfg.SMTP, s.Domain()); err != nil {
			return nil, err
		}
	}
	if n.log == nil {
		n.log = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = 5 * time.Minute
	}
	if opts.RetryMax <= 0 {
		opts.RetryMax = 2 * time.Hour
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 12
	}
	n.opts = opts
	if n.remind <= 0 {
		n.remind = 3
	}
	if err := sqldb.Migrate(ctx, db, "notify", migrations); err != nil {
		return nil, err
	}
	return n, nil
}

// directory returns the configured directory, with the offices added on
// the review page (LocalOffices), read afresh for every lookup.
func (n *Notifier) directory() *Directory {
	if n.dataDir == "" {
		return n.dir
	}
	more, err := LocalOffices(n.dataDir)
	if err != nil {
		n.log.Error("local offices not read: the configured directory only", "err", err)
		return n.dir
	}
	if len(more) == 0 {
		return n.dir
	}
	return NewDirectory(append(append([]config.Office(nil), n.offices...), more...))
}

// Office implements casework.Notifier.
func (n *Notifier) Office(npi, fax, from string) (string, bool) {
	o, ok := n.directory().Lookup(npi, fax, from)
	if !ok {
		return "", false
	}
	return o.Name, true
}

// caseRef finds case references in a subject.
var caseRef = regexp.MustCompile(`\bRX-[0-9A-HJKMNP-TV-Z]{6}\b`)

// Correcting implements casework.Notifier. A document answers an open case
// when it is a reply to a request we sent (In-Reply-To or References holds
// its Message-ID), when its subject names the case, or when the patient's
// name and birth date and the prescriber match one open case of the same
// office. A case answered before by an incomplete corrected Rx passes the
// answer on to the case that Rx opened. A reference, in the thread or the
// subject, links only a document whose trusted transport
// (casework.TrustedTransport) names the case's office: both can be written
// by anyone who knows a case id (docs/architecture.md, "Who the sender
// is"); otherwise Correcting returns casework.ErrReplyUnverified.
func (n *Notifier) Correcting(ctx context.Context, rec *casefile.Record) (string, bool, error) {
	if e := rec.Email; e != nil {
		var refs []string
		ids := append(append([]string(nil), e.InReplyTo...), e.References...)
		for i := len(ids) - 1; i >= 0; i-- { // the nearest reference first
			var id string
			err := n.db.QueryRowContext(ctx, `SELECT case_id FROM notify_outbox WHERE message_id = ?`, strings.Trim(ids[i], "<> ")).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return "", false, fmt.Errorf("notify: correcting: %w", err)
			}
			refs = append(refs, id)
		}
		refs = append(refs, caseRef.FindAllString(strings.ToUpper(e.Subject), -1)...)
		sender := n.senderOffice(rec)
		refused := ""
		for _, id := range refs {
			open, office, err := n.openCase(ctx, id)
			if err != nil {
				return "", false, err
			}
			if open == "" || open == rec.CaseID {
				continue
			}
			if sender == "" || sender != office {
				refused = open
				continue
			}
			return open, true, nil
		}
		if refused != "" {
			return "", false, fmt.Errorf("%w: %s", casework.ErrReplyUnverified, refused)
		}
	}
	key := matchKey(rec)
	if key == "" || rec.Office == "" {
		return "", false, nil
	}
	rows, err := n.db.QueryContext(ctx, `SELECT case_id FROM notify_cases WHERE match_key = ? AND state = ? AND office = ? AND case_id <> ?`,
		key, caseAwaiting, rec.Office, rec.CaseID)
	if err != nil {
		return "", false, fmt.Errorf("notify: correcting: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return "", false, fmt.Errorf("notify: correcting: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return "", false, fmt.Errorf("notify: correcting: %w", err)
	}
	if len(ids) != 1 {
		return "", false, nil // none, or too many to choose from
	}
	return ids[0], true, nil
}

// senderOffice is the office the trusted transport of rec names, "" when
// none.
func (n *Notifier) senderOffice(rec *casefile.Record) string {
	fax, from := casework.TrustedTransport(rec.Sender)
	if fax == "" && from == "" {
		return ""
	}
	o, ok := n.directory().Lookup("", fax, from)
	if !ok {
		return ""
	}
	return o.Name
}

// attachment is the stored original to attach to rec's request, "" for
// none: attaching is off, or the document came by email from a sender who
// was not verified. The practice's trusted address relays no stranger's
// file to an office (docs/architecture.md, "Who the sender is").
func (n *Notifier) attachment(rec *casefile.Record) string {
	if !n.settings.Attach {
		return ""
	}
	if rec.Email != nil && (rec.Sender == nil || !rec.Sender.Verified) {
		return ""
	}
	return rec.Original
}

// openCase follows a case to the one now open for it: itself while it
// awaits its corrected Rx, or the case of the incomplete Rx that answered
// it. "" when none is open.
func (n *Notifier) openCase(ctx context.Context, id string) (string, string, error) {
	for range 10 {
		var state, next, office string
		err := n.db.QueryRowContext(ctx, `SELECT state, superseded_by, office FROM notify_cases WHERE case_id = ?`, id).Scan(&state, &next, &office)
		if errors.Is(err, sql.ErrNoRows) {
			return "", "", nil
		}
		if err != nil {
			return "", "", fmt.Errorf("notify: case %s: %w", id, err)
		}
		switch {
		case state == caseAwaiting:
			return id, office, nil
		case state == caseSuperseded && next != "":
			id = next
		default:
			return "", "", nil
		}
	}
	return "", "", nil
}

// matchKey is the hash that matches a corrected Rx to its case without a
// thread: the patient's name (its words, in any order), birth date and the
// prescriber's surname. "" when one of them is missing.
func matchKey(rec *casefile.Record) string {
	rx := rec.Prescription
	if rx == nil || rx.Patient == nil || rx.Prescriber == nil || rx.Patient.DOB == "" {
		return ""
	}
	words := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
	}
	name := words(rx.Patient.Name)
	sort.Strings(name)
	doc := words(rx.Prescriber.Name)
	if len(name) == 0 || len(doc) == 0 {
		return ""
	}
	if strings.Contains(rx.Prescriber.Name, ",") { // "Patel, Anil"
		doc = words(strings.Split(rx.Prescriber.Name, ",")[0])
	}
	sum := sha256.Sum256([]byte("rxintake match v1\x00" + strings.Join(name, " ") + "\x00" + rx.Patient.DOB + "\x00" + doc[len(doc)-1]))
	return hex.EncodeToString(sum[:])
}

// Decided implements casework.Notifier, inside the decision's transaction.
// A needs-correction case of a known office gets its request queued; a
// corrected Rx closes the case it answers when it is complete, and otherwise
// takes the case over (with a new request when it still needs correcting).
// Running it again for the same case changes nothing.
func (n *Notifier) Decided(ctx context.Context, tx *sql.Tx, rec *casefile.Record) error {
	now := n.opts.Now()
	if rec.Corrects != "" {
		if err := n.link(ctx, tx, rec, now); err != nil {
			return err
		}
	}
	if rec.Status != casefile.StatusNeedsCorrection || rec.Office == "" {
		return nil
	}
	o := n.directory().Office(rec.Office)
	if o == nil || len(o.Emails) == 0 {
		return nil // casework sends an unknown office to review
	}
	r := NewRequest(rec, o, n.attachment(rec))
	if rec.Corrects != "" {
		r.Follows = rec.Corrects
		first := n.settings.MessageID(rec.Corrects, 1)
		if !slices.Contains(r.References, first) {
			r.References = append([]string{first}, r.References...)
		}
		if r.InReplyTo == "" {
			r.InReplyTo = first
		}
	}
	return n.queue(ctx, tx, r, 1, "", matchKey(rec), now)
}

// link records that rec answers the case rec.Corrects and closes or hands
// over that case.
func (n *Notifier) link(ctx context.Context, tx *sql.Tx, rec *casefile.Record, now time.Time) error {
	state, corrected := caseSuperseded, false
	if rec.Status == casefile.StatusComplete {
		state, corrected = caseCorrected, true
	}
	res, err := tx.ExecContext(ctx, `UPDATE notify_cases SET state = ?, superseded_by = ?, updated = ?
		WHERE case_id = ? AND state = ?`, state, rec.CaseID, stamp(now), rec.Corrects, caseAwaiting)
	if err != nil {
		return fmt.Errorf("notify: link %s: %w", rec.Corrects, err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return nil // already linked (this decision ran before), or no longer open
	}
	if corrected {
		if err := n.store.SetStatus(ctx, tx, rec.Corrects, casefile.StatusCorrected, "corrected by "+rec.CaseID); err != nil {
			return fmt.Errorf("notify: link %s: %w", rec.Corrects, err)
		}
	}
	msgID := rec.CaseID
	if rec.Email != nil && rec.Email.MessageID != "" {
		msgID = rec.Email.MessageID
	}
	return n.event(ctx, tx, rec.Corrects, eventLinked, linkedDetail{Corrected: rec.CaseID, MessageID: msgID, Outcome: state}, now)
}

// queue writes request r (n 1) or its reminder (n 2) to the outbox, composed
// now, unless it is there already.
func (n *Notifier) queue(ctx context.Context, tx *sql.Tx, r *Request, num int, requestDate, key string, now time.Time) error {
	var original []byte
	if r.Original != "" {
		b, err := os.ReadFile(r.Original)
		if err != nil {
			n.log.Warn("correction request: the original cannot be attached", "case", r.CaseID, "err", err)
		}
		original = b
	}
	m, err := Compose(r, n.settings, num, requestDate, now, original)
	if err != nil {
		return err
	}
	rcpt, _ := json.Marshal(r.To)
	rules, _ := json.Marshal(r.Rules())
	kind := "request"
	if num > 1 {
		kind = "reminder"
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO notify_outbox (case_id, n, kind, office, rcpt, message_id, rules, state, created, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT DO NOTHING`,
		r.CaseID, num, kind, r.Office, string(rcpt), m.MessageID, string(rules), stamp(now), stamp(now))
	if err != nil {
		return fmt.Errorf("notify: queue %s: %w", r.CaseID, err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return nil // queued by an earlier run of the same decision
	}
	data, _ := json.Marshal(r)
	if _, err := tx.ExecContext(ctx, `INSERT INTO notify_messages (case_id, n, request, message) VALUES (?, ?, ?, ?)
		ON CONFLICT (case_id, n) DO UPDATE SET request = excluded.request, message = excluded.message`,
		r.CaseID, num, string(data), m.Bytes); err != nil {
		return fmt.Errorf("notify: queue %s: %w", r.CaseID, err)
	}
	if num == 1 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notify_cases (case_id, office, match_key, state, created, updated)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (case_id) DO NOTHING`, r.CaseID, r.Office, key, caseAwaiting, stamp(now), stamp(now)); err != nil {
			return fmt.Errorf("notify: queue %s: %w", r.CaseID, err)
		}
		return n.event(ctx, tx, r.CaseID, eventQueued, queuedDetail{Office: r.Office, To: r.To, MessageID: m.MessageID, Rules: r.Rules()}, now)
	}
	return nil
}

// Pending audit events.
const (
	eventQueued = "queued"
	eventLinked = "linked"
)

type queuedDetail struct {
	Office    string   `json:"office"`
	To        []string `json:"to"`
	MessageID string   `json:"message_id"`
	Rules     []string `json:"rules"`
}

type linkedDetail struct {
	Corrected string `json:"corrected"`
	MessageID string `json:"message_id"`
	Outcome   string `json:"outcome"`
}

func (n *Notifier) event(ctx context.Context, tx *sql.Tx, caseID, event string, detail any, now time.Time) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("notify: event: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO notify_events (case_id, event, detail, created) VALUES (?, ?, ?, ?)`,
		caseID, event, string(b), stamp(now)); err != nil {
		return fmt.Errorf("notify: event: %w", err)
	}
	return nil
}

// flushEvents writes the pending events to the audit trail, oldest first.
// An event is deleted once written; a crash in between writes it twice.
func (n *Notifier) flushEvents(ctx context.Context) error {
	type ev struct {
		seq                   int64
		caseID, event, detail string
	}
	rows, err := n.db.QueryContext(ctx, `SELECT seq, case_id, event, detail FROM notify_events ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("notify: events: %w", err)
	}
	var evs []ev
	for rows.Next() {
		var e ev
		if err := rows.Scan(&e.seq, &e.caseID, &e.event, &e.detail); err != nil {
			rows.Close()
			return fmt.Errorf("notify: events: %w", err)
		}
		evs = append(evs, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("notify: events: %w", err)
	}
	for _, e := range evs {
		var err error
		switch e.event {
		case eventQueued:
			var d queuedDetail
			if err = json.Unmarshal([]byte(e.detail), &d); err == nil {
				err = n.trail.CorrectionQueued(ctx, e.caseID, audit.Correction{OfficeID: d.Office, To: d.To, MessageID: d.MessageID, Rules: d.Rules})
			}
		case eventLinked:
			var d linkedDetail
			if err = json.Unmarshal([]byte(e.detail), &d); err == nil {
				err = n.trail.CorrectedRxLinked(ctx, e.caseID, d.Corrected, d.MessageID)
			}
		}
		if errors.Is(err, audit.ErrStore) {
			return err // the trail is not writable now: keep the event for the next run
		}
		if err != nil {
			n.log.Error("audit event dropped", "case", e.caseID, "event", e.event, "err", err)
		}
		if _, err := n.db.ExecContext(ctx, `DELETE FROM notify_events WHERE seq = ?`, e.seq); err != nil {
			return fmt.Errorf("notify: events: %w", err)
		}
	}
	return nil
}

// stamp writes a time as the tables hold it.
func stamp(t time.Time) string { return sqldb.FormatTime(t) }

func parseStamp(s string) time.Time { return sqldb.ParseTime(s) }
