package extract

import (
	"slices"
	"strings"
	"testing"
)

func TestProcedures(t *testing.T) {
	p := func(cpt, text string) Procedure { return Procedure{CPT: cpt, Text: text} }
	tests := []struct {
		text string
		want []Procedure
	}{
		// Explicit codes.
		{"97140", []Procedure{p("97140", "97140")}},
		{"CPT 97140-GP", []Procedure{p("97140", "97140")}},
		{"97124, 97110, 97112, 97530, 97010", []Procedure{p("97124", "97124"), p("97110", "97110"), p("97112", "97112"), p("97530", "97530"), p("97010", "97010")}},
		{"97140 x4", []Procedure{p("97140", "97140")}},

		// The 97140 wording of docs/rules.md.
		{"myofascial release", []Procedure{p("97140", "myofascial release")}},
		{"Myofascial Release", []Procedure{p("97140", "Myofascial Release")}},
		{"myofacial release", []Procedure{p("97140", "myofacial release")}}, // common misspelling
		{"MFR to lumbar", []Procedure{p("97140", "MFR")}},
		{"neuromuscular therapy", []Procedure{p("97140", "neuromuscular therapy")}},
		{"neuromusclar therapy", []Procedure{p("97140", "neuromusclar therapy")}},
		{"NMT", []Procedure{p("97140", "NMT")}},
		{"manual therapy", []Procedure{p("97140", "manual therapy")}},
		{"soft tissue mobilization", []Procedure{p("97140", "soft tissue mobilization")}},
		{"STM", []Procedure{p("97140", "STM")}},
		{"trigger point therapy", []Procedure{p("97140", "trigger point therapy")}},
		{"manual lymphatic drainage", []Procedure{p("97140", "manual lymphatic drainage")}},
		{"MLD to L arm", []Procedure{p("97140", "MLD")}},
		{"manual traction", []Procedure{p("97140", "manual traction")}},
		{"myofascial release massage", []Procedure{p("97140", "myofascial release massage")}},
		{"Myofascial release and neuromuscular therapy (97140)", []Procedure{p("97140", "Myofascial release")}},

		// The 97124 wording.
		{"massage", []Procedure{p("97124", "massage")}},
		{"Massage therapy 2x/week", []Procedure{p("97124", "Massage therapy")}},
		{"therapeutic massage", []Procedure{p("97124", "therapeutic massage")}},
		{"Swedish massage", []Procedure{p("97124", "Swedish massage")}},
		{"deep tissue massage", []Procedure{p("97124", "deep tissue massage")}},
		{"Medical Massage 2x/week", []Procedure{p("97124", "Medical Massage")}},
		{"MEDICAL MASSAGE", []Procedure{p("97124", "MEDICAL MASSAGE")}},
		{"Rx: Massage", []Procedure{p("97124", "Massage")}},
		{"PRESCRIPTION FOR MASSAGE THERAPY", []Procedure{p("97124", "MASSAGE THERAPY")}},
		{"Diagnosis: LBP Massage 2x/week", []Procedure{p("97124", "Massage")}},
		{"massage and MFR", []Procedure{p("97124", "massage"), p("97140", "MFR")}},

		// Others, kept apart from NMT.
		{"neuromuscular re-education", []Procedure{p("97112", "neuromuscular re-education")}},
		{"therapeutic exercise", []Procedure{p("97110", "therapeutic exercise")}},

		// Massage that orders nothing.
		{"Bayside Medical Massage", nil},
		{"Referral to Bayside Medical Massage for MFR", []Procedure{p("97140", "MFR")}},
		{"GULF COAST MASSAGE THERAPY", nil},
		{"medical massage therapist", nil},
		{"Licensed massage therapist to evaluate", nil},
		{"Sarasota Massage, LLC", nil},
		{"Massage Clinic of Venice", nil},
		{"self-massage at home", nil},
		{"massage chair", nil},
		{"rx@baysidemassage.example", nil},

		// Negated.
		{"no deep tissue massage", nil},
		{"Avoid massage to the abdomen", nil},
		{"massage contraindicated", nil},
		{"Do not perform MFR on the neck", nil},
		{"Avoid massage but MFR is fine", []Procedure{p("97140", "MFR")}},
		{"No. of visits: 12, massage", []Procedure{p("97124", "massage")}},

		// Not a procedure.
		{"Sherwood, OR 97140", nil},
		{"Portland Oregon 97124", nil},
		{"ZIP 97140-1234", nil},
		{"1971400", nil},
		{"trigger point injection", nil},
		{"myofascial pain syndrome", nil},
		{"mld tenderness", nil},
		{"craniosacral therapy", nil},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := Procedures(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("Procedures(%q) =\n %+v, want\n %+v", tt.text, got, tt.want)
			}
		})
	}
}

