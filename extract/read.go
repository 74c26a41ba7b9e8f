package extract

import (
	"fmt"
	"image"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"rxintake/confusion"
	"rxintake/icd10cm"
)

// ReadPrescription reads the elements of a prescription from a document's
// text. asOf is the date the code set and validity window are taken at
// (the receipt date).
func ReadPrescription(d *Document, asOf time.Time) *Prescription {
	return readPrescription(d, asOf, nil)
}

// readPrescription reads with the field readers named in skip left out:
// the tests use it to show that a reader that fails on a wording sends the
// document to review, not to correction.
func readPrescription(d *Document, asOf time.Time, skip map[string]bool) *Prescription {
	r := &rxReader{doc: d, lines: docLines(d), asOf: asOf, rx: &Prescription{Evidence: EvidenceMap{}}, pix: map[*Page]*image.Gray{}}
	r.labs = labels(r.lines)
	for _, step := range []struct {
		field string
		read  func()
	}{
		{"diagnoses", r.diagnoses}, {"patient", r.patient}, {"prescriber", r.prescriber}, {"date", r.date},
		{"procedures", r.procedures}, {"areas", r.areas}, {"session", r.session}, {"frequency", r.frequency},
		{"necessity", r.necessity}, {"signature", func() { r.signature(d) }},
	} {
		if !skip[step.field] {
			step.read()
		}
	}
	r.residue(d)
	if len(r.rx.Evidence) == 0 {
		r.rx.Evidence = nil
	}
	return r.rx
}

// genericLabel are labels that are as often words of a letter as labels.
var genericLabel = map[string]bool{"to": true, "re": true, "for": true, "sites": true, "site": true, "location": true, "region": true, "ordered": true, "dated": true}

type rxReader struct {
	doc      *Document
	lines    []textLine
	labs     []labelled
	asOf     time.Time
	rx       *Prescription
	dxSpan   map[int][][2]int // per line, the spans of diagnosis codes and their descriptions
	dxBefore map[int]bool     // lines whose descriptions stand before their codes
	dxItems  map[int]bool     // of those, lines whose items a semicolon parts
	dxTail   map[int]string   // per line, the code whose description runs to the line's end
	pix      map[*Page]*image.Gray
	// weakInk is marks where the prescriber signs that are too few to be
	// taken for a signature and too many to prove there is none.
	weakInk *Evidence
	// birth is the date of birth read, with or without the patient's
	// name: never the order's date.
	birth string
}

// confOf is how sure OCR was of the words of sub, a piece of line l: the
// mean confidence of the words it spans. A line's own confidence also
// counts the labels, rules and specks around a value; a value is as good as
// its own words. Text without words (a text layer, an email) keeps the
// line's confidence.
func (r *rxReader) confOf(l textLine, sub string) float64 {
	sub = strings.TrimSpace(sub)
	if l.Idx < 0 || l.Idx >= len(r.lines) || sub == "" {
		return l.Conf
	}
	base := r.lines[l.Idx]
	i := strings.Index(base.Text, sub)
	if i < 0 || len(base.Words) == 0 {
		return l.Conf
	}
	t0 := strings.Count(base.Text[:i], " ")
	t1 := strings.Count(base.Text[:i+len(sub)], " ")
	sum, n := 0.0, 0
	for t := t0; t <= t1 && t < len(base.Words); t++ {
		sum += base.Words[t].Conf / 100
		n++
	}
	if n == 0 {
		return l.Conf
	}
	return sum / float64(n)
}

// scribble reports whether sub on line l is ink OCR tried to read as
// words, a signature written after "Prescriber:" say: read with little
// confidence and taller than print.
func (r *rxReader) scribble(l textLine, sub string) bool {
	sub = strings.TrimSpace(sub)
	if l.Page == nil || l.Idx < 0 || l.Idx >= len(r.lines) || sub == "" || r.confOf(l, sub) >= 0.4 {
		return false
	}
	base := r.lines[l.Idx]
	i := strings.Index(base.Text, sub)
	if i < 0 {
		return false
	}
	printed := medianWordHeight(l.Page.Words)
	t0 := strings.Count(base.Text[:i], " ")
	t1 := strings.Count(base.Text[:i+len(sub)], " ")
	for t := t0; t <= t1 && t < len(base.Words); t++ {
		if printed > 0 && base.Words[t].Box.Dy() > 2*printed {
			return true
		}
	}
	return false
}

// field returns the labelled values of a field, in document order.
func (r *rxReader) field(name string) []labelled {
	var out []labelled
	for _, l := range r.labs {
		if l.Field == name {
			out = append(out, l)
		}
	}
	return out
}

// following returns the lines after a label line up to the next label, for
// values printed under their label ("Diagnoses:" then a numbered list).
func (r *rxReader) following(l labelled, max int) []textLine {
	var out []textLine
	for i := l.Line.Idx + 1; i < len(r.lines) && len(out) < max; i++ {
		if r.startsWithLabel(r.lines[i]) {
			break
		}
		out = append(out, r.lines[i])
	}
	return out
}

// valueOf is a label's value and the line it stands on: after the label,
// or, when the label ends its line, the next line of the page unless that
// starts with a label itself ("Client:" then the name below it).
func (r *rxReader) valueOf(l labelled) (string, textLine) {
	if strings.TrimSpace(l.Value) != "" || l.Line.Idx < 0 {
		return l.Value, l.Line
	}
	if next := r.following(l, 1); len(next) == 1 && next[0].Page == l.Line.Page {
		return next[0].Text, next[0]
	}
	return l.Value, l.Line
}

func (r *rxReader) startsWithLabel(l textLine) bool {
	for _, lab := range r.labs {
		if lab.Line.Idx == l.Idx && strings.HasPrefix(l.Text, lab.Label[:min(len(lab.Label), 3)]) {
			return true
		}
	}
	return false
}

// startsWithField reports whether line l begins, past the marks OCR leaves
// at a line's start, with a label of field.
func (r *rxReader) startsWithField(l textLine, field string) bool {
	text := strings.TrimLeft(l.Text, nameNoise)
	for _, lab := range r.labs {
		if lab.Line.Idx == l.Idx && lab.Field == field && strings.HasPrefix(text, strings.TrimLeft(lab.Label, nameNoise)) {
			return true
		}
	}
	return false
}

// startsWithAnyField reports whether line l begins, past the marks OCR
// leaves at a line's start, with a label.
func (r *rxReader) startsWithAnyField(l textLine) bool {
	text := strings.TrimLeft(l.Text, nameNoise)
	for _, lab := range r.labs {
		if lab.Line.Idx == l.Idx && strings.HasPrefix(text, strings.TrimLeft(lab.Label, nameNoise)) {
			return true
		}
	}
	return false
}

// orderLines are the lines that may carry the order itself: not letterhead
// addresses, not patient identification, not diagnosis lines.
func (r *rxReader) orderLines() []textLine {
	skip := map[string]bool{"patient": true, "dob": true, "npi": true, "prescriber": true, "date": true, "signature": true}
	skipLine := map[int]bool{}
	for _, l := range r.labs {
		if skip[l.Field] && strings.HasPrefix(l.Line.Text, l.Label) {
			skipLine[l.Line.Idx] = true
		}
	}
	var out []textLine
	for _, l := range r.lines {
		if skipLine[l.Idx] || reAddressLine.MatchString(l.Text) {
			continue
		}
		out = append(out, r.masked(l))
	}
	return out
}

// masked returns the line with its diagnosis codes and their descriptions
// blanked out, so that "low back pain" in a diagnosis is not read as an
// area to treat.
func (r *rxReader) masked(l textLine) textLine {
	spans := r.dxSpan[l.Idx]
	if len(spans) == 0 {
		return l
	}
	b := []byte(l.Text)
	for _, sp := range spans {
		for i := sp[0]; i < sp[1] && i < len(b); i++ {
			b[i] = ' '
		}
	}
	l.Text = string(b)
	return l
}

var reAddressLine = regexp.MustCompile(`(?i)\b(?:phone|tel|fax|ph)\b\.?\s*:?\s*\(?\d{3}|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\s*$|^\d+\s+\w+.*\b(?:street|st|avenue|ave|road|rd|blvd|boulevard|drive|dr|lane|ln|way|suite|ste|parkway|pkwy|court|ct)\b`)

// ---- patient ----

var (
	reProsePatient = cue(`{cues/prose-patient},?\s+(?:{names/courtesy}\.?\s+)?`)
	// A subject names the order before the patient, in up to three words
	// of its own ("Medical massage referral for ...").
	reReferralFor = cue(`^(?:[A-Za-z-]+\s+){0,3}?{cues/referral-for}\s*:?\s+`)
	reDOBInline   = cue(`(?:{labels/dob}[,;]?|{cues/born})\s*[:#-]?\s*`)
)

func (r *rxReader) patient() {
	var p *Patient
	for _, l := range r.field("patient") {
		v, at := r.valueOf(l)
		if blankValue(v) {
			continue
		}
		// A name holds no semicolon or bar: what follows one is another
		// field, its label perhaps misread ("Dell'Aquila, Chiamaka ;
		// DIOIB: AUG 03").
		if i := strings.IndexAny(v, ";|"); i > 0 {
			v = v[:i]
		}
		v = dropSpecks(reCamelJoin.ReplaceAllString(reReferralFor.ReplaceAllString(v, ""), "$1 $2"))
		if name, _, ok := personName(cutAtDOB(v)); ok {
			p = &Patient{Name: name, Evidence: at.evidence(at.Text)}
			break
		}
		if name, _, ok := nameAt(cutAtDOB(v)); ok {
			p = &Patient{Name: name, Evidence: at.evidence(at.Text)}
			break
		}
		// OCR lost a capital: "lena Vu".
		if rc, ok := recase(cutAtDOB(v)); ok {
			if name, _, ok := personName(rc); ok {
				p = &Patient{Name: name, Evidence: at.evidence(at.Text)}
				break
			}
		}
	}
	if p == nil {
		for _, l := range r.lines {
			for _, loc := range reProsePatient.FindAllStringIndex(l.Text, -1) {
				if name, _, ok := nameAt(l.Text[loc[1]:]); ok {
					p = &Patient{Name: name, Evidence: l.evidence(l.Text)}
					break
				}
			}
			if p != nil {
				break
			}
		}
	}
	if p == nil {
		p = r.patientByBirth()
	}
	// Date of birth: labelled, or inline after the name.
	dob := ""
	var dobEv textLine
	for _, l := range r.field("dob") {
		if ds := findDates(l.Value); len(ds) > 0 {
			dob, dobEv = isoDate(ds[0].Date), l.Line
			break
		}
	}
	if dob == "" {
		for _, l := range r.lines {
			if loc := reDOBInline.FindStringIndex(l.Text); loc != nil {
				// "BORN.......: 5/22/1984"; the date may wrap to the next line.
				rest := r.dateRunOn(l, strings.TrimLeft(l.Text[loc[1]:], " ._:-"))
				if ds := findDates(rest); len(ds) > 0 && ds[0].Start < 3 {
					dob, dobEv = isoDate(ds[0].Date), l
					break
				}
			}
		}
	}
	r.birth = dob
	if p == nil {
		return
	}
	if dob == "" {
		dob, dobEv = r.dateBesideName(p)
		r.birth = dob
	}
	p.DOB = dob
	if dob != "" && dobEv.Conf < p.Confidence {
		p.Confidence = round2(dobEv.Conf)
	}
	r.rx.Patient = p
}

