package corpus

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Layout is the kind of document.
type Layout string

// The layouts.
const (
	LayoutRxPad  Layout = "rxpad"  // a free-text prescription pad
	LayoutForm   Layout = "form"   // a referral form with labelled fields
	LayoutEHR    Layout = "ehr"    // an EHR order printed to PDF
	LayoutLetter Layout = "letter" // a referral letter in prose
	LayoutEmail  Layout = "email"  // an email body from the physician's office
)

// Layouts lists every layout.
var Layouts = []Layout{LayoutRxPad, LayoutForm, LayoutEHR, LayoutLetter, LayoutEmail}

// Defect is an element a generated document lacks or gets wrong on purpose.
type Defect string

// The defects; each leads to the findings of docs/rules.md named beside it.
const (
	DefectNoModality      Defect = "no-modality"         // modality-missing
	DefectUnspecific      Defect = "unspecific-modality" // modality-unspecific ("massage", 97124)
	DefectNoAreas         Defect = "no-areas"            // areas-missing
	DefectNoDiagnosis     Defect = "no-diagnosis"        // diagnosis-missing (descriptions may remain)
	DefectHeaderCode      Defect = "header-code"         // diagnosis-invalid (M54.5 and the like)
	DefectSingleDiagnosis Defect = "single-diagnosis"    // diagnosis-single
	DefectNoSession       Defect = "no-session"          // session-length-missing
	DefectNoFrequency     Defect = "no-frequency"        // frequency-missing
	DefectOpenFrequency   Defect = "open-frequency"      // frequency-missing (PRN, no end)
	DefectNoSignature     Defect = "no-signature"        // signature-missing (typed name, blank, stamp)
	DefectNoNecessity     Defect = "no-necessity"        // medical-necessity-missing
	DefectNoPatient       Defect = "no-patient"          // patient-missing
	DefectNoPrescriber    Defect = "no-prescriber"       // prescriber-missing, npi-missing
	DefectBadNPI          Defect = "bad-npi"             // npi-invalid
	DefectNoNPI           Defect = "no-npi"              // npi-missing
	DefectNoDate          Defect = "no-date"             // date-missing
	DefectExpired         Defect = "expired"             // rx-expired
)

type person struct {
	first, middle, last string
	suffix              string // "Jr.", "III": part of the name
	female              bool
	dob                 time.Time
}

// natural is the name in reading order with the middle initial.
func (p person) natural() string {
	return p.natural0() + p.sfx()
}

func (p person) natural0() string {
	if p.middle != "" {
		return p.first + " " + p.middle + ". " + p.last
	}
	return p.first + " " + p.last
}

// sfx is the suffix with its leading space, or "".
func (p person) sfx() string {
	if p.suffix == "" {
		return ""
	}
	return " " + p.suffix
}

type doctor struct {
	person
	cred, credPrinted string
	npi               string
}

type modality struct {
	text     string // the phrase, lower case unless an abbreviation
	cpt      string
	showCode bool // print "(97140)" after the phrase
}

type dxLine struct {
	code, desc string
	billable   bool
}

type sessionSpec struct {
	text           string
	minutes, units int
}

type freqSpec struct {
	text          string
	visits, weeks int
	plan          bool // false: PRN or open-ended
	isRange       bool
	// split: per-week and duration parts for layouts that print them apart.
	perWeek, duration string
}

type necessity uint8

const (
	necPrinted necessity = iota
	necAbsent
	necUnchecked // a form's checkbox left empty
)

// content is what a prescription says, independent of its layout. The truth
// is computed from it.
type content struct {
	fam        *wordingFamily
	datePlace  int // dateUsual, dateSig or dateHeader
	tier       string
	practice   practice
	phone, fax string // 10 digits
	clinic     struct{ name, fax, email string }
	staff      string // who sends an email
	patient    person
	noPatient  bool
	noDOB      bool
	doctor     doctor
	noDoctor   bool
	noNPI      bool
	rxDate     time.Time
	noDate     bool
	received   time.Time
	side       byte
	modalities []modality
	nonOrder   string
	areas      []areaOpt
	dx         []dxLine
	dxText     []string // conditions named without codes
	session    *sessionSpec
	sessionIn  bool // the session length is part of the frequency phrase
	freq       *freqSpec
	necessity  necessity
	sig        sigKind
	sigTime    time.Time

	// Fixed wording for named fixtures; empty means drawn.
	statement   string // the electronic-signature sentence
	mailSubject string
	attachName  *string // a fax attachment's file name ("" leaves it out)
}