func FuzzProcedures(f *testing.F) {
	for _, s := range []string{"myofascial release 97140", "Bayside Medical Massage", "no massage", "OR 97140", "MFR x 4", "Massage Therapy"} {
		f.Add(s)
	}
	known := []string{"97140", "97124", "97110", "97112", "97530", "97010"}
	f.Fuzz(func(t *testing.T, text string) {
		seen := map[string]bool{}
		for _, p := range Procedures(text) {
			if !slices.Contains(known, p.CPT) {
				t.Fatalf("unknown code %+v", p)
			}
			if seen[p.CPT] {
				t.Fatalf("%s reported twice", p.CPT)
			}
			seen[p.CPT] = true
			if p.Text == "" || !strings.Contains(text, p.Text) {
				t.Fatalf("%+v: evidence not in text", p)
			}
		}
	})
}

// wholeRx is a prescription as the OCR hands it over: letterhead, patient,
// the order, and the receiving clinic's name, which must not count as an
// order for massage.
const wholeRx = `GULF COAST FAMILY MEDICINE
1234 Main Street, Suite 200, Sarasota, FL 34236  Tel 941-555-0100  Fax 941-555-0143
Anil Patel, MD   NPI 1234567893
Date: 11/20/2026
Patient: Mary Jones   DOB: 04/02/1961
Referral to: Bayside Medical Massage
Diagnosis: M54.50 Low back pain, unspecified; M62.830 Muscle spasm of back; M54.2 Cervicalgia
Rx: Myofascial release (97140) to lumbar and cervical regions, bilateral upper trapezius.
One hour (4 units) per session, 3x/week for 1 week, 2x/week for 1 week, then 1x/week for 6 weeks.
Medically necessary.  Avoid deep tissue massage to the abdomen.
Signature: ______________________
`

func TestParsersWholePrescription(t *testing.T) {
	if got, want := Procedures(wholeRx), []Procedure{{CPT: "97140", Text: "Myofascial release"}}; !slices.Equal(got, want) {
		t.Errorf("Procedures = %+v, want %+v", got, want)
	}
	if got, ok := ParseSession(wholeRx); !ok || got != (Session{Minutes: 60, Units: 4, Text: "One hour"}) {
		t.Errorf("ParseSession = %+v, %v", got, ok)
	}
	want := Frequency{Visits: 11, Weeks: 8, Text: "3x/week for 1 week, 2x/week for 1 week, then 1x/week for 6 weeks"}
	if got, ok := ParseFrequency(wholeRx); !ok || got != want {
		t.Errorf("ParseFrequency = %+v, %v", got, ok)
	}
	// The abdomen is named, if only to be avoided: Areas does not read
	// negation (see its documentation).
	if got, want := Areas(wholeRx), []string{"cervical", "lumbar", "abdomen"}; !slices.Equal(got, want) {
		t.Errorf("Areas = %q, want %q", got, want)
	}
	if !ValidNPI("1234567893") {
		t.Error("NPI of the letterhead rejected")
	}
}

func BenchmarkParsers(b *testing.B) {
	b.Run("Procedures", func(b *testing.B) {
		for b.Loop() {
			Procedures(wholeRx)
		}
	})
	b.Run("ParseSession", func(b *testing.B) {
		for b.Loop() {
			ParseSession(wholeRx)
		}
	})
	b.Run("ParseFrequency", func(b *testing.B) {
		for b.Loop() {
			ParseFrequency(wholeRx)
		}
	})
	b.Run("Areas", func(b *testing.B) {
		for b.Loop() {
			Areas(wholeRx)
		}
	})
}
