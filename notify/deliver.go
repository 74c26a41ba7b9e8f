package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/internal/crashpoint"
	"rxintake/validate"
)

// ErrBusy reports that another process is delivering.
var ErrBusy = errors.New("notify: another delivery is running")

// LockFile is the lock of delivery inside the data directory.
const LockFile = "notify.lock"

// AfterCycle is the work the worker does after each intake cycle: write
// pending audit events, follow up requests that have not been answered, and
// deliver what is due. One process at a time delivers; another one
// returns at once.
func (n *Notifier) AfterCycle(ctx context.Context) error {
	unlock, err := n.lock()
	if errors.Is(err, ErrBusy) {
		n.log.Info("delivery skipped: " + err.Error())
		return nil
	}
	if err != nil {
		return err
	}
	defer unlock()
	errs := []error{n.flushEvents(ctx)}
	errs = append(errs, n.recoverSending(ctx))
	errs = append(errs, n.followUp(ctx)) // reminders due go out in this run
	start := n.opts.Now()
	derr := n.deliver(ctx)
	if derr != nil {
		// Delivery stopped: the server refused our account, went away, or
		// the cycle's deadline passed. The requests left stay queued.
		f := audit.CycleFailure{Stage: "delivery", Op: "send", Kind: audit.FaultKind(derr), Elapsed: n.opts.Now().Sub(start)}
		if terr := n.trail.CycleFailed(context.WithoutCancel(ctx), f); terr != nil {
			n.log.Error("audit: delivery stop not recorded", "err", terr)
		}
	}
	errs = append(errs, derr)
	errs = append(errs, n.flushEvents(context.WithoutCancel(ctx)))
	return errors.Join(errs...)
}

// lock takes an exclusive flock on data_dir/notify.lock without waiting.
// The kernel drops it when the process dies, however it dies.
func (n *Notifier) lock() (func(), error) {
	if err := os.MkdirAll(n.dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("notify: lock: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(n.dataDir, LockFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("notify: lock: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, ErrBusy
		}
		return nil, fmt.Errorf("notify: lock: %w", err)
	}
	return func() { unix.Flock(int(f.Fd()), unix.LOCK_UN); f.Close() }, nil
}

// recoverSending finds rows left 'sending' by a process that died during
// their SMTP transaction: the server may have accepted them. They are
// queued again, marked uncertain; deliver sends them once more at most.
func (n *Notifier) recoverSending(ctx context.Context) error {
	res, err := n.db.ExecContext(ctx, `UPDATE notify_outbox SET state = 'queued', uncertain = 1, next_attempt = '',
		last_error = 'interrupted during sending', updated = ? WHERE state = 'sending'`, stamp(n.opts.Now()))
	if err != nil {
		return fmt.Errorf("notify: recover: %w", err)
	}
	if k, _ := res.RowsAffected(); k > 0 {
		n.log.Warn("requests interrupted during sending are sent again", "count", k)
	}
	return nil
}

// row is an outbox row as delivery needs it.
type row struct {
	caseID, kind, office, messageID string
	num, attempts, resends          int
	uncertain                       bool
	to, rules                       []string
	firstTry                        string
	caseState                       string
}

func (r *row) correction() audit.Correction {
	return audit.Correction{OfficeID: r.office, To: r.to, MessageID: r.messageID, Rules: r.rules, Attempt: r.attempts}
}

