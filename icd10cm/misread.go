package icd10cm

import (
	"math"
	"strings"

	"rxintake/confusion"
)

// Thresholds of the description cross-check, on the 0..1 scale of
// [Set.DescriptionAgrees].
const (
	// AgreeThreshold is the score from which a printed description is taken
	// to describe a code.
	AgreeThreshold = 0.8
	// misreadMargin is how far the suggested code must lead every other
	// candidate, and the code as read, to be reported.
	misreadMargin = 0.15
)

// plausible reports whether OCR plausibly reads a as b (or b as a) in a
// code, by the project's confusion table (docs/reading.md).
func plausible(a, b byte) bool { return a != b && confusion.Default.Plausible(a, b) }

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// Misread cross-checks a code read from a prescription against the
// description printed next to it and reports the code that was probably
// meant.
//
// code may be any OCR reading ("M54.S0", "M62.B30", "MS4.50"); it is
// upper-cased and stripped of everything but letters and digits. When that code
// is not billable, or is billable but another candidate agrees clearly better
// with printed, Misread considers every billable code one OCR error away: one
// character substituted (the usual confusions 0/O/D/Q, 1/I/L/7, 5/S, 8/B, 2/Z,
// 6/G, and any other), the last character missing, or one character too many
// at the end. It reports likely, with its agreement score, and ok=true when
// exactly one candidate agrees with printed (score >= [AgreeThreshold]) and it
// leads every other candidate and the code as read by a clear margin.
//
// A header read with its last character missing and a printed description
// (M54.5 "Low back pain, unspecified") yields the child meant (M54.50).
//
// Misread never decides: the caller reports the code as read, with likely as
// evidence for the person or office who corrects it.
func (s *Set) Misread(code, printedDescription string) (likely Code, score float64, ok bool) {
	c := lenientCompact(code)
	if len(c) < 3 || len(c) > 8 {
		return Code{}, 0, false
	}
	printed := s.similarity().tokenize(printedDescription, true)
	if len(printed) == 0 {
		return Code{}, 0, false
	}
	readScore := 0.0
	if i, found := s.index(pack(c)); found && len(c) <= 7 {
		readScore = s.similarity().agree(s.desc(i), printed)
	}

	type cand struct {
		i     int
		score float64
	}
	var best, second cand
	best.i, second.i = -1, -1
	agreeing := 0
	seen := make(map[int]bool)
	try := func(k string) {
		if len(k) < 3 || len(k) > 7 || k == c {
			return
		}
		i, found := s.index(pack(k))
		if !found || seen[i] {
			return
		}
		seen[i] = true
		sc := s.similarity().agree(s.desc(i), printed)
		if sc >= AgreeThreshold {
			agreeing++
		}
		switch {
		case sc > best.score:
			second = best
			best = cand{i, sc}
		case sc > second.score:
			second = cand{i, sc}
		}
	}
	buf := []byte(c)
	for p := range buf {
		orig := buf[p]
		for j := 0; j < len(alphabet); j++ {
			if alphabet[j] == orig {
				continue
			}
			buf[p] = alphabet[j]
			try(string(buf))
		}
		buf[p] = orig
	}
	try(c[:len(c)-1])
	for j := 0; j < len(alphabet); j++ {
		try(c + alphabet[j:j+1])
	}

	if agreeing != 1 || best.i < 0 {
		return Code{}, 0, false
	}
	if best.score-math.Max(second.score, readScore) < misreadMargin {
		return Code{}, 0, false
	}
	return Code{Code: format(unpack(s.keys[best.i])), Description: s.desc(best.i)}, best.score, true
}

// PlausibleMisread reports whether read and meant differ by one of the
// character confusions OCR commonly makes in codes (0/O/D/Q, 1/I/L/7, 5/S,
// 8/B, 2/Z, 6/G) at one position, ignoring case and the dot. A suggestion from
// [Set.Misread] that is also a plausible misread is stronger evidence.
func PlausibleMisread(read, meant string) bool {
	a, b := lenientCompact(read), lenientCompact(meant)
	if len(a) != len(b) {
		return false
	}
	diff := -1
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] {
			if diff >= 0 {
				return false
			}
			diff = i
		}
	}
	return diff >= 0 && plausible(a[diff], b[diff])
}

