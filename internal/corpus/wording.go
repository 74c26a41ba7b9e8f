package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// wording prints the content of one document: the choices of date format,
// name order, capitals and phrasing that stay the same across the document.
type wording struct {
	r        *rand.Rand
	c        *content
	f        *wordingFamily
	dateFmt  int
	dobFmt   int
	phoneFmt int
	upper    bool // values in capitals, as EHRs print them
	hand     role // the role of filled-in values: roleHand in the handwriting tier

	npiInHeader bool // a pad prints the NPI in its letterhead

	// Families other than house: date layouts, what parts credentials.
	fdate, fdob string
	credSep     string
}

func newWording(r *rand.Rand, c *content) *wording {
	if c.fam != nil && !c.fam.house {
		return newFamWording(r, c)
	}
	w := &wording{r: r, c: c, f: houseFamily, dateFmt: r.IntN(len(dateFormats)), dobFmt: r.IntN(len(dateFormats)), phoneFmt: r.IntN(4), hand: roleRegular}
	if c.tier == TierHandwriting {
		w.hand = roleHand
		// People write short dates by hand.
		w.dateFmt, w.dobFmt = pick(r, []int{0, 1, 2, 8}), pick(r, []int{0, 1, 8})
	}
	return w
}

var dateFormats = []string{"01/02/2006", "1/2/2006", "01/02/06", "Jan 2, 2006", "January 2, 2006", "2006-01-02", "02-Jan-2006", "01-02-2006", "1/2/06"}

func (w *wording) date(t time.Time) string {
	if w.fdate != "" {
		return formatDate(t, w.fdate)
	}
	return t.Format(dateFormats[w.dateFmt])
}

// dob prints the date of birth; two-digit years only for the last century.
func (w *wording) dob() string {
	f := dateFormats[w.dobFmt]
	if w.fdob != "" {
		f = w.fdob
		if strings.HasSuffix(f, "06") && !strings.HasSuffix(f, "2006") && w.c.patient.dob.Year() >= 2000 {
			f = "01/02/2006"
		}
	}
	if strings.HasSuffix(f, "/06") && w.c.patient.dob.Year() >= 2000 {
		f = "01/02/2006"
	}
	return formatDate(w.c.patient.dob, f)
}

// ordinalMark in a date layout stands for the ordinal suffix of the day of
// the month: "January 2{th}, 2006" prints "November 5th, 2026".
const ordinalMark = "{th}"

// monthCaps in a date layout stands for the month's abbreviation in
// capitals: "02-{JAN}-2006" prints "03-NOV-2026".
const monthCaps = "{JAN}"

// monthEs in a date layout stands for the month's Spanish abbreviation in
// lower case: "2-{ene}-2006" prints "3-nov-2026", "14-ago-1962".
const monthEs = "{ene}"

var spanishMonths = [12]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"}

// formatDate formats t by a Go layout that may hold ordinalMark, monthCaps
// or monthEs.
func formatDate(t time.Time, layout string) string {
	s := t.Format(layout)
	s = strings.ReplaceAll(s, monthCaps, strings.ToUpper(t.Format("Jan")))
	s = strings.ReplaceAll(s, monthEs, spanishMonths[t.Month()-1])
	if !strings.Contains(layout, ordinalMark) {
		return s
	}
	d := t.Day()
	suffix := "th"
	switch {
	case d%10 == 1 && d != 11:
		suffix = "st"
	case d%10 == 2 && d != 12:
		suffix = "nd"
	case d%10 == 3 && d != 13:
		suffix = "rd"
	}
	return strings.ReplaceAll(s, ordinalMark, suffix)
}

func (w *wording) rxDate() string { return w.date(w.c.rxDate) }

