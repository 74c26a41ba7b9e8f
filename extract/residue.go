package extract

import (
	"regexp"
	"rxintake/confusion"
	"slices"
	"strings"
	"unicode"
)

// The residue check (docs/reading.md, "Absence must be proven"): after every
// field has been read, the text no field accounts for is scanned for
// material of the kinds the missing fields are made of. A missing element
// is reported as proven absent only when nothing of its kind is left over;
// otherwise an Ambiguity of kind "unattributed" names the leftover, and the
// rules send the document to a person instead of asking the physician's
// office for a correction. The scanner knows token shapes, not wordings:
// a wording the field readers have never seen still leaves its numbers,
// dates and codes behind.

// residueKind is a kind of leftover material and the element it may be.
type residueKind struct {
	field string // the element it may be: a Prescription field name
	what  string // what it looks like, for the message
}

var (
	resDate     = residueKind{"date", "a date"}
	resDuration = residueKind{"session", "a length of time or a number of units"}
	resRate     = residueKind{"frequency", "a rate or a number of visits"}
	resTenDigit = residueKind{"npi", "a ten-digit number"}
	resICD      = residueKind{"diagnoses", "a diagnosis code"}
	resCPT      = residueKind{"procedures", "a procedure code or a modality's word"}
	resArea     = residueKind{"areas", "a body region"}
	resInk      = residueKind{"signature", "ink or a signature statement"}
	resBirth    = residueKind{"patient", "a date of birth"}
	resCred     = residueKind{"prescriber", "a credential or title"}
	resNecess   = residueKind{"necessity", "a phrase of medical necessity"}
)

// labelElement is the element a label's value is, by the label reader's
// field name, where the two differ: a plan's duration is part of the plan.
var labelElement = map[string]string{"diagnosis": "diagnoses", "duration": "frequency", "treatment": "procedures"}

// modalityStems begin the words of specific modalities (docs/reading.md);
// "massage" and "therapy" alone are not among them: they name clinics and
// the general order, which the rules judge.
var modalityStems = words("cues/modality-stem")

// credentialWords are the credentials and titles that stand beside a
// prescriber's name, dots and case removed; printed in capitals they are
// not words of a sentence.
var credentialWords = func() map[string]bool {
	m := map[string]bool{"DR": true}
	for _, w := range words("names/prescriber-credential") {
		m[strings.NewReplacer(".", "", "-", "").Replace(strings.ToUpper(w))] = true
	}
	return m
}()

// reResidue finds the token shapes of the numeric kinds, loosely: a number
// with a unit of time or treatment, a rate, a code. Loose on purpose: a
// token found here that no field took is a reason to look, not a reading.
var reResidue = regexp.MustCompile(`(?i)` +
	`(?P<duration>\b(?:\d{1,3}|one|two|three|four|five|six|half|an?)\s*-?\s*(?:min(?:ute)?s?|hours?|hrs?|units?)\b|\bhalf[\s-]+hour\b|\b[1-9]\d{1,2}\s?['’′]|\b\d{1,2}\s?u\b)` +
	`|(?P<rate>\b\d{1,2}\s*(?:x|times|visits?|sessions?|treatments?|tx)\b|\bx\s*/?\s*w(?:ee)?ks?\b|/\s*w(?:ee)?ks?\b|\bper\s+w(?:ee)?k\b|\bweekly\b|\b(?:twice|thrice|once)\b|\b(?:biw|tiw|qw|qwk)\b|\ba\s+week\b|\b(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*(?:w(?:ee)?ks?|months?)\b)` +
	`|(?P<cpt>\b97\d{3}\b)` +
	`|(?P<icd>(?-i:\b[A-TV-Z][0-9OIlSB][0-9A-Z]\s?[.,]\s?[0-9A-Z]{1,4}\b))`)

// otherDateCue are words that, just before a date, say it is not the date
// of the order: birth, injury, onset, printing, faxing.
var otherDateCue = words("cues/other-date-cue")

// phoneCue are words that, before a ten-digit number, make it a telephone
// or fax number.
var phoneCue = words("cues/phone-cue")

