package extract

import (
	"strconv"
	"strings"
	"time"
)

var months = map[string]time.Month{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

// dateMatch is a date found in text, with its position.
type dateMatch struct {
	Date       time.Time
	Start, End int
}

// A date is read as a sequence of tokens, not as one pattern per layout:
// numbers, month words and years, with the separators people and their
// software put between them (docs/reading.md, "Dates"). Every combination
// of these is read: "11/05/2026", "11.5.26", "2026-11-05", "2026 Nov 5", "Nov 5, 2026",
// "Nov-05-2026", "5 November 2026", "November 5th, '26", "the 5th of
// November 2026".

// dateToken is a number, a word or an apostrophe year of a text.
type dateToken struct {
	start, end int
	num        int    // value of a number or an apostrophe year; -1 for a word
	digits     int    // how many digits a number has; 0 for a word
	word       string // a word, lower case
	apos       bool   // "'26": a year
}

// dateTokens splits s into numbers, words and apostrophe years.
func dateTokens(s string) []dateToken {
	var out []dateToken
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isDigit(c):
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			n, _ := strconv.Atoi(s[i:min(j, i+6)])
			out = append(out, dateToken{start: i, end: j, num: n, digits: j - i})
			i = j
		case c == '\'' || strings.HasPrefix(s[i:], "’"):
			w := 1
			if c != '\'' {
				w = len("’")
			}
			j := i + w
			if j+2 <= len(s) && isDigit(s[j]) && isDigit(s[j+1]) && (j+2 == len(s) || !isDigit(s[j+2])) {
				out = append(out, dateToken{start: i, end: j + 2, num: int(s[j]-'0')*10 + int(s[j+1]-'0'), digits: 2, apos: true})
				i = j + 2
				continue
			}
			i = j
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
				j++
			}
			out = append(out, dateToken{start: i, end: j, num: -1, word: strings.ToLower(s[i:j])})
			i = j
		default:
			i++
		}
	}
	return out
}

// month is the month a word names ("Nov", "november", "Sept."), or 0.
func (t dateToken) month() time.Month {
	if t.digits > 0 || len(t.word) < 3 || len(t.word) > 9 {
		return 0
	}
	m, ok := months[t.word[:3]]
	if !ok {
		return 0
	}
	// A prefix of the month's name, or the name a letter misread: not
	// "marlys" or "mayor".
	full := strings.ToLower(m.String())
	if strings.HasPrefix(full, t.word) || t.word == "sept" || len(t.word) >= 5 && editDistance(t.word, full) <= 1 {
		return m
	}
	return 0
}

func (t dateToken) ordinal() bool {
	switch t.word {
	case "st", "nd", "rd", "th":
		return true
	}
	return false
}

