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

// TestPiedmontNoLongerHeldOut: piedmont's wording has been read, so its
// documents no longer say they are held out; the held-out family, now
// pacifica, is listed last.
func TestPiedmontNoLongerHeldOut(t *testing.T) {
	if piedmont.heldOut || !pacifica.heldOut {
		t.Fatalf("piedmont held out %v, pacifica held out %v", piedmont.heldOut, pacifica.heldOut)
	}
	if wordingFamilies[len(wordingFamilies)-1] != pacifica {
		t.Errorf("the held-out family pacifica is not listed last")
	}
	specs, err := EvalSpecsOf(16, 9, []string{"piedmont"})
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
			if a.Truth.Family != "piedmont" || a.Truth.HeldOut {
				t.Errorf("%s: family %q held out %v", s.Name, a.Truth.Family, a.Truth.HeldOut)
			}
		}
	}
}

// TestPiedmontTruthPrinted is TestTruthPrinted on many piedmont documents.
func TestPiedmontTruthPrinted(t *testing.T) {
	specs, err := EvalSpecsOf(1500, 31, []string{"piedmont"})
	if err != nil {
		t.Fatal(err)
	}
	truthPrinted(t, specs)
}

// piedmontNumber reads a count in digits or in words.
func piedmontNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return slices.Index(numberWords, strings.ToLower(s))
}

var piedmontMonthNames = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

var (
	// Tuesday, Nov. 3, 2026 | Tuesday, November 3, 2026 | Nov. 3rd, 2026 | November 3, 2026
	piedmontLongRe = regexp.MustCompile(`^(?:([A-Z][a-z]+day), )?([A-Z][a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?, (\d{4})$`)
	// the 3rd of November, 2026
	piedmontOfRe = regexp.MustCompile(`^the (\d{1,2})(?:st|nd|rd|th) of ([A-Z][a-z]+), (\d{4})$`)
	// Tue 11/3/2026 | 11/03/2026 | 11-03-26 | 11/3/26
	piedmontNumRe = regexp.MustCompile(`^(?:([A-Z][a-z]{2}) )?(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$`)
)

