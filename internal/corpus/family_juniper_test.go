package corpus

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestJuniperNoLongerHeldOut: juniper's wording has been read, so its
// documents no longer say they are held out; pacifica is the held-out family.
func TestJuniperNoLongerHeldOut(t *testing.T) {
	if juniper.heldOut || !pacifica.heldOut {
		t.Fatalf("juniper held out %v, pacifica held out %v", juniper.heldOut, pacifica.heldOut)
	}
	specs, err := EvalSpecsOf(8, 9, []string{"juniper"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range specs {
		if textOnly(s.Media) && s.Media != MediaTextPDF || s.Layout == LayoutEmail {
			a, err := Generate(s)
			if err != nil {
				t.Fatal(err)
			}
			if a.Truth.Family != "juniper" || a.Truth.HeldOut {
				t.Errorf("%s: family %q held out %v", s.Name, a.Truth.Family, a.Truth.HeldOut)
			}
		}
	}
}

// TestJuniperTruthPrinted is TestTruthPrinted on many juniper documents:
// what the truth says is printed is printed, and what it says is missing
// is not.
func TestJuniperTruthPrinted(t *testing.T) {
	specs, err := EvalSpecsOf(1500, 23, []string{"juniper"})
	if err != nil {
		t.Fatal(err)
	}
	truthPrinted(t, specs)
}

// juniperNumber reads a count in digits or in words.
func juniperNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return slices.Index(numberWords, s)
}

var juniperMonthNames = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

var juniperDateRe = regexp.MustCompile(`^(?:([A-Z][a-z]+day), )?(?:(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]+)[ -](\d{4})|(\d{4}) ([A-Za-z]{3}) (\d{2}))$`)

// juniperReadDate reads a day-first (or year-first) date with the month in
// letters, the way a person reads juniper's dates.
func juniperReadDate(s string) (time.Time, bool) {
	m := juniperDateRe.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	day, month, year := m[2], m[3], m[4]
	if m[5] != "" {
		year, month, day = m[5], m[6], m[7]
	}
	mon := -1
	for i, name := range juniperMonthNames {
		l := strings.ToLower(month)
		if l == name || len(l) == 3 && strings.HasPrefix(name, l) {
			mon = i + 1
		}
	}
	d, _ := strconv.Atoi(day)
	y, _ := strconv.Atoi(year)
	if mon < 0 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	tm := time.Date(y, time.Month(mon), d, 0, 0, 0, 0, time.UTC)
	if tm.Day() != d || m[1] != "" && m[1] != tm.Weekday().String() {
		return time.Time{}, false
	}
	return tm, true
}

// TestJuniperDates: every date layout of the family prints the month in
// letters, day first (or year first), and reads back as the same day.
func TestJuniperDates(t *testing.T) {
	want := map[string]bool{"3 Nov 2026": true, "03-NOV-2026": true, "Tuesday, 3 November 2026": true, "3rd November 2026": true,
		"2026 Nov 03": true, "03 November 2026": true, "3-Nov-2026": true, "3 November 2026": true}
	day := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
	layouts := slices.Concat(juniper.dateFmts, juniper.dobFmts, juniper.handFmts)
	for _, l := range layouts {
		if got := formatDate(day, l); !want[got] {
			t.Errorf("layout %q prints %q", l, got)
		}
	}
	for _, l := range layouts {
		for d := time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2028; d = d.AddDate(0, 0, 3) {
			s := formatDate(d, l)
			if got, ok := juniperReadDate(s); !ok || !got.Equal(d) {
				t.Fatalf("layout %q: %s printed %q, read back %v %v", l, d.Format(time.DateOnly), s, got, ok)
			}
		}
	}
	if got := formatDate(time.Date(2026, 5, 21, 0, 0, 0, 0, time.UTC), "02-"+monthCaps+"-2006"); got != "21-MAY-2026" {
		t.Errorf("capital month: %q", got)
	}
	if got := formatDate(time.Date(2026, 10, 22, 0, 0, 0, 0, time.UTC), "2"+ordinalMark+" January 2006"); got != "22nd October 2026" {
		t.Errorf("ordinal day first: %q", got)
	}
}

// The family's plan shapes, read as a person reads them.
var (
	juniperRates = map[string]int{
		"once weekly": 1, "1 x weekly": 1, "weekly": 1, "one session/week": 1, "once a week": 1, "one session a week": 1,
		"twice weekly": 2, "2 x weekly": 2, "twice a week": 2, "two sessions/week": 2, "two sessions a week": 2,
		"three times weekly": 3, "3 x weekly": 3, "3 sessions/week": 3, "three times a week": 3, "three sessions a week": 3,
	}
	juniperRateAlt = func() string {
		var rs []string
		for k := range juniperRates {
			rs = append(rs, regexp.QuoteMeta(k))
		}
		sort.Slice(rs, func(i, j int) bool { return len(rs[i]) > len(rs[j]) })
		return strings.Join(rs, "|")
	}()
	juniperPhase   = regexp.MustCompile(`^(` + juniperRateAlt + `) for (?:the first |a further |the next )?(.+)$`)
	juniperReview  = regexp.MustCompile(`^(.*), review in (\d+)/52$`)
	juniperTotals  = regexp.MustCompile(`^(?:a programme of |course of )?(\w+) (?:sessions|treatments|appointments) (?:over|in|across|spread across) (\w+)(?: weeks|/52)(?: \((\w+) per week\))?$`)
	juniperCourse  = regexp.MustCompile(`^(?:a )?course of (\w+) sessions(?:,| at) (\w+) (?:per|a) week$`)
	juniperFortn   = regexp.MustCompile(`^(?:fortnightly|once a fortnight|every fortnight) (?:for|over the next) (.+)$`)
	juniperLength  = `(?:one hour|half an hour|\d+ minutes)`
	juniperLenPlan = []*regexp.Regexp{
		regexp.MustCompile(`^(\w+) appointments of ` + juniperLength + ` over (\w+) weeks$`),
		regexp.MustCompile(`^a programme of (\d+) treatments \(` + juniperLength + ` each\) over (\d+) weeks$`),
	}
	juniperLenRate = regexp.MustCompile(`^sessions of ` + juniperLength + `, (` + juniperRateAlt + `), for (\d+) weeks$`)
	juniperRanges  = []struct {
		re   *regexp.Regexp
		read func(m []string) (int, int)
	}{
		{regexp.MustCompile(`^(\d)-(\d) (?:x weekly|sessions/week) for (?:(\d+)-)?(\d+) weeks$`), func(m []string) (int, int) {
			return juniperNumber(m[2]) * juniperNumber(m[4]), juniperNumber(m[4])
		}},
		{regexp.MustCompile(`^(\d+)-(\d+) sessions over (\d+) weeks$`), func(m []string) (int, int) { return juniperNumber(m[2]), juniperNumber(m[3]) }},
		{regexp.MustCompile(`^weekly to fortnightly for (\d+) weeks$`), func(m []string) (int, int) { return juniperNumber(m[1]), juniperNumber(m[1]) }},
		{regexp.MustCompile(`^(twice weekly) for (\d+)-(\d+)/52$`), func(m []string) (int, int) { return 2 * juniperNumber(m[3]), juniperNumber(m[3]) }},
		{regexp.MustCompile(`^one or two sessions a week for (\w+) weeks$`), func(m []string) (int, int) { return 2 * juniperNumber(m[1]), juniperNumber(m[1]) }},
		{regexp.MustCompile(`^between (\w+) and (\w+) sessions over (\w+) weeks$`), func(m []string) (int, int) { return juniperNumber(m[2]), juniperNumber(m[3]) }},
	}
)

// juniperWeeks reads a span after "for": "a fortnight", "a month", "three
// months", "6/52", "six weeks", "week" (of "the first week").
func juniperWeeks(s string) int {
	switch s {
	case "a fortnight":
		return 2
	case "a month", "one month":
		return 4
	case "week", "one week":
		return 1
	}
	f := strings.Fields(s)
	if len(f) == 1 && strings.HasSuffix(s, "/52") {
		return juniperNumber(strings.TrimSuffix(s, "/52"))
	}
	if len(f) != 2 {
		return -1
	}
	n := juniperNumber(f[0])
	switch f[1] {
	case "week", "weeks":
		return n
	case "months":
		return 4 * n
	}
	return -1
}

// juniperReadPlan reads a plan's visits and weeks from its text; ok is false
// for a shape the reader does not know.
func juniperReadPlan(text string) (visits, weeks int, ok bool) {
	review := -1
	if m := juniperReview.FindStringSubmatch(text); m != nil {
		text, review = m[1], juniperNumber(m[2])
	}
	defer func() {
		if review >= 0 && review != weeks {
			ok = false
		}
	}()
	for _, g := range juniperRanges {
		if m := g.re.FindStringSubmatch(text); m != nil {
			v, w := g.read(m)
			return v, w, true
		}
	}
	if m := juniperFortn.FindStringSubmatch(text); m != nil {
		w := juniperWeeks(m[1])
		return w / 2, w, w > 0 && w%2 == 0
	}
	if m := juniperLenRate.FindStringSubmatch(text); m != nil {
		w := juniperNumber(m[2])
		return juniperRates[m[1]] * w, w, true
	}
	for _, re := range juniperLenPlan {
		if m := re.FindStringSubmatch(text); m != nil {
			return juniperNumber(m[1]), juniperNumber(m[2]), true
		}
	}
	if m := juniperCourse.FindStringSubmatch(text); m != nil {
		v, n := juniperNumber(m[1]), juniperNumber(m[2])
		return v, v / n, v%n == 0
	}
	if m := juniperTotals.FindStringSubmatch(text); m != nil {
		v, w := juniperNumber(m[1]), juniperNumber(m[2])
		if m[3] != "" && juniperNumber(m[3])*w != v {
			return 0, 0, false
		}
		return v, w, true
	}
	for _, part := range strings.Split(text, ", then ") {
		m := juniperPhase.FindStringSubmatch(part)
		if m == nil {
			return 0, 0, false
		}
		w := juniperWeeks(m[2])
		if w <= 0 {
			return 0, 0, false
		}
		visits += juniperRates[m[1]] * w
		weeks += w
	}
	return visits, weeks, true
}

// TestJuniperPlans draws many plans, prose and not, and checks each one's
// totals against what its text says.
func TestJuniperPlans(t *testing.T) {
	seen := map[string]bool{}
	for seed := uint64(1); seed <= 6000; seed++ {
		r := rand.New(rand.NewPCG(seed, 11))
		prose := seed%2 == 0
		f := juniperFreq(r, prose)
		if f.text == "" {
			var s *sessionSpec
			f, s = juniperFreqSession(r)
			if !strings.Contains(f.text, s.text) || s.units != Units(s.minutes) || juniperMinutes(s.text) != s.minutes {
				t.Errorf("%q: session %+v", f.text, s)
			}
			seen["with-session"] = true
		}
		if !f.plan || f.visits <= 0 || f.weeks <= 0 || f.visits > 3*f.weeks {
			t.Errorf("%q: %+v", f.text, f)
			continue
		}
		if f.perWeek != "" && (f.visits%f.weeks != 0 || !strings.Contains(f.text, f.perWeek) || !strings.Contains(f.text, f.duration) ||
			juniperRates[f.perWeek]*f.weeks != f.visits || juniperWeeks(bareDuration(f.duration)) != f.weeks) {
			t.Errorf("%q: split %q / %q, %d visits over %d weeks", f.text, f.perWeek, f.duration, f.visits, f.weeks)
		}
		v, w, ok := juniperReadPlan(f.text)
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
		case strings.Contains(f.text, "fortnight"):
			seen["fortnight"] = true
		case strings.Contains(f.text, "month"):
			seen["months"] = true
		case strings.Contains(f.text, "/52"):
			seen["/52"] = true
		}
	}
	for _, k := range []string{"range", "taper", "fortnight", "months", "/52", "with-session"} {
		if !seen[k] {
			t.Errorf("no %s plan drawn", k)
		}
	}
	// An open frequency names no end.
	for _, o := range juniper.open {
		if _, _, ok := juniperReadPlan(o); ok || regexp.MustCompile(`\d|/52|month|weeks|sessions`).MatchString(o) {
			t.Errorf("open frequency %q reads as a plan", o)
		}
	}
}

