package intake

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/config"
	"rxintake/extract"
	"rxintake/internal/crashpoint"
)

var timeNow = time.Now // replaced in tests

// Summary is what one cycle did.
type Summary struct {
	Fetched         int // new messages taken from the mailbox
	Complete        int // outcomes committed this cycle, by status
	NeedsCorrection int
	NeedsReview     int
	Filed           int // messages moved to their folder (or marked) this cycle
	Retrying        int // temporary failures put off to a later cycle
	Errors          int // failures this cycle: temporary ones, and messages that could not be filed
	Elapsed         time.Duration
}

// MailboxError is the error of a cycle that could not reach the mailbox:
// its password could not be read, the server could not be reached, the
// login or the folder was refused. The worker's monitor counts these
// (docs/operations.md).
type MailboxError struct{ Err error }

func (e *MailboxError) Error() string { return e.Err.Error() }
func (e *MailboxError) Unwrap() error { return e.Err }

// ErrAuditTrail stops a cycle whose audit trail cannot be written: intake
// fails closed, and takes no message it cannot account for
// (docs/operations.md).
var ErrAuditTrail = errors.New("intake: the audit trail cannot be written; intake stopped")

// Options tune the worker; the zero value gives the defaults.
type Options struct {
	Logger      *slog.Logger  // default slog.Default()
	MaxAttempts int           // processing attempts before a case goes to review; default 5
	RetryAfter  time.Duration // wait after the first temporary failure, doubling after each; default 5 minutes
	RetryMax    time.Duration // longest wait between attempts; default 6 hours
	Trail       Trail         // the audit trail; nil records nothing
}

// Trail is the part of the audit trail the worker writes: one typed event
// per step, references only, no patient information.
type Trail interface {
	MessageReceived(ctx context.Context, m audit.Message) error
	CaseOpened(ctx context.Context, caseID, messageID string) error
	Decision(ctx context.Context, caseID, status string) error
	MessageFiled(ctx context.Context, caseID, messageID, folder string) error
	CycleFailed(ctx context.Context, f audit.CycleFailure) error
}

// audited records an event. A trail that cannot be written is logged, the
// message at hand is seen through (its ledger entry is the record of its
// work) and the cycle stops after it with ErrAuditTrail: no further message
// is taken until the trail can be written again.
func (w *Worker) audited(e *Entry, what string, err error) {
	if err != nil {
		w.log.Error("audit trail: event not recorded", append(w.ids(e), "event", what, "error", err)...)
		if w.auditErr == nil {
			w.auditErr = fmt.Errorf("%w: %s: %v", ErrAuditTrail, what, err)
		}
	}
}

// Worker takes referrals from one IMAP folder, one cycle at a time.
type Worker struct {
	mb          config.Mailbox
	tls         *tls.Config
	folders     map[casefile.Status]string
	dataDir     string
	maxBytes    int64
	maxAttempts int
	deadline    time.Duration // intake.cycle_timeout
	retryAfter  time.Duration
	retryMax    time.Duration
	faxPatterns []*regexp.Regexp
	senders     config.Intake
	me          identity
	ledger      *Ledger
	proc        Processor
	originals   originals
	log         *slog.Logger
	trail       Trail
	auditErr    error // the first trail write that failed this cycle

	// hook, when set, is called at named points of a message's way through
	// a cycle ("fetched", "claimed", "committed", "filed"): the crash tests
	// stop the process there.
	hook func(point string, key MessageKey)
}

