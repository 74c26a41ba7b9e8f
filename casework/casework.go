// Package casework turns a message into a decided case: it reads the
// documents (extract), applies the rules (validate), finds the sending office,
// stores what was read for the review page, and hands the decision to the
// notifier inside the transaction that commits it.
package casework

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
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

// Build reads the prescription in doc and applies the rules. For an email
// the Date header is the receipt date the validity window is measured at.
func Build(doc *extract.Document, profile validate.Profile, asOf time.Time) *casefile.Record {
	if doc.Email != nil && !doc.Email.Date.IsZero() {
		asOf = doc.Email.Date.UTC().Truncate(24 * time.Hour)
	}
	rx := extract.ReadPrescription(doc, asOf)
	res, err := validate.Check(doc, rx, profile, asOf)
	if err != nil {
		res = validate.Result{Status: validate.StatusNeedsReview, Findings: []validate.Finding{
			{Rule: validate.RuleUnreadable, Severity: validate.Error, Message: err.Error()}}}
	}
	r := &casefile.Record{File: doc.File, Status: casefile.Status(res.Status), Pages: len(doc.Pages), Prescription: rx,
		Findings: res.Findings, AsOf: asOf.Format("2006-01-02"), Payer: profile.Name,
		CodeSet: fmt.Sprintf("FY%d", icd10cm.For(asOf).FiscalYear())}
	if r.Findings == nil {
		r.Findings = []validate.Finding{}
	}
	s := &casefile.Sender{Fax: doc.FaxNumber}
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

// Notifier is what casework needs of the correction-request stage.
type Notifier interface {
	// Office names the directory office a case belongs to, found by the
	// prescriber's NPI, the sending fax number, or the sender address of
	// an email whose domain is in the directory; ok is false when none.
	Office(npi, fax, from string) (name string, ok bool)
	// Correcting returns the open case a document answers (a corrected
	// Rx), or ok false when it is a new referral.
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
	Log      *slog.Logger
	Now      func() time.Time
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
	asOf := now().UTC().Truncate(24 * time.Hour)
	if !m.Date.IsZero() {
		asOf = m.Date.UTC().Truncate(24 * time.Hour)
	}
	rec := Build(doc, p.Profile, asOf)
	rec.CaseID, rec.File, rec.Original = m.CaseID, m.CaseID+".eml", m.OriginalPath
	if rec.Sender == nil {
		rec.Sender = &casefile.Sender{}
	}
	if rec.Sender.Fax == "" {
		rec.Sender.Fax = m.SenderFax
	}
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
		if name, ok := p.Notifier.Office(npi, rec.Sender.Fax, rec.Sender.Email); ok {
			rec.Office = name
		}
		if id, ok, err := p.Notifier.Correcting(ctx, rec); err != nil {
			return intake.Outcome{}, intake.TemporaryError(err)
		} else if ok {
			rec.Corrects = id
		}
	}
	if rec.Status == casefile.StatusNeedsCorrection && rec.Office == "" {
		rec.Status = casefile.StatusNeedsReview
		rec.Findings = append(rec.Findings, validate.Finding{Rule: RuleOfficeUnknown, Severity: validate.Warning,
			Message: "The sending office is not in the office directory: a person must confirm where the correction request goes."})
	}
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
	out := intake.Outcome{Status: rec.Status, Reasons: rec.Rules(), SenderFax: doc.FaxNumber}
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
