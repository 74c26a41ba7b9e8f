package extract

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"rxintake/icd10cm"
)

// Confidence below which a deciding element is not trusted: the document
// goes to a person instead of to the physician's office.
const lowConfidence = 0.60

// ReadPrescription reads the elements of a prescription from a document's
// text. asOf is the date the code set and validity window are taken at
// (the receipt date).
func ReadPrescription(d *Document, asOf time.Time) *Prescription {
	r := &rxReader{lines: docLines(d), asOf: asOf, rx: &Prescription{Evidence: EvidenceMap{}}}
	r.labs = labels(r.lines)
	r.diagnoses()
	r.patient()
	r.prescriber()
	r.date()
	r.procedures()
	r.areas()
	r.session()
	r.frequency()
	r.necessity()
	r.signature(d)
	if len(r.rx.Evidence) == 0 {
		r.rx.Evidence = nil
	}
	return r.rx
}

type rxReader struct {
	lines  []textLine
	labs   []labelled
	asOf   time.Time
	rx     *Prescription
	dxLine map[int]bool // lines that carry diagnosis codes
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

func (r *rxReader) startsWithLabel(l textLine) bool {
	for _, lab := range r.labs {
		if lab.Line.Idx == l.Idx && strings.HasPrefix(l.Text, lab.Label[:min(len(lab.Label), 3)]) {
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
		if skip[l.Field] && l.Line.Text[:min(len(l.Line.Text), len(l.Label))] == l.Label {
			skipLine[l.Line.Idx] = true
		}
	}
	var out []textLine
	for _, l := range r.lines {
		if !skipLine[l.Idx] && !r.dxLine[l.Idx] && !reAddressLine.MatchString(l.Text) {
			out = append(out, l)
		}
	}
	return out
}

var reAddressLine = regexp.MustCompile(`(?i)^(?:to|from|cc|attn)\s*:|\b(?:phone|tel|fax|ph)\b\.?\s*:?\s*\(?\d{3}|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\s*$|^\d+\s+\w+.*\b(?:street|st|avenue|ave|road|rd|blvd|boulevard|drive|dr|lane|ln|way|suite|ste|parkway|pkwy|court|ct)\b`)

// ---- patient ----

var (
	reProsePatient = regexp.MustCompile(`(?i)\b(?:my|our|the|this)\s+(?:mutual\s+)?patient,?\s+(?:(?:mr|mrs|ms|miss)\.?\s+)?([A-Z][A-Za-z'’-]+(?:\s+[A-Z]\.?)?(?:\s+[A-Z][A-Za-z'’-]+){1,2})`)
	reRePatient    = regexp.MustCompile(`(?i)^(?:re|regarding|patient|pt)\s*[:.-]\s*(?:(?:mr|mrs|ms|miss)\.?\s+)?([A-Za-z'’-]+(?:,?\s+[A-Za-z'’.-]+){1,3})`)
	reDOBInline    = regexp.MustCompile(`(?i)\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born(?:\s+on)?)\s*[:#-]?\s*`)
)

func (r *rxReader) patient() {
	var p *Patient
	for _, l := range r.field("patient") {
		v := l.Value
		if blankValue(v) {
			continue
		}
		if name, _, ok := personName(cutAtDOB(v)); ok {
			p = &Patient{Name: name, Evidence: l.Line.evidence(l.Line.Text)}
			break
		}
	}
	if p == nil {
		for _, l := range r.lines {
			if m := reProsePatient.FindStringSubmatch(l.Text); m != nil {
				if name, _, ok := personName(m[1]); ok {
					p = &Patient{Name: name, Evidence: l.evidence(l.Text)}
					break
				}
			}
		}
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
				if ds := findDates(l.Text[loc[1]:]); len(ds) > 0 && ds[0].Start < 3 {
					dob, dobEv = isoDate(ds[0].Date), l
					break
				}
			}
		}
	}
	if p == nil {
		return
	}
	p.DOB = dob
	if dob != "" && dobEv.Conf < p.Confidence {
		p.Confidence = round2(dobEv.Conf)
	}
	r.rx.Patient = p
}

func cutAtDOB(s string) string {
	if loc := reDOBInline.FindStringIndex(s); loc != nil {
		s = s[:loc[0]]
	}
	if i := strings.IndexAny(s, "(0123456789"); i > 0 {
		s = s[:i]
	}
	return s
}

// ---- prescriber ----