// juniperMinutes reads a session length in minutes; 0 for units alone.
func juniperMinutes(s string) int {
	// Units of a quarter-hour name no length of their own.
	s = regexp.MustCompile(`units of 15 min|quarter-hour units`).ReplaceAllString(s, "units")
	if m := regexp.MustCompile(`(\d+) h (\d+) min`).FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[1])
		mi, _ := strconv.Atoi(m[2])
		return 60*h + mi
	}
	if m := regexp.MustCompile(`(\d+(?:\.\d+)?) h\b`).FindStringSubmatch(s); m != nil {
		h, _ := strconv.ParseFloat(m[1], 64)
		return int(h * 60)
	}
	if m := regexp.MustCompile(`(\d+)(?: min(?:ute)?s?\b|-minute)`).FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	switch {
	case strings.Contains(s, "ninety-minute"):
		return 90
	case strings.Contains(s, "half an hour"), strings.Contains(s, "half-hour"):
		return 30
	case strings.Contains(s, "hour"):
		return 60
	}
	return 0
}

// TestJuniperSessions: every session length states its minutes (or units)
// and the truth's units follow the 8-minute rule.
func TestJuniperSessions(t *testing.T) {
	seen := map[string]bool{}
	for seed := uint64(1); seed <= 3000; seed++ {
		s := juniper.newSession(rand.New(rand.NewPCG(seed, 5)))
		seen[s.text] = true
		if got := juniperMinutes(s.text); got != s.minutes {
			t.Errorf("%q: reads %d minutes, truth %d", s.text, got, s.minutes)
		}
		if s.minutes > 0 && s.units != Units(s.minutes) || s.units <= 0 {
			t.Errorf("%q: %d minutes, %d units", s.text, s.minutes, s.units)
		}
		if m := regexp.MustCompile(`(\d+) (?:units|quarter-hour units)\b`).FindStringSubmatch(s.text); m != nil {
			if n, _ := strconv.Atoi(m[1]); n != s.units {
				t.Errorf("%q: %d units in the truth", s.text, s.units)
			}
		}
	}
	for _, want := range []string{"1 h", "0.75 h", "1 h 30 min", "an hour per appointment", "appointments of half an hour"} {
		if !seen[want] {
			t.Errorf("session %q never drawn", want)
		}
	}
}

