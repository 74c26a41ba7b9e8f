package assist

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"rxintake/casefile"
	"rxintake/extract"
	"rxintake/icd10cm"
	"rxintake/validate"
)

// ground keeps of replies what the prescription's text bears out
// (docs/llm.md, "Grounding") and turns it into ans's findings and outcome.
func ground(ans *Answer, q []element, replies []reply, text string, rec *casefile.Record) {
	ntext := " " + normText(text) + " "
	asked := map[string]element{}
	for _, e := range q {
		asked[e.name] = e
	}
	done := map[string]bool{}
	found, disagree, discarded := 0, 0, 0
	for _, r := range replies {
		e, ok := asked[r.Element]
		if !ok || done[r.Element] {
			if r.Present {
				ans.Discarded = append(ans.Discarded, Discard{r.Element, "not asked about, or answered twice"})
			}
			continue
		}
		done[r.Element] = true
		if !r.Present {
			continue
		}
		values, why := groundReply(e, r, ntext, text, rec)
		if why != "" {
			discarded++
			ans.Discarded = append(ans.Discarded, Discard{e.name, why})
			continue
		}
		if e.rule == "" {
			if agrees(e, values) {
				continue
			}
			disagree++
			ans.Findings = append(ans.Findings, validate.Finding{Rule: RuleDisagrees, Severity: validate.Warning,
				Message: fmt.Sprintf("The rules read the %s with low confidence, and a language model reads it otherwise: %q. A person decides which is right.", e.name, strings.TrimSpace(r.Quote))})
			continue
		}
		found++
		f := validate.Finding{Rule: RuleFound, Severity: validate.Warning,
			Message: fmt.Sprintf("The rules found no %s, but a language model found it on the prescription: %q. A person confirms it before any correction request goes out.", e.name, strings.TrimSpace(r.Quote))}
		if e.kind == kindCode && len(values) > 0 {
			f.Code = values[0]
		}
		ans.Findings = append(ans.Findings, f)
	}
	switch {
	case found > 0:
		ans.Outcome = OutcomePresent
	case disagree > 0:
		ans.Outcome = OutcomeDisagrees
	case discarded > 0:
		ans.Outcome = OutcomeUngrounded
	default:
		ans.Outcome = OutcomeAbsent
	}
}

// groundReply checks one "present" reply against the text: the quote must
// be in it, and the values must be in the quote and valid as the rules
// would have them. It returns the values kept, or why the reply is
// discarded.
func groundReply(e element, r reply, ntext, text string, rec *casefile.Record) ([]string, string) {
	nq := normText(r.Quote)
	if len(strings.ReplaceAll(nq, " ", "")) < 2 || !strings.Contains(ntext, " "+nq+" ") {
		return nil, "the quote is not in the prescription's text"
	}
	switch e.kind {
	case kindCode:
		inText := codesIn(text)
		set := icd10cm.For(recordAsOf(rec))
		var kept []string
		vals := r.Values
		if len(vals) == 0 {
			vals = codesList(r.Quote)
		}
		for _, v := range vals {
			c, err := icd10cm.Normalize(v)
			if err != nil || !inText[dotless(c)] || !strings.Contains(dotless(strings.ToUpper(r.Quote)), dotless(c)) {
				return nil, "a code is not in the quote or the text"
			}
			if _, billable := set.Lookup(c); !billable {
				return nil, "a code is not a billable ICD-10-CM code"
			}
			kept = append(kept, c)
		}
		if len(kept) == 0 {
			return nil, "no code"
		}
		return kept, ""
	case kindDate:
		if len(r.Values) == 0 {
			return nil, "no date"
		}
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(r.Values[0]))
		if err != nil {
			return nil, "the date is not YYYY-MM-DD"
		}
		if !slices.Contains(datesIn(r.Quote), d) {
			return nil, "the date is not the quote's"
		}
		return []string{d.Format(time.DateOnly)}, ""
	case kindName:
		if len(r.Values) == 0 || !nameIn(r.Values[0], r.Quote) {
			return nil, "the name is not in the quote"
		}
		return r.Values[:1], ""
	case kindSignature:
		if !signatureRe.MatchString(r.Quote) {
			return nil, "the quote is no electronic-signature statement"
		}
	case kindText:
		if cue := textCues[e.name]; cue != nil && !cue(nq) {
			return nil, "the quote does not state a " + e.name
		}
	case kindModality:
		billed := false
		for _, p := range extract.Procedures(r.Quote) {
			billed = billed || p.CPT != "97124"
		}
		if !billed {
			return nil, "the quote orders no billable modality"
		}
	}
	return r.Values, ""
}

// agrees reports whether a grounded value is what the rules read (fallback).
func agrees(e element, values []string) bool {
	switch e.kind {
	case kindName:
		// Exactly: an OCR slip in the rules' reading is what is to be caught.
		return len(e.have) > 0 && len(values) > 0 && normText(values[0]) == normText(e.have[0])
	case kindCode:
		have := map[string]bool{}
		for _, c := range e.have {
			have[dotless(strings.ToUpper(c))] = true
		}
		for _, v := range values {
			if !have[dotless(v)] {
				return false
			}
		}
		return true
	default:
		return len(e.have) > 0 && len(values) > 0 && e.have[0] == values[0]
	}
}