// New makes a worker for the mailbox in cfg. It checks now what it can (the
// password can be read, the CA file holds certificates, the fax patterns
// compile) so that a bad configuration fails at start-up.
func New(cfg *config.Config, ledger *Ledger, proc Processor, opts Options) (*Worker, error) {
	mb := cfg.Mailbox
	if mb.Host == "" {
		return nil, fmt.Errorf("%w: mailbox.host: must be set", config.ErrInvalid)
	}
	if _, err := config.Secret("mailbox.password", mb.PasswordEnv, mb.PasswordFile); err != nil {
		return nil, err
	}
	if mb.TLS == "none" && !config.IsLoopback(mb.Host) {
		return nil, fmt.Errorf("%w, not %q", ErrInsecure, mb.Host)
	}
	tlsCfg, err := tlsConfig(mb.Host, mb.CAFile)
	if err != nil {
		return nil, err
	}
	patterns, err := compilePatterns(cfg.Fax.SenderPatterns)
	if err != nil {
		return nil, err
	}
	w := &Worker{
		mb:  mb,
		tls: tlsCfg,
		folders: map[casefile.Status]string{
			casefile.StatusComplete:        mb.Folders.Complete,
			casefile.StatusNeedsCorrection: mb.Folders.Correction,
			casefile.StatusNeedsReview:     mb.Folders.Review,
		},
		dataDir:     cfg.DataDir,
		maxBytes:    cfg.Limits.BytesPerMessage,
		maxAttempts: opts.MaxAttempts,
		deadline:    cfg.Intake.CycleTimeout,
		retryAfter:  opts.RetryAfter,
		retryMax:    opts.RetryMax,
		faxPatterns: patterns,
		senders:     cfg.Intake,
		me:          newIdentity(cfg),
		ledger:      ledger,
		proc:        proc,
		originals:   originals{dir: filepath.Join(cfg.DataDir, "originals")},
		log:         opts.Logger,
		trail:       opts.Trail,
	}
	for s, f := range w.folders {
		if f == "" {
			return nil, fmt.Errorf("%w: mailbox.folders: no folder for %s", config.ErrInvalid, s)
		}
	}
	if w.maxAttempts <= 0 {
		w.maxAttempts = 5
	}
	if w.deadline <= 0 {
		w.deadline = 15 * time.Minute
	}
	if w.retryAfter <= 0 {
		w.retryAfter = 5 * time.Minute
	}
	if w.retryMax <= 0 {
		w.retryMax = 6 * time.Hour
	}
	if w.log == nil {
		w.log = slog.Default()
	}
	return w, nil
}

// RunCycle takes what is new in the mailbox, finishes what an earlier cycle
// left unfinished, and files each message by its outcome. Only one cycle
// runs at a time across processes: another one gets ErrBusy. When ctx is
// cancelled the cycle finishes the message at hand and stops. A failure of
// one message is counted in the summary and the cycle goes on; the error
// return means the cycle could not run or had to stop (no connection, the
// ledger failing). At intake.cycle_timeout the cycle stops as it does when
// ctx is cancelled, and the IMAP exchange in flight is cut; the trail
// records a cycle that failed on its connection (cycle-failed).
func (w *Worker) RunCycle(ctx context.Context) (Summary, error) {
	start := time.Now()
	var sum Summary
	w.auditErr = nil
	ctx, cancel := context.WithTimeoutCause(ctx, w.deadline, ErrCycleDeadline)
	defer cancel()
	err := w.cycle(ctx, &sum)
	if w.auditErr != nil && !errors.Is(err, ErrAuditTrail) {
		err = errors.Join(w.auditErr, err)
	}
	sum.Elapsed = time.Since(start)
	if err != nil && !errors.Is(err, ErrBusy) && w.trail != nil {
		if terr := w.trail.CycleFailed(context.WithoutCancel(ctx), cycleFailure(err, sum.Elapsed)); terr != nil {
			w.log.Error("audit trail: event not recorded", "event", "cycle-failed", "error", terr)
		}
	}
	attrs := []any{
		"fetched", sum.Fetched, "complete", sum.Complete, "needs_correction", sum.NeedsCorrection,
		"needs_review", sum.NeedsReview, "filed", sum.Filed, "retrying", sum.Retrying,
		"errors", sum.Errors, "elapsed", sum.Elapsed.Round(time.Millisecond),
	}
	if err != nil {
		w.log.Warn("intake cycle", append(attrs, "error", err)...)
	} else {
		w.log.Info("intake cycle", attrs...)
	}
	return sum, err
}

