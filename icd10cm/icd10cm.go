// Package icd10cm owns the ICD-10-CM diagnosis code sets that rxintake checks
// prescriptions against.
//
// It embeds the CDC/NCHS lists of billable codes for the fiscal years it
// carries (see data/README.md for provenance), answers which set is in force on
// a date, normalises codes as printed on a prescription, tells billable codes
// from header codes and lists a header's billable children, and cross-checks a
// code against the description printed next to it to spot OCR misreads.
//
// Sets are loaded lazily, once per fiscal year, and are safe for concurrent
// use.
package icd10cm

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
)

// ErrFormat reports a string that is not shaped like an ICD-10-CM code. The
// wrapped message says what is wrong without repeating the input.
var ErrFormat = errors.New("icd10cm: malformed code")

// errData reports an embedded code file that cannot be parsed: a build defect.
var errData = errors.New("icd10cm: corrupt embedded code file")

//go:embed data/icd10cm-codes-2026.txt.gz data/icd10cm-codes-2027.txt.gz
var dataFS embed.FS

// A yearFile is one embedded code set, loaded on first use.
type yearFile struct {
	fy    int
	name  string
	start time.Time // first day in force (October 1 of fy-1)
	once  sync.Once
	set   *Set
}

// years lists the embedded sets, oldest first.
var years = []*yearFile{
	{fy: 2026, name: "data/icd10cm-codes-2026.txt.gz"},
	{fy: 2027, name: "data/icd10cm-codes-2027.txt.gz"},
}

func init() {
	for _, y := range years {
		y.start = time.Date(y.fy-1, time.October, 1, 0, 0, 0, 0, time.UTC)
	}
}

// Code is a billable ICD-10-CM code with its long description.
type Code struct {
	Code        string `json:"code"` // with the dot, e.g. "M54.50"
	Description string `json:"description"`
}

// Set is the list of billable codes of one fiscal year. The zero value is not
// usable; obtain a Set from [For] or [ForYear].
type Set struct {
	fy    int
	start time.Time
	end   time.Time // first day no longer in force; zero for the newest set
	keys  []uint64  // packed codes, ascending (see pack)
	descs string    // all descriptions, concatenated
	ends  []uint32  // ends[i] is the end of description i in descs

	simOnce sync.Once
	sim     *simIndex // token weights for description matching
}

// FiscalYearOf returns the US federal fiscal year that date falls in: FY N
// runs from October 1 of N-1 to September 30 of N. Only the calendar date of
// date, in its own location, counts.
func FiscalYearOf(date time.Time) int {
	if date.Month() >= time.October {
		return date.Year() + 1
	}
	return date.Year()
}

// Years returns the fiscal years whose code sets are embedded, oldest first.
func Years() []int {
	out := make([]int, len(years))
	for i, y := range years {
		out[i] = y.fy
	}
	return out
}

// For returns the code set in force on date (a date of service or the date a
// prescription is checked). For a date outside every embedded year it returns
// the nearest set: the oldest for earlier dates, the newest for later ones;
// [Set.Covers] tells the caller when that happened, so that a check against a
// set not in force can be flagged rather than trusted.
func For(date time.Time) *Set {
	fy := FiscalYearOf(date)
	y := years[0]
	for _, c := range years {
		if c.fy <= fy {
			y = c
		}
	}
	return y.load()
}

// ForYear returns the embedded code set of fiscal year fy, or an error wrapping
// [ErrNoYear] when it is not embedded.
func ForYear(fy int) (*Set, error) {
	for _, y := range years {
		if y.fy == fy {
			return y.load(), nil
		}
	}
	return nil, fmt.Errorf("%w: FY%d (embedded: %v)", ErrNoYear, fy, Years())
}

// ErrNoYear reports a fiscal year whose code set is not embedded.
var ErrNoYear = errors.New("icd10cm: code set not embedded")

func (y *yearFile) load() *Set {
	y.once.Do(func() {
		s, err := loadSet(y)
		if err != nil {
			// The files are part of the binary and tests load every one of
			// them; failing here is a build defect, not a runtime condition.
			panic(err)
		}
		y.set = s
	})
	return y.set
}

func loadSet(y *yearFile) (*Set, error) {
	f, err := dataFS.Open(y.name)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errData, y.name, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errData, y.name, err)
	}
	s, err := parseSet(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", y.name, err)
	}
	s.fy = y.fy
	s.start = y.start
	for _, n := range years {
		if n.fy == y.fy+1 {
			s.end = n.start
		}
	}
	return s, nil
}