// deliver sends the queued rows that are due, oldest first, within the
// daily caps.
func (n *Notifier) deliver(ctx context.Context) error {
	now := n.opts.Now()
	rows, err := n.db.QueryContext(ctx, `SELECT o.case_id, o.n, o.kind, o.office, o.message_id, o.attempts, o.resends,
		o.uncertain, o.rcpt, o.rules, o.first_try, COALESCE(c.state, '')
		FROM notify_outbox o LEFT JOIN notify_cases c ON c.case_id = o.case_id
		WHERE o.state = 'queued' AND (o.next_attempt = '' OR o.next_attempt <= ?) ORDER BY o.created, o.case_id, o.n`, stamp(now))
	if err != nil {
		return fmt.Errorf("notify: deliver: %w", err)
	}
	var due []*row
	for rows.Next() {
		r := &row{}
		var rcpt, rules string
		if err := rows.Scan(&r.caseID, &r.num, &r.kind, &r.office, &r.messageID, &r.attempts, &r.resends,
			&r.uncertain, &rcpt, &rules, &r.firstTry, &r.caseState); err != nil {
			rows.Close()
			return fmt.Errorf("notify: deliver: %w", err)
		}
		json.Unmarshal([]byte(rcpt), &r.to)
		json.Unmarshal([]byte(rules), &r.rules)
		due = append(due, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("notify: deliver: %w", err)
	}
	capped := map[string]bool{}
	for _, r := range due {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if r.caseState != caseAwaiting {
			// Answered (or sent to review) before this email went out.
			if _, err := n.db.ExecContext(ctx, `UPDATE notify_outbox SET state = 'cancelled', updated = ? WHERE case_id = ? AND n = ?`,
				stamp(n.opts.Now()), r.caseID, r.num); err != nil {
				return fmt.Errorf("notify: deliver: %w", err)
			}
			n.log.Info("correction email cancelled: the case was answered", "case", r.caseID, "kind", r.kind)
			continue
		}
		if r.firstTry == "" {
			over, err := n.overCap(ctx, r.office)
			if err != nil {
				return err
			}
			if over != "" {
				if !capped[r.office] {
					n.log.Warn("daily cap reached: correction emails wait for tomorrow", "cap", over, "office", r.office)
					capped[r.office] = true
				}
				continue
			}
		}
		if err := n.send(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// overCap names the daily cap (notify.daily_cap_per_office, notify.daily_cap)
// that a new email to office would exceed, or "".
func (n *Notifier) overCap(ctx context.Context, office string) (string, error) {
	now := n.opts.Now()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	from, to := stamp(day), stamp(day.AddDate(0, 0, 1))
	var one, all int
	err := n.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN office = ? THEN 1 ELSE 0 END), 0)
		FROM notify_outbox WHERE first_try >= ? AND first_try < ?`, office, from, to).Scan(&all, &one)
	if err != nil {
		return "", fmt.Errorf("notify: daily cap: %w", err)
	}
	switch {
	case one >= n.capOne:
		return "notify.daily_cap_per_office", nil
	case all >= n.capAll:
		return "notify.daily_cap", nil
	}
	return "", nil
}

// send makes one attempt at r: 'sending' is committed before the SMTP
// transaction and 'sent' after it. An error return stops delivery (the
// database failing, or the server refusing our account).
func (n *Notifier) send(ctx context.Context, r *row) error {
	if r.uncertain && r.resends >= 1 {
		return n.hold(ctx, r)
	}
	now := n.opts.Now()
	resend := 0
	if r.uncertain {
		resend = 1
	}
	res, err := n.db.ExecContext(ctx, `UPDATE notify_outbox SET state = 'sending', attempts = attempts + 1, resends = resends + ?,
		first_try = CASE WHEN first_try = '' THEN ? ELSE first_try END, updated = ?
		WHERE case_id = ? AND n = ? AND state = 'queued'`, resend, stamp(now), stamp(now), r.caseID, r.num)
	if err != nil {
		return fmt.Errorf("notify: deliver %s: %w", r.caseID, err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return nil // taken meanwhile
	}
	r.attempts++
	var body []byte
	if err := n.db.QueryRowContext(ctx, `SELECT message FROM notify_messages WHERE case_id = ? AND n = ?`, r.caseID, r.num).Scan(&body); err != nil {
		return fmt.Errorf("notify: deliver %s: message: %w", r.caseID, err)
	}
	if r.uncertain {
		if err := n.trail.DuplicateSendSuspected(ctx, r.caseID, r.correction(), r.messageID, false); err != nil {
			n.log.Error("audit: duplicate send not recorded", "case", r.caseID, "err", err)
		}
		n.log.Warn("correction email sent again: an earlier attempt may have been accepted", "case", r.caseID,
			"msgid", audit.MessageIDHash(r.messageID))
	}
	// The transaction, once begun, is not cut by ctx (the cycle's
	// deadline, SIGTERM): cut after the message was written, it could not
	// be told whether the office got it. smtp.timeout bounds it.
	err = n.sender.Send(context.WithoutCancel(ctx), &Message{MessageID: r.messageID, From: n.settings.From.Address, To: r.to, Bytes: body})
	if err == nil {
		if n.hook != nil {
			n.hook("accepted", r.caseID)
		}
		crashpoint.At("after-smtp")
		return n.sent(ctx, r)
	}
	return n.failed(ctx, r, err)
}

func (n *Notifier) sent(ctx context.Context, r *row) error {
	now := n.opts.Now()
	if _, err := n.db.ExecContext(ctx, `UPDATE notify_outbox SET state = 'sent', sent_at = ?, last_error = '', updated = ?
		WHERE case_id = ? AND n = ?`, stamp(now), stamp(now), r.caseID, r.num); err != nil {
		return fmt.Errorf("notify: deliver %s: %w", r.caseID, err)
	}
	n.log.Info("correction email sent", "case", r.caseID, "kind", r.kind, "msgid", audit.MessageIDHash(r.messageID), "attempt", r.attempts)
	var err error
	if r.num > 1 {
		err = n.trail.CorrectionReminded(ctx, r.caseID, r.correction(), r.num-1)
	} else {
		err = n.trail.CorrectionSent(ctx, r.caseID, r.correction())
	}
	if err != nil {
		n.log.Error("audit: correction sent not recorded", "case", r.caseID, "err", err)
	}
	return nil
}

// failed records a failed attempt: another one later with backoff, or, when
// the server refused the message for good or the attempts are spent, review.
func (n *Notifier) failed(ctx context.Context, r *row, cause error) error {
	now := n.opts.Now()
	var se *SendError
	if !errors.As(cause, &se) {
		se = &SendError{Err: cause}
	}
	if se.Account || se.Unreachable || ctx.Err() != nil {
		// Not this message's fault: put it back as it was.
		resend, uncertain := 0, 0
		if r.uncertain {
			resend = 1
		}
		if r.uncertain || se.AfterData {
			uncertain = 1 // the server may have the message: a resend is flagged
		}
		if _, err := n.db.ExecContext(context.WithoutCancel(ctx), `UPDATE notify_outbox SET state = 'queued', attempts = attempts - 1, resends = resends - ?,
			uncertain = ?, last_error = ?, updated = ? WHERE case_id = ? AND n = ?`, resend, uncertain, se.Error(), stamp(now), r.caseID, r.num); err != nil {
			return fmt.Errorf("notify: deliver %s: %w", r.caseID, err)
		}
		return fmt.Errorf("notify: delivery stopped: %w", cause)
	}
	fail := audit.SendFailure{Permanent: se.Permanent || r.attempts >= n.opts.MaxAttempts, Code: se.Code, Enhanced: se.Enhanced}
	if se.Code == 0 {
		fail.Fault = audit.FaultKind(se.Err)
	}
	if err := n.trail.CorrectionFailed(ctx, r.caseID, r.correction(), fail); err != nil {
		n.log.Error("audit: correction failure not recorded", "case", r.caseID, "err", err)
	}
	if !fail.Permanent {
		next := now.Add(n.backoff(r.attempts))
		uncertain := 0
		if r.uncertain || se.AfterData {
			uncertain = 1
		}
		if _, err := n.db.ExecContext(ctx, `UPDATE notify_outbox SET state = 'queued', next_attempt = ?, last_error = ?,
			uncertain = ?, updated = ? WHERE case_id = ? AND n = ?`, stamp(next), se.Error(), uncertain, stamp(now), r.caseID, r.num); err != nil {
			return fmt.Errorf("notify: deliver %s: %w", r.caseID, err)
		}
		n.log.Warn("correction email will be retried", "case", r.caseID, "attempt", r.attempts, "code", se.Code,
			"next", next.UTC().Format(time.RFC3339))
		return nil
	}
	if _, err := n.db.ExecContext(ctx, `UPDATE notify_outbox SET state = 'failed', last_error = ?, updated = ?
		WHERE case_id = ? AND n = ?`, se.Error(), stamp(now), r.caseID, r.num); err != nil {
		return fmt.Errorf("notify: deliver %s: %w", r.caseID, err)
	}
	n.log.Error("correction email failed: the case goes to review", "case", r.caseID, "code", se.Code, "enhanced", se.Enhanced)
	msg := fmt.Sprintf("The office's mail server refused the correction request (%d %s); call or fax the office.", se.Code, se.Enhanced)
	if se.Code == 0 {
		msg = fmt.Sprintf("The correction request could not be delivered after %d attempts; call or fax the office.", r.attempts)
	}
	return n.toReview(ctx, r.caseID, RuleUndeliverable, msg)
}

// hold keeps back a request whose earlier sends may both have been
// accepted: a second duplicate is worse than a call from the manager.
func (n *Notifier) hold(ctx context.Context, r *row) error {
	if _, err := n.db.ExecContext(ctx, `UPDATE notify_outbox SET state = 'held', updated = ? WHERE case_id = ? AND n = ?`,
		stamp(n.opts.Now()), r.caseID, r.num); err != nil {
		return fmt.Errorf("notify: hold %s: %w", r.caseID, err)
	}
	if err := n.trail.DuplicateSendSuspected(ctx, r.caseID, r.correction(), r.messageID, true); err != nil {
		n.log.Error("audit: duplicate held not recorded", "case", r.caseID, "err", err)
	}
	n.log.Warn("correction email held back: it may have been delivered twice already", "case", r.caseID)
	return n.toReview(ctx, r.caseID, RuleDuplicateHeld,
		"A correction request was interrupted twice while being sent and may have reached the office; it was held back. Check with the office.")
}

// backoff is the wait after the n-th failed attempt.
func (n *Notifier) backoff(attempt int) time.Duration {
	d := n.opts.RetryAfter
	for i := 1; i < attempt && d < n.opts.RetryMax; i++ {
		d *= 2
	}
	return min(d, n.opts.RetryMax)
}

// toReview puts a case on the manager's review list: the case's status,
// its record (with a finding that says why) and the audit trail.
func (n *Notifier) toReview(ctx context.Context, caseID, rule, message string) error {
	now := n.opts.Now()
	rec, err := n.store.Record(ctx, caseID)
	switch {
	case err == nil:
		rec.Status = casefile.StatusNeedsReview
		rec.Findings = append(rec.Findings, validate.Finding{Rule: rule, Severity: validate.Warning, Message: message})
	case errors.Is(err, casefile.ErrNoRecord):
		rec = nil
	default:
		return err
	}
	tx, err := n.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("notify: review %s: %w", caseID, err)
	}
	defer tx.Rollback()
	if rec != nil {
		if err := n.store.PutRecord(ctx, tx, rec); err != nil {
			return err
		}
	}
	if err := n.store.SetStatus(ctx, tx, caseID, casefile.StatusNeedsReview, rule); err != nil {
		return fmt.Errorf("notify: review %s: %w", caseID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE notify_cases SET state = ?, updated = ? WHERE case_id = ?`, caseReview, stamp(now), caseID); err != nil {
		return fmt.Errorf("notify: review %s: %w", caseID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("notify: review %s: %w", caseID, err)
	}
	if err := n.trail.Decision(ctx, caseID, string(casefile.StatusNeedsReview)); err != nil {
		n.log.Error("audit: review decision not recorded", "case", caseID, "err", err)
	}
	return nil
}

// followUp queues the reminder of each request sent notify.
// reminder_after_business_days ago and not answered, and sends to review
// each case whose reminder is that old.
func (n *Notifier) followUp(ctx context.Context) error {
	now := n.opts.Now()
	type due struct {
		caseID, sentAt string
		num            int
	}
	rows, err := n.db.QueryContext(ctx, `SELECT o.case_id, o.n, o.sent_at FROM notify_outbox o
		JOIN notify_cases c ON c.case_id = o.case_id
		WHERE c.state = ? AND o.state = 'sent'
		AND o.n = (SELECT MAX(n) FROM notify_outbox m WHERE m.case_id = o.case_id)
		ORDER BY o.sent_at`, caseAwaiting)
	if err != nil {
		return fmt.Errorf("notify: follow-up: %w", err)
	}
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.caseID, &d.num, &d.sentAt); err != nil {
			rows.Close()
			return fmt.Errorf("notify: follow-up: %w", err)
		}
		list = append(list, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("notify: follow-up: %w", err)
	}
	for _, d := range list {
		sent := parseStamp(d.sentAt).In(now.Location())
		if now.Before(AddBusinessDays(sent, n.remind)) {
			continue
		}
		if d.num > 1 {
			n.log.Info("no corrected prescription after the reminder: the case goes to review", "case", d.caseID)
			if err := n.toReview(ctx, d.caseID, RuleUnanswered, fmt.Sprintf(
				"No corrected prescription arrived %d business days after the correction request and %d after the reminder; call the office.",
				2*n.remind, n.remind)); err != nil {
				return err
			}
			continue
		}
		var data string
		if err := n.db.QueryRowContext(ctx, `SELECT request FROM notify_messages WHERE case_id = ? AND n = 1`, d.caseID).Scan(&data); err != nil {
			return fmt.Errorf("notify: follow-up %s: %w", d.caseID, err)
		}
		var r Request
		if err := json.Unmarshal([]byte(data), &r); err != nil {
			return fmt.Errorf("notify: follow-up %s: %w", d.caseID, err)
		}
		tx, err := n.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("notify: follow-up %s: %w", d.caseID, err)
		}
		err = n.queue(ctx, tx, &r, 2, sent.Format("2006-01-02"), "", now)
		if err == nil {
			err = tx.Commit()
		}
		tx.Rollback()
		if err != nil {
			return fmt.Errorf("notify: follow-up %s: %w", d.caseID, err)
		}
		n.log.Info("reminder queued", "case", d.caseID)
	}
	return nil
}

