package extract

import (
	"slices"
	"strings"
	"testing"
)

// unattributed returns the fields the residue check reports.
func unattributed(rx *Prescription) []string {
	var out []string
	for _, a := range rx.Ambiguities {
		if a.Kind == "unattributed" || a.Kind == "unreadable-value" {
			out = append(out, a.Field)
		}
	}
	return out
}

// completeLines is a typed prescription with every element.
var completeLines = []string{
	"Lakeside Family Medicine  Phone: (555) 201-3344",
	"Patient: Mary K. Jones  DOB: 04/02/1961",
	"Date: 11/02/2026",
	"Rx: Myofascial release (97140) to the low back",
	"Diagnosis: M54.50 Low back pain, unspecified",
	"Session: 60 minutes",
	"Frequency: 2x/week for 6 weeks",
	"Medically necessary",
	"Electronically signed by Anil Patel MD on 11/02/2026",
	"Anil Patel MD  NPI: 1234567893",
}

// Each kind of material the readers leave unread keeps its element from
// being called missing: the line is there, the field reader for it is
// not.
func TestResidueKinds(t *testing.T) {
	for _, tc := range []struct {
		name, field, line string // field: the reader left out; line: what stands there instead of its usual wording
	}{
		{"date token", "date", "Ordered the second: 11/02/2026"},
		{"duration", "session", "Allow 45 min per appointment"},
		{"units", "session", "Bill 4 units each time"},
		{"rate", "frequency", "Seen 3 times weekly until reassessed at 8 visits"},
		{"visits", "frequency", "8 visits total"},
		{"ten-digit number", "prescriber", "Provider 1234567893"},
		{"icd-shaped code", "diagnoses", "Reason: M54.50"},
		{"cpt code", "procedures", "Order 97140"},
		{"signature statement", "signature", "Signed electronically: Anil Patel MD"},
		{"date of birth", "patient", "born 04/02/1961"},
		{"credential", "prescriber", "Anil Patel, MD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := append([]string{tc.line}, completeLines...)
			rx := ReadPrescriptionWithout(ocrDoc(lines...), readAsOf, tc.field)
			want := tc.field
			if tc.name == "ten-digit number" {
				want = "npi"
				rx = ReadPrescriptionWithout(ocrDoc(lines...), readAsOf, "prescriber")
			}
			if got := unattributed(rx); !slices.Contains(got, want) {
				t.Errorf("reader %q left out: residue names %v, want %q (ambiguities %+v)", tc.field, got, want, rx.Ambiguities)
			}
		})
	}
}

// Ink too faint for a signature and too much for a clean line, and
// handwriting over the page, keep elements from being proven missing.
func TestResidueInkAndHandwriting(t *testing.T) {
	rx := &rxReader{rx: &Prescription{}, weakInk: &Evidence{Text: "marks near \"Signature:\"", Page: 1}}
	d := ocrDoc("Signature: ________")
	rx.doc, rx.lines = d, docLines(d)
	rx.residue(d)
	if !slices.Contains(unattributed(rx.rx), "signature") {
		t.Errorf("weak ink: residue %+v, want signature", rx.rx.Ambiguities)
	}
	// Values written by hand: OCR reads them as doubtful words.
	hand := []string{"Patient: Mary K. Jones", "Rx: Myofascial release to the low back",
		"Plan: tvvice@31 wcekly@28 fer@30 sx@22 wks@35", "Length: sixfy@25 rnins@29 eaeh@33"}
	got := unattributed(ReadPrescription(ocrDoc(hand...), readAsOf))
	for _, f := range []string{"frequency", "session"} {
		if !slices.Contains(got, f) {
			t.Errorf("handwriting: residue %v, want %s", got, f)
		}
	}
}

// What the readers account for is not residue: a complete prescription
// leaves nothing, and an element proven absent (no material of its kind
// anywhere) is reported missing without doubt.
func TestResidueProvenAbsent(t *testing.T) {
	rx := ReadPrescription(ocrDoc(completeLines...), readAsOf)
	if got := unattributed(rx); len(got) > 0 {
		t.Errorf("complete Rx: residue %v (%+v)", got, rx.Ambiguities)
	}
	for _, drop := range []string{"Session:", "Frequency:", "Date:", "Diagnosis:"} {
		var lines []string
		for _, l := range completeLines {
			if !strings.HasPrefix(l, drop) {
				lines = append(lines, l)
			}
		}
		rx := ReadPrescription(ocrDoc(lines...), readAsOf)
		if got := unattributed(rx); len(got) > 0 {
			t.Errorf("without %q: residue %v, want none (%+v)", drop, got, rx.Ambiguities)
		}
	}
	// Dates of birth, injury and printing, and telephone numbers, are
	// accounted for.
	lines := slices.DeleteFunc(slices.Clone(completeLines), func(l string) bool { return strings.HasPrefix(l, "Date:") || strings.HasPrefix(l, "Electronically") })
	lines = append(lines, "Date of injury: 10/01/2026", "Printed 11/03/2026 10:00", "Signature: ________", "Call 555-201-3344 with questions")
	rx = ReadPrescription(ocrDoc(lines...), readAsOf)
	if rx.Date != "" {
		t.Fatalf("date %q read from a date that is not the order's", rx.Date)
	}
	if got := unattributed(rx); len(got) > 0 {
		t.Errorf("other dates: residue %v, want none (%+v)", got, rx.Ambiguities)
	}
}
