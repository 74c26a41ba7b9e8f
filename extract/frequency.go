package extract

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"rxintake/confusion"
)

// Frequency is the treatment plan: how many visits over how many weeks.
type Frequency struct {
	// Visits is the total number of visits of the plan.
	Visits int `json:"visits,omitempty"`
	// Weeks is the total duration; 0 when only a number of visits was
	// given ("12 visits").
	Weeks int `json:"weeks,omitempty"`
	// Text is the evidence, as printed.
	Text string `json:"text"`
	// Range is set when the plan gave ranges ("1-2x/week x 6-8 weeks");
	// Visits and Weeks then count at the upper bounds.
	Range bool `json:"range,omitempty"`
	// Reason says, when ParseFrequency returns ok == false although text
	// talks about frequency, why that is not a plan ("PRN", an open end).
	Reason string `json:"reason,omitempty"`
	// Evidence is filled in by the prescription reader: the line this was
	// read from and how sure the reading is. In JSON, Text above stands for
	// its Text.
	Evidence
}

// Reasons ParseFrequency gives for statements that are not a plan.
const (
	FrequencyPRN         = "PRN: as needed is not a plan"
	FrequencyOpenEnded   = "open-ended: a frequency without an end"
	FrequencyNoDuration  = "a frequency without a duration"
	FrequencyBiweekly    = `"biweekly" may mean twice a week or every two weeks`
	FrequencyConflicting = "conflicting plans"
)

// Bounds of a plausible plan; numbers outside are read as something else.
const (
	freqMaxPerWeek = 7
	freqMaxWeeks   = 52
	freqMaxMonths  = 12
	freqMaxVisits  = 100
)

// reFreqNum is a number or a range of numbers ("2", "two", "1-2", "2 to 3",
// "1 or 2").
const reFreqNum = rxNumRE + `(?:\s*(?:-|–|to|or)\s*` + rxNumRE + `)?`

// freqVisitNoun is a word for a visit, with what describes it: its length
// ("60-minute", "one hour") and its kind ("massage").
const freqVisitNoun = `(?:(?:\d{1,3}(?:\.\d+)?|one|an?|half)[\s-]*(?:hours?|hrs?|minutes?|mins?)[\s-]*(?:long\s+)?)?(?:(?:massage|therapy|treatment|MFR|PT)\s+)?(?:visits?|sessions?|treatments?|txs?|appointments?|appts?)`

// freqRateRE finds visits per week.
var freqRateRE = func() *regexp.Regexp {
	re := regexp.MustCompile(`(?i)` + strings.Join([]string{
		// "2x/week", "2x/wk", "2 times per week", "2 visits a week", "2/wk", "1-2x/week"
		// "two 45-minute visits per week": the visit may be described.
		`\b(?P<n>` + reFreqNum + `)\s*(?:x|×|times?|` + freqVisitNoun + `|days?)?\s*(?:/|per|a|an|each|every|in\s+a)\s*(?:weeks?|wks?|w)\b`,
		// "2x w(?:ee)?kly", "2x wk", "two times w(?:ee)?kly", "2 sessions w(?:ee)?kly",
		// "2-3 wkly" (a count of weekly visits, "6 weekly sessions", is
		// the count's: freqMentions)
		`\b(?P<nx>` + reFreqNum + `)\s*(?:(?:x|×|times?)\s*(?:w(?:ee)?kly|weeks?|wks?|w)|(?:x|×|times?)?\s*w(?:ee)?kly|` + freqVisitNoun + `\s+w(?:ee)?kly)\b`,
		// "twice a week", "twice w(?:ee)?kly", "once/wk"
		`\b(?P<word>once|twice|thrice)[\s-]*(?:/|per|a|an|each|every|in\s+a)?\s*(?:w(?:ee)?kly|weeks?|wks?)\b`,
		// "BIW", "TIW", "QW", "w(?:ee)?kly", "every week", "semiw(?:ee)?kly"
		`\b(?P<code>biw|tiw|qiw|qw|qwk|q\s?w(?:ee)?k|every\s+week|each\s+week|w(?:ee)?kly|semi[\s-]?w(?:ee)?kly)\b`,
		// "Q2W", "every other week", "every 2 weeks", "QOW"
		`\b(?P<every>every\s+other\s+week|alternat(?:e|ing)\s+weeks|every\s+(?:2nd|second)\s+week|every\s+(?P<everyn>[2-4]|two|three|four)\s+w(?:ee)?ks|q\s?(?P<qn>[2-4])\s?w(?:ee)?ks?|q\s?(?P<qn2>[2-4])\s?w|qow|fortnightly|(?:once\s+(?:a|every|each|per)|every|each|per)\s+fortnight)\b`,
		// "every other day", "every 10 days", "every fourteen days": one
		// visit each so many days.
		// "q14d", "q 10 days": the clinical shorthand.
		`\b(?P<days>every\s+other\s+day|every\s+(?P<daysn>` + rxNumRE + `)\s+days|q\s?(?P<qd>\d{1,2})\s?(?:d|days?)\b)`,
		// "biw(?:ee)?kly": twice a week or every two weeks?
		`\b(?P<biweekly>bi[\s-]?w(?:ee)?kly)\b`,
	}, "|"))
	re.Longest()
	return re
}()