// piedmontReadDate reads a month-first US date the way a person reads
// piedmont's dates; a two-digit year is of this century up to '27.
func piedmontReadDate(s string) (time.Time, bool) {
	var wd, mon, day, year string
	if m := piedmontLongRe.FindStringSubmatch(s); m != nil {
		wd, mon, day, year = m[1], m[2], m[3], m[4]
	} else if m := piedmontOfRe.FindStringSubmatch(s); m != nil {
		day, mon, year = m[1], m[2], m[3]
	} else if m := piedmontNumRe.FindStringSubmatch(s); m != nil {
		wd, mon, day, year = m[1], m[2], m[3], m[4]
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
	if tm.Day() != d {
		return time.Time{}, false
	}
	if wd != "" && wd != tm.Weekday().String() && wd != tm.Weekday().String()[:3] {
		return time.Time{}, false
	}
	return tm, true
}

// TestPiedmontDates: every date layout of the family prints a month-first
// US date (weekday names right, ordinals right) that reads back as the
// same day.
func TestPiedmontDates(t *testing.T) {
	want := map[string]bool{"Tuesday, Nov. 3, 2026": true, "the 3rd of November, 2026": true, "11-03-26": true, "Nov. 3rd, 2026": true,
		"Tue 11/3/2026": true, "11/3/2026": true, "Tuesday, November 3, 2026": true, "11/03/2026": true, "11-03-2026": true,
		"November 3, 2026": true, "11/3/26": true, "11-3-2026": true}
	day := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
	layouts := slices.Concat(piedmont.dateFmts, piedmont.dobFmts, piedmont.handFmts)
	for _, l := range layouts {
		if got := formatDate(day, l); !want[got] {
			t.Errorf("layout %q prints %q", l, got)
		}
	}
	for _, l := range layouts {
		for d := time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2028; d = d.AddDate(0, 0, 3) {
			s := formatDate(d, l)
			if got, ok := piedmontReadDate(s); !ok || !got.Equal(d) {
				t.Fatalf("layout %q: %s printed %q, read back %v %v", l, d.Format(time.DateOnly), s, got, ok)
			}
		}
	}
	for d, w := range map[int]string{1: "the 1st of October, 2026", 22: "the 22nd of October, 2026", 13: "the 13th of October, 2026"} {
		if got := formatDate(time.Date(2026, 10, d, 0, 0, 0, 0, time.UTC), "the 2"+ordinalMark+" of January, 2006"); got != w {
			t.Errorf("day %d: %q", d, got)
		}
	}
}

// The family's plan shapes, read as a person reads them.
var (
	piedmontRates = map[string]int{
		"one visit weekly": 1, "once a week": 1, "one visit a week": 1, "1 visit weekly": 1, "1 wkly": 1, "QW": 1,
		"two visits weekly": 2, "twice a week": 2, "two visits a week": 2, "2 visits weekly": 2, "2 wkly": 2, "BIW": 2,
		"three visits weekly": 3, "three times a week": 3, "three visits a week": 3, "3 visits weekly": 3, "3 wkly": 3, "TIW": 3,
	}
	piedmontRateAlt = func() string {
		var rs []string
		for k := range piedmontRates {
			rs = append(rs, regexp.QuoteMeta(k))
		}
		sort.Slice(rs, func(i, j int) bool { return len(rs[i]) > len(rs[j]) })
		return strings.Join(rs, "|")
	}()
	piedmontRatePlan = regexp.MustCompile(`^(` + piedmontRateAlt + `) (?:times|x|for the next|for) (\w+) (?:weeks?|wks)$`)
	piedmontMonthsRe = regexp.MustCompile(`^(` + piedmontRateAlt + `) for (\w+) months?$`)
	piedmontTotals   = []*regexp.Regexp{ // visits, weeks
		regexp.MustCompile(`^(\d+) visits total, to be completed within (\d+) weeks$`),
		regexp.MustCompile(`^(\d+) visits / (\d+) weeks$`),
		regexp.MustCompile(`^(\d+) visits within a (\d+)-week episode of care$`),
		regexp.MustCompile(`^a series of (\w+) treatments over (?:the next )?(\w+) weeks$`),
		regexp.MustCompile(`^(\d+) visits in all, spread over (\w+) weeks$`),
	}
	piedmontEOW      = regexp.MustCompile(`^(?:every other week x|Q2W for|one visit every other week for|once every other week for the next) (\w+) (?:wks|weeks)$`)
	piedmontSessRate = regexp.MustCompile(`^(\w+) (?:[\w-]+ )?visits weekly for (\w+) weeks$`)
	piedmontSessTot  = regexp.MustCompile(`^(\d+) visits(?:, .+ each,| at \d+ units apiece) (?:over|within) (\d+) weeks$`)
	piedmontPhases   = []*regexp.Regexp{ // rate, weeks
		regexp.MustCompile(`^(\w+) a week for the (?:first|next) (?:(\w+) weeks?|week)$`),
		regexp.MustCompile(`^(QW|BIW|TIW) x (\d+) wks?$`),
		regexp.MustCompile(`^(\w+) visits? weekly for (\d+) weeks?$`),
	}
	piedmontRanges = []struct {
		re   *regexp.Regexp
		read func(m []string) (int, int)
	}{
		{regexp.MustCompile(`^one or two visits weekly times (\w+) weeks$`), func(m []string) (int, int) { return 2 * piedmontNumber(m[1]), piedmontNumber(m[1]) }},
		{regexp.MustCompile(`^(\d) to (\d) visits a week for (\d+) to (\d+) weeks$`), func(m []string) (int, int) {
			return piedmontNumber(m[2]) * piedmontNumber(m[4]), piedmontNumber(m[4])
		}},
		{regexp.MustCompile(`^(\d)-(\d) wkly x (\d+) wks$`), func(m []string) (int, int) { return piedmontNumber(m[2]) * piedmontNumber(m[3]), piedmontNumber(m[3]) }},
		{regexp.MustCompile(`^BIW-TIW x (\d+) wks$`), func(m []string) (int, int) { return 3 * piedmontNumber(m[1]), piedmontNumber(m[1]) }},
	}
)

// piedmontSpan reads a duration without its "for" or "x": "6 wks", "six
// weeks", "two months" (of four weeks).
func piedmontSpan(s string) int {
	f := strings.Fields(s)
	if len(f) != 2 {
		return -1
	}
	n := piedmontNumber(f[0])
	switch f[1] {
	case "wk", "wks", "week", "weeks":
		return n
	case "month", "months":
		return 4 * n
	}
	return -1
}

// piedmontReadPlan reads a plan's visits and weeks from its text; ok is
// false for a shape the reader does not know.
func piedmontReadPlan(text string) (visits, weeks int, ok bool) {
	for _, g := range piedmontRanges {
		if m := g.re.FindStringSubmatch(text); m != nil {
			v, w := g.read(m)
			return v, w, true
		}
	}
	if m := piedmontRatePlan.FindStringSubmatch(text); m != nil {
		w := piedmontNumber(m[2])
		return piedmontRates[m[1]] * w, w, w > 0
	}
	if m := piedmontMonthsRe.FindStringSubmatch(text); m != nil {
		w := 4 * piedmontNumber(m[2])
		return piedmontRates[m[1]] * w, w, w > 0
	}
	for _, re := range piedmontTotals {
		if m := re.FindStringSubmatch(text); m != nil {
			return piedmontNumber(m[1]), piedmontNumber(m[2]), true
		}
	}
	if m := piedmontEOW.FindStringSubmatch(text); m != nil {
		w := piedmontNumber(m[1])
		return w / 2, w, w > 0 && w%2 == 0
	}
	if m := piedmontSessRate.FindStringSubmatch(text); m != nil && !strings.Contains(text, ", then ") {
		n, w := piedmontNumber(m[1]), piedmontNumber(m[2])
		return n * w, w, n > 0 && w > 0
	}
	if m := piedmontSessTot.FindStringSubmatch(text); m != nil {
		return piedmontNumber(m[1]), piedmontNumber(m[2]), true
	}
	parts := strings.Split(text, ", then ")
	if len(parts) < 2 {
		return 0, 0, false
	}
	for _, part := range parts {
		read := false
		for _, re := range piedmontPhases {
			m := re.FindStringSubmatch(part)
			if m == nil {
				continue
			}
			n := piedmontNumber(m[1])
			if r, ok := map[string]int{"QW": 1, "BIW": 2, "TIW": 3}[m[1]]; ok {
				n = r
			}
			w := 1
			if m[2] != "" {
				w = piedmontNumber(m[2])
			}
			if n <= 0 || w <= 0 {
				return 0, 0, false
			}
			visits += n * w
			weeks += w
			read = true
			break
		}
		if !read {
			return 0, 0, false
		}
	}
	return visits, weeks, true
}

// TestPiedmontPlans draws many plans, prose and not, and checks each one's
// totals against what its text says.
func TestPiedmontPlans(t *testing.T) {
	seen := map[string]bool{}
	for seed := uint64(1); seed <= 6000; seed++ {
		r := rand.New(rand.NewPCG(seed, 13))
		prose := seed%2 == 0
		f := piedmontFreq(r, prose)
		if f.text == "" {
			var s *sessionSpec
			f, s = piedmontFreqSession(r)
			if !strings.Contains(f.text, s.text) || s.minutes > 0 && s.units != Units(s.minutes) || piedmontMinutes(s.text) != s.minutes {
				t.Errorf("%q: session %+v", f.text, s)
			}
			if m := regexp.MustCompile(`(\d+) units`).FindStringSubmatch(s.text); m != nil && piedmontNumber(m[1]) != s.units {
				t.Errorf("%q: %d units in the truth", f.text, s.units)
			}
			seen["with-session"] = true
		}
		if !f.plan || f.visits <= 0 || f.weeks <= 0 || f.visits > 3*f.weeks {
			t.Errorf("%q: %+v", f.text, f)
			continue
		}
		if f.perWeek != "" && (!strings.Contains(f.text, f.perWeek) || !strings.Contains(f.text, f.duration) ||
			piedmontRates[f.perWeek]*f.weeks != f.visits || piedmontSpan(bareDuration(f.duration)) != f.weeks) {
			t.Errorf("%q: split %q / %q, %d visits over %d weeks", f.text, f.perWeek, f.duration, f.visits, f.weeks)
		}
		v, w, ok := piedmontReadPlan(f.text)
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
		case strings.Contains(f.text, ", then "):
			seen["taper"] = true
		case strings.Contains(f.text, "other week") || strings.Contains(f.text, "Q2W"):
			seen["every other week"] = true
		case strings.Contains(f.text, "month"):
			seen["months"] = true
		case strings.Contains(f.text, " times "):
			seen["times"] = true
		}
	}
	for _, k := range []string{"range", "taper", "every other week", "months", "times", "with-session"} {
		if !seen[k] {
			t.Errorf("no %s plan drawn", k)
		}
	}
	// An open frequency names no end.
	for _, o := range piedmont.open {
		if _, _, ok := piedmontReadPlan(o); ok || regexp.MustCompile(`weeks|wks|months|visits (?:total|in all|within)`).MatchString(o) {
			t.Errorf("open frequency %q reads as a plan", o)
		}
	}
}

