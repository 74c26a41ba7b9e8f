package extract

import (
	"image"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// ocrDoc builds a one-page OCR'd document from lines of words. A word may
// carry its confidence and height: "Fegemnprinrone@0^156" (default 95 and
// 40 pixels).
func ocrDoc(lines ...string) *Document {
	p := &Page{Number: 1, Confidence: 0.9, Width: 2550, Height: 3300, DPI: 300}
	y := 100
	for i, text := range lines {
		x := 100
		var l Line
		for _, tok := range strings.Fields(text) {
			conf, h := 95.0, 40
			if at := strings.LastIndex(tok, "@"); at > 0 {
				spec := tok[at+1:]
				tok = tok[:at]
				if hat := strings.Index(spec, "^"); hat >= 0 {
					h, _ = strconv.Atoi(spec[hat+1:])
					spec = spec[:hat]
				}
				conf, _ = strconv.ParseFloat(spec, 64)
			}
			w := Word{Text: tok, Conf: conf, Box: image.Rect(x, y, x+25*len(tok), y+h), Line: i}
			x += 25*len(tok) + 20
			l.Words = append(l.Words, w)
			p.Words = append(p.Words, w)
		}
		texts := make([]string, len(l.Words))
		var sum float64
		for j, w := range l.Words {
			texts[j] = w.Text
			sum += w.Conf
			l.Box = l.Box.Union(w.Box)
		}
		l.Text = strings.Join(texts, " ")
		l.Conf = sum / float64(max(len(l.Words), 1))
		p.Lines = append(p.Lines, l)
		p.Text += l.Text + "\n"
		y += 70
	}
	return &Document{Kind: KindTIFF, Pages: []*Page{p}}
}

func TestParseFrequencyOCRMends(t *testing.T) {
	for _, tc := range []struct {
		text          string
		visits, weeks int
		printed       string
	}{
		{"3 times a week xlwk; 2 limes per week x 2 weeks; then once per week x 3 wks", 10, 6, "3 times a week xlwk; 2 limes per week x 2 weeks; then once per week x 3 wks"},
		{"three times a week for 2 weeks, twice a week for 2 weeks, then | x/week for two weeks", 12, 6, "three times a week for 2 weeks, twice a week for 2 weeks, then | x/week for two weeks"},
		{"Frequency: 3x/week xLOwks", 30, 10, "3x/week xLOwks"},
		{"Frequency / duration: 16 treatments within eight: weeks 7 ;", 16, 8, "16 treatments within eight: weeks"},
		{"cvery 2 weeks tor 12 weeks", 6, 12, "cvery 2 weeks tor 12 weeks"},
		{"2 TIMES PER WEEK for 6bWKS", 12, 6, "2 TIMES PER WEEK for 6bWKS"},
	} {
		f, ok := ParseFrequency(tc.text)
		if !ok || f.Visits != tc.visits || f.Weeks != tc.weeks || f.Text != tc.printed {
			t.Errorf("ParseFrequency(%q) = %d/%d %q %v, want %d/%d %q", tc.text, f.Visits, f.Weeks, f.Text, ok, tc.visits, tc.weeks, tc.printed)
		}
	}
}

func TestReadPlanOverWrappedLines(t *testing.T) {
	for _, tc := range []struct {
		body          string
		visits, weeks int
	}{
		{"Freq: 3X WEEKLY FOR 2 WKS; 2 TIMES PER WEEK FOR 2\nWKS; FOLLOWED BY ONCE A WEEK FOR 2 WEEKS", 12, 6},
		{"Plan: three times weekly for 2 weeks, 2x/week x2wks, and then\nonce weekly for 2 weeks", 12, 6},
		{"I recommend 3 times per week for the next one week, twice weekly for 1\nweek, followed by once weekly for 6 weeks, with sessions of 4 units", 11, 8},
		// The next line is another field, not the rest of the plan.
		{"Frequency: 2x/week for 6 weeks\nDuration of session: 4 weeks of rest after", 12, 6},
	} {
		rx := readBody(tc.body)
		if rx.Frequency == nil || rx.Frequency.Visits != tc.visits || rx.Frequency.Weeks != tc.weeks {
			t.Errorf("%q: frequency %+v, want %d/%d", tc.body, rx.Frequency, tc.visits, tc.weeks)
		}
	}
}

func TestReadNPIMisreads(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"Karen Kim MD NPl# 1251010942", "1251010942"},
		{"Sincerely,\nLisa Shah, MD\nNPT #: 1409737529", "1409737529"},
		{"Physician name; Jorge D. Lindgren PA-C | ; NPI; 1988201699 _", "1988201699"},
		{": | NPI #:, 1148243599", "1148243599"},
		// A speck after the number, a leading 1 read as a quote: taken
		// only because the check digit then agrees.
		{"Physician name: Hyun Chen, NP _ NPI: 1075772719 7", "1075772719"},
		{"Physician name: Christine Weiss, MD ee NPI: '565554593 a", "1565554593"},
		// Nine digits after a quote that do not make a valid NPI: no NPI.
		{"Physician name: Christine Weiss, MD NPI: '565554594", ""},
	} {
		rx := readBody(tc.body)
		got := ""
		if rx.Prescriber != nil {
			got = rx.Prescriber.NPI
		}
		if got != tc.want {
			t.Errorf("%q: NPI %q, want %q", tc.body, got, tc.want)
		}
	}
}