// residue adds an Ambiguity for each missing element the leftover text may
// hold. It runs last, after every field reader.
func (r *rxReader) residue(d *Document) {
	missing := r.missingFields()
	if len(missing) == 0 {
		return
	}
	found := map[string]bool{}
	report := func(k residueKind, text string, l textLine) {
		if !missing[k.field] || found[k.field] {
			return
		}
		found[k.field] = true
		r.rx.Ambiguities = append(r.rx.Ambiguities, Ambiguity{Kind: "unattributed", Field: k.field,
			Message:  "the " + fieldWords[k.field] + " seems missing, but " + k.what + " (\"" + strings.TrimSpace(text) + "\") stands on the prescription and was not read as anything",
			Evidence: l.evidence(l.Text)})
	}
	r.labelledResidue(missing, found)
	dob := ""
	if r.rx.Patient != nil {
		dob = r.rx.Patient.DOB
	}
	for _, l := range r.lines {
		masked := r.readMasked(l)
		address := reAddressLine.MatchString(l.Text)
		if missing["date"] {
			text := l.Text
			if l.Idx+1 < len(r.lines) {
				text += " " + r.lines[l.Idx+1].Text // a date may wrap
			}
			for _, dm := range findDates(text) {
				if dm.Start >= len(l.Text) {
					break
				}
				// Nor a date of decades ago: a birth date whatever its
				// label reads as, never an order's.
				if isoDate(dm.Date) == dob || hasCueBefore(text, dm.Start, otherDateCue) || dm.Date.After(r.asOf.AddDate(0, 0, 7)) || dm.Date.Before(r.asOf.AddDate(-10, 0, 0)) {
					continue
				}
				report(resDate, text[dm.Start:dm.End], l)
			}
		}
		if missing["date"] {
			// "FL 03, 2026": a year of the order's time that no date
			// took: the rest of the date is there, misread.
			dates := findDates(l.Text)
			for _, at := range yearsAround(l.Text, r.asOf.Year()) {
				inDate := slices.ContainsFunc(dates, func(dm dateMatch) bool { return at >= dm.Start && at < dm.End })
				if !inDate && !hasCueBefore(l.Text, at, otherDateCue) && !hasCueBefore(l.Text, at, phoneCue) {
					report(resDate, strings.TrimSpace(l.Text[max(0, at-12):at+4]), l)
				}
			}
		}
		if missing["date"] && !strings.Contains(strings.ToLower(l.Text), "birth") {
			// "November 3rd": a date with no year; one with its year is a
			// whole date, judged above.
			d := yearlessDate(l.Text)
			at := strings.Index(l.Text, d)
			whole := slices.ContainsFunc(findDates(l.Text), func(dm dateMatch) bool { return at >= dm.Start && at < dm.End })
			if d != "" && !whole && !hasCueBefore(l.Text, at, otherDateCue) {
				report(resDate, d, l)
			}
		}
		if missing["date"] {
			// "Date 7 OCE.3)..2026": a date written where the date goes,
			// read as no date.
			low := strings.ToLower(l.Text)
			for at := strings.Index(low, "date"); at >= 0; {
				rest := l.Text[at+4 : min(len(l.Text), at+24)]
				if !hasCueBefore(l.Text, at, otherDateCue) && !hasCueBefore(l.Text, at+4+len(rest), otherDateCue) && (digitCount(rest) >= 2 || startsWithCalendarWord(rest)) {
					report(resDate, strings.TrimSpace(l.Text[at:at+4+len(rest)]), l)
				}
				next := strings.Index(low[at+4:], "date")
				if next < 0 {
					break
				}
				at += 4 + next
			}
		}
		if missing["npi"] && !address {
			for _, at := range tenDigitRuns(l.Text) {
				if !hasCueBefore(l.Text, at[0], phoneCue) {
					report(resTenDigit, l.Text[at[0]:at[1]], l)
				}
			}
		}
		if missing["areas"] && !address && len(Areas(masked)) > 0 {
			report(resArea, masked, l)
		}
		if missing["signature"] && (reESignedLead.MatchString(l.Text) || reSlashS.MatchString(l.Text) || r.eStatement(l.Text) || r.signingStatement(l.Text)) {
			report(resInk, l.Text, l)
		}
		if missing["procedures"] && !address {
			for _, w := range strings.Fields(strings.ToLower(masked)) {
				w = strings.Trim(w, ".,;:()[]")
				if slices.ContainsFunc(modalityStems, func(st string) bool { return strings.HasPrefix(w, st) }) {
					report(resCPT, w, l)
					break
				}
			}
		}
		if missing["necessity"] && !reNotNecessary.MatchString(l.Text) {
			low := strings.ToLower(l.Text)
			if strings.Contains(low, "necess") || strings.Contains(low, "medically") {
				report(resNecess, l.Text, l)
			}
		}
		if missing["patient"] {
			// A birth date, or digits where one is written after a word
			// of birth however misread its label, stands beside the
			// patient's name.
			if loc := reDOBInline.FindStringIndex(l.Text); loc != nil && len(findDates(r.dateRunOn(l, l.Text[loc[1]:]))) > 0 {
				report(resBirth, l.Text[loc[0]:], l)
			} else if at := birthWordAt(l.Text); at >= 0 && digitCount(l.Text[at:min(len(l.Text), at+24)]) >= 4 {
				report(resBirth, l.Text[at:], l)
			}
			// A date years before the order, whatever its label: only a
			// birth date is that old on a prescription.
			for _, dm := range findDates(l.Text) {
				if dm.Date.Before(r.asOf.AddDate(-3, 0, 0)) && !hasCueBefore(l.Text, dm.Start, otherDateCue) {
					report(resBirth, l.Text[dm.Start:dm.End], l)
				}
			}
		}
		if missing["patient"] && !address {
			// A person named in the text with a courtesy title, or a
			// name right after a word for the patient ("the patient
			// named below, Ann Lee"), who is not the prescriber: a
			// patient introduced in words the reader does not know.
			if text, ok := r.personMentioned(l.Text); ok {
				report(residueKind{"patient", "a person's name"}, text, l)
			}
		}
		if missing["prescriber"] && !address {
			for _, w := range strings.Fields(l.Text) {
				t := strings.NewReplacer(".", "", ",", "", "-", "", ";", "").Replace(w)
				if credentialWords[t] && (t != "DR" || strings.HasPrefix(w, "Dr")) && (t == "DR" || strings.ToUpper(w) == w) {
					report(resCred, w, l)
				}
			}
		}
		// A number a word or two from a unit of time, in whatever words
		// and wrapped or not ("one full" / "hour per visit", "sixty (60)
		// min"): a length the session reader did not take.
		if missing["session"] && !address && nearUnit(masked+" "+r.nextText(l), lengthUnit) {
			report(resDuration, masked, l)
		}
		names := reResidue.SubexpNames()
		masked = mendDigitTokens(figuresOnly(masked))
		for _, m := range reResidue.FindAllStringSubmatchIndex(masked, -1) {
			tok := masked[m[0]:m[1]]
			switch names[matchedGroup(m)+1] {
			case "duration":
				report(resDuration, tok, l)
			case "rate":
				// A plan read and found wanting ("as needed", no end) is
				// the rules' to judge: it is accounted for.
				// The rate's own unit ("2 visits/wk") is no span: what
				// is left of the line beside it may be.
				if f, _ := ParseFrequency(r.masked(l).Text); f.Reason == "" || r.planLeftover(l, r.masked(l).Text, f) {
					report(resRate, tok, l)
				}
			case "cpt":
				report(resCPT, tok, l)
			case "icd":
				// A code has a digit, however OCR misread the others
				// ("Kim, MD" and "MSN, FNP" are names and credentials).
				if digitCount(tok) > 0 {
					report(resICD, tok, l)
				}
			}
		}
	}
	// "Signature on file" beside "electronically signed": the statements
	// disagree.
	if sig := r.rx.Signature; missing["signature"] && (sig.Printed == "awaiting" || sig.Printed == "stamp") {
		report(resInk, sig.Evidence.Text, textLine{Text: sig.Evidence.Text, Conf: sig.Evidence.Confidence, Page: pageOf(d, sig.Evidence.Page)})
	}
	if missing["prescriber"] && r.rx.Prescriber != nil && r.rx.Prescriber.NPI != "" {
		report(residueKind{"prescriber", "an NPI"}, r.rx.Prescriber.NPI, textLine{Text: r.rx.Prescriber.Evidence.Text, Conf: r.rx.Prescriber.Evidence.Confidence, Page: pageOf(d, r.rx.Prescriber.Evidence.Page)})
	}
	if missing["signature"] && r.weakInk != nil {
		report(resInk, r.weakInk.Text, textLine{Text: r.weakInk.Text, Conf: r.weakInk.Confidence, Page: pageOf(d, r.weakInk.Page)})
	} else if missing["signature"] && !found["signature"] {
		// The places a prescriber signs, looked at again: marks there that
		// no reading accounted for are residue like any other.
		for _, p := range d.Pages {
			if p.CoverSheet || p.Image == nil || len(p.Lines) == 0 {
				continue
			}
			if ok, ev, conf := inkWhereSigned(p, r.prescriberName(), r.signLabelBoxes(p)); ok || ev != "" {
				report(resInk, ev, textLine{Text: ev, Conf: conf, Page: p})
				break
			}
		}
	}
	if missing["signature"] && !found["signature"] {
		// Where the prescriber signs, words OCR doubted are strokes it
		// tried to read as letters: a signature, perhaps.
		near, ends := r.signingLines(), r.pageEnds()
		for _, l := range r.lines {
			if !near[l.Idx] && !ends[l.Idx] || l.Page == nil || l.Page.TextLayer {
				continue
			}
			// A field's label is print however OCR doubted it ("NPI
			// number" under the signature line): its words are no ink.
			labelWord := r.labelWords(l)
			doubted, letters := 0, 0
			for _, w := range l.Words {
				if w.Conf < 60 && alnumCount(w.Text) >= 3 && digitCount(w.Text) == 0 && !labelWord[bareLower(w.Text)] {
					doubted++
					letters += alnumCount(w.Text)
				}
			}
			// A signature read as letters makes a word or three; a page
			// edge or a photo's background makes many short ones.
			if doubted >= 1 && doubted <= 3 && letters >= 8 {
				report(resInk, l.Text, l)
				break
			}
		}
	}
	r.unreadPrintResidue(d, missing, found)
	r.unreadableResidue(missing, found)
}