var (
	reESigned  = regexp.MustCompile(`(?i)\b(?:electronically|digitally|e-?)\s*signed(?:\s+and\s+authenticated)?\s*(?:by)?\s*:?\s*(?:dr\.?\s+)?([A-Z][A-Za-z'’.-]+(?:\s+[A-Z][A-Za-z'’.-]*){1,3}(?:,?\s*(?:M\.?D|D\.?O|NP|FNP(?:-C)?|APRN|ARNP|PA(?:-C)?|DPM|DC)\.?)*)`)
	reSlashS   = regexp.MustCompile(`(?i)^/s/\s*([A-Z][A-Za-z'’.-]+(?:\s+[A-Z][A-Za-z'’.-]*){1,3}(?:,?\s*(?:MD|DO|NP|PA-C|PA)\.?)*)`)
	reNameCred = regexp.MustCompile(`^(?:Dr\.?\s+)?([A-Z][A-Za-z'’-]+(?:\s+[A-Z]\.?)?(?:\s+[A-Z][A-Za-z'’-]+){1,2}),?\s+(M\.?\s?D\.?|D\.?\s?O\.?|N\.?P\.?|F\.?N\.?P(?:-C)?|A\.?P\.?R\.?N\.?|A\.?R\.?N\.?P\.?|P\.?A\.?(?:-C)?|D\.?P\.?M\.?|D\.?C\.?)(?:,?\s*[A-Z]{2,6})*\s*$`)
	reDrName   = regexp.MustCompile(`\bDr\.?\s+([A-Z][A-Za-z'’-]+(?:\s+[A-Z]\.?)?(?:\s+[A-Z][A-Za-z'’-]+){0,2})`)
	reNPI      = regexp.MustCompile(`(?i)\bNPI\s*(?:#|no\.?|number)?\s*[:#]?\s*([0-9OolISB][0-9OolISB \-]{8,14}[0-9OolISB])`)
)

func (r *rxReader) prescriber() {
	pr := &Prescriber{}
	set := func(s string, l textLine) bool {
		name, creds, ok := personName(s)
		if !ok {
			return false
		}
		pr.Name, pr.Credentials, pr.Evidence = name, creds, l.evidence(l.Text)
		return true
	}
	found := false
	for _, l := range r.field("prescriber") {
		if !blankValue(l.Value) && set(cutAtNPI(l.Value), l.Line) {
			found = true
			break
		}
	}
	if !found {
		for _, l := range r.lines {
			if m := reESigned.FindStringSubmatch(l.Text); m != nil && set(m[1], l) {
				found = true
				break
			}
		}
	}
	if !found {
		// The typed name of a signature block: "Anil Patel, MD". The last
		// one on the order, since letterheads list a practice's doctors.
		for i := len(r.lines) - 1; i >= 0 && !found; i-- {
			l := r.lines[i]
			if m := reNameCred.FindStringSubmatch(l.Text); m != nil {
				found = set(l.Text, l)
			}
		}
	}
	if !found {
		for i := len(r.lines) - 1; i >= 0 && !found; i-- {
			l := r.lines[i]
			if m := reDrName.FindStringSubmatch(l.Text); m != nil {
				found = set(m[1], l)
			}
		}
	}
	// NPI: labelled, or "NPI 1234567893" anywhere.
	for _, l := range r.lines {
		if m := reNPI.FindStringSubmatch(l.Text); m != nil {
			if npi := npiDigits(m[1]); npi != "" {
				pr.NPI = npi
				if !found {
					pr.Evidence = l.evidence(l.Text)
				} else if l.Conf < pr.Confidence {
					pr.Confidence = round2(l.Conf)
				}
				break
			}
		}
	}
	if pr.Name != "" || pr.NPI != "" {
		r.rx.Prescriber = pr
	}
}

func cutAtNPI(s string) string {
	if i := strings.Index(strings.ToUpper(s), "NPI"); i > 0 {
		return s[:i]
	}
	return s
}

// npiDigits reads ten digits, mending the letters OCR confuses with digits.
func npiDigits(s string) string {
	var d []byte
	for _, c := range s {
		switch c {
		case 'O', 'o':
			c = '0'
		case 'l', 'I':
			c = '1'
		case 'S':
			c = '5'
		case 'B':
			c = '8'
		}
		if c >= '0' && c <= '9' {
			d = append(d, byte(c))
		}
	}
	if len(d) != 10 {
		return ""
	}
	return string(d)
}