// TestJuniperNames: the pools print (Latin-1, the PDF encoding), begin and
// end with a plain letter, and names with particles, apostrophes and hyphens
// keep them in the truth and on the page.
func TestJuniperNames(t *testing.T) {
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
	for _, l := range [][]string{juniper.female, juniper.male, juniper.docFirst, juniper.staff} {
		for _, n := range l {
			check(n, false)
		}
	}
	for _, l := range [][]string{juniper.last, juniper.docLast} {
		for _, n := range l {
			check(n, true)
		}
	}
	particles := 0
	for seed := uint64(1); seed <= 200; seed++ {
		s := Spec{Seed: seed, Layout: LayoutLetter, Media: MediaText, Family: "juniper"}
		g, sheets, err := compose(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		c := g.c
		p := c.prescription()
		text := strings.ToLower(sheetText(sheets))
		for _, who := range []struct {
			name, last string
		}{{p.Patient.Name, c.patient.last}, {p.Prescriber.Name, c.doctor.last}} {
			if !strings.ContainsAny(who.last, " -'") {
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

// TestJuniperCredentials: the truth's credentials are the printed ones
// without dots; no naturopath orders.
func TestJuniperCredentials(t *testing.T) {
	for _, c := range juniper.creds {
		if c.v.canon == "ND" || slices.ContainsFunc(c.v.printed, func(p string) bool { return strings.Contains(strings.ReplaceAll(p, ".", ""), "ND") }) {
			t.Errorf("credential %+v: a naturopath", c.v)
		}
	}
	for printed, want := range map[string]string{"M.B., B.Ch., B.A.O.": "MB, BCh, BAO", "MD CCFP": "MD CCFP", "MD, CCFP(EM)": "MD, CCFP(EM)", "MB ChB, MRCGP": "MB ChB, MRCGP"} {
		c := &content{doctor: doctor{person: person{first: "Tadhg", last: "Mac an Bhaird"}, credPrinted: printed, npi: "1234567893"}}
		p := c.prescription()
		if p.Prescriber.Credentials != want || p.Prescriber.Name != "Tadhg Mac an Bhaird" {
			t.Errorf("%q: truth %+v", printed, p.Prescriber)
		}
	}
}