func (w *Worker) cycle(ctx context.Context, sum *Summary) (err error) {
	lock, err := lockCycle(w.dataDir)
	if err != nil {
		return err
	}
	defer lock.release()

	password, err := config.Secret("mailbox.password", w.mb.PasswordEnv, w.mb.PasswordFile)
	if err != nil {
		return &MailboxError{err}
	}
	s, err := dial(ctx, w.mb, password, w.tls, nil)
	if err != nil {
		return &MailboxError{explain(ctx, nil, err)}
	}
	defer s.close()
	defer func() { err = explain(ctx, s, err) }()
	// At the deadline the exchange in flight is cut; a cancelled ctx
	// (SIGTERM) lets it finish.
	defer context.AfterFunc(ctx, func() {
		if errors.Is(context.Cause(ctx), ErrCycleDeadline) {
			s.c.Close()
		}
	})()
	if err := s.selectFolder(w.mb.Folder); err != nil {
		return &MailboxError{err}
	}

	// A message's work, once begun, is not cut short by ctx: it runs to its
	// commit and its filing. ctx is looked at between messages.
	mctx := context.WithoutCancel(ctx)
	stopped := func() error {
		if w.auditErr != nil {
			return w.auditErr
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("intake: cycle stopped early: %w", context.Cause(ctx))
		}
		return nil
	}

	unfinished, err := w.ledger.Unfinished(mctx, w.mb.Username, w.mb.Folder, s.uidValidity)
	if err != nil {
		return err
	}
	for i := range unfinished {
		if err := stopped(); err != nil {
			return err
		}
		if err := w.handle(mctx, s, &unfinished[i], nil, sum); err != nil {
			return err
		}
	}

	hw, err := w.ledger.HighWater(mctx, w.mb.Username, w.mb.Folder, s.uidValidity)
	if err != nil {
		return err
	}
	uids, err := s.newUIDs(hw)
	if err != nil {
		return err
	}
	sizes, err := s.sizes(uids)
	if err != nil {
		return err
	}
	for _, uid := range uids {
		if err := stopped(); err != nil {
			return err
		}
		size, ok := sizes[uid]
		if !ok {
			continue // expunged by someone else since the search
		}
		if err := w.take(mctx, s, uid, size, sum); err != nil {
			return err
		}
	}
	return nil
}

// content is a message's bytes and what intake read from them.
type content struct {
	raw  []byte
	p    *parsed       // nil when the header could not be read
	mail *extract.Mail // the walk of raw's parts; nil until walked, with p, or when only the header was fetched
	fax  string        // the sender's number as the notification gives it (senderFax)
	perr error
}

// newContent reads raw's header only: enough to claim the message. Its
// parts are walked later, inside an attempt (walk).
func (w *Worker) newContent(raw []byte) *content {
	c := &content{raw: raw}
	if c.p, c.perr = parseHeader(raw); c.perr != nil {
		return c
	}
	c.fax = senderFax(w.faxPatterns, c.p.subject, "")
	return c
}

// walk walks c's parts, once, with extract.ParseMail and its limits on
// nesting depth and part count: the worker judges the message by them and
// hands the walk to the processor. It runs inside an attempt begun on the
// ledger, so that a message whose walk fails, or kills the process, has its
// attempts counted and goes to review after Options.MaxAttempts instead of
// being fetched forever (docs/architecture.md).
func (w *Worker) walk(key MessageKey, c *content) (err error) {
	if c.p == nil || c.mail != nil {
		return nil
	}
	w.at("walk", key)
	defer func() {
		if r := recover(); r != nil {
			w.log.Error("reading the message panicked", "uid", key.UID, "panic", fmt.Sprint(r))
			w.log.Debug("message walk panic stack", "uid", key.UID, "stack", string(debug.Stack()))
			err = PermanentError(fmt.Errorf("reading the message panicked: %v", r))
		}
	}()
	if c.mail, c.perr = extract.ParseMail(c.raw); c.perr != nil {
		c.p = nil
		return nil
	}
	c.fax = senderFax(w.faxPatterns, c.p.subject, c.mail.Body())
	return nil
}

// headerContent is what the header alone of a message too large to fetch
// says: who sent it, and the fax number of its subject.
func (w *Worker) headerContent(hdr []byte) *content {
	p, err := parseHeader(hdr)
	if err != nil {
		return nil
	}
	return &content{p: p, fax: senderFax(w.faxPatterns, p.subject, "")}
}

func (c *content) from() string {
	if c == nil || c.p == nil {
		return ""
	}
	return c.p.from
}

func (c *content) senderFax() string {
	if c == nil {
		return ""
	}
	return c.fax
}

