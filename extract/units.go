package extract

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Session is the length of each treatment as ordered: "4 units", "one hour",
// "60 min".
type Session struct {
	// Minutes is the stated length; 0 when only units were given.
	Minutes int `json:"minutes,omitempty"`
	// Units is the number of 15-minute units: as stated, or
	// UnitsForMinutes(Minutes).
	Units int `json:"units,omitempty"`
	// Text is the evidence: the words the length was read from, as printed.
	Text string `json:"text"`
	// Range is set when a range was given ("45-60 minutes"); Minutes and
	// Units then hold its upper bound.
	Range bool `json:"range,omitempty"`
	// Ambiguous is set when the text names a length that cannot be read
	// without guessing: "97140 x4" (4 units or 4 visits?) or statements that
	// disagree ("4 units" and "45 minutes"). Minutes and Units are then 0
	// and a person must decide.
	Ambiguous bool `json:"ambiguous,omitempty"`
	// Count is, for an ambiguous "x N" after a procedure, the N.
	Count int `json:"count,omitempty"`
	// Evidence is filled in by the prescription reader: the line this was
	// read from and how sure the reading is. In JSON, Text above stands for
	// its Text.
	Evidence
}

// Limits of a plausible session; statements outside them are taken to be
// about something else ("24 hours", "48 units total", "ice 5 minutes").
const (
	sessionMinMinutes = 8
	sessionMaxMinutes = 180
	sessionMaxUnits   = 12
)

// UnitsForMinutes returns the units a timed procedure of min minutes is
// billed as under the CMS 8-minute rule (Medicare Claims Processing Manual
// ch. 5 §20.2): floor((min+7)/15), and none below 8 minutes. 8-22 minutes are
// 1 unit, 23-37 are 2, 38-52 are 3, 53-67 are 4, 68-82 are 5.
func UnitsForMinutes(min int) int {
	if min < 8 {
		return 0
	}
	return (min + 7) / 15
}

// rxNumberWords are the number words prescriptions spell out.
var rxNumberWords = map[string]int{
	"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
	"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
	"twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
	"seventy": 70, "eighty": 80, "ninety": 90,
}

// rxNum reads a number written as digits or words ("12", "twelve",
// "forty-five"). It does not accept "a"/"an" unless article is set.
func rxNum(s string, article bool) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return 0, false
	}
	if s[0] >= '0' && s[0] <= '9' {
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	if (s == "a" || s == "an") && !article {
		return 0, false
	}
	total := 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '\t' || r == '\n' }) {
		n, ok := rxNumberWords[w]
		if !ok {
			return 0, false
		}
		total += n
	}
	return total, true
}

// reNumberTwice is a number written out and repeated in figures, as legal
// and clinical documents do: "sixty (60) minutes", "two (2) times a week",
// "two to three (2-3) visits".
var reNumberTwice = regexp.MustCompile(`(?i)\b` + rxNumWordRE + `(?:` + rxRangeToRE + rxNumWordRE + `)?\s*\((\d{1,3}(?:\s*[-–]\s*\d{1,3})?)\)`)

// figuresOnly blanks the words of numbers written twice, leaving the
// figures where they stand: every offset of the text is kept, so what is
// found in the result is found at the same place in the text.
func figuresOnly(s string) string {
	return reNumberTwice.ReplaceAllStringFunc(s, func(m string) string {
		open := strings.LastIndexByte(m, '(')
		return strings.Repeat(" ", open+1) + m[open+1:len(m)-1] + " "
	})
}

// reHourOne is a one OCR read as a bar or a letter before an hour's unit
// ("| h per visit", "l hr"): the only figure such a mark stands for there.
var reHourOne = regexp.MustCompile(`(?i)(^|[\s:(])[|lI](\s?(?:h|hrs?|hours?)\b)`)

// mendHourOne puts the one back, keeping every offset.
func mendHourOne(s string) string {
	return reHourOne.ReplaceAllString(s, "${1}1${2}")
}

// Regular-expression pieces shared by the session and frequency parsers.
const (
	// rxNumWordRE is a number from one to ninety-nine in words.
	rxNumWordRE = `(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?` +
		`|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)`
	rxNumRE = `(?:\d{1,3}|` + rxNumWordRE + `)`
	// rxRangeToRE joins the bounds of a range.
	rxRangeToRE = `\s*(?:-|–|to)\s*`
)