func TestReadCodeLetterMisread(t *testing.T) {
	codes := func(rx *Prescription) []string {
		var out []string
		for _, d := range rx.Diagnoses {
			out = append(out, d.Code)
		}
		return out
	}
	for _, tc := range []struct {
		body string
		want []string
	}{
		{"Diagnosis (ICD-10): 189.0 - Lymphedema, not elsewhere classified\nM79.662 - Pain in left lower leg", []string{"I89.0", "M79.662"}},
		{"ICD-10: Other low back pain (M54.59) Sprain of ligaments of lumbar spine, initial encounter (33.5XXA)", []string{"M54.59", "S33.5XXA"}},
		// A digit-led number whose words describe no code stays unread.
		{"Diagnosis: 189.0 - follow up in two weeks", nil},
	} {
		if got := codes(readBody(tc.body)); !slices.Equal(got, tc.want) {
			t.Errorf("%q: codes %q, want %q", tc.body, got, tc.want)
		}
	}
}

func TestReadNecessityMarks(t *testing.T) {
	for _, tc := range []struct {
		body string
		want bool
	}{
		{"Treatment should be twice a week for 4 weeks. This therapy is medically\nnecessary for her recovery.", true},
		{"Med, necessary", true},
		// The box of "Yes" not seen, the box of "No" read as empty.
		{"Medically necessary: Yes CJ No", true},
		{"Medically necessary: [Yes CJ No", true},
		{"Medically necessary: CJ Yes &] No", false},
		{"This therapy is not medically\nnecessary.", false},
	} {
		if got := readBody(tc.body).MedicallyNecessary; got != tc.want {
			t.Errorf("%q: medically necessary %v, want %v", tc.body, got, tc.want)
		}
	}
}

