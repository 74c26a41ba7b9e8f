// Package casework turns a message into a decided case: it reads the
// documents (extract), applies the rules (validate), finds the sending office,
// stores what was read for the review page, and hands the decision to the
// notifier inside the transaction that commits it.
package casework

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/extract"
	"rxintake/icd10cm"
	"rxintake/intake"
	"rxintake/validate"
)

// RuleOfficeUnknown sends a case to review when the prescription needs
// correcting but the sending office is not in the directory: a correction
// request never goes to an address rxintake does not know.
const RuleOfficeUnknown = "office-unknown"

// Rules of the findings about who sent a document (docs/architecture.md,
// "Who the sender is").
const (
	// RuleSenderUnverified: the fax number or the From address was not
	// used to find the office, because the message did not verifiably come
	// from the fax service or from the From domain.
	RuleSenderUnverified = "sender-unverified"
	// RuleReplyUnverified sends a case to review when the document names
	// an open case (in its subject, or by replying to the case's request)
	// but does not verifiably come from that case's office.
	RuleReplyUnverified = "reply-unverified"
)

// ErrReplyUnverified is what Notifier.Correcting returns when a document
// refers to an open case but its verified sender is not the case's office.
var ErrReplyUnverified = errors.New("casework: the document refers to an open case but is not verifiably from its office")

// Input is what Build needs besides the document.
type Input struct {
	Profile validate.Profile // the payer's rules
	// Received is the day the document came in: the day it was taken in
	// from the mailbox, or --as-of. An email's Date header wins (AsOf).
	Received time.Time
	// SenderFax is the sender's number as the fax notification gives it
	// (intake.Message.SenderFax); the transmit headers' number wins.
	SenderFax string
}

// Build reads the prescription in doc and applies the rules: the one way
// from a document to a record, taken by the worker (Processor.Process),
// `rxintake extract --json` and internal/cmd/rxeval alike. It does not look up the
// office; Process does, and applies the rule for an unknown one. It adds
// the time of the fields and of the rules to doc.Timings.
func Build(doc *extract.Document, in Input) *casefile.Record {
	asOf := AsOf(doc, in.Received)
	start := time.Now()
	rx := extract.ReadPrescription(doc, asOf)
	read := time.Now()
	status, findings := Check(doc, rx, in.Profile, validate.DefaultPolicy, asOf)
	doc.Timings.Fields += read.Sub(start)
	doc.Timings.Rules += time.Since(read)
	r := &casefile.Record{File: doc.File, Status: status, Pages: len(doc.Pages), Prescription: rx,
		Findings: findings, AsOf: asOf.Format(time.DateOnly), Payer: in.Profile.Name,
		CodeSet: fmt.Sprintf("FY%d", icd10cm.For(asOf).FiscalYear())}
	s := &casefile.Sender{Fax: senderFax(doc, in.SenderFax)}
	for _, p := range doc.Pages {
		if p.Header != nil && p.Header.SenderName != "" {
			s.Name = p.Header.SenderName
			break
		}
	}
	if doc.Email != nil {
		s.Email = doc.Email.From
		r.Email = &casefile.EmailRef{MessageID: doc.Email.MessageID, InReplyTo: doc.Email.InReplyTo,
			References: doc.Email.References, Subject: doc.Email.Subject}
	}
	if *s != (casefile.Sender{}) {
		r.Sender = s
	}
	for _, p := range doc.Pages {
		r.PageTexts = append(r.PageTexts, casefile.PageText{Page: p.Number, Source: p.Source, Text: p.Text,
			Confidence: p.Confidence, TextLayer: p.TextLayer, Resampled: p.Resampled, Rotation: p.Rotation,
			CoverSheet: p.CoverSheet, Unreadable: p.Unreadable, FaxHeader: p.Header})
	}
	return r
}

// AsOf is the day validity windows are measured at (docs/rules.md): the
// day an email was sent, by its Date header, else received, the day the
// document came in.
func AsOf(doc *extract.Document, received time.Time) time.Time {
	if doc.Email != nil && !doc.Email.Date.IsZero() {
		received = doc.Email.Date
	}
	return received.UTC().Truncate(24 * time.Hour)
}

// RecordAsOf is the day rec was judged at (its as_of, set by Build), or the
// day of now for a record that does not say.
func RecordAsOf(rec *casefile.Record, now time.Time) time.Time {
	if t, err := time.Parse(time.DateOnly, rec.AsOf); err == nil {
		return t
	}
	return now.UTC().Truncate(24 * time.Hour)
}

// senderFax is the sender's fax number: the one most transmit headers of
// doc agree on, else the one the fax notification gave.
func senderFax(doc *extract.Document, notified string) string {
	if doc.FaxNumber != "" {
		return doc.FaxNumber
	}
	return notified
}

