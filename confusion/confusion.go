// Package confusion is the model of how OCR misreads print that the
// readers of the project share: which characters it takes for one another
// in codes, which letters it reads where a digit was printed, and which
// letter sequences it reads for others in words. The table is data
// (confusions.txt, embedded); docs/reading.md explains how it is used.
package confusion

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode"
)

//go:embed confusions.txt
var table string

// Model is a parsed confusion table.
type Model struct {
	groups []string
	digits map[rune]rune
	class  string
	words  [][2]string
	// letters: where a letter must stand, the marks read for it; start
	// holds the capitals that begin a word, after a small letter the
	// small ones.
	start, after map[rune]rune
}

// Default is the project's table.
var Default = mustParse(table)

func mustParse(s string) *Model {
	m, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return m
}

// Parse reads a table in the format of confusions.txt.
func Parse(s string) (*Model, error) {
	m := &Model{digits: map[rune]rune{}, start: map[rune]rune{}, after: map[rune]rune{}}
	for n, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		switch {
		case f[0] == "group" && len(f) == 2 && len(f[1]) >= 2:
			m.groups = append(m.groups, f[1])
		case f[0] == "digit" && len(f) == 3 && len(f[1]) == 1 && f[1][0] >= '0' && f[1][0] <= '9':
			for _, c := range f[2] {
				if prev, ok := m.digits[c]; ok && prev != rune(f[1][0]) {
					return nil, fmt.Errorf("confusion table line %d: %q is read as both %c and %c", n+1, c, prev, f[1][0])
				}
				m.digits[c] = rune(f[1][0])
				m.class += string(c)
			}
		case f[0] == "word" && len(f) == 3:
			m.words = append(m.words, [2]string{f[1], f[2]})
		case f[0] == "letter" && len(f) == 3 && len([]rune(f[1])) == 1 && unicode.IsLetter([]rune(f[1])[0]):
			l := []rune(f[1])[0]
			to := m.after
			if unicode.IsUpper(l) {
				to = m.start
			}
			for _, c := range f[2] {
				if unicode.IsLetter(c) {
					return nil, fmt.Errorf("confusion table line %d: %q is a letter", n+1, c)
				}
				to[c] = l
			}
		default:
			return nil, fmt.Errorf("confusion table line %d: cannot read %q", n+1, line)
		}
	}
	return m, nil
}

// Plausible reports whether OCR plausibly reads a as b (or b as a) in a
// code: the same character, or two of one group.
func (m *Model) Plausible(a, b byte) bool {
	if a == b {
		return true
	}
	for _, g := range m.groups {
		if strings.IndexByte(g, a) >= 0 && strings.IndexByte(g, b) >= 0 {
			return true
		}
	}
	return false
}

// Digit returns the digit c stands for where a number must stand: c
// itself when it is a digit, the digit OCR confused it with ('O' for 0,
// 'l' for 1), or ok false.
func (m *Model) Digit(c rune) (rune, bool) {
	if c >= '0' && c <= '9' {
		return c, true
	}
	d, ok := m.digits[c]
	return d, ok
}

// ReadAs are the characters OCR reads where digit d was printed.
func (m *Model) ReadAs(d rune) []rune {
	var out []rune
	for _, c := range m.class {
		if m.digits[c] == d {
			out = append(out, c)
		}
	}
	return out
}

// DigitLetters are the characters read as digits, for a character class
// of a regular expression (each is escaped).
func (m *Model) DigitLetters() string {
	var b strings.Builder
	for _, c := range m.class {
		if strings.ContainsRune(`\]^-[|`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Digits reads s as digits where a number must stand, mending the letters
// OCR confused with digits; other characters are kept.
func (m *Model) Digits(s string) string {
	return strings.Map(func(c rune) rune {
		if d, ok := m.Digit(c); ok {
			return d
		}
		return c
	}, s)
}

// Letters mends a word of letters in which OCR read marks or digits for
// some ("Pau!" for Paul, "|saac" for Isaac, "O'Ma1ley"): at the start of
// the word before a small letter a mark stands for a capital, after a
// small letter for a small one. A word with fewer than two letters, or
// with a mark the table does not give, is returned unchanged.
func (m *Model) Letters(w string) string {
	rs := []rune(w)
	letters := 0
	for _, c := range rs {
		if unicode.IsLetter(c) {
			letters++
		}
	}
	if letters < 2 {
		return w
	}
	out := make([]rune, len(rs))
	changed := false
	for i, c := range rs {
		out[i] = c
		if unicode.IsLetter(c) {
			continue
		}
		var l rune
		var ok bool
		switch {
		case i == 0 && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
			l, ok = m.start[c]
		case i > 0 && unicode.IsLower(out[i-1]):
			l, ok = m.after[c]
		}
		if ok {
			out[i] = l
			changed = true
		}
	}
	if !changed {
		return w
	}
	return string(out)
}

// WordSubs are the letter sequences OCR reads for others in words, as
// (read, printed) pairs, in the order of the table.
func (m *Model) WordSubs() [][2]string { return m.words }
