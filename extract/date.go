package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var months = map[string]time.Month{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

var (
	reDateNum = regexp.MustCompile(`\b(\d{1,2})\s?[/.-]\s?(\d{1,2})\s?[/.-]\s?(\d{4}|\d{2})\b`)
	reDateISO = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	reDateMDY = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?[ -]*(\d{1,2})(?:st|nd|rd|th)?(?:,\s*|[ -]+)(\d{4})\b`)
	reDateDMY = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?[ -]+(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?,?[ -]+(\d{4})\b`)
)

// dateMatch is a date found in text, with its position.
type dateMatch struct {
	Date       time.Time
	Start, End int
}

// findDates returns the US-format dates in s, in order of appearance.
func findDates(s string) []dateMatch {
	var out []dateMatch
	add := func(y, m, d int, start, end int) {
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
			return
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if t.Day() != d {
			return // 02/31
		}
		for _, o := range out {
			if start < o.End && o.Start < end {
				return
			}
		}
		out = append(out, dateMatch{t, start, end})
	}
	for _, m := range reDateISO.FindAllStringSubmatchIndex(s, -1) {
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		d, _ := strconv.Atoi(s[m[6]:m[7]])
		add(y, mo, d, m[0], m[1])
	}
	for _, m := range reDateNum.FindAllStringSubmatchIndex(s, -1) {
		mo, _ := strconv.Atoi(s[m[2]:m[3]])
		d, _ := strconv.Atoi(s[m[4]:m[5]])
		y, _ := strconv.Atoi(s[m[6]:m[7]])
		add(y, mo, d, m[0], m[1])
	}
	for _, m := range reDateMDY.FindAllStringSubmatchIndex(s, -1) {
		mo := months[strings.ToLower(s[m[2]:m[3]])]
		d, _ := strconv.Atoi(s[m[4]:m[5]])
		y, _ := strconv.Atoi(s[m[6]:m[7]])
		add(y, int(mo), d, m[0], m[1])
	}
	for _, m := range reDateDMY.FindAllStringSubmatchIndex(s, -1) {
		d, _ := strconv.Atoi(s[m[2]:m[3]])
		mo := months[strings.ToLower(s[m[4]:m[5]])]
		y, _ := strconv.Atoi(s[m[6]:m[7]])
		add(y, int(mo), d, m[0], m[1])
	}
	// In order of appearance.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Start < out[j-1].Start; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// isoDate formats a date as docs/interfaces.md wants it.
func isoDate(t time.Time) string { return t.Format("2006-01-02") }