func TestReadOCRDatesAndNames(t *testing.T) {
	for _, tc := range []struct{ body, name, dob, date string }{
		{"Name: Hiroshi Lindqvist D.0.B.: 7/26/92", "Hiroshi Lindqvist", "1992-07-26", ""},
		{"Patient: 'Teresa Brown oe D.O.B.: October 17, 1947", "Teresa Brown", "1947-10-17", ""},
		{"Name: Smith, Brittany M oo D.O.B.: Aug 27, 1946", "Brittany M Smith", "1946-08-27", ""},
		{"For: Olga R. Nguyen NOR: 8/4/1940", "Olga R. Nguyen", "1940-08-04", ""}, // a date of birth under a garbled label
		{"Name: JamesThompson _ Birthdate: 8/17/40\nDate: Sep6,2026", "James Thompson", "1940-08-17", "2026-09-06"},
		{"November 5, 2026 ; .\nRe: Michael Van Dyke, DOB 19-Jun-1997", "Michael Van Dyke", "1997-06-19", "2026-11-05"},
	} {
		rx := readBody(tc.body)
		if rx.Patient == nil || rx.Patient.Name != tc.name || rx.Patient.DOB != tc.dob || rx.Date != tc.date {
			t.Errorf("%q: patient %+v date %q, want %q %q %q", tc.body, rx.Patient, rx.Date, tc.name, tc.dob, tc.date)
		}
	}
}

func TestReadOCRMisreadWords(t *testing.T) {
	if got := Areas("Manual therapy - 97140 - tumbosacral"); !slices.Equal(got, []string{"lumbar", "sacral"}) {
		t.Errorf("tumbosacral: areas %q", got)
	}
	if got := Areas("fumbar spine and thoracie"); !slices.Equal(got, []string{"thoracic", "lumbar"}) {
		t.Errorf("fumbar, thoracie: areas %q", got)
	}
	rx := readBody("Please treat my patient with myofascial |\nrelease therapy to the L hip/piriformis.")
	if len(rx.Procedures) != 1 || rx.Procedures[0].CPT != "97140" {
		t.Errorf("modality over two lines: %+v", rx.Procedures)
	}
}

func TestReadUnreadValuesGoToReview(t *testing.T) {
	d := ocrDoc(
		"Patient name: Emily Rodriguez DOB: 5/18/1998",
		"Date: 10/17/2026",
		"Treatment ordered: Myofascial release (97140)",
		"Areas to treat: upper back",
		"Diagnoses: M54.6 Pain in thoracic spine",
		"Frequency: 1x/wk for 4 wks",
		"Length of session: halfhourpersession@61",
	)
	rx := ReadPrescription(d, readAsOf)
	if rx.Session != nil {
		t.Fatalf("session %+v read from a run-together value", rx.Session)
	}
	i := slices.IndexFunc(rx.Ambiguities, func(a Ambiguity) bool { return a.Kind == "unreadable-value" && a.Field == "session" })
	if i < 0 {
		t.Fatalf("no unreadable-value for the session: %+v", rx.Ambiguities)
	}
	if want := `the treatment length after "Length of session:" could not be read`; rx.Ambiguities[i].Message != want {
		t.Errorf("message %q, want %q", rx.Ambiguities[i].Message, want)
	}

	// An empty label is missing, not unreadable.
	d = ocrDoc("Patient name: Emily Rodriguez", "Length of session: ____")
	for _, a := range ReadPrescription(d, readAsOf).Ambiguities {
		if a.Kind == "unreadable-value" {
			t.Errorf("blank label reported unreadable: %+v", a)
		}
	}
}

func TestReadScribbleIsNoPrescriberName(t *testing.T) {
	d := ocrDoc(
		"Patient: Carol Castellanos",
		"Prescriber: Fegemnprinrone@0^156 nfoanl@27^156",
		"Karen Goldberg, MD",
	)
	rx := ReadPrescription(d, readAsOf)
	if rx.Prescriber == nil || rx.Prescriber.Name != "Karen Goldberg" || rx.Prescriber.Credentials != "MD" {
		t.Errorf("prescriber %+v, want the typed name under the signature", rx.Prescriber)
	}
}

func TestReadBrokenCategoryIsDoubtful(t *testing.T) {
	d := ocrDoc("DX: M79.661 — Pain in right lower leg; M72 721—")
	rx := ReadPrescription(d, readAsOf)
	i := slices.IndexFunc(rx.Diagnoses, func(dx Diagnosis) bool { return dx.Code == "M72" })
	if i < 0 {
		t.Fatalf("diagnoses %+v", rx.Diagnoses)
	}
	if c := rx.Diagnoses[i].Confidence; c == 0 || c > 0.2 {
		t.Errorf("M72 broken off its code read with confidence %.2f, want at most 0.2", c)
	}
}