// ---- date ----

func (r *rxReader) date() {
	dob := ""
	if r.rx.Patient != nil {
		dob = r.rx.Patient.DOB
	}
	pick := func(text string, l textLine) bool {
		for _, dm := range findDates(text) {
			iso := isoDate(dm.Date)
			if iso == dob || dm.Date.After(r.asOf.AddDate(0, 0, 7)) {
				continue
			}
			r.rx.Date = iso
			r.rx.Evidence["date"] = l.evidence(l.Text)
			return true
		}
		return false
	}
	for _, l := range r.field("date") {
		if pick(l.Value, l.Line) {
			return
		}
	}
	// "Electronically signed by ... on 11/20/2026", or the date line of a
	// letter.
	for _, l := range r.lines {
		if reESigned.MatchString(l.Text) && pick(l.Text, l) {
			return
		}
	}
	for _, l := range r.lines {
		t := strings.TrimSpace(l.Text)
		if ds := findDates(t); len(ds) == 1 && ds[0].Start == 0 && len(t)-ds[0].End < 3 && pick(t, l) {
			return
		}
	}
}

// ---- diagnoses ----

var (
	reICD      = regexp.MustCompile(`\b([A-TV-Z][0-9][0-9A-Z])\s?\.\s?([0-9A-Z]{1,4})\b|\b([A-TV-Z][0-9][0-9A-Z])\b`)
	reICDNoDot = regexp.MustCompile(`\b([A-TV-Z][0-9][0-9A-Z][0-9A-Z]{1,4})\b`)
	reDxWord   = regexp.MustCompile(`(?i)\b(?:dx|diagnos[ie]s|icd|code)\b`)
)

func (r *rxReader) diagnoses() {
	r.dxLine = map[int]bool{}
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
		context := dxLabelled[l.Idx] || reDxWord.MatchString(text)
		for _, m := range reICD.FindAllStringSubmatchIndex(text, -1) {
			var code string
			switch {
			case m[2] >= 0:
				code = text[m[2]:m[3]] + "." + text[m[4]:m[5]]
			default:
				// A bare three-character category ("R51") counts only on a
				// diagnosis line, and only if the code set knows it.
				c := text[m[6]:m[7]]
				if !context || !set.Exists(c) {
					continue
				}
				code = c
			}
			r.addDiagnosis(set, code, text, m[0], m[1], l, seen)
		}
		if context {
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
}

func (r *rxReader) addDiagnosis(set *icd10cm.Set, code, text string, start, end int, l textLine, seen map[string]bool) {
	code = strings.ToUpper(code)
	if seen[code] {
		return
	}
	seen[code] = true
	r.dxLine[l.Idx] = true
	desc := dxDescription(text, start, end)
	dx := Diagnosis{Code: code, Description: desc, CodeSet: set.FiscalYear(), Evidence: l.evidence(text)}
	_, dx.Billable = set.Lookup(code)
	dx.Header = !dx.Billable && set.IsHeader(code)
	if desc != "" {
		if likely, _, ok := set.Misread(code, desc); ok && likely.Code != code {
			dx.Likely = likely.Code
			r.rx.Ambiguities = append(r.rx.Ambiguities, Ambiguity{Kind: "diagnosis-misread", Field: "diagnoses",
				Message:  "code " + code + " was read, but its description names " + likely.Code + " (" + likely.Description + ")",
				Evidence: dx.Evidence})
		}
	}
	r.rx.Diagnoses = append(r.rx.Diagnoses, dx)
}

var reDescTrim = regexp.MustCompile(`^[\s:;.,)\-–—=]+|[\s:;,(\-–—=]+$`)

// dxDescription is the text printed with a code: after it ("M54.50 Low back
// pain"), or before it ("Low back pain (M54.50)").
func dxDescription(text string, start, end int) string {
	after := text[end:]
	if i := reICD.FindStringIndex(after); i != nil {
		after = after[:i[0]]
	}
	after = reDescTrim.ReplaceAllString(strings.TrimSpace(after), "")
	after = strings.TrimSuffix(after, ")")
	if len(after) >= 4 {
		return after
	}
	before := text[:start]
	if i := strings.LastIndexAny(before, ":;,"); i >= 0 {
		before = before[i+1:]
	}
	before = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(before), "(-–—"))
	before = strings.TrimLeft(before, "0123456789.) ")
	if len(before) >= 4 {
		return before
	}
	return ""
}

