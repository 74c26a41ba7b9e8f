package casework

import (
	"slices"
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