// dateBesideName reads the date printed after the patient's name on the
// line the name was read from, however it is introduced ("(08 Oct 1981)",
// "(b. 2/1/1983)"): a date more than a year before the order's, with no
// word before it that makes it another date (injury, onset), is the date
// of birth.
func (r *rxReader) dateBesideName(p *Patient) (string, textLine) {
	for _, l := range r.lines {
		if l.Text != p.Evidence.Text {
			continue
		}
		last := strings.Fields(p.Name)
		at := nameIndex(l.Text, strings.ToLower(last[len(last)-1]))
		if at < 0 {
			return "", textLine{}
		}
		for _, dm := range findDates(l.Text) {
			if dm.Start > at && !hasCueBefore(l.Text, dm.Start, otherDateCue) && dm.Date.Before(r.asOf.AddDate(-1, 0, 0)) {
				return isoDate(dm.Date), l
			}
		}
		return "", textLine{}
	}
	return "", textLine{}
}

func cutAtDOB(s string) string {
	if loc := reDOBInline.FindStringIndex(s); loc != nil {
		s = s[:loc[0]]
	}
	// Any word of birth ends a name, however the label goes on
	// ("Birthday:", "Date of birth -").
	f := strings.Fields(s)
	for i, w := range f {
		w = strings.ToLower(strings.Trim(w, ".,;:-#()"))
		if i > 0 && (w == "dob" || w == "d.o.b" || w == "born" || strings.HasPrefix(w, "birth")) {
			for i > 0 && (strings.EqualFold(f[i-1], "of") || strings.EqualFold(f[i-1], "date")) {
				i--
			}
			s = strings.Join(f[:i], " ")
			break
		}
	}
	cut := false
	if i := strings.IndexAny(s, "(0123456789"); i > 0 {
		s, cut = s[:i], true
	}
	// A label OCR garbled before the date it labels ("Olga R. Nguyen NOR:
	// 8/4/1940"); a colon with no date after it ends the name ("Darla Von
	// Ahn: .").
	if loc := reLabelAfterName.FindStringIndex(s); loc != nil && cut {
		s = s[:loc[0]]
	}
	return s
}

// dropSpecks drops from a labelled name the short lowercase words OCR reads
// in specks and the edge of a rule ("Teresa Brown oe", "Smith, Brittany M
// oo"). Name particles and short English words stay.
func dropSpecks(s string) string {
	f := strings.Fields(s)
	return strings.Join(slices.DeleteFunc(f, func(w string) bool {
		return len(w) <= 2 && strings.ToLower(w) == w && !keepShort[w]
	}), " ")
}

var keepShort = map[string]bool{
	"de": true, "da": true, "di": true, "du": true, "la": true, "le": true, "el": true, "al": true, "y": true, "e": true,
	"on": true, "at": true, "of": true, "in": true, "to": true, "is": true, "by": true, "or": true, "as": true, "an": true,
	"be": true, "it": true, "we": true, "he": true, "me": true, "my": true, "no": true, "so": true, "up": true, "us": true,
	"if": true, "a": true, "i": true, "x": true,
}

// reLabelAfterName is a word ending in a colon after a name's first word.
var reLabelAfterName = regexp.MustCompile(`\s[A-Za-z.]{2,6}:\s*$`)

// ---- prescriber ----

var (
	reSlashS   = cue(`(?i)^/s/\s*(\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]*){1,3}(?:,?\s*{names/prescriber-credential})*)`)
	reNameCred = cue(`^(?:Dr\.?\s+)?(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}\.?)?(?:\s+\p{Lu}[\p{L}'’-]+){1,2}),?\s+({names/prescriber-credential})(?:(?:,\s*|\s+)[A-Z]{2,6}(?:-[A-Z]{1,2})?)*\s*$`)
	reDrName   = regexp.MustCompile(`\bDr\.?\s+(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}\.?)?(?:\s+\p{Lu}[\p{L}'’-]+){0,2})`)
	reNPI      = cue(`\b{cues/npi-label}(?:\s*\([A-Za-z. ]{1,14}\))?\s*(?:[.…_-]{2,}\s*)?[:;#,.–—-]{0,3}\s*[(\[]?([0-9` + confusion.Default.DigitLetters() + `'][0-9` + confusion.Default.DigitLetters() + ` \-]{8,14}[0-9` + confusion.Default.DigitLetters() + `])`)
)