// freqDurationRE finds durations.
var freqDurationRE = func() *regexp.Regexp {
	re := regexp.MustCompile(`(?i)(?:\b(?P<prefix>for|x|×|over|during|lasting|times|duration(?:\s+of)?)\s*:?\s*(?:the\s+(?:next|following|coming|upcoming)\s+|a\s+period\s+of\s+|a\s+total\s+of\s+|up\s+to\s+|another\s+|an\s+additional\s+)?|\b)` +
		// "over the following month": one of the unit.
		`(?P<d>` + reFreqNum + `|an?|the\s+(?:next|following|coming|upcoming))\s*-?\s*(?:(?:consecutive|additional|more|further|straight|full)\s+)?(?P<unit>weeks?|wks?|w|months?|mos?|fortnights?|/\s?52|/\s?12)\b` +
		// "a month and a half": half a unit more.
		`(?P<half>\s+and\s+a\s+half)?`)
	re.Longest()
	return re
}()

// freqCountRE finds numbers of visits, with or without the weeks they take.
var freqCountRE = func() *regexp.Regexp {
	dur := `(?:\s*(?:total)?\s*,?\s*(?:over|in|within|during|for|x|×|/|across|spread\s+over)\s*(?:the\s+next\s+|a\s+period\s+of\s+)?(?P<cd>` + reFreqNum + `|an?)\s*-?\s*(?P<cdu>weeks?|wks?|months?|mos?)\b)?`
	re := regexp.MustCompile(`(?i)` + strings.Join([]string{
		// "12 visits", "12x 1-hour treatments over 4 weeks", "8 sessions over 4 weeks"
		// "six weekly 30-minute sessions", "eight twice-weekly visits": the
		// rate stands inside the count and makes the span.
		`\b(?P<c>` + reFreqNum + `)\s*(?:x\s*)?(?:(?P<cw>(?:once|twice|thrice)[\s-]+weekly|weekly)\s+)?(?:(?:\d{1,3}(?:\.\d+)?|one|an?|half)[\s-]*(?:hours?|hrs?|minutes?|mins?)[\s-]*(?:long\s+)?)?(?:(?:massage|therapy|treatment|MFR|PT)\s+)?(?:visits?|sessions?|treatments?|txs?|appointments?|appts?)\b` + dur,
		// "weekly sessions, 6 total", "12 in total": a plan's count of
		// visits, a clause of its own beside the rate
		`(?:^|[,;:]\s*)(?P<ct>` + reFreqNum + `)\s+(?:in\s+)?total\b`,
		// "visits: 12", "# of sessions: 8"
		`\b(?:(?:#|no\.?|number)\s*(?:of\s*)?)?(?:visits|sessions|treatments)\s*[:=#]\s*(?P<cl>\d{1,3})\b` + dur,
	}, "|"))
	re.Longest()
	return re
}()

// reClarifies is what stands between a word and the words that say what
// it means: a bracket, a comma, "i.e.", "that is", "meaning".
var reClarifies = regexp.MustCompile(`(?i)^\s*(?:[(\[,:-]|i\.?e\.?|that\s+is|meaning)[\s,]*(?:i\.?e\.?,?\s*)?$`)

// freqWeekRangeRE is a phase of a taper named by its weeks' numbers
// ("wk 1-2", "weeks 3 to 6").
var freqWeekRangeRE = regexp.MustCompile(`(?i)\b(?:weeks?|wks?)\s*(\d{1,2})\s*(?:-|–|to|through|thru)\s*(\d{1,2})\b`)

// reWeeksBefore is a word of weeks just before a number.
var reWeeksBefore = regexp.MustCompile(`(?i)\b(?:weeks?|wks?)\s*$`)

// freqRateAfterCountRE, right after "N visits", makes them a rate.
var freqRateAfterCountRE = regexp.MustCompile(`(?i)^\s*(?:every|each|per|a\s+week|an?\s+wk|/\s*w|weekly|q\s?\d?\s?wk?s?\b)`)

// freqAfterLabelCountRE rejects "visits: 2x/week" as a count.
var freqAfterLabelCountRE = regexp.MustCompile(`(?i)^\s*(?:x|×|/|per\b|times\b)`)

// freqOpenRE is an open end right after a frequency.
var freqOpenRE = regexp.MustCompile(`(?i)^[\s,;:-]*(?:then\s+)?(?:thereafter|there\s+after|after\s+that|afterwards?|ongoing|indefinitely|until\s+(?:discharge|further\s+notice|resolved|resolution|goals\s+(?:are\s+)?met)|as\s+needed|prn|p\.r\.n\b|continuing|to\s+continue)\b`)

// freqPRNRE is "as needed" anywhere.
var freqPRNRE = regexp.MustCompile(`(?i)\b(?:prn|p\.r\.n\b|as\s+needed)`)

// freqPRNAfterRE is "then PRN" right after a plan.
var freqPRNAfterRE = regexp.MustCompile(`(?i)^[\s,;:.-]*(?:(?:and\s+)?then\s+|followed\s+by\s+)?(?:prn|p\.r\.n\b|as\s+needed)`)

// freqDurationLabelRE is a labelled duration: "Duration: 6 weeks".
var freqDurationLabelRE = regexp.MustCompile(`(?i)(?:\b(?:duration|length)(?:\s+of\s+(?:treatment|care|therapy|plan|tx))?\s*[:=-]\s*$|^duration\b)`)

// freqHistoryWords in the gap between a frequency and a duration say that the
// duration is about the complaint ("2x/week; pt has had LBP for 6 weeks").
var freqHistoryWords = map[string]bool{
	"history": true, "hx": true, "since": true, "ago": true, "onset": true,
	"past": true, "last": true, "prior": true, "previous": true,
	"previously": true, "had": true, "has": true, "have": true, "having": true,
	"experienced": true, "symptoms": true, "sx": true, "started": true,
	"began": true, "noticed": true, "reports": true, "complains": true,
	"c/o": true, "duration of symptoms": true,
}