// Check applies the rules of profile, with the review thresholds of pol,
// to rx as read from doc: the status and findings of a record. When the
// rules cannot run, the document goes to review with an unreadable finding
// that says why.
func Check(doc *extract.Document, rx *extract.Prescription, profile validate.Profile, pol validate.Policy, asOf time.Time) (casefile.Status, []validate.Finding) {
	res, err := validate.CheckWith(doc, rx, profile, asOf, pol)
	if err != nil {
		return casefile.StatusNeedsReview, []validate.Finding{
			{Rule: validate.RuleUnreadable, Severity: validate.Error, Message: err.Error()}}
	}
	if res.Findings == nil {
		res.Findings = []validate.Finding{}
	}
	return casefile.Status(res.Status), res.Findings
}

// officeRule sends a record that needs correcting to review when its
// office is not in the directory (RuleOfficeUnknown).
func officeRule(r *casefile.Record) {
	if r.Status == casefile.StatusNeedsCorrection && r.Office == "" {
		r.Status = casefile.StatusNeedsReview
		r.Findings = append(r.Findings, validate.Finding{Rule: RuleOfficeUnknown, Severity: validate.Warning,
			Message: "The sending office is not in the office directory: a person must confirm where the correction request goes."})
	}
}

// SecondReader is asked before a case that needs correcting is decided
// (docs/llm.md): the optional language-model assist. It returns findings
// that send the case to a person instead, or none; it never fails a case,
// and never takes longer than its own timeout.
type SecondReader interface {
	SecondRead(ctx context.Context, caseID string, doc *extract.Document, rec *casefile.Record) []validate.Finding
}

// SecondRead asks sr about rec, when sr is set, and applies what it found
// (Reconsider). It returns the findings sr gave.
func SecondRead(ctx context.Context, sr SecondReader, caseID string, doc *extract.Document, rec *casefile.Record) []validate.Finding {
	if sr == nil || rec.Status == casefile.StatusNeedsReview {
		return nil
	}
	found := sr.SecondRead(ctx, caseID, doc, rec)
	rec.Status, rec.Findings = Reconsider(rec.Status, rec.Findings, found)
	return found
}

// Reconsider applies the second reader's findings to a status and the
// rules' findings: any finding sends a case to review, with the findings
// added. A second reader never makes a case complete, and never sends one
// to correction.
func Reconsider(status casefile.Status, findings, found []validate.Finding) (casefile.Status, []validate.Finding) {
	if len(found) == 0 || status == casefile.StatusNeedsReview {
		return status, findings
	}
	return casefile.StatusNeedsReview, append(findings, found...)
}

// TrustedTransport returns the sender's fax number and address that may
// find its office: the fax number of a message from the fax service, the
// address of a verified sender; "" for the others.
func TrustedTransport(s *casefile.Sender) (fax, from string) {
	if s == nil {
		return "", ""
	}
	if s.FaxService {
		fax = s.Fax
	}
	if s.Verified {
		from = s.Email
	}
	return fax, from
}

// senderRule records, as a finding, that the sender's fax number or address
// was kept but not used to find the office, and why (intake.Sender.Why).
func senderRule(r *casefile.Record, why string) {
	s := r.Sender
	var unused []string
	if s.Fax != "" && !s.FaxService {
		unused = append(unused, "fax number")
	}
	if s.Email != "" && !s.Verified {
		unused = append(unused, "address")
	}
	if len(unused) == 0 {
		return
	}
	if why == "" {
		why = "not verified"
	}
	r.Findings = append(r.Findings, validate.Finding{Rule: RuleSenderUnverified, Severity: validate.Warning,
		Message: fmt.Sprintf("The sender's %s could not be trusted (%s): kept for the review page, not used to find the office.", strings.Join(unused, " and "), why)})
}

// replyRule sends a record to review that refers to an open case without
// verifiably coming from its office (RuleReplyUnverified).
func replyRule(r *casefile.Record) {
	r.Status = casefile.StatusNeedsReview
	r.Findings = append(r.Findings, validate.Finding{Rule: RuleReplyUnverified, Severity: validate.Warning,
		Message: "The document refers to an open case but is not verifiably from that case's office: a person must confirm which case it answers."})
}

// senderFindings carries the findings about the sender of from over to r,
// whose findings the rules have just rewritten: the sender does not change
// when a person corrects what was read.
func senderFindings(r, from *casefile.Record) {
	for _, f := range from.Findings {
		switch f.Rule {
		case RuleReplyUnverified:
			r.Status = casefile.StatusNeedsReview
			fallthrough
		case RuleSenderUnverified:
			r.Findings = append(r.Findings, f)
		}
	}
}

// Notifier is what casework needs of the correction-request stage.
type Notifier interface {
	// Office names the directory office a case belongs to, found by the
	// prescriber's NPI, the sending fax number, or the sender address of
	// an email whose domain is in the directory; ok is false when none.
	// Process passes only the trusted fax number and address
	// (TrustedTransport).
	Office(npi, fax, from string) (name string, ok bool)
	// Correcting returns the open case a document answers (a corrected
	// Rx), or ok false when it is a new referral; ErrReplyUnverified when
	// it refers to an open case of an office it is not verifiably from.
	Correcting(ctx context.Context, r *casefile.Record) (caseID string, ok bool, err error)
	// Decided runs inside the transaction that commits the case's outcome:
	// it queues a correction request, or closes the case a corrected Rx
	// answers.
	Decided(ctx context.Context, tx *sql.Tx, r *casefile.Record) error
}