func (r *rxReader) prescriber() {
	pr := &Prescriber{}
	var cands []nameCand
	add := func(name, creds, source string, w float64, l textLine, measured bool) {
		c := nameCand{name: name, creds: creds, source: source, weight: w, line: l, measured: measured}
		if measured {
			c.conf = r.confOf(l, name)
		}
		cands = append(cands, c)
	}
	// propose reads s as a name, refusing ink OCR tried to read as words
	// (a signature written after "Prescriber:").
	propose := func(s, source string, w float64, l textLine) bool {
		name, creds, ok := personName(s)
		if !ok || r.scribble(l, s) {
			return false
		}
		add(name, creds, source, w, l, true)
		return true
	}
	for _, l := range r.field("prescriber") {
		v, at := r.valueOf(l)
		if blankValue(v) {
			continue
		}
		v = cutAtNPI(v)
		if propose(v, "label", wLabel, at) {
			continue
		}
		// OCR leaves specks after a name: "Christine Bianchi M.D. a NPI;".
		if name, creds, ok := nameAt(v); ok && !r.scribble(at, name) {
			add(name, creds, "label", wLabelLoose, at, false)
			continue
		}
		// OCR runs the words of a field together ("MonicaKim,DO") and
		// loses capitals ("carsten Lujan DNP").
		v = reCommaJoin.ReplaceAllString(unglue(v), ", $1")
		if blankValue(v) {
			continue
		}
		if propose(v, "label", wLabelJoined, at) {
			continue
		}
		if rc, ok := recase(v); ok && !r.scribble(at, v) {
			propose(rc, "label", wLabelJoined, at)
		}
	}
	for i, l := range r.lines {
		// A name cut by the line's end inside a family name ("signed:
		// Esteban Ruiz de" / "Velasco, APRN") runs on to the next line.
		if f := strings.Fields(l.Text); len(f) > 0 && nameParticles[f[len(f)-1]] {
			if t, ok := r.runOn(i); ok {
				l.Text = t
			}
		}
		if name, creds, ok := eSignedName(l.Text); ok {
			add(name, creds, "e-signature", wESignature, l, false)
		} else if name, creds, ok := r.nameBeforeStatement(l.Text); ok {
			add(name, creds, "e-signature", wESignature, l, false)
		}
		// "the order from Karen Hoffman PA-C", "On behalf of Anil Patel,
		// MD", "Referred by: Dr. Chen".
		for _, loc := range reProsePrescriber.FindAllStringIndex(l.Text, -1) {
			if name, creds, ok := nameAt(l.Text[loc[1]:]); ok {
				add(name, creds, "prose", wProse, l, false)
				break
			}
		}
		// "Elizabeth Morrison, APRN, FNP-C (NPI #: 1326897851) is
		// referring": a name with credentials right before the NPI.
		if loc := reNPI.FindStringIndex(l.Text); loc != nil {
			if name, creds, ok := nameBefore(l.Text[:loc[0]]); ok {
				add(name, creds, "beside-npi", wBesideNPI, l, false)
			}
		}
	}
	// A name alone before the NPI's label, without credentials, the whole
	// of what starts its line ("Ciaran C. MacDonald NPI 1404227146",
	// "Lorena O'Keeffe Type 1 NPI: ..."): weaker than one with them.
	alone := func(before string, l textLine) {
		before = strings.TrimRight(before, " ,;:-|")
		if name, creds, ok := personName(before); ok && creds == "" && capitalised(name) && len(strings.Fields(name)) <= 4 {
			propose(before, "beside-npi", wAboveNPI, l)
		}
	}
	for _, n := range r.field("npi") {
		if at := strings.Index(n.Line.Text, n.Label); at > 0 {
			alone(n.Line.Text[:at], n.Line)
		}
	}
	for _, l := range r.lines {
		if loc := reNPI.FindStringIndex(l.Text); loc != nil && loc[0] > 0 && !r.startsWithLabel(l) {
			alone(l.Text[:loc[0]], l)
		}
	}
	// The bottom-up strategies: a signature block is the last name on the
	// order, since letterheads list a practice's doctors.
	for i := len(r.lines) - 1; i >= 0; i-- {
		l := r.lines[i]
		// The typed name of a signature block: "Anil Patel, MD". OCR
		// leaves the rule signed on and the page's edge around the name:
		// "_ Steven Kim, MD -_".
		if t := typedNameLine(cutAtNPI(l.Text)); reNameCred.MatchString(t) {
			propose(t, "signature-block", wSignBlock, l)
		}
		// "Dr. Chen", but not "Dr" for Drive in an address.
		if m := reDrName.FindStringSubmatch(l.Text); m != nil && !reAddressLine.MatchString(l.Text) {
			propose(m[1], "title", wTitle, l)
		}
		if name, creds, ok := credentialedName(l.Text); ok {
			// A name before a credential, wherever it stands: the
			// signature block or statement in any wording.
			add(name, creds, "credentialed", wCredentialed, l, false)
		} else if u := unglue(l.Text); u != l.Text {
			if name, creds, ok := credentialedName(u); ok {
				add(name, creds, "credentialed", wCredentialed*0.9, l, false)
			}
		}
	}
	// A signature legible enough to read as a name, beside or under its
	// label: the name the prescriber signed.
	for _, l := range r.field("signature") {
		if v, at := r.valueOf(l); !blankValue(v) && !awaitingSignature(v) {
			// OCR must be sure of it: strokes read as letters are no name.
			if name, creds, ok := personName(v); ok && capitalised(name) && r.confOf(at, v) >= 0.75 {
				add(name, creds, "signed-name", wSignedName, at, false)
			}
		}
	}
	// The typed name under the signature's line, alone on its line and
	// without credentials ("Referring practitioner's signature: ..." /
	// "Oleksandr Fitzgerald-Kerr"): as weak as a name alone before an NPI.
	for _, l := range r.field("signature") {
		i := l.Line.Idx
		if i < 0 || i+1 >= len(r.lines) || r.lines[i+1].Page != l.Line.Page || r.startsWithAnyField(r.lines[i+1]) {
			continue
		}
		next := r.lines[i+1]
		t := typedNameLine(next.Text)
		if name, creds, ok := personName(t); ok && creds == "" && capitalised(name) && len(strings.Fields(name)) <= 4 && !endsInInitial(name) && r.confOf(next, t) >= 0.75 {
			propose(t, "signature-block", wAboveNPI, next)
		}
	}
	if name, creds, l, ok := r.nameAboveNPI(); ok {
		add(name, creds, "above-npi", wAboveNPI, l, false)
	}
	// The patient is not the prescriber, wherever the patient's name stands.
	if r.rx.Patient != nil {
		cands = slices.DeleteFunc(cands, func(c nameCand) bool { return samePerson(c.name, r.rx.Patient.Name) })
	}
	found := false
	if c, ok := resolveName(cands); ok {
		pr.Name, pr.Credentials, pr.Evidence = c.name, credentialList(c.line.Text, c.name, c.creds), c.line.evidence(c.line.Text)
		pr.Source = c.source
		if c.measured {
			pr.Confidence = round2(c.conf)
		}
		found = true
	}
	// NPI: labelled, or "NPI 1234567893" anywhere.
	for i, l := range r.lines {
		if reNPILabelEnd.MatchString(l.Text) && i+1 < len(r.lines) && r.lines[i+1].Page == l.Page {
			// "NPI#" at the end of a line, the number on the next.
			next := r.lines[i+1]
			l = textLine{Text: strings.TrimRight(l.Text, " |_-") + " " + next.Text, Conf: min(l.Conf, next.Conf), Page: l.Page, Box: l.Box, Idx: -1}
		}
		if m := reNPI.FindStringSubmatch(l.Text); m != nil {
			if npi := npiDigits(m[1]); npi != "" {
				pr.NPI = npi
				// Marks after the last digit ("1234567893 !") are specks,
				// not part of the number OCR was sure or unsure of.
				conf := r.confOf(l, strings.TrimRightFunc(m[1], func(c rune) bool { return c < '0' || c > '9' }))
				if !found {
					pr.Evidence = l.evidence(l.Text)
					pr.Confidence = round2(conf)
				} else if conf < pr.Confidence {
					pr.Confidence = round2(conf)
				}
				break
			}
		}
	}
	if pr.NPI == "" {
		// Unlabelled, or under a label not known: ten digits whose check
		// digit makes them an NPI, not a telephone number.
		for _, l := range r.lines {
			if reAddressLine.MatchString(l.Text) {
				continue
			}
			for _, at := range tenDigitRuns(l.Text) {
				digits := strings.NewReplacer(" ", "", "-", "").Replace(l.Text[at[0]:at[1]])
				if r.phoneBefore(l.Text, at[0]) || !ValidNPI(digits) {
					continue
				}
				pr.NPI = digits
				if !found {
					pr.Evidence = l.evidence(l.Text)
					pr.Confidence = round2(r.confOf(l, l.Text[at[0]:at[1]]))
				}
				break
			}
			if pr.NPI != "" {
				break
			}
		}
	}
	if pr.Name != "" || pr.NPI != "" {
		r.rx.Prescriber = pr
	}
}

// phoneBefore reports a telephone's cue before the number at text[at:]
// that no NPI label follows: the label nearest a number names it ("Ph.D.
// NPI - 1234567893" is an NPI, however "Ph" reads).
func (r *rxReader) phoneBefore(text string, at int) bool {
	before := text[:at]
	if locs := reNPILabelAny.FindAllStringIndex(before, -1); len(locs) > 0 {
		before = before[locs[len(locs)-1][1]:]
	}
	return hasCueBefore(before, len(before), phoneCue)
}

// reNPILabelAny is an NPI's label anywhere.
var reNPILabelAny = cue(`\b{cues/npi-label}`)

// reESignedLead is the start of an electronic-signature statement, up to
// the name of who signed.
var reESignedLead = cue(`{cues/e-signed}\s*(?:authenticated\s+and\s+)?['"]?\s*signed(?:\s+and\s+authenticated)?\s*\)?\s*(?:by)?\s*:?\s*`)

// reESignatureLabel is the label of an electronic signature, up to the
// name of who signed.
var reESignatureLabel = cue(`\b{cues/e-signature-label}\s*[:;]\s*`)

// reProsePrescriber introduces the prescriber in running text.
var reProsePrescriber = cue(`{cues/prose-prescriber}\s*:?\s*`)

// eSignedName reads who signed an electronic-signature statement
// ("Electronically signed by: Sarah Alvarez APRN 10/6/2026 9:36 AM").
func eSignedName(text string) (name, creds string, ok bool) {
	if name, creds, ok := leadSignedName(text); ok {
		return name, creds, true
	}
	// In any word order: "Signed electronically by ... on ...", "Digitally
	// authenticated and signed by ...".
	low := strings.ToLower(text)
	if !strings.Contains(low, "electronic") && !strings.Contains(low, "digital") && !strings.Contains(low, "authenticated by") && !timeStamped(text) {
		return "", "", false
	}
	for at := 0; ; {
		i := strings.Index(low[at:], " by ")
		if i < 0 {
			return "", "", false
		}
		at += i + len(" by ")
		if before := low[:at]; strings.Contains(before, "sign") || strings.Contains(before, "authenticat") {
			if name, creds, ok := nameAt(strings.TrimLeft(text[at:], " :")); ok {
				return name, creds, true
			}
		}
	}
}

// leadSignedName reads the name after the lead of a statement in the usual
// word order ("Electronically signed by: Sarah Alvarez APRN").
func leadSignedName(text string) (name, creds string, ok bool) {
	locs := append(reESignedLead.FindAllStringIndex(text, -1), reESignatureLabel.FindAllStringIndex(text, -1)...)
	for _, loc := range locs {
		if name, creds, ok := nameAt(text[loc[1]:]); ok {
			return name, creds, true
		}
	}
	return "", "", false
}

// nameBefore reads a name with its credentials at the end of s ("... from
// Anil Patel, MD (").
func nameBefore(s string) (name, creds string, ok bool) {
	words := strings.Fields(strings.TrimRight(strings.TrimSpace(s), "(,;:-[ "))
	for n := min(len(words), 7); n >= 2; n-- {
		cand := strings.Join(words[len(words)-n:], " ")
		if bare, c := splitCredentials(reTitle.ReplaceAllString(cand, "")); c == "" || strings.Contains(bare, ",") {
			continue
		}
		if name, creds, ok := personName(cand); ok && creds != "" {
			return name, creds, true
		}
	}
	return "", "", false
}

// nameBeforeStatement reads the name that starts an electronic-signature
// statement written name first ("Ann Lee, MD - digitally signed 08/25/26").
func (r *rxReader) nameBeforeStatement(text string) (name, creds string, ok bool) {
	if !r.eStatement(text) {
		return "", "", false
	}
	low := strings.ToLower(text)
	cut := len(text)
	for _, w := range []string{"electronically", "electronic", "digitally", "digital", "e-signed", "esigned", "signed"} {
		if i := strings.Index(low, w); i >= 0 && i < cut {
			cut = i
		}
	}
	before := strings.TrimRight(text[:cut], " -–—,;:|(")
	if before == "" {
		return "", "", false
	}
	if name, creds, ok := personName(before); ok && capitalised(name) {
		return name, creds, true
	}
	return "", "", false
}

// unglue parts the words OCR ran together in a name: "MonicaKim" is
// "Monica Kim", "KangasD.O." is "Kangas D.O." when D.O. is a credential.
func unglue(s string) string {
	s = reCamelJoin.ReplaceAllString(s, "$1 $2")
	return replaceSubmatchFunc(reGluedCred, s, func(m []string) string {
		if !prescriberCredential[strings.ToUpper(strings.ReplaceAll(m[2], ".", ""))] {
			return m[0]
		}
		return m[1] + " " + m[0][len(m[1]):]
	})
}

// nameNoise are the marks OCR reads around a typed name: rules, bars,
// brackets, the edge of a pad.
const nameNoise = "_-|»«{}[]!~=;:., "

var (
	// reCamelJoin is two words OCR ran together: a lower-case letter
	// then a capital that starts a name ("MonicaKim", "EeroO'Dowd").
	reCamelJoin = regexp.MustCompile(`(\p{Ll}{3,})(\p{Lu}(?:['’]\p{Lu})?\p{Ll}{2,})`)
	// reGluedCred is a credential run onto the name before it
	// ("KangasD.O.", "PatelMD"): capitals, with or without dots, after
	// a lower-case letter; unglue keeps it only if it is a credential.
	reGluedCred    = regexp.MustCompile(`(\p{Ll}{2,})((?:\p{Lu}\.?){2,6})(?:[\s,;]|$)`)
	reCommaJoin    = regexp.MustCompile(`,(\S)`)
	reTrailingMark = regexp.MustCompile(`,\s*[a-z]{1,3}\.?$`)
)