// sessionRE finds explicit statements of a session's length. Each named
// group is one form; the parser reads the groups that matched.
var sessionRE = func() *regexp.Regexp {
	re := cue(`(?i)` + strings.Join([]string{
		// "4 x 15 min", "4 x 15-minute units"
		`\b(?P<ux15>\d{1,2})\s*[x×*]\s*15[\s-]*min(?:ute)?s?\.?(?:\s*units?)?\b`,
		// "15 min x 4", "15-minute units x 4"
		`\b15[\s-]*min(?:ute)?s?\.?(?:\s*units?)?\s*[x×*]\s*(?P<x15u>\d{1,2})\b`,
		// "4 (15 min) units", "4 15-minute units"
		`\b(?P<u15>\d{1,2})\s*\(?\s*15[\s-]*min(?:ute)?s?\.?\s*\)?\s*units?\b`,
		// "4 units", "x4 units", "four units", "4-6 units", "(4) units"
		// "4 billable units", "3 fifteen-minute units": words that say what
		// kind of units (cues.txt, unit-qualifier) may stand between.
		`(?:\b[x×]\s*\(?|\(|\b)(?P<u>` + rxNumRE + `)(?:` + rxRangeToRE + `(?P<u2>` + rxNumRE + `))?\)?\s*(?:\(?(?:{cues/unit-qualifier})\)?[\s-]*){0,2}units?\b`,
		// "4u", "x4u"
		`(?:\b[x×]\s*|\b)(?P<ushort>\d{1,2})\s?u\b`,
		// "units: 4", "units x 4", "# of units 4", "units per visit: 3",
		// "units/session 4": the count after its label, whatever the
		// label says the units are of.
		`\bunits?\s*(?:(?:per|/|each|a|every)\s*(?:visit|session|treatment|tx|appointment|appt|encounter)s?\.?\s*)?(?:[:=#]|[x×]|of)?\s*(?P<ulabel>\d{1,2})\b`,
		// "1 hour 30 minutes", "1 hr 15 min"
		`\b(?P<hm_h>\d|one|two|an?)\s*-?\s*(?:hours?|hrs?|h)\.?\s*(?:and\s+)?(?P<hm_m>\d{1,2}|` + rxNumWordRE + `)\s*-?\s*(?:minutes?|mins?)\b`,
		// "45 minutes", "90-minute", "30 mins", "45-60 min", "sixty minutes"
		`\b(?P<min>` + rxNumRE + `)(?:` + rxRangeToRE + `(?P<min2>` + rxNumRE + `))?\s*-?\s*(?:minutes?|mins?)\b`,
		// "60'", "45′": the prime, the clinical sign for minutes
		`\b(?P<minprime>[1-9]\d{1,2})\s?['’′](?:$|[^'’′"\w])`,
		// "60\"": the prime read doubled, as OCR and typists do; a length
		// of twenty minutes or more (a plan's seconds are never a session).
		`\b(?P<minquote>[2-9]\d|1[0-8]\d)\s?["″](?:$|[^'’′"\w])`,
		// "1 1/2 hours", "1½ hr", "1 and a half hours"
		`\b(?P<hhalf>\d)\s*(?:½|1/2|and\s+a\s+half)\s*-?\s*(?:hours?|hrs?)\b`,
		// "one and a half hours", "an hour and a half"
		`\b(?P<whalf>one|two|an?)\s+and\s+(?:a\s+)?half\s*-?\s*(?:hours?|hrs?)\b`,
		`\b(?P<halfafter>one|two|an?)\s*-?\s*(?:hours?|hrs?)\.?\s+and\s+(?:a\s+)?half\b`,
		// "three-quarters of an hour", "a quarter hour": quarters of an hour
		`\b(?P<quarters>(?:three|3)[\s-]*quarters?|(?:an?|one)[\s-]+quarter|quarter)\s*-?\s*(?:of\s+)?(?:an?\s+)?(?:hours?|hrs?)\b`,
		// "half an hour", "half-hour", "a half hour"
		`(?:\b(?P<half>half)|(?:^|[^\d/.])(?P<halfn>1/2|½))\s*-?\s*(?:an?\s+)?(?:hours?|hrs?)\b`,
		// "1 hr", "1.5 hours", ".5 hr", "1-2 hours", "one hour", "an hour", "one-hour"
		// "1,0 hr": a decimal comma; "(0.5) hr": the figure bracketed.
		`(?P<hour>\b\d{1,2}(?:[.,]\d+)?|\.\d+|\bone|\btwo|\ban?)(?:` + rxRangeToRE + `(?P<hour2>\d{1,2}(?:\.\d+)?|two))?\)?\s*-?\s*(?:(?:full|whole|entire|complete)\s+)?(?:hours?|hrs?)\b`,
		// "1h", "1.5h"
		`\b(?P<hshort>\d(?:\.\d+)?)\s?h\b`,
		// "hour-long", "hour long"
		`\b(?P<hourlong>hour)[\s-]long\b`,
	}, "|"))
	re.Longest()
	return re
}()