// findDates returns the dates in s, in order of appearance. Numeric dates
// are month first, as in the United States, unless the first number cannot
// be a month ("25/10/2026").
func findDates(s string) []dateMatch {
	var out []dateMatch
	add := func(y, m, d int, start, end int) bool {
		if y < 100 {
			// Two-digit years: a prescription is recent, a birth year may be
			// last century.
			if y <= time.Now().Year()%100+1 {
				y += 2000
			} else {
				y += 1900
			}
		}
		if m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2100 {
			return false
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if t.Day() != d {
			return false // 02/31
		}
		for _, o := range out {
			if start < o.End && o.Start < end {
				return false
			}
		}
		out = append(out, dateMatch{t, start, end})
		return true
	}
	toks := dateTokens(s)
	gap := func(i int) string { return s[toks[i-1].end:toks[i].start] }
	// numSep is the gap of a numeric date: one of / . - with spaces.
	numSep := func(i int) bool {
		g := strings.TrimSpace(gap(i))
		return len(g) == 1 && strings.Contains("/.-", g) && len(gap(i)) <= 3
	}
	// nameSep is the gap beside a month's name: spaces, a comma, a dot, a
	// dash or a slash ("25/Oct/2026": with the month in letters no order of
	// day and month is in doubt).
	nameSep := func(i int) bool {
		g := gap(i)
		return len(g) <= 3 && strings.Trim(g, " ,.-/") == ""
	}
	year := func(t dateToken) bool { return t.apos || t.digits == 4 || t.digits == 2 }
	day := func(t dateToken) bool { return t.digits == 1 || t.digits == 2 }
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		at := func(k int) (dateToken, bool) {
			if i+k < len(toks) {
				return toks[i+k], true
			}
			return dateToken{num: -1}, false
		}
		switch {
		case t.digits == 4:
			// 2026-11-05, 2026/11/5
			m, ok1 := at(1)
			d, ok2 := at(2)
			if ok1 && ok2 && day(m) && day(d) && numSep(i+1) && numSep(i+2) && add(t.num, m.num, d.num, t.start, d.end) {
				i += 2
				continue
			}
			// 2026 Nov 09, 2026-November-9th: year first, the month in
			// letters, as record systems outside the United States print it.
			if ok1 && ok2 && m.month() != 0 && day(d) && nameSep(i+1) && nameSep(i+2) && add(t.num, int(m.month()), d.num, t.start, d.end) {
				if o, ok := at(3); ok && o.ordinal() && gap(i+3) == "" {
					i++
				}
				i += 2
			}
		case day(t) && !t.apos:
			a, ok1 := at(1)
			if !ok1 {
				continue
			}
			// 11/05/2026, 11.5.26, 25-10-2026
			if b, ok2 := at(2); day(a) && numSep(i+1) && ok2 && numSep(i+2) && b.digits > 0 && year(b) && !b.apos {
				mo, d := t.num, a.num
				if mo > 12 && d <= 12 {
					mo, d = d, mo
				}
				if add(b.num, mo, d, t.start, b.end) {
					i += 2
				}
				continue
			}
			// 5 Nov 2026, 5th of November, '26, 05-Nov-26
			k := 1
			if a.ordinal() && gap(i+1) == "" {
				k++
			}
			if w, ok := at(k); ok && w.word == "of" {
				k++
			}
			mw, ok := at(k)
			if !ok || mw.month() == 0 || !nameSep(i+k) && !strings.Contains(gap(i+k), "of") {
				continue
			}
			// "05-Nov-26": a two-digit year only between dashes.
			dashed := k == 1 && strings.TrimSpace(gap(i+1)) == "-"
			if y, ok := at(k + 1); ok && (y.digits == 4 || y.apos || y.digits == 2 && dashed && strings.TrimSpace(gap(i+k+1)) == "-") && nameSep(i+k+1) && add(y.num, int(mw.month()), t.num, t.start, y.end) {
				i += k + 1
			}
		case t.month() != 0:
			// Nov 5, 2026; November 5th '26; Nov-05-26
			d, ok := at(1)
			if !ok || !day(d) || !nameSep(i+1) {
				continue
			}
			k := 2
			if o, ok := at(2); ok && o.ordinal() && gap(i+2) == "" {
				k++
			}
			y, ok := at(k)
			if !ok || !nameSep(i+k) {
				continue
			}
			dashed := strings.TrimSpace(gap(i+1)) == "-" && strings.TrimSpace(gap(i+k)) == "-"
			if (y.digits == 4 || y.apos || y.digits == 2 && dashed) && add(y.num, int(t.month()), d.num, t.start, y.end) {
				i += k
			}
		}
	}
	return out
}

// isoDate formats a date as docs/interfaces.md wants it.
func isoDate(t time.Time) string { return t.Format("2006-01-02") }

// yearlessDate finds a month's name beside a day with no year
// ("November 3rd", "3 Nov"): a date written the way people say it, which
// the order's date may be. It returns the piece of s, or "".
func yearlessDate(s string) string {
	toks := dateTokens(s)
	for i := 0; i+1 < len(toks); i++ {
		a, b := toks[i], toks[i+1]
		gap := s[a.end:b.start]
		if len(gap) > 3 || strings.Trim(gap, " ,.-") != "" {
			continue
		}
		if a.month() != 0 && b.digits > 0 && b.digits <= 2 && b.num >= 1 && b.num <= 31 ||
			b.month() != 0 && a.digits > 0 && a.digits <= 2 && a.num >= 1 && a.num <= 31 {
			return s[a.start:b.end]
		}
	}
	return ""
}
