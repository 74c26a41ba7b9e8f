package validate

import (
	"slices"
	"strings"
	"testing"
	"time"

	"rxintake/extract"
)

var asOf = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// complete is a prescription with every element.
func complete() *extract.Prescription {
	sure := extract.Evidence{Confidence: 0.95}
	return &extract.Prescription{
		Patient:    &extract.Patient{Name: "Mary Jones", DOB: "1961-04-02", Evidence: sure},
		Prescriber: &extract.Prescriber{Name: "Anil Patel", Credentials: "MD", NPI: "1234567893", Evidence: sure},
		Date:       "2026-11-18",
		Procedures: []extract.Procedure{{CPT: "97140", Text: "myofascial release", Evidence: sure}},
		Diagnoses: []extract.Diagnosis{
			{Code: "M54.50", Description: "Low back pain, unspecified", Billable: true, Evidence: sure},
			{Code: "M62.830", Description: "Muscle spasm of back", Billable: true, Evidence: sure},
		},
		Areas:              []string{"lumbar", "hip"},
		Session:            &extract.Session{Minutes: 60, Units: 4, Text: "one hour", Evidence: sure},
		Frequency:          &extract.Frequency{Visits: 12, Weeks: 6, Text: "2x/week for 6 weeks", Evidence: sure},
		MedicallyNecessary: true,
		Signature:          extract.Signature{Present: true, Kind: "wet", Evidence: sure},
		Evidence:           extract.EvidenceMap{"date": sure},
	}
}

func typedDoc() *extract.Document {
	return &extract.Document{Kind: extract.KindPDF, Pages: []*extract.Page{{Number: 1, TextLayer: true, Confidence: 1, Text: "Rx"}}}
}

func rules(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	slices.Sort(out)
	return out
}