// sessionTotalRE recognises a count of units for the whole plan, not for one
// session ("48 units total", "total of 24 units").
var sessionTotalRE = regexp.MustCompile(`(?i)^\s*(?:in\s+)?total\b|\btotal(?:\s+of)?\s*[:\-]?\s*$`)

// sessionAfterCountRE recognises what makes "x N" a frequency, not a length:
// "97140 x 2/week", "x 12 visits".
var sessionAfterCountRE = regexp.MustCompile(`(?i)^\s*(?:/|per\b|times\b|[x×]\s*/|visits?\b|sessions?\b|treatments?\b|tx\b|appointments?\b|weeks?\b|wks?\b|days?\b|months?\b|mos?\b|minutes?\b|mins?\b|hours?\b|hrs?\b|units?\b|u\b)`)

// sessionProcCountRE is "x N" (or "(N)") right after a procedure.
var sessionProcCountRE = regexp.MustCompile(`(?i)^(?:\s*-?\s*(?:GP|GO|59|KX|XS)\b)*\s*(?:[x×*]\s*(\d{1,2})\b|\(\s*(\d{1,2})\s*\))`)

type sessionMention struct {
	minutes, units int
	rng            bool
	start, end     int
}

// ParseSession reads the length of each treatment from text: units ("4
// units", "4u", "x4 units", "units: 4", "4 x 15 min"), minutes ("60 min",
// "45 minutes", "90-minute sessions", "30 mins"), hours ("one hour", "1 hr",
// "1.5 hours", "an hour and a half", "half an hour", "1 hr 30 min"). Minutes
// are converted with [UnitsForMinutes]; Text is the evidence.
//
// Statements of units, minutes or hours outside a plausible session (under
// 8 or over 180 minutes, over 12 units) or marked as a plan total ("48 units
// total") are ignored. When several statements agree on the units they are
// combined ("60 min (4 units)"); when they disagree, or when the only
// statement is "x N" after a procedure ("97140 x4": units or visits?), the
// Session is Ambiguous. ok is false when text states no length at all.
func ParseSession(text string) (Session, bool) {
	var ms []sessionMention
	plain := mendHourOne(figuresOnly(text))
	for _, m := range sessionRE.FindAllStringSubmatchIndex(plain, -1) {
		if sm, ok := readSessionMatch(plain, m); ok {
			ms = append(ms, sm)
		}
	}
	if len(ms) == 0 {
		return sessionFromProcedureCount(text)
	}
	ms = dropUnitSize(text, ms)
	first := ms[0]
	s := Session{Minutes: first.minutes, Units: first.units, Range: first.rng, Text: strings.TrimRight(text[first.start:first.end], " ,;)")}
	for _, m := range ms[1:] {
		if m.units != s.Units {
			var ev []string
			for _, m := range ms {
				ev = append(ev, text[m.start:m.end])
			}
			return Session{Ambiguous: true, Text: strings.Join(ev, "; ")}, true
		}
		if s.Minutes == 0 && m.minutes > 0 {
			s.Minutes = m.minutes
		}
		s.Range = s.Range || m.rng
	}
	return s, true
}

// reUnitSizeAfter and reUnitSizeBefore recognise "15 min" as the size of
// a unit, not a length: "4 units (15 min each)", "15-minute units".
var (
	reUnitSizeAfter  = regexp.MustCompile(`(?i)^\s*(?:each|apiece|per\s+unit|units?)\b`)
	reUnitSizeBefore = regexp.MustCompile(`(?i)units?\s*[(,:-]?\s*(?:of|at|@|x|=)?\s*$`)
)