// parseSet reads the CDC "codes" layout: the code without its dot,
// left-aligned in 8 characters, then the long description; CRLF or LF.
func parseSet(r io.Reader) (*Set, error) {
	type entry struct {
		key  uint64
		desc string
	}
	var entries []entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1024), 64*1024)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimRight(sc.Bytes(), "\r")
		if len(b) == 0 {
			continue
		}
		if len(b) < 10 {
			return nil, fmt.Errorf("%w: line %d: too short", errData, line)
		}
		code := string(bytes.TrimRight(b[:8], " "))
		if _, ok := compactSyntax(code); !ok || len(code) > 7 {
			return nil, fmt.Errorf("%w: line %d: bad code %q", errData, line, code)
		}
		desc := strings.TrimSpace(string(b[8:]))
		if desc == "" {
			return nil, fmt.Errorf("%w: line %d: no description", errData, line)
		}
		entries = append(entries, entry{pack(code), desc})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %v", errData, err)
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("%w: no codes", errData)
	}
	// The CDC files follow the tabular order, which is not byte order
	// (C4A sorts before C44 there).
	slices.SortFunc(entries, func(a, b entry) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	s := &Set{
		keys: make([]uint64, len(entries)),
		ends: make([]uint32, len(entries)),
	}
	size := 0
	for _, e := range entries {
		size += len(e.desc)
	}
	var sb strings.Builder
	sb.Grow(size)
	for i, e := range entries {
		if i > 0 && e.key == entries[i-1].key {
			return nil, fmt.Errorf("%w: duplicate code %s", errData, unpack(e.key))
		}
		s.keys[i] = e.key
		sb.WriteString(e.desc)
		s.ends[i] = uint32(sb.Len())
	}
	s.descs = sb.String()
	return s, nil
}

// pack turns a dotless code of at most 8 characters into a number whose order
// is the byte order of the codes, so that all codes starting with a prefix
// form one contiguous range.
func pack(code string) uint64 {
	var k uint64
	for i := 0; i < 8; i++ {
		k <<= 8
		if i < len(code) {
			k |= uint64(code[i])
		}
	}
	return k
}

func unpack(k uint64) string {
	var b [8]byte
	n := 0
	for i := 0; i < 8; i++ {
		c := byte(k >> (56 - 8*i))
		if c == 0 {
			break
		}
		b[i] = c
		n++
	}
	return string(b[:n])
}

// prefixRange returns the half-open index range of the codes that start with
// the n-character code packed in k.
func (s *Set) prefixRange(k uint64, n int) (lo, hi int) {
	khi := k | (uint64(1)<<(8*(8-n)) - 1)
	lo = sort.Search(len(s.keys), func(i int) bool { return s.keys[i] >= k })
	hi = lo + sort.Search(len(s.keys)-lo, func(i int) bool { return s.keys[lo+i] > khi })
	return lo, hi
}

// index finds the code packed in k.
func (s *Set) index(k uint64) (int, bool) {
	i := sort.Search(len(s.keys), func(i int) bool { return s.keys[i] >= k })
	return i, i < len(s.keys) && s.keys[i] == k
}

func (s *Set) desc(i int) string {
	var from uint32
	if i > 0 {
		from = s.ends[i-1]
	}
	return s.descs[from:s.ends[i]]
}

// FiscalYear returns the fiscal year of the set, e.g. 2026 for the set in
// force from 2025-10-01 to 2026-09-30.
func (s *Set) FiscalYear() int { return s.fy }

// Len returns the number of billable codes in the set.
func (s *Set) Len() int { return len(s.keys) }

// Covers reports whether the set is in force on date. The newest embedded set
// covers every date from its start on, since no newer one is known.
func (s *Set) Covers(date time.Time) bool {
	d := time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.UTC)
	if d.Before(s.start) {
		return false
	}
	return s.end.IsZero() || d.Before(s.end)
}

// Lookup returns the long description of code and whether code is billable in
// the set. code may be written as [Normalize] accepts it. A header code (one
// with more specific children) or an unknown or malformed code yields "", false:
// the CDC lists describe billable codes only.
func (s *Set) Lookup(code string) (desc string, billable bool) {
	k, _, err := parseKey(code)
	if err != nil {
		return "", false
	}
	i, ok := s.index(k)
	if !ok {
		return "", false
	}
	return s.desc(i), true
}