// take claims a new message and sees it through. The error return stops the
// cycle; everything that concerns only this message is handled here.
func (w *Worker) take(ctx context.Context, s *session, uid imap.UID, size int64, sum *Summary) error {
	key := MessageKey{Account: w.mb.Username, Mailbox: w.mb.Folder, UIDValidity: s.uidValidity, UID: uint32(uid)}
	claim := Claim{Key: key, Size: size}
	var (
		c        *content
		fetchErr error
	)
	if size <= w.maxBytes {
		raw, err := s.fetch(uid, w.maxBytes, false)
		switch {
		case err == nil:
			c = w.newContent(raw)
			claim.SHA256 = digest(raw)
		case errors.Is(err, errGone):
			return nil // expunged by someone else before we read it
		case s.broken():
			return err
		case !errors.Is(err, ErrTooLarge):
			fetchErr = err // claim it anyway, so that the messages after it go on
		}
	}
	if c == nil && fetchErr == nil {
		// Too large: the header alone says who sent it.
		if hdr, err := s.fetch(uid, 1<<20, true); err == nil {
			c = w.headerContent(hdr)
		} else if s.broken() {
			return err
		}
	}
	if c != nil && c.p != nil {
		claim.MessageID = c.p.messageID
		claim.SenderAddress = c.p.from
		claim.SenderFax = c.fax
	}
	w.at("fetched", key)

	e, adopted, err := w.ledger.Claim(ctx, claim)
	if err != nil {
		return err
	}
	sum.Fetched++
	w.at("claimed", key)
	if w.trail != nil && !adopted && e.State == EntryClaimed {
		w.audited(e, "message-received", w.trail.MessageReceived(ctx, audit.Message{MessageID: trailMessageID(claim.MessageID, key),
			Mailbox: key.Mailbox, UIDValidity: key.UIDValidity, UID: key.UID}))
		w.audited(e, "case-opened", w.trail.CaseOpened(ctx, e.CaseID, trailMessageID(claim.MessageID, key)))
	}
	if adopted {
		w.log.Info("message recognised from an earlier UIDVALIDITY", append(w.ids(e), "state", string(e.State))...)
	}
	if c != nil && c.p != nil {
		w.log.Debug("message taken", append(w.ids(e), "from", c.p.from, "subject", c.p.subject)...)
	}
	if fetchErr != nil {
		if e, err = w.ledger.Begin(ctx, key); err != nil {
			return err
		}
		return w.failed(ctx, s, e, nil, fetchErr, sum)
	}
	if c != nil && c.raw == nil {
		c = nil // header only: handle decides "too large" from the entry
	}
	return w.handle(ctx, s, e, c, sum)
}

// handle drives an entry to filed from whatever state it is in. c holds the
// message when it is at hand; otherwise it comes from the stored original, or
// from the mailbox again.
func (w *Worker) handle(ctx context.Context, s *session, e *Entry, c *content, sum *Summary) error {
	switch e.State {
	case EntryFiled:
		return nil
	case EntryProcessed:
		return w.file(ctx, s, e, sum)
	case EntryRetry:
		if timeNow().Before(e.NextAttempt) {
			return nil // not due yet
		}
	}
	if e.SHA256 == "" && e.Size > w.maxBytes {
		reason := fmt.Sprintf("message-too-large: %d bytes exceeds limits.bytes_per_message (%d)", e.Size, w.maxBytes)
		return w.decide(ctx, s, e, nil, Outcome{Status: casefile.StatusNeedsReview, Reasons: []string{reason}}, "", sum)
	}
	if e.Attempts >= w.maxAttempts {
		last := e.LastError
		if e.State == EntryProcessing || last == "" {
			last = "the last attempt did not finish"
		}
		reason := fmt.Sprintf("retry-limit: gave up after %d attempts: %s", e.Attempts, last)
		return w.decide(ctx, s, e, c, Outcome{Status: casefile.StatusNeedsReview, Reasons: []string{reason}}, last, sum)
	}

	e, err := w.ledger.Begin(ctx, e.MessageKey)
	if err != nil {
		return err
	}
	if c == nil {
		raw, err := w.load(ctx, s, e)
		switch {
		case err == nil:
			c = w.newContent(raw)
		case s.broken():
			return err
		case errors.Is(err, errGone), errors.Is(err, ErrTooLarge):
			return w.decide(ctx, s, e, nil, Outcome{Status: casefile.StatusNeedsReview, Reasons: []string{"message-unavailable: " + err.Error()}}, err.Error(), sum)
		default:
			return w.failed(ctx, s, e, nil, err, sum)
		}
	}
	if err := w.walk(e.MessageKey, c); err != nil {
		return w.failed(ctx, s, e, c, err, sum)
	}
	out, err := w.attempt(ctx, e, c)
	if err != nil {
		return w.failed(ctx, s, e, c, err, sum)
	}
	return w.decide(ctx, s, e, c, out, "", sum)
}

