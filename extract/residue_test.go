package extract

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
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
		{"statement of signing in other words", "signature", "Attested in the chart by Anil Patel MD"},
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
	// A name typed after a signature's label ("Signature:", "Signed:") is
	// printed where ink goes, not a statement that it was signed.
	lines = append(lines, "Physician signature: Anil Patel MD", "Signed: Anil Patel MD")
	rx = ReadPrescription(ocrDoc(lines...), readAsOf)
	if rx.Signature.Present {
		t.Fatalf("signature read from a typed name after its label: %+v", rx.Signature)
	}
	if rx.Date != "" {
		t.Fatalf("date %q read from a date that is not the order's", rx.Date)
	}
	if got := unattributed(rx); len(got) > 0 {
		t.Errorf("other dates: residue %v, want none (%+v)", got, rx.Ambiguities)
	}
}

// A date whose month OCR garbled leaves its year behind, and a birth date
// under a garbled label leaves its digits: neither element is proven
// absent.
func TestResidueMisreadDateAndBirth(t *testing.T) {
	without := func(prefixes ...string) []string {
		return slices.DeleteFunc(slices.Clone(completeLines), func(l string) bool {
			return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(l, p) })
		})
	}
	for _, tc := range []struct {
		name, field string
		lines       []string
	}{
		{"year of a misread date", "date", append(without("Date:", "Electronically"), "Signe: Anil Patel FL 03, 2026")},
		{"birth date under a misread label", "patient", append(without("Patient:"), "Pimame: Jones, Mary 0 Birth dates 04-0219 bn")},
		{"a plan's span under its own label, unread", "frequency", append(without("Frequency:"), "Freq: 2X PER WK", "Duration; & WKS")},
		{"a length with a digit read as a letter", "session", append(without("Session:"), "Time 4S’ each")},
		{"words of necessity misspelt", "necessity", append(without("Medically"), "Medically necesary")},
		{"a length in words no reader knows", "session", append(without("Session:"), "Visit length: one clock hour")},
		{"a span in words no reader knows", "frequency", append(without("Frequency:"), "Schedule: 3 visits every week, ending at week 4")},
		{"a date cut off after its weekday", "date", append(without("Date:", "Electronically"), "Date of signature: Sun.")},
		{"a birth date under a label no reader knows", "patient", append(without("Patient:"), "Referred: Ann Lee __D.o0.B.: 22 November 1981")},
	} {
		rx := ReadPrescription(ocrDoc(tc.lines...), readAsOf)
		if got := unattributed(rx); !slices.Contains(got, tc.field) {
			t.Errorf("%s: residue %v, want %s (%+v)", tc.name, got, tc.field, rx.Ambiguities)
		}
	}
	// A year in a telephone number or beside a date of injury is not the
	// order's.
	// Nor is a date of decades ago under a label misread past knowing: a
	// birth date, never an order's.
	lines := append(without("Date:", "Electronically"), "Phone: (555) 201-2026", "Date of injury: spring 2026", "Client DQK: 18 January 1972")
	rx := ReadPrescription(ocrDoc(lines...), readAsOf)
	if got := unattributed(rx); len(got) > 0 {
		t.Errorf("years of other things: residue %v, want none (%+v)", got, rx.Ambiguities)
	}
}

// A line of print that OCR turned into no words (printed over a dotted
// rule, faint) keeps the elements missing from being proven absent; a
// signature where the prescriber signs does not.
func TestResidueUnreadPrint(t *testing.T) {
	page := func(unread bool) *Document {
		lines := without(completeLines, "Session:")
		d := ocrDoc(lines...)
		p := d.Pages[0]
		g := image.NewGray(image.Rect(0, 0, p.Width, p.Height))
		for i := range g.Pix {
			g.Pix[i] = 255
		}
		letters := func(x0, y0, n int) { // n letter-shaped marks
			for k := 0; k < n; k++ {
				for y := y0; y < y0+30; y++ {
					for x := x0 + k*25; x < x0+k*25+14; x++ {
						g.SetGray(x, y, color.Gray{})
					}
				}
			}
		}
		for _, w := range p.Words { // the print OCR read
			letters(w.Box.Min.X, w.Box.Min.Y+5, len(w.Text))
		}
		bottom := p.Lines[len(p.Lines)-1].Box.Max.Y
		if unread {
			letters(100, bottom+80, 18) // "Units: 45 minutes", read as nothing
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, g); err != nil {
			t.Fatal(err)
		}
		p.Image = buf.Bytes()
		return d
	}
	rx := ReadPrescription(page(true), readAsOf)
	if got := unattributed(rx); !slices.Contains(got, "session") {
		t.Errorf("unread line: residue %v, want session (%+v)", got, rx.Ambiguities)
	}
	rx = ReadPrescription(page(false), readAsOf)
	if got := unattributed(rx); len(got) > 0 {
		t.Errorf("every line read: residue %v, want none (%+v)", got, rx.Ambiguities)
	}
}