// freqJoinWords may stand between the phases of one plan (data/cues.txt,
// plan-join): "then", "followed by", "taper to", "step down to".
var freqJoinWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range words("cues/plan-join") {
		m[strings.ToLower(w)] = true
	}
	return m
}()

type freqKind int

const (
	freqRate freqKind = iota
	freqDuration
	freqCount
)

type freqMention struct {
	kind       freqKind
	start, end int
	rng        bool
	// rate
	perWeek, every int // every > 0: one visit every so many weeks
	everyDays      int // > 0: one visit every so many days
	biweekly       bool
	// duration, or a count's own duration
	weeks     int
	weekRange bool // "wk 3-6": a taper's phase, the rate after it is its own
	// count
	visits  int
	ownRate bool // the count holds its rate ("six weekly sessions")
	used    bool
}

type freqPhase struct {
	start, end    int
	visits, weeks int
	rng           bool
	conflict      bool
}

// ParseFrequency reads the treatment plan from text and returns its total
// visits and weeks.
//
// It reads visits per week ("2x/week", "2x/wk", "2 times per week", "twice a
// week", "two times weekly", "BIW", "TIW", "QW", "weekly", "once weekly",
// "Q2W", "every other week") joined to a duration ("for 6 weeks", "x 6 wks",
// "for six weeks"); phases of a taper joined by commas, "then" or "followed
// by" add up ("3x/week for 1 week, 2x/week for 1 week, then 1x/week for 6
// weeks" = 11 visits, 8 weeks); numbers of visits ("12 visits", "12
// treatments over 4 weeks", "12x 1-hour treatments over 4 weeks", "8
// sessions over 4 weeks", "12 visits / 6 weeks", "2x/week for 12 visits"). Ranges count at the upper
// bound and set Range ("1-2x/week x 6-8 weeks" = 16 visits, 8 weeks). A
// duration in months counts four weeks a month, as plans of care count
// visits (3 months = 12 weeks: docs/reading.md). Number words run from one to ninety-nine.
//
// ok is false when text holds no plan. Reason then says why when text talks
// about frequency all the same: "PRN", an open end ("1x/week thereafter", a
// taper ending "then 1x/week" or "then PRN"), a frequency with no duration
// ("2x/week"), "biweekly" (ambiguous), or plans that disagree.
//
// A duration joins a frequency when it follows within 40 characters in the
// same clause; words about the complaint in between ("pt has had LBP for 6
// weeks", "since", "ago") keep it apart.
func ParseFrequency(text string) (Frequency, bool) {
	mended := mendFrequency(text)
	f, ok := parseFrequency(mended)
	if i := strings.Index(mended, f.Text); f.Text != "" && i >= 0 {
		// The mends keep every offset: report the text as printed.
		f.Text = text[i : i+len(f.Text)]
	}
	return f, ok
}

// OCR confusions in plans, each mended in place (same length, so the
// offsets of the mended text are those of the printed one): counts read
// as letters (mendCounts), "limes" (times), "visils" (visits), "cvery"
// (every), "tor" (for), "eight: weeks" and "6bWKS" (a mark between number
// and unit).
var (
	reFreqWords  = regexp.MustCompile(`(?i)\b(?:limes|visils|visifs|cvery|tor|lor)\b`)
	reFreqMark   = regexp.MustCompile(`(?i)(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve))[:;b]\s?(?:wks?|weeks?)\b`)
	freqWordMend = map[string]string{"limes": "times", "visils": "visits", "visifs": "visits", "cvery": "every", "tor": "for", "lor": "for"}
)

// Shapes of a plan's span that the parser reads in one form, rewritten in
// place (same length, offsets kept, docs/reading.md "Anchored reading"): a span used
// as an adjective ("over an 8-week period", "a 6-week course of") is "8
// weeks"; an end given as the week it falls in ("through week 6", "until
// wk 10") is "for 6 wks".
var (
	reFreqSpanAdj = regexp.MustCompile(`(?i)(?:an?\s+)?(` + rxNumRE + `)[\s-]+(weeks?|wks?|months?)[\s-]+(?:long\s+)?(?:period|course|program(?:me)?|plan|block|span|series|trial|window|time\s?frame|regimen|episode|stretch|cycle|duration|treatment\s+period)\b`)
	reFreqThrough = regexp.MustCompile(`(?i)\b(?:through|thru|until|till|up\s+to|to)\s+(?:the\s+end\s+of\s+)?(?:week|wk)\s*#?\s*(` + rxNumRE + `)\b`)
)

// mendPlanShapes applies reFreqSpanAdj and reFreqThrough.
func mendPlanShapes(s string) string {
	s = replaceSubmatchFunc(reFreqSpanAdj, s, func(m []string) string {
		out := m[1] + " " + m[2]
		return out + strings.Repeat(" ", len(m[0])-len(out))
	})
	return replaceSubmatchFunc(reFreqThrough, s, func(m []string) string {
		out := "for " + m[1] + " wks"
		if len(out) > len(m[0]) {
			return m[0]
		}
		return strings.Repeat(" ", len(m[0])-len(out)) + out
	})
}

// replaceSubmatchFunc is ReplaceAllStringFunc with the submatches.
func replaceSubmatchFunc(re *regexp.Regexp, s string, f func([]string) string) string {
	return re.ReplaceAllStringFunc(s, func(m string) string { return f(re.FindStringSubmatch(m)) })
}

