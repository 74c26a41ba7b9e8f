package corpus

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"rxintake/internal/safeio"
)

// fixture is a named document of the shared test set: a spec and the exact
// content it must carry.
type fixture struct {
	spec  Spec
	order order
}

// order fixes what a fixture prescribes; the zero value of a field keeps the
// drawn content.
type order struct {
	patient     *person
	doctor      *doctor
	practice    int // index into practices
	phone, fax  string
	rxDate      time.Time
	received    time.Time
	modalities  []string
	showCode    bool
	areas       []string
	codes       []string
	session     *sessionSpec
	sessionIn   bool
	freq        *freqSpec
	statement   string
	mailSubject string
	attachName  *string
	apply       func(c *content) // last changes: defects
}

func day(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, officeZone)
}

var (
	maryJones  = &person{first: "Mary", last: "Jones", female: true, dob: time.Date(1961, 4, 2, 0, 0, 0, 0, time.UTC)}
	anilPatel  = &doctor{person: person{first: "Anil", last: "Patel"}, cred: "MD", credPrinted: "MD", npi: "1234567893"}
	sarahChen  = &doctor{person: person{first: "Sarah", last: "Chen"}, cred: "DO", credPrinted: "DO", npi: "1679576722"}
	robertKim  = &doctor{person: person{first: "Robert", middle: "J", last: "Kim"}, cred: "MD", credPrinted: "M.D.", npi: "1003000126"}
	noName     = ""
	octetName  = "fax_20261120_143200.tif"
	hourPlan   = &freqSpec{text: "3x/week for 1 week, 2x/week for 1 week, then 1x/week for 6 weeks", visits: 11, weeks: 8, plan: true}
	sixWeeks   = &freqSpec{text: "2x/week for 6 weeks", visits: 12, weeks: 6, plan: true, perWeek: "2x/week", duration: "for 6 weeks"}
	oneHour    = &sessionSpec{text: "one hour", minutes: 60, units: 4}
	sixtyMin   = &sessionSpec{text: "60 min", minutes: 60, units: 4}
	fourUnits  = &sessionSpec{text: "4 units", units: 4}
	fortyFive  = &sessionSpec{text: "45 minutes", minutes: 45, units: 3}
	gulfCoast  = 0
	bayfront   = 1
	lakewood   = 2
	gulfPhone  = "9415550100"
	gulfFax    = "9415550143"
	rxDay      = day(2026, 11, 20, 0, 0)
	receiveDay = day(2026, 11, 20, 14, 32)
)