func without(lines []string, prefix string) []string {
	return slices.DeleteFunc(slices.Clone(lines), func(l string) bool { return strings.HasPrefix(l, prefix) })
}

// A rate read and found without its end is accounted for: its own unit is
// no span left unread, and the absence of the plan's end is proven.
func TestResidueRateWithoutEnd(t *testing.T) {
	lines := slices.DeleteFunc(slices.Clone(completeLines), func(l string) bool { return strings.HasPrefix(l, "Frequency:") })
	rx := ReadPrescription(ocrDoc(append(lines, "Plan of care: 1-2 VISITS/WK AS TOLERATED")...), readAsOf)
	if rx.Frequency != nil {
		t.Fatalf("a rate without an end read as a plan: %+v", rx.Frequency)
	}
	if got := unattributed(rx); slices.Contains(got, "frequency") {
		t.Errorf("residue %v: the rate's own unit was taken for a span left unread (%+v)", got, rx.Ambiguities)
	}
}

// Print beside a signature stands on one baseline at the print's height;
// a signature's strokes rise and fall.
func TestPrintLike(t *testing.T) {
	const h = 20
	var print, ink []image.Rectangle
	for i := 0; i < 8; i++ {
		top := 100
		if i%3 == 0 {
			top = 106 // x-height letters
		}
		print = append(print, image.Rect(10+i*14, top, 20+i*14, 120))
	}
	for i, d := range []int{0, 18, 4, 26, 9, 30, 2} {
		ink = append(ink, image.Rect(10+i*14, 90+d, 22+i*14, 100+d+i*3))
	}
	if !printLike(print, h) {
		t.Error("a line of print not taken for print")
	}
	if printLike(ink, h) {
		t.Error("signature strokes taken for print")
	}
}

// A heading is print larger than the body's, on one baseline; body print
// and handwriting of the heading's height are not headings.
func TestHeadingLike(t *testing.T) {
	const h = 20 // the body's word height
	var heading, body, hand []image.Rectangle
	for i := 0; i < 8; i++ {
		top := 70
		if i%3 == 0 {
			top = 82 // lower-case letters
		}
		heading = append(heading, image.Rect(10+i*24, top, 30+i*24, 100))
		body = append(body, image.Rect(10+i*14, 84+(top-70)/2, 20+i*14, 100)) // caps 16, lower case 10
	}
	for i, d := range []int{0, 18, 4, 26, 9, 30, 2} {
		hand = append(hand, image.Rect(10+i*14, 70+d, 22+i*14, 100+d))
	}
	if !headingLike(heading, h) {
		t.Error("a heading not taken for one")
	}
	if headingLike(body, h) {
		t.Error("body print taken for a heading")
	}
	if headingLike(hand, h) {
		t.Error("handwriting taken for a heading")
	}
}

// A plan read and found wanting is proven open only when nothing of a plan
// is left beside it: a number there is a span the reader could not read;
// the session's length, a diagnosis code or a date of review are not.
func TestResiduePlanLeftover(t *testing.T) {
	base := slices.DeleteFunc(slices.Clone(completeLines), func(l string) bool { return strings.HasPrefix(l, "Frequency:") })
	for _, tc := range []struct {
		line  string
		found bool
	}{
		{"Frequency: 3/week x3 mnths", true},
		{"Frequency: 2x/week, then 8 more", true},
		{"Frequency: 1-2/week as tolerated, 60' per visit", false},
		{"Frequency: 2x/week; re-evaluate in 4 weeks", false},
		{"Reason M54.50 low back; plan 1-2/week as tolerated", false},
	} {
		rx := ReadPrescription(ocrDoc(append(slices.Clone(base), tc.line)...), readAsOf)
		if rx.Frequency != nil && rx.Frequency.Reason == "" {
			t.Fatalf("%q read as a plan: %+v", tc.line, rx.Frequency)
		}
		if got := slices.Contains(unattributed(rx), "frequency"); got != tc.found {
			t.Errorf("%q: frequency left for a person %v, want %v (%+v)", tc.line, got, tc.found, rx.Ambiguities)
		}
	}
}

