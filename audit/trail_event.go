package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/mail"
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"
)

// One method per event. Every argument is typed and checked: identifiers must
// look like identifiers, hashes like hashes, addresses like bare addresses of
// an office. A bad argument returns ErrInvalid (naming the argument, never
// echoing its value) and writes nothing. Message-IDs are stored as
// MessageIDHash, never as they are.

// Message identifies a received email in the mailbox.
type Message struct {
	MessageID   string // the Message-ID header; stored as MessageIDHash
	Mailbox     string // the IMAP folder it was read from
	UIDValidity uint32
	UID         uint32
	Attachments int // documents found in it
}

// Document is a document read for a case: a stored original, by hash.
type Document struct {
	SHA256 string // hex SHA-256 of the stored original
	Pages  int
	// OCR is false when the text came from the file itself (a text PDF, an
	// email body); MeanConfidence (0..1) is then not recorded.
	OCR            bool
	MeanConfidence float64
}

// FindingRef is a finding by rule id and severity, without its message.
type FindingRef struct {
	Rule     string `json:"rule"`     // a rule id of docs/rules.md
	Severity string `json:"severity"` // "error" or "warning"
}

// Correction identifies a correction request to a physician's office.
type Correction struct {
	OfficeID  string   // the office as named in the configuration
	To        []string // the office addresses it goes to: bare addresses, no display names
	MessageID string   // Message-ID of the request email; stored as MessageIDHash
	Rules     []string // the rule ids the request asks the office to correct
	Attempt   int      // 1 for the first try; 0 when not applicable
}

// SendFailure says how sending a correction request failed, without the
// server's free-text reply.
type SendFailure struct {
	Permanent bool   // the request will not be retried
	Code      int    // SMTP reply code, 0 when there was none (e.g. connection refused)
	Fault     string // with no reply: the kind of network failure (FaultKind), or ""
	Enhanced  string // enhanced status code such as "5.1.1", or ""
}

// Override is a change of a case's status made by a user.
type Override struct {
	From, To string   // statuses
	Rules    []string // the findings the user set aside, by rule id
}

// SignInFailure is why a sign-in failed.
type SignInFailure string

const (
	SignInBadPassword SignInFailure = "bad-password"
	SignInUnknownUser SignInFailure = "unknown-user"
	SignInLocked      SignInFailure = "locked"
)

// The outcomes a Decision may record (docs/rules.md, "Statuses").
var statuses = map[string]bool{"complete": true, "needs-correction": true, "needs-review": true}

// MessageIDHash is how a Message-ID appears in the trail: the first 12 hex
// digits of the SHA-256 of the id without spaces and angle brackets around
// it. For an id as go-message returns it, this is the value intake's logs
// show, so log lines and trail entries can be matched.
func MessageIDHash(messageID string) string {
	id := strings.Trim(strings.TrimSpace(messageID), "<>")
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:6])
}

// MessageReceived records that a new message was found in the mailbox.
func (t *Trail) MessageReceived(ctx context.Context, m Message) error {
	var c checker
	c.messageID("message id", m.MessageID)
	c.folder("mailbox", m.Mailbox)
	c.count("attachments", m.Attachments)
	return t.write(ctx, c, record{
		actor: ActorWorker, event: EventMessageReceived, outcome: "received",
		detail: struct {
			MessageID   string `json:"message_id_hash"`
			Mailbox     string `json:"mailbox"`
			UIDValidity uint32 `json:"uid_validity"`
			UID         uint32 `json:"uid"`
			Attachments int    `json:"attachments"`
		}{MessageIDHash(m.MessageID), m.Mailbox, m.UIDValidity, m.UID, m.Attachments},
	})
}