// phone prints a 10-digit number.
func (w *wording) phone(n string) string {
	switch w.phoneFmt {
	case 0:
		return fmt.Sprintf("(%s) %s-%s", n[:3], n[3:6], n[6:])
	case 1:
		return fmt.Sprintf("%s-%s-%s", n[:3], n[3:6], n[6:])
	case 2:
		return fmt.Sprintf("%s.%s.%s", n[:3], n[3:6], n[6:])
	}
	return fmt.Sprintf("(%s)%s-%s", n[:3], n[3:6], n[6:])
}

// patientName prints the patient in natural or "LAST, FIRST" order.
func (w *wording) patientName(lastFirst bool) string {
	p := w.c.patient
	s := p.natural()
	if lastFirst {
		s = p.last + ", " + p.first
		if p.middle != "" {
			s += " " + p.middle
		}
	}
	if w.upper {
		s = strings.ToUpper(s)
	}
	return s
}

// doctorName prints the prescriber with credentials ("Anil Patel, MD"),
// or with a title ("Dr. Anil Patel") when cred is false.
func (w *wording) doctorName(cred bool) string {
	d := w.c.doctor
	n := d.natural()
	if !cred {
		return "Dr. " + n
	}
	if d.credPrinted == "" {
		return w.cap(n)
	}
	sep := ", "
	if strings.HasSuffix(d.credPrinted, ".") || w.r.IntN(3) == 0 {
		sep = " "
	}
	s := n + sep + d.credPrinted
	if w.upper {
		s = strings.ToUpper(s)
	}
	return s
}

// shortDoctor is how staff name the prescriber in an email ("Dr. Patel").
func (w *wording) shortDoctor() string {
	if w.c.doctor.cred == "MD" || w.c.doctor.cred == "DO" {
		return "Dr. " + w.c.doctor.last
	}
	return w.c.doctor.first + " " + w.c.doctor.last
}

func (w *wording) npi() string {
	return pick(w.r, []string{"NPI: ", "NPI# ", "NPI ", "NPI #: "}) + w.c.doctor.npi
}

// cap applies the document's capitals to a phrase; sometimes the first
// letter is raised.
func (w *wording) cap(s string) string {
	if w.upper {
		return strings.ToUpper(s)
	}
	return s
}

func capFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// modalityText joins the modality phrases ("Myofascial release (97140) and
// NMT").
func (w *wording) modalityText() string {
	var parts []string
	for _, m := range w.c.modalities {
		t := m.text
		if m.showCode {
			t += pick(w.r, []string{" (%s)", " - %s", " CPT %s", " (CPT %s)"})
			t = fmt.Sprintf(t, m.cpt)
		}
		parts = append(parts, t)
	}
	return w.cap(joinList(w.r, parts))
}

