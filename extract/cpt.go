package extract

import (
	"regexp"
	"strings"
	"unicode"
)

// Procedure is a procedure the prescription orders: its CPT code and the words
// it was read from.
type Procedure struct {
	CPT  string `json:"cpt"`  // five digits, e.g. "97140"
	Text string `json:"text"` // evidence as printed, e.g. "myofascial release"
	// Evidence is filled in by the prescription reader: the line this was
	// read from and how sure the reading is. In JSON, Text above stands for
	// its Text.
	Evidence
}

// procedureTerms maps the wording of orders to CPT codes. Each pattern is
// matched case-insensitively on word boundaries, unless caseSensitive is set
// (acronyms: "MLD" must not match "mld", an abbreviation of "mild").
var procedureTerms = []struct {
	pattern       string
	cpt           string
	caseSensitive bool
	massage       bool // the plain "massage" family: see excludedMassage
}{
	// Explicit codes, with optional modifiers ("97140-GP", "97140 59").
	{pattern: `97140`, cpt: "97140"},
	{pattern: `97124`, cpt: "97124"},
	{pattern: `97110`, cpt: "97110"},
	{pattern: `97112`, cpt: "97112"},
	{pattern: `97530`, cpt: "97530"},
	{pattern: `97010`, cpt: "97010"},

	// 97140 manual therapy techniques. A trailing "massage" or "therapy"
	// belongs to the technique ("myofascial release massage" is one
	// 97140 order, not 97140 plus 97124).
	{pattern: `myo[\s-]?fas?cial\s+(?:release|therapy|techniques?|treatment|work|mobili[sz]ation|massage)(?:\s+(?:therapy|techniques?|massage|treatment))?`, cpt: "97140"},
	{pattern: `MFR`, cpt: "97140", caseSensitive: true},
	{pattern: `neuro[\s-]?muscu?lar\s+(?:therapy|techniques?|treatment|massage)(?:\s+(?:therapy|techniques?))?`, cpt: "97140"},
	{pattern: `NMT`, cpt: "97140", caseSensitive: true},
	{pattern: `manual\s+therap(?:y|ies)(?:\s+techniques?)?`, cpt: "97140"},
	{pattern: `soft[\s-]+tissue\s+mobili[sz]ations?(?:\s+techniques?)?`, cpt: "97140"},
	{pattern: `STM`, cpt: "97140", caseSensitive: true},
	// The same abbreviations as OCR misreads them on a poor fax (F as E, T
	// as I).
	{pattern: `MER|SIM|NMI`, cpt: "97140", caseSensitive: true},
	{pattern: `trigger[\s-]+points?\s+(?:therapy|release|treatment|work|massage|techniques?)`, cpt: "97140"},
	{pattern: `(?:manual\s+)?lymph(?:atic)?\s+drainage(?:\s+(?:massage|therapy))?`, cpt: "97140"},
	{pattern: `lymphatic\s+massage`, cpt: "97140"},
	{pattern: `MLD`, cpt: "97140", caseSensitive: true},
	{pattern: `manual\s+traction`, cpt: "97140"},

	// 97124 massage. "massage" alone is read as 97124.
	{pattern: `(?:(?:therapeutic|swedish|deep[\s-]+tissue|medical|sports?|clinical|orthopa?edic|relaxation|prenatal)\s+)?massage(?:\s+therapy)?`, cpt: "97124", massage: true},
	{pattern: `deep[\s-]+tissue(?:\s+(?:work|therapy|techniques?))?`, cpt: "97124"},

	// Other therapy codes, named so that they are not mistaken for the
	// above ("neuromuscular re-education" is 97112, not NMT).
	{pattern: `neuro[\s-]?muscu?lar\s+re[\s-]?education`, cpt: "97112"},
	{pattern: `NMRE?`, cpt: "97112", caseSensitive: true},
	{pattern: `therapeutic\s+exercises?`, cpt: "97110"},
	{pattern: `therapeutic\s+activit(?:y|ies)`, cpt: "97530"},
	{pattern: `(?:hot|cold|moist\s+heat)[\s/-]+(?:or\s+cold\s+)?packs?`, cpt: "97010"},
}