func TestReadDoubtfulDiagnosisAndPlan(t *testing.T) {
	// A bracket no one opened after a code is a speck: the description
	// after it names the code meant, and the header read goes to review.
	rx := ReadPrescription(ocrDoc("Diagnosis (ICD-10): M62.83)@70 - CALF SPASM"), readAsOf)
	if len(rx.Diagnoses) != 1 || rx.Diagnoses[0].Likely != "M62.831" {
		t.Errorf("diagnoses %+v, want M62.83 likely M62.831", rx.Diagnoses)
	}
	// The same header read with high confidence is what the physician
	// wrote: no misread, a correction names its billable codes.
	rx = ReadPrescription(ocrDoc("Diagnosis (ICD-10): M62.83)@96 - CALF SPASM"), readAsOf)
	if len(rx.Diagnoses) != 1 || rx.Diagnoses[0].Likely != "" || !rx.Diagnoses[0].Header {
		t.Errorf("diagnoses %+v, want the header M62.83 as read", rx.Diagnoses)
	}
	// A rate per week from which nothing could be read: not a missing plan.
	rx = ReadPrescription(ocrDoc("Rx", "TRIGGER POINT THERAPY, RHOMBOIDS", "LENGTH: 75 MIN EACH VISIT", "! 3Bx/WK X 2 WKS"), readAsOf)
	if rx.Frequency != nil {
		t.Fatalf("frequency %+v", rx.Frequency)
	}
	if !slices.ContainsFunc(rx.Ambiguities, func(a Ambiguity) bool { return a.Kind == "unattributed" && a.Field == "frequency" }) {
		t.Errorf("no unreadable plan in %+v", rx.Ambiguities)
	}
	// A plan that is read and wanting is for the rules, not for review.
	rx = ReadPrescription(ocrDoc("Rx", "TRIGGER POINT THERAPY, RHOMBOIDS", "2x/week as needed"), readAsOf)
	if slices.ContainsFunc(rx.Ambiguities, func(a Ambiguity) bool { return a.Kind == "unreadable-value" }) {
		t.Errorf("a plan without an end reported unreadable: %+v", rx.Ambiguities)
	}
}

func TestReadSplitCodeAndAccentedName(t *testing.T) {
	rx := readBody("Diagnoses: sprain of ligaments of cervical spine, initial encounter (S13.4X XA); other muscle spasm (M62.838).")
	if len(rx.Diagnoses) != 2 || rx.Diagnoses[0].Code != "S13.4XXA" {
		t.Errorf("diagnoses %+v, want S13.4XXA joined back", rx.Diagnoses)
	}
	// A billable code followed by a word is left alone.
	rx = readBody("Dx: M54.2 NP Cervicalgia")
	if len(rx.Diagnoses) != 1 || rx.Diagnoses[0].Code != "M54.2" {
		t.Errorf("diagnoses %+v, want M54.2", rx.Diagnoses)
	}
	if got := nameIndex("Michael Ferréira, DO t", "ferreira"); got < 0 {
		t.Errorf("accented typed name not found")
	}
}

func TestReadTypedNameWithSpecks(t *testing.T) {
	rx := readBody("Trigger point therapy - feet\n_ Signature: Ferrmenpemonnine oe |\ni Laura J. Weiss DO |\n| NPI# 1494254422, |")
	if rx.Prescriber == nil || rx.Prescriber.Name != "Laura J. Weiss" || rx.Prescriber.Credentials != "DO" {
		t.Errorf("prescriber %+v, want Laura J. Weiss, DO", rx.Prescriber)
	}
}