// A dotted date is no diagnosis code that lost its letter.
func TestDottedDateIsNoCode(t *testing.T) {
	var lines []string
	for _, l := range completeLines {
		lines = append(lines, l)
		if strings.HasPrefix(l, "Diagnosis:") {
			lines = append(lines, "Reviewed and e-signed by Anil Patel, MD (10.5.2026, 2:14PM)")
		}
	}
	rx := ReadPrescription(ocrDoc(lines...), readAsOf)
	for _, a := range rx.Ambiguities {
		if a.Field == "diagnoses" {
			t.Errorf("a date read as a code: %+v", a)
		}
	}
}

// Strokes OCR read as doubtful letters above the typed name are where the
// prescriber signs: the signature is not proven missing.
func TestResidueDoubtfulWordsWhereSigned(t *testing.T) {
	var lines []string
	for _, l := range completeLines {
		if strings.HasPrefix(l, "Electronically") {
			continue
		}
		if strings.HasPrefix(l, "Anil Patel MD") {
			lines = append(lines, "Xrwmnlqp@30 Ghtrnwk@25")
		}
		lines = append(lines, l)
	}
	rx := ReadPrescriptionWithout(ocrDoc(lines...), readAsOf, "signature")
	if got := unattributed(rx); !slices.Contains(got, "signature") {
		t.Errorf("residue %v, want signature (%+v)", got, rx.Ambiguities)
	}
}

// A person named with a courtesy title, or after a word for the patient,
// in words the patient reader does not know: the patient is not proven
// missing. The prescriber named so is no patient.
func TestResiduePersonMentioned(t *testing.T) {
	without := slices.DeleteFunc(slices.Clone(completeLines), func(l string) bool { return strings.HasPrefix(l, "Patient:") })
	for _, line := range []string{"I saw Ms. Ruth Olsen in clinic today.", "The patient named below - Ruth Olsen - needs care."} {
		rx := ReadPrescriptionWithout(ocrDoc(append([]string{line}, without...)...), readAsOf, "patient")
		if got := unattributed(rx); !slices.Contains(got, "patient") {
			t.Errorf("%q: residue %v, want patient", line, got)
		}
	}
	rx := ReadPrescriptionWithout(ocrDoc(append([]string{"Questions? Ask Mr. Anil Patel."}, without...)...), readAsOf, "patient")
	if got := unattributed(rx); slices.Contains(got, "patient") {
		t.Errorf("the prescriber taken for a patient: residue %v", got)
	}
}

// A date written without its year, the way people say it, keeps the
// order's date from being proven missing; one of birth does not.
func TestResidueYearlessDate(t *testing.T) {
	without := slices.DeleteFunc(slices.Clone(completeLines), func(l string) bool {
		return strings.HasPrefix(l, "Date:") || strings.HasPrefix(l, "Electronically")
	})
	rx := ReadPrescription(ocrDoc(append([]string{"Written November 3rd"}, without...)...), readAsOf)
	if got := unattributed(rx); !slices.Contains(got, "date") {
		t.Errorf("residue %v, want date (%+v)", got, rx.Ambiguities)
	}
	rx = ReadPrescription(ocrDoc(append([]string{"Date of birth: April 2"}, without...)...), readAsOf)
	if got := unattributed(rx); slices.Contains(got, "date") {
		t.Errorf("a birthday taken for the order's date: residue %v", got)
	}
}

// A span of weeks under a label of length is the plan's: the session's
// length is proven missing, not unread.
func TestResidueCourseLengthIsNoSession(t *testing.T) {
	lines := slices.DeleteFunc(slices.Clone(completeLines), func(l string) bool { return strings.HasPrefix(l, "Session:") })
	rx := ReadPrescription(ocrDoc(append(lines, "Course length: 6 weeks")...), readAsOf)
	if got := unattributed(rx); slices.Contains(got, "session") {
		t.Errorf("residue %v, want no session (%+v)", got, rx.Ambiguities)
	}
}