// CaseOpened records that a case was opened for a received message.
func (t *Trail) CaseOpened(ctx context.Context, caseID, messageID string) error {
	var c checker
	c.caseID("case id", caseID)
	c.messageID("message id", messageID)
	return t.write(ctx, c, record{
		actor: ActorWorker, caseID: caseID, event: EventCaseOpened, outcome: "opened",
		detail: struct {
			MessageID string `json:"message_id_hash"`
		}{MessageIDHash(messageID)},
	})
}

// DocumentRead records that a document of a case was read.
func (t *Trail) DocumentRead(ctx context.Context, caseID string, d Document) error {
	var c checker
	c.caseID("case id", caseID)
	c.sha256("document sha256", d.SHA256)
	c.count("pages", d.Pages)
	if d.OCR && (math.IsNaN(d.MeanConfidence) || d.MeanConfidence < 0 || d.MeanConfidence > 1) {
		c.fail("mean confidence must be between 0 and 1")
	}
	var conf *float64
	if d.OCR {
		r := math.Round(d.MeanConfidence*1000) / 1000
		conf = &r
	}
	return t.write(ctx, c, record{
		actor: ActorWorker, caseID: caseID, event: EventDocumentRead, outcome: "read",
		detail: struct {
			SHA256     string   `json:"document_sha256"`
			Pages      int      `json:"pages"`
			OCR        bool     `json:"ocr"`
			Confidence *float64 `json:"ocr_mean_confidence,omitempty"`
		}{strings.ToLower(d.SHA256), d.Pages, d.OCR, conf},
	})
}

// Findings records the findings of the rules for a case. The outcome is
// "errors", "warnings" or "none".
func (t *Trail) Findings(ctx context.Context, caseID string, findings []FindingRef) error {
	var c checker
	c.caseID("case id", caseID)
	errs, warns := 0, 0
	for _, f := range findings {
		c.ruleID("finding rule", f.Rule)
		switch f.Severity {
		case "error":
			errs++
		case "warning":
			warns++
		default:
			c.fail("finding severity must be error or warning")
		}
	}
	outcome := "none"
	if errs > 0 {
		outcome = "errors"
	} else if warns > 0 {
		outcome = "warnings"
	}
	if findings == nil {
		findings = []FindingRef{}
	}
	return t.write(ctx, c, record{
		actor: ActorWorker, caseID: caseID, event: EventFindings, outcome: outcome,
		detail: struct {
			Findings []FindingRef `json:"findings"`
			Errors   int          `json:"errors"`
			Warnings int          `json:"warnings"`
		}{findings, errs, warns},
	})
}

// Decision records the status the worker gave a case.
func (t *Trail) Decision(ctx context.Context, caseID, status string) error {
	var c checker
	c.caseID("case id", caseID)
	c.status("status", status)
	return t.write(ctx, c, record{
		actor: ActorWorker, caseID: caseID, event: EventDecision, outcome: status,
		detail: struct{}{},
	})
}

// CorrectionQueued records that a correction request was queued for an office.
func (t *Trail) CorrectionQueued(ctx context.Context, caseID string, cr Correction) error {
	return t.correction(ctx, EventCorrectionQueued, "queued", caseID, cr, nil)
}

// CorrectionSent records that a correction request was accepted by the
// mail server.
func (t *Trail) CorrectionSent(ctx context.Context, caseID string, cr Correction) error {
	return t.correction(ctx, EventCorrectionSent, "sent", caseID, cr, nil)
}

// CorrectionFailed records that sending a correction request failed. The
// outcome is "temporary-failure" or "permanent-failure".
func (t *Trail) CorrectionFailed(ctx context.Context, caseID string, cr Correction, f SendFailure) error {
	var c checker
	if f.Code != 0 && (f.Code < 200 || f.Code > 599) {
		c.fail("smtp code must be 0 or 200..599")
	}
	if f.Enhanced != "" && !isEnhancedCode(f.Enhanced) {
		c.fail("enhanced status code must look like 5.1.1")
	}
	outcome := "temporary-failure"
	if f.Permanent {
		outcome = "permanent-failure"
	}
	extra := map[string]any{"permanent": f.Permanent}
	if f.Code != 0 {
		extra["smtp_code"] = f.Code
	}
	if f.Enhanced != "" {
		extra["enhanced_code"] = f.Enhanced
	}
	if f.Fault != "" {
		if !isToken(f.Fault, 32, "-") {
			c.fail("fault must be a short token")
		}
		extra["fault"] = f.Fault
	}
	if c.err != nil {
		return c.err
	}
	return t.correction(ctx, EventCorrectionFailed, outcome, caseID, cr, extra)
}