func TestCheck(t *testing.T) {
	allow97124 := Profile{Name: "acme", Allow97124: true, RxValidDays: 90}
	longValid := Profile{Name: "longterm", RxValidDays: 365}
	strict := Profile{Name: "strict", RxValidDays: 90, Required: []string{RuleNPIMissing, RuleNecessityMissing}}
	pip := Profile{Name: "fl-pip", RxValidDays: 90, NotCovered: []string{"97140", "97124"}}
	tests := []struct {
		name    string
		edit    func(rx *extract.Prescription, d *extract.Document)
		profile Profile
		status  string
		rules   []string
	}{
		{"complete", nil, DefaultProfile, StatusComplete, nil},
		{"no signature", func(rx *extract.Prescription, _ *extract.Document) {
			rx.Signature = extract.Signature{Printed: "typed-name"}
		}, DefaultProfile, StatusNeedsCorrection, []string{RuleSignatureMissing}},
		{"header code", func(rx *extract.Prescription, _ *extract.Document) {
			rx.Diagnoses[0] = extract.Diagnosis{Code: "M54.5", Header: true, Evidence: extract.Evidence{Confidence: 0.9}}
		}, DefaultProfile, StatusNeedsCorrection, []string{RuleDiagnosisInvalid}},
		{"massage only", func(rx *extract.Prescription, _ *extract.Document) {
			rx.Procedures = []extract.Procedure{{CPT: "97124", Text: "massage"}}
		}, DefaultProfile, StatusNeedsCorrection, []string{RuleModalityUnspecific}},
		{"massage allowed by the payer", func(rx *extract.Prescription, _ *extract.Document) {
			rx.Procedures = []extract.Procedure{{CPT: "97124", Text: "massage"}}
		}, allow97124, StatusComplete, nil},
		{"payer covers no massage", nil, pip, StatusNeedsCorrection, []string{RuleNotCovered}},
		{"expired", func(rx *extract.Prescription, _ *extract.Document) { rx.Date = "2026-06-01" },
			DefaultProfile, StatusNeedsCorrection, []string{RuleRxExpired}},
		{"90 days is still valid", func(rx *extract.Prescription, _ *extract.Document) { rx.Date = "2026-08-22" },
			DefaultProfile, StatusComplete, nil},
		{"expired for one payer, valid for another", func(rx *extract.Prescription, _ *extract.Document) { rx.Date = "2026-06-01" },
			longValid, StatusComplete, nil},
		{"bad NPI", func(rx *extract.Prescription, _ *extract.Document) { rx.Prescriber.NPI = "1234567890" },
			DefaultProfile, StatusNeedsCorrection, []string{RuleNPIInvalid}},
		{"no NPI is a warning", func(rx *extract.Prescription, _ *extract.Document) { rx.Prescriber.NPI = "" },
			DefaultProfile, StatusComplete, []string{RuleNPIMissing}},
		{"a payer may require the NPI", func(rx *extract.Prescription, _ *extract.Document) { rx.Prescriber.NPI = "" },
			strict, StatusNeedsCorrection, []string{RuleNPIMissing}},
		{"single diagnosis, no necessity: warnings", func(rx *extract.Prescription, _ *extract.Document) {
			rx.Diagnoses = rx.Diagnoses[:1]
			rx.MedicallyNecessary = false
		}, DefaultProfile, StatusComplete, []string{RuleDiagnosisSingle, RuleNecessityMissing}},
		{"everything missing but the order", func(rx *extract.Prescription, _ *extract.Document) {
			rx.Areas, rx.Session, rx.Frequency, rx.Patient, rx.Date = nil, nil, nil, nil, ""
			delete(rx.Evidence, "date")
		}, DefaultProfile, StatusNeedsCorrection,
			[]string{RuleAreasMissing, RuleDateMissing, RuleFrequencyMissing, RulePatientMissing, RuleSessionMissing}},
		{"ambiguous order goes to a person", func(rx *extract.Prescription, _ *extract.Document) {
			rx.Session = nil
			rx.Ambiguities = []extract.Ambiguity{{Kind: "order-ambiguous", Field: "session", Message: `"97140 x4" may mean units or visits`}}
		}, DefaultProfile, StatusNeedsReview, []string{RuleOrderAmbiguous, RuleSessionMissing}},
		{"misread code goes to a person", func(rx *extract.Prescription, _ *extract.Document) {
			rx.Diagnoses[0] = extract.Diagnosis{Code: "M54.S0", Likely: "M54.50", Evidence: extract.Evidence{Confidence: 0.9}}
			rx.Ambiguities = []extract.Ambiguity{{Kind: "diagnosis-misread", Field: "diagnoses", Message: "code M54.S0 was read, but its description names M54.50"}}
		}, DefaultProfile, StatusNeedsReview, []string{RuleDiagnosisInvalid, RuleDiagnosisMisread}},
		{"low-confidence code goes to a person", func(rx *extract.Prescription, _ *extract.Document) {
			rx.Diagnoses[1].Confidence = 0.3
		}, DefaultProfile, StatusNeedsReview, []string{RuleLowConfidence}},
		{"a grocery list is not a prescription", func(rx *extract.Prescription, _ *extract.Document) {
			*rx = extract.Prescription{}
		}, DefaultProfile, StatusNeedsReview, []string{RuleNotPrescription}},
		{"unreadable page", func(_ *extract.Prescription, d *extract.Document) {
			d.Problems = []extract.Problem{{Reason: "page 2 of fax.pdf cannot be read: the PDF is damaged"}}
		}, DefaultProfile, StatusNeedsReview, []string{RuleUnreadable}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rx, d := complete(), typedDoc()
			if tt.edit != nil {
				tt.edit(rx, d)
			}
			res, err := Check(d, rx, tt.profile, asOf)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tt.status {
				t.Errorf("status %s, want %s (findings %v)", res.Status, tt.status, rules(res.Findings))
			}
			want := slices.Clone(tt.rules)
			slices.Sort(want)
			if got := rules(res.Findings); !slices.Equal(got, want) {
				t.Errorf("findings %v, want %v", got, want)
			}
			for _, f := range res.Findings {
				if f.Message == "" || (f.Severity != Error && f.Severity != Warning) {
					t.Errorf("finding %+v: needs a message and a severity", f)
				}
			}
		})
	}
}

func TestHeaderCodeNamesItsChildren(t *testing.T) {
	rx := complete()
	rx.Diagnoses[0] = extract.Diagnosis{Code: "M54.5", Header: true, Evidence: extract.Evidence{Confidence: 0.9}}
	res, err := Check(typedDoc(), rx, DefaultProfile, asOf)
	if err != nil {
		t.Fatal(err)
	}
	var f *Finding
	for i := range res.Findings {
		if res.Findings[i].Rule == RuleDiagnosisInvalid {
			f = &res.Findings[i]
		}
	}
	if f == nil {
		t.Fatal("no diagnosis-invalid finding")
	}
	for _, c := range []string{"M54.50", "M54.51", "M54.59"} {
		if !strings.Contains(f.Fix, c) {
			t.Errorf("fix %q does not name %s", f.Fix, c)
		}
	}
	if len(f.Children) != 3 {
		t.Errorf("children %v", f.Children)
	}
}

func TestModalityMissingSaysHowToWriteIt(t *testing.T) {
	rx := complete()
	rx.Procedures = nil
	res, _ := Check(typedDoc(), rx, DefaultProfile, asOf)
	for _, f := range res.Findings {
		if f.Rule == RuleModalityMissing {
			for _, w := range []string{"myofascial release", "neuromuscular therapy", "97140"} {
				if !strings.Contains(f.Fix, w) {
					t.Errorf("fix %q lacks %q", f.Fix, w)
				}
			}
			return
		}
	}
	t.Fatal("no modality-missing finding")
}