// officeZone is the offices' clock (Florida, standard time).
var officeZone = time.FixedZone("EST", -5*60*60)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// weighted is a choice with a weight.
type weighted[T any] struct {
	v T
	w int
}

func pickWeighted[T any](r *rand.Rand, xs []weighted[T]) T {
	total := 0
	for _, x := range xs {
		total += x.w
	}
	k := r.IntN(total)
	for _, x := range xs {
		if k < x.w {
			return x.v
		}
		k -= x.w
	}
	return xs[len(xs)-1].v
}

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// textOnly reports whether a medium carries text without images: no wet ink.
func textOnly(m Media) bool {
	return m == MediaPlainEmail || m == MediaHTMLEmail || m == MediaText || m == MediaTextPDF
}

// newContent draws the content of a document for a spec.
func newContent(r *rand.Rand, spec Spec) *content {
	fam, ok := wordingFamilyByName(spec.Family)
	if !ok {
		fam = houseFamily
	}
	c := &content{tier: spec.Tier, fam: fam}
	if c.tier == "" {
		c.tier = TierTyped
	}
	if fam.house {
		c.practice = pick(r, practices)
	} else {
		c.practice = pick(r, fam.practices)
	}
	c.phone = c.practice.area + fmt.Sprintf("5550%03d", 100+r.IntN(100))
	c.fax = c.practice.area + fmt.Sprintf("5550%03d", 100+r.IntN(100))
	for c.fax == c.phone {
		c.fax = c.practice.area + fmt.Sprintf("5550%03d", 100+r.IntN(100))
	}
	cl := pick(r, clinics)
	c.clinic.name, c.clinic.fax, c.clinic.email = cl.name, cl.fax, cl.email
	if fam.house {
		c.staff = pick(r, staffNames)
	} else {
		c.staff = pick(r, fam.staff)
	}

	// Received on a weekday between 2026-10-05 and 2026-11-25, office hours.
	day := time.Date(2026, 10, 5, 0, 0, 0, 0, officeZone).AddDate(0, 0, r.IntN(52))
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, 1)
	}
	c.received = day.Add(time.Duration(8*60+r.IntN(9*60)) * time.Minute)
	c.rxDate = day.AddDate(0, 0, -r.IntN(12))
	if chance(r, 0.15) {
		c.rxDate = day.AddDate(0, 0, -12-r.IntN(40))
	}
	c.sigTime = c.rxDate.Add(time.Duration(7*60+r.IntN(11*60)) * time.Minute)

	c.patient = fam.person(r, chance(r, 0.6), 1940, 2004)
	creds := credentials
	if fam.house {
		c.doctor.first = pick(r, doctorFirst)
		c.doctor.last = pick(r, doctorLast)
	} else {
		c.doctor.first = pick(r, fam.docFirst)
		c.doctor.last = pick(r, fam.docLast)
		creds = fam.creds
	}
	if chance(r, 0.2) {
		c.doctor.middle = string(rune('A' + r.IntN(26)))
	}
	if !fam.house && chance(r, 0.07) {
		c.doctor.suffix = pick(r, fam.suffixes)
	}
	cred := pickWeighted(r, creds)
	c.doctor.cred, c.doctor.credPrinted = cred.canon, pick(r, cred.printed)
	c.doctor.npi = newNPI(r)

	has := func(d Defect) bool { return slices.Contains(spec.Defects, d) }
	candidates := themes
	if has(DefectHeaderCode) {
		candidates = slices.DeleteFunc(slices.Clone(themes), func(t theme) bool { return len(t.headers) == 0 })
	}
	th := pick(r, candidates)
	c.side = "RL"[r.IntN(2)]

	// Modality.
	switch {
	case th.modality != "":
		c.modalities = []modality{{text: th.modality, cpt: "97140"}}
		if chance(r, 0.4) {
			c.modalities[0].text = "MLD"
		}
	default:
		k := 1
		if chance(r, 0.3) {
			k = 2
		}
		mods := phrases97140
		if !fam.house {
			mods = fam.mod97140
		}
		for _, p := range pickN(r, mods, k) {
			c.modalities = append(c.modalities, modality{text: p, cpt: "97140"})
		}
		if chance(r, 0.12) {
			c.modalities = []modality{{text: "97140", cpt: "97140"}}
		}
	}
	if chance(r, 0.25) && c.modalities[0].text != "97140" {
		c.modalities[0].showCode = true
	}

	// Areas.
	opts := slices.DeleteFunc(slices.Clone(th.areas), func(o areaOpt) bool { return o.side != 0 && o.side != c.side })
	// Up to three phrases, none that only repeats regions already named.
	for _, o := range pickN(r, opts, 1+r.IntN(min(3, len(opts)))) {
		if !slices.ContainsFunc(o.regions, func(rg string) bool {
			return !slices.ContainsFunc(c.areas, func(a areaOpt) bool { return slices.Contains(a.regions, rg) })
		}) {
			continue
		}
		c.areas = append(c.areas, o)
	}

	// Diagnoses.
	var codes []string
	for _, cd := range th.codes {
		if len(cd) > 2 && cd[1] == ':' {
			if cd[0] != c.side {
				continue
			}
			cd = cd[2:]
		}
		codes = append(codes, cd)
	}
	for _, cd := range pickN(r, codes, 2+r.IntN(min(3, len(codes)-1))) {
		c.dx = append(c.dx, newDx(r, cd))
	}

	c.session = fam.newSession(r)
	prose := spec.Layout == LayoutLetter || spec.Layout == LayoutEmail
	c.freq = fam.newFrequency(r, prose)
	if c.freq.text == "" { // the phrase carries the session length too
		if fam.freqSession != nil {
			c.freq, c.session = fam.freqSession(r)
		} else {
			c.freq, c.session = newFrequencyWithSession(r)
		}
		c.sessionIn = true
	}
	c.necessity = necPrinted

	// How the prescriber signs when nothing is wrong.
	switch {
	case textOnly(spec.Media) || spec.Layout == LayoutEHR || spec.Layout == LayoutEmail:
		c.sig = sigElectronic
	case spec.Layout == LayoutLetter && chance(r, 0.3):
		c.sig = sigElectronic
	default:
		c.sig = sigWet
	}

	for _, d := range spec.Defects {
		c.apply(r, d, th, spec)
	}
	if !fam.house {
		c.placeDate(r, spec)
	}
	return c
}