// load reads an entry's message from the stored original, or else from the
// mailbox (and then records its hash if the ledger lacked it).
func (w *Worker) load(ctx context.Context, s *session, e *Entry) ([]byte, error) {
	if e.SHA256 != "" {
		if raw, err := w.originals.get(e.SHA256); err == nil {
			return raw, nil
		}
	}
	raw, err := s.fetch(imap.UID(e.UID), w.maxBytes, false)
	if err != nil {
		return nil, err
	}
	sum := digest(raw)
	if e.SHA256 == "" {
		id := ""
		if p, err := parseHeader(raw); err == nil {
			id = p.messageID
		}
		if err := w.ledger.Identify(ctx, e.MessageKey, id, sum, int64(len(raw))); err != nil {
			return nil, err
		}
		e.SHA256, e.MessageID = sum, id
	} else if sum != e.SHA256 {
		return nil, fmt.Errorf("intake: UID %d now has other content than when it was claimed", e.UID)
	}
	return raw, nil
}

// attempt is one processing attempt: store the original, sort out what is
// not a referral, and hand the rest to the processor.
func (w *Worker) attempt(ctx context.Context, e *Entry, c *content) (Outcome, error) {
	path, err := w.originals.put(digest(c.raw), c.raw)
	if err != nil {
		return Outcome{}, TemporaryError(err)
	}
	if c.p == nil {
		return Outcome{Status: casefile.StatusNeedsReview, Reasons: []string{"unreadable: " + c.perr.Error()}}, nil
	}
	if reason := notReferral(c.p, c.mail, w.me); reason != "" {
		return Outcome{Status: casefile.StatusNeedsReview, Reasons: []string{reason}}, nil
	}
	m := &Message{
		Key:          e.MessageKey,
		CaseID:       e.CaseID,
		Attempt:      e.Attempts,
		MessageID:    e.MessageID,
		SHA256:       e.SHA256,
		OriginalPath: path,
		Raw:          c.raw,
		Mail:         c.mail,
		Date:         c.p.date,
		From:         c.p.from,
		Subject:      c.p.subject,
		SenderFax:    c.fax,
		Sender:       verifySender(c.p.header, c.p.from, w.senders),
	}
	return w.process(ctx, m)
}

// process calls the processor; a panic in it is a permanent failure of this
// message, not the end of the worker.
func (w *Worker) process(ctx context.Context, m *Message) (out Outcome, err error) {
	defer func() {
		if r := recover(); r != nil {
			w.log.Error("processor panicked", "case", m.CaseID, "uid", m.Key.UID, "panic", fmt.Sprint(r))
			w.log.Debug("processor panic stack", "case", m.CaseID, "stack", string(debug.Stack()))
			err = PermanentError(fmt.Errorf("processor panicked: %v", r))
		}
	}()
	out, err = w.proc.Process(ctx, m)
	if err == nil && !out.Status.Outcome() {
		return Outcome{}, PermanentError(fmt.Errorf("processor returned status %q", out.Status))
	}
	return out, err
}

// failed records a failed attempt (begun on the ledger): another try later
// with backoff, or, when the failure is permanent or the attempts are spent,
// review.
func (w *Worker) failed(ctx context.Context, s *session, e *Entry, c *content, cause error, sum *Summary) error {
	msg := cause.Error()
	if !IsTemporary(cause) {
		return w.decide(ctx, s, e, c, Outcome{Status: casefile.StatusNeedsReview, Reasons: []string{"processing-failed: " + msg}}, msg, sum)
	}
	if e.Attempts >= w.maxAttempts {
		reason := fmt.Sprintf("retry-limit: gave up after %d attempts: %s", e.Attempts, msg)
		return w.decide(ctx, s, e, c, Outcome{Status: casefile.StatusNeedsReview, Reasons: []string{reason}}, msg, sum)
	}
	next := timeNow().Add(w.backoff(e.Attempts))
	if err := w.ledger.Retry(ctx, e.MessageKey, msg, next); err != nil {
		return err
	}
	sum.Retrying++
	sum.Errors++
	w.log.Warn("message will be retried", append(w.ids(e), "attempt", e.Attempts, "next", next.UTC().Format(time.RFC3339), "error", msg)...)
	return nil
}