func mendFrequency(s string) string {
	s = mendPlanShapes(figuresOnly(s))
	s = mendCounts(s)
	s = reFreqWords.ReplaceAllStringFunc(s, func(m string) string {
		return freqWordMend[strings.ToLower(m)]
	})
	s = mendDottedAbbreviations(s)
	s = reGluedTimes.ReplaceAllString(s, "$1 $2")
	s = reFreqMark.ReplaceAllStringFunc(s, func(m string) string {
		for i := 1; i < len(m); i++ {
			if c := m[i]; c == ':' || c == ';' || c == 'b' {
				return m[:i] + " " + m[i+1:]
			}
		}
		return m
	})
	return s
}

// Clinical shorthand is written with full stops as often as without:
// "b.i.w.", "T.I.W.", "q.w.", "q.o.w." are biw, tiw, qw, qow, and "q.2 wks"
// is q 2 wks. One rule for the whole class, not a spelling per
// abbreviation: a run of single letters each followed by a full stop
// closes up (the stops become spaces after it, keeping every offset), and
// a stop between q and its number becomes a space.
var (
	reDottedLetters = regexp.MustCompile(`(?i)\b(?:[a-z]\.){1,3}[a-z]\b\.?`)
	reDottedQ       = regexp.MustCompile(`(?i)\bq\.(\d)`)
)

// reGluedTimes is a rate glued to the "x" of its span ("2-3 wklyx4wks"):
// the x becomes the space it stands for, offsets kept.
var reGluedTimes = regexp.MustCompile(`(?i)\b(w(?:ee)?kly|wks?|weeks?)x(\d)`)

func mendDottedAbbreviations(s string) string {
	s = reDottedLetters.ReplaceAllStringFunc(s, func(m string) string {
		var letters []byte
		for i := 0; i < len(m); i++ {
			if c := m[i]; c != '.' {
				letters = append(letters, c)
			}
		}
		return string(letters) + strings.Repeat(" ", len(m)-len(letters))
	})
	return reDottedQ.ReplaceAllString(s, "q $1")
}

func parseFrequency(text string) (Frequency, bool) {
	ms := freqMentions(text)

	var phases []freqPhase
	var openRates []*freqMention
	for i := range ms {
		r := &ms[i]
		if r.kind != freqRate || r.used {
			continue
		}
		if p, ok := freqAttach(text, ms, i); ok {
			phases = append(phases, p)
			continue
		}
		openRates = append(openRates, r)
	}
	slices.SortFunc(phases, func(a, b freqPhase) int { return a.start - b.start })

	type sequence struct {
		freqPhase
		open bool
	}
	var seqs []sequence
	for _, p := range phases {
		if n := len(seqs); n > 0 && freqJoinable(text[seqs[n-1].end:p.start]) {
			s := &seqs[n-1]
			s.end = p.end
			s.visits += p.visits
			s.weeks += p.weeks
			s.rng = s.rng || p.rng
			s.conflict = s.conflict || p.conflict
			continue
		}
		seqs = append(seqs, sequence{freqPhase: p})
	}
	for i := range seqs {
		s := &seqs[i]
		for _, r := range openRates {
			if r.start >= s.end && freqJoinable(text[s.end:r.start]) {
				s.open = true
				s.end = r.end
			}
		}
		if m := freqPRNAfterRE.FindStringIndex(text[s.end:]); m != nil {
			s.open = true
			s.end += m[1]
		}
	}

	var plans []freqPhase
	for _, s := range seqs {
		if s.open {
			return Frequency{Text: text[s.start:s.end], Reason: FrequencyOpenEnded}, false
		}
		plans = append(plans, s.freqPhase)
	}
	for i := range ms {
		c := &ms[i]
		if c.kind != freqCount || c.used {
			continue
		}
		p := freqPhase{start: c.start, end: c.end, visits: c.visits, weeks: c.weeks, rng: c.rng}
		if c.weeks == 0 {
			if d := freqCountSpan(text, ms, i); d != nil {
				d.used = true
				p.weeks, p.rng = d.weeks, p.rng || d.rng
				p.start, p.end = min(p.start, d.start), max(p.end, d.end)
			}
		}
		plans = append(plans, p)
	}
	if len(plans) == 0 && len(openRates) == 1 {
		if p, ok := freqLabelledDuration(text, ms, openRates[0]); ok {
			plans = append(plans, p)
			openRates = nil
		}
	}

	if len(plans) == 0 {
		for _, r := range openRates {
			if r.biweekly {
				continue
			}
			reason := FrequencyNoDuration
			if freqOpenRE.MatchString(text[r.end:]) {
				reason = FrequencyOpenEnded
			}
			return Frequency{Text: text[r.start:r.end], Reason: reason}, false
		}
		if loc := freqPRNRE.FindStringIndex(text); loc != nil {
			return Frequency{Text: text[loc[0]:loc[1]], Reason: FrequencyPRN}, false
		}
		for _, r := range openRates {
			return Frequency{Text: text[r.start:r.end], Reason: FrequencyBiweekly}, false
		}
		return Frequency{}, false
	}

	// Prefer a plan with weeks; every other plan must agree with it.
	best := plans[0]
	for _, p := range plans {
		if best.weeks == 0 && p.weeks > 0 {
			best = p
		}
	}
	for _, p := range plans {
		if p.conflict || p.visits != best.visits || (p.weeks > 0 && p.weeks != best.weeks) {
			return Frequency{Text: text[best.start:best.end], Reason: FrequencyConflicting}, false
		}
	}
	return Frequency{Visits: best.visits, Weeks: best.weeks, Text: text[best.start:best.end], Range: best.rng}, true
}