// fixtures are the named fixtures `rxcorpus -fixtures` writes.
var fixtures = []fixture{
	{
		spec: Spec{Name: "rxpad-fine", Seed: 101, Layout: LayoutRxPad, Media: MediaFaxFine, Cover: true, Font: "Liberation Sans", Hand: "DkgHandwriting"},
		order: order{patient: maryJones, doctor: anilPatel, practice: gulfCoast, phone: gulfPhone, fax: gulfFax, rxDate: rxDay, received: receiveDay,
			modalities: []string{"myofascial release"}, areas: []string{"low back", "L hip/piriformis"}, codes: []string{"M54.50", "M62.830", "G57.02"},
			session: oneHour, freq: hourPlan},
	},
	{
		spec: Spec{Name: "rxpad-standard", Seed: 102, Layout: LayoutRxPad, Media: MediaFaxStandard, Clean: true, Font: "Liberation Sans", Hand: "Femkeklaver"},
		order: order{patient: &person{first: "Robert", last: "Smith", dob: time.Date(1958, 9, 14, 0, 0, 0, 0, time.UTC)}, doctor: sarahChen, practice: bayfront,
			phone: "9415550121", fax: "9415550122", rxDate: day(2026, 11, 16, 0, 0), received: day(2026, 11, 18, 9, 5),
			modalities: []string{"neuromuscular therapy"}, areas: []string{"neck and shoulders"}, codes: []string{"M54.2", "S13.4XXA", "G44.209"},
			session: sixtyMin, freq: &freqSpec{text: "BIW x 4 wks", visits: 8, weeks: 4, plan: true}},
	},
	{
		spec: Spec{Name: "form-fax", Seed: 103, Layout: LayoutForm, Media: MediaFaxPDF, Font: "DejaVu Sans", Hand: "Humor Sans"},
		order: order{patient: &person{first: "Linda", middle: "K", last: "Garcia", female: true, dob: time.Date(1972, 1, 30, 0, 0, 0, 0, time.UTC)}, doctor: anilPatel,
			practice: gulfCoast, phone: gulfPhone, fax: gulfFax, rxDate: day(2026, 11, 12, 0, 0), received: day(2026, 11, 13, 11, 47),
			modalities: []string{"neuromuscular therapy"}, areas: []string{"upper back", "neck"}, codes: []string{"M54.6", "M62.830", "M54.2"},
			session: fortyFive, freq: sixWeeks},
	},
	{
		spec: Spec{Name: "ehr-order", Seed: 104, Layout: LayoutEHR, Media: MediaTextPDF, Font: "Liberation Sans"},
		order: order{patient: maryJones, doctor: anilPatel, practice: gulfCoast, phone: gulfPhone, fax: gulfFax, rxDate: rxDay, received: receiveDay,
			modalities: []string{"manual therapy"}, showCode: true, areas: []string{"lumbar spine", "R hip/piriformis"}, codes: []string{"M54.50", "M54.41", "G57.01"},
			session: &sessionSpec{text: "60 minutes", minutes: 60, units: 4}, freq: sixWeeks, statement: "Electronically signed by Anil Patel, MD on 11/20/2026 14:02"},
	},
	{
		spec: Spec{Name: "faxmail-octet", Seed: 105, Layout: LayoutRxPad, Media: MediaFaxEmail, Cover: true, Attach: "pdf", Font: "Nimbus Sans", Hand: "Z003"},
		order: order{patient: maryJones, doctor: anilPatel, practice: gulfCoast, phone: gulfPhone, fax: gulfFax, rxDate: rxDay, received: receiveDay,
			modalities: []string{"myofascial release", "neuromuscular therapy"}, areas: []string{"lumbosacral", "gluteals"}, codes: []string{"M54.50", "M53.3", "M62.830"},
			session: fourUnits, freq: sixWeeks, mailSubject: "New fax received from 9415550143", attachName: &octetName},
	},
	{
		spec: Spec{Name: "phone-scan", Seed: 106, Layout: LayoutRxPad, Media: MediaPhotoJPEG, Angle: 3, Quality: 80, Font: "Liberation Serif", Hand: "DkgHandwriting"},
		order: order{doctor: robertKim, practice: lakewood, rxDate: day(2026, 11, 2, 0, 0), received: day(2026, 11, 4, 10, 15),
			modalities: []string{"neuromuscular therapy"}, areas: []string{"full body"}, codes: []string{"M79.7", "M79.18"},
			sessionIn: true, session: oneHourInline, freq: &freqSpec{text: "12x 1-hour treatments over 4 weeks", visits: 12, weeks: 4, plan: true}},
	},
	{
		spec: Spec{Name: "scan", Seed: 107, Layout: LayoutForm, Media: MediaScanPNG, Angle: -0.6, Font: "Carlito", Hand: "Femkeklaver"},
		order: order{doctor: sarahChen, practice: bayfront, rxDate: day(2026, 10, 28, 0, 0), received: day(2026, 10, 30, 15, 40),
			modalities: []string{"myofascial release"}, areas: []string{"R shoulder", "neck"}, codes: []string{"M25.511", "M75.41", "M54.2"},
			session: fourUnits, freq: &freqSpec{text: "1-2x/week x 6-8 weeks", visits: 16, weeks: 8, plan: true, isRange: true}},
	},
	{
		spec: Spec{Name: "email-plain", Seed: 108, Layout: LayoutEmail, Media: MediaPlainEmail},
		order: order{doctor: anilPatel, practice: gulfCoast, phone: gulfPhone, fax: gulfFax, rxDate: day(2026, 11, 19, 0, 0), received: day(2026, 11, 19, 16, 3),
			modalities: []string{"soft tissue mobilization"}, areas: []string{"neck", "upper back"}, codes: []string{"S13.4XXA", "M54.2", "M62.838"},
			session: fortyFive, freq: &freqSpec{text: "TIW x 4 weeks", visits: 12, weeks: 4, plan: true}},
	},
	{
		spec: Spec{Name: "email-html", Seed: 109, Layout: LayoutEmail, Media: MediaHTMLEmail},
		order: order{doctor: robertKim, practice: lakewood, rxDate: day(2026, 11, 9, 0, 0), received: day(2026, 11, 10, 8, 55),
			modalities: []string{"MFR", "NMT"}, areas: []string{"lumbosacral"}, codes: []string{"M54.50", "M53.3"},
			session: oneHour, freq: &freqSpec{text: "twice a week for six weeks", visits: 12, weeks: 6, plan: true}},
	},
	{
		spec: Spec{Name: "letter", Seed: 110, Layout: LayoutLetter, Media: MediaText},
		order: order{patient: maryJones, doctor: anilPatel, practice: gulfCoast, phone: gulfPhone, fax: gulfFax, rxDate: rxDay, received: receiveDay,
			modalities: []string{"neuromuscular therapy"}, areas: []string{"neck"}, codes: []string{"M54.2", "G44.209"},
			session: oneHour, freq: &freqSpec{text: "3 times a week for 2 weeks", visits: 6, weeks: 2, plan: true}},
	},
	{
		spec: Spec{Name: "missing-signature", Seed: 111, Layout: LayoutRxPad, Media: MediaFaxFine, Font: "Courier Prime"},
		order: order{patient: maryJones, doctor: anilPatel, practice: gulfCoast, phone: gulfPhone, fax: gulfFax, rxDate: rxDay, received: receiveDay,
			modalities: []string{"myofascial release"}, areas: []string{"low back"}, codes: []string{"M54.50", "M62.830"},
			session: oneHour, freq: sixWeeks, apply: func(c *content) { c.sig = sigTyped }},
	},
	{
		spec: Spec{Name: "header-code", Seed: 112, Layout: LayoutForm, Media: MediaFaxPDF, Font: "Liberation Sans", Hand: "DkgHandwriting"},
		order: order{doctor: anilPatel, practice: gulfCoast, phone: gulfPhone, fax: gulfFax, rxDate: day(2026, 11, 17, 0, 0), received: day(2026, 11, 18, 13, 20),
			modalities: []string{"myofascial release"}, areas: []string{"low back", "SI joint"}, codes: []string{"M54.5", "M62.830"},
			session: oneHour, freq: sixWeeks},
	},
	{
		spec: Spec{Name: "missing-frequency", Seed: 113, Layout: LayoutRxPad, Media: MediaPhotoJPEG, Angle: -2, Quality: 80, Font: "DejaVu Serif", Hand: "Femkeklaver"},
		order: order{doctor: sarahChen, practice: bayfront, rxDate: day(2026, 11, 5, 0, 0), received: day(2026, 11, 6, 9, 30),
			modalities: []string{"myofascial release"}, areas: []string{"mid back", "rhomboids"}, codes: []string{"M54.6", "M62.830"},
			session: oneHour, freq: &freqSpec{text: "PRN"}},
	},
	{
		spec: Spec{Name: "faxmail-tiff", Seed: 114, Layout: LayoutLetter, Media: MediaFaxEmail, Attach: "tiff", Font: "Nimbus Roman", Hand: "DkgHandwriting"},
		order: order{doctor: robertKim, practice: lakewood, rxDate: day(2026, 11, 11, 0, 0), received: day(2026, 11, 12, 10, 2),
			modalities: []string{"neuromuscular therapy"}, areas: []string{"neck", "scalp"}, codes: []string{"M54.2", "G44.209"},
			session: sixtyMin, freq: sixWeeks, attachName: &noName, mailSubject: "eFax from LWR INTERNAL MED - 1 page(s), caller ID: 941-555-0160",
			phone: "9415550161", fax: "9415550160",
			apply: func(c *content) { c.doctor.npi = "1003000127"; c.sig = sigWet }},
	},
	{
		spec: Spec{Name: "expired-swedish", Seed: 115, Layout: LayoutRxPad, Media: MediaFaxStandard, Clean: true, Font: "Liberation Mono", Hand: "Humor Sans"},
		order: order{doctor: anilPatel, practice: gulfCoast, phone: gulfPhone, fax: gulfFax, rxDate: day(2026, 6, 1, 0, 0), received: day(2026, 11, 3, 11, 11),
			modalities: []string{"Swedish massage"}, areas: []string{"low back", "hamstrings"}, codes: []string{"M54.50", "M62.830"},
			session: oneHour, freq: sixWeeks},
	},
	{
		spec: Spec{Name: "handwritten-pad", Seed: 116, Layout: LayoutRxPad, Media: MediaScanPNG, Tier: TierHandwriting, Angle: 0.4, Font: "Liberation Sans", Hand: "DkgHandwriting"},
		order: order{doctor: robertKim, practice: lakewood, rxDate: day(2026, 11, 9, 0, 0), received: day(2026, 11, 10, 14, 0),
			modalities: []string{"myofascial release"}, areas: []string{"low back", "SI joint"}, codes: []string{"M54.50", "M46.1"},
			session: oneHour, freq: sixWeeks},
	},
	{
		spec: Spec{Name: "letter-scan", Seed: 118, Layout: LayoutLetter, Media: MediaScanPDF, Angle: 0.5, Font: "Nimbus Roman", Hand: "Z003"},
		order: order{patient: &person{first: "Dmitri", last: "Novak", dob: time.Date(1949, 12, 5, 0, 0, 0, 0, time.UTC)}, doctor: robertKim, practice: lakewood,
			rxDate: day(2026, 10, 21, 0, 0), received: day(2026, 10, 26, 12, 30),
			modalities: []string{"trigger point therapy", "myofascial release"}, areas: []string{"right hip/piriformis", "R IT band"}, codes: []string{"G57.01", "M76.31", "M25.551"},
			session: &sessionSpec{text: "45 min", minutes: 45, units: 3}, freq: &freqSpec{text: "12 visits over 6 weeks", visits: 12, weeks: 6, plan: true},
			apply: func(c *content) { c.sig = sigWet }},
	},
	{
		spec: Spec{Name: "warnings-only", Seed: 117, Layout: LayoutEHR, Media: MediaTextPDF, Font: "Liberation Serif"},
		order: order{doctor: sarahChen, practice: bayfront, rxDate: day(2026, 11, 13, 0, 0), received: day(2026, 11, 16, 8, 40),
			modalities: []string{"myofascial release"}, areas: []string{"R shoulder"}, codes: []string{"M25.511"},
			session: fortyFive, freq: sixWeeks, apply: func(c *content) { c.necessity = necAbsent }},
	},
}

