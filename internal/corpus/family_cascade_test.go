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

// cascadeEvalSeed is the seed of cascade's evaluation set: its first 100
// documents hold every defect, handwriting and every layout.
const cascadeEvalSeed = 11

// TestCascadeNoLongerHeldOut: cascade is an own family now that pacifica
// is held out; its documents say so, the same from run to run.
func TestCascadeNoLongerHeldOut(t *testing.T) {
	if cascade.heldOut || !pacifica.heldOut {
		t.Fatalf("cascade held out %v, pacifica held out %v", cascade.heldOut, pacifica.heldOut)
	}
	specs, err := EvalSpecsOf(16, 9, []string{"cascade"})
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
			if a.Truth.Family != "cascade" || a.Truth.HeldOut {
				t.Errorf("%s: family %q held out %v", s.Name, a.Truth.Family, a.Truth.HeldOut)
			}
		}
	}
}

// TestCascadeTruthPrinted is TestTruthPrinted on many cascade documents.
func TestCascadeTruthPrinted(t *testing.T) {
	specs, err := EvalSpecsOf(1500, 37, []string{"cascade"})
	if err != nil {
		t.Fatal(err)
	}
	truthPrinted(t, specs)
}

// cascadeNumber reads a count in digits or in words.
func cascadeNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return slices.Index(numberWords, strings.ToLower(s))
}

var (
	// Nov 03, 2026 | NOV 03 2026 | November 3rd 2026 | Tue Nov 3 2026
	cascadeLongRe = regexp.MustCompile(`^(?:([A-Z][a-z]{2}) )?([A-Za-z]+) (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$`)
	// 11/3/2026 (Tue) | 11/03/2026 | 11/3/26 | 11-3-26
	cascadeNumRe = regexp.MustCompile(`^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})(?: \(([A-Z][a-z]{2})\))?$`)
)