// placeDate draws where a family's document prints the Rx date: where the
// layout usually does, only in the signature, or (emails) only in the
// message's Date header, the order then being from the day it is sent.
func (c *content) placeDate(r *rand.Rand, spec Spec) {
	if c.noDate {
		return
	}
	k := r.IntN(10)
	sigOK := c.sig == sigElectronic && !c.noDoctor || c.sig == sigWet && !textOnly(spec.Media)
	expired := slices.Contains(spec.Defects, DefectExpired)
	switch {
	case k < 3 && spec.Layout == LayoutEmail && (spec.Media == MediaPlainEmail || spec.Media == MediaHTMLEmail) && !expired && c.sig == sigElectronic:
		c.datePlace = dateHeader
		y, m, d := c.received.Date()
		c.rxDate = time.Date(y, m, d, 0, 0, 0, 0, officeZone)
		c.sigTime = c.received.Add(-time.Duration(20+r.IntN(90)) * time.Minute)
	case k < 5 && sigOK && spec.Layout != LayoutForm:
		c.datePlace = dateSig
	}
}

// apply makes the content lack or get wrong one element.
func (c *content) apply(r *rand.Rand, d Defect, th theme, spec Spec) {
	switch d {
	case DefectNoModality:
		c.modalities = nil
		if chance(r, 0.6) {
			if c.fam.house {
				c.nonOrder = pick(r, nonOrders)
			} else {
				c.nonOrder = pick(r, c.fam.nonOrders)
			}
		}
	case DefectUnspecific:
		p97 := phrases97124
		if !c.fam.house {
			p97 = c.fam.mod97124
		}
		p := pick(r, p97)
		if chance(r, 0.15) {
			p = "97124"
		}
		c.modalities = []modality{{text: p, cpt: "97124", showCode: p != "97124" && chance(r, 0.2)}}
	case DefectNoAreas:
		c.areas = nil
	case DefectNoDiagnosis:
		if chance(r, 0.5) {
			for _, x := range c.dx {
				c.dxText = append(c.dxText, x.desc)
			}
		}
		c.dx = nil
	case DefectHeaderCode:
		h := newDx(r, pick(r, th.headers))
		i := r.IntN(len(c.dx))
		c.dx[i] = h
		if len(c.dx) < 2 {
			c.dx = append(c.dx, newDx(r, "M62.838"))
		}
	case DefectSingleDiagnosis:
		c.dx = c.dx[:1]
	case DefectNoSession:
		c.session = nil
		if c.sessionIn {
			c.freq = c.fam.newFrequency(r, false)
			for c.freq.text == "" {
				c.freq = c.fam.newFrequency(r, false)
			}
			c.sessionIn = false
		}
	case DefectNoFrequency:
		c.freq = nil
		if c.sessionIn {
			c.sessionIn = false
		}
	case DefectOpenFrequency:
		c.freq = c.fam.newOpenFrequency(r)
		c.sessionIn = false
	case DefectNoSignature:
		kinds := []sigKind{sigTyped, sigBlank, sigStamp}
		if textOnly(spec.Media) || spec.Layout == LayoutEmail {
			kinds = []sigKind{sigTyped}
		}
		c.sig = pick(r, kinds)
	case DefectNoNecessity:
		c.necessity = necAbsent
		if spec.Layout == LayoutForm && chance(r, 0.5) {
			c.necessity = necUnchecked
		}
	case DefectNoPatient:
		c.noPatient = true
	case DefectNoPrescriber:
		c.noDoctor, c.noNPI = true, true
		if c.sig == sigElectronic { // a statement names the prescriber
			c.sig = sigWet
		}
	case DefectBadNPI:
		last := c.doctor.npi[9]
		bad := byte('0' + (int(last-'0')+1+r.IntN(9))%10)
		c.doctor.npi = c.doctor.npi[:9] + string(bad)
	case DefectNoNPI:
		c.noNPI = true
	case DefectNoDate:
		c.noDate = true
	case DefectExpired:
		y, m, d := c.received.Date()
		c.rxDate = time.Date(y, m, d, 0, 0, 0, 0, officeZone).AddDate(0, 0, -(100 + r.IntN(120)))
		c.sigTime = c.rxDate.Add(time.Duration(7*60+r.IntN(11*60)) * time.Minute)
	}
}