var oneHourInline = &sessionSpec{text: "1-hour", minutes: 60, units: 4}

// set changes the drawn content to what the fixture prescribes.
func (o order) set(c *content) {
	if o.patient != nil {
		c.patient = *o.patient
	}
	if o.doctor != nil {
		c.doctor = *o.doctor
	}
	if o.practice >= 0 {
		c.practice = practices[o.practice]
	}
	if o.phone != "" {
		c.phone, c.fax = o.phone, o.fax
	}
	c.clinic.name, c.clinic.fax, c.clinic.email = clinics[0].name, clinics[0].fax, clinics[0].email
	if !o.rxDate.IsZero() {
		c.rxDate, c.received = o.rxDate, o.received
		c.sigTime = o.rxDate.Add(14*time.Hour + 2*time.Minute)
	}
	if o.modalities != nil {
		c.modalities = nil
		for _, m := range o.modalities {
			cpt := "97140"
			if slices.Contains(phrases97124, m) {
				cpt = "97124"
			}
			c.modalities = append(c.modalities, modality{text: m, cpt: cpt, showCode: o.showCode})
		}
		c.nonOrder = ""
	}
	if o.areas != nil {
		c.areas = nil
		for _, t := range o.areas {
			c.areas = append(c.areas, areaByText(t))
		}
	}
	if o.codes != nil {
		c.dx = nil
		for _, code := range o.codes {
			e := lookupICD(code)
			c.dx = append(c.dx, dxLine{code: e.code, desc: e.desc, billable: e.billable})
		}
	}
	if o.session != nil {
		c.session, c.sessionIn = o.session, o.sessionIn
	}
	if o.freq != nil {
		c.freq = o.freq
	}
	c.statement, c.mailSubject, c.attachName = o.statement, o.mailSubject, o.attachName
	c.necessity = necPrinted
	if o.apply != nil {
		o.apply(c)
	}
}

