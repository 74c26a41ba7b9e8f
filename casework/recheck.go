package casework

import (
	"time"

	"rxintake/casefile"
	"rxintake/extract"
	"rxintake/validate"
)

// Recheck applies the rules again to rec's prescription, as a person on the
// review page corrected it, and returns a copy of rec with the new findings
// and status. The document is rebuilt from what the record kept of it: each
// page's text and confidence, and the problems that made it unreadable. The
// rule for an unknown office applies as in Process.
func Recheck(rec *casefile.Record, profile validate.Profile) *casefile.Record {
	out := *rec
	asOf, err := time.Parse("2006-01-02", rec.AsOf)
	if err != nil {
		asOf = time.Now().UTC().Truncate(24 * time.Hour)
	}
	doc := &extract.Document{File: rec.File}
	for _, p := range rec.PageTexts {
		doc.Pages = append(doc.Pages, &extract.Page{Number: p.Page, Source: p.Source, Text: p.Text,
			Confidence: p.Confidence, TextLayer: p.TextLayer, CoverSheet: p.CoverSheet, Unreadable: p.Unreadable, Header: p.FaxHeader})
	}
	for _, f := range rec.Findings {
		if f.Rule == validate.RuleUnreadable {
			doc.Problems = append(doc.Problems, extract.Problem{Reason: f.Message})
		}
	}
	if len(doc.Pages) == 0 && len(doc.Problems) == 0 {
		// An email or text file read without trouble: its body is not
		// kept in the record, but it was there.
		doc.Body = "(body of " + rec.File + ")"
	}
	rx := rec.Prescription
	if rx == nil {
		rx = &extract.Prescription{}
	}
	res, err := validate.Check(doc, rx, profile, asOf)
	if err != nil {
		res = validate.Result{Status: validate.StatusNeedsReview, Findings: []validate.Finding{
			{Rule: validate.RuleUnreadable, Severity: validate.Error, Message: err.Error()}}}
	}
	out.Status, out.Findings = casefile.Status(res.Status), res.Findings
	if out.Findings == nil {
		out.Findings = []validate.Finding{}
	}
	if out.Status == casefile.StatusNeedsCorrection && out.Office == "" {
		out.Status = casefile.StatusNeedsReview
		out.Findings = append(out.Findings, validate.Finding{Rule: RuleOfficeUnknown, Severity: validate.Warning,
			Message: "The sending office is not in the office directory: a person must confirm where the correction request goes."})
	}
	return &out
}