// What a field reader took is accounted for wherever else it might be
// read: the session's words hold no plan, a name and its credentials no
// diagnosis code.
func TestResidueReadValuesAccountedFor(t *testing.T) {
	drop := func(prefixes ...string) []string {
		return slices.DeleteFunc(slices.Clone(completeLines), func(l string) bool {
			return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(l, p) })
		})
	}
	lines := append(drop("Session:", "Frequency:"), "Each session: 4 x 15-min units")
	rx := ReadPrescription(ocrDoc(lines...), readAsOf)
	if rx.Session == nil || rx.Session.Units != 4 {
		t.Fatalf("session %+v, want 4 units", rx.Session)
	}
	if got := unattributed(rx); len(got) > 0 {
		t.Errorf("plan missing beside a session in units: residue %v, want none (%+v)", got, rx.Ambiguities)
	}
	lines = append(drop("Diagnosis:"), "Ordering NP: Lamont S. Vanlandingham, MSN, FNP-C", "Referring: Rafael Abernathy III, ND", "Paul Kim, MD")
	rx = ReadPrescription(ocrDoc(lines...), readAsOf)
	if got := unattributed(rx); len(got) > 0 {
		t.Errorf("diagnosis missing beside names and credentials: residue %v, want none (%+v)", got, rx.Ambiguities)
	}
	// A code OCR misread, in capitals with a digit, is still residue.
	lines = append(drop("Diagnosis:"), "Dx: MS4.5O Low back pain")
	if got := unattributed(ReadPrescription(ocrDoc(lines...), readAsOf)); !slices.Contains(got, "diagnoses") {
		t.Errorf("misread code: residue %v, want diagnoses", got)
	}
}

// A legible value under a label that holds nothing of its element proves
// the element absent; the same label with a number or a modality's word in
// OCR doubt is residue.
func TestResidueLegibleNonValue(t *testing.T) {
	drop := func(prefix string, add ...string) []string {
		out := slices.DeleteFunc(slices.Clone(completeLines), func(l string) bool { return strings.HasPrefix(l, prefix) })
		return append(out, add...)
	}
	for _, tc := range []struct {
		drop, line, field string
		proven            bool
	}{
		{"Rx:", "Therapy: EVAL AND TX", "procedures", true},
		{"Rx:", "Requested service: please assess and advise", "procedures", true},
		{"Frequency:", "Treatment plan: as often as the patient tolerates", "frequency", true},
		{"Frequency:", "Frequency: AS REQ'D", "frequency", true},
		{"Diagnosis:", "Diagnosis: Muscle spasm; Neck pain", "diagnoses", true},
		{"Frequency:", "Treatment plan: tw1ce@40 we3kly@30", "frequency", false},
	} {
		rx := ReadPrescription(ocrDoc(drop(tc.drop, tc.line)...), readAsOf)
		if got := slices.Contains(unattributed(rx), tc.field); got == tc.proven {
			t.Errorf("%q: residue for %s %v, want %v (%+v)", tc.line, tc.field, got, !tc.proven, rx.Ambiguities)
		}
	}
}

// Two capitals under a label are a value OCR garbled ("TM]" for TMJ), not
// specks: the element is not proven absent. Specks are no value.
func TestResidueShortLabelledValue(t *testing.T) {
	lines := func(area string) []string {
		out := slices.DeleteFunc(slices.Clone(completeLines), func(l string) bool { return strings.HasPrefix(l, "Rx:") })
		return append(out, "Rx: Myofascial release (97140)", "Area(s): "+area)
	}
	rx := ReadPrescription(ocrDoc(lines("TM] .")...), readAsOf)
	if !slices.ContainsFunc(rx.Ambiguities, func(a Ambiguity) bool { return a.Field == "areas" }) {
		t.Errorf("\"TM]\" under the areas label: ambiguities %+v, want one for the areas", rx.Ambiguities)
	}
	rx = ReadPrescription(ocrDoc(lines("oe")...), readAsOf)
	if slices.ContainsFunc(rx.Ambiguities, func(a Ambiguity) bool { return a.Field == "areas" }) {
		t.Errorf("specks under the areas label: ambiguities %+v, want none for the areas", rx.Ambiguities)
	}
}