// piedmontMinutes reads a session length in minutes; 0 for units alone.
func piedmontMinutes(s string) int {
	// Units of a quarter-hour name no length of their own.
	s = regexp.MustCompile(`15 min each|fifteen-minute units`).ReplaceAllString(s, "units")
	if m := regexp.MustCompile(`(\d+)(?:-min(?:ute)?\b| min\b| minutes\b)`).FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	for _, w := range []struct {
		text    string
		minutes int
	}{{"sixty-minute", 60}, {"sixty minutes", 60}, {"forty-five minutes", 45}, {"seventy-five minutes", 75}, {"ninety-minute", 90},
		{"an hour and a half", 90}, {"half-hour", 30}, {"hour", 60}, {"1 hr", 60}} {
		if strings.Contains(s, w.text) {
			return w.minutes
		}
	}
	return 0
}

// TestPiedmontSessions: every session length states its minutes (or units)
// and the truth's units follow the 8-minute rule.
func TestPiedmontSessions(t *testing.T) {
	seen := map[string]bool{}
	for seed := uint64(1); seed <= 3000; seed++ {
		s := piedmont.newSession(rand.New(rand.NewPCG(seed, 5)))
		seen[s.text] = true
		if got := piedmontMinutes(s.text); got != s.minutes {
			t.Errorf("%q: reads %d minutes, truth %d", s.text, got, s.minutes)
		}
		if s.minutes > 0 && s.units != Units(s.minutes) || s.units <= 0 {
			t.Errorf("%q: %d minutes, %d units", s.text, s.minutes, s.units)
		}
		if m := regexp.MustCompile(`(\d+) (?:timed |billable |fifteen-minute )?units`).FindStringSubmatch(s.text); m != nil {
			if n, _ := strconv.Atoi(m[1]); n != s.units {
				t.Errorf("%q: %d units in the truth", s.text, s.units)
			}
		}
	}
	if Units(75) != 5 || Units(45) != 3 || Units(90) != 6 {
		t.Errorf("8-minute rule: 75 min %d, 45 min %d, 90 min %d units", Units(75), Units(45), Units(90))
	}
	for _, want := range []string{"sixty-minute appointment", "an hour-long visit", "1 hr (4 units)", "forty-five minutes (3 units)", "seventy-five minutes", "4 timed units"} {
		if !seen[want] {
			t.Errorf("session %q never drawn", want)
		}
	}
}