// freqMentions finds rates, durations and counts, drops the ones that
// overlap a rate or a count, and returns them in text order.
func freqMentions(text string) []freqMention {
	var rates, counts, durs []freqMention
	for _, m := range freqRateRE.FindAllStringSubmatchIndex(text, -1) {
		if fm, ok := freqReadRate(text, m); ok {
			rates = append(rates, fm)
		}
	}
	// "bi-weekly (every 2 wks)", "biweekly, i.e. twice a week": the
	// writer said which; the word that may mean either gives way.
	rates = slices.DeleteFunc(rates, func(r freqMention) bool {
		if !r.biweekly {
			return false
		}
		for _, o := range rates {
			if !o.biweekly && o.start >= r.end && reClarifies.MatchString(text[r.end:o.start]) {
				return true
			}
		}
		return false
	})
	for _, m := range freqCountRE.FindAllStringSubmatchIndex(text, -1) {
		fm, ok := freqReadCount(text, m)
		if ok && fm.ownRate {
			// The rate inside the count ("six weekly sessions") is the
			// count's.
			rates = slices.DeleteFunc(rates, func(r freqMention) bool { return r.start >= fm.start && r.end <= fm.end })
		}
		if ok && !freqOverlaps(fm, rates) {
			counts = append(counts, fm)
		}
	}
	// "Wk 1-2: 3x/wk; Wk 3-6: 2x/wk": the weeks of a taper's phase, by
	// their numbers.
	for _, m := range freqWeekRangeRE.FindAllStringSubmatchIndex(text, -1) {
		a, _ := strconv.Atoi(text[m[2]:m[3]])
		b, _ := strconv.Atoi(text[m[4]:m[5]])
		fm := freqMention{kind: freqDuration, start: m[0], end: m[1], weeks: b - a + 1, weekRange: true}
		if a >= 1 && b >= a && b <= freqMaxWeeks && !freqOverlaps(fm, rates) && !freqOverlaps(fm, counts) {
			durs = append(durs, fm)
		}
	}
	for _, m := range freqDurationRE.FindAllStringSubmatchIndex(text, -1) {
		if fm, ok := freqReadDuration(text, m); ok && !freqOverlaps(fm, rates) && !freqOverlaps(fm, counts) && !freqOverlaps(fm, durs) {
			durs = append(durs, fm)
		}
	}
	all := slices.Concat(rates, counts, durs)
	slices.SortFunc(all, func(a, b freqMention) int { return a.start - b.start })
	return all
}

func freqOverlaps(m freqMention, others []freqMention) bool {
	for _, o := range others {
		if m.start < o.end && o.start < m.end {
			return true
		}
	}
	return false
}

// freqGroup returns the text of the named group of a match, and whether it
// took part.
func freqGroup(re *regexp.Regexp, text string, m []int, name string) (string, bool) {
	i := re.SubexpIndex(name)
	if i < 0 || m[2*i] < 0 {
		return "", false
	}
	return text[m[2*i]:m[2*i+1]], true
}

var freqRangeSepRE = regexp.MustCompile(`(?i)\s*(?:-|–|\bto\b|\bor\b)\s*`)

// freqRange reads "2", "two", "1-2", "2 to 3": the upper bound and whether it
// was a range.
func freqRange(s string, article bool) (n int, rng bool, ok bool) {
	parts := freqRangeSepRE.Split(strings.TrimSpace(s), -1)
	if len(parts) > 2 {
		return 0, false, false
	}
	for _, p := range parts {
		v, ok := rxNum(p, article)
		if !ok {
			return 0, false, false
		}
		n = max(n, v)
	}
	return n, len(parts) == 2, true
}

func freqReadRate(text string, m []int) (freqMention, bool) {
	re := freqRateRE
	fm := freqMention{kind: freqRate, start: m[0], end: m[1]}
	g := func(name string) (string, bool) { return freqGroup(re, text, m, name) }
	if s, ok := g("n"); ok {
		fm.perWeek, fm.rng, ok = freqRange(s, false)
		if !ok {
			return fm, false
		}
	} else if s, ok := g("nx"); ok {
		fm.perWeek, fm.rng, ok = freqRange(s, false)
		if !ok {
			return fm, false
		}
	} else if s, ok := g("word"); ok {
		fm.perWeek = map[string]int{"once": 1, "twice": 2, "thrice": 3}[strings.ToLower(s)]
	} else if s, ok := g("code"); ok {
		c := strings.Join(strings.Fields(strings.ToLower(s)), "")
		switch {
		case c == "biw" || strings.HasPrefix(c, "semi"):
			fm.perWeek = 2
		case c == "tiw":
			fm.perWeek = 3
		case c == "qiw":
			fm.perWeek = 4
		default: // qw, qwk, q week, weekly, every week
			fm.perWeek = 1
		}
	} else if _, ok := g("every"); ok {
		fm.every = 2
		for _, name := range []string{"everyn", "qn", "qn2"} {
			if s, ok := g(name); ok {
				fm.every, _ = rxNum(s, false)
			}
		}
	} else if _, ok := g("days"); ok {
		fm.everyDays = 2
		s, ok := g("daysn")
		if !ok {
			s, ok = g("qd")
		}
		if ok {
			if fm.everyDays, ok = rxNum(s, false); !ok || fm.everyDays < 2 || fm.everyDays > 4*7 {
				return fm, false
			}
		}
		if fm.everyDays%7 == 0 {
			fm.every, fm.everyDays = fm.everyDays/7, 0
		}
		return fm, true
	} else if _, ok := g("biweekly"); ok {
		fm.biweekly = true
		return fm, true
	}
	if fm.every == 0 && (fm.perWeek < 1 || fm.perWeek > freqMaxPerWeek) {
		return fm, false
	}
	return fm, true
}