// CorrectionReminded records that reminder number n (1, 2, ...) was sent for
// a correction request the office has not answered.
func (t *Trail) CorrectionReminded(ctx context.Context, caseID string, cr Correction, n int) error {
	if n < 1 {
		return fmt.Errorf("%w: reminder number must be 1 or more", ErrInvalid)
	}
	return t.correction(ctx, EventCorrectionReminded, "sent", caseID, cr, map[string]any{"reminder": n})
}

// DuplicateSendSuspected records that a correction request looked like one
// already sent (previousMessageID) and whether it was held back or sent.
func (t *Trail) DuplicateSendSuspected(ctx context.Context, caseID string, cr Correction, previousMessageID string, held bool) error {
	var c checker
	c.messageID("previous message id", previousMessageID)
	if c.err != nil {
		return c.err
	}
	outcome := "sent"
	if held {
		outcome = "held"
	}
	return t.correction(ctx, EventDuplicateSendSuspected, outcome, caseID, cr,
		map[string]any{"previous_message_id_hash": MessageIDHash(previousMessageID)})
}

// correction writes the correction-* events, which share their detail.
func (t *Trail) correction(ctx context.Context, event, outcome, caseID string, cr Correction, extra map[string]any) error {
	var c checker
	c.caseID("case id", caseID)
	c.office("office id", cr.OfficeID)
	if len(cr.To) == 0 {
		c.fail("correction needs at least one office address")
	}
	to := make([]string, len(cr.To))
	for i, a := range cr.To {
		to[i] = c.officeAddress("office address", a)
	}
	if cr.MessageID != "" {
		c.messageID("message id", cr.MessageID)
	}
	for _, r := range cr.Rules {
		c.ruleID("rule", r)
	}
	if cr.Attempt < 0 {
		c.fail("attempt must not be negative")
	}
	d := map[string]any{"office": cr.OfficeID, "to": to}
	if cr.MessageID != "" {
		d["message_id_hash"] = MessageIDHash(cr.MessageID)
	}
	if len(cr.Rules) > 0 {
		d["rules"] = cr.Rules
	}
	if cr.Attempt > 0 {
		d["attempt"] = cr.Attempt
	}
	for k, v := range extra {
		d[k] = v
	}
	return t.write(ctx, c, record{actor: ActorWorker, caseID: caseID, event: event, outcome: outcome, detail: d})
}

// MessageFiled records that a message was moved to a folder. caseID is
// empty for a message that opened no case.
func (t *Trail) MessageFiled(ctx context.Context, caseID, messageID, folder string) error {
	var c checker
	if caseID != "" {
		c.caseID("case id", caseID)
	}
	c.messageID("message id", messageID)
	c.folder("folder", folder)
	return t.write(ctx, c, record{
		actor: ActorWorker, caseID: caseID, event: EventMessageFiled, outcome: "filed",
		detail: struct {
			MessageID string `json:"message_id_hash"`
			Folder    string `json:"folder"`
		}{MessageIDHash(messageID), folder},
	})
}

// CorrectedRxLinked records that a corrected prescription (correctedCaseID,
// arriving in messageID) was linked to the case it corrects (caseID).
func (t *Trail) CorrectedRxLinked(ctx context.Context, caseID, correctedCaseID, messageID string) error {
	var c checker
	c.caseID("case id", caseID)
	c.caseID("corrected case id", correctedCaseID)
	c.messageID("message id", messageID)
	return t.write(ctx, c, record{
		actor: ActorWorker, caseID: caseID, event: EventCorrectedRxLinked, outcome: "linked",
		detail: struct {
			Corrected string `json:"corrected_case_id"`
			MessageID string `json:"message_id_hash"`
		}{correctedCaseID, MessageIDHash(messageID)},
	})
}

