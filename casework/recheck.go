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
// rule for an unknown office applies as in Process, and the findings about
// the sender stay.
func Recheck(rec *casefile.Record, profile validate.Profile) *casefile.Record {
	out := *rec
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
	out.Status, out.Findings = Check(doc, rx, profile, validate.DefaultPolicy, RecordAsOf(rec, time.Now()))
	senderFindings(&out, rec)
	officeRule(&out)
	return &out
}