// joinList joins phrases with commas, slashes or "and".
func joinList(r *rand.Rand, parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	switch r.IntN(4) {
	case 0:
		return strings.Join(parts, ", ")
	case 1:
		return strings.Join(parts, "/")
	case 2:
		return strings.Join(parts, " & ")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func (w *wording) areasText() string {
	var parts []string
	for _, a := range w.c.areas {
		parts = append(parts, a.text)
	}
	return w.cap(joinList(w.r, parts))
}

// dxStyle is how the diagnosis lines of a document look.
type dxStyle struct {
	codeFirst bool   // "M54.50 Low back pain" rather than "Low back pain (M54.50)"
	sep       string // between code and description
}

func (w *wording) newDxStyle() dxStyle {
	st := dxStyle{codeFirst: w.r.IntN(4) != 0, sep: pick(w.r, []string{" ", " - ", "  ", ": ", " – "})}
	return st
}

func (w *wording) dxLine(st dxStyle, d dxLine) string {
	desc := w.cap(d.desc)
	if st.codeFirst {
		return d.code + st.sep + desc
	}
	return desc + " (" + d.code + ")"
}

// dxLines returns the diagnosis lines, or the conditions without codes.
func (w *wording) dxLines() []string {
	st := w.newDxStyle()
	var out []string
	for _, d := range w.c.dx {
		out = append(out, w.dxLine(st, d))
	}
	if len(out) == 0 {
		for _, t := range w.c.dxText {
			out = append(out, w.cap(t))
		}
	}
	return out
}

func (w *wording) necessityText() string {
	return pick(w.r, []string{"Medically necessary", "MEDICALLY NECESSARY", "Medically necessary.", "This treatment is medically necessary.",
		"Medical necessity: yes", "Treatment is medically necessary", "Med. necessary"})
}

// sessionText prints the session length, sometimes with a lead-in.
func (w *wording) sessionText() string {
	s := w.c.session.text
	if strings.Contains(s, "session") || strings.Contains(s, "per visit") || strings.Contains(s, "each") {
		return w.cap(s)
	}
	return w.cap(pick(w.r, []string{s, s + " per session", s + " per visit", s + " sessions", s + " each visit"}))
}

// electronicStatement is the electronic-signature sentence.
func (w *wording) electronicStatement() string {
	if w.c.statement != "" {
		return w.c.statement
	}
	t := w.c.sigTime
	n := w.doctorName(true)
	if w.c.noDate { // no date may stand anywhere
		return pick(w.r, []string{"Electronically signed by " + n, "E-signed by " + n, "This order was electronically signed by " + n + "."})
	}
	return pick(w.r, []string{
		fmt.Sprintf("Electronically signed by %s on %s %s", n, t.Format("01/02/2006"), t.Format("15:04")),
		fmt.Sprintf("Electronically signed: %s %s %s", n, t.Format("01/02/2006"), t.Format("3:04 PM")),
		fmt.Sprintf("E-signed by %s, %s", n, t.Format("01/02/2006")),
		fmt.Sprintf("Digitally signed by %s Date: %s", n, t.Format("2006.01.02 15:04:05 -07'00'")),
		fmt.Sprintf("This order was electronically signed by %s on %s at %s.", n, t.Format("Jan 2, 2006"), t.Format("3:04 PM")),
		fmt.Sprintf("Electronically signed by: %s  %s", n, t.Format("1/2/2006 3:04 PM")),
	})
}

// sign returns the signature block of the content.
func (w *wording) sign(label string, withName bool) block {
	c := w.c
	s := &sigBlock{kind: c.sig, label: label, seed: hashString(c.doctor.natural()) ^ uint64(c.rxDate.Unix())}
	if !c.noDoctor {
		if withName || c.sig == sigTyped {
			s.name = w.doctorName(true)
		}
		s.inkName = pick(w.r, []string{c.doctor.natural(), c.doctor.first[:1] + ". " + c.doctor.last, c.doctor.last})
	}
	if c.sig == sigElectronic {
		s.statement = w.electronicStatement()
	}
	return block{kind: blockSign, sig: s, before: 6}
}

// practiceLines are the letterhead lines under the practice name.
func (w *wording) practiceLines() []string {
	p := w.c.practice
	addr := fmt.Sprintf("%s, %s, %s %s", p.street, p.city, p.state, p.zip)
	tel := fmt.Sprintf("Phone %s   Fax %s", w.phone(w.c.phone), w.phone(w.c.fax))
	if w.r.IntN(2) == 0 {
		tel = fmt.Sprintf("Tel: %s | Fax: %s", w.phone(w.c.phone), w.phone(w.c.fax))
	}
	if w.r.IntN(2) == 0 {
		return []string{p.street, fmt.Sprintf("%s, %s %s", p.city, p.state, p.zip), tel}
	}
	return []string{addr, tel}
}

// pronouns of the patient.
func (w *wording) she() string {
	if w.c.patient.female {
		return "she"
	}
	return "he"
}

func (w *wording) her() string {
	if w.c.patient.female {
		return "her"
	}
	return "him"
}

func (w *wording) hisHer() string {
	if w.c.patient.female {
		return "her"
	}
	return "his"
}