// labelWords are the words of the field labels read on l, in lower case.
func (r *rxReader) labelWords(l textLine) map[string]bool {
	out := map[string]bool{}
	for _, lab := range r.labs {
		if lab.Line.Idx != l.Idx {
			continue
		}
		for _, w := range strings.Fields(lab.Label) {
			out[bareLower(w)] = true
		}
	}
	return out
}

// bareLower is w in lower case without the marks around it.
func bareLower(w string) string {
	return strings.ToLower(strings.TrimFunc(w, func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) }))
}

// rePersonMention is a courtesy title and a capitalised name, or a word
// for the patient followed, within a few words, by a capitalised name.
var rePersonMention = cue(`(?:\b{names/courtesy}\.?\s+|\b(?i:patient|client|member|pt)\b[^.;:0-9]{0,24}?[\s,:]\s*)(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}\.?)?\s+\p{Lu}[\p{L}'’-]+)`)

// personMentioned reports a person named in text as rePersonMention
// finds them, who is not the prescriber.
func (r *rxReader) personMentioned(text string) (string, bool) {
	for _, m := range rePersonMention.FindAllStringSubmatchIndex(text, -1) {
		name := text[m[2]:m[3]]
		if n, _, ok := personName(name); !ok || samePerson(n, r.prescriberName()) {
			continue
		}
		return text[m[0]:m[1]], true
	}
	return "", false
}

// signingWords begin the words a statement of signing is made of, however
// it is worded ("attested", "authenticated", "verified and signed").
var signingWords = []string{"sign", "attest", "authenticat", "verif", "approv", "endors"}