// DescriptionAgrees scores, from 0 to 1, how well printed describes code:
// 1 when printed is the code's description, near 1 for abbreviated or slightly
// garbled copies of it ("Low back pain, unsp", "Muscle spasm, back",
// "Sprain of ligaments of cervical spine, init encntr"), low when printed
// names something else. Words are weighted by how rare they are among all
// descriptions, so "vertebrogenic" counts more than "unspecified". It returns
// 0 when code is not billable in the set or printed holds no words.
func (s *Set) DescriptionAgrees(code, printed string) float64 {
	desc, ok := s.Lookup(code)
	if !ok {
		return 0
	}
	p := s.similarity().tokenize(printed, true)
	if len(p) == 0 {
		return 0
	}
	return s.similarity().agree(desc, p)
}

// lenientCompact keeps the letters and digits of an OCR reading, upper-cased.
func lenientCompact(raw string) string {
	b := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if isAlnum(c) {
			b = append(b, c)
		}
	}
	return string(b)
}

// simIndex holds the document frequency of every word of the descriptions.
type simIndex struct {
	df      map[string]int32
	n       float64
	unknown float64 // weight of a printed word no description uses
}

func (s *Set) similarity() *simIndex {
	s.simOnce.Do(func() {
		x := &simIndex{df: make(map[string]int32, 1<<15), n: float64(len(s.keys))}
		var seen []string
		for i := range s.keys {
			seen = seen[:0]
			for _, t := range x.tokenize(s.desc(i), false) {
				if !contains(seen, t) {
					seen = append(seen, t)
					x.df[t]++
				}
			}
		}
		// A word absent from every description (a lay word, an OCR
		// fragment) weighs like a moderately rare one.
		x.unknown = math.Log(x.n / 100)
		s.sim = x
	})
	return s.sim
}

func contains(list []string, s string) bool {
	for _, t := range list {
		if t == s {
			return true
		}
	}
	return false
}

func (x *simIndex) weight(t string) float64 {
	if n, ok := x.df[t]; ok {
		return math.Log(1 + x.n/float64(n))
	}
	return x.unknown
}

// stopwords carry no meaning in descriptions.
// codeSystemWords name the classification, not a condition.
var codeSystemWords = map[string]bool{"icd": true, "icd10": true, "icd10cm": true, "cm": true, "dx": true}

var stopwords = map[string]bool{
	"of": true, "in": true, "the": true, "a": true, "an": true, "and": true,
	"or": true, "to": true, "for": true, "by": true, "at": true, "on": true,
	"as": true, "is": true,
}

// expansions spell out abbreviations common in printed diagnoses. Keys are
// lower case, before OCR folding.
var expansions = map[string]string{
	"lbp":   "low back pain",
	"lt":    "left",
	"rt":    "right",
	"l":     "left",
	"r":     "right",
	"bil":   "bilateral",
	"nec":   "not elsewhere classified",
	"nos":   "unspecified",
	"fx":    "fracture",
	"oa":    "osteoarthritis",
	"ddd":   "intervertebral disc degeneration",
	"tmj":   "temporomandibular joint",
	"tmd":   "temporomandibular joint disorder",
	"w":     "with",
	"wo":    "without",
	"sprn":  "sprain",
	"msl":   "muscle",
	"musc":  "muscle",
	"cerv":  "cervical",
	"thor":  "thoracic",
	"lumb":  "lumbar",
	"init":  "initial",
	"subs":  "subsequent",
	"subsq": "subsequent",
}