// CaseOverridden records that a user changed a case's status by hand. There
// is no free-text note: the rules set aside say what was overridden.
func (t *Trail) CaseOverridden(ctx context.Context, userID, caseID string, o Override) error {
	var c checker
	c.userID("user id", userID)
	c.caseID("case id", caseID)
	c.status("from status", o.From)
	c.status("to status", o.To)
	for _, r := range o.Rules {
		c.ruleID("rule", r)
	}
	rules := o.Rules
	if rules == nil {
		rules = []string{}
	}
	return t.write(ctx, c, record{
		actor: actorUserPref + userID, caseID: caseID, event: EventCaseOverridden, outcome: o.To,
		detail: struct {
			From  string   `json:"from"`
			To    string   `json:"to"`
			Rules []string `json:"rules"`
		}{o.From, o.To, rules},
	})
}

// PageViewed records that a user viewed a page of the review site. page is
// the path without a query ("/cases/C-1042"); caseID names the case shown,
// if any: viewing a case is an access to PHI.
func (t *Trail) PageViewed(ctx context.Context, userID, page, caseID string) error {
	var c checker
	c.userID("user id", userID)
	c.page("page", page)
	if caseID != "" {
		c.caseID("case id", caseID)
	}
	return t.write(ctx, c, record{
		actor: actorUserPref + userID, caseID: caseID, event: EventPageViewed, outcome: "viewed",
		detail: struct {
			Page string `json:"page"`
		}{page},
	})
}

// UserSignedIn records a successful sign-in to the review site.
func (t *Trail) UserSignedIn(ctx context.Context, userID string, remote netip.Addr) error {
	var c checker
	c.userID("user id", userID)
	return t.write(ctx, c, record{
		actor: actorUserPref + userID, event: EventUserSignedIn, outcome: "ok",
		detail: struct {
			Remote string `json:"remote,omitempty"`
		}{addrString(remote)},
	})
}

// UserSignInFailed records a failed sign-in. Pass userID only when the name
// given is an existing user's id, and "" otherwise (reason
// SignInUnknownUser): what was typed for an unknown user is never recorded,
// because people type passwords into the user name box.
func (t *Trail) UserSignInFailed(ctx context.Context, userID string, remote netip.Addr, reason SignInFailure) error {
	var c checker
	actor := ActorAnonymous
	switch {
	case reason == SignInUnknownUser && userID != "":
		c.fail("user id must be empty for an unknown user")
	case reason == SignInUnknownUser:
	case reason == SignInBadPassword || reason == SignInLocked:
		c.userID("user id", userID)
		actor = actorUserPref + userID
	default:
		c.fail("unknown sign-in failure reason")
	}
	return t.write(ctx, c, record{
		actor: actor, event: EventUserSignInFailed, outcome: string(reason),
		detail: struct {
			Remote string `json:"remote,omitempty"`
		}{addrString(remote)},
	})
}

// ConfigLoaded records that the worker loaded its configuration: the hex
// SHA-256 of the file and the program version.
func (t *Trail) ConfigLoaded(ctx context.Context, configSHA256, version string) error {
	var c checker
	c.sha256("config sha256", configSHA256)
	if version != "" && !isToken(version, 64, "._+-()") {
		c.fail("version must be a short token")
	}
	return t.write(ctx, c, record{
		actor: ActorWorker, event: EventConfigLoaded, outcome: "loaded",
		detail: struct {
			SHA256  string `json:"config_sha256"`
			Version string `json:"version,omitempty"`
		}{strings.ToLower(configSHA256), version},
	})
}