// Trail is the part of the audit trail casework writes.
type Trail interface {
	DocumentRead(ctx context.Context, caseID string, d audit.Document) error
	Findings(ctx context.Context, caseID string, findings []audit.FindingRef) error
}

// Processor is the intake.Processor of rxintake.
type Processor struct {
	Reader   *extract.Reader
	Profile  validate.Profile
	Store    *casefile.Store
	Notifier Notifier // nil: no correction requests (demo of reading only)
	Trail    Trail    // nil records nothing
	// SecondReader is asked before a correction request is decided; nil
	// (llm.mode off) asks nothing.
	SecondReader SecondReader
	Log          *slog.Logger
	Now          func() time.Time
}

// Process implements intake.Processor.
func (p *Processor) Process(ctx context.Context, m *intake.Message) (intake.Outcome, error) {
	log := p.Log
	if log == nil {
		log = slog.Default()
	}
	if m.Mail == nil {
		return intake.Outcome{}, intake.PermanentError(fmt.Errorf("casework: case %s: the message was handed over without its walk", m.CaseID))
	}
	doc := p.Reader.ReadMail(ctx, m.CaseID+".eml", m.Mail)
	if ctx.Err() != nil {
		return intake.Outcome{}, intake.TemporaryError(ctx.Err())
	}
	if doc.Temporary() {
		return intake.Outcome{}, intake.TemporaryError(fmt.Errorf("casework: %s", doc.Problems[0].Reason))
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	rec := Build(doc, Input{Profile: p.Profile, Received: now(), SenderFax: m.SenderFax})
	rec.CaseID, rec.File, rec.Original = m.CaseID, m.CaseID+".eml", m.OriginalPath
	if rec.Sender == nil {
		rec.Sender = &casefile.Sender{}
	}
	rec.Sender.Verified, rec.Sender.FaxService = m.Sender.Verified, m.Sender.FaxService
	senderRule(rec, m.Sender.Why)
	for _, pg := range doc.Pages {
		if pg.Image == nil {
			continue
		}
		sum, err := p.Store.PutImage(pg.Image)
		if err != nil {
			return intake.Outcome{}, intake.TemporaryError(err)
		}
		rec.PageImages = append(rec.PageImages, sum)
	}
	if p.Notifier != nil {
		npi := ""
		if rx := rec.Prescription; rx != nil && rx.Prescriber != nil {
			npi = rx.Prescriber.NPI
		}
		fax, from := TrustedTransport(rec.Sender)
		if name, ok := p.Notifier.Office(npi, fax, from); ok {
			rec.Office = name
		}
		if id, ok, err := p.Notifier.Correcting(ctx, rec); errors.Is(err, ErrReplyUnverified) {
			replyRule(rec)
		} else if err != nil {
			return intake.Outcome{}, intake.TemporaryError(err)
		} else if ok {
			rec.Corrects = id
		}
	}
	// The second reader is asked before a correction request; a case that
	// goes to review anyway, its office unknown, keeps its text here.
	if rec.Status != casefile.StatusNeedsCorrection || rec.Office != "" {
		SecondRead(ctx, p.SecondReader, m.CaseID, doc, rec)
	}
	officeRule(rec)
	if p.Trail != nil {
		ocr, conf, n := false, 0.0, 0
		for _, pg := range doc.Pages {
			if !pg.TextLayer && pg.Unreadable == "" {
				ocr, conf, n = true, conf+pg.Confidence, n+1
			}
		}
		if n > 0 {
			conf /= float64(n)
		}
		if err := p.Trail.DocumentRead(ctx, m.CaseID, audit.Document{SHA256: m.SHA256, Pages: len(doc.Pages), OCR: ocr, MeanConfidence: conf}); err != nil {
			log.Error("audit trail: document read not recorded", "case", m.CaseID, "err", err)
		}
		refs := make([]audit.FindingRef, 0, len(rec.Findings))
		for _, f := range rec.Findings {
			refs = append(refs, audit.FindingRef{Rule: f.Rule, Severity: f.Severity})
		}
		if err := p.Trail.Findings(ctx, m.CaseID, refs); err != nil {
			log.Error("audit trail: findings not recorded", "case", m.CaseID, "err", err)
		}
	}
	log.Info("case decided", "case", m.CaseID, "status", string(rec.Status), "pages", rec.Pages, "findings", len(rec.Findings))
	log.Debug("case findings", "case", m.CaseID, "rules", rec.Rules())
	out := intake.Outcome{Status: rec.Status, Reasons: rec.Rules(), SenderFax: rec.Sender.Fax}
	out.Effects = func(ctx context.Context, tx *sql.Tx) error {
		if err := p.Store.PutRecord(ctx, tx, rec); err != nil {
			return err
		}
		if p.Notifier != nil {
			return p.Notifier.Decided(ctx, tx, rec)
		}
		return nil
	}
	return out, nil
}
