package extract

import (
	"image"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// textLine is one line of prescription text with where it came from.
type textLine struct {
	Text string
	Conf float64 // 0..1
	Page *Page   // nil for the email body or a text file
	Box  image.Rectangle
	Idx  int // position in the document's line list
	// Words are the OCR words of the line, one per space-separated token
	// of Text, for finding where a token stands on the page image.
	Words []Word
}

func (l textLine) evidence(text string) Evidence {
	e := Evidence{Text: strings.TrimSpace(text), Confidence: round2(l.Conf)}
	if l.Page != nil {
		e.Page = l.Page.Number
	}
	if e.Text == "" {
		e.Text = strings.TrimSpace(l.Text)
	}
	return e
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

// docLines lists the prescription lines of a document: the body, then every
// page that is not a cover sheet, transmit headers already set aside.
func docLines(d *Document) []textLine {
	var out []textLine
	add := func(l textLine) {
		l.Text = cleanLine(l.Text)
		if l.Text == "" {
			return
		}
		l.Idx = len(out)
		out = append(out, l)
	}
	for line := range strings.SplitSeq(d.Body, "\n") {
		add(textLine{Text: line, Conf: 1})
	}
	for _, p := range d.Pages {
		if p.CoverSheet || p.Unreadable != "" {
			continue
		}
		if p.TextLayer || len(p.Lines) == 0 {
			for line := range strings.SplitSeq(p.Text, "\n") {
				add(textLine{Text: line, Conf: p.Confidence, Page: p})
			}
			continue
		}
		lastWord := "" // a plan may wrap: "x 3" / "| wks"
		for _, l := range p.Lines {
			var toks []string
			var words []Word
			for i, w := range l.Words {
				text := w.Text
				if i+1 < len(l.Words) {
					prev := lastWord
					if i > 0 {
						prev = l.Words[i-1].Text
					}
					text = mendOne(prev, text, l.Words[i+1].Text)
					if i > 0 && text == "0." && reCapWord.MatchString(l.Words[i-1].Text) && reCapWord.MatchString(l.Words[i+1].Text) {
						text = "O." // "Deborah 0. Davis": a middle initial
					}
				}
				for t := range strings.FieldsSeq(foldLine(text)) {
					toks = append(toks, t)
					words = append(words, w)
				}
			}
			if len(toks) == 0 {
				continue
			}
			lastWord = toks[len(toks)-1]
			l := textLine{Text: strings.Join(toks, " "), Conf: l.Conf / 100, Page: p, Box: l.Box, Words: words}
			l.Idx = len(out)
			out = append(out, l)
		}
	}
	return out
}

var (
	reSpaces     = regexp.MustCompile(`[ \t\x{00a0}]+`)
	reBarInitial = regexp.MustCompile(`(^|\s)\|\.($|\s)`)
)

var (
	// reBangDigit is a "1" OCR read as "!" before a digit: "December !4".
	reBangDigit   = regexp.MustCompile(`(^|\s)!(\d)`)
	reCapWord     = regexp.MustCompile(`^\p{Lu}\p{Ll}+$`)
	reZeroInitial = regexp.MustCompile(`\b(\p{Lu}\p{Ll}+) 0\. (\p{Lu}\p{Ll}+)\b`)
)

// mendOne mends an OCR word that stands for a count, given the word after
// it: a count before its unit ("| HOUR", "! unit", "l month": mendCounts),
// a "1" read as "!" before a digit ("!4,").
func mendOne(prev, w, next string) string {
	if m := mendCounts(prev + " " + w + " " + next); m[len(prev)+1:len(prev)+1+len(w)] != w {
		return m[len(prev)+1 : len(prev)+1+len(w)]
	}
	return reBangDigit.ReplaceAllString(w, "${1}1${2}")
}

// cleanLine cleans a whole line: counts read as letters mended where
// the line shows them before their units (mendCounts), then foldLine.
func cleanLine(s string) string { return foldLine(mendCounts(s)) }

// foldLine folds the typographic variants OCR and word processors produce
// into plain ASCII where it matters for reading. OCR words are folded one
// by one (mendOne has mended their counts with the words around them).
func foldLine(s string) string {
	// A lone "|." is a middle initial "I." OCR read as a bar ("Carol |.
	// Pugh"); other bars are rules between fields.
	s = reBarInitial.ReplaceAllString(s, "${1}I.${2}")
	s = reBangDigit.ReplaceAllString(s, "${1}1${2}")
	s = reZeroInitial.ReplaceAllString(s, "$1 O. $2")
	s = strings.NewReplacer(
		"\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`,
		"\u2013", "-", "\u2014", "-", "\u2212", "-", "\u00d7", "x",
		"\ufb01", "fi", "\ufb02", "fl", "|", " ",
	).Replace(s)
	s = reSpaces.ReplaceAllString(s, " ")
	return strings.TrimSpace(s)
}

// labelled is a value that follows a form label on a line.
type labelled struct {
	Field string
	Label string
	Value string
	Line  textLine
}

// labelFields are the fields whose labels (data/labels.txt) the reader
// knows. The order matters where one field's label is a prefix of
// another's.
var labelFields = []string{"dob", "npi", "prescriber", "patient", "treatment", "date", "diagnosis",
	"frequency", "duration", "session", "areas", "signature", "necessity"}

func labelAlternatives() string {
	var alts []string
	for _, f := range labelFields {
		alts = append(alts, "(?P<"+f+">{labels/"+f+"})")
	}
	return strings.Join(alts, "|")
}

// reLabel finds labels. A label starts a line or follows a gap; it ends in
// a colon (OCR often reads it as a semicolon) or "#", or in a leader of
// dots with or without a colon ("CLIENT.........: "). A known label may
// be joined by slashes to words of the same field ("Member/Insured"): the
// known one names the field.
var reLabel = cue(`(?:^|\s{1,}|\b)(?:` + labelAlternatives() + `)` + labelCompound + `(?:\s*[:;#]|\s*\.{3,}[.\s]*[:;#]?)`)

// labelCompound are the words a slash joins to a label, and a gloss in
// brackets that restates it ("Date of birth (DOB):", "Diagnosis (ICD-10):").
const labelCompound = `(?:\s?/\s?\p{L}[\p{L}'.-]{0,15}){0,2}(?:\s?\([\p{L}\d.' -]{1,15}\))?`

// reBareLabel finds a label without a colon at the start of a line, as
// forms without punctuation print them ("Request Date Nov 12, 2026").
var reBareLabel = cue(`^\s*(?:` + labelAlternatives() + `)` + labelCompound + `(?:\s+|$)`)

// labels finds every "Label: value" pair in the lines. A line may carry
// several ("Patient: Mary Jones   DOB: 04/02/1961").
func labels(lines []textLine) []labelled {
	var out []labelled
	names := reLabel.SubexpNames()
	for i, l := range lines {
		locs := reLabel.FindAllStringSubmatchIndex(l.Text, -1)
		if len(locs) == 0 || locs[0][0] > 2 {
			b := bareLabel(l.Text, locs)
			if b == nil {
				b = misreadLabel(l.Text, locs)
			}
			if b != nil {
				b.Line = l
				out = append(out, *b)
			} else if i+1 < len(lines) && lines[i+1].Page == l.Page {
				if s := stackedLabel(l.Text, lines[i+1]); s != nil {
					out = append(out, *s)
				}
			}
		}
		for i, loc := range locs {
			field := ""
			if g := matchedGroup(loc); g >= 0 {
				field = names[g+1]
			}
			if qualifiedHead(l.Text, locs, i) {
				field = "" // "Practice name:": a label of something else
			}
			end := len(l.Text)
			if i+1 < len(locs) {
				end = locs[i+1][0]
			}
			out = append(out, labelled{
				Field: field,
				Label: strings.TrimSpace(l.Text[loc[0]:loc[1]]),
				Value: strings.TrimSpace(l.Text[loc[1]:end]),
				Line:  l,
			})
		}
	}
	return out
}

// qualifiedHead reports a bare head word taken for a label ("name:") whose
// word before it qualifies it: "Practice name:", "Employer name:", "Carrier
// name:" label something else than the patient the bare head stands for.
// Labels the vocabulary knows with their qualifier ("Patient name:") are
// matched whole, so a word left before the head is one it does not know.
func qualifiedHead(text string, locs [][]int, i int) bool {
	label := strings.ToLower(strings.Trim(text[locs[i][0]:locs[i][1]], " \t:;#."))
	if label != "name" {
		return false
	}
	from := 0
	if i > 0 {
		from = locs[i-1][1]
	}
	before := strings.TrimSpace(text[from:locs[i][0]])
	if i > 0 || before == "" {
		return false
	}
	words := strings.Fields(before)
	if len(words) > 2 {
		return false
	}
	for _, w := range words {
		for _, c := range w {
			if !unicode.IsLetter(c) && c != '\'' && c != '-' {
				return false
			}
		}
	}
	return true
}

// bareLabel reads a label without a colon at the start of text. Without
// the colon a label is as often the first word of a sentence ("Patient
// tolerated..."), so it is taken only when what follows reads as the
// field's kind of value (a date, a length, a plan, an NPI) or, for fields
// of free text, when the label is printed as a form prints labels: in
// capitals, or in two words or more. locs are the colon labels of text.
func bareLabel(text string, locs [][]int) *labelled {
	m := reBareLabel.FindStringSubmatchIndex(text)
	if m == nil {
		return nil
	}
	g := matchedGroup(m)
	if g < 0 {
		return nil
	}
	field := reBareLabel.SubexpNames()[g+1]
	end := len(text)
	if len(locs) > 0 {
		end = locs[0][0]
	}
	if end < m[1] {
		return nil
	}
	label := strings.TrimSpace(text[m[0]:m[1]])
	value := strings.TrimSpace(text[m[1]:end])
	if value == "" || genericLabel[strings.ToLower(label)] || field == "signature" || field == "necessity" {
		return nil
	}
	// "PRESCRIPTION FOR MEDICAL MASSAGE", "Request for ...": a title, not a
	// label and its value.
	if low := strings.ToLower(value); strings.HasPrefix(low, "for ") || strings.HasPrefix(low, "of ") {
		return nil
	}
	if !valueFits(field, value) {
		return nil
	}
	if !typedField[field] && !formLabel(label) {
		return nil
	}
	return &labelled{Field: field, Label: label, Value: value}
}

// typedField are the fields whose values have a shape of their own (a date,
// a length, a plan, an NPI), which valueFits checks.
var typedField = map[string]bool{"date": true, "dob": true, "session": true, "frequency": true, "duration": true, "npi": true}

// valueFits reports whether value reads as field's kind of value: a date
// at its start for a date, a length for a session, a plan for a frequency,
// ten digits for an NPI. Fields of free text take any value.
func valueFits(field, value string) bool {
	switch field {
	case "date", "dob":
		ds := findDates(value)
		return len(ds) > 0 && ds[0].Start <= 1
	case "session":
		s, found := ParseSession(value)
		return found && !s.Ambiguous
	case "frequency", "duration":
		f, found := ParseFrequency(value)
		return found && f.Reason == ""
	case "npi":
		return len(tenDigitRuns(value)) > 0
	}
	return true
}

// formLabel reports a label printed the way forms print them, not the first
// word of a sentence: in capitals, or in two words or more.
func formLabel(label string) bool {
	upper := strings.ToUpper(label) == label && strings.ToLower(label) != label && len(label) >= 4
	return upper || len(strings.Fields(label)) >= 2
}

// stackedLabel reads a label printed above its value, as forms laid out in
// one column print them: a line that holds a known label and nothing else,
// no colon after it, followed by a line that does not start with a label
// and reads as the field's kind of value. The value is the next line, and
// so is the line it is evidenced on. A single word of free text ("Therapy",
// "Patient") is taken here: alone on its line, it is not the first word of
// a sentence.
func stackedLabel(text string, next textLine) *labelled {
	m := reBareLabel.FindStringSubmatchIndex(text)
	if m == nil || strings.TrimSpace(text[m[1]:]) != "" {
		return nil
	}
	g := matchedGroup(m)
	if g < 0 {
		return nil
	}
	field := reBareLabel.SubexpNames()[g+1]
	label := strings.TrimSpace(text[m[0]:m[1]])
	value := strings.TrimSpace(next.Text)
	if genericLabel[strings.ToLower(label)] || blankValue(value) || field == "signature" || field == "necessity" {
		return nil
	}
	if loc := reLabel.FindStringIndex(next.Text); loc != nil && loc[0] <= 2 {
		return nil
	}
	if b := reBareLabel.FindStringSubmatchIndex(next.Text); b != nil && strings.TrimSpace(next.Text[b[1]:]) == "" {
		return nil // a label under a label: a heading, then the fields
	}
	if !valueFits(field, value) {
		return nil
	}
	return &labelled{Field: field, Label: label, Value: value, Line: next}
}

// labelWords are the one-word labels (data/labels.txt) long enough to be
// known with a letter misread, by field.
var labelWords = func() map[string]string {
	m := map[string]string{}
	for _, f := range labelFields {
		for _, p := range phraseSections["labels/"+f] {
			for _, w := range oneWordForms(p) {
				w = strings.ToLower(w)
				if _, ok := m[w]; !ok && len(w) >= 6 && strings.IndexFunc(w, func(r rune) bool { return r < 'a' || r > 'z' }) < 0 {
					m[w] = f
				}
			}
		}
	}
	return m
}()

// oneWordForms are the one-word forms of a phrase whose other words are
// optional ("admitting? diagnosis|diagnoses code(s)?" gives "diagnosis"
// and "diagnoses"), without optional endings.
func oneWordForms(p string) []string {
	var req []string
	for _, t := range strings.Fields(p) {
		if !strings.HasSuffix(t, "?") || len(t) == 1 {
			req = append(req, t)
		}
	}
	if len(req) != 1 {
		return nil
	}
	var out []string
	for _, a := range strings.Split(req[0], "|") {
		for _, suf := range []string{"('s)", "(s)", "*", "."} {
			a = strings.TrimSuffix(a, suf)
		}
		out = append(out, a)
	}
	return out
}

// reHeadColon is a first word ended by a colon, maybe with a parenthesis
// between ("Diagnoses (ICD-10-CM):"), past the marks OCR leaves at a line's
// start: where a label stands.
var reHeadColon = regexp.MustCompile(`^[\s'‘’"|_.-]*([A-Za-z]{5,16})\s*(?:\([^)]{0,24}\)\s*)?[:;]`)

// misreadLabel reads a one-word label at the start of text that OCR got
// one letter wrong ("Vrequency:", "Diagnosls:"): a word before a colon
// within one edit of a known label, the way a person reads past a
// misprint. locs are the colon labels of text.
func misreadLabel(text string, locs [][]int) *labelled {
	m := reHeadColon.FindStringSubmatchIndex(text)
	if m == nil {
		return nil
	}
	head := strings.ToLower(text[m[2]:m[3]])
	if _, exact := labelWords[head]; exact {
		return nil // a label read right that reLabel did not take: leave it
	}
	field := ""
	for w, f := range labelWords {
		if len(w) >= 6 && editDistance(head, w) == 1 {
			if field != "" && field != f {
				return nil // near two fields' labels: neither
			}
			field = f
		}
	}
	if field == "" {
		return nil
	}
	end := len(text)
	if len(locs) > 0 && locs[0][0] >= m[1] {
		end = locs[0][0]
	}
	value := strings.TrimSpace(text[m[1]:end])
	if value == "" {
		return nil
	}
	return &labelled{Field: field, Label: strings.TrimSpace(text[m[0]:m[1]]), Value: value}
}

// blankValue reports a form field left empty: nothing, underscores, dashes,
// or "N/A".
func blankValue(v string) bool {
	v = strings.Trim(strings.TrimSpace(v), "_-.=:[]() ")
	switch strings.ToLower(v) {
	case "", "n/a", "na", "none", "tbd", "pending":
		return true
	}
	return specks(v)
}

// specks reports a value that is only what OCR reads of the rule a value
// is written on: several marks of one character each ("7 7", "a _ |"). A
// single digit or letter is a value ("Units: 4").
func specks(v string) bool {
	f := strings.Fields(v)
	if len(f) < 2 {
		return false
	}
	for _, t := range f {
		if utf8.RuneCountInString(t) > 1 {
			return false
		}
	}
	return true
}

// matchedGroup is the index (from 0) of the first capture group that took
// part in a match of a regexp made of one group per alternative, or -1.
func matchedGroup(m []int) int {
	for g := 1; 2*g+1 < len(m); g++ {
		if m[2*g] >= 0 {
			return g - 1
		}
	}
	return -1
}