// write appends r unless c found a bad argument.
func (t *Trail) write(ctx context.Context, c checker, r record) error {
	if c.err != nil {
		return c.err
	}
	_, err := t.append(ctx, r)
	return err
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.Unmap().String()
}

// checker collects the first bad argument of an event.
type checker struct{ err error }

func (c *checker) fail(msg string) {
	if c.err == nil {
		c.err = fmt.Errorf("%w: %s", ErrInvalid, msg)
	}
}

// caseID: what the ledger hands out, e.g. "C-20261120-0007".
func (c *checker) caseID(name, s string) {
	if !isToken(s, 64, "._:-") {
		c.fail(name + " must be 1-64 letters, digits or ._:- starting with a letter or digit")
	}
}

func (c *checker) userID(name, s string) {
	if !isToken(s, 64, "._@-") {
		c.fail(name + " must be 1-64 letters, digits or ._@- starting with a letter or digit")
	}
}

func (c *checker) ruleID(name, s string) {
	if !isToken(s, 64, "-") || strings.ToLower(s) != s {
		c.fail(name + " must be a rule id such as diagnosis-single")
	}
}

func (c *checker) status(name, s string) {
	if !statuses[s] {
		c.fail(name + " must be complete, needs-correction or needs-review")
	}
}

func (c *checker) sha256(name, s string) {
	if b, err := hex.DecodeString(s); err != nil || len(b) != sha256.Size {
		c.fail(name + " must be 64 hex digits")
	}
}

func (c *checker) count(name string, n int) {
	if n < 0 {
		c.fail(name + " must not be negative")
	}
}

func (c *checker) messageID(name, s string) {
	if strings.Trim(strings.TrimSpace(s), "<>") == "" {
		c.fail(name + " is empty")
	}
}

// office: the office's name as configured ("Gulf Coast Family Medicine").
func (c *checker) office(name, s string) {
	if !isText(s, 128) {
		c.fail(name + " must be 1-128 printable characters")
	}
}

// officeAddress returns the bare address; a display name is refused since
// it could be a person's name.
func (c *checker) officeAddress(name, s string) string {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || len(a.Address) > 254 || strings.ContainsAny(a.Address, "\"\\ ") {
		c.fail(name + " must be a bare email address without a display name")
		return ""
	}
	return a.Address
}

// folder: an IMAP folder name from the configuration ("Rx/Needs-Review").
func (c *checker) folder(name, s string) {
	if !isText(s, 255) {
		c.fail(name + " must be 1-255 printable characters")
	}
}

// page: a path of the review site without query or fragment.
func (c *checker) page(name, s string) {
	if len(s) > 200 || !strings.HasPrefix(s, "/") || (s != "/" && !isToken(s[1:], 199, "/._:-")) {
		c.fail(name + " must be a path such as /cases/C-1 without query or fragment")
	}
}

// isToken reports whether s has 1..maxLen ASCII letters, digits and bytes of
// extra, and starts with a letter or digit (which also keeps spreadsheets
// from reading an exported cell as a formula).
func isToken(s string, maxLen int, extra string) bool {
	if s == "" || len(s) > maxLen || !isAlnum(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && strings.IndexByte(extra, s[i]) < 0 {
			return false
		}
	}
	return true
}

func isAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// isText reports whether s is 1..maxLen bytes of printable UTF-8 that does
// not start with a space or with one of =+-@ (which a spreadsheet would read
// as a formula in an exported cell).
func isText(s string, maxLen int) bool {
	if s == "" || len(s) > maxLen || !utf8.ValidString(s) || strings.ContainsAny(s[:1], " =+-@") {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// isEnhancedCode reports whether s is an RFC 3463 status code like 5.1.1.
func isEnhancedCode(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 3 || (parts[0] != "2" && parts[0] != "4" && parts[0] != "5") {
		return false
	}
	for _, p := range parts[1:] {
		if p == "" || len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}