// areaByText finds an area phrase of the themes; it panics on an unknown
// phrase, a mistake in a fixture.
func areaByText(t string) areaOpt {
	for _, th := range themes {
		for _, a := range th.areas {
			if a.text == t {
				return a
			}
		}
	}
	panic("corpus: unknown area phrase " + t)
}

// FixtureNames lists the file names WriteFixtures writes (besides their
// truth files).
func FixtureNames() []string {
	var out []string
	for _, f := range fixtures {
		out = append(out, f.spec.Name+f.spec.Media.Ext())
	}
	return out
}

// GenerateFixture makes one named fixture (a name of FixtureNames).
func GenerateFixture(name string) (*File, error) {
	for _, f := range fixtures {
		if f.spec.Name+f.spec.Media.Ext() == name {
			return generate(f.spec, f.order.set)
		}
	}
	return nil, fmt.Errorf("%w: no fixture %q", ErrSpec, name)
}

// GenerateFixtureCovered makes a named fax fixture with a cover sheet in
// front of its pages, as a fax service delivers it.
func GenerateFixtureCovered(name string) (*File, error) {
	for _, f := range fixtures {
		if f.spec.Name+f.spec.Media.Ext() == name {
			spec := f.spec
			spec.Cover = true
			return generate(spec, f.order.set)
		}
	}
	return nil, fmt.Errorf("%w: no fixture %q", ErrSpec, name)
}

// WriteFixtures writes the named fixture set into dir: each FILE and its
// FILE.truth.json.
func WriteFixtures(ctx context.Context, dir string, log *slog.Logger) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	for _, name := range FixtureNames() {
		if err := ctx.Err(); err != nil {
			return err
		}
		f, err := GenerateFixture(name)
		if err != nil {
			return err
		}
		if err := writeFile(dir, f); err != nil {
			return err
		}
		log.Info("fixture written", "file", f.Name, "bytes", len(f.Data), "pages", f.Truth.Pages, "status", f.Truth.Status)
	}
	return nil
}

// writeFile writes a generated file and its truth, each with
// safeio.WriteFile, so that a reader never sees half a file.
func writeFile(dir string, f *File) error {
	tj, err := json.MarshalIndent(f.Truth, "", "  ")
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	for _, w := range []struct {
		name string
		data []byte
	}{{f.Name, f.Data}, {TruthPath(f.Name), append(tj, '\n')}} {
		if err := safeio.WriteFile(filepath.Join(dir, w.name), w.data, 0o644); err != nil {
			return fmt.Errorf("corpus: %w", err)
		}
	}
	return nil
}