// ---- order ----

func (r *rxReader) orderText(field string) ([]textLine, bool) {
	var ls []textLine
	for _, l := range r.field(field) {
		if blankValue(l.Value) {
			// An empty form field: the element is missing, whatever the
			// rest of the page says.
			return nil, true
		}
		ls = append(ls, textLine{Text: l.Value, Conf: l.Line.Conf, Page: l.Line.Page, Idx: l.Line.Idx})
		ls = append(ls, r.following(l, 2)...)
	}
	return ls, len(r.field(field)) > 0
}

func (r *rxReader) procedures() {
	lines, labelled := r.orderText("treatment")
	if !labelled {
		lines = r.orderLines()
	}
	seen := map[string]bool{}
	for _, l := range lines {
		for _, p := range Procedures(l.Text) {
			if seen[p.CPT+"|"+strings.ToLower(p.Text)] {
				continue
			}
			seen[p.CPT+"|"+strings.ToLower(p.Text)] = true
			p.Evidence = l.evidence(l.Text)
			r.rx.Procedures = append(r.rx.Procedures, p)
		}
	}
}

var reOrderWords = regexp.MustCompile(`(?i)\b(treat|therapy|release|massage|areas?|to the|focus|region|mobili[sz]ation|97\d{3})`)

func (r *rxReader) areas() {
	lines, labelled := r.orderText("areas")
	if !labelled {
		for _, l := range r.orderLines() {
			if reOrderWords.MatchString(l.Text) {
				lines = append(lines, l)
			}
		}
	}
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
		ev = append(ev, l.Text)
		conf = min(conf, l.Conf)
	}
	if len(set) == 0 {
		return
	}
	for _, a := range canonicalAreas {
		if set[a] {
			r.rx.Areas = append(r.rx.Areas, a)
		}
	}
	r.rx.Evidence["areas"] = Evidence{Text: strings.Join(ev, " / "), Confidence: round2(conf)}
}

func (r *rxReader) session() {
	lines, labelled := r.orderText("session")
	if !labelled {
		lines = r.orderLines()
	}
	for _, l := range lines {
		if s, ok := ParseSession(l.Text); ok {
			if s.Ambiguous {
				r.rx.Ambiguities = append(r.rx.Ambiguities, Ambiguity{Kind: "order-ambiguous", Field: "session",
					Message: "\"" + s.Text + "\" may mean units or visits", Evidence: l.evidence(l.Text)})
				continue
			}
			s.Evidence = l.evidence(l.Text)
			r.rx.Session = &s
			return
		}
	}
}

func (r *rxReader) frequency() {
	lines, labelled := r.orderText("frequency")
	if !labelled {
		lines = r.orderLines()
	}
	// A plan may wrap over two lines: try each line, then each pair.
	for _, l := range lines {
		if f, ok := ParseFrequency(l.Text); ok {
			f.Evidence = l.evidence(l.Text)
			r.rx.Frequency = &f
			return
		}
	}
	for i := 0; i+1 < len(lines); i++ {
		joined := lines[i].Text + " " + lines[i+1].Text
		if f, ok := ParseFrequency(joined); ok {
			f.Evidence = lines[i].evidence(joined)
			f.Confidence = round2(min(lines[i].Conf, lines[i+1].Conf))
			r.rx.Frequency = &f
			return
		}
	}
}

var (
	reNecessary    = regexp.MustCompile(`(?i)\bmedically\s+necessary\b|\bmedical\s+necessity\b`)
	reNotNecessary = regexp.MustCompile(`(?i)\bnot\s+(?:deemed\s+)?medically\s+necessary|\[\s*\]\s*medically|☐\s*medically`)
)

func (r *rxReader) necessity() {
	for _, l := range r.lines {
		if reNecessary.MatchString(l.Text) && !reNotNecessary.MatchString(l.Text) {
			r.rx.MedicallyNecessary = true
			r.rx.Evidence["medically_necessary"] = l.evidence(l.Text)
			return
		}
	}
}

// canonicalAreas is the order areas are reported in.
var canonicalAreas = []string{"head", "cervical", "thoracic", "lumbar", "sacral", "shoulder", "arm",
	"wrist-hand", "chest", "abdomen", "hip", "leg", "ankle-foot", "full-body"}

var _ = slices.Contains[[]string]