// typedNameLine cleans a line that may be a typed name: the marks around
// it, a speck read as a lowercase letter before it ("i Laura J. Weiss DO"),
// a speck after its comma ("Weiss,. DO").
func typedNameLine(s string) string {
	s = strings.Trim(s, nameNoise)
	s = reLeadSpeck.ReplaceAllString(s, "$1")
	s = strings.ReplaceAll(s, ",.", ",")
	return strings.Trim(s, nameNoise)
}

var reLeadSpeck = regexp.MustCompile(`^[a-z]{1,2}\s+([A-Z])`)

func cutAtNPI(s string) string {
	if i := strings.Index(strings.ToUpper(s), "NPI"); i > 0 {
		return s[:i]
	}
	return s
}

// npiDigits reads ten digits, mending the letters OCR confuses with digits.
// Two mends are taken only when they make a valid NPI: a leading 1 read as
// a mark ("'565554593"), and a stray mark read as a digit after the number
// ("1075772719 7").
func npiDigits(s string) string {
	var d []byte
	for _, c := range s {
		if c = digitLike(c); c >= '0' && c <= '9' {
			d = append(d, byte(c))
		}
	}
	switch {
	case len(d) == 10:
		return string(d)
	case len(d) == 9 && strings.ContainsRune("'|", rune(s[0])) && ValidNPI("1"+string(d)):
		return "1" + string(d)
	case len(d) > 10 && ValidNPI(string(d[:10])):
		return string(d[:10])
	}
	return ""
}

// ---- date ----

func (r *rxReader) date() {
	dob := r.birth
	pick := func(text string, l textLine, source string) bool {
		for _, dm := range findDates(text) {
			iso := isoDate(dm.Date)
			if iso == dob || dm.Date.After(r.asOf.AddDate(0, 0, 7)) {
				continue
			}
			r.rx.Date = iso
			ev := l.evidence(l.Text)
			ev.Confidence = round2(r.confOf(l, text[dm.Start:dm.End]))
			ev.Source = source
			r.rx.Evidence["date"] = ev
			return true
		}
		return false
	}
	// The sources in the order a person trusts them (docs/reading.md):
	// the labelled date line, a sentence that dates the order, the date
	// line of a letter, the time stamp of an electronic signature, and for
	// an order written in the body of an email, the day it was sent.
	for _, l := range r.field("date") {
		if pick(l.Value, l.Line, "date-line") {
			return
		}
	}
	for _, l := range r.lines {
		for _, loc := range reDatedProse.FindAllStringIndex(l.Text, -1) {
			rest := l.Text[loc[1]:]
			if ds := findDates(rest); len(ds) > 0 && ds[0].Start == 0 && pick(rest[:ds[0].End], l, "dated-sentence") {
				return
			}
		}
	}
	for _, l := range r.lines {
		t := strings.Trim(strings.TrimSpace(l.Text), " ;:.,|_-'~`»«")
		if ds := findDates(t); len(ds) == 1 && ds[0].Start == 0 && len(t)-ds[0].End < 3 && pick(t, l, "letter-date") {
			return
		}
	}
	for _, l := range r.lines {
		if loc := reESignedLead.FindStringIndex(l.Text); loc != nil && pick(l.Text[loc[1]:], l, "e-signature") {
			return
		}
		if r.eStatement(l.Text) {
			// The time stamp may wrap: "... (electronic signature) September 4," / "2026 09:07".
			text := l.Text
			if l.Idx+1 < len(r.lines) && len(findDates(text)) == 0 {
				text += " " + r.lines[l.Idx+1].Text
			}
			if pick(text, l, "e-signature") {
				return
			}
		}
	}
	// Where the prescriber signs, a date is the day of signing, also when
	// OCR garbled the label before it ("Signature ... Dat3: Nov 17, 2026").
	for _, l := range r.lines {
		loc := reSigLabel.FindStringIndex(l.Text)
		if loc == nil {
			continue
		}
		rest := l.Text[loc[1]:]
		for _, dm := range findDates(rest) {
			if !hasCueBefore(rest, dm.Start, otherDateCue) && pick(rest[dm.Start:dm.End], l, "signature-line") {
				return
			}
		}
	}
	// One date on the prescription, under a label or in words the reader
	// does not know ("Order dt:", "DATE OF REQUEST", "Entered"), and not
	// a birth, an injury, a printing or a future visit: the order's date.
	if r.soleDate(dob) {
		return
	}
	if r.doc != nil && r.doc.Email != nil && !r.doc.Email.Date.IsZero() && r.bodyOrder() {
		sent := r.doc.Email.Date
		if sent.After(r.asOf.AddDate(0, 0, 7)) {
			return
		}
		r.rx.Date = sent.Format("2006-01-02")
		r.rx.Evidence["date"] = Evidence{Text: "email sent " + sent.Format("Mon, 2 Jan 2006 15:04 -0700"), Confidence: 1, Source: "email-header"}
	}
}

// soleDateConfidence caps the confidence of a date read as the only one on
// the prescription: no label says it is the order's.
const soleDateConfidence = 0.85

// soleDate reads the date of the order as the one date the prescription
// holds that nothing marks as another's (docs/reading.md, dates). Two
// different dates are a choice the reader does not make.
func (r *rxReader) soleDate(dob string) bool {
	var found *dateMatch
	var at textLine
	for _, l := range r.lines {
		for _, dm := range findDates(l.Text) {
			iso := isoDate(dm.Date)
			// Years old, it is a birth date whose label OCR spoiled, not
			// an order the office would still receive.
			if iso == dob || dm.Date.After(r.asOf.AddDate(0, 0, 7)) || dm.Date.Before(r.asOf.AddDate(-2, 0, 0)) || hasCueBefore(l.Text, dm.Start, otherDateCue) {
				continue
			}
			if found != nil && !found.Date.Equal(dm.Date) {
				return false
			}
			if found == nil {
				found, at = &dm, l
			}
		}
	}
	if found == nil {
		return false
	}
	r.rx.Date = isoDate(found.Date)
	ev := at.evidence(at.Text)
	ev.Confidence = round2(min(soleDateConfidence, r.confOf(at, at.Text[found.Start:found.End])))
	ev.Source = "sole-date"
	r.rx.Evidence["date"] = ev
	return true
}

// bodyOrder reports whether the order is written in the body of an email:
// the body reads as a prescription and no attached page does.
func (r *rxReader) bodyOrder() bool {
	if strings.TrimSpace(r.doc.Body) == "" {
		return false
	}
	for _, p := range r.doc.Pages {
		if !p.CoverSheet && p.Unreadable == "" && strings.TrimSpace(p.Text) != "" {
			return false
		}
	}
	return true
}

var reDatedProse = cue(`{cues/dated-prose}\s+`)

// ---- diagnoses ----

var (
	// OCR reads the dot of a code as a comma now and then.
	reICD      = regexp.MustCompile(`\b([A-TV-Z][0-9][0-9A-Z])\s?(?:[.,]|,\.|\.,)\s?([0-9A-Z]{1,4})\b|\b([A-TV-Z][0-9][0-9A-Z])\b`)
	reICDNoDot = regexp.MustCompile(`\b([A-TV-Z][0-9][0-9A-Z][0-9A-Z]{1,4})\b`)
	reDxWord   = cue(`{cues/diagnosis-word}`)
)

func (r *rxReader) diagnoses() {
	r.dxSpan = map[int][][2]int{}
	r.dxBefore = map[int]bool{}
	r.dxItems = map[int]bool{}
	r.dxTail = map[int]string{}
	set := icd10cm.For(r.asOf)
	dxLabelled := map[int]bool{}
	for _, l := range r.field("diagnosis") {
		dxLabelled[l.Line.Idx] = true
		for _, f := range r.following(l, 8) {
			dxLabelled[f.Idx] = true
		}
	}
	seen := map[string]bool{}
	for _, l := range r.lines {
		text := l.Text
		matches := reICD.FindAllStringSubmatchIndex(text, -1)
		// A line that lists a full code is a diagnosis line, whatever
		// words introduce it.
		context := dxLabelled[l.Idx] || reDxWord.MatchString(text) || slices.ContainsFunc(matches, func(m []int) bool {
			return m[2] >= 0 && set.Exists(text[m[2]:m[3]]+"."+text[m[4]:m[5]])
		})
		// A list's first item sets where its descriptions stand: "Spasm
		// of calf -- M62.831; Pain in right hip -- M25.551" puts each
		// before its code, whatever follows the code.
		if len(matches) >= 2 {
			m := matches[0]
			first := ""
			if m[2] >= 0 {
				first = strings.ToUpper(text[m[2]:m[3]] + "." + text[m[4]:m[5]])
			} else {
				first = strings.ToUpper(text[m[6]:m[7]])
			}
			// The side its own description agrees with, not a label
			// before the list ("Problems M53.82 Dorsopathy ...").
			before, _, _ := dxDescriptionBefore(text, m[0], m[1], false)
			after, _, _ := dxDescriptionSide(text, m[0], m[1], false)
			if before != "" && (after == before || set.DescriptionAgrees(first, before) > set.DescriptionAgrees(first, after)) {
				// Only a list whose items a semicolon parts: in a
				// sentence each code's brackets and words say where its
				// description is. The items hold their commas.
				if strings.Contains(text[matches[0][1]:matches[1][0]], ";") {
					r.dxBefore[l.Idx], r.dxItems[l.Idx] = true, true
				}
			}
		}
		for _, m := range matches {
			var code string
			switch {
			case m[2] >= 0:
				code = text[m[2]:m[3]] + "." + text[m[4]:m[5]]
				// "S13.4X XA": OCR split the code; the whole one exists.
				if t := reSplitTail.FindStringSubmatchIndex(text[m[1]:]); t != nil && !billable(set, code) && billable(set, code+text[m[1]+t[2]:m[1]+t[3]]) {
					code += text[m[1]+t[2] : m[1]+t[3]]
					m = slices.Clone(m)
					m[1] += t[1]
				}
			default:
				// A bare three-character category ("R51") counts only on a
				// diagnosis line, and only if the code set knows it.
				c := text[m[6]:m[7]]
				if !context || !set.Exists(c) {
					continue
				}
				code = c
				if reGarbledRest.MatchString(text[m[1]:]) && l.Page != nil {
					// "M72 721—", "M62-65..": a code OCR broke up, not
					// a category.
					r.addDiagnosis(set, code, text, m[0], m[1], l, seen)
					if n := len(r.rx.Diagnoses); n > 0 && r.rx.Diagnoses[n-1].Code == code {
						if c := &r.rx.Diagnoses[n-1].Confidence; *c == 0 || *c > 0.2 {
							*c = 0.2
						}
					}
					continue
				}
			}
			r.addDiagnosis(set, code, text, m[0], m[1], l, seen)
		}
		if context {
			for _, m := range reICDDigitLed.FindAllStringSubmatchIndex(text, -1) {
				code, ok := digitLedCode(set, text, m)
				switch {
				case ok && !seen[code]:
					r.addDiagnosis(set, code, text, m[2], m[1], l, seen)
					r.rx.Diagnoses[len(r.rx.Diagnoses)-1].Confidence = min(r.rx.Diagnoses[len(r.rx.Diagnoses)-1].Confidence, 0.8)
				case !ok && l.Page != nil && !l.Page.TextLayer && !r.inDxSpan(l.Idx, m[2]) && !inDate(text, m[2]):
					// "13.4 Sprain of ligaments of cervical spine": a code
					// that lost its letter and names no billable code. It
					// may be a header the physician wrote; a person reads it.
					if desc, _, _ := dxDescription(text, m[2], m[1]); desc != "" {
						r.rx.Ambiguities = append(r.rx.Ambiguities, Ambiguity{Kind: "unreadable-value", Field: "diagnoses",
							Message: "a diagnosis code seems written here (\"" + strings.TrimSpace(text[m[2]:m[1]]) + "\") but could not be read", Evidence: l.evidence(text)})
					}
				}
			}
			for _, m := range reICDNoDot.FindAllStringSubmatchIndex(text, -1) {
				raw := text[m[2]:m[3]]
				code, err := icd10cm.Normalize(raw)
				if err != nil || !set.Exists(code) || seen[code] {
					continue
				}
				r.addDiagnosis(set, code, text, m[0], m[1], l, seen)
			}
		}
	}
	r.maskWrappedDescriptions(set)
	r.maskDescriptionPhrases(set)
}

