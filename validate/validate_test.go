package validate

import (
	"testing"
	"time"

	"rxintake/extract"
)

// completeRx is a complete order whose values were all read with
// confidence conf, but for the date, read with dateConf.
func completeRx(conf, dateConf float64) *extract.Prescription {
	ev := extract.Evidence{Confidence: conf}
	return &extract.Prescription{
		Patient:    &extract.Patient{Name: "Mary Jones", DOB: "1961-04-02", Evidence: ev},
		Prescriber: &extract.Prescriber{Name: "Anil Patel", Credentials: "MD", NPI: "1234567893", Evidence: ev},
		Date:       "2026-11-10",
		Procedures: []extract.Procedure{{CPT: "97140", Text: "myofascial release"}},
		Diagnoses: []extract.Diagnosis{{Code: "M54.50", Billable: true, Evidence: ev},
			{Code: "M62.830", Billable: true, Evidence: ev}},
		Areas:              []string{"lumbar"},
		Session:            &extract.Session{Minutes: 60, Units: 4, Evidence: ev},
		Frequency:          &extract.Frequency{Visits: 12, Weeks: 6, Evidence: ev},
		MedicallyNecessary: true,
		Signature:          extract.Signature{Present: true, Kind: "wet"},
		Evidence:           extract.EvidenceMap{"date": {Confidence: dateConf}},
	}
}

func TestReviewOnConfidence(t *testing.T) {
	asOf := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	doc := &extract.Document{Pages: []*extract.Page{{Number: 1, Confidence: 0.9}}}
	for _, tc := range []struct {
		name           string
		conf, dateConf float64
		want           string
	}{
		{"read with confidence", 0.92, 0.9, StatusComplete},
		{"one value a little doubtful", 0.92, 0.5, StatusComplete},
		{"one value all but guessed", 0.92, 0.2, StatusNeedsReview},
		{"every value doubtful, as handwriting reads", 0.7, 0.7, StatusNeedsReview},
		{"a text layer", 1, 1, StatusComplete},
	} {
		res, err := Check(doc, completeRx(tc.conf, tc.dateConf), DefaultProfile, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != tc.want {
			t.Errorf("%s: status %s (%+v), want %s", tc.name, res.Status, res.Findings, tc.want)
		}
	}
}

func TestReviewUnreadValue(t *testing.T) {
	asOf := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	doc := &extract.Document{Pages: []*extract.Page{{Number: 1, Confidence: 0.9}}}
	rx := completeRx(0.92, 0.9)
	rx.Session = nil
	res, err := Check(doc, rx, DefaultProfile, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != StatusNeedsCorrection {
		t.Fatalf("a missing treatment length: status %s, want %s", res.Status, StatusNeedsCorrection)
	}
	// The same, but the label was there with something OCR could not read.
	rx.Ambiguities = []extract.Ambiguity{{Kind: "unreadable-value", Field: "session",
		Message:  `the treatment length after "Length of session:" could not be read`,
		Evidence: extract.Evidence{Text: "Length of session: halfhourpersession"}}}
	res, err = Check(doc, rx, DefaultProfile, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != StatusNeedsReview {
		t.Fatalf("an unreadable treatment length: status %s, want %s", res.Status, StatusNeedsReview)
	}
	found := false
	for _, f := range res.Findings {
		if f.Rule == RuleLowConfidence && f.Message == `The treatment length after "Length of session:" could not be read (read: "Length of session: halfhourpersession")` {
			found = true
		}
	}
	if !found {
		t.Errorf("findings %+v: no low-confidence finding naming the unread value", res.Findings)
	}
}

func TestReviewImplausibleDate(t *testing.T) {
	asOf := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	doc := &extract.Document{Pages: []*extract.Page{{Number: 1, Confidence: 0.9}}}
	rx := completeRx(0.92, 0.9)
	rx.Date = "2025-06-01" // old: expired, for the office to renew
	res, _ := Check(doc, rx, DefaultProfile, asOf)
	if res.Status != StatusNeedsCorrection {
		t.Errorf("a prescription 17 months old: status %s, want %s", res.Status, StatusNeedsCorrection)
	}
	rx.Date = "1976-10-27" // "10/27/26" read "10/27/76"
	res, _ = Check(doc, rx, DefaultProfile, asOf)
	if res.Status != StatusNeedsReview {
		t.Errorf("a prescription dated 1976: status %s, want %s", res.Status, StatusNeedsReview)
	}
}

// An expired date read with doubt is a person's to check: one misread digit
// of the year turns a current order into an old one.
func TestReviewDoubtfulExpiry(t *testing.T) {
	asOf := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	doc := &extract.Document{Pages: []*extract.Page{{Number: 1, Confidence: 0.9}}}
	for _, tc := range []struct {
		conf float64
		want string
	}{{0.95, StatusNeedsCorrection}, {0.67, StatusNeedsReview}} {
		rx := completeRx(0.92, tc.conf)
		rx.Date = "2024-11-19" // "2026" with its 6 read as a 4
		res, _ := Check(doc, rx, DefaultProfile, asOf)
		if res.Status != tc.want {
			t.Errorf("expired date read at %.2f: status %s (%+v), want %s", tc.conf, res.Status, res.Findings, tc.want)
		}
	}
}

// So is a code that is invalid only as read: one letter misread ("I89.0"
// read "L89.0") makes a category of a billable code. Read well, the code
// is the office's to correct.
func TestReviewDoubtfulInvalidCode(t *testing.T) {
	asOf := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	doc := &extract.Document{Pages: []*extract.Page{{Number: 1, Confidence: 0.9}}}
	for _, tc := range []struct {
		code string
		conf float64
		want string
	}{{"L89.0", 0.97, StatusNeedsCorrection}, {"L89.0", 0.8, StatusNeedsReview}, {"M62.UN", 0.97, StatusNeedsCorrection}, {"M62.UN", 0.7, StatusNeedsReview}} {
		rx := completeRx(0.92, 0.95)
		rx.Diagnoses = append(rx.Diagnoses, extract.Diagnosis{Code: tc.code, Evidence: extract.Evidence{Text: tc.code, Confidence: tc.conf}})
		res, _ := Check(doc, rx, DefaultProfile, asOf)
		if res.Status != tc.want {
			t.Errorf("%s read at %.2f: status %s (%+v), want %s", tc.code, tc.conf, res.Status, res.Findings, tc.want)
		}
	}
}