// procedureRE matches every term; group i+1 is procedureTerms[i].
var procedureRE = func() *regexp.Regexp {
	var alts []string
	for _, t := range procedureTerms {
		p := t.pattern
		if !t.caseSensitive {
			p = `(?i:` + p + `)`
		}
		alts = append(alts, `\b(`+p+`)\b`)
	}
	re := regexp.MustCompile(strings.Join(alts, "|"))
	re.Longest()
	return re
}()

type procMention struct {
	cpt        string
	start, end int
}

// Procedures reads the procedures text orders: explicit CPT codes (97140,
// 97124, 97110, 97112, 97530, 97010) and the wording of docs/rules.md (97140:
// myofascial release, MFR, neuromuscular therapy, NMT, manual therapy, soft
// tissue mobilization, STM, trigger point therapy, manual lymphatic drainage,
// MLD, manual traction; 97124: massage, massage therapy, therapeutic, Swedish
// or deep tissue massage). It returns one Procedure per code, in order of
// first mention, with the first mention as evidence.
//
// Mentions that do not order anything are skipped:
//   - a negated mention ("no deep tissue massage", "avoid MFR",
//     "massage contraindicated");
//   - "massage" naming a person, place or thing: "massage therapist",
//     "medical massage therapist", "LMT", "Massage Clinic", "Massage, LLC",
//     "self-massage", "massage chair";
//   - "massage" inside a business name: a capitalised run of words before it
//     that holds a word other than a massage modifier or order word
//     ("Bayside Medical Massage", "GULF COAST MASSAGE"), while "Medical
//     Massage", "Therapeutic Massage" or "Rx: Massage" still order 97124;
//   - a 5-digit number that is an Oregon ZIP code in an address ("Sherwood,
//     OR 97140", "97140-1234").
//
// Trigger point injections and craniosacral therapy are not massage orders
// and are not read.
func Procedures(text string) []Procedure {
	var out []Procedure
	seen := map[string]bool{}
	for _, m := range procedureMentions(text) {
		if seen[m.cpt] {
			continue
		}
		seen[m.cpt] = true
		out = append(out, Procedure{CPT: m.cpt, Text: text[m.start:m.end]})
	}
	return out
}

// procedureMentions returns every mention that orders a procedure, in text
// order.
func procedureMentions(text string) []procMention {
	var out []procMention
	for _, m := range procedureRE.FindAllStringSubmatchIndex(text, -1) {
		ti := matchedGroup(m)
		if ti < 0 || ti >= len(procedureTerms) {
			continue
		}
		t := procedureTerms[ti]
		start, end := m[0], m[1]
		if t.cpt == text[start:end] && isZIPCode(text, start, end) {
			continue
		}
		if t.massage && excludedMassage(text, start, end) {
			continue
		}
		if procNegated(text, start, end) {
			continue
		}
		out = append(out, procMention{cpt: t.cpt, start: start, end: end})
	}
	return out
}

// zipBeforeRE ends with a US state (or "Oregon") as written before a ZIP code.
var zipBeforeRE = regexp.MustCompile(`(?:\b(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY])|\b(?i:oregon|ore\.))\s*,?\s*$`)

var zipAfterRE = regexp.MustCompile(`^-\d{4}\b`)

// isZIPCode reports whether the five digits at text[start:end] are a ZIP code
// in an address.
func isZIPCode(text string, start, end int) bool {
	return zipBeforeRE.MatchString(text[max(0, start-12):start]) || zipAfterRE.MatchString(text[end:])
}

// massageAfterRE is what turns "massage" into a person, place or thing.
var massageAfterRE = regexp.MustCompile(`(?i)^\s*(?:,\s*)?(?:&\s*|and\s+)?(?:therapists?|practitioners?|schools?|licen[sc]e[ds]?|establishments?|LMT|clinics?|cent(?:er|re)s?|studios?|spas?|group|associates|institute|LLC|inc|P\.?A|PLLC|company|co|envy|heights|wellness|office|practice|business|chairs?|guns?|tools?|devices?|balls?)\b`)