// inDxSpan reports whether offset at of line idx lies in a diagnosis read.
func (r *rxReader) inDxSpan(idx, at int) bool {
	for _, sp := range r.dxSpan[idx] {
		if at >= sp[0] && at < sp[1] {
			return true
		}
	}
	return false
}

// maskWrappedDescriptions masks the rest of a description that wraps onto
// the next line ("M47.816 Spondylosis without myelopathy or" /
// "radiculopathy, lumbar region"): words of the code's own description are
// not areas to treat.
func (r *rxReader) maskWrappedDescriptions(set *icd10cm.Set) {
	for idx, code := range r.dxTail {
		next := idx + 1
		if next >= len(r.lines) || r.lines[next].Page != r.lines[idx].Page || r.startsWithLabel(r.lines[next]) {
			continue
		}
		official, _ := set.Lookup(code)
		if official == "" {
			continue
		}
		words := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(official), func(c rune) bool { return !unicode.IsLetter(c) }) {
			words[w] = true
		}
		text := r.lines[next].Text
		cut := len(text)
		if loc := reICD.FindStringIndex(text); loc != nil {
			cut = loc[0]
		}
		toks := strings.FieldsFunc(strings.ToLower(text[:cut]), func(c rune) bool { return !unicode.IsLetter(c) })
		if len(toks) == 0 {
			continue
		}
		all := true
		for _, t := range toks {
			if words[t] || len(t) <= 2 {
				continue
			}
			near := false
			for w := range words {
				if len(t) >= 5 && editDistance(t, w) <= 1 {
					near = true
					break
				}
			}
			if !near {
				all = false
				break
			}
		}
		if all {
			r.dxSpan[next] = append(r.dxSpan[next], [2]int{0, cut})
		}
	}
}

// maskDescriptionPhrases masks a region named inside the words of a
// diagnosis the order carries, wherever the description stands: before its
// code or after it, wrapped onto another line, beside a label. "Sprain of
// ligaments of lumbar spine" names the injury, not the area to treat: a
// region whose neighbouring words all belong to the description of a code
// read, one of them a clinical word (not a region, a side or a joining
// word), is part of that description. A region standing alone ("to the
// lumbar region for ...") keeps its reading.
func (r *rxReader) maskDescriptionPhrases(set *icd10cm.Set) {
	words := map[string]bool{}
	for _, dx := range r.rx.Diagnoses {
		official, _ := set.Lookup(dx.Code)
		for _, w := range strings.FieldsFunc(strings.ToLower(official), func(c rune) bool { return !unicode.IsLetter(c) }) {
			words[w] = true
		}
	}
	if len(words) == 0 {
		return
	}
	inDesc := func(t string) bool {
		if words[t] {
			return true
		}
		if len(t) >= 5 {
			for w := range words {
				if editDistance(t, w) <= 1 {
					return true
				}
			}
		}
		return false
	}
	// What stands under an areas label is read as areas, whatever its
	// words.
	labelled := map[int]bool{}
	for _, l := range r.field("areas") {
		labelled[l.Line.Idx] = true
	}
	for _, l := range r.lines {
		text := r.masked(l).Text
		toks := wordSpans(text)
		if len(toks) == 0 || labelled[l.Idx] {
			continue
		}
		mentions := AreaMentions(text)
		// The words of every region named: a word of one region is no
		// clinical word beside another ("low back & sacroiliac joints").
		region := make([]bool, len(toks))
		from := 0
		for _, m := range mentions {
			at := strings.Index(text[from:], m.Text)
			if at < 0 {
				continue
			}
			at += from
			from = at + len(m.Text)
			for i, t := range toks {
				if t[0] < from && t[1] > at {
					region[i] = true
				}
			}
		}
		from = 0
		for _, m := range mentions {
			at := strings.Index(text[from:], m.Text)
			if at < 0 {
				continue
			}
			at += from
			end := at + len(m.Text)
			from = end
			// The words of the mention, and the run of description words
			// on either side of it, within one item of a list.
			first := slices.IndexFunc(toks, func(t [2]int) bool { return t[1] > at })
			last := first
			for last+1 < len(toks) && toks[last+1][0] < end {
				last++
			}
			if first < 0 {
				continue
			}
			clinical := false
			word := func(i int) string { return strings.ToLower(text[toks[i][0]:toks[i][1]]) }
			joined := func(i, j int) bool { return !strings.ContainsAny(text[toks[i][1]:toks[j][0]], ".;:") }
			lo, hi := first, last
			for lo > 0 && joined(lo-1, lo) && inDesc(word(lo-1)) {
				lo--
			}
			for hi+1 < len(toks) && joined(hi, hi+1) && inDesc(word(hi+1)) {
				hi++
			}
			for i := lo; i <= hi; i++ {
				if !region[i] && clinicalWord(word(i)) {
					clinical = true
				}
			}
			if clinical {
				r.dxSpan[l.Idx] = append(r.dxSpan[l.Idx], [2]int{toks[lo][0], toks[hi][1]})
			}
		}
	}
}

// clinicalWord reports a word of a diagnosis that says what is wrong, not
// where: not a region, a side or a joining word.
func clinicalWord(w string) bool {
	if len(w) < 4 || len(Areas(w)) > 0 {
		return false
	}
	switch w {
	case "with", "without", "other", "than", "from", "into", "right", "left", "bilateral", "side", "sides",
		"lower", "upper", "region", "regions", "both", "area", "areas":
		return false
	}
	return true
}