// IsHeader reports whether code is a header in the set: not billable itself,
// but the start of listed billable codes (M54.5 for M54.50, M54.51, M54.59;
// S13.4 for S13.4XXA). Categories such as M54 are headers too.
func (s *Set) IsHeader(code string) bool {
	k, n, err := parseKey(code)
	if err != nil {
		return false
	}
	lo, hi := s.prefixRange(k, n)
	if lo == hi {
		return false
	}
	return hi-lo > 1 || s.keys[lo] != k
}

// Exists reports whether code is billable or a header in the set.
func (s *Set) Exists(code string) bool {
	k, n, err := parseKey(code)
	if err != nil {
		return false
	}
	lo, hi := s.prefixRange(k, n)
	return lo < hi
}

// Children returns the billable codes that start with code, sorted, with their
// descriptions: for a header these are the codes an office can choose from
// (M54.5 -> M54.50, M54.51, M54.59). It returns nil when code is billable
// itself, unknown or malformed.
func (s *Set) Children(code string) []Code {
	k, n, err := parseKey(code)
	if err != nil {
		return nil
	}
	lo, hi := s.prefixRange(k, n)
	if lo == hi || (hi-lo == 1 && s.keys[lo] == k) {
		return nil
	}
	out := make([]Code, 0, hi-lo)
	for i := lo; i < hi; i++ {
		out = append(out, Code{Code: format(unpack(s.keys[i])), Description: s.desc(i)})
	}
	return out
}

// Normalize checks that raw is shaped like an ICD-10-CM code and returns it in
// the form rxintake reports: upper case, with the dot after the third
// character ("m5450" -> "M54.50", "(R51)" -> "R51").
//
// It tolerates case, surrounding spaces and punctuation ("M54.50," or
// "(M54.50)") and a missing dot. It is strict otherwise: the code must be a
// letter, then 2 to 6 letters or digits, and a dot, when present, must follow
// the third character. Inner spaces ("M54.5 0") and other inner punctuation are
// rejected with an error wrapping [ErrFormat]. The second character is a digit
// in all codes but the QA0 category added in FY2026, so a letter there is
// accepted ("MS4.50" passes and is then unknown to every set); recognising OCR
// confusions is [Set.Misread]'s job. Normalize does not consult a code set: use
// [Set.Lookup] or [Set.Exists] for that.
func Normalize(raw string) (string, error) {
	k, n, err := parseKey(raw)
	if err != nil {
		return "", err
	}
	return format(unpack(k)[:n]), nil
}

// parseKey does the work of Normalize without allocating: it returns the
// packed dotless code and its length.
func parseKey(raw string) (k uint64, n int, err error) {
	s := strings.TrimFunc(raw, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if s == "" {
		return 0, 0, fmt.Errorf("%w: empty", ErrFormat)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			if i != 3 || n != 3 {
				return 0, 0, fmt.Errorf("%w: the dot must follow the third character", ErrFormat)
			}
			continue
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if !isAlnum(c) || n == 0 && !('A' <= c && c <= 'Z') || n == 7 {
			return 0, 0, fmt.Errorf("%w: want a letter, then 2 to 6 letters or digits", ErrFormat)
		}
		k |= uint64(c) << (56 - 8*n)
		n++
	}
	if n < 3 {
		return 0, 0, fmt.Errorf("%w: want a letter, then 2 to 6 letters or digits", ErrFormat)
	}
	return k, n, nil
}

// compactSyntax checks a dotless upper-case code: a letter, then 2 to 6
// letters or digits. The second character is a digit in every code but one
// category: FY2026 added QA0 (QA0.0101 and so on), so a letter there is
// accepted.
func compactSyntax(c string) (string, bool) {
	if len(c) < 3 || len(c) > 7 {
		return "", false
	}
	if c[0] < 'A' || c[0] > 'Z' {
		return "", false
	}
	for i := 1; i < len(c); i++ {
		if !isAlnum(c[i]) {
			return "", false
		}
	}
	return c, true
}

func isAlnum(b byte) bool {
	return 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// format inserts the dot after the third character of a dotless code.
func format(c string) string {
	if len(c) <= 3 {
		return c
	}
	return c[:3] + "." + c[3:]
}