// signingStatement reports a line that says someone signed: a word of
// signing (a verb: the noun "signature" is a label) and a person's name (the prescriber's family name, or two words
// that read as a name), and no blank to sign on. Read as no signature, it
// is a statement the signature reader has no wording for: absence is not
// proven.
func (r *rxReader) signingStatement(text string) bool {
	if awaitingSignature(text) || strings.Contains(text, "___") {
		return false
	}
	signing := false
	for _, raw := range strings.Fields(strings.ToLower(text)) {
		w := strings.TrimFunc(raw, func(c rune) bool { return !unicode.IsLetter(c) && c != '/' })
		// The noun is a label ("Signature: Ann Lee, MD" prints a name
		// where ink goes), and so is any word of signing before a colon
		// ("Signed: Ann Lee, MD"); the verb in a sentence says it was
		// done.
		if strings.HasSuffix(raw, ":") || strings.HasPrefix(w, "signat") {
			continue
		}
		if w == "/s/" || slices.ContainsFunc(signingWords, func(st string) bool { return strings.HasPrefix(w, st) }) {
			signing = true
			break
		}
	}
	if !signing {
		return false
	}
	if f := strings.Fields(r.prescriberName()); len(f) > 0 && nameIndex(text, strings.ToLower(f[len(f)-1])) >= 0 {
		return true
	}
	names := 0
	for _, w := range strings.Fields(text) {
		w = strings.Trim(w, ",;:.()")
		low := strings.ToLower(w)
		if nameWord(w) && !leadWord[low] && !signingLabelWord[low] && !slices.ContainsFunc(signingWords, func(st string) bool { return strings.HasPrefix(low, st) }) {
			names++
		}
	}
	return names >= 2
}

// signingLabelWord are the capitalised words of a signature's label and
// statement that are not names.
var signingLabelWord = map[string]bool{"by": true, "on": true, "at": true, "electronically": true, "digitally": true,
	"physician": true, "provider": true, "prescriber": true, "doctor": true, "practitioner": true, "clinician": true,
	"date": true, "time": true, "name": true, "printed": true, "print": true, "and": true}