func TestReadLetterDateLineWithMarks(t *testing.T) {
	for _, body := range []string{": October 29, 2026\nBayside Medical Massage", "~ October 29, 2026\nBayside Medical Massage"} {
		if got := readBody(body).Date; got != "2026-10-29" {
			t.Errorf("%q: date %q, want 2026-10-29", body, got)
		}
	}
}

func TestReadDamagedCodesPlansAndStatements(t *testing.T) {
	// "code(s)" in the label; a code that lost its dot is a header.
	rx := ReadPrescription(ocrDoc("ICD-10 code(s): M62.830 Muscle spasm of back", "M990 Segmental and somatic dysfunction", "; M54.89 Other dorsalgia"), readAsOf)
	if !slices.ContainsFunc(rx.Diagnoses, func(d Diagnosis) bool { return d.Code == "M99.0" && d.Header }) {
		t.Errorf("diagnoses %+v, want the header M99.0", rx.Diagnoses)
	}
	// A code that lost its letter and names no billable code: unread, not absent.
	rx = ReadPrescription(ocrDoc("Diagnosis: M99.01 Segmental and somatic dysfunction of cervical region", "M54.12 Radiculopathy, cervical region", "| 13.4 Sprain of ligaments of cervical spine"), readAsOf)
	if !slices.ContainsFunc(rx.Ambiguities, func(a Ambiguity) bool { return a.Kind == "unreadable-value" && a.Field == "diagnoses" }) {
		t.Errorf("no unreadable code among %+v", rx.Ambiguities)
	}
	// A mark at the end of a wrapped plan.
	rx = readBody("Treatment should be twicea _\nweek for 3 weeks; each session one hour.")
	if rx.Frequency == nil || rx.Frequency.Visits != 6 || rx.Frequency.Weeks != 3 {
		t.Errorf("frequency %+v, want 6/3", rx.Frequency)
	}
	// A signature statement whose name OCR garbled names the prescriber.
	rx = readBody("Ordering provider: RAVI FERREIRA M.D. NPI: 1245319599\nElectronically signed by: Ravi —. Ferreira M,D. 10/10/2026 5:21 PM")
	if !rx.Signature.Present || rx.Signature.Kind != "electronic" {
		t.Errorf("signature %+v, want electronic", rx.Signature)
	}
	// A statement naming someone else is no signature of the prescriber.
	rx = readBody("Ordering provider: RAVI FERREIRA M.D. NPI: 1245319599\nElectronically signed by: —. ~ M,D. 10/10/2026")
	if rx.Signature.Present {
		t.Errorf("signature %+v from a statement naming nobody", rx.Signature)
	}
}

// Conditions named in words without codes, read with confidence: the codes
// are provably absent and the office is asked for them. Anything shaped like
// a code among the words, or words OCR doubted, is a person's to read.
func TestDiagnosisInWordsOnly(t *testing.T) {
	base := []string{"Patient name: Emily Rodriguez", "Areas to treat: upper back", "Frequency: 1x/wk for 4 wks"}
	d := ocrDoc(append(base, "Diagnoses: Muscle spasm; Pain in thoracic spine")...)
	rx := ReadPrescription(d, readAsOf)
	if len(rx.Diagnoses) > 0 || slices.ContainsFunc(rx.Ambiguities, func(a Ambiguity) bool { return a.Field == "diagnoses" }) {
		t.Errorf("words only: diagnoses %+v, ambiguities %+v; want none of either", rx.Diagnoses, rx.Ambiguities)
	}
	for _, v := range []string{"Muscle spasm M6Z.830", "Muscle spasm 62.830", "Musclz@40 spasm@35 Pain@30"} {
		d := ocrDoc(append(base, "Diagnoses: "+v)...)
		rx := ReadPrescription(d, readAsOf)
		if len(rx.Diagnoses) == 0 && !slices.ContainsFunc(rx.Ambiguities, func(a Ambiguity) bool { return a.Field == "diagnoses" }) {
			t.Errorf("%q: no diagnosis and no ambiguity; want one or the other", v)
		}
	}
}
