// Package casework turns a message into a decided case: it reads the
// documents (extract), applies the rules (validate), finds the sending office,
// stores what was read for the review page, and hands the decision to the
// notifier inside the transaction that commits it.
package casework

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"rxintake/audit"
	"rxintake/extract"
	"rxintake/icd10cm"
	"rxintake/intake"
	"rxintake/internal/safeio"
	"rxintake/internal/sqldb"
	"rxintake/validate"
)

// RuleOfficeUnknown sends a case to review when the prescription needs
// correcting but the sending office is not in the directory: a correction
// request never goes to an address rxintake does not know.
const RuleOfficeUnknown = "office-unknown"

// Record is what rxintake read and decided about one document: the line of
// `extract --json` (CONTRACTS.md), plus what the review page shows.
type Record struct {
	CaseID       string                `json:"case_id,omitempty"`
	File         string                `json:"file"`
	Status       string                `json:"status"`
	Pages        int                   `json:"pages"`
	Prescription *extract.Prescription `json:"prescription"`
	Findings     []validate.Finding    `json:"findings"`
	AsOf         string                `json:"as_of"`
	Payer        string                `json:"payer"`
	CodeSet      string                `json:"code_set"`
	Sender       *Sender               `json:"sender,omitempty"`
	Office       string                `json:"office,omitempty"`   // directory office the case belongs to
	Corrects     string                `json:"corrects,omitempty"` // the open case this corrected Rx answers
	Email        *EmailRef             `json:"email,omitempty"`
	Original     string                `json:"original,omitempty"` // the stored original (intake.Message.OriginalPath), attached to a correction request
	PageTexts    []PageText            `json:"page_texts,omitempty"`
	PageImages   []string              `json:"page_images,omitempty"` // sha256 of stored page images
}