// calendarWords begin the names of months and weekdays.
var calendarWords = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// startsWithCalendarWord reports text after a date's label that begins
// with a month or a weekday ("Date of signature: Sun." when the rest ran
// off the page): a date, however little of it was read.
func startsWithCalendarWord(s string) bool {
	if i := strings.IndexAny(s, ":;"); i >= 0 {
		s = s[i+1:] // "of signature: Sun."
	}
	s = strings.ToLower(strings.TrimLeft(s, " .-_"))
	for _, w := range calendarWords {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// nextText is the text of the line after l on its page, or "".
func (r *rxReader) nextText(l textLine) string {
	if l.Idx < 0 || l.Idx+1 >= len(r.lines) || r.lines[l.Idx+1].Page != l.Page {
		return ""
	}
	return r.lines[l.Idx+1].Text
}

// dateRunOn is the text after a label on line l, run on to the next line
// when no whole date stands in it: the label alone at the end of its line,
// or a date that wraps ("DOB Apr" / "23, 1952").
func (r *rxReader) dateRunOn(l textLine, after string) string {
	if len(findDates(after)) > 0 {
		return after
	}
	// A line that starts with its own label ("Date of referral: ...")
	// holds that field's value, not the rest of this one.
	if l.Idx >= 0 && l.Idx+1 < len(r.lines) && r.startsWithAnyField(r.lines[l.Idx+1]) {
		return after
	}
	if strings.TrimSpace(after) == "" {
		return r.nextText(l)
	}
	return after + " " + r.nextText(l)
}

// spanUnit and lengthUnit tell the units of a plan's span and of a
// session's length from a word.
func spanUnit(w string) bool {
	switch w {
	case "week", "weeks", "wk", "wks", "month", "months", "mo", "mos":
		return true
	}
	// Residue is a reason to look: a unit OCR spelled wrong is one too.
	return nearWord(w, "weeks", "months")
}

func lengthUnit(w string) bool {
	switch w {
	case "min", "mins", "minute", "minutes", "hour", "hours", "hr", "hrs", "unit", "units":
		return true
	}
	return false
}

// nearUnit reports a number, in digits or words, at most two words from a
// word unit says is a unit, before or after it ("8 consecutive weeks",
// "through week 12", "eight-week course", "one full hour"): the shape of a
// span or a length whatever the words around it.
func nearUnit(s string, unit func(string) bool) bool {
	f := strings.FieldsFunc(strings.ToLower(s), func(c rune) bool {
		return c == ' ' || c == ',' || c == ';' || c == '.' || c == '(' || c == ')' || c == '-' || c == '/' || c == ':'
	})
	for i, w := range f {
		if !unit(w) {
			continue
		}
		for j := max(0, i-2); j <= min(len(f)-1, i+2); j++ {
			if j != i && (numberWords[f[j]] || allDigits(f[j])) {
				return true
			}
		}
	}
	return false
}

// yearsAround finds four-digit numbers standing alone that are year or
// the year before: the year of a prescription.
func yearsAround(s string, year int) []int {
	var out []int
	for i := 0; i+4 <= len(s); i++ {
		if (i > 0 && isDigit(s[i-1])) || (i+4 < len(s) && isDigit(s[i+4])) {
			continue
		}
		n := 0
		for _, c := range []byte(s[i : i+4]) {
			if !isDigit(c) {
				n = -1
				break
			}
			n = n*10 + int(c-'0')
		}
		if n == year || n == year-1 {
			out = append(out, i)
		}
	}
	return out
}

// mendDigitTokens reads as digits the tokens that begin with a digit and
// whose other characters are all ones OCR takes for digits ("4S' each" is
// 45'), so that a number OCR spoiled still shows its shape.
func mendDigitTokens(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); {
		j := i
		for j < len(b) && (isDigit(b[j]) || b[j] >= 'A' && b[j] <= 'Z' || b[j] >= 'a' && b[j] <= 'z' || b[j] == '|') {
			j++
		}
		if j == i {
			i++
			continue
		}
		if isDigit(b[i]) && (i == 0 || !isDigit(b[i-1])) {
			tok := string(b[i:j])
			if d := confusion.Default.Digits(tok); digitCount(d) == len(d) && d != tok {
				copy(b[i:j], d)
			}
		}
		i = j
	}
	return string(b)
}

// birthStems begin the words that announce a date of birth.
var birthStems = []string{"birth", "dob", "d.o.b", "born"}

// birthWordAt is where a word of birth begins in s, or -1.
func birthWordAt(s string) int {
	low := strings.ToLower(s)
	for i := range low {
		if i > 0 && (isDigit(low[i-1]) || low[i-1] >= 'a' && low[i-1] <= 'z') {
			continue
		}
		for _, st := range birthStems {
			if strings.HasPrefix(low[i:], st) {
				return i
			}
		}
	}
	return -1
}

// fieldWords names the elements in messages.
var fieldWords = map[string]string{
	"patient": "patient's name", "prescriber": "prescriber", "npi": "NPI", "date": "date",
	"procedures": "modality", "diagnoses": "diagnosis", "areas": "areas to treat",
	"session": "treatment length", "frequency": "treatment plan", "signature": "signature",
	"necessity": "statement of medical necessity",
}

// missingFields are the elements the reader did not find.
func (r *rxReader) missingFields() map[string]bool {
	rx := r.rx
	m := map[string]bool{}
	m["patient"] = rx.Patient == nil || rx.Patient.Name == ""
	m["prescriber"] = rx.Prescriber == nil || rx.Prescriber.Name == ""
	m["npi"] = rx.Prescriber == nil || rx.Prescriber.NPI == ""
	m["date"] = rx.Date == ""
	m["procedures"] = len(rx.Procedures) == 0
	m["diagnoses"] = len(rx.Diagnoses) == 0
	m["areas"] = len(rx.Areas) == 0
	m["session"] = rx.Session == nil
	m["frequency"] = rx.Frequency == nil
	m["necessity"] = !rx.MedicallyNecessary
	sig := rx.Signature
	low := strings.ToLower(sig.Evidence.Text)
	conflict := strings.Contains(low, "electronic") || strings.Contains(low, "e-sign")
	m["signature"] = !sig.Present && ((sig.Printed != "awaiting" && sig.Printed != "stamp") || conflict)
	// An element the reader already flagged is a person's to decide.
	for _, a := range rx.Ambiguities {
		m[a.Field] = false
	}
	for f, v := range m {
		if !v {
			delete(m, f)
		}
	}
	return m
}

// labelledResidue reports a missing element whose label on the page is
// followed by something that could not be read as it ("Length of session:
// halfhourpersession").
func (r *rxReader) labelledResidue(missing, found map[string]bool) {
	// A plan's "Duration:" that holds the length of a session was read as
	// the session: accounted for.
	var session []Evidence
	if r.rx.Session != nil {
		session = append(session, r.rx.Session.Evidence)
	}
	consumed := r.linesOf(session)
	for _, l := range r.labs {
		if consumed[l.Line.Idx] && labelElement[l.Field] == "frequency" {
			continue
		}
		if e, ok := labelElement[l.Field]; ok {
			l.Field = e
		}
		if !missing[l.Field] || found[l.Field] || l.Line.Page == nil || l.Line.Page.TextLayer ||
			genericLabel[strings.ToLower(strings.Trim(l.Label, " :;#"))] {
			continue
		}
		v := strings.TrimSpace(l.Value)
		// Specks after a label are no value; two capitals are ("TM]",
		// "TMJ" with its J misread).
		if r.inDiagnosis(l) || blankValue(v) || alnumCount(v) < 2 || alnumCount(v) == 2 && strings.ToUpper(v) != v {
			continue
		}
		// Print read with confidence after "Signed:" is a typed name, not
		// ink: the signature is absent, provably.
		if l.Field == "signature" && r.confOf(l.Line, v) >= 0.7 {
			continue
		}
		if r.legibleNonValue(l.Field, l.Line, v) {
			continue
		}
		// "Course length: 6 weeks": a span of weeks or months under a
		// label of length is the plan's, not a session's unread.
		if l.Field == "session" && freqDurationRE.MatchString(v) && !nearUnit(v, lengthUnit) {
			continue
		}
		if l.Field == "frequency" {
			// Read, and not a plan: the rules say so, unless what the
			// reading left holds a number or words OCR doubted (a span
			// written by hand).
			if f, _ := ParseFrequency(v); f.Reason != "" && !r.planLeftover(l.Line, v, f) {
				continue
			}
		}
		found[l.Field] = true
		r.rx.Ambiguities = append(r.rx.Ambiguities, Ambiguity{Kind: "unreadable-value", Field: l.Field,
			Message:  "the " + fieldWords[l.Field] + " after \"" + strings.TrimSpace(l.Label) + "\" could not be read",
			Evidence: l.Line.evidence(l.Line.Text)})
	}
}

// readMasked is line l with what the field readers took from it blanked:
// the diagnoses (masked), and the words a session and a plan were read from
// on their evidence line ("Each session: 4 x 15-min units" holds no plan).
func (r *rxReader) readMasked(l textLine) string {
	text := r.masked(l).Text
	var read []Evidence
	var words []string
	if s := r.rx.Session; s != nil && !s.Ambiguous {
		read, words = append(read, s.Evidence), append(words, s.Text)
	}
	if f := r.rx.Frequency; f != nil {
		read, words = append(read, f.Evidence), append(words, f.Text)
	}
	for i, e := range read {
		if e.Text != strings.TrimSpace(l.Text) || words[i] == "" {
			continue
		}
		if at := strings.Index(text, words[i]); at >= 0 {
			text = text[:at] + strings.Repeat(" ", len(words[i])) + text[at+len(words[i]):]
		}
	}
	return text
}

// legibleNonValue reports a value under a label that OCR read with
// confidence and that holds nothing of the element: conditions named in
// words without anything shaped like a code ("Dx: Muscle spasm; Neck
// pain"), a request without a modality ("Therapy: EVAL AND TX"), a plan
// without a number or a rate ("as often as the patient tolerates"), or
// only the next field's label ("Authorizing provider: Natl. Provider ID:").
// The element is absent, provably.
func (r *rxReader) legibleNonValue(field string, l textLine, v string) bool {
	if r.confOf(l, v) < 0.7 {
		return false
	}
	if m := reBareLabel.FindStringIndex(strings.TrimLeft(v, " .-_|")); m != nil && m[0] == 0 && blankValue(strings.TrimLeft(v, " .-_|")[m[1]:]) {
		return true
	}
	low := strings.ToLower(v)
	switch field {
	case "diagnoses":
		return !codeShaped(v)
	case "procedures":
		return digitCount(v) == 0 && !slices.ContainsFunc(strings.Fields(low), func(w string) bool {
			w = strings.Trim(w, ".,;:()[]")
			return slices.ContainsFunc(modalityStems, func(st string) bool { return strings.HasPrefix(w, st) })
		})
	case "frequency":
		// No number, no rate, and no unit a number OCR spoiled may stand
		// before ("& WKS").
		return digitCount(v) == 0 && !slices.ContainsFunc(reResidue.FindAllStringSubmatchIndex(v, -1), func(m []int) bool {
			return reResidue.SubexpNames()[matchedGroup(m)+1] == "rate"
		}) && !slices.ContainsFunc(strings.Fields(low), func(w string) bool {
			w = strings.Trim(w, ".,;:()[]")
			return spanUnit(w) || strings.HasPrefix(w, "visit") || strings.HasPrefix(w, "session") || strings.HasPrefix(w, "time")
		})
	}
	return false
}

// codeShaped reports a token of text that may be a code however OCR spoiled
// it: letters and digits in one word, or digits around a dot.
func codeShaped(text string) bool {
	if reICDDigitLed.MatchString(text) {
		return true
	}
	for _, w := range strings.Fields(text) {
		if digitCount(w) > 0 && digitCount(w) < alnumCount(w) {
			return true
		}
	}
	return false
}

// unreadableResidue reports text OCR could not read (handwriting, a smudge)
// on a page where elements are missing: they may be written there.
func (r *rxReader) unreadableResidue(missing, found map[string]bool) {
	var left []string
	for f := range missing {
		if !found[f] {
			left = append(left, f)
		}
	}
	if len(left) == 0 {
		return
	}
	slices.Sort(left)
	nearSig := r.signingLines()
	var unread []textLine
	for _, l := range r.lines {
		if l.Page != nil && !l.Page.TextLayer && len(l.Words) > 0 && !nearSig[l.Idx] && unreadableLine(l) {
			unread = append(unread, l)
		}
	}
	// One doubtful line is a smudge or a stamp; values written by hand
	// make several, or many doubtful words over the page.
	if len(unread) < 2 {
		unread = unread[:0]
		doubt := map[*Page]int{}
		words := map[*Page]int{}
		worst := map[*Page]textLine{}
		worstN := map[*Page]int{}
		consumed := r.consumedLines()
		for _, l := range r.lines {
			if l.Page == nil || l.Page.TextLayer || nearSig[l.Idx] {
				continue
			}
			n := 0
			for _, w := range l.Words {
				if alnumCount(w.Text) < 3 {
					continue
				}
				words[l.Page]++
				if w.Conf < 60 {
					doubt[l.Page]++
					n++
				}
			}
			// The line to show is the most doubtful one no field took.
			if !consumed[l.Idx] && n > worstN[l.Page] {
				worst[l.Page], worstN[l.Page] = l, n
			}
		}
		for _, p := range r.doc.Pages {
			if n := doubt[p]; n >= 4 && n*10 >= words[p] {
				l, ok := worst[p]
				if !ok {
					l = textLine{Text: "page " + itoa(p.Number), Conf: p.Confidence, Page: p}
				}
				unread = append(unread, l)
			}
		}
		if len(unread) == 0 {
			return
		}
	}
	for _, l := range unread[:1] {
		var what []string
		for _, f := range left {
			what = append(what, fieldWords[f])
		}
		r.rx.Ambiguities = append(r.rx.Ambiguities, Ambiguity{Kind: "unattributed", Field: left[0],
			Message:  "text on page " + itoa(l.Page.Number) + " could not be read; the " + strings.Join(what, ", ") + " reported missing may be written there",
			Evidence: l.evidence(l.Text)})
		for _, f := range left[1:] {
			r.rx.Ambiguities = append(r.rx.Ambiguities, Ambiguity{Kind: "unattributed", Field: f, Message: "see the text on page " + itoa(l.Page.Number) + " that could not be read", Evidence: l.evidence(l.Text)})
		}
		return
	}
}

// consumedLines are the lines some field was read from: their evidence.
// Doubtful words there were read as something; they are not residue.
func (r *rxReader) consumedLines() map[int]bool {
	rx := r.rx
	var evs []Evidence
	if rx.Patient != nil {
		evs = append(evs, rx.Patient.Evidence)
	}
	if rx.Prescriber != nil {
		evs = append(evs, rx.Prescriber.Evidence)
	}
	for _, p := range rx.Procedures {
		evs = append(evs, p.Evidence)
	}
	for _, d := range rx.Diagnoses {
		evs = append(evs, d.Evidence)
	}
	if rx.Session != nil {
		evs = append(evs, rx.Session.Evidence)
	}
	if rx.Frequency != nil {
		evs = append(evs, rx.Frequency.Evidence)
	}
	for _, e := range rx.Evidence {
		evs = append(evs, e)
	}
	out := r.linesOf(evs)
	for idx := range r.dxSpan {
		out[idx] = true
	}
	return out
}

// linesOf are the lines the evidence evs was read from.
func (r *rxReader) linesOf(evs []Evidence) map[int]bool {
	var texts []string
	for _, e := range evs {
		if t := strings.TrimSpace(e.Text); len(t) >= 8 {
			texts = append(texts, t)
		}
	}
	out := map[int]bool{}
	for _, l := range r.lines {
		t := strings.TrimSpace(l.Text)
		if len(t) < 8 {
			continue
		}
		for _, e := range texts {
			if strings.Contains(e, t) {
				out[l.Idx] = true
				break
			}
		}
	}
	return out
}

// signingLines are the lines where the prescriber signs, and the two above
// and one below: there ink reads as doubtful words or as none, and that is
// the signature, not a value.
func (r *rxReader) signingLines() map[int]bool {
	nearSig := map[int]bool{}
	last := ""
	if f := strings.Fields(r.prescriberName()); len(f) > 0 {
		last = strings.ToLower(f[len(f)-1])
	}
	for _, l := range r.lines {
		if reSigLabel.MatchString(l.Text) || (last != "" && nameIndex(l.Text, last) >= 0) {
			for i := l.Idx - 2; i <= l.Idx+1; i++ {
				nearSig[i] = true
			}
		}
	}
	return nearSig
}

// pageEnds are the last two lines of each page read by OCR: an order ends
// where it is signed, whatever OCR made of the label there ("sina: Gr@la
// KoSeatha").
func (r *rxReader) pageEnds() map[int]bool {
	lastOf := map[*Page]int{}
	for _, l := range r.lines {
		if l.Page != nil {
			lastOf[l.Page] = l.Idx
		}
	}
	ends := map[int]bool{}
	for _, i := range lastOf {
		ends[i], ends[i-1] = true, true
	}
	return ends
}

// unreadPrintResidue reports a line of print OCR read as no words on a page
// where elements are missing (unreadPrint).
func (r *rxReader) unreadPrintResidue(d *Document, missing, found map[string]bool) {
	var left []string
	for f := range missing {
		if !found[f] {
			left = append(left, f)
		}
	}
	if len(left) == 0 {
		return
	}
	slices.Sort(left)
	last := ""
	if f := strings.Fields(r.prescriberName()); len(f) > 0 {
		last = strings.ToLower(f[len(f)-1])
	}
	for _, p := range d.Pages {
		if p.CoverSheet || p.TextLayer || p.Image == nil {
			continue
		}
		var pageLines []textLine
		for _, l := range r.lines {
			if l.Page == p {
				pageLines = append(pageLines, l)
			}
		}
		above := func(y int) (textLine, bool) {
			var best textLine
			ok := false
			for _, l := range pageLines {
				if l.Box.Max.Y <= y+l.Box.Dy()/2 && (!ok || l.Box.Max.Y > best.Box.Max.Y) {
					best, ok = l, true
				}
			}
			return best, ok
		}
		// Where the prescriber signs: beside and just above a signature
		// label, and above the typed name of a signature block, as
		// inkWhereSigned looks.
		lineH := medianLineHeight(p.Lines)
		var signing [][2]int
		for i, l := range pageLines {
			if reSigLabel.MatchString(l.Text) {
				signing = append(signing, [2]int{l.Box.Min.Y - 2*lineH, l.Box.Max.Y + lineH})
			}
			if last != "" && i > len(pageLines)/3 && nameIndex(l.Text, last) >= 0 {
				signing = append(signing, [2]int{l.Box.Min.Y - 3*lineH, l.Box.Max.Y})
			}
		}
		skip := func(y0, y1 int) bandRule {
			mid := (y0 + y1) / 2
			if mid < p.Height/20 {
				return bandSkip // the transmit header's band
			}
			for _, s := range signing {
				if mid >= s[0] && mid < s[1] {
					return bandIfPrint
				}
			}
			return bandKeep
		}
		bands := unreadPrint(p, skip)
		if len(bands) == 0 {
			continue
		}
		where := "near the top of page " + itoa(p.Number)
		ev := textLine{Text: where, Conf: p.Confidence, Page: p}
		if l, ok := above(bands[0].Min.Y); ok {
			where = "below \"" + strings.TrimSpace(l.Text) + "\" on page " + itoa(p.Number)
			ev = l
		}
		var what []string
		for _, f := range left {
			what = append(what, fieldWords[f])
			found[f] = true
		}
		r.rx.Ambiguities = append(r.rx.Ambiguities, Ambiguity{Kind: "unattributed", Field: left[0],
			Message:  "a line of print " + where + " was not read; the " + strings.Join(what, ", ") + " reported missing may be written there",
			Evidence: ev.evidence(ev.Text)})
		for _, f := range left[1:] {
			r.rx.Ambiguities = append(r.rx.Ambiguities, Ambiguity{Kind: "unattributed", Field: f, Message: "see the line of print " + where + " that was not read", Evidence: ev.evidence(ev.Text)})
		}
		return
	}
}

// unreadableLine reports a line of words OCR read with little confidence:
// handwriting or a smudge, not specks (too few letters) and not print.
func unreadableLine(l textLine) bool {
	sum, n, letters := 0.0, 0, 0
	for _, w := range l.Words {
		sum += w.Conf
		n++
		letters += alnumCount(w.Text)
	}
	return n > 0 && letters >= 6 && sum/float64(n) < 45
}

// hasCueBefore reports whether one of cues stands in the 24 bytes of s
// before at.
func hasCueBefore(s string, at int, cues []string) bool {
	before := strings.ToLower(s[max(0, at-24):at])
	for _, c := range cues {
		if i := strings.LastIndex(before, c); i >= 0 {
			// A whole word: not "tel" in "hotel".
			if i == 0 || !unicode.IsLetter(rune(before[i-1])) {
				return true
			}
		}
	}
	return false
}

// tenDigitRuns finds runs of exactly ten digits, written together or in
// groups split by single spaces or hyphens, not inside a longer number and
// not in a telephone number's parentheses or dots. Ten digits written
// together are a run of their own beside other digits a space away (a
// leader's specks read as "-1" before them), and a bracket before them
// opens no area code.
func tenDigitRuns(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); {
		if !isDigit(s[i]) || (i > 0 && isDigit(s[i-1])) {
			i++
			continue
		}
		j, n := i, 0
		for j < len(s) {
			if isDigit(s[j]) {
				n++
				j++
				continue
			}
			if (s[j] == ' ' || s[j] == '-') && j+1 < len(s) && isDigit(s[j+1]) && n < 10 {
				j++
				continue
			}
			break
		}
		run := s[i:j]
		grouped := strings.ContainsAny(run, " -")
		punctAround := i > 0 && (s[i-1] == '(' || s[i-1] == ')' || s[i-1] == '.') || j < len(s) && (s[j] == '.' || s[j] == ')')
		switch {
		case n == 10 && !(grouped && punctAround) && !phoneShaped(run) && !dateShaped(run):
			out = append(out, [2]int{i, j})
		case n > 10 && grouped:
			// Digits together inside a longer grouped run.
			for k := i; k < j; {
				e := k
				for e < j && isDigit(s[e]) {
					e++
				}
				if e-k == 10 {
					out = append(out, [2]int{k, e})
				}
				k = e + 1
			}
		}
		i = j
	}
	return out
}