func newPerson(r *rand.Rand, female bool, fromYear, toYear int) person {
	p := person{female: female, last: pick(r, lastNames)}
	if female {
		p.first = pick(r, femaleNames)
	} else {
		p.first = pick(r, maleNames)
	}
	if chance(r, 0.3) {
		p.middle = string(rune('A' + r.IntN(26)))
	}
	p.dob = dobIn(r, fromYear, toYear)
	return p
}

func dobIn(r *rand.Rand, fromYear, toYear int) time.Time {
	return time.Date(fromYear+r.IntN(toYear-fromYear), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
}

// newNPI returns a valid individual NPI (first digit 1).
func newNPI(r *rand.Rand) string {
	first9 := "1" + fmt.Sprintf("%08d", r.IntN(100000000))
	return first9 + string(npiCheckDigit(first9))
}

func newDx(r *rand.Rand, code string) dxLine {
	e := lookupICD(code)
	d := dxLine{code: e.code, desc: e.desc, billable: e.billable}
	if len(e.alt) > 0 && chance(r, 0.3) {
		d.desc = pick(r, e.alt)
	}
	return d
}

// pickN returns n distinct elements of xs in random order.
func pickN[T any](r *rand.Rand, xs []T, n int) []T {
	idx := r.Perm(len(xs))
	out := make([]T, 0, n)
	for _, i := range idx[:min(n, len(xs))] {
		out = append(out, xs[i])
	}
	return out
}

// Session lengths: the phrase and its minutes (0: given in units).
var sessionPhrases = []struct {
	minutes, weight int
	texts           []string
}{
	{60, 10, []string{"one hour", "1 hour", "1 hr", "60 min", "60 minutes", "60-minute sessions", "1-hour sessions", "60 mins"}},
	{30, 3, []string{"30 min", "30 minutes", "half hour", "1/2 hour"}},
	{45, 4, []string{"45 min", "45 minutes", "45-minute sessions"}},
	{90, 2, []string{"1.5 hours", "90 min", "90 minutes", "an hour and a half"}},
	{50, 1, []string{"50 min", "50 minutes"}},
	{75, 1, []string{"75 minutes", "75 min"}},
	{38, 1, []string{"38 minutes"}},
	{53, 1, []string{"53 minutes"}},
	{20, 1, []string{"20 minutes"}},
	{0, 6, []string{"%d units", "%d units per visit", "%d units per session", "%d units (15 min each)"}},
}

func newSession(r *rand.Rand) *sessionSpec {
	total := 0
	for _, s := range sessionPhrases {
		total += s.weight
	}
	k := r.IntN(total)
	for _, s := range sessionPhrases {
		if k >= s.weight {
			k -= s.weight
			continue
		}
		t := pick(r, s.texts)
		if s.minutes == 0 {
			u := pick(r, []int{2, 3, 4, 4, 4, 3})
			return &sessionSpec{text: fmt.Sprintf(t, u), units: u}
		}
		return &sessionSpec{text: t, minutes: s.minutes, units: Units(s.minutes)}
	}
	panic("unreachable")
}

// num writes n as digits or, sometimes, as a word.
func num(r *rand.Rand, n int, words bool) string {
	if words && n < len(numberWords) && chance(r, 0.5) {
		return numberWords[n]
	}
	return fmt.Sprint(n)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// perWeekText writes "n visits a week" in one of its notations.
func perWeekText(r *rand.Rand, n int, prose bool) string {
	opts := []string{fmt.Sprintf("%dx/week", n), fmt.Sprintf("%dx/wk", n), fmt.Sprintf("%dx per week", n), fmt.Sprintf("%dx weekly", n), fmt.Sprintf("%d/wk", n)}
	if n > 1 {
		opts = append(opts, fmt.Sprintf("%d times per week", n), fmt.Sprintf("%d times a week", n))
	}
	switch n {
	case 1:
		opts = append(opts, "once a week", "once weekly", "weekly", "QW", "1x/week", "once per week")
	case 2:
		opts = append(opts, "twice a week", "twice weekly", "BIW", "2x/wk", "twice per week")
	case 3:
		opts = append(opts, "three times a week", "TIW", "3x/wk", "three times weekly")
	}
	if prose {
		opts = []string{fmt.Sprintf("%dx/week", n)}
		if n > 1 {
			opts = append(opts, fmt.Sprintf("%d times a week", n), fmt.Sprintf("%d times per week", n))
		}
		switch n {
		case 1:
			opts = append(opts, "once a week", "once weekly")
		case 2:
			opts = append(opts, "twice a week", "twice weekly")
		case 3:
			opts = append(opts, "three times a week")
		}
	}
	return pick(r, opts)
}

func weeksText(r *rand.Rand, w int, prose bool) string {
	unit := plural(w, "week", "weeks")
	wk := plural(w, "wk", "wks")
	opts := []string{"for " + num(r, w, true) + " " + unit, fmt.Sprintf("x %d %s", w, unit), fmt.Sprintf("x %d %s", w, wk),
		fmt.Sprintf("x%d%s", w, wk), fmt.Sprintf("for %d %s", w, wk), fmt.Sprintf("for %d %s", w, unit)}
	if prose {
		opts = []string{"for " + num(r, w, true) + " " + unit, fmt.Sprintf("for %d %s", w, unit), "for the next " + num(r, w, true) + " " + unit}
	}
	return pick(r, opts)
}

// newFrequency draws a treatment plan. It returns a spec with an empty text
// when it chose a phrase that also gives the session length (the caller then
// uses newFrequencyWithSession).
func newFrequency(r *rand.Rand, prose bool) *freqSpec {
	switch k := r.IntN(20); {
	case k < 11: // n per week for w weeks
		n := pick(r, []int{1, 2, 2, 2, 3, 3})
		w := pick(r, []int{2, 3, 4, 4, 6, 6, 6, 8, 10, 12})
		pw, wt := perWeekText(r, n, prose), weeksText(r, w, prose)
		text := pw + " " + wt
		if !prose && chance(r, 0.1) {
			text = strings.TrimPrefix(strings.TrimPrefix(wt, "for "), "x ") + ", " + pw
		}
		return &freqSpec{text: text, visits: n * w, weeks: w, plan: true, perWeek: pw, duration: wt}
	case k < 14: // taper
		tapers := [][][2]int{{{3, 1}, {2, 1}, {1, 6}}, {{3, 2}, {2, 4}}, {{2, 4}, {1, 4}}, {{3, 1}, {2, 2}, {1, 3}}, {{3, 2}, {2, 2}, {1, 2}}}
		phases := pick(r, tapers)
		var parts []string
		f := &freqSpec{plan: true}
		for _, p := range phases {
			parts = append(parts, perWeekText(r, p[0], prose)+" "+weeksText(r, p[1], prose))
			f.visits += p[0] * p[1]
			f.weeks += p[1]
		}
		last := len(parts) - 1
		parts[last] = pick(r, []string{"then ", "and then ", "followed by "}) + parts[last]
		sep := ", "
		if chance(r, 0.3) && !prose {
			sep = "; "
		}
		f.text = strings.Join(parts, sep)
		return f
	case k < 16: // total visits over weeks
		w := pick(r, []int{3, 4, 4, 6, 8})
		v := pick(r, []int{w * 2, w * 2, w * 3, w + 2, 12})
		t := pick(r, []string{"%s treatments over %s weeks", "%s visits over %s weeks", "%s sessions in %s weeks", "%s visits within %s weeks", "%s treatments within %s weeks"})
		return &freqSpec{text: fmt.Sprintf(t, num(r, v, prose), num(r, w, true)), visits: v, weeks: w, plan: true}
	case k < 17 && !prose: // every other week
		w := pick(r, []int{4, 6, 8, 12})
		t := pick(r, []string{"Q2W x %d wks", "every 2 weeks for %d weeks", "every other week x %d weeks"})
		return &freqSpec{text: fmt.Sprintf(t, w), visits: w / 2, weeks: w, plan: true}
	case k < 18: // ranges count at the upper bound
		ranges := []struct {
			text          string
			visits, weeks int
		}{
			{"1-2x/week x 6-8 weeks", 16, 8}, {"2-3x/week for 4-6 weeks", 18, 6}, {"1-2x/wk for 4 wks", 8, 4},
			{"2-3 times per week for 3-4 weeks", 12, 4}, {"1-2 times a week for 6 weeks", 12, 6},
		}
		g := pick(r, ranges)
		return &freqSpec{text: g.text, visits: g.visits, weeks: g.weeks, plan: true, isRange: true}
	default:
		return &freqSpec{}
	}
}

// newFrequencyWithSession draws a plan phrase that gives the session length
// too ("12x 1-hour treatments over 4 weeks").
func newFrequencyWithSession(r *rand.Rand) (*freqSpec, *sessionSpec) {
	w := pick(r, []int{4, 4, 6, 8})
	v := pick(r, []int{w * 2, w * 3, 12})
	lengths := []struct {
		text    string
		minutes int
	}{{"1-hour", 60}, {"60-minute", 60}, {"one-hour", 60}, {"45-minute", 45}, {"30-minute", 30}}
	l := pick(r, lengths)
	t := pick(r, []string{"%dx %s treatments over %s weeks", "%d x %s sessions over %s weeks", "%d %s visits over %s weeks"})
	f := &freqSpec{text: fmt.Sprintf(t, v, l.text, num(r, w, true)), visits: v, weeks: w, plan: true}
	return f, &sessionSpec{text: l.text, minutes: l.minutes, units: Units(l.minutes)}
}

// newOpenFrequency draws a frequency that is not a plan.
func newOpenFrequency(r *rand.Rand) *freqSpec {
	return &freqSpec{text: pick(r, []string{"PRN", "as needed", "prn", "2x/week", "weekly, ongoing", "1x/week thereafter", "as tolerated", "2-3x/week", "twice weekly until improved"})}
}

// prescription is the truth's prescription object.
func (c *content) prescription() Prescription {
	var p Prescription
	if !c.noPatient {
		p.Patient = &Patient{Name: c.patient.natural()}
		if !c.noDOB {
			p.Patient.DOB = c.patient.dob.Format(time.DateOnly)
		}
	}
	if !c.noDoctor {
		// Credentials as printed after the name (docs/interfaces.md), all of them
		// ("APRN, FNP-C"), without the dots of "M.D.".
		p.Prescriber = &Prescriber{Name: c.doctor.natural(), Credentials: strings.ReplaceAll(c.doctor.credPrinted, ".", "")}
		if !c.noNPI {
			p.Prescriber.NPI = c.doctor.npi
		}
	}
	if !c.noDate {
		p.Date = c.rxDate.Format(time.DateOnly)
	}
	for _, m := range c.modalities {
		p.Procedures = append(p.Procedures, Procedure{CPT: m.cpt, Text: m.text})
	}
	for _, d := range c.dx {
		p.Diagnoses = append(p.Diagnoses, Diagnosis{Code: d.code, Description: d.desc, Billable: d.billable})
	}
	var regions []string
	for _, a := range c.areas {
		p.AreasText = append(p.AreasText, a.text)
		for _, rg := range a.regions {
			if !slices.Contains(regions, rg) {
				regions = append(regions, rg)
			}
		}
	}
	for _, rg := range regionOrder {
		if slices.Contains(regions, rg) {
			p.Areas = append(p.Areas, rg)
		}
	}
	if s := c.session; s != nil {
		p.Session = &Session{Minutes: s.minutes, Units: s.units, Text: s.text}
	}
	if f := c.freq; f != nil && f.plan {
		p.Frequency = &Frequency{Visits: f.visits, Weeks: f.weeks, Text: f.text, Range: f.isRange}
	}
	p.MedicallyNecessary = c.necessity == necPrinted
	switch c.sig {
	case sigWet:
		p.Signature = Signature{Present: true, Kind: "wet"}
	case sigElectronic:
		p.Signature = Signature{Present: true, Kind: "electronic"}
	case sigTyped:
		p.Signature = Signature{Printed: "typed-name"}
	case sigBlank:
		p.Signature = Signature{Printed: "blank"}
	case sigStamp:
		p.Signature = Signature{Printed: "stamp"}
	}
	return p
}

// findings applies the rules of docs/rules.md (default payer) to the content.
func (c *content) findings(p Prescription) []Finding {
	var out []Finding
	add := func(holds bool, rule string) {
		if holds {
			out = append(out, Finding{Rule: rule, Severity: ruleSeverity[rule]})
		}
	}
	has97140 := slices.ContainsFunc(p.Procedures, func(pr Procedure) bool { return pr.CPT == "97140" })
	billable := !slices.ContainsFunc(p.Diagnoses, func(d Diagnosis) bool { return !d.Billable })
	npi := ""
	if p.Prescriber != nil {
		npi = p.Prescriber.NPI
	}
	add(len(p.Procedures) == 0, RuleModalityMissing)
	add(len(p.Procedures) > 0 && !has97140, RuleModalityUnspecific)
	add(len(p.Areas) == 0, RuleAreasMissing)
	add(len(p.Diagnoses) == 0, RuleDiagnosisMissing)
	add(!billable, RuleDiagnosisInvalid)
	add(len(p.Diagnoses) == 1, RuleDiagnosisSingle)
	add(p.Session == nil, RuleSessionMissing)
	add(p.Frequency == nil, RuleFrequencyMissing)
	add(!p.Signature.Present, RuleSignatureMissing)
	add(!p.MedicallyNecessary, RuleNecessityMissing)
	add(p.Patient == nil, RulePatientMissing)
	add(p.Prescriber == nil, RulePrescriberMissing)
	add(npi != "" && !ValidNPI(npi), RuleNPIInvalid)
	add(npi == "", RuleNPIMissing)
	add(p.Date == "", RuleDateMissing)
	add(p.Date != "" && expired(p.Date, c.received.Format(time.DateOnly)), RuleRxExpired)
	return out
}

// status follows from the findings.
func status(fs []Finding) string {
	for _, f := range fs {
		if f.Severity == SeverityError {
			return StatusNeedsCorrection
		}
	}
	return StatusComplete
}