// wordSpans are the offsets of the runs of letters in text.
func wordSpans(text string) [][2]int {
	var out [][2]int
	start := -1
	for i, c := range text {
		if unicode.IsLetter(c) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}

// hasWordAfter reports a word of three letters or more in rest.
func hasWordAfter(rest string) bool {
	return slices.ContainsFunc(strings.FieldsFunc(rest, func(c rune) bool { return !unicode.IsLetter(c) }), func(w string) bool { return len(w) >= 3 })
}

// descConfirmed is the confidence of a code its printed description
// confirms.
const descConfirmed = 0.9

// reNPILabelEnd is an NPI label that ends its line.
var reNPILabelEnd = cue(`\b{cues/npi-label}\s*(?:[.…_-]{2,}\s*)?[:;#,.]{0,3}[\s|_-]*$`)

func billable(set *icd10cm.Set, code string) bool {
	_, ok := set.Lookup(strings.ToUpper(code))
	return ok
}

// reSplitTail is the rest of a code OCR split off with a space.
var reSplitTail = regexp.MustCompile(`^ ([0-9A-Z]{1,3})\b`)

// reGarbledRest is what follows a category OCR broke off its code: digits
// after a space, a dash or a stray mark.
var reGarbledRest = regexp.MustCompile(`^\s?[-–—.,'"]?\s?\d`)

// reICDDigitLed is a code whose letter OCR read as a digit or a sign
// ("189.0 - Lymphedema, not elsewhere classified", "$13.4XXA") or lost
// ("(33.5XXA)").
var reICDDigitLed = regexp.MustCompile(`(?:^|[^0-9A-Za-z.])([0-9$§|]?)([0-9][0-9A-Z])\s?\.\s?([0-9A-Z]{1,4})\b`)

// digitLedLetters are the letters OCR reads as each digit or sign.
var digitLedLetters = map[byte]string{'1': "IL", '|': "I", '5': "S", '$': "S", '6': "G", '8': "B", '0': "DOQ", '2': "Z", '7': "T", '4': "A"}

// digitLedCode reads a digit-led code as the one code that exists with a
// letter in place of its first character and whose description the printed
// one agrees with. Without a printed description, or with two codes that
// fit, it is no code.
// inDate reports whether byte at of text is part of a date ("10.5.2026"
// is no code that lost its letter).
func inDate(text string, at int) bool {
	for _, dm := range findDates(text) {
		if at >= dm.Start && at < dm.End {
			return true
		}
	}
	return false
}

func digitLedCode(set *icd10cm.Set, text string, m []int) (string, bool) {
	first := text[m[2]:m[3]]
	if first == "§" {
		first = "$"
	}
	desc, ds, de := dxDescription(text, m[2], m[1])
	if desc == "" {
		return "", false
	}
	letters := icdLetters
	if first != "" {
		letters = digitLedLetters[first[0]]
	}
	found := ""
	for _, letter := range letters {
		code := string(letter) + text[m[4]:m[5]] + "." + text[m[6]:m[7]]
		official, ok := set.Lookup(code)
		if !ok {
			continue
		}
		printed := desc
		if de <= m[2] {
			// A description before its code may hold commas.
			if nds := extendDescription(text, ds, official); nds < ds {
				printed = text[nds:m[2]]
			}
		}
		if set.DescriptionAgrees(code, printed) >= icd10cm.AgreeThreshold {
			if found != "" {
				return "", false
			}
			found = code
		}
	}
	return found, found != ""
}

func (r *rxReader) addDiagnosis(set *icd10cm.Set, code, text string, start, end int, l textLine, seen map[string]bool) {
	code = strings.ToUpper(code)
	if seen[code] {
		return
	}
	seen[code] = true
	desc, ds, de := dxDescriptionSide(text, start, end, r.dxBefore[l.Idx])
	if r.dxItems[l.Idx] {
		if d, from := dxItemBefore(text, start); d != "" {
			desc, ds, de = d, from, start
		}
	}
	// "Muscle spasm of calf, M62.831, Plantar fascial fibromatosis, ...,
	// M72.21": words on both sides; the code's own description says which
	// are its.
	if ds >= end {
		if bd, bs, be := dxDescriptionSide(text, start, end, true); bd != "" && set.DescriptionAgrees(code, bd) > set.DescriptionAgrees(code, desc)+0.1 {
			desc, ds, de = bd, bs, be
		}
	}
	if desc != "" && de <= start {
		// A description before its code may hold commas ("lumbago with
		// sciatica, left side (M54.42)"): take in what the code's own
		// description says too.
		if official, _ := set.Lookup(code); official != "" {
			if nds := extendDescription(text, ds, official); nds < ds {
				ds = nds
				desc = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(text[ds:start]), "(-=[ "))
			}
		}
	}
	r.dxSpan[l.Idx] = append(r.dxSpan[l.Idx], [2]int{min(start, ds), max(end, de)})
	if !hasWordAfter(text[max(end, de):]) {
		// The description reaches the end of the line, or begins there
		// ("M75.42 L"): what starts the next line may be the rest of it.
		r.dxTail[l.Idx] = code
	}
	dx := Diagnosis{Code: code, Description: desc, CodeSet: set.FiscalYear(), Evidence: l.evidence(text)}
	dx.Confidence = round2(r.confOf(l, text[start:end]))
	_, dx.Billable = set.Lookup(code)
	// A code whose printed description is its own, or a shorter one that
	// only this code of its OCR neighbours covers, is confirmed by it,
	// however faint the code itself was on the page.
	if dx.Billable && desc != "" && dx.Confidence < descConfirmed && (set.DescriptionAgrees(code, desc) >= icd10cm.AgreeThreshold || set.DescriptionCovers(code, desc)) {
		dx.Confidence = descConfirmed
	}
	// So is a category printed with the description of its whole family
	// ("Low back pain (M54.5)", which several of its codes share): the
	// physician wrote the category, and asking for a billable code of it
	// is proven. A description that names one code of the family names
	// that code: a digit of it was lost, and nothing is proven.
	if !dx.Billable && set.IsHeader(code) && desc != "" && dx.Confidence < descConfirmed {
		agree := 0
		for _, kid := range set.Children(code) {
			if set.DescriptionAgrees(kid.Code, desc) >= icd10cm.AgreeThreshold {
				agree++
			}
		}
		if agree >= 2 {
			dx.Confidence = descConfirmed
		}
	}
	dx.Header = !dx.Billable && set.IsHeader(code)
	// OCR may misread a code; text from an email or a PDF's text layer is
	// as written, and a code read with high confidence stands (a header
	// such as R51 or M54.5 is then the physician's, to be corrected).
	ocr := l.Page != nil && !l.Page.TextLayer
	if desc != "" && ocr && dx.Confidence < 0.9 {
		if likely, _, ok := set.Misread(code, desc); ok && likely.Code != code {
			dx.Likely = likely.Code
			r.rx.Ambiguities = append(r.rx.Ambiguities, Ambiguity{Kind: "diagnosis-misread", Field: "diagnoses",
				Message:  "code " + code + " was read, but its description names " + likely.Code + " (" + likely.Description + ")",
				Evidence: dx.Evidence})
		}
	}
	r.rx.Diagnoses = append(r.rx.Diagnoses, dx)
}

// extendDescription moves the start ds of a description back over the
// comma-separated pieces before it whose words all belong to the official
// description of the code.
func extendDescription(text string, ds int, official string) int {
	words := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(official), func(r rune) bool { return !unicode.IsLetter(r) }) {
		words[w] = true
	}
	for {
		head := strings.TrimRight(text[:ds], " ")
		if !strings.HasSuffix(head, ",") {
			return ds
		}
		head = head[:len(head)-1]
		from := strings.LastIndexAny(head, ",:;()") + 1
		if loc := reICD.FindAllStringIndex(head, -1); len(loc) > 0 && loc[len(loc)-1][1] > from {
			from = loc[len(loc)-1][1]
		}
		if loc := reDescLead.FindAllStringIndex(head, -1); len(loc) > 0 && loc[len(loc)-1][1] > from && !words[strings.ToLower(strings.TrimSpace(head[loc[len(loc)-1][0]:loc[len(loc)-1][1]]))] {
			from = loc[len(loc)-1][1]
		}
		seg := strings.FieldsFunc(strings.ToLower(head[from:]), func(r rune) bool { return !unicode.IsLetter(r) })
		if len(seg) == 0 {
			return ds
		}
		for _, w := range seg {
			if !words[w] {
				return ds
			}
		}
		ds = from
		for ds < len(text) && text[ds] == ' ' {
			ds++
		}
	}
}

var reDescTrim = regexp.MustCompile(`^[\s:;.,)\-–—=]+|[\s:;,(\-–—=]+$`)

// dxDescription is the text printed with a code: after it ("M54.50 Low back
// pain"), or before it ("Low back pain (M54.50)"). It returns the
// description and where it stands in text.
func dxDescription(text string, start, end int) (string, int, int) {
	return dxDescriptionSide(text, start, end, false)
}

// dxDescriptionSide is dxDescription; with before set, the description
// before the code is taken even when words follow it.
func dxDescriptionSide(text string, start, end int, before bool) (string, int, int) {
	// A separator right after the code introduces its description:
	// "M54.41; Lumbago with sciatica", "M54.2: Cervicalgia".
	if rest := strings.TrimPrefix(text[end:], " "); len(rest) > 1 && (rest[0] == ';' || rest[0] == ':') && rest[1] == ' ' {
		end += len(text[end:]) - len(rest) + 2
	}
	after := text[end:]
	stop := len(after)
	if i := reICD.FindStringIndex(after); i != nil {
		stop = i[0]
	}
	if i := strings.IndexAny(after[:stop], ";"); i >= 0 {
		stop = i
	}
	if i := reDescStop.FindStringIndex(after[:stop]); i != nil {
		stop = i[0]
	}
	desc := reDescTrim.ReplaceAllString(strings.TrimSpace(after[:stop]), "")
	desc = strings.TrimSuffix(desc, ")")
	// "(M54.42)" closes on its code: the description is before it. A
	// bracket after a code that none opened is a speck ("M62.83) - CALF
	// SPASM").
	closed := strings.HasPrefix(strings.TrimSpace(text[end:]), ")") && strings.HasSuffix(strings.TrimSpace(text[:start]), "(")
	if len(desc) >= 4 && !closed && !before {
		return desc, end, end + stop
	}
	return dxDescriptionBefore(text, start, end, closed)
}

// dxItemBefore is the description before the code at text[start:] in a
// list whose items a semicolon parts: back to the semicolon, the label's
// colon or the code before it, commas and all.
func dxItemBefore(text string, start int) (string, int) {
	before := text[:start]
	from := 0
	if i := strings.LastIndexAny(before, ":;"); i >= 0 {
		from = i + 1
	}
	if loc := reICD.FindAllStringIndex(before, -1); len(loc) > 0 && loc[len(loc)-1][1] > from {
		from = loc[len(loc)-1][1]
	}
	if loc := reDiagnosisLead.FindStringIndex(before[from:]); loc != nil {
		from += loc[1]
	}
	desc := reDescCodeLabel.ReplaceAllString(strings.TrimSpace(before[from:]), "")
	desc = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(desc), "(-–—=[ ,"))
	if len(desc) < 4 {
		return "", 0
	}
	return desc, from
}

// reDiagnosisLead are the words that lead into a diagnosis ("diagnosed
// with").
var reDiagnosisLead = cue(`(?i)^\s*(?:{cues/diagnosis-lead})\s`)

func dxDescriptionBefore(text string, start, end int, closed bool) (string, int, int) {
	before := text[:start]
	from := 0
	lead := reDescLead
	if closed {
		// "diagnosed with Piriformis syndrome, right (G57.01), iliotibial
		// band syndrome, right leg (M76.31)": a description in brackets'
		// lists runs back to the bracket before it, commas and all.
		if i := strings.LastIndexAny(before[:strings.LastIndex(before, "(")], ":;)"); i >= 0 {
			from = i + 1
		}
		lead = reDescLeadList
	} else if i := strings.LastIndexAny(strings.TrimRight(before, " ,-–"), ":;,"); i >= 0 {
		// "Muscle spasm of calf, M62.831": the comma before the code
		// closes its description, the one before that opens it.
		from = i + 1
	}
	if loc := reICD.FindAllStringIndex(before, -1); len(loc) > 0 && loc[len(loc)-1][1] > from {
		from = loc[len(loc)-1][1]
	}
	// The first word that leads into the description ("The diagnoses are
	// Muscle spasm of calf, M62.831"): an "of" inside it is its own.
	if loc := lead.FindStringIndex(before[from:]); loc != nil {
		from += loc[1]
	}
	// "Lymphedema [ICD-10-CM 189.0]": the code's label is not its description.
	desc := reDescCodeLabel.ReplaceAllString(strings.TrimSpace(before[from:]), "")
	desc = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(desc), "(-=[ ,"))
	desc = strings.TrimLeft(desc, "0123456789.),;: -")
	if len(desc) >= 4 {
		return desc, from, start
	}
	return "", start, end
}