// freqWeeks converts a duration to weeks.
func freqWeeks(n int, unit string) (int, bool) {
	unit = strings.ToLower(strings.ReplaceAll(unit, " ", ""))
	switch {
	case strings.HasPrefix(unit, "f"): // a fortnight is two weeks
		n *= 2
	case unit == "/52": // "6/52": six weeks, the clinical notation
		unit = "weeks"
	case unit == "/12": // "3/12": three months
		unit = "months"
	}
	if strings.HasPrefix(unit, "m") {
		if n < 1 || n > freqMaxMonths {
			return 0, false
		}
		return n * 4, true
	}
	if n < 1 || n > freqMaxWeeks {
		return 0, false
	}
	return n, true
}

// freqWeeksHalf is half of one unit of a span, in weeks ("a month and a
// half" is six weeks; half a week counts as none).
func freqWeeksHalf(unit string) int {
	if strings.HasPrefix(strings.ToLower(unit), "m") {
		return 2
	}
	return 0
}

func freqReadDuration(text string, m []int) (freqMention, bool) {
	re := freqDurationRE
	fm := freqMention{kind: freqDuration, start: m[0], end: m[1]}
	d, _ := freqGroup(re, text, m, "d")
	unit, _ := freqGroup(re, text, m, "unit")
	prefix, hasPrefix := freqGroup(re, text, m, "prefix")
	article := hasPrefix && strings.EqualFold(prefix, "for")
	n, rng, ok := freqRange(d, article)
	if strings.HasPrefix(strings.ToLower(d), "the") {
		n, rng, ok = 1, false, true
	}
	if !ok {
		return fm, false
	}
	fm.weeks, ok = freqWeeks(n, unit)
	if _, half := freqGroup(re, text, m, "half"); half && ok {
		fm.weeks += freqWeeksHalf(unit)
	}
	fm.rng = rng
	return fm, ok
}

func freqReadCount(text string, m []int) (freqMention, bool) {
	re := freqCountRE
	fm := freqMention{kind: freqCount, start: m[0], end: m[1]}
	var ok bool
	if i := re.SubexpIndex("c"); m[2*i] >= 0 && m[2*i+1] < len(text) && text[m[2*i+1]] >= '0' && text[m[2*i+1]] <= '9' {
		return fm, false // "60-minute sessions" is not 6 sessions
	}
	if s, found := freqGroup(re, text, m, "c"); found {
		fm.visits, fm.rng, ok = freqRange(s, false)
	} else if s, found := freqGroup(re, text, m, "ct"); found {
		fm.visits, fm.rng, ok = freqRange(s, false)
	} else if s, found := freqGroup(re, text, m, "cl"); found {
		if freqAfterLabelCountRE.MatchString(text[m[1]:]) {
			return fm, false
		}
		fm.visits, fm.rng, ok = freqRange(s, false)
	}
	if !ok || fm.visits < 1 || fm.visits > freqMaxVisits {
		return fm, false
	}
	if freqRateAfterCountRE.MatchString(text[m[1]:]) {
		return fm, false // "one visit every two weeks" is a rate, not a total
	}
	if w, found := freqGroup(re, text, m, "cw"); found {
		// "weeks 5-8 once weekly": the numbers are weeks of a taper, not
		// a count.
		if fm.rng || reWeeksBefore.MatchString(text[:m[0]]) {
			return fm, false
		}
		per := map[string]int{"once": 1, "twice": 2, "thrice": 3}[strings.ToLower(strings.Fields(strings.ReplaceAll(w, "-", " "))[0])]
		if per == 0 {
			per = 1
		}
		fm.weeks, fm.ownRate = (fm.visits+per-1)/per, true
	}
	if d, found := freqGroup(re, text, m, "cd"); found {
		unit, _ := freqGroup(re, text, m, "cdu")
		n, rng, ok := freqRange(d, true)
		if !ok {
			return fm, false
		}
		if fm.weeks, ok = freqWeeks(n, unit); !ok || fm.visits > freqMaxPerWeek*fm.weeks {
			return fm, false
		}
		fm.rng = fm.rng || rng
	}
	return fm, true
}

// freqAttach joins the rate ms[i] to the duration or count that completes
// it: the next mention after it, or a duration right before it.
func freqAttach(text string, ms []freqMention, i int) (freqPhase, bool) {
	r := &ms[i]
	if r.biweekly {
		return freqPhase{}, false
	}
	// "weeks 1-4 twice weekly, weeks 5-8 once weekly": the rate belongs
	// to the phase named before it, not to the next one.
	if i > 0 {
		if d := &ms[i-1]; d.weekRange && !d.used && freqConnectorsOnly(text[d.end:r.start], 12) {
			r.used, d.used = true, true
			return freqPhase{start: d.start, end: r.end, visits: freqVisits(r, d.weeks), weeks: d.weeks, rng: r.rng}, true
		}
	}
	if i+1 < len(ms) {
		n := &ms[i+1]
		if !n.used && n.kind != freqRate && freqGapOK(text[r.end:n.start]) {
			var p freqPhase
			switch {
			case n.kind == freqDuration:
				p = freqPhase{visits: freqVisits(r, n.weeks), weeks: n.weeks}
			case n.weeks > 0: // "3x/week, 12 visits over 4 weeks"
				p = freqPhase{visits: n.visits, weeks: n.weeks}
				p.conflict = !r.rng && !n.rng && freqVisits(r, n.weeks) != n.visits
			default: // "2x/week for 12 visits"
				p = freqPhase{visits: n.visits, weeks: freqWeeksFor(r, n.visits)}
			}
			p.start, p.end = r.start, n.end
			p.rng = r.rng || n.rng
			r.used, n.used = true, true
			return p, true
		}
	}
	if i > 0 {
		d := &ms[i-1]
		gap := text[d.end:r.start]
		if !d.used && d.kind == freqDuration && (freqConnectorsOnly(gap, 12) || freqCourseGap(gap) || len(gap) <= 40 && strings.Contains(strings.ToLower(gap), "frequency") && freqGapOK(gap)) {
			r.used, d.used = true, true
			return freqPhase{start: d.start, end: r.end, visits: freqVisits(r, d.weeks), weeks: d.weeks, rng: r.rng || d.rng}, true
		}
		// A count of visits, then the rate they come at ("twelve visits
		// at three per week", "8 sessions, 2 a week"): the span is the
		// weeks the rate takes to make them.
		if !d.used && d.kind == freqCount && d.weeks == 0 && freqConnectorsOnly(gap, 12) {
			r.used, d.used = true, true
			return freqPhase{start: d.start, end: r.end, visits: d.visits, weeks: freqWeeksFor(r, d.visits), rng: r.rng || d.rng}, true
		}
	}
	return freqPhase{}, false
}