// cascadeReadDate reads a month-first US date the way a person reads
// cascade's dates; a two-digit year is of this century up to '27.
func cascadeReadDate(s string) (time.Time, bool) {
	var wd, mon, day, year string
	if m := cascadeLongRe.FindStringSubmatch(s); m != nil {
		wd, mon, day, year = m[1], m[2], m[3], m[4]
	} else if m := cascadeNumRe.FindStringSubmatch(s); m != nil {
		mon, day, year, wd = m[1], m[2], m[3], m[4]
	} else {
		return time.Time{}, false
	}
	month, err := strconv.Atoi(mon)
	if err != nil {
		month = -1
		for i, name := range piedmontMonthNames {
			l := strings.ToLower(mon)
			if l == name || len(l) == 3 && strings.HasPrefix(name, l) {
				month = i + 1
			}
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
	if tm.Day() != d || wd != "" && wd != tm.Weekday().String()[:3] {
		return time.Time{}, false
	}
	return tm, true
}

// TestCascadeDates: every date layout of the family prints a month-first
// US date (weekdays and ordinals right) that reads back as the same day.
func TestCascadeDates(t *testing.T) {
	want := map[string]bool{"Nov 03, 2026": true, "NOV 03 2026": true, "11/3/2026 (Tue)": true, "November 3rd 2026": true,
		"11/03/2026": true, "Tue Nov 3 2026": true, "11/3/2026": true, "11/3/26": true, "11/03/26": true, "11-3-26": true}
	day := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
	layouts := slices.Concat(cascade.dateFmts, cascade.dobFmts, cascade.handFmts)
	for _, l := range layouts {
		if got := formatDate(day, l); !want[got] {
			t.Errorf("layout %q prints %q", l, got)
		}
	}
	for _, l := range layouts {
		for d := time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2028; d = d.AddDate(0, 0, 3) {
			s := formatDate(d, l)
			if got, ok := cascadeReadDate(s); !ok || !got.Equal(d) {
				t.Fatalf("layout %q: %s printed %q, read back %v %v", l, d.Format(time.DateOnly), s, got, ok)
			}
		}
	}
	if got := sigTimeText(time.Date(2026, 11, 3, 15, 4, 0, 0, time.UTC)); got != "1504 hrs" {
		t.Errorf("e-signature time %q, want 1504 hrs", got)
	}
}

func sigTimeText(t time.Time) string { return t.Format(cascade.timeFmt) }

// The family's plan shapes, read as a person reads them.
var (
	cascadeRates = map[string]int{
		"once a week": 1, "one time per week": 1, "1x weekly": 1, "1/wk": 1, "q.w.": 1, "1 time/week": 1,
		"twice a week": 2, "two times per week": 2, "2x weekly": 2, "2/wk": 2, "b.i.w.": 2, "2 times/week": 2,
		"three times a week": 3, "three times per week": 3, "3x weekly": 3, "3/wk": 3, "t.i.w.": 3, "3 times/week": 3,
	}
	cascadeRateAlt = func() string {
		var rs []string
		for k := range cascadeRates {
			rs = append(rs, regexp.QuoteMeta(k))
		}
		sort.Slice(rs, func(i, j int) bool { return len(rs[i]) > len(rs[j]) })
		return strings.Join(rs, "|")
	}()
	cascadeRatePlan = regexp.MustCompile(`^(` + cascadeRateAlt + `) (?:x|for) (\d+) (?:wks?|weeks)$`)
	cascadeWordPlan = regexp.MustCompile(`^(` + cascadeRateAlt + `) for (\w+) \((\d+)\) weeks?$`)
	cascadeMonthsRe = regexp.MustCompile(`^(` + cascadeRateAlt + `) (?:x (\d) mo|for (\d) months?)$`)
	cascadeTotals   = []*regexp.Regexp{ // visits, weeks
		regexp.MustCompile(`^(\d+) visits authorized over (\d+) weeks$`),
		regexp.MustCompile(`^Auth: (\d+) visits / (\d+) wks$`),
		regexp.MustCompile(`^(\d+) visits approved, to be used within (\d+) weeks$`),
		regexp.MustCompile(`^(\d+) visits \(\d units each\) over (\d+) weeks$`),
	}
	cascadeEOW      = regexp.MustCompile(`^(?:q\.2 wks x|every 2 weeks x|every two weeks for) (\d+) (?:wks|weeks)$`)
	cascadeSessRate = []*regexp.Regexp{ // rate, weeks
		regexp.MustCompile(`^(\d)x weekly x (\d+) wks @ (?:\d+ min|1\.0 hr)$`),
		regexp.MustCompile(`^\d\.\d+ hr sessions (\d)/wk x (\d+) wk$`),
	}
	cascadePhases = []*regexp.Regexp{ // rate, weeks (or first and last week)
		regexp.MustCompile(`^(\d)x/wk \(wks? (\d+)(?:-(\d+))?\)$`),
		regexp.MustCompile(`^(\d)/wk x (\d+) wk$`),
		regexp.MustCompile(`^(one time|two times|three times) per week for (\d+) weeks?$`),
	}
	cascadeRanges = []struct {
		re   *regexp.Regexp
		read func(m []string) (int, int)
	}{
		{regexp.MustCompile(`^two to three times per week for (\d+) weeks$`), func(m []string) (int, int) { return 3 * cascadeNumber(m[1]), cascadeNumber(m[1]) }},
		{regexp.MustCompile(`^(\d) to (\d) times per week for (\d+) to (\d+) weeks$`), func(m []string) (int, int) {
			return cascadeNumber(m[2]) * cascadeNumber(m[4]), cascadeNumber(m[4])
		}},
		{regexp.MustCompile(`^(\d)-(\d)/wk x (\d+) wk$`), func(m []string) (int, int) { return cascadeNumber(m[2]) * cascadeNumber(m[3]), cascadeNumber(m[3]) }},
		{regexp.MustCompile(`^(\d)-(\d)x weekly x (\d+)-(\d+) wks$`), func(m []string) (int, int) {
			return cascadeNumber(m[2]) * cascadeNumber(m[4]), cascadeNumber(m[4])
		}},
		{regexp.MustCompile(`^b\.i\.w\.-t\.i\.w\. x (\d+) wks$`), func(m []string) (int, int) { return 3 * cascadeNumber(m[1]), cascadeNumber(m[1]) }},
	}
)

// cascadeReadPlan reads a plan's visits and weeks from its text; ok is
// false for a shape the reader does not know.
func cascadeReadPlan(text string) (visits, weeks int, ok bool) {
	for _, g := range cascadeRanges {
		if m := g.re.FindStringSubmatch(text); m != nil {
			v, w := g.read(m)
			return v, w, true
		}
	}
	if m := cascadeRatePlan.FindStringSubmatch(text); m != nil {
		w := cascadeNumber(m[2])
		return cascadeRates[m[1]] * w, w, w > 0
	}
	if m := cascadeWordPlan.FindStringSubmatch(text); m != nil {
		w := cascadeNumber(m[3])
		return cascadeRates[m[1]] * w, w, w > 0 && cascadeNumber(m[2]) == w
	}
	if m := cascadeMonthsRe.FindStringSubmatch(text); m != nil {
		w := 4 * cascadeNumber(m[2]+m[3])
		return cascadeRates[m[1]] * w, w, w > 0
	}
	for _, re := range cascadeTotals {
		if m := re.FindStringSubmatch(text); m != nil {
			return cascadeNumber(m[1]), cascadeNumber(m[2]), true
		}
	}
	if m := cascadeEOW.FindStringSubmatch(text); m != nil {
		w := cascadeNumber(m[1])
		return w / 2, w, w > 0 && w%2 == 0
	}
	for _, re := range cascadeSessRate {
		if m := re.FindStringSubmatch(text); m != nil {
			n, w := cascadeNumber(m[1]), cascadeNumber(m[2])
			return n * w, w, n > 0 && w > 0
		}
	}
	var parts []string
	for _, sep := range []string{", then ", " -> ", ", "} {
		if parts = strings.Split(text, sep); len(parts) > 1 {
			break
		}
	}
	if len(parts) < 2 {
		return 0, 0, false
	}
	next := 1 // the first week of the next phase, where weeks are numbered
	for _, part := range parts {
		read := false
		for _, re := range cascadePhases {
			m := re.FindStringSubmatch(part)
			if m == nil {
				continue
			}
			n := cascadeNumber(m[1])
			if r, ok := map[string]int{"one time": 1, "two times": 2, "three times": 3}[m[1]]; ok {
				n = r
			}
			w := cascadeNumber(m[2])
			if len(m) > 3 { // numbered weeks: "wks 4-6" or "wk 1"
				if w != next {
					return 0, 0, false
				}
				last := w
				if m[3] != "" {
					last = cascadeNumber(m[3])
				}
				w = last - w + 1
			}
			if n <= 0 || w <= 0 {
				return 0, 0, false
			}
			visits += n * w
			weeks += w
			next += w
			read = true
			break
		}
		if !read {
			return 0, 0, false
		}
	}
	return visits, weeks, true
}

// TestCascadePlans draws many plans, prose and not, and checks each one's
// totals against what its text says.
func TestCascadePlans(t *testing.T) {
	seen := map[string]bool{}
	for seed := uint64(1); seed <= 6000; seed++ {
		r := rand.New(rand.NewPCG(seed, 17))
		prose := seed%2 == 0
		f := cascadeFreq(r, prose)
		if f.text == "" {
			var s *sessionSpec
			f, s = cascadeFreqSession(r)
			if !strings.Contains(f.text, s.text) || s.minutes > 0 && s.units != Units(s.minutes) || cascadeMinutes(s.text) != s.minutes {
				t.Errorf("%q: session %+v", f.text, s)
			}
			if m := regexp.MustCompile(`(\d+) units`).FindStringSubmatch(s.text); m != nil && cascadeNumber(m[1]) != s.units {
				t.Errorf("%q: %d units in the truth", f.text, s.units)
			}
			seen["with-session"] = true
		}
		if !f.plan || f.visits <= 0 || f.weeks <= 0 || f.visits > 3*f.weeks {
			t.Errorf("%q: %+v", f.text, f)
			continue
		}
		if f.perWeek != "" && (!strings.Contains(f.text, f.perWeek) || !strings.Contains(f.text, f.duration) ||
			cascadeRates[f.perWeek]*f.weeks != f.visits) {
			t.Errorf("%q: split %q / %q, %d visits over %d weeks", f.text, f.perWeek, f.duration, f.visits, f.weeks)
		}
		v, w, ok := cascadeReadPlan(f.text)
		if !ok {
			t.Errorf("%q: a shape the test does not read", f.text)
			continue
		}
		if v != f.visits || w != f.weeks {
			t.Errorf("%q: reads %d visits over %d weeks, truth %d over %d", f.text, v, w, f.visits, f.weeks)
		}
		switch {
		case f.isRange:
			seen["range"] = true
		case strings.Contains(f.text, " -> "):
			seen["arrow taper"] = true
		case strings.Contains(f.text, "(wk"):
			seen["numbered taper"] = true
		case strings.Contains(f.text, ", then "):
			seen["taper"] = true
		case strings.Contains(f.text, "every") || strings.Contains(f.text, "q.2"):
			seen["every other week"] = true
		case strings.Contains(f.text, " mo"):
			seen["months"] = true
		case strings.Contains(f.text, "uth") || strings.Contains(f.text, "approved"):
			seen["authorized"] = true
		case strings.Contains(f.text, "b.i.w.") || strings.Contains(f.text, "t.i.w.") || strings.Contains(f.text, "q.w."):
			seen["latin"] = true
		}
	}
	for _, k := range []string{"range", "arrow taper", "numbered taper", "taper", "every other week", "months", "authorized", "latin", "with-session"} {
		if !seen[k] {
			t.Errorf("no %s plan drawn", k)
		}
	}
	// An open frequency names no end.
	for _, o := range cascade.open {
		if _, _, ok := cascadeReadPlan(o); ok || regexp.MustCompile(`weeks|wks|months|mo\b|visits`).MatchString(o) {
			t.Errorf("open frequency %q reads as a plan", o)
		}
	}
}

// cascadeMinutes reads a session length in minutes; 0 for units alone.
func cascadeMinutes(s string) int {
	// Units of a quarter-hour name no length of their own.
	s = regexp.MustCompile(`15 min each|15-min units`).ReplaceAllString(s, "units")
	if m := regexp.MustCompile(`(\d+)(?:-minute\b| min\b| minutes\b)`).FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	if m := regexp.MustCompile(`(\d+\.\d+) hrs?\b`).FindStringSubmatch(s); m != nil {
		h, _ := strconv.ParseFloat(m[1], 64)
		return int(h * 60)
	}
	if strings.Contains(s, "one (1) hour") {
		return 60
	}
	return 0
}

// TestCascadeSessions: every session length states its minutes (or units)
// and the truth's units follow the 8-minute rule.
func TestCascadeSessions(t *testing.T) {
	seen := map[string]bool{}
	for seed := uint64(1); seed <= 3000; seed++ {
		s := cascade.newSession(rand.New(rand.NewPCG(seed, 5)))
		seen[s.text] = true
		if got := cascadeMinutes(s.text); got != s.minutes {
			t.Errorf("%q: reads %d minutes, truth %d", s.text, got, s.minutes)
		}
		if s.minutes > 0 && s.units != Units(s.minutes) || s.units <= 0 {
			t.Errorf("%q: %d minutes, %d units", s.text, s.minutes, s.units)
		}
		if m := regexp.MustCompile(`(\d+) (?:units|x 15-min units)|units per visit: (\d+)`).FindStringSubmatch(s.text); m != nil {
			if n, _ := strconv.Atoi(m[1] + m[2]); n != s.units {
				t.Errorf("%q: %d units in the truth", s.text, s.units)
			}
		}
	}
	if Units(50) != 3 {
		t.Errorf("8-minute rule: 50 min %d units", Units(50))
	}
	for _, want := range []string{"1.0 hr", "0.5 hr", "1.5 hrs", "45 min/visit", "4 units (60 min)", "3 units = 45 min", "50 min", "units per visit: 4"} {
		if !seen[want] {
			t.Errorf("session %q never drawn", want)
		}
	}
}

// TestCascadeNames: the pools print (Latin-1, the PDF encoding), begin and
// end with a plain letter, and names with particles, apostrophes and hyphens
// keep them in the truth and on the page.
func TestCascadeNames(t *testing.T) {
	for _, l := range [][]string{cascade.female, cascade.male, cascade.docFirst, cascade.staff, cascade.last, cascade.docLast} {
		for _, n := range l {
			first, _ := utf8.DecodeRuneInString(n)
			last, _ := utf8.DecodeLastRuneInString(n)
			if first >= 0x80 || last >= 0x80 {
				t.Errorf("%q: begins or ends with an accented letter", n)
			}
			for _, r := range n {
				if r < 0x20 || r > 0xff || r >= 0x7f && r < 0xa0 {
					t.Errorf("%q: %q does not print", n, r)
				}
			}
		}
	}
	for _, l := range [][]string{cascade.last, cascade.docLast} {
		for _, n := range l {
			if len(n) < 4 {
				t.Errorf("%q: a last name short enough to be a word", n)
			}
		}
	}
	particles := 0
	for seed := uint64(1); seed <= 300; seed++ {
		s := Spec{Seed: seed, Layout: LayoutLetter, Media: MediaText, Family: "cascade"}
		g, sheets, err := compose(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		c := g.c
		p := c.prescription()
		text := strings.ToLower(sheetText(sheets))
		for _, who := range []struct{ name, last string }{{p.Patient.Name, c.patient.last}, {p.Prescriber.Name, c.doctor.last}} {
			if !strings.ContainsAny(who.last, " -'.") {
				continue
			}
			particles++
			if !strings.Contains(who.name, " "+who.last) || !strings.Contains(text, strings.ToLower(who.last)) {
				t.Errorf("seed %d: %q (truth %q) not kept as printed", seed, who.last, who.name)
			}
		}
	}
	if particles < 20 {
		t.Errorf("only %d names with particles, hyphens or apostrophes", particles)
	}
}

// TestCascadeCredentials: the truth's credentials are the printed ones
// without dots, fellowships and diplomas included.
func TestCascadeCredentials(t *testing.T) {
	for printed, want := range map[string]string{"D.C., DACRB": "DC, DACRB", "DNP, CRNP": "DNP, CRNP", "MD, FAAOS": "MD, FAAOS",
		"D.O.": "DO", "MPAS, PA-C": "MPAS, PA-C", "DC, CCSP": "DC, CCSP"} {
		c := &content{doctor: doctor{person: person{first: "Nirav", last: "Parikh-Shah"}, credPrinted: printed, npi: "1234567893"}}
		p := c.prescription()
		if p.Prescriber.Credentials != want || p.Prescriber.Name != "Nirav Parikh-Shah" {
			t.Errorf("%q: truth %+v", printed, p.Prescriber)
		}
	}
}

// TestCascadeWording: the family's own wording is what its documents
// print: its labels, titles, diagnosis lines, e-signature statements and
// letter sentences, and not another family's.
func TestCascadeWording(t *testing.T) {
	want := map[string]*regexp.Regexp{
		"patient label":   regexp.MustCompile(`Injured person:|Patient/Claimant:|Name of patient:|Insured/Patient:`),
		"order label":     regexp.MustCompile(`Order:|Therapy ordered:|Treatment requested:|Modality:`),
		"freq label":      regexp.MustCompile(`Frequency:|Freq/Dur:|Schedule:|Frequency/duration:`),
		"form title":      regexp.MustCompile(`(?i)PIP / NO-FAULT|Workers' Comp Treatment Order|ORDER SET: MASSAGE|Co-Management Referral|Therapy Prescription`),
		"ehr title":       regexp.MustCompile(`(?i)Ambulatory Referral to Massage Therapy|OP REHAB ORDER|Order Details: Massage`),
		"e-signature":     regexp.MustCompile(`(?i)Authenticated by|e-signature applied|attestation on file|Digitally signed by|\[E-SIGNED\]`),
		"24-hour time":    regexp.MustCompile(`\b[0-2]\d[0-5]\d hrs\b`),
		"dx line":         regexp.MustCompile(`[A-Z]\d\d\.[0-9A-Z]+ \| |\(ICD-10 [A-Z]\d\d\.|- ICD [A-Z]\d\d\.`),
		"letter sentence": regexp.MustCompile(`(?i)co-manage|under my care|I am referring|Please treat|is referring|please schedule|please accept`),
		"necessity":       regexp.MustCompile(`(?i)I certify that these services|return to work|reasonable and medically necessary|Medically necessary: YES`),
	}
	foreign := regexp.MustCompile(`y'all|Beneficiary:|Client:|/52|fortnight|Person served|Pt name:`)
	seen := map[string]int{}
	for seed := uint64(1); seed <= 120; seed++ {
		for _, l := range Layouts {
			m := mediaFor[l][0]
			s := Spec{Seed: seed, Layout: l, Media: m, Family: "cascade"}
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

// cascadeDefectRule is the rule a defect makes the truth report.
var cascadeDefectRule = map[Defect]string{
	DefectNoModality: RuleModalityMissing, DefectUnspecific: RuleModalityUnspecific, DefectNoAreas: RuleAreasMissing,
	DefectNoDiagnosis: RuleDiagnosisMissing, DefectHeaderCode: RuleDiagnosisInvalid, DefectSingleDiagnosis: RuleDiagnosisSingle,
	DefectNoSession: RuleSessionMissing, DefectNoFrequency: RuleFrequencyMissing, DefectOpenFrequency: RuleFrequencyMissing,
	DefectNoSignature: RuleSignatureMissing, DefectNoNecessity: RuleNecessityMissing, DefectNoPatient: RulePatientMissing,
	DefectNoPrescriber: RulePrescriberMissing, DefectBadNPI: RuleNPIInvalid, DefectNoNPI: RuleNPIMissing,
	DefectNoDate: RuleDateMissing, DefectExpired: RuleRxExpired,
}

// TestCascadeVariants: the family's evaluation set of 100 documents holds
// complete documents and every defect, handwriting, faxes, photos, scans and
// emails, every layout, and each truth reports what its defects take away.
func TestCascadeVariants(t *testing.T) {
	specs, err := EvalSpecsOf(100, cascadeEvalSeed, []string{"cascade"})
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