// AddBusinessDays returns t moved on by n business days (Monday to Friday),
// at the same time of day. Public holidays count as business days.
func AddBusinessDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}

// ErrAlreadySent reports a SendNow for a case whose request went out.
var ErrAlreadySent = errors.New("notify: the correction request was sent already")

// SendNow sends the case's correction request at once: the review page's
// button, for a case a person has looked at. It queues the request from the
// stored record when the case has none (a case that was in review), and
// sends a queued, failed or held one now, outside the daily caps: a person
// asked for it.
func (n *Notifier) SendNow(ctx context.Context, caseID string) error {
	unlock, err := n.lock()
	if err != nil {
		return err
	}
	defer unlock()
	now := n.opts.Now()
	var state string
	err = n.db.QueryRowContext(ctx, `SELECT state FROM notify_outbox WHERE case_id = ? AND n = 1`, caseID).Scan(&state)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		rec, err := n.store.Record(ctx, caseID)
		if err != nil {
			return err
		}
		o := n.directory().Office(rec.Office)
		if o == nil || len(o.Emails) == 0 {
			return fmt.Errorf("%w: case %s: no directory office with an email address", ErrCompose, caseID)
		}
		r := NewRequest(rec, o, n.attachment(rec))
		if len(r.Errors) == 0 {
			return fmt.Errorf("%w: case %s: nothing to correct", ErrCompose, caseID)
		}
		tx, err := n.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("notify: send now %s: %w", caseID, err)
		}
		err = n.queue(ctx, tx, r, 1, "", matchKey(rec), now)
		if err == nil {
			err = tx.Commit()
		}
		tx.Rollback()
		if err != nil {
			return err
		}
	case err != nil:
		return fmt.Errorf("notify: send now %s: %w", caseID, err)
	case state == "sent" || state == "sending":
		return ErrAlreadySent
	}
	// A person asked: whatever held it back is set aside.
	if _, err := n.db.ExecContext(ctx, `UPDATE notify_outbox SET state = 'queued', next_attempt = '', uncertain = 0, resends = 0,
		attempts = 0, updated = ? WHERE case_id = ? AND n = 1`, stamp(now), caseID); err != nil {
		return fmt.Errorf("notify: send now %s: %w", caseID, err)
	}
	if _, err := n.db.ExecContext(ctx, `UPDATE notify_cases SET state = ?, updated = ? WHERE case_id = ?`, caseAwaiting, stamp(now), caseID); err != nil {
		return fmt.Errorf("notify: send now %s: %w", caseID, err)
	}
	if err := n.flushEvents(ctx); err != nil {
		return err
	}
	r := &row{caseID: caseID, num: 1, caseState: caseAwaiting}
	var rcpt, rules string
	if err := n.db.QueryRowContext(ctx, `SELECT kind, office, message_id, rcpt, rules FROM notify_outbox WHERE case_id = ? AND n = 1`, caseID).
		Scan(&r.kind, &r.office, &r.messageID, &rcpt, &rules); err != nil {
		return fmt.Errorf("notify: send now %s: %w", caseID, err)
	}
	json.Unmarshal([]byte(rcpt), &r.to)
	json.Unmarshal([]byte(rules), &r.rules)
	if err := n.send(ctx, r); err != nil {
		return err
	}
	var after string
	n.db.QueryRowContext(ctx, `SELECT state FROM notify_outbox WHERE case_id = ? AND n = 1`, caseID).Scan(&after)
	if after != "sent" {
		return fmt.Errorf("notify: send now %s: the request is %s", caseID, after)
	}
	return nil
}
