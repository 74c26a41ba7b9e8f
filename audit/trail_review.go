package audit

import (
	"context"
	"strings"
)

// Events of the review page: what the office manager does to a case. Like
// every event they carry identifiers and names of things, never what was
// read from a prescription: an edit records which fields changed, not their
// values (the case record holds those).

// Event names of the review page.
const (
	EventCaseEdited          = "case-edited"
	EventCaseDismissed       = "case-dismissed"
	EventCorrectionRequested = "correction-requested"
	EventOfficeAdded         = "office-added"
	EventOfficeChanged       = "office-changed"
	EventTrailExported       = "trail-exported"
	EventUserSignedOut       = "user-signed-out"
)

// Edit is a change a user made to what was read of a case, and the status
// the rules gave the case afterwards.
type Edit struct {
	Fields   []string // the fields changed: "frequency", "session", "areas", ...
	From, To string   // the case's status before and after the re-check
}

// CaseEdited records that a user changed fields of a case and the rules
// were run again.
func (t *Trail) CaseEdited(ctx context.Context, userID, caseID string, e Edit) error {
	var c checker
	c.userID("user id", userID)
	c.caseID("case id", caseID)
	c.caseStatus("from status", e.From)
	c.caseStatus("to status", e.To)
	if len(e.Fields) == 0 {
		c.fail("an edit changes at least one field")
	}
	for _, f := range e.Fields {
		c.ruleID("field", f)
	}
	return t.write(ctx, c, record{
		actor: actorUserPref + userID, caseID: caseID, event: EventCaseEdited, outcome: e.To,
		detail: struct {
			Fields []string `json:"fields"`
			From   string   `json:"from"`
			To     string   `json:"to"`
		}{e.Fields, e.From, e.To},
	})
}

// CaseDismissed records that a user closed a case without a correction
// request; reason is a rule id such as "not-a-prescription", which is also
// the case's new status.
func (t *Trail) CaseDismissed(ctx context.Context, userID, caseID, from, reason string) error {
	var c checker
	c.userID("user id", userID)
	c.caseID("case id", caseID)
	c.caseStatus("from status", from)
	c.ruleID("reason", reason)
	return t.write(ctx, c, record{
		actor: actorUserPref + userID, caseID: caseID, event: EventCaseDismissed, outcome: reason,
		detail: struct {
			From string `json:"from"`
		}{from},
	})
}

// CorrectionRequested records that a user asked for a case's correction
// request to be sent now. The notifier records the sending itself
// (CorrectionQueued, CorrectionSent). outcome is "requested", or "failed"
// when the notifier refused.
func (t *Trail) CorrectionRequested(ctx context.Context, userID, caseID, officeID string, failed bool) error {
	var c checker
	c.userID("user id", userID)
	c.caseID("case id", caseID)
	c.office("office id", officeID)
	outcome := "requested"
	if failed {
		outcome = "failed"
	}
	return t.write(ctx, c, record{
		actor: actorUserPref + userID, caseID: caseID, event: EventCorrectionRequested, outcome: outcome,
		detail: struct {
			Office string `json:"office"`
		}{officeID},
	})
}

// OfficeEntry is a physician's office as a user added it to the directory.
type OfficeEntry struct {
	Name   string
	Emails []string // bare addresses
	Fax    []string // 10-digit numbers
	NPI    []string
	// Warnings are what the page warned of before the user confirmed,
	// by id (such as "domain-differs").
	Warnings []string
}

// OfficeAdded records that a user added an office (the sender of caseID,
// when not "") to the office directory.
func (t *Trail) OfficeAdded(ctx context.Context, userID, caseID string, o OfficeEntry) error {
	var c checker
	emails := c.officeEntry(userID, caseID, o)
	return t.write(ctx, c, record{
		actor: actorUserPref + userID, caseID: caseID, event: EventOfficeAdded, outcome: "added",
		detail: struct {
			Name     string   `json:"name"`
			Emails   []string `json:"emails"`
			Fax      []string `json:"fax"`
			NPI      []string `json:"npi"`
			Warnings []string `json:"warnings,omitempty"`
		}{o.Name, emails, nonNil(o.Fax), nonNil(o.NPI), o.Warnings},
	})
}

// OfficeChanged records that a user added addresses, fax numbers or NPIs
// (those of o) to the office of the directory named o.Name, from the page
// of caseID when not "".
func (t *Trail) OfficeChanged(ctx context.Context, userID, caseID string, o OfficeEntry) error {
	var c checker
	emails := c.officeEntry(userID, caseID, o)
	if len(o.Emails)+len(o.Fax)+len(o.NPI) == 0 {
		c.fail("a change adds an address, a fax number or an NPI")
	}
	return t.write(ctx, c, record{
		actor: actorUserPref + userID, caseID: caseID, event: EventOfficeChanged, outcome: "changed",
		detail: struct {
			Name     string   `json:"name"`
			Emails   []string `json:"added_emails"`
			Fax      []string `json:"added_fax"`
			NPI      []string `json:"added_npi"`
			Warnings []string `json:"warnings,omitempty"`
		}{o.Name, emails, nonNil(o.Fax), nonNil(o.NPI), o.Warnings},
	})
}

// officeEntry checks the arguments of an office event and returns the
// entry's addresses as they are recorded.
func (c *checker) officeEntry(userID, caseID string, o OfficeEntry) []string {
	c.userID("user id", userID)
	if caseID != "" {
		c.caseID("case id", caseID)
	}
	c.office("office name", o.Name)
	emails := make([]string, len(o.Emails))
	for i, a := range o.Emails {
		emails[i] = c.officeAddress("office address", a)
	}
	for _, f := range o.Fax {
		if len(f) != 10 || strings.Trim(f, "0123456789") != "" {
			c.fail("office fax must be 10 digits")
		}
	}
	for _, n := range o.NPI {
		if len(n) != 10 || strings.Trim(n, "0123456789") != "" {
			c.fail("office npi must be 10 digits")
		}
	}
	for _, w := range o.Warnings {
		c.ruleID("warning", w)
	}
	return emails
}

// TrailExported records that a user downloaded the audit trail; format is
// "csv" or "jsonl".
func (t *Trail) TrailExported(ctx context.Context, userID, format string) error {
	var c checker
	c.userID("user id", userID)
	if format != "csv" && format != "jsonl" {
		c.fail("format must be csv or jsonl")
	}
	return t.write(ctx, c, record{
		actor: actorUserPref + userID, event: EventTrailExported, outcome: format,
		detail: struct{}{},
	})
}

// UserSignedOut records that a user signed out of the review site.
func (t *Trail) UserSignedOut(ctx context.Context, userID string) error {
	var c checker
	c.userID("user id", userID)
	return t.write(ctx, c, record{
		actor: actorUserPref + userID, event: EventUserSignedOut, outcome: "ok",
		detail: struct{}{},
	})
}

// caseStatus: a case's status in the ledger, which besides the statuses of
// a document has "open" and those later stages give ("not-a-prescription").
func (c *checker) caseStatus(name, s string) {
	if !isToken(s, 32, "-") || strings.ToLower(s) != s {
		c.fail(name + " must be a case status such as needs-review")
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