// tokenize splits s into lower-case words, expands abbreviations (only for
// printed text), drops stop words and folds characters OCR confuses, so that
// both sides compare alike.
func (x *simIndex) tokenize(s string, printed bool) []string {
	low := strings.ToLower(s)
	if printed {
		r := strings.NewReplacer("w/o", " without ", "w/", " with ", "b/l", " bilateral ", "s/p", " status post ")
		low = r.Replace(low)
	}
	words := strings.FieldsFunc(low, func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '|')
	})
	out := make([]string, 0, len(words))
	add := func(w string) {
		if stopwords[w] {
			return
		}
		f := fold(w)
		if printed && hasDigit(w) {
			// Digits in printed text are most often the code itself or
			// OCR debris; keep them only when descriptions use the word.
			if _, ok := x.df[f]; !ok {
				return
			}
		}
		if !contains(out, f) {
			out = append(out, f)
		}
	}
	for k, w := range words {
		if printed {
			// The classification's own name beside a code ("(ICD-10-CM)
			// Pain in right lower leg", "Dx:") describes nothing.
			if codeSystemWords[w] || w == "10" && k > 0 && words[k-1] == "icd" {
				continue
			}
			if e, ok := expansions[w]; ok {
				for _, ew := range strings.Fields(e) {
					add(ew)
				}
				continue
			}
		}
		add(w)
	}
	return out
}

func hasDigit(s string) bool {
	return strings.ContainsAny(s, "0123456789")
}

// fold maps characters OCR confuses in running text to one representative:
// i, 1 and | to l, 0 to o, 5 to s, and "rn" to m.
func fold(w string) string {
	b := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch c {
		case 'i', '1', '|':
			c = 'l'
		case '0':
			c = 'o'
		case '5':
			c = 's'
		case 'r':
			if i+1 < len(w) && w[i+1] == 'n' {
				c = 'm'
				i++
			}
		}
		b = append(b, c)
	}
	return string(b)
}

// match scores how well a printed word p stands for a description word d.
func match(p, d string) float64 {
	switch {
	case p == d:
		return 1
	case p+"s" == d || d+"s" == p || p+"es" == d || d+"es" == p:
		return 1
	case len(p) >= 3 && len(p) < len(d) && strings.HasPrefix(d, p):
		return 0.9 // abbreviation by truncation: "unsp", "lumb"
	case len(p) >= 5 && len(d) >= 5 && editDistanceOne(p, d):
		return 0.85 // one OCR error in a long word
	case len(p) >= 3 && len(p) < len(d) && p[0] == d[0] && subsequence(p, d):
		return 0.8 // abbreviation by contraction: "encntr", "strn"
	}
	return 0
}

func subsequence(p, d string) bool {
	j := 0
	for i := 0; i < len(d) && j < len(p); i++ {
		if d[i] == p[j] {
			j++
		}
	}
	return j == len(p)
}

// editDistanceOne reports whether a and b differ by exactly one substitution,
// insertion or deletion.
func editDistanceOne(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		diff := 0
		for i := 0; i < len(a); i++ {
			if a[i] != b[i] {
				diff++
			}
		}
		return diff == 1
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	return false
}

// agree is a weighted F1 of how much of printed the description explains
// (precision) and how much of the description printed covers (recall).
// DescriptionCovers reports whether every word of printed is a word of
// code's description, as a lay or shortened description is ("Neck strain,
// initial" for "Strain of muscle, fascia and tendon at neck level, initial
// encounter"), while no code one OCR error away is covered as well: the
// printed words then confirm the code, although they do not agree with the
// whole description. printed must hold two words of the classification.
func (s *Set) DescriptionCovers(code, printed string) bool {
	x := s.similarity()
	p := x.tokenize(printed, true)
	known := 0
	for _, t := range p {
		if _, ok := x.df[t]; ok {
			known++
		}
	}
	c := lenientCompact(code)
	i, found := s.index(pack(c))
	if known < 2 || !found || len(c) > 7 {
		return false
	}
	covers := func(desc string) bool {
		d := x.tokenize(desc, false)
		if x.precision(d, p) < coverThreshold {
			return false
		}
		for _, g := range qualifierGroups {
			if contradicts(g, p, d) {
				return false
			}
		}
		return true
	}
	if !covers(s.desc(i)) {
		return false
	}
	buf := []byte(c)
	other := func(k string) bool {
		j, found := s.index(pack(k))
		return len(k) >= 3 && k != c && found && j != i && covers(s.desc(j))
	}
	for q := range buf {
		orig := buf[q]
		for j := 0; j < len(alphabet); j++ {
			if alphabet[j] == orig {
				continue
			}
			buf[q] = alphabet[j]
			if other(string(buf)) {
				return false
			}
		}
		buf[q] = orig
	}
	if other(c[:len(c)-1]) {
		return false
	}
	for j := 0; j < len(alphabet) && len(c) < 7; j++ {
		if other(c + alphabet[j:j+1]) {
			return false
		}
	}
	return true
}

