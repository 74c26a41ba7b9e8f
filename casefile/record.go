package casefile

import (
	"rxintake/extract"
	"rxintake/validate"
)

// Record is what rxintake read and decided about one document: the line of
// `extract --json` (docs/interfaces.md), plus what the review page shows.
type Record struct {
	CaseID       string                `json:"case_id,omitempty"`
	File         string                `json:"file"`
	Status       Status                `json:"status"`
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

// Sender is who sent the document, as the transport shows it, and what of
// it was verified (docs/architecture.md, "Who the sender is"): Email only
// when Verified, Fax only when FaxService may find the office.
type Sender struct {
	Fax   string `json:"fax,omitempty"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	// Verified: our receiving server recorded a DMARC or DKIM pass for
	// Email's domain.
	Verified bool `json:"verified,omitempty"`
	// FaxService: the message came, verified, from the fax service, so Fax
	// is the service's word rather than the sender's.
	FaxService bool `json:"fax_service,omitempty"`
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

// Rules returns the rule ids of the record's findings.
func (r *Record) Rules() []string {
	out := make([]string, 0, len(r.Findings))
	for _, f := range r.Findings {
		out = append(out, f.Rule)
	}
	return out
}