// dateShaped reports digits that begin with a date ("11-16-2026 11": a
// date and the hour of a time stamp), which an NPI never does.
func dateShaped(s string) bool {
	ds := findDates(s)
	return len(ds) > 0 && ds[0].Start == 0
}

// phoneShaped reports digits grouped 3-3-4 by hyphens, as telephone
// numbers are written and NPIs are not.
func phoneShaped(s string) bool {
	g := strings.Split(s, "-")
	return len(g) == 3 && len(strings.TrimSpace(g[0])) == 3 && len(strings.TrimSpace(g[1])) == 3
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digitCount(s string) int {
	n := 0
	for _, c := range s {
		if unicode.IsDigit(c) {
			n++
		}
	}
	return n
}

func alnumCount(s string) int {
	n := 0
	for _, c := range s {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			n++
		}
	}
	return n
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func pageOf(d *Document, n int) *Page {
	for _, p := range d.Pages {
		if p.Number == n {
			return p
		}
	}
	return nil
}

// blankOut blanks the first occurrence of part in s.
func blankOut(s, part string) string {
	if i := strings.Index(s, part); part != "" && i >= 0 {
		return s[:i] + strings.Repeat(" ", len(part)) + s[i+len(part):]
	}
	return s
}

// planLeftover reports that text, read as a plan found wanting (f), leaves
// beside the plan material it may be made of: a number, a span's unit
// (on the next line too), or words OCR doubted (a span written by hand).
func (r *rxReader) planLeftover(l textLine, text string, f Frequency) bool {
	rest := blankOut(text, f.Text)
	if ses := r.rx.Session; ses != nil && ses.Text != "" {
		rest = blankOut(rest, ses.Text) // the session's length is read
	}
	rest = strings.TrimSpace(rest)
	if reviewBefore(rest) {
		return false // "re-evaluate in 4 weeks": when, not how long
	}
	return unreadCount(rest) || nearUnit(rest+" "+r.nextText(l), spanUnit) ||
		alnumCount(rest) >= 3 && r.confOf(l, rest) < 0.6
}

// unreadCount reports a number left in what a plan's reading did not take
// ("3/week x3 mottths": the span's unit misread), unless words of review
// stand before it ("re-evaluate in 4 weeks" is when, not how long).
func unreadCount(rest string) bool {
	f := strings.FieldsFunc(strings.ToLower(rest), func(c rune) bool {
		return c == ' ' || c == ',' || c == ';' || c == '(' || c == ')' || c == '/' || c == ':'
	})
	for i, w := range f {
		w = strings.TrimRight(w, ".")
		if freqReviewWords[w] || freqReviewWords[strings.TrimPrefix(strings.TrimPrefix(w, "re-"), "re")] {
			return false
		}
		// A length is a session's, not a plan's: "60' per visit".
		if strings.HasSuffix(w, "'") || i+1 < len(f) && lengthUnit(f[i+1]) {
			continue
		}
		// A count, not a code ("M54.50") or a date.
		w = strings.Trim(w, "x#")
		if w != "" && (allDigits(w) || numberWords[w]) {
			return true
		}
	}
	return false
}