// coverThreshold is the share of printed words, by weight, a description
// must hold to cover them: all of them, but for OCR's slips in a letter.
const coverThreshold = 0.95

// precision is the share of printed, by weight, that words of d match.
func (x *simIndex) precision(d, printed []string) float64 {
	var num, den float64
	for _, p := range printed {
		best, bi := 0.0, -1
		for j, t := range d {
			if m := match(p, t); m > best {
				best, bi = m, j
			}
		}
		w := x.weight(p)
		if _, known := x.df[p]; !known && bi >= 0 {
			w = x.weight(d[bi])
		}
		num += w * best
		den += w
	}
	if den == 0 {
		return 0
	}
	return num / den
}

func (x *simIndex) agree(desc string, printed []string) float64 {
	d := x.tokenize(desc, false)
	if len(d) == 0 || len(printed) == 0 {
		return 0
	}
	credD := make([]float64, len(d))
	var pNum, pDen float64
	for _, p := range printed {
		best, bi := 0.0, -1
		for j, t := range d {
			if m := match(p, t); m > best {
				best, bi = m, j
			}
		}
		w := x.weight(p)
		if bi >= 0 {
			if _, known := x.df[p]; !known {
				w = x.weight(d[bi])
			}
			credD[bi] = math.Max(credD[bi], best)
		}
		pNum += w * best
		pDen += w
	}
	var rNum, rDen float64
	for j, t := range d {
		if credD[j] == 0 && boilerplate[t] {
			continue // "Lymphedema" for "Lymphedema, not elsewhere classified"
		}
		w := x.weight(t)
		rNum += w * credD[j]
		rDen += w
	}
	if pNum == 0 || rNum == 0 {
		return 0
	}
	prec, rec := pNum/pDen, rNum/rDen
	f := 2 * prec * rec / (prec + rec)
	for _, g := range qualifierGroups {
		if contradicts(g, printed, d) {
			f *= contradictionFactor
		}
	}
	return f
}

// boilerplate are the words of the classification's stock phrases ("not
// elsewhere classified", "unspecified", "initial encounter") that a printed
// description leaves out without naming another code: a description word
// of them that printed does not cover is not missed. Printed, they still
// count, and a contradicted one still costs (qualifierGroups).
var boilerplate = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"not", "elsewhere", "classified", "unspecified", "encounter", "site"} {
		m[fold(w)] = true
	}
	return m
}()

// qualifierGroups are sets of mutually exclusive qualifiers, folded. Words
// such as "unspecified" or "left" are so common that their weight alone
// hardly separates "Pain in left shoulder" from "Pain in right shoulder"; a
// printed qualifier that the description contradicts costs more.
var qualifierGroups = func() [][]string {
	groups := [][]string{
		{"unspecified", "other", "specified"},
		{"right", "left", "bilateral", "unspecified"}, // "unspecified shoulder"
		{"initial", "subsequent", "sequela"},
		{"with", "without"},
		{"acute", "chronic"},
		{"upper", "lower"},
		{"mild", "moderate", "severe"},
		{"primary", "secondary"},
		{"cervical", "cervicothoracic", "thoracic", "thoracolumbar", "lumbar", "lumbosacral", "sacral", "sacrococcygeal"},
	}
	for _, g := range groups {
		for i, w := range g {
			g[i] = fold(w)
		}
	}
	return groups
}()

// contradictionFactor scales the score once per contradicted group.
const contradictionFactor = 0.5

// contradicts reports whether printed names a qualifier of group g (or an
// abbreviation of one) and the description names others of g but not that
// one.
func contradicts(g, printed, desc []string) bool {
	var inP, inD []string
	for _, q := range g {
		for _, t := range desc {
			if t == q {
				inD = append(inD, q)
			}
		}
		for _, t := range printed {
			if t == q || len(t) >= 3 && match(t, q) >= 0.8 {
				inP = append(inP, q)
			}
		}
	}
	if len(inP) == 0 || len(inD) == 0 {
		return false
	}
	for _, q := range inP {
		if contains(inD, q) {
			return false
		}
	}
	return true
}
