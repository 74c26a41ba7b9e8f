package corpus

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// pacificaEvalSeed is the seed of pacifica's evaluation set: its first 100
// documents hold every defect, handwriting and every layout.
const pacificaEvalSeed = 12

// TestPacificaHeldOut: pacifica is the held-out family, listed last, and its
// documents say so, the same from run to run.
func TestPacificaHeldOut(t *testing.T) {
	if !pacifica.heldOut || cascade.heldOut {
		t.Fatalf("pacifica held out %v, cascade held out %v", pacifica.heldOut, cascade.heldOut)
	}
	if wordingFamilies[len(wordingFamilies)-1] != pacifica {
		t.Errorf("the held-out family is not listed last")
	}
	if got := HeldOutFamilies(); !slices.Equal(got, []string{"pacifica"}) {
		t.Errorf("held-out families %v, want pacifica alone", got)
	}
	specs, err := EvalSpecsOf(16, 9, []string{"pacifica"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range specs {
		if textOnly(s.Media) && s.Media != MediaTextPDF || s.Layout == LayoutEmail {
			a, err := Generate(s)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := Generate(s)
			if !bytes.Equal(a.Data, b.Data) || !reflect.DeepEqual(a.Truth, b.Truth) {
				t.Errorf("%s: differs between runs", s.Name)
			}
			if a.Truth.Family != "pacifica" || !a.Truth.HeldOut {
				t.Errorf("%s: family %q held out %v", s.Name, a.Truth.Family, a.Truth.HeldOut)
			}
		}
	}
}

// TestPacificaTruthPrinted is TestTruthPrinted on many pacifica documents.
func TestPacificaTruthPrinted(t *testing.T) {
	specs, err := EvalSpecsOf(1500, 41, []string{"pacifica"})
	if err != nil {
		t.Fatal(err)
	}
	truthPrinted(t, specs)
}

// pacificaNumber reads a count in digits or in words.
func pacificaNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return slices.Index(numberWords, strings.ToLower(s))
}

var (
	// Tuesday, 11/03/2026 | 11/3/2026 | 11/3/26
	pacificaNumRe = regexp.MustCompile(`^(?:([A-Z][a-z]+day), )?(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$`)
	// 3-nov-2026 | 03/nov/2026 | 3-nov-26: the day first, the month in Spanish
	pacificaEsRe = regexp.MustCompile(`^(\d{1,2})([-/])(ene|feb|mar|abr|may|jun|jul|ago|sep|oct|nov|dic)([-/])(\d{2}|\d{4})$`)
	// NOV 3, 2026
	pacificaCapsRe = regexp.MustCompile(`^([A-Z]{3}) (\d{1,2}), (\d{4})$`)
)

var pacificaMonthsEs = []string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"}

// pacificaReadDate reads a date the way a person reads pacifica's dates:
// numeric ones month first, those with a Spanish month day first; a
// two-digit year is of this century up to '27.
func pacificaReadDate(s string) (time.Time, bool) {
	var wd, day, year string
	month := -1
	switch m := pacificaNumRe.FindStringSubmatch(s); {
	case m != nil:
		wd, day, year = m[1], m[3], m[4]
		month, _ = strconv.Atoi(m[2])
	default:
		if m := pacificaEsRe.FindStringSubmatch(s); m != nil && m[2] == m[4] {
			day, year = m[1], m[5]
			month = slices.Index(pacificaMonthsEs, m[3]) + 1
		} else if m := pacificaCapsRe.FindStringSubmatch(s); m != nil {
			day, year = m[2], m[3]
			for i, name := range piedmontMonthNames {
				if strings.HasPrefix(name, strings.ToLower(m[1])) {
					month = i + 1
				}
			}
		} else {
			return time.Time{}, false
		}
	}
	d, _ := strconv.Atoi(day)
	y, _ := strconv.Atoi(year)
	if len(year) == 2 {
		y += 1900
		if y < 1928 {
			y += 100
		}
	}
	if month < 1 || month > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	tm := time.Date(y, time.Month(month), d, 0, 0, 0, 0, time.UTC)
	if tm.Day() != d || wd != "" && wd != tm.Weekday().String() {
		return time.Time{}, false
	}
	return tm, true
}

// TestPacificaDates: every date layout of the family prints a date that
// reads back as the same day (weekdays right, Spanish months day first),
// and the e-signature time carries seconds.
func TestPacificaDates(t *testing.T) {
	want := map[string]bool{"Tuesday, 11/03/2026": true, "3-nov-2026": true, "NOV 3, 2026": true, "03/nov/2026": true,
		"11/3/2026": true, "11/03/2026": true, "11/3/26": true, "3-nov-26": true}
	day := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
	layouts := slices.Concat(pacifica.dateFmts, pacifica.dobFmts, pacifica.handFmts)
	for _, l := range layouts {
		if got := formatDate(day, l); !want[got] {
			t.Errorf("layout %q prints %q", l, got)
		}
	}
	months := map[string]bool{}
	for _, l := range layouts {
		for d := time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2028; d = d.AddDate(0, 0, 3) {
			s := formatDate(d, l)
			if got, ok := pacificaReadDate(s); !ok || !got.Equal(d) {
				t.Fatalf("layout %q: %s printed %q, read back %v %v", l, d.Format(time.DateOnly), s, got, ok)
			}
			if m := pacificaEsRe.FindStringSubmatch(s); m != nil {
				months[m[3]] = true
			}
		}
	}
	if len(months) != 12 {
		t.Errorf("Spanish months printed: %v", months)
	}
	if got := time.Date(2026, 11, 3, 15, 4, 0, 0, time.UTC).Format(pacifica.timeFmt); got != "15:04:00" {
		t.Errorf("e-signature time %q, want 15:04:00", got)
	}
}

// The family's plan shapes, read as a person reads them.
var (
	pacificaRates = map[string]int{
		"once a week": 1, "one visit per week": 1, "1x a week": 1, "1 visit/week": 1,
		"twice a week": 2, "two visits per week": 2, "2x a week": 2, "2 visits/week": 2, "2 times weekly": 2,
		"three times a week": 3, "three visits per week": 3, "3x a week": 3, "3 visits/week": 3, "3 times weekly": 3,
	}
	pacificaRateAlt = func() string {
		var rs []string
		for k := range pacificaRates {
			rs = append(rs, regexp.QuoteMeta(k))
		}
		sort.Slice(rs, func(i, j int) bool { return len(rs[i]) > len(rs[j]) })
		return "(" + strings.Join(rs, "|") + ")"
	}()
	// rate, weeks
	pacificaRatePlans = []*regexp.Regexp{
		regexp.MustCompile(`^` + pacificaRateAlt + ` (?:for the next|over the next|over|for) (\w+) (?:weeks|wks)$`),
		regexp.MustCompile(`^` + pacificaRateAlt + ` x(\d+) wks, then PRN$`),
		regexp.MustCompile(`^` + pacificaRateAlt + ` for (\d+) weeks, then as needed$`),
		regexp.MustCompile(`^` + pacificaRateAlt + ` for the next (\d+) weeks, \d+ minutes each$`),
	}
	pacificaMonthPlan = regexp.MustCompile(`^` + pacificaRateAlt + ` for (\d) months$`)
	pacificaTotals    = []*regexp.Regexp{ // visits, weeks
		regexp.MustCompile(`^(\d+) visits over (\d+) weeks$`),
		regexp.MustCompile(`^(\d+) sessions across (\d+) weeks$`),
		regexp.MustCompile(`^(\d+) visits authorized for a (\d+)-week period$`),
		regexp.MustCompile(`^up to (\d+) visits in (?:the next )?(\d+) weeks$`),
		regexp.MustCompile(`^(\d+) x \d+' visits over (\d+) weeks$`),
		regexp.MustCompile(`^(\d+) visits over (\d+) weeks \(up to \d units each\)$`),
	}
	pacificaWeeklyTail = regexp.MustCompile(`^weekly x(\d+),? then PRN$`)
	pacificaTwiceMonth = regexp.MustCompile(`^(?:twice a month for|2x a month x) (\w+) months$`)
	pacificaFortnight  = regexp.MustCompile(`^(?:once )?every 14 days (?:for|over) (\d+) weeks$`)
	pacificaPhases     = []*regexp.Regexp{ // first, middle, last phase: rate, weeks
		regexp.MustCompile(`^start ` + pacificaRateAlt + ` for (\d+) weeks?$`),
		regexp.MustCompile(`^taper to ` + pacificaRateAlt + ` for (\d+) more weeks?$`),
		regexp.MustCompile(`^then ` + pacificaRateAlt + ` for (\d+) more weeks?$`),
	}
	pacificaRanges = []struct {
		re   *regexp.Regexp
		read func(m []string) (int, int)
	}{
		{regexp.MustCompile(`^\d-(\d) visits a week for up to (\d+) weeks$`), func(m []string) (int, int) {
			return pacificaNumber(m[1]) * pacificaNumber(m[2]), pacificaNumber(m[2])
		}},
		{regexp.MustCompile(`^\d to (\d) times a week for the next (\d+) weeks$`), func(m []string) (int, int) {
			return pacificaNumber(m[1]) * pacificaNumber(m[2]), pacificaNumber(m[2])
		}},
		{regexp.MustCompile(`^\d-(\d)x a week (?:x|for) \d+-(\d+) (?:wks|weeks)$`), func(m []string) (int, int) {
			return pacificaNumber(m[1]) * pacificaNumber(m[2]), pacificaNumber(m[2])
		}},
		{regexp.MustCompile(`^\d+-(\d+) visits over (\d+) weeks$`), func(m []string) (int, int) { return pacificaNumber(m[1]), pacificaNumber(m[2]) }},
	}
)

// pacificaReadPlan reads a plan's visits and weeks from its text (a plan
// with an open tail for its plan, ranges at the upper bound); ok is false
// for a shape the reader does not know.
func pacificaReadPlan(text string) (visits, weeks int, ok bool) {
	for _, g := range pacificaRanges {
		if m := g.re.FindStringSubmatch(text); m != nil {
			v, w := g.read(m)
			return v, w, true
		}
	}
	for _, re := range pacificaRatePlans {
		if m := re.FindStringSubmatch(text); m != nil {
			w := pacificaNumber(m[2])
			return pacificaRates[m[1]] * w, w, w > 0
		}
	}
	if m := pacificaMonthPlan.FindStringSubmatch(text); m != nil {
		w := 4 * pacificaNumber(m[2])
		return pacificaRates[m[1]] * w, w, w > 0
	}
	for _, re := range pacificaTotals {
		if m := re.FindStringSubmatch(text); m != nil {
			return pacificaNumber(m[1]), pacificaNumber(m[2]), true
		}
	}
	if m := pacificaWeeklyTail.FindStringSubmatch(text); m != nil {
		w := pacificaNumber(m[1])
		return w, w, w > 0
	}
	if m := pacificaTwiceMonth.FindStringSubmatch(text); m != nil {
		mo := pacificaNumber(m[1])
		return 2 * mo, 4 * mo, mo > 0
	}
	if m := pacificaFortnight.FindStringSubmatch(text); m != nil {
		w := pacificaNumber(m[1])
		return w / 2, w, w > 0 && w%2 == 0
	}
	parts := strings.Split(text, ", ")
	if len(parts) < 2 {
		return 0, 0, false
	}
	for i, part := range parts {
		re := pacificaPhases[1]
		switch {
		case i == 0:
			re = pacificaPhases[0]
		case i == len(parts)-1 && len(parts) > 2:
			re = pacificaPhases[2]
		}
		m := re.FindStringSubmatch(part)
		if m == nil {
			return 0, 0, false
		}
		n, w := pacificaRates[m[1]], pacificaNumber(m[2])
		if n <= 0 || w <= 0 {
			return 0, 0, false
		}
		visits += n * w
		weeks += w
	}
	return visits, weeks, true
}

// TestPacificaPlans draws many plans, prose and not, and checks each one's
// totals against what its text says.
func TestPacificaPlans(t *testing.T) {
	seen := map[string]bool{}
	for seed := uint64(1); seed <= 6000; seed++ {
		r := rand.New(rand.NewPCG(seed, 17))
		prose := seed%2 == 0
		f := pacificaFreq(r, prose)
		if f.text == "" {
			var s *sessionSpec
			f, s = pacificaFreqSession(r)
			if !strings.Contains(f.text, s.text) || s.minutes > 0 && s.units != Units(s.minutes) || pacificaMinutes(s.text) != s.minutes {
				t.Errorf("%q: session %+v", f.text, s)
			}
			if m := regexp.MustCompile(`(\d+) units`).FindStringSubmatch(s.text); m != nil && pacificaNumber(m[1]) != s.units {
				t.Errorf("%q: %d units in the truth", f.text, s.units)
			}
			seen["with-session"] = true
		}
		if !f.plan || f.visits <= 0 || f.weeks <= 0 || f.visits > 3*f.weeks {
			t.Errorf("%q: %+v", f.text, f)
			continue
		}
		if f.perWeek != "" && (!strings.Contains(f.text, f.perWeek) || !strings.Contains(f.text, f.duration) ||
			pacificaRates[f.perWeek]*f.weeks != f.visits) {
			t.Errorf("%q: split %q / %q, %d visits over %d weeks", f.text, f.perWeek, f.duration, f.visits, f.weeks)
		}
		v, w, ok := pacificaReadPlan(f.text)
		if !ok {
			t.Errorf("%q: a shape the test does not read", f.text)
			continue
		}
		if v != f.visits || w != f.weeks {
			t.Errorf("%q: reads %d visits over %d weeks, truth %d over %d", f.text, v, w, f.visits, f.weeks)
		}
		if f.isRange != (regexp.MustCompile(`\d(?:-| to )\d`).MatchString(f.text)) {
			t.Errorf("%q: range %v", f.text, f.isRange)
		}
		switch {
		case f.isRange:
			seen["range"] = true
		case strings.HasPrefix(f.text, "start "):
			seen["taper"] = true
		case strings.Contains(f.text, "PRN") || strings.Contains(f.text, "as needed"):
			seen["open tail"] = true
		case strings.HasPrefix(f.text, "weekly x"):
			seen["weekly xN"] = true
		case strings.Contains(f.text, "month"):
			seen["months"] = true
		case strings.Contains(f.text, "14 days"):
			seen["every 14 days"] = true
		case strings.HasPrefix(f.text, "up to"):
			seen["up to"] = true
		case strings.Contains(f.text, "visits over") || strings.Contains(f.text, "across") || strings.Contains(f.text, "authorized"):
			seen["totals"] = true
		case strings.Contains(f.text, "for the next") || strings.Contains(f.text, "over the next"):
			seen["next weeks"] = true
		}
		if pacificaWeeklyTail.MatchString(f.text) {
			seen["weekly xN then PRN"] = true
		}
	}
	for _, k := range []string{"range", "taper", "open tail", "weekly xN then PRN", "months", "every 14 days", "up to", "totals", "next weeks", "with-session"} {
		if !seen[k] {
			t.Errorf("no %s plan drawn", k)
		}
	}
	// An open frequency names no end.
	for _, o := range pacifica.open {
		if _, _, ok := pacificaReadPlan(o); ok || regexp.MustCompile(`\d+ (?:weeks|wks|months)|x\d|visits`).MatchString(o) {
			t.Errorf("open frequency %q reads as a plan", o)
		}
	}
	if v, w, ok := pacificaReadPlan("weekly x6 then PRN"); !ok || v != 6 || w != 6 {
		t.Errorf("weekly x6 then PRN: %d visits over %d weeks, %v", v, w, ok)
	}
}

// pacificaMinutes reads a session length in minutes; 0 for units alone.
func pacificaMinutes(s string) int {
	for _, re := range []*regexp.Regexp{regexp.MustCompile(`(\d+)'`), regexp.MustCompile(`(\d+)(?:-minute| minutes\b| min\))`)} {
		if m := re.FindStringSubmatch(s); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	switch {
	case strings.Contains(s, "1.5 hour"):
		return 90
	case strings.Contains(s, "1 hr") || strings.Contains(s, "1 hour"):
		return 60
	}
	return 0
}

// TestPacificaSessions: every session length states its minutes (or units)
// and the truth's units follow the 8-minute rule.
func TestPacificaSessions(t *testing.T) {
	seen := map[string]bool{}
	for seed := uint64(1); seed <= 3000; seed++ {
		s := pacifica.newSession(rand.New(rand.NewPCG(seed, 5)))
		seen[s.text] = true
		if got := pacificaMinutes(s.text); got != s.minutes {
			t.Errorf("%q: reads %d minutes, truth %d", s.text, got, s.minutes)
		}
		if s.minutes > 0 && s.units != Units(s.minutes) || s.units <= 0 {
			t.Errorf("%q: %d minutes, %d units", s.text, s.minutes, s.units)
		}
		if m := regexp.MustCompile(`(\d+) units`).FindStringSubmatch(s.text); m != nil {
			if n, _ := strconv.Atoi(m[1]); n != s.units {
				t.Errorf("%q: %d units in the truth", s.text, s.units)
			}
		}
	}
	if Units(75) != 5 {
		t.Errorf("8-minute rule: 75 min %d units", Units(75))
	}
	for _, want := range []string{"60'", "60' sessions", "45'", "90' (6 units)", "up to 4 units", "up to 2 units", "4 units (1 hour)", "1.5 hour visit", "75 minutes"} {
		if !seen[want] {
			t.Errorf("session %q never drawn", want)
		}
	}
}

// pacificaPools are the family's name pools.
func pacificaPools() [][]string {
	return [][]string{pacifica.female, pacifica.male, pacifica.docFirst, pacifica.staff, pacifica.last, pacifica.docLast}
}

// TestPacificaNames: the pools print (Latin-1 and the okina as a left
// quotation mark, which WinAnsi and the fonts carry), begin and end with a
// plain letter, and names with okinas, accents, particles, hyphens and two
// surnames keep them in the truth, on the page and in a text PDF.
func TestPacificaNames(t *testing.T) {
	kinds := map[string]int{}
	for _, l := range pacificaPools() {
		for _, n := range l {
			first, _ := utf8.DecodeRuneInString(n)
			last, _ := utf8.DecodeLastRuneInString(n)
			if first >= 0x80 || last >= 0x80 {
				t.Errorf("%q: begins or ends with an accented letter", n)
			}
			for _, r := range n {
				if r != '‘' && (r < 0x20 || r > 0xff || r >= 0x7f && r < 0xa0) {
					t.Errorf("%q: %q does not print", n, r)
				}
			}
			if strings.Contains(pdfString(n), "?") {
				t.Errorf("%q: a text PDF prints %s", n, pdfString(n))
			}
			switch {
			case strings.ContainsRune(n, '‘'):
				kinds["okina"]++
			case strings.ContainsFunc(n, func(r rune) bool { return r >= 0xc0 }):
				kinds["accent"]++
			}
		}
	}
	for _, l := range [][]string{pacifica.last, pacifica.docLast} {
		for _, n := range l {
			if len(n) < 4 {
				t.Errorf("%q: a last name short enough to be a word", n)
			}
		}
	}
	if kinds["okina"] < 5 || kinds["accent"] < 10 {
		t.Errorf("names with an okina %d, with accents %d", kinds["okina"], kinds["accent"])
	}
	// Every letter of the pools has a glyph in every typeface, printed and
	// hand: none is drawn as "?".
	for _, hand := range HandFonts() {
		fs, err := newFontSet("Liberation Sans", hand)
		if err != nil {
			t.Fatal(err)
		}
		for _, printed := range Fonts() {
			pf, err := newFontSet(printed, hand)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range pacificaPools() {
				for _, n := range l {
					for _, r := range n {
						for _, ro := range []role{roleRegular, roleBold, roleHand} {
							set := pf
							if ro == roleHand {
								set = fs
							}
							f, x := set.glyph(ro, r)
							if q, qx := set.glyph(ro, '?'); f == q && x == qx {
								t.Errorf("%s / %s role %d: no glyph for %q of %q", printed, hand, ro, r, n)
							}
						}
					}
				}
			}
		}
	}
	seen := map[string]int{}
	for seed := uint64(1); seed <= 400; seed++ {
		s := Spec{Seed: seed, Layout: LayoutLetter, Media: MediaText, Family: "pacifica"}
		g, sheets, err := compose(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		c := g.c
		p := c.prescription()
		text := strings.ToLower(sheetText(sheets))
		for _, who := range []struct{ name, last string }{{p.Patient.Name, c.patient.last}, {p.Prescriber.Name, c.doctor.last}} {
			kind := ""
			switch {
			case strings.ContainsRune(who.last, '‘'):
				kind = "okina"
			case strings.ContainsFunc(who.last, func(r rune) bool { return r >= 0xc0 }):
				kind = "accent"
			case strings.ContainsAny(who.last, " -"):
				kind = "particle, hyphen or two surnames"
			default:
				continue
			}
			seen[kind]++
			if !strings.Contains(who.name, " "+who.last) || !strings.Contains(text, strings.ToLower(who.last)) {
				t.Errorf("seed %d: %q (truth %q) not kept as printed", seed, who.last, who.name)
			}
		}
	}
	for _, k := range []string{"okina", "accent", "particle, hyphen or two surnames"} {
		if seen[k] < 15 {
			t.Errorf("only %d names with %s", seen[k], k)
		}
	}
}

// TestPacificaCredentials: the truth's credentials are the printed ones
// without dots, a fellowship after a space and an LAc alongside included.
func TestPacificaCredentials(t *testing.T) {
	for printed, want := range map[string]string{"MD FACP": "MD FACP", "D.C., QME": "DC, QME", "DNP, FNP-BC": "DNP, FNP-BC", "MD, LAc": "MD, LAc",
		"D.O.": "DO", "MMS, PA-C": "MMS, PA-C", "NP-C": "NP-C", "WHNP-BC": "WHNP-BC", "DNP": "DNP"} {
		c := &content{doctor: doctor{person: person{first: "Kehau", last: "Kamaka‘ala"}, credPrinted: printed, npi: "1234567893"}}
		p := c.prescription()
		if p.Prescriber.Credentials != want || p.Prescriber.Name != "Kehau Kamaka‘ala" {
			t.Errorf("%q: truth %+v", printed, p.Prescriber)
		}
	}
}

// TestPacificaWording: the family's own wording is what its documents
// print: its bilingual labels, titles, diagnosis lines, e-signature
// statements and letter sentences, and not another family's.
func TestPacificaWording(t *testing.T) {
	want := map[string]*regexp.Regexp{
		"bilingual label": regexp.MustCompile(`Paciente / Patient:|Fecha / Date|Médico / Physician:|Servicio / Service|Frecuencia / Frequency|Diagnóstico / Diagnosis`),
		"patient label":   regexp.MustCompile(`Paciente / Patient|Member name|Patient name / Nombre`),
		"freq label":      regexp.MustCompile(`# visits / frequency|Frecuencia / Frequency|Visits requested|Requested:`),
		"form title":      regexp.MustCompile(`(?i)HMO REFERRAL / AUTHORIZATION|Prior Authorization Form|SOLICITUD DE REFERIDO|Ancillary Services Authorization|Sports Medicine Therapy Referral`),
		"ehr title":       regexp.MustCompile(`(?i)Telehealth Visit Summary|After Visit Summary|Referral \(Outgoing\)|Virtual Visit \| Orders`),
		"e-signature":     regexp.MustCompile(`(?i)Signed by: .* Signed on:|has been electronically signed by|Firmado electrónicamente|finalized and signed by|has e-signed this referral`),
		"time in seconds": regexp.MustCompile(`\b[0-2]\d:[0-5]\d:00\b`),
		"dx line":         regexp.MustCompile(`[A-Z]\d\d\.[0-9A-Z]+ — |\[[A-Z]\d\d\.[0-9A-Z]+\]|ICD-10 [A-Z]\d\d\.[0-9A-Z]+: `),
		"letter sentence": regexp.MustCompile(`(?i)I saw .* at a recent|requesting authorization for|would benefit from|is referring|On behalf of|Our office is sending`),
		"necessity":       regexp.MustCompile(`(?i)Sí / Yes|per plan criteria|reliance on pain medication|see visit note`),
		"spanish date":    regexp.MustCompile(`\b\d{1,2}[-/](?:ene|feb|mar|abr|may|jun|jul|ago|sep|oct|nov|dic)[-/]\d{2,4}\b`),
		"servicing":       regexp.MustCompile(`Servicing provider|Refer to \(servicing\)|servicing provider`),
		"auth":            regexp.MustCompile(`Auth #:`),
	}
	foreign := regexp.MustCompile(`y'all|Beneficiary:|Injured person:|Client:|/52|fortnight|Person served|Pt name:|Freq/Dur:|\[E-SIGNED\]|Authenticated by`)
	seen := map[string]int{}
	for seed := uint64(1); seed <= 120; seed++ {
		for _, l := range Layouts {
			m := mediaFor[l][0]
			s := Spec{Seed: seed, Layout: l, Media: m, Family: "pacifica"}
			_, sheets, err := compose(s, nil)
			if err != nil {
				t.Fatalf("%v: %v", s, err)
			}
			text := strings.Join(strings.Fields(sheetText(sheets)), " ")
			for k, re := range want {
				if re.MatchString(text) {
					seen[k]++
				}
			}
			if f := foreign.FindString(text); f != "" {
				t.Errorf("%v: another family's wording %q\n%s", s, f, text)
			}
		}
	}
	for k := range want {
		if seen[k] < 5 {
			t.Errorf("%s: in %d documents of 600", k, seen[k])
		}
	}
}

// TestPacificaPages: the parts of pacifica's pages other families lack are
// on the page: a form's authorisation block, an EHR page's visit line and
// two-column table, and signatures in the right half or above the order,
// all on the paper.
func TestPacificaPages(t *testing.T) {
	seen := map[string]int{}
	for seed := uint64(1); seed <= 160; seed++ {
		for _, l := range []Layout{LayoutRxPad, LayoutForm, LayoutEHR, LayoutLetter} {
			s := Spec{Seed: seed, Layout: l, Media: MediaFaxFine, Family: "pacifica"}
			if l == LayoutEHR || l == LayoutLetter {
				s.Media = MediaTextPDF
			}
			g, sheets, err := compose(s, nil)
			if err != nil {
				t.Fatal(err)
			}
			blocks := sheets[0].blocks
			sig := slices.IndexFunc(blocks, func(b block) bool { return b.kind == blockSign })
			mod := slices.IndexFunc(blocks, func(b block) bool {
				return slices.ContainsFunc(pacifica.lModality, func(lab string) bool {
					return strings.HasPrefix(b.text, strings.TrimSuffix(lab, ":")) || len(b.cells) > 0 && b.cells[0].label == lab ||
						len(b.cells) > 0 && b.cells[0].label == strings.TrimSuffix(lab, ":")
				})
			})
			switch {
			case sig < 0:
				t.Fatalf("%v: no signature", s)
			case blocks[sig].indent > 0:
				seen[string(l)+" right"]++
			case mod >= 0 && sig < mod:
				seen[string(l)+" top"]++
				if l != LayoutForm && l != LayoutEHR {
					t.Errorf("%v: the signature above the order", s)
				}
			default:
				seen[string(l)+" end"]++
			}
			// Everything stays on the paper.
			for _, p := range flow(sheets, g.fs) {
				for _, it := range p.items {
					right := it.x
					if it.kind == itemText {
						right += g.fs.measure(it.role, it.size, it.text)
					}
					if it.kind == itemLine {
						right = max(it.x, it.x2)
					}
					if right > pageW-10 {
						t.Errorf("%v: %q runs off the page (%.0f pt)", s, it.text, right)
					}
				}
			}
			text := sheetText(sheets)
			switch l {
			case LayoutForm:
				if strings.Contains(text, "Auth #:") && regexp.MustCompile(`Health plan:|Plan / Seguro:`).MatchString(text) &&
					strings.Contains(text, g.c.clinic.name) {
					seen["auth block"]++
				}
			case LayoutEHR:
				if slices.ContainsFunc(pacifica.ehrNotes, func(n string) bool { return strings.Contains(text, n) }) {
					seen["visit line"]++
				}
				if slices.ContainsFunc(blocks, func(b block) bool { return b.kind == blockRow && len(b.cells) == 1 && b.cells[0].labelRole == roleBold }) {
					seen["table"]++
				}
			}
		}
	}
	for _, k := range []string{"rxpad right", "rxpad end", "form right", "form top", "form end", "ehr right", "ehr top", "ehr end",
		"letter right", "letter end"} {
		if seen[k] < 5 {
			t.Errorf("signature %s: %d of 160", k, seen[k])
		}
	}
	for _, k := range []string{"auth block", "visit line", "table"} {
		if seen[k] != 160 {
			t.Errorf("%s: %d of 160", k, seen[k])
		}
	}
}

// TestPacificaVariants: the family's evaluation set of 100 documents holds
// complete documents and every defect, handwriting, faxes, photos, scans and
// emails, every layout, and each truth reports what its defects take away.
func TestPacificaVariants(t *testing.T) {
	specs, err := EvalSpecsOf(100, pacificaEvalSeed, []string{"pacifica"})
	if err != nil {
		t.Fatal(err)
	}
	layouts, defects, media := map[Layout]int{}, map[Defect]int{}, map[string]int{}
	complete, hand := 0, 0
	for _, s := range specs {
		layouts[s.Layout]++
		switch s.Media {
		case MediaFaxFine, MediaFaxStandard, MediaFaxPDF, MediaFaxEmail:
			media["fax"]++
		case MediaPhotoJPEG:
			media["photo"]++
		case MediaScanPNG, MediaScanPDF, MediaScanEmail:
			media["scan"]++
		case MediaPlainEmail, MediaHTMLEmail:
			media["email"]++
		default:
			media["text"]++
		}
		if s.Tier == TierHandwriting {
			hand++
		}
		g, _, err := compose(s, nil)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		p := g.c.prescription()
		fs := g.c.findings(p)
		tr := Truth{Status: status(fs), Prescription: p, Findings: fs, AsOf: g.c.received.Format(time.DateOnly)}
		if err := tr.Check(); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
		if len(s.Defects) == 0 {
			complete++
			if tr.Status != "complete" {
				t.Errorf("%s: no defect, status %s %v", s.Name, tr.Status, tr.Rules())
			}
		}
		for _, d := range s.Defects {
			defects[d]++
			if !slices.Contains(tr.Rules(), cascadeDefectRule[d]) {
				t.Errorf("%s: defect %s, rules %v", s.Name, d, tr.Rules())
			}
		}
	}
	if complete != 50 || hand < 5 {
		t.Errorf("%d complete, %d handwritten", complete, hand)
	}
	for _, l := range Layouts {
		if layouts[l] < 8 {
			t.Errorf("layout %s: %d documents", l, layouts[l])
		}
	}
	for _, d := range evalDefects {
		if defects[d.v] == 0 {
			t.Errorf("no document with defect %s", d.v)
		}
	}
	for _, m := range []string{"fax", "photo", "scan", "email", "text"} {
		if media[m] == 0 {
			t.Errorf("no %s document", m)
		}
	}
}