var (
	reDescStop     = regexp.MustCompile(`(?i)\s(?:and|with)\s+[A-TV-Z]\d|\.\s+[A-Z]`)
	reDescLeadList = cue(`(?i)(?:{cues/diagnosis-lead}|\band)\s`)
	reDescLead     = cue(`(?i)(?:{cues/diagnosis-lead}|\b(?:with|and|of))\s`)
	// reDescCodeLabel is the label of a code printed just before it,
	// misread or not ("[ICD-10-CM", "(1!CD-10:").
	reDescCodeLabel = cue(`(?i)[\s\[(]*[1l|!]*(?:{cues/diagnosis-word})(?:[\s-]*10)?(?:[\s-]*CM)?\s*[:#]?\s*$`)
)

// ---- order ----

// inDiagnosis reports that a label stands inside the description of a
// diagnosis code.
func (r *rxReader) inDiagnosis(l labelled) bool {
	i := strings.Index(l.Line.Text, l.Label)
	if i < 0 {
		return false
	}
	for _, sp := range r.dxSpan[l.Line.Idx] {
		if i >= sp[0] && i < sp[1] {
			return true
		}
	}
	return false
}

// orderText returns the text of a labelled field: the value beside each
// label, or the lines under a label whose value is printed below it
// ("Rx:" then the order). labelled reports that the document has the label
// at all; blank that every such label was left empty.
func (r *rxReader) orderText(fields ...string) (lines []textLine, labelled, blank bool) {
	blank = true
	for _, field := range fields {
		for _, l := range r.field(field) {
			if r.inDiagnosis(l) {
				continue // "... of lumbar region; M54.2 Neck pain" is no label
			}
			labelled = true
			if !blankValue(l.Value) {
				blank = false
				// Mask the whole line, then take the value: the spans of
				// diagnoses are offsets in the line.
				v := l.Value
				if off := strings.Index(l.Line.Text, v); off >= 0 {
					v = r.masked(l.Line).Text[off : off+len(v)]
				}
				lines = append(lines, textLine{Text: v, Conf: l.Line.Conf, Page: l.Line.Page, Idx: l.Line.Idx, Box: l.Line.Box})
				continue
			}
			for _, f := range r.following(l, 3) {
				if !blankValue(f.Text) {
					blank = false
					lines = append(lines, r.masked(f))
				}
			}
		}
	}
	return lines, labelled, labelled && blank
}

func (r *rxReader) procedures() {
	lines, _, blank := r.orderText("treatment")
	if r.readProcedures(lines) && !slices.ContainsFunc(r.rx.Procedures, func(p Procedure) bool { return !bareMassage(p) || r.colonLabelled(p.Evidence.Text) }) {
		// Only the bare word "massage", under a label without a colon (a
		// heading: "ORDERS - THERAPY SERVICES (MASSAGE)"): a modality the
		// order names elsewhere is what is ordered, as beside it below.
		// Under a label with its colon ("Service requested: Massage")
		// the word is the answer.
		r.readProcedures(r.orderLines())
	} else if len(r.rx.Procedures) == 0 {
		// Nothing under the labels ("Order #: 40188181" is not the order):
		// look at the whole order.
		if order := r.orderLines(); !r.readProcedures(order) {
			r.wrappedProcedure(order)
		}
		// The form's place for the modality is empty: a modality read
		// elsewhere (a title, a heading, a note) may not be the order, and
		// a person decides.
		if blank && len(r.rx.Procedures) > 0 {
			p := r.rx.Procedures[0]
			r.rx.Ambiguities = append(r.rx.Ambiguities, Ambiguity{Kind: "order-ambiguous", Field: "procedures",
				Message:  fmt.Sprintf("the form's place for the modality is empty, and %q was read elsewhere on the order; a person should check that it is the order", p.Text),
				Evidence: p.Evidence})
		}
	}
	// The bare word "massage" is an order for 97124 only when nothing
	// more specific is ordered: beside a named modality it is the name of
	// a clinic or a general word, not a second order.
	if slices.ContainsFunc(r.rx.Procedures, func(p Procedure) bool { return p.CPT != "97124" }) {
		r.rx.Procedures = slices.DeleteFunc(r.rx.Procedures, bareMassage)
	}
}

// colonLabelled reports text that stands under a treatment label with its
// colon.
func (r *rxReader) colonLabelled(text string) bool {
	for _, lab := range r.labs {
		if lab.Field == "treatment" && strings.Contains(lab.Line.Text, text) && strings.ContainsAny(lab.Label[len(lab.Label)-1:], ":;#.") {
			return true
		}
	}
	return false
}

// bareMassage reports a 97124 read from the word "massage" alone, neither
// its code nor a named kind of massage.
func bareMassage(p Procedure) bool {
	t := strings.ToLower(p.Text)
	return p.CPT == "97124" && !strings.Contains(t, "97124") && !strings.Contains(t, "swedish")
}

// wrappedProcedure reads a modality whose words wrap over two lines of a
// letter ("... with myofascial |" / "release therapy to the L hip").
func (r *rxReader) wrappedProcedure(lines []textLine) {
	for i := 0; i+1 < len(lines); i++ {
		a, b := lines[i], lines[i+1]
		if b.Idx != a.Idx+1 || b.Page != a.Page {
			continue
		}
		head := strings.TrimRight(a.Text, " |_-—")
		joined := head + " " + b.Text
		for _, m := range procedureMentions(joined) {
			if m.start < len(head) && m.end > len(head)+1 {
				text := joined[m.start:m.end]
				r.rx.Procedures = append(r.rx.Procedures, Procedure{CPT: m.cpt, Text: text, Evidence: a.evidence(joined)})
				return
			}
		}
	}
}

func (r *rxReader) readProcedures(lines []textLine) bool {
	seen := map[string]bool{}
	for _, l := range lines {
		if reFormTitle.MatchString(l.Text) && reFormTitleWord.MatchString(l.Text) {
			continue // "Referral for Medical Massage Therapy", "Massage Therapy Order Form"
		}
		// A form lists its options on a line with a box each: "[ ]
		// Myofascial release (97140) [x] Neuromuscular therapy (97140)".
		// An option in an empty box is not ordered, and neither is the code
		// printed after it; the first ordered mention of a code counts.
		state := boxNone
		lineSeen := map[string]bool{}
		for _, m := range procedureMentions(l.Text) {
			text := l.Text[m.start:m.end]
			st := r.checkState(l, m.start)
			if st == boxNone && m.cpt == text {
				st = state // "(97140)" after its option
			}
			state = st
			if st == boxEmpty || lineSeen[m.cpt] {
				continue
			}
			if reAttached.MatchString(l.Text[:m.start]) {
				continue // "Please find the attached order for massage therapy."
			}
			lineSeen[m.cpt] = true
			key := m.cpt + "|" + strings.ToLower(text)
			if seen[key] {
				continue
			}
			seen[key] = true
			r.rx.Procedures = append(r.rx.Procedures, Procedure{CPT: m.cpt, Text: text, Evidence: l.evidence(l.Text)})
		}
	}
	return len(r.rx.Procedures) > 0
}

// reAreaContinues is the end of a line whose list of areas goes on on the
// next line: a joining word, not a masked diagnosis.
var reAreaContinues = regexp.MustCompile(`(?i)(?:\b(?:to|the|and|or|of|for|her|his|their|both|bilateral|left|right|upper|lower|mid|including)|\b(?:the|both|bilateral)\s+[LR]|[,/&])(?:\s*[!|_~]+)?$`)

// reFormTitle is the title of a referral form: no label, only the words
// forms are named with.
var (
	reFormTitle     = regexp.MustCompile(`(?i)^[\W_]*(?:(?:physician'?s?|physician|referral|prescription|rx|order|form|for|medical|massage|therapy|therapeutic|bodywork|request|and|of|the)\b[\s/&|.,_-]*)+$`)
	reFormTitleWord = cue(`{cues/form-title-word}`)
	// reAttached before a procedure: the procedure names a document sent
	// along, it does not order anything.
	reAttached = regexp.MustCompile(`(?i)\battached\b[^.;:]*$`)
)

var reOrderWords = regexp.MustCompile(`(?i)\b(treat|therapy|release|massage|areas?|to the|focus|region|mobili[sz]ation|97\d{3})`)

func (r *rxReader) areas() {
	lines, _, blank := r.orderText("areas")
	found := r.readAreas(lines)
	if !found && !blank {
		// The lines of the order: those that name a treatment, and the line
		// each continues on ("... for soft tissue mobilization to" / "the
		// quadriceps.").
		var order []textLine
		all := r.orderLines()
		for i, l := range all {
			if !reOrderWords.MatchString(l.Text) && len(Procedures(l.Text)) == 0 {
				continue
			}
			if i+1 < len(all) && all[i+1].Idx == l.Idx+1 && !r.startsWithLabel(r.lines[l.Idx+1]) {
				next := all[i+1]
				switch {
				// The order goes on on the next line after a word that
				// wants more, or when it names no region ("MANUAL
				// THERAPY" / "TECHNIQUES: L HIP").
				case reAreaContinues.MatchString(l.Text), len(AreaMentions(l.Text)) == 0 && len(r.dxSpan[l.Idx]) == 0:
					l.Text += " " + next.Text
					l.Conf = min(l.Conf, next.Conf)
				}
			}
			order = append(order, l)
		}
		r.readAreas(order)
	}
}