// freqCountSpan is the span of weeks a count of visits with none of its
// own is given in the same clause, before it ("a 6-week course of 6
// visits") or after it ("30 treatments to be completed within 10 weeks"),
// unless the words between speak of the complaint or of a later review
// ("12 visits, re-evaluate in 4 weeks").
func freqCountSpan(text string, ms []freqMention, i int) *freqMention {
	c := &ms[i]
	fits := func(d *freqMention, gap string) bool {
		if d.used || d.kind != freqDuration || c.visits > freqMaxPerWeek*d.weeks || !freqGapOK(gap) {
			return false
		}
		for _, w := range strings.FieldsFunc(strings.ToLower(gap), func(r rune) bool { return r < 'a' || r > 'z' }) {
			if freqReviewWords[w] {
				return false
			}
		}
		return true
	}
	if i > 0 && fits(&ms[i-1], text[ms[i-1].end:c.start]) {
		return &ms[i-1]
	}
	if i+1 < len(ms) && fits(&ms[i+1], text[c.end:ms[i+1].start]) {
		return &ms[i+1]
	}
	return nil
}

// freqReviewWords between a count of visits and a span say the span is
// when the plan is reviewed, not how long it runs.
var freqReviewWords = map[string]bool{
	"evaluate": true, "evaluation": true, "eval": true, "reevaluate": true, "reevaluation": true,
	"reeval": true, "reassess": true, "reassessment": true, "recheck": true, "review": true,
	"follow": true, "followup": true, "return": true, "revisit": true, "progress": true,
}

// freqVisits is the number of visits a rate makes over weeks.
func freqVisits(r *freqMention, weeks int) int {
	if r.everyDays > 0 {
		return (weeks*7 + r.everyDays - 1) / r.everyDays
	}
	if r.every > 0 {
		return (weeks + r.every - 1) / r.every
	}
	return r.perWeek * weeks
}

// freqWeeksFor is the number of weeks a rate takes to make visits.
func freqWeeksFor(r *freqMention, visits int) int {
	if r.everyDays > 0 {
		return ((visits-1)*r.everyDays + 7) / 7
	}
	if r.every > 0 {
		return (visits-1)*r.every + 1
	}
	return (visits + r.perWeek - 1) / r.perWeek
}

// freqLabelledDuration completes a lone rate with a labelled duration
// elsewhere in text ("Frequency: 2x/week ... Duration: 6 weeks").
func freqLabelledDuration(text string, ms []freqMention, r *freqMention) (freqPhase, bool) {
	var found *freqMention
	for i := range ms {
		d := &ms[i]
		if d.kind != freqDuration || d.used {
			continue
		}
		if !freqDurationLabelRE.MatchString(text[max(0, d.start-40):d.start]) && !freqDurationLabelRE.MatchString(text[d.start:d.end]) {
			continue
		}
		if found != nil {
			return freqPhase{}, false
		}
		found = d
	}
	if found == nil {
		return freqPhase{}, false
	}
	start, end := min(r.start, found.start), max(r.end, found.end)
	if end-start > 200 {
		return freqPhase{}, false
	}
	return freqPhase{start: start, end: end, visits: freqVisits(r, found.weeks), weeks: found.weeks, rng: r.rng || found.rng}, true
}

// freqSentenceBreakRE is the end of a sentence followed by the next one.
var freqSentenceBreakRE = regexp.MustCompile(`[.!?]\s+[A-Z]|\n\s*\n`)

// freqGapOK reports whether a duration or count after a rate, separated by
// gap, belongs to it.
func freqGapOK(gap string) bool {
	if len(gap) > 40 || strings.ContainsRune(gap, ';') {
		return false
	}
	if loc := freqSentenceBreakRE.FindStringIndex(gap); loc != nil {
		// A new sentence may only be the duration itself ("2x/wk. For 6
		// weeks").
		if !freqConnectorsOnly(gap[loc[1]-1:], 12) {
			return false
		}
	}
	low := strings.ToLower(gap)
	for _, w := range strings.FieldsFunc(low, func(r rune) bool { return !('a' <= r && r <= 'z' || r == '/') }) {
		if freqHistoryWords[w] {
			return false
		}
	}
	return true
}