// backoff is the wait after the n-th failed attempt.
func (w *Worker) backoff(n int) time.Duration {
	d := w.retryAfter
	for i := 1; i < n && d < w.retryMax; i++ {
		d *= 2
	}
	return min(d, w.retryMax)
}

// decide commits an outcome, then files the message.
func (w *Worker) decide(ctx context.Context, s *session, e *Entry, c *content, out Outcome, lastErr string, sum *Summary) error {
	d := Decision{
		Outcome:       out.Status,
		Reasons:       out.Reasons,
		LastError:     lastErr,
		SenderFax:     config.NormalizePhone(out.SenderFax),
		SenderAddress: c.from(),
		Effects:       out.Effects,
	}
	if d.SenderFax == "" {
		d.SenderFax = c.senderFax()
	}
	if err := w.ledger.Decide(ctx, e.MessageKey, d); err != nil {
		return err
	}
	e.State, e.Outcome, e.Reasons = EntryProcessed, d.Outcome, d.Reasons
	switch out.Status {
	case casefile.StatusComplete:
		sum.Complete++
	case casefile.StatusNeedsCorrection:
		sum.NeedsCorrection++
	default:
		sum.NeedsReview++
	}
	w.log.Info("message decided", append(w.ids(e), "status", string(d.Outcome))...)
	if w.trail != nil {
		w.audited(e, "decision", w.trail.Decision(ctx, e.CaseID, string(d.Outcome)))
	}
	w.log.Debug("message decided: reasons", append(w.ids(e), "reasons", d.Reasons)...)
	w.at("committed", e.MessageKey)
	return w.file(ctx, s, e, sum)
}

// file moves a decided message to its outcome's folder. A message that
// cannot be filed now stays decided on the ledger and is filed next cycle.
func (w *Worker) file(ctx context.Context, s *session, e *Entry, sum *Summary) error {
	status := e.Outcome
	folder, ok := w.folders[status]
	if !ok {
		status, folder = casefile.StatusNeedsReview, w.folders[casefile.StatusNeedsReview]
	}
	where, by, err := s.file(imap.UID(e.UID), folder, status)
	if err != nil {
		if s.broken() {
			return err
		}
		sum.Errors++
		w.log.Warn("message not filed; the next cycle tries again", append(w.ids(e), "error", err)...)
		return nil
	}
	w.at("moved", e.MessageKey)
	if err := w.ledger.Filed(ctx, e.MessageKey, where, by); err != nil {
		return err
	}
	e.State = EntryFiled
	sum.Filed++
	if w.trail != nil {
		w.audited(e, "message-filed", w.trail.MessageFiled(ctx, e.CaseID, trailMessageID(e.MessageID, e.MessageKey), where))
	}
	w.log.Info("message filed", append(w.ids(e), "status", string(e.Outcome), "folder", where, "by", by)...)
	w.at("filed", e.MessageKey)
	return nil
}

// trailMessageID is the Message-ID the audit trail records (hashed) for a
// message: its own, or for a message without one (or whose header cannot
// be read) its place in the mailbox, so that its arrival and filing are
// recorded all the same.
func trailMessageID(id string, key MessageKey) string {
	if strings.Trim(strings.TrimSpace(id), "<>") != "" {
		return id
	}
	return fmt.Sprintf("uid.%d.%d@%s.no-message-id.invalid", key.UIDValidity, key.UID, strings.ToLower(key.Mailbox))
}

// ids are the attributes that name a message in a log line: no PHI.
func (w *Worker) ids(e *Entry) []any {
	return []any{"case", e.CaseID, "uid", e.UID, "uidvalidity", e.UIDValidity, "msgid", audit.MessageIDHash(e.MessageID)}
}

func (w *Worker) at(point string, key MessageKey) {
	if w.hook != nil {
		w.hook(point, key)
	}
	crashpoint.At(crashPoints[point])
}

// crashPoints name the hook points where a binary built for the crash
// tests may kill itself (internal/crashpoint).
var crashPoints = map[string]string{"claimed": "after-claim", "committed": "after-decision", "moved": "mid-move"}