func (r *rxReader) readAreas(lines []textLine) bool {
	set := map[string]bool{}
	var ev []string
	conf := 1.0
	for _, l := range lines {
		got := Areas(l.Text)
		if len(got) == 0 {
			continue
		}
		for _, a := range got {
			set[a] = true
		}
		// A line read twice, alone and joined to the line before, is
		// evidence once.
		t := strings.TrimSpace(l.Text)
		if i := slices.IndexFunc(ev, func(e string) bool { return strings.Contains(e, t) || strings.Contains(t, e) }); i >= 0 {
			if len(t) > len(ev[i]) {
				ev[i] = t
			}
		} else {
			ev = append(ev, t)
		}
		conf = min(conf, l.Conf)
	}
	if len(set) == 0 {
		return false
	}
	for _, a := range AreaNames() {
		if set[a] {
			r.rx.Areas = append(r.rx.Areas, a)
		}
	}
	r.rx.Evidence["areas"] = Evidence{Text: strings.Join(ev, " / "), Confidence: round2(conf)}
	return true
}

func (r *rxReader) session() {
	lines, _, blank := r.orderText("session")
	if dur, _, _ := r.orderText("duration"); len(dur) > 0 {
		lines = append(lines, dur...) // "Duration: 60 minutes"
	}
	if r.readSession(lines) {
		return
	}
	if blank {
		// "Length of session:" left empty, but the plan may carry it: "8
		// 1-hour visits over 4 weeks".
		plan, _, _ := r.orderText("frequency")
		r.readSession(plan)
		return
	}
	r.readSession(r.orderLines())
}

func (r *rxReader) readSession(lines []textLine) bool {
	for _, l := range lines {
		s, ok := ParseSession(l.Text)
		if !ok {
			continue
		}
		if s.Ambiguous {
			r.rx.Ambiguities = append(r.rx.Ambiguities, Ambiguity{Kind: "order-ambiguous", Field: "session",
				Message: "\"" + s.Text + "\" may mean units per visit or a number of visits", Evidence: l.evidence(l.Text)})
			return true
		}
		s.Evidence = l.evidence(l.Text)
		s.Confidence = round2(r.confOf(l, s.Text))
		r.rx.Session = &s
		return true
	}
	// A length may wrap: "with sessions of 45" / "minutes.".
	for i := 0; i+1 < len(lines); i++ {
		if lines[i+1].Idx != lines[i].Idx+1 {
			continue
		}
		joined := lines[i].Text + " " + lines[i+1].Text
		s, ok := ParseSession(joined)
		if !ok || s.Ambiguous || strings.Contains(lines[i].Text, s.Text) || strings.Contains(lines[i+1].Text, s.Text) {
			continue
		}
		s.Evidence = lines[i].evidence(joined)
		s.Confidence = round2(min(lines[i].Conf, lines[i+1].Conf))
		r.rx.Session = &s
		return true
	}
	return false
}

func (r *rxReader) frequency() {
	lines, _, blank := r.orderText("frequency")
	dur, _, _ := r.orderText("duration")
	// "Frequency: 2x/week" and "Duration: 6 weeks" are one plan.
	if len(lines) > 0 && len(dur) > 0 {
		joined := textLine{Text: lines[0].Text + " for " + dur[0].Text, Conf: min(lines[0].Conf, dur[0].Conf), Page: lines[0].Page, Idx: lines[0].Idx}
		lines = append([]textLine{joined}, lines...)
	}
	if r.readFrequency(lines) || r.spreadFrequency(lines) || blank {
		return
	}
	order := r.orderLines()
	_ = r.readFrequency(order) || r.spreadFrequency(order)
}

// reviewBefore reports words of review ("re-evaluate in 4 weeks") before
// the first span of s: that span is when the plan is reviewed.
func reviewBefore(s string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) }) {
		if freqReviewWords[w] || freqReviewWords[strings.TrimPrefix(w, "re")] {
			return true
		}
		if spanUnit(w) {
			return false
		}
	}
	return false
}

// spreadFrequency reads a plan whose rate and whose end stand on
// neighbouring lines, each maybe under a label of its own ("Schedule:
// three sessions per week" / "For: a total of six weeks"): a rate without
// an end, joined with the next line's value.
func (r *rxReader) spreadFrequency(lines []textLine) bool {
	for _, l := range lines {
		f, _ := ParseFrequency(l.Text)
		if f.Reason != FrequencyOpenEnded && f.Reason != FrequencyNoDuration {
			continue // not a rate waiting for its end
		}
		// The end later in the sentence: "two visits a week; continue
		// for 4 weeks".
		if at := strings.Index(l.Text, f.Text); at >= 0 && !reviewBefore(l.Text[at+len(f.Text):]) {
			if span := weeksSpan(l.Text[at+len(f.Text):]); span != "" {
				if g, ok := ParseFrequency(f.Text + " for " + span); ok {
					g.Evidence = l.evidence(l.Text)
					g.Confidence = round2(r.confOf(l, f.Text))
					r.rx.Frequency = &g
					return true
				}
			}
		}
		if l.Idx < 0 || l.Idx+1 >= len(r.lines) {
			continue
		}
		next := r.lines[l.Idx+1]
		v := next.Text
		for _, lab := range r.labs {
			if lab.Line.Idx == next.Idx && strings.HasPrefix(next.Text, lab.Label) {
				v = lab.Value
			}
		}
		if i := strings.Index(v, ":"); i >= 0 && i < 24 {
			v = v[i+1:]
		}
		ends := []string{strings.TrimSpace(v)}
		if span := weeksSpan(v); span != "" {
			ends = append(ends, span) // "For: a total of six weeks"
		}
		for _, end := range ends {
			joined := textLine{Text: l.Text + " for " + end, Conf: min(l.Conf, next.Conf), Page: l.Page, Idx: l.Idx, Box: l.Box}
			if f, ok := ParseFrequency(joined.Text); ok {
				f.Evidence = l.evidence(l.Text + " " + next.Text)
				f.Confidence = round2(joined.Conf)
				r.rx.Frequency = &f
				return true
			}
		}
	}
	return false
}

func (r *rxReader) readFrequency(lines []textLine) bool {
	for _, l := range lines {
		if f, ok := r.wrappedFrequency(l); ok {
			r.rx.Frequency = &f
			return true
		}
	}
	return false
}

// wrappedFrequency reads the plan that starts on line l and may go on over
// the next two lines of the page ("Freq: 3X WEEKLY FOR 2 WKS; 2 TIMES PER
// WEEK FOR 2" / "WKS; FOLLOWED BY ONCE A WEEK FOR 2 WEEKS"). A joined
// reading counts only when it starts on l and covers more than l alone.
func (r *rxReader) wrappedFrequency(l textLine) (Frequency, bool) {
	// The evidence is the printed line, label and all.
	printed := l.Text
	if l.Idx >= 0 && l.Idx < len(r.lines) && strings.Contains(r.lines[l.Idx].Text, l.Text) {
		printed = r.lines[l.Idx].Text
	}
	best, ok := ParseFrequency(l.Text)
	if ok {
		best.Evidence = l.evidence(printed)
		best.Confidence = round2(r.confOf(l, best.Text))
	}
	// A mark at the end of a line is no part of the plan it wraps
	// ("twicea _" / "week for 3 weeks").
	head := strings.TrimRight(l.Text, " _|-—")
	joined, conf := head, l.Conf
	evidence := printed
	for k := l.Idx + 1; k <= l.Idx+2 && l.Idx >= 0 && k < len(r.lines); k++ {
		next := r.masked(r.lines[k])
		if next.Page != l.Page || r.startsWithLabel(r.lines[k]) {
			break
		}
		joined += " " + next.Text
		evidence += " " + next.Text
		conf = min(conf, next.Conf)
		g, gok := ParseFrequency(joined)
		if !gok || len(g.Text) <= len(best.Text) {
			continue
		}
		// The plan must begin on l, not only on the lines that follow.
		if at := strings.Index(joined, g.Text); at < 0 || at >= len(head) {
			continue
		}
		g.Evidence = l.evidence(evidence)
		g.Confidence = round2(conf)
		best, ok = g, true
	}
	return best, ok
}

var (
	reNecessary      = cue(`{cues/necessary}`)
	reNotNecessary   = regexp.MustCompile(`(?i)\bnot\s+(?:deemed\s+)?med(?:ically|\.)?\s+necessary|\[\s*\]\s*med|necessity\s*:\s*no\b|necessary\s*:\s*no\b`)
	reNecessaryWraps = regexp.MustCompile(`(?i)\b(?:med(?:ically|[.,])?|medical)[\s.,;:|_-]*$`)
	reYesNo          = regexp.MustCompile(`(?i)\b(yes|no)\b`)
)

func (r *rxReader) necessity() {
	for i, l := range r.lines {
		if !reNecessary.MatchString(l.Text) && reNecessaryWraps.MatchString(l.Text) && i+1 < len(r.lines) && r.lines[i+1].Page == l.Page {
			// "... This therapy is medically" / "necessary for her recovery."
			joined := strings.TrimRight(l.Text, " .,;:|_-") + " " + r.lines[i+1].Text
			if reNecessary.MatchString(joined) && !reNotNecessary.MatchString(joined) {
				r.rx.MedicallyNecessary = true
				r.rx.Evidence["medically_necessary"] = l.evidence(joined)
				return
			}
		}
		if !reNecessary.MatchString(l.Text) || reNotNecessary.MatchString(l.Text) {
			continue
		}
		// "Medically necessary: [x] Yes [ ] No": the checked answer counts.
		if yn := reYesNo.FindAllStringIndex(l.Text, -1); len(yn) >= 2 {
			yes, no := boxNone, boxNone
			for _, m := range yn {
				st := r.checkState(l, m[0])
				if strings.EqualFold(l.Text[m[0]:m[1]], "yes") {
					yes = max(yes, st)
				} else {
					no = max(no, st)
				}
			}
			// The checked answer counts; a "Yes" whose box could not be
			// seen counts when the box of "No" is seen empty.
			if no == boxChecked || (yes != boxChecked && !(yes == boxNone && no == boxEmpty)) {
				continue
			}
		}
		r.rx.MedicallyNecessary = true
		r.rx.Evidence["medically_necessary"] = l.evidence(l.Text)
		return
	}
}