// Sender is who sent the document, as the transport shows it.
type Sender struct {
	Fax   string `json:"fax,omitempty"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// EmailRef is what threading a reply needs.
type EmailRef struct {
	MessageID  string   `json:"message_id,omitempty"`
	InReplyTo  []string `json:"in_reply_to,omitempty"`
	References []string `json:"references,omitempty"`
	Subject    string   `json:"subject,omitempty"`
}

// PageText is one page as read.
type PageText struct {
	Page       int                `json:"page"`
	Source     string             `json:"source,omitempty"`
	Text       string             `json:"text"`
	Confidence float64            `json:"confidence"`
	TextLayer  bool               `json:"text_layer,omitempty"`
	Resampled  bool               `json:"resampled,omitempty"`
	Rotation   int                `json:"rotation,omitempty"`
	CoverSheet bool               `json:"cover_sheet,omitempty"`
	Unreadable string             `json:"unreadable,omitempty"`
	FaxHeader  *extract.FaxHeader `json:"fax_header,omitempty"`
}

// Build reads the prescription in doc and applies the rules. For an email
// the Date header is the receipt date the validity window is measured at.
func Build(doc *extract.Document, profile validate.Profile, asOf time.Time) *Record {
	if doc.Email != nil && !doc.Email.Date.IsZero() {
		asOf = doc.Email.Date.UTC().Truncate(24 * time.Hour)
	}
	rx := extract.ReadPrescription(doc, asOf)
	res, err := validate.Check(doc, rx, profile, asOf)
	if err != nil {
		res = validate.Result{Status: validate.StatusNeedsReview, Findings: []validate.Finding{
			{Rule: validate.RuleUnreadable, Severity: validate.Error, Message: err.Error()}}}
	}
	r := &Record{File: doc.File, Status: res.Status, Pages: len(doc.Pages), Prescription: rx,
		Findings: res.Findings, AsOf: asOf.Format("2006-01-02"), Payer: profile.Name,
		CodeSet: fmt.Sprintf("FY%d", icd10cm.For(asOf).FiscalYear())}
	if r.Findings == nil {
		r.Findings = []validate.Finding{}
	}
	s := &Sender{Fax: doc.FaxNumber}
	for _, p := range doc.Pages {
		if p.Header != nil && p.Header.SenderName != "" {
			s.Name = p.Header.SenderName
			break
		}
	}
	if doc.Email != nil {
		s.Email = doc.Email.From
		r.Email = &EmailRef{MessageID: doc.Email.MessageID, InReplyTo: doc.Email.InReplyTo,
			References: doc.Email.References, Subject: doc.Email.Subject}
	}
	if *s != (Sender{}) {
		r.Sender = s
	}
	for _, p := range doc.Pages {
		r.PageTexts = append(r.PageTexts, PageText{Page: p.Number, Source: p.Source, Text: p.Text,
			Confidence: p.Confidence, TextLayer: p.TextLayer, Resampled: p.Resampled, Rotation: p.Rotation,
			CoverSheet: p.CoverSheet, Unreadable: p.Unreadable, FaxHeader: p.Header})
	}
	return r
}

// Rules returns the rule ids of the record's findings.
func (r *Record) Rules() []string {
	out := make([]string, 0, len(r.Findings))
	for _, f := range r.Findings {
		out = append(out, f.Rule)
	}
	return out
}

// Notifier is what casework needs of the correction-request stage.
type Notifier interface {
	// Office names the directory office a case belongs to, found by the
	// prescriber's NPI, the sending fax number, or the sender address of
	// an email whose domain is in the directory; ok is false when none.
	Office(npi, fax, from string) (name string, ok bool)
	// Correcting returns the open case a document answers (a corrected
	// Rx), or ok false when it is a new referral.
	Correcting(ctx context.Context, r *Record) (caseID string, ok bool, err error)
	// Decided runs inside the transaction that commits the case's outcome:
	// it queues a correction request, or closes the case a corrected Rx
	// answers.
	Decided(ctx context.Context, tx *sql.Tx, r *Record) error
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
	Store    *Store
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
	doc := p.Reader.Read(ctx, m.CaseID+".eml", m.Raw)
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
		rec.Sender = &Sender{}
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
	if rec.Status == validate.StatusNeedsCorrection && rec.Office == "" {
		rec.Status = validate.StatusNeedsReview
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
	log.Info("case decided", "case", m.CaseID, "status", rec.Status, "pages", rec.Pages, "findings", len(rec.Findings))
	log.Debug("case findings", "case", m.CaseID, "rules", rec.Rules())
	out := intake.Outcome{Status: intake.Status(rec.Status), Reasons: rec.Rules(), SenderFax: doc.FaxNumber}
	out.Effects = func(ctx context.Context, tx *sql.Tx) error {
		if err := p.Store.Put(ctx, tx, rec); err != nil {
			return err
		}
		if p.Notifier != nil {
			return p.Notifier.Decided(ctx, tx, rec)
		}
		return nil
	}
	return out, nil
}

// Store keeps case records and page images.
type Store struct {
	db  *sql.DB
	dir string // data_dir/pages
}

// ErrNoRecord reports a case with no stored record.
var ErrNoRecord = errors.New("casework: no record for case")

// NewStore creates the case_records table when missing.
func NewStore(ctx context.Context, db *sql.DB, dataDir string) (*Store, error) {
	_, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS case_records (
		case_id TEXT NOT NULL PRIMARY KEY,
		status  TEXT NOT NULL,
		record  TEXT NOT NULL,
		updated TEXT NOT NULL
	)`)
	if err != nil {
		return nil, fmt.Errorf("casework: store: %w", err)
	}
	return &Store{db: db, dir: filepath.Join(dataDir, "pages")}, nil
}

// Put writes (or replaces) a case's record inside tx.
func (s *Store) Put(ctx context.Context, tx *sql.Tx, r *Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("casework: store: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO case_records (case_id, status, record, updated) VALUES (?, ?, ?, ?)
		ON CONFLICT (case_id) DO UPDATE SET status = excluded.status, record = excluded.record, updated = excluded.updated`,
		r.CaseID, r.Status, string(b), sqldb.FormatTime(time.Now()))
	if err != nil {
		return fmt.Errorf("casework: store %s: %w", r.CaseID, err)
	}
	return nil
}

// Get reads a case's record.
func (s *Store) Get(ctx context.Context, caseID string) (*Record, error) {
	var raw string
	err := s.db.QueryRowContext(ctx, `SELECT record FROM case_records WHERE case_id = ?`, caseID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w %s", ErrNoRecord, caseID)
	}
	if err != nil {
		return nil, fmt.Errorf("casework: store: %w", err)
	}
	var r Record
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return nil, fmt.Errorf("casework: store %s: %w", caseID, err)
	}
	return &r, nil
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
		return "", fmt.Errorf("casework: page image: %w", err)
	}
	if err := safeio.WriteFile(path, png, 0o600); err != nil {
		return "", fmt.Errorf("casework: page image: %w", err)
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