var massageBeforeRE = regexp.MustCompile(`(?i)(?:\bself[\s-]*|\blicensed\s+)$`)

// massagePrecedingWordRE is the word right before a position on the same line,
// separated only by spaces.
var massagePrecedingWordRE = regexp.MustCompile(`([A-Za-z][A-Za-z'&-]*)[ \t]+$`)

// massageNameStop lists capitalised words that may stand before "Massage" in
// an order, so they do not make it a business name.
var massageNameStop = map[string]bool{
	"rx": true, "referral": true, "refer": true, "order": true, "orders": true,
	"prescription": true, "for": true, "to": true, "please": true,
	"provide": true, "perform": true, "start": true, "begin": true,
	"continue": true, "therapy": true, "treatment": true, "plan": true,
	"type": true, "modality": true, "service": true, "services": true,
	"requested": true, "request": true, "evaluate": true, "eval": true,
	"treat": true, "and": true, "with": true, "include": true, "includes": true,
	"outpatient": true, "physical": true, "medical": true, "therapeutic": true,
	"swedish": true, "deep": true, "tissue": true, "sports": true, "sport": true,
	"clinical": true, "orthopedic": true, "orthopaedic": true, "relaxation": true,
	"prenatal": true, "release": true, "myofascial": true, "or": true,
	"procedure": true, "procedures": true, "modalities": true, "dx": true,
	"needs": true, "needed": true, "recommend": true, "recommended": true,
}

// excludedMassage reports whether the "massage" at text[start:end] names a
// person, place or thing rather than ordering massage.
func excludedMassage(text string, start, end int) bool {
	if massageAfterRE.MatchString(text[end:]) || massageBeforeRE.MatchString(text[max(0, start-10):start]) {
		return true
	}
	r := []rune(text[start:end])
	if len(r) == 0 || !unicode.IsUpper(r[0]) {
		return false
	}
	// A capitalised run before a capitalised "Massage": a business name
	// unless every word of it may precede an order. Names are short: look
	// at most six words back.
	pos := start
	for range 6 {
		from := max(0, pos-40)
		m := massagePrecedingWordRE.FindStringSubmatchIndex(text[from:pos])
		if m == nil {
			return false
		}
		w := text[from+m[2] : from+m[3]]
		if !unicode.IsUpper(rune(w[0])) {
			return false
		}
		if !massageNameStop[strings.ToLower(w)] && !(len(w) <= 4 && strings.ToUpper(w) == w) {
			return true
		}
		pos = from + m[2]
	}
	return false
}

// procNegationWords negate a mention that follows within the same clause.
var procNegationWords = map[string]bool{
	"no": true, "not": true, "avoid": true, "avoiding": true, "without": true,
	"except": true, "excluding": true, "contraindicated": true, "don't": true,
	"dont": true, "never": true, "nor": true, "hold": true, "discontinue": true,
	"d/c": true, "stop": true,
}

// procNegatedBefore reports whether one of the four words before pos, in the same
// clause, is a negation.
func procNegatedBefore(text string, pos int) bool {
	before := text[max(0, pos-60):pos]
	if i := strings.LastIndexAny(before, "\n.,;:!?()"); i >= 0 {
		before = before[i+1:]
	}
	words := strings.FieldsFunc(strings.ToLower(before), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\'' && r != '/'
	})
	for i := len(words) - 1; i >= 0; i-- {
		if words[i] == "but" {
			words = words[i+1:]
			break
		}
	}
	for i := max(0, len(words)-4); i < len(words); i++ {
		if procNegationWords[words[i]] {
			return true
		}
	}
	return false
}

// procNegationAfterRE starts with a negation of the mention before it.
var procNegationAfterRE = regexp.MustCompile(`(?i)^[^\n.,;:!?\w]*(?:is\s+|are\s+)?(?:contraindicated|not\s+(?:indicated|recommended|advised|appropriate|tolerated))\b`)

// procNegated reports whether the mention at text[start:end] is negated ("no
// massage", "avoid deep tissue", "massage contraindicated").
func procNegated(text string, start, end int) bool {
	return procNegatedBefore(text, start) || procNegationAfterRE.MatchString(text[end:min(len(text), end+40)])
}
