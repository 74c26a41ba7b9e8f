package casework

import (
	"slices"
	"strings"
	"testing"

	"rxintake/casefile"
	"rxintake/extract"
	"rxintake/validate"
)

func testRecord() *casefile.Record {
	return &casefile.Record{
		CaseID: "RX-TEST01", File: "RX-TEST01.eml", AsOf: "2026-11-20", Payer: "default",
		Office: "Gulf Coast Family Medicine",
		Prescription: &extract.Prescription{
			Patient:    &extract.Patient{Name: "Mary Jones", DOB: "1961-04-02"},
			Prescriber: &extract.Prescriber{Name: "Anil Patel", NPI: "1234567893"},
			Date:       "2026-11-18",
			Procedures: []extract.Procedure{{CPT: "97140", Text: "myofascial release"}},
			Diagnoses: []extract.Diagnosis{{Code: "M54.50", Billable: true},
				{Code: "M62.830", Billable: true}},
			Areas:              []string{"lumbar"},
			Session:            &extract.Session{Minutes: 60, Units: 4, Text: "one hour"},
			MedicallyNecessary: true,
			Signature:          extract.Signature{Present: true, Kind: "wet"},
		},
		PageTexts: []casefile.PageText{{Page: 1, Text: "Rx: myofascial release", Confidence: 0.9}},
	}
}

func TestRecheck(t *testing.T) {
	rec := testRecord()
	got := Recheck(rec, validate.DefaultProfile)
	if got.Status != validate.StatusNeedsCorrection || !slices.Contains(got.Rules(), validate.RuleFrequencyMissing) {
		t.Fatalf("before the edit: %s %v, want needs-correction with frequency-missing", got.Status, got.Rules())
	}
	rec.Prescription.Frequency = &extract.Frequency{Visits: 12, Weeks: 6, Text: "2x/week for 6 weeks"}
	got = Recheck(rec, validate.DefaultProfile)
	if got.Status != validate.StatusComplete || len(got.Findings) != 0 {
		t.Errorf("after the edit: %s %v, want complete without findings", got.Status, got.Rules())
	}
	if rec.Status != "" {
		t.Errorf("Recheck changed its argument's status to %q", rec.Status)
	}

	rec.Office = ""
	rec.Prescription.Frequency = nil
	got = Recheck(rec, validate.DefaultProfile)
	if got.Status != validate.StatusNeedsReview || !slices.Contains(got.Rules(), RuleOfficeUnknown) {
		t.Errorf("unknown office: %s %v, want needs-review with %s", got.Status, got.Rules(), RuleOfficeUnknown)
	}
}

// What is known of the sender stays when a person corrects what was read:
// a document not verifiably from the office it names stays in review.
func TestRecheckKeepsSenderFindings(t *testing.T) {
	rec := &casefile.Record{File: "x.eml", Status: casefile.StatusNeedsReview, AsOf: "2026-11-20",
		Sender: &casefile.Sender{Email: "amber@gulfcoastfm.example"}, Office: "Gulf Coast Family Medicine",
		Prescription: &extract.Prescription{Patient: &extract.Patient{Name: "Mary Jones"}},
		Findings: []validate.Finding{
			{Rule: RuleSenderUnverified, Severity: validate.Warning, Message: "not verified"},
			{Rule: RuleReplyUnverified, Severity: validate.Warning, Message: "names a case"},
		}}
	out := Recheck(rec, validate.DefaultProfile)
	rules := out.Rules()
	if out.Status != casefile.StatusNeedsReview || !slices.Contains(rules, RuleSenderUnverified) || !slices.Contains(rules, RuleReplyUnverified) {
		t.Errorf("rechecked: %s %v, want needs-review with the sender's findings", out.Status, rules)
	}
}

func TestSenderRule(t *testing.T) {
	for _, tt := range []struct {
		sender   casefile.Sender
		wantFax  string
		wantFrom string
		finding  string
	}{
		{casefile.Sender{Fax: "9415550143", Email: "noreply@faxmail.example", Verified: true, FaxService: true}, "9415550143", "noreply@faxmail.example", ""},
		{casefile.Sender{Fax: "9415550143", Email: "noreply@faxmail.example"}, "", "", "fax number and address"},
		{casefile.Sender{Fax: "9415550143", Email: "rx@gulfcoastfm.example", Verified: true}, "", "rx@gulfcoastfm.example", "fax number could not"},
		{casefile.Sender{Email: "rx@gulfcoastfm.example"}, "", "", "address could not"},
	} {
		s := tt.sender
		fax, from := TrustedTransport(&s)
		r := &casefile.Record{Sender: &s}
		senderRule(r, "why")
		got := ""
		if len(r.Findings) == 1 && r.Findings[0].Rule == RuleSenderUnverified {
			got = r.Findings[0].Message
		}
		if fax != tt.wantFax || from != tt.wantFrom || (tt.finding == "") != (got == "") || !strings.Contains(got, tt.finding) {
			t.Errorf("%+v: trusted %q %q, finding %q; want %q %q, finding with %q", s, fax, from, got, tt.wantFax, tt.wantFrom, tt.finding)
		}
	}
}