// freqConnectorsOnly reports whether gap holds only punctuation and words that
// join a frequency and its duration.
// freqCourseGap reports the words that name a course between its span and
// its rate: "a twelve-week plan of care at two visits a week", "6-week
// course of treatment, 2x/week".
func freqCourseGap(gap string) bool {
	if len(gap) > 28 {
		return false
	}
	course := false
	for _, w := range strings.FieldsFunc(strings.ToLower(gap), func(r rune) bool { return !('a' <= r && r <= 'z') }) {
		switch w {
		case "plan", "course", "program", "programme", "series", "trial", "poc":
			course = true
		case "of", "care", "treatment", "therapy", "massage", "at", "with", "for", "x":
		default:
			return false
		}
	}
	return course
}

func freqConnectorsOnly(gap string, maxLen int) bool {
	if len(gap) > maxLen {
		return false
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(gap), func(r rune) bool { return !('a' <= r && r <= 'z') }) {
		switch w {
		case "for", "x", "at", "over", "duration", "frequency", "of", "then", "and":
		default:
			return false
		}
	}
	return true
}

// freqJoinable reports whether gap, between two phases, holds only
// separators: punctuation, list numbers and joining words.
func freqJoinable(gap string) bool {
	if len(gap) > 30 || strings.Contains(gap, "\n\n") {
		return false
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(gap), func(r rune) bool {
		return strings.ContainsRune(" \t\r\n,;.:-–•*()/&+>→", r)
	}) {
		if freqJoinWords[w] {
			continue
		}
		if len(w) <= 2 && strings.Trim(w, "0123456789") == "" {
			continue // list numbers: "1)", "2."
		}
		return false
	}
	return true
}

// countUnits are the units of time and treatment a count stands before in
// a plan or a session, and the "x" of "2x/week". Words that also name
// labels ("Session length:", "Visits authorized") are not among them: a
// bar before a label is a rule or a tick box.
var countUnits = []string{"x", "wk", "wks", "week", "weeks", "mo", "mos", "month", "months",
	"min", "mins", "minute", "minutes", "hr", "hrs", "hour", "hours", "unit", "units"}

// mendCounts reads as digits the one or two characters standing where a
// count must stand, before a unit (docs/reading.md, "OCR confusions"):
// the confusion table's letters for digits ("| x/week", "for l month",
// "x lOwks", "lwk"), alone or glued to the unit or to an "x" before them.
// Same length: offsets are kept.
func mendCounts(s string) string {
	b := []byte(s)
	isWordByte := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '|' }
	for i := 0; i < len(b); i++ {
		// A run starts after a boundary, or after an "x" that follows one.
		if i > 0 && isWordByte(b[i-1]) && !(b[i-1] == 'x' || b[i-1] == 'X') {
			continue
		}
		if i > 0 && (b[i-1] == 'x' || b[i-1] == 'X') && i > 1 && isWordByte(b[i-2]) {
			continue
		}
		j := i
		for j < len(b) && j-i < 2 {
			if _, ok := countDigit(b[j]); !ok {
				break
			}
			j++
		}
		if j == i {
			continue
		}
		run := string(b[i:j])
		if digitCount(run) == len(run) {
			continue // digits already
		}
		// A number written in words is no count misread ("SIX WEEKS").
		k := j
		for k < len(b) && (b[k] >= 'a' && b[k] <= 'z' || b[k] >= 'A' && b[k] <= 'Z') {
			k++
		}
		if _, word := rxNumberWords[strings.ToLower(string(b[i:k]))]; word {
			continue
		}
		// What follows: the unit, glued or after a space and an "x/".
		rest := strings.ToLower(string(b[j:]))
		rest = strings.TrimLeft(rest, " ")
		if strings.HasPrefix(rest, "x") {
			// "x" is a rate's only before its period: "2x/wk", "1 x per
			// week"; a lone "lX" is a speck or a tick.
			rem := strings.TrimLeft(rest[1:], " ")
			if !strings.HasPrefix(rem, "/") && !strings.HasPrefix(rem, "per") && !strings.HasPrefix(rem, "a w") &&
				!strings.HasPrefix(rem, "w") && !strings.HasPrefix(rem, "d") {
				continue
			}
			rest = "x"
		}
		// A rate's slash: "i/week".
		if r := strings.TrimLeft(strings.TrimPrefix(rest, "/"), " "); len(r) < len(rest) && (strings.HasPrefix(r, "w") || strings.HasPrefix(r, "d") || strings.HasPrefix(r, "m")) {
			rest = strings.TrimPrefix(r, "")
		}
		unit := false
		for _, u := range countUnits {
			if strings.HasPrefix(rest, u) && (len(rest) == len(u) || !isWordByte(rest[len(u)]) && rest[len(u)] != ':') {
				unit = true
				break
			}
		}
		if !unit {
			continue
		}
		// After a number a count already stands ("for 8 | weeks": a
		// mark); a bar before a capitalised word is a rule before a
		// label ("weekly | Weeks of care:").
		before := strings.Fields(string(b[:i]))
		if n := len(before); n > 0 {
			p := strings.ToLower(strings.Trim(before[n-1], ".,;:()"))
			if allDigits(p) || numberWords[p] {
				continue
			}
		}
		if k := j + strings.IndexFunc(string(b[j:]), func(r rune) bool { return r != ' ' }); strings.ContainsRune(run, '|') && k > j &&
			k+1 < len(b) && b[k] >= 'A' && b[k] <= 'Z' && b[k+1] >= 'a' && b[k+1] <= 'z' {
			continue
		}
		for k := i; k < j; k++ {
			d, _ := countDigit(b[k])
			b[k] = byte(d)
		}
		i = j - 1
	}
	return string(b)
}

// countDigit is the digit c stands for where a count must stand: the
// confusion table's.
func countDigit(c byte) (rune, bool) {
	return confusion.Default.Digit(rune(c))
}