// dropUnitSize drops mentions of 15 minutes that say how long a unit is,
// when units are stated too.
func dropUnitSize(text string, ms []sessionMention) []sessionMention {
	hasUnits := false
	for _, m := range ms {
		hasUnits = hasUnits || m.minutes == 0
	}
	if !hasUnits {
		return ms
	}
	out := ms[:0:0]
	for _, m := range ms {
		if m.minutes == 15 && (reUnitSizeAfter.MatchString(strings.TrimLeft(text[m.end:], ")")) || reUnitSizeBefore.MatchString(text[:m.start])) {
			continue
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		return ms
	}
	return out
}

func readSessionMatch(text string, m []int) (sessionMention, bool) {
	group := func(name string) (string, bool) {
		i := sessionRE.SubexpIndex(name)
		if m[2*i] < 0 {
			return "", false
		}
		return text[m[2*i]:m[2*i+1]], true
	}
	matched := func(name string) bool {
		_, ok := group(name)
		return ok
	}
	num := func(name string) int {
		g, ok := group(name)
		if !ok {
			return 0
		}
		n, ok := rxNum(g, true)
		if !ok {
			return 0
		}
		return n
	}
	sm := sessionMention{start: m[0], end: m[1]}
	switch {
	case matched("ux15"):
		sm.units = num("ux15")
	case matched("x15u"):
		sm.units = num("x15u")
	case matched("u15"):
		sm.units = num("u15")
	case matched("u"):
		sm.units = num("u")
		if matched("u2") {
			sm.units, sm.rng = max(sm.units, num("u2")), true
		}
	case matched("ushort"):
		sm.units = num("ushort")
	case matched("ulabel"):
		if sessionAfterCountRE.MatchString(text[m[1]:]) {
			return sm, false
		}
		sm.units = num("ulabel")
	case matched("hm_h"):
		sm.minutes = 60*num("hm_h") + num("hm_m")
	case matched("min"):
		sm.minutes = num("min")
		if matched("min2") {
			sm.minutes, sm.rng = max(sm.minutes, num("min2")), true
		}
	case matched("minquote"):
		sm.minutes = num("minquote")
	case matched("minprime"):
		sm.minutes = num("minprime")
		if sm.minutes < 10 || sm.minutes > 180 {
			return sm, false
		}
	case matched("hhalf"):
		sm.minutes = 60*num("hhalf") + 30
	case matched("whalf"):
		sm.minutes = 60*num("whalf") + 30
	case matched("halfafter"):
		sm.minutes = 60*num("halfafter") + 30
	case matched("half"), matched("halfn"):
		sm.minutes = 30
	case matched("quarters"):
		q, _ := group("quarters")
		sm.minutes = 15
		if strings.HasPrefix(strings.ToLower(q), "three") || strings.HasPrefix(q, "3") {
			sm.minutes = 45
		}
	case matched("hour"):
		h, _ := group("hour")
		h = strings.Replace(h, ",", ".", 1)
		sm.minutes = hoursToMinutes(h)
		if h2, ok := group("hour2"); ok {
			sm.minutes, sm.rng = max(sm.minutes, hoursToMinutes(h2)), true
		}
	case matched("hshort"):
		h, _ := group("hshort")
		sm.minutes = hoursToMinutes(h)
	case matched("hourlong"):
		sm.minutes = 60
	default:
		return sm, false
	}
	if sm.units > 0 {
		before := text[max(0, sm.start-16):sm.start]
		if sm.units > sessionMaxUnits || sessionTotalRE.MatchString(before) || sessionTotalRE.MatchString(text[m[1]:min(len(text), m[1]+10)]) {
			return sm, false
		}
		return sm, true
	}
	if sm.minutes < sessionMinMinutes || sm.minutes > sessionMaxMinutes {
		return sm, false
	}
	sm.units = UnitsForMinutes(sm.minutes)
	return sm, true
}

func hoursToMinutes(s string) int {
	s = strings.ToLower(strings.TrimSpace(s))
	if n, ok := rxNum(s, true); ok {
		return 60 * n
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return int(math.Round(f * 60))
}

// sessionFromProcedureCount looks for "x N" right after a procedure ("97140
// x4", "MFR x 4") and reports it as ambiguous: it may be units or visits.
func sessionFromProcedureCount(text string) (Session, bool) {
	for _, pm := range procedureMentions(text) {
		rest := text[pm.end:]
		m := sessionProcCountRE.FindStringSubmatchIndex(rest)
		if m == nil {
			continue
		}
		g := 2
		if m[2] < 0 {
			g = 4
		}
		if sessionAfterCountRE.MatchString(rest[m[1]:]) {
			continue
		}
		n, _ := strconv.Atoi(rest[m[g]:m[g+1]])
		if n < 1 {
			continue
		}
		return Session{Ambiguous: true, Count: n, Text: text[pm.start : pm.end+m[1]]}, true
	}
	return Session{}, false
}