func recordAsOf(rec *casefile.Record) time.Time {
	if t, err := time.Parse(time.DateOnly, rec.AsOf); err == nil {
		return t
	}
	return time.Now().UTC()
}

// normText lowers s and turns every run of other than letters and digits
// into one space: the form quotes are found in the text by.
func normText(s string) string {
	var b strings.Builder
	space := true
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

var codeRe = regexp.MustCompile(`(?i)\b[A-Z][0-9][0-9A-Z](?:\s?\.\s?[0-9A-Z]{1,4})?\b`)

func dotless(s string) string {
	return strings.NewReplacer(".", "", " ", "").Replace(s)
}

// codesIn returns the codes written in text, upper case without the dot.
func codesIn(text string) map[string]bool {
	out := map[string]bool{}
	for _, c := range codesList(text) {
		out[dotless(c)] = true
	}
	return out
}

func codesList(text string) []string {
	var out []string
	for _, m := range codeRe.FindAllString(text, -1) {
		out = append(out, strings.ToUpper(dotless(m)))
	}
	return out
}

// textCues are what a quote must hold to state an element read by its
// words alone: a quote of a word or two that happen to be in the text
// proves nothing. They are looser than the rules' parsers, whose misses are
// the point of asking.
var textCues = map[string]func(nq string) bool{
	"areas": func(nq string) bool { return len(extract.Areas(nq)) > 0 },
	"session": func(nq string) bool {
		return (numberRe.MatchString(nq) || articleRe.MatchString(nq)) && lengthRe.MatchString(nq)
	},
	"frequency": func(nq string) bool { return numberRe.MatchString(nq) || planRe.MatchString(nq) },
}

var (
	// numberRe is a number in a normalised quote, in digits or words.
	numberRe  = regexp.MustCompile(`\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|half|dozen)\b`)
	articleRe = regexp.MustCompile(`\b(a|an)\b`) // "an hour"
	lengthRe  = regexp.MustCompile(`\b(min|mins|minute|minutes|hour|hours|hr|hrs|h|unit|units|u)\b`)
	planRe    = regexp.MustCompile(`\b(daily|weekly|monthly|fortnightly|biweekly|twice|once|thrice|biw|tiw|qw|q2w|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?)\b`)
)

// signatureRe is an electronic-signature statement, as the rules take one
// (docs/reading.md).
var signatureRe = regexp.MustCompile(`(?i)\b(e-?sig|e-?signed|electronically\s+signed|signed\s+electronically|digitally\s+signed|electronic\s+signature|signed\s+by)`)

var (
	isoDateRe  = regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	numDateRe  = regexp.MustCompile(`\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b`)
	mdyDateRe  = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
	dmyDateRe  = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+(\d{4})\b`)
	monthIndex = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
)

// datesIn returns every date s writes, each reading of an ambiguous
// numeric date (month first and day first).
func datesIn(s string) []time.Time {
	var out []time.Time
	add := func(y, m, d int) {
		if y < 100 {
			y += 2000
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if m >= 1 && m <= 12 && d >= 1 && t.Day() == d {
			out = append(out, t)
		}
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	for _, m := range isoDateRe.FindAllStringSubmatch(s, -1) {
		add(atoi(m[1]), atoi(m[2]), atoi(m[3]))
	}
	for _, m := range numDateRe.FindAllStringSubmatch(s, -1) {
		add(atoi(m[3]), atoi(m[1]), atoi(m[2]))
		add(atoi(m[3]), atoi(m[2]), atoi(m[1]))
	}
	for _, m := range mdyDateRe.FindAllStringSubmatch(s, -1) {
		add(atoi(m[3]), monthIndex[strings.ToLower(m[1])], atoi(m[2]))
	}
	for _, m := range dmyDateRe.FindAllStringSubmatch(s, -1) {
		add(atoi(m[3]), monthIndex[strings.ToLower(m[2])], atoi(m[1]))
	}
	return out
}

// nameIn reports whether every word of name (two letters or more) is a
// word of text, allowing an OCR slip: one letter in a word of four or
// more, two in a word of eight or more.
func nameIn(name, text string) bool {
	words := strings.Fields(normText(text))
	n := 0
	for _, w := range strings.Fields(normText(name)) {
		if len([]rune(w)) < 2 {
			continue
		}
		n++
		ok := false
		for _, t := range words {
			if fuzzyEqual(w, t) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return n > 0
}

func fuzzyEqual(a, b string) bool {
	if a == b {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	allow := 0
	switch l := min(len(ra), len(rb)); {
	case l >= 8:
		allow = 2
	case l >= 4:
		allow = 1
	}
	return allow > 0 && distance(ra, rb) <= allow
}

// distance is the Levenshtein distance of a and b.
func distance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