// TestPiedmontNames: the pools print (Latin-1, the PDF encoding), begin and
// end with a plain letter, and names with particles, apostrophes and hyphens
// keep them in the truth and on the page.
func TestPiedmontNames(t *testing.T) {
	check := func(n string, lastName bool) {
		first, _ := utf8.DecodeRuneInString(n)
		last, _ := utf8.DecodeLastRuneInString(n)
		if first >= 0x80 || lastName && last >= 0x80 {
			t.Errorf("%q: begins or ends with an accented letter", n)
		}
		for _, r := range n {
			if r < 0x20 || r > 0xff || r >= 0x7f && r < 0xa0 {
				t.Errorf("%q: %q does not print", n, r)
			}
		}
	}
	for _, l := range [][]string{piedmont.female, piedmont.male, piedmont.docFirst, piedmont.staff} {
		for _, n := range l {
			check(n, false)
		}
	}
	for _, l := range [][]string{piedmont.last, piedmont.docLast} {
		for _, n := range l {
			check(n, true)
			if len(n) < 4 {
				t.Errorf("%q: a last name short enough to be a word", n)
			}
		}
	}
	particles, suffixes := 0, 0
	for seed := uint64(1); seed <= 300; seed++ {
		s := Spec{Seed: seed, Layout: LayoutLetter, Media: MediaText, Family: "piedmont"}
		g, sheets, err := compose(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		c := g.c
		p := c.prescription()
		text := strings.ToLower(sheetText(sheets))
		for _, who := range []struct {
			name, last, suffix string
		}{{p.Patient.Name, c.patient.last, c.patient.suffix}, {p.Prescriber.Name, c.doctor.last, c.doctor.suffix}} {
			if who.suffix != "" {
				suffixes++
				if !strings.HasSuffix(who.name, " "+who.last+" "+who.suffix) {
					t.Errorf("seed %d: suffix %q: truth %q", seed, who.suffix, who.name)
				}
			}
			if !strings.ContainsAny(who.last, " -'.") {
				continue
			}
			particles++
			if !strings.Contains(who.name, " "+who.last) || !strings.Contains(text, strings.ToLower(who.last)) {
				t.Errorf("seed %d: %q (truth %q) not kept as printed", seed, who.last, who.name)
			}
		}
	}
	if particles < 20 || suffixes == 0 {
		t.Errorf("only %d names with particles, hyphens or apostrophes, %d with suffixes", particles, suffixes)
	}
}

// TestPiedmontCredentials: the truth's credentials are the printed ones
// without dots, all of them.
func TestPiedmontCredentials(t *testing.T) {
	for printed, want := range map[string]string{"M.D.": "MD", "D.O.": "DO", "D.C.": "DC", "APRN, FNP-C": "APRN, FNP-C", "PA-C, MPAS": "PA-C, MPAS",
		"WHNP-BC": "WHNP-BC", "MD, FACOG": "MD, FACOG"} {
		c := &content{doctor: doctor{person: person{first: "Anna Claire", last: "De la Garza"}, credPrinted: printed, npi: "1234567893"}}
		p := c.prescription()
		if p.Prescriber.Credentials != want || p.Prescriber.Name != "Anna Claire De la Garza" {
			t.Errorf("%q: truth %+v", printed, p.Prescriber)
		}
	}
	for _, c := range piedmont.creds {
		for _, p := range c.v.printed {
			if c.v.canon != "" && !strings.Contains(strings.ReplaceAll(p, ".", ""), strings.TrimSuffix(c.v.canon, "-C")) && c.v.canon != "NP" {
				t.Errorf("credential %q printed for %q", p, c.v.canon)
			}
		}
	}
}
