package extract

import (
	"image"
	"image/color"
	"testing"
)

// TestGlyphHeightLeavesOutTheRule: a printed word on a signature line is
// boxed by OCR down to the rule; its height is the letters', so it is not
// mistaken for handwriting.
func TestGlyphHeightLeavesOutTheRule(t *testing.T) {
	page := func(letterH int, rule func(g *image.Gray, y int)) (*image.Gray, image.Rectangle) {
		g := image.NewGray(image.Rect(0, 0, 300, 120))
		for i := range g.Pix {
			g.Pix[i] = 255
		}
		for x := 20; x < 220; x++ {
			if (x/6)%2 == 0 { // strokes with gaps between them
				for y := 20; y < 20+letterH; y++ {
					g.SetGray(x, y, color.Gray{})
				}
			}
		}
		rule(g, 20+letterH+6)
		return g, image.Rect(20, 20, 220, 20+letterH+9)
	}
	solid := func(g *image.Gray, y int) {
		for x := 0; x < 300; x++ {
			g.SetGray(x, y, color.Gray{})
			g.SetGray(x, y+1, color.Gray{})
		}
	}
	dashed := func(g *image.Gray, y int) {
		for x := 0; x < 300; x++ {
			if x%40 < 25 {
				g.SetGray(x, y, color.Gray{})
			}
		}
	}
	touching := func(g *image.Gray, y int) { solid(g, y-6) }
	for _, tc := range []struct {
		name    string
		letterH int
		rule    func(*image.Gray, int)
	}{
		{"solid rule below", 30, solid},
		{"dashed rule below", 30, dashed},
		{"rule touching the letters", 30, touching},
		{"tall strokes", 60, solid},
	} {
		g, box := page(tc.letterH, tc.rule)
		if got := glyphHeight(g, box); got != tc.letterH {
			t.Errorf("%s: glyph height %d, want %d (box %d high)", tc.name, got, tc.letterH, box.Dy())
		}
	}
}

// An electronic signature the EHR keeps on file, naming its signer, is a
// signature; "signature on file" alone is what a stamp says, not one.
func TestSignatureOnFile(t *testing.T) {
	head := "Patient: Ada Jones\nOrdering clinician: Ann Vu, MD\n"
	for _, tc := range []struct {
		body    string
		present bool
	}{
		{head + "Provider e-signature on file: Ann Vu, MD (electronically signed)", true},
		{head + "Electronic signature on file - Ann Vu, MD, electronically signed 11/02/2026", true},
		{head + "[Electronically Signed] Ann Vu, MD, FACP September 25, 2026 12:31 PM", true},
		{head + "Signature on file - electronically signed Ann Vu, MD, 11/02/2026 at 1538 hrs", true},
		// A statement that wraps onto the next line.
		{head + "Verified and signed by Ann Vu, M.D. via secure\ne-signature 10/01/2026 1309 hrs", true},
		{head + "Signature on file", false},
		{head + "E-signature on file", false},
		{head + "Signature on file - not electronically signed", false},
		{head + "Signed by Ann Vu, MD.\nE-signature pending", false},
	} {
		sig := readBody(tc.body).Signature
		if sig.Present != tc.present || (tc.present && sig.Kind != "electronic") {
			t.Errorf("%q: signature %+v, want present %v", tc.body, sig, tc.present)
		}
	}
}

// The signer of an electronic-signature statement is the prescriber,
// however the statement brackets or orders its words.
func TestESignedStatements(t *testing.T) {
	for _, line := range []string{
		"Authenticated (e-signed) by Thanh Fitzsimmons 06 Sep 2026 13:47",
		"Electronically authenticated and signed: Ngozi Nakai, NP-C | Oct 23 2026 10:05",
		"Electronically signed by: Ann Vu, MD on 11/02/2026",
		"Authenticated by Ramon Kovacs, DNP, CRNP on NOV 02 2026 1126 hrs",
	} {
		name, _, ok := eSignedName(line)
		if !ok || name == "" {
			t.Errorf("%q: no signer read", line)
		}
	}
}

// The places a prescriber signs, their labels misread included.
func TestSignatureLabels(t *testing.T) {
	for _, line := range []string{"Signature: ____", "Signed: Ann Vu", "sigea: Fairweather", "Sig: Ann Vu", "X ______", "Physician's signature"} {
		if !reSigLabel.MatchString(line) {
			t.Errorf("%q: not taken for a place to sign", line)
		}
	}
	for _, line := range []string{"Significant findings: none", "Diagnosis: M54.50", "Design: corner office"} {
		if reSigLabel.MatchString(line) {
			t.Errorf("%q: taken for a place to sign", line)
		}
	}
}

// A statement of electronic signing is read whatever its words: a word of
// signing made electronic by a prefix or a word beside it, and a name.
func TestEStatementWordings(t *testing.T) {
	r := &rxReader{rx: &Prescription{}}
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"E-sig: Brigham J. Oyelaran, P.A.-C | signed 10.16.2026 8:16AM", true},
		{"eSigned Karen Holt MD 11/02/2026", true},
		{"Signed electronically by Ann Vu, MD", true},
		{"Digitally authenticated: Ann Vu MD", true},
		{"/s/ Ann Vu, MD", true},
		// A record is authenticated only electronically.
		{"Authenticated by Mendel U. Rubinstein-Levy MD, FAAPMR", true},
		{"Signed by Ann Vu, MD", false},
		// A signing stamped with its date and time is a system's record.
		{"Note finalized and signed by Alejandro I. Okimoto MD | 10/14/2026 14:02:00", true},
		{"Signed by: Lokelani U. Bautista NP-C Signed on: NOV 5, 2026 13:21:00", true},
		{"Signed by Ann Vu, MD on 11/02/2026", false},
		{"Signature: ____________", false},
		{"Significant improvement expected with electronic muscle stimulation", false},
		{"Electronic signature pending", false},
	} {
		if got := r.eStatement(tc.line); got != tc.want {
			t.Errorf("eStatement(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

func TestNearWord(t *testing.T) {
	for _, tc := range []struct {
		w    string
		want bool
	}{
		{"electronically", true}, {"rlectronically", true}, {"elecironically", true}, {"electronic", true},
		{"mottths", false}, {"monthz", true}, {"eleven", false}, {"electrode", false},
	} {
		if got := nearWord(tc.w, "electronically", "electronic", "months"); got != tc.want {
			t.Errorf("nearWord(%q) = %v, want %v", tc.w, got, tc.want)
		}
	}
}
