package corpus

import (
	"encoding/json"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// mediaFor is a medium each layout goes in, one with text and one with
// images.
var mediaFor = map[Layout][2]Media{
	LayoutRxPad:  {MediaTextPDF, MediaFaxFine},
	LayoutForm:   {MediaTextPDF, MediaScanPNG},
	LayoutEHR:    {MediaTextPDF, MediaFaxPDF},
	LayoutLetter: {MediaText, MediaPhotoJPEG},
	LayoutEmail:  {MediaPlainEmail, MediaHTMLEmail},
}

// TestFamiliesCompose lays out every family in every layout, both tiers and
// every defect, for several seeds, and checks the truth.
func TestFamiliesCompose(t *testing.T) {
	defects := []Defect{""}
	for _, d := range evalDefects {
		defects = append(defects, d.v)
	}
	for _, fam := range FamilyNames() {
		for _, l := range Layouts {
			for _, tier := range []string{TierTyped, TierHandwriting} {
				for i, d := range defects {
					for seed := uint64(1); seed <= 3; seed++ {
						m := mediaFor[l][0]
						if tier == TierHandwriting || seed == 2 {
							m = mediaFor[l][1]
						}
						if tier == TierHandwriting && (textOnly(m) || l == LayoutEmail) {
							continue
						}
						s := Spec{Seed: seed*1000 + uint64(i), Layout: l, Media: m, Tier: tier, Family: fam}
						if d != "" {
							s.Defects = []Defect{d}
						}
						g, sheets, err := compose(s, nil)
						if err != nil {
							t.Fatalf("%v: %v", s, err)
						}
						if len(flow(sheets, g.fs)) == 0 {
							t.Fatalf("%v: no pages", s)
						}
						p := g.c.prescription()
						fs := g.c.findings(p)
						tr := Truth{Status: status(fs), Prescription: p, Findings: fs, AsOf: g.c.received.Format(time.DateOnly)}
						if err := tr.Check(); err != nil {
							t.Errorf("%s %s %s %s seed %d: %v", fam, l, tier, d, s.Seed, err)
						}
						if d == DefectNoDate && p.Date != "" || d == DefectExpired && !slices.Contains(tr.Rules(), RuleRxExpired) {
							t.Errorf("%s %s %s: truth date %q", fam, l, d, p.Date)
						}
					}
				}
			}
		}
	}
}

// TestFamiliesText generates text documents of every family and checks that
// the truth round-trips and that its key values are in the text.
func TestFamiliesText(t *testing.T) {
	headerOnly := 0
	for _, fam := range FamilyNames() {
		for _, l := range []Layout{LayoutLetter, LayoutEmail} {
			for _, m := range []Media{MediaText, MediaPlainEmail} {
				for seed := uint64(1); seed <= 12; seed++ {
					s := Spec{Seed: seed, Layout: l, Media: m, Family: fam}
					if seed%4 == 0 {
						s.Defects = []Defect{DefectNoDate}
					}
					f, err := Generate(s)
					if err != nil {
						t.Fatalf("%v: %v", s, err)
					}
					b, _ := json.Marshal(f.Truth)
					var back Truth
					if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, f.Truth) {
						t.Fatalf("%s: truth does not round-trip: %v", f.Name, err)
					}
					if err := back.Check(); err != nil {
						t.Errorf("%s: %v", f.Name, err)
					}
					if back.Family != fam {
						t.Errorf("%s: family %q, want %q", f.Name, back.Family, fam)
					}
					if back.HeldOut != slices.Contains(HeldOutFamilies(), fam) {
						t.Errorf("%s: held_out %v", f.Name, back.HeldOut)
					}
					text := string(f.Data)
					if m == MediaPlainEmail {
						msg, err := mail.ReadMessage(strings.NewReader(text))
						if err != nil {
							t.Fatal(err)
						}
						date, _ := msg.Header.Date()
						if date.In(officeZone).Format(time.DateOnly) != back.AsOf {
							t.Errorf("%s: Date header %v, as-of %s", f.Name, date, back.AsOf)
						}
						if strings.Contains(f.Truth.Prescription.Signature.Kind, "electronic") && back.Prescription.Date == back.AsOf {
							headerOnly++
						}
						text = decodeQP(t, text)
					}
					low := strings.ToLower(strings.Join(strings.Fields(text), " "))
					p := back.Prescription
					if pt := p.Patient; pt != nil {
						c, _, _ := compose(s, nil)
						for _, part := range []string{c.c.patient.first, c.c.patient.last} {
							if !strings.Contains(low, strings.ToLower(part)) {
								t.Errorf("%s: patient %q not in text\n%s", f.Name, part, text)
							}
						}
					}
					if pr := p.Prescriber; pr != nil && pr.NPI != "" && !strings.Contains(text, pr.NPI) {
						t.Errorf("%s: NPI %s not in text", f.Name, pr.NPI)
					}
					for _, d := range p.Diagnoses {
						if !strings.Contains(text, d.Code) {
							t.Errorf("%s: code %s not in text", f.Name, d.Code)
						}
					}
				}
			}
		}
	}
	if headerOnly == 0 {
		t.Errorf("no email dated by its header")
	}
}

func decodeQP(t *testing.T, eml string) string {
	msg, err := mail.ReadMessage(strings.NewReader(eml))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestEvalFamilies checks that an evaluation corpus draws every family about
// equally and that -family restricts it.
func TestEvalFamilies(t *testing.T) {
	// Enough documents that each of ten families' share lies within 30% of
	// its tenth by several standard deviations.
	specs := EvalSpecs(1200, 3)
	n := map[string]int{}
	for _, s := range specs {
		n[s.Family]++
	}
	want := len(specs) / len(FamilyNames())
	for _, f := range FamilyNames() {
		if n[f] < want*7/10 || n[f] > want*13/10 {
			t.Errorf("family %s: %d of %d", f, n[f], len(specs))
		}
	}
	only, err := EvalSpecsOf(20, 3, []string{"harbor"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range only {
		if s.Family != "harbor" {
			t.Errorf("%s: family %s", s.Name, s.Family)
		}
	}
	if _, err := EvalSpecsOf(5, 3, []string{"nosuch"}); err == nil {
		t.Errorf("unknown family accepted")
	}
}
