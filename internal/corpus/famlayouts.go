package corpus

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The layouts of the wording families other than house: the same five
// kinds of document, worded with a family's labels, formats and sentences.

func newFamWording(r *rand.Rand, c *content) *wording {
	f := c.fam
	w := &wording{r: r, c: c, f: f, phoneFmt: r.IntN(4), hand: roleRegular}
	w.fdate, w.fdob = pick(r, f.dateFmts), pick(r, f.dobFmts)
	if c.tier == TierHandwriting {
		w.hand = roleHand
		w.fdate, w.fdob = pick(r, f.handFmts), pick(r, f.handFmts)
	}
	w.credSep = pick(r, []string{", ", ", ", " "})
	return w
}

// fname is the prescriber as the family prints it: the name and the
// credentials (after a comma or a space), or the name alone.
func (w *wording) fname() string {
	d := w.c.doctor
	s := d.natural()
	if d.credPrinted != "" {
		sep := w.credSep
		if strings.HasSuffix(d.suffix, ".") && sep == " " {
			sep = ", "
		}
		s += sep + d.credPrinted
	}
	return w.cap(s)
}

// fpatient prints the patient in natural or "Last Suffix, First M" order.
func (w *wording) fpatient(lastFirst bool) string {
	p := w.c.patient
	s := p.natural()
	if lastFirst {
		s = p.last + p.sfx() + ", " + p.first
		if p.middle != "" {
			s += " " + p.middle
		}
	}
	return w.cap(s)
}

// fRxDate is the Rx date where the layout usually prints it: "" when the
// document has none there.
func (w *wording) fRxDate() string {
	if w.c.noDate || w.c.datePlace != dateUsual {
		return ""
	}
	return w.date(w.c.rxDate)
}

// fSigDate is the date beside a wet signature line, when that is where the
// date goes.
func (w *wording) fSigDate() string {
	c := w.c
	if c.noDate || c.datePlace != dateSig || c.sig != sigWet {
		return ""
	}
	return pick(w.r, w.f.lSigDate) + " " + w.date(c.rxDate)
}

func (w *wording) fStatement() string {
	c, f := w.c, w.f
	n := w.fname()
	if c.noDate || c.datePlace == dateHeader {
		return fmt.Sprintf(pick(w.r, f.statementsNoDate), n)
	}
	return fmt.Sprintf(pick(w.r, f.statements), n, w.date(c.sigTime), c.sigTime.Format(f.timeFmt))
}

func (w *wording) fModality() string {
	var parts []string
	form := pick(w.r, w.f.codeForms)
	for _, m := range w.c.modalities {
		t := m.text
		if m.showCode {
			t += fmt.Sprintf(form, m.cpt)
		}
		parts = append(parts, t)
	}
	if len(parts) == 0 && w.c.nonOrder != "" {
		parts = []string{w.c.nonOrder}
	}
	return w.cap(joinList(w.r, parts))
}

func (w *wording) fAreas(sep string) string {
	var parts []string
	for _, a := range w.c.areas {
		parts = append(parts, a.text)
	}
	if sep != "" {
		return w.cap(strings.Join(parts, sep))
	}
	return w.cap(joinList(w.r, parts))
}

// fDx returns the diagnosis lines in the family's format, or the conditions
// without codes.
func (w *wording) fDx() []string {
	k := w.r.IntN(3)
	form := ""
	if len(w.f.dxForms) > 0 {
		form = pick(w.r, w.f.dxForms)
	}
	var out []string
	for _, d := range w.c.dx {
		desc := w.cap(d.desc)
		switch {
		case form != "":
			out = append(out, fmt.Sprintf(form, d.code, desc))
		case w.f == harbor && k == 0:
			out = append(out, d.code+"  "+strings.ToUpper(desc))
		case w.f == harbor && k == 1:
			out = append(out, "("+d.code+") "+desc)
		case w.f == harbor:
			out = append(out, desc+" [ICD-10-CM "+d.code+"]")
		case w.f == lakeview && k == 0:
			out = append(out, desc+" (ICD-10: "+d.code+")")
		case w.f == lakeview && k == 1:
			out = append(out, desc+", "+d.code)
		case w.f == summit && k == 0:
			out = append(out, desc+" -- "+d.code)
		case w.f == summit && k == 1:
			out = append(out, d.code+" ("+desc+")")
		case w.f == summit:
			out = append(out, "["+d.code+"] "+desc)
		case k == 0:
			out = append(out, d.code+" - "+desc)
		case k == 1:
			out = append(out, d.code+" "+desc)
		default:
			out = append(out, d.code+": "+desc)
		}
	}
	if len(out) == 0 {
		for _, t := range w.c.dxText {
			out = append(out, w.cap(t))
		}
	}
	return out
}

func (w *wording) fSession() string {
	s := w.c.session.text
	if strings.Contains(s, "visit") || strings.Contains(s, "session") || strings.Contains(s, "each") || strings.Contains(s, "appointment") || strings.HasPrefix(s, "treatment time") {
		return w.cap(s)
	}
	return w.cap(pick(w.r, []string{s, s, s + " per visit", s + " each"}))
}

func (w *wording) fNecessity() string { return w.cap(pick(w.r, w.f.necessity)) }

// fSign is the signature block of a family's document.
func (w *wording) fSign(label string, withName bool) block {
	c := w.c
	s := &sigBlock{kind: c.sig, label: label, seed: hashString(c.doctor.natural()) ^ uint64(c.rxDate.Unix())}
	if !c.noDoctor {
		if withName || c.sig == sigTyped {
			s.name = w.fname()
		}
		s.inkName = pick(w.r, []string{c.doctor.natural0(), c.doctor.first[:1] + ". " + c.doctor.last, c.doctor.last})
	}
	if c.sig == sigElectronic {
		s.statement = w.fStatement()
	}
	s.date = w.fSigDate()
	return block{kind: blockSign, sig: s, before: 6}
}

func (w *wording) fNPI() string { return pick(w.r, w.f.lNPI) + " " + w.c.doctor.npi }

func (w *wording) famSheets(l Layout) []sheet {
	var sheets []sheet
	switch l {
	case LayoutForm:
		sheets = w.fForm()
	case LayoutEHR:
		sheets = w.fEHR()
	case LayoutLetter:
		sheets = w.fLetter()
	case LayoutEmail:
		return w.fEmail()
	default:
		sheets = w.fRxpad()
	}
	if len(w.f.sigPlaces) > 0 {
		w.placeSign(sheets, l)
	}
	return sheets
}

// Places of the signature on a family's page (wordingFamily.sigPlaces).
const (
	sigPlaceEnd   = iota // where the layout puts it, under the order
	sigPlaceRight        // under the order, in the right half of the page
	sigPlaceTop          // forms and EHR pages: under the header, above the order; others: the right half
)

// rightIndent is the indent that sets a signature in the right half of a
// sheet with room for its label, line, ink and typed name, by a generous
// estimate of their widths. A label that leaves no room is left off, as
// pads print a bare line at the right; 0 when even that does not fit.
func rightIndent(sh *sheet, s *sigBlock) float64 {
	size := sh.body
	width := pageW - sh.left - sh.right
	est := func(t string) float64 { return float64(utf8.RuneCountInString(t)) * size * 0.62 }
	indent := func() float64 {
		need := est(s.label) + size*0.5 + max(200+size+est(s.date)*0.5, 8+float64(len(s.inkName))*size*0.95, est(s.name))
		if s.kind == sigElectronic {
			need = min(est(s.statement), width*0.55)
		}
		return min(width*0.42, width-need-6)
	}
	in := indent()
	if in < width*0.2 && s.label != "" && s.kind != sigElectronic {
		s.label = ""
		in = indent()
	}
	if in < width*0.2 {
		return 0
	}
	return in
}

// placeSign moves the signature of a family's sheets to one of the family's
// places.
func (w *wording) placeSign(sheets []sheet, l Layout) {
	place := pick(w.r, w.f.sigPlaces)
	for i := range sheets {
		sh := &sheets[i]
		at := slices.IndexFunc(sh.blocks, func(b block) bool { return b.kind == blockSign })
		if at < 0 {
			continue
		}
		// The last rule above the signature of a form or an EHR page closes
		// its header (the people) and opens the order.
		rule := -1
		if place == sigPlaceTop && (l == LayoutForm || l == LayoutEHR) {
			isRule := func(b block) bool { return b.kind == blockRule }
			for j := at - 1; j >= 0 && rule < 0; j-- {
				if isRule(sh.blocks[j]) {
					rule = j
				}
			}
			if rule == slices.IndexFunc(sh.blocks, isRule) {
				rule = -1 // only the title's rule: no header to close
			}
		}
		switch {
		case rule >= 0:
			sig := sh.blocks[at]
			sig.before = 4
			sh.blocks = slices.Insert(slices.Delete(sh.blocks, at, at+1), rule, sig)
		case place != sigPlaceEnd:
			sh.blocks[at].indent = rightIndent(sh, sh.blocks[at].sig)
		}
	}
}

// fLetterhead is the practice name, the prescriber on pads, address lines.
func (w *wording) fLetterhead(sh *sheet, withDoctor bool) {
	c, r := w.c, w.r
	al := pick(r, []align{alignLeft, alignCenter})
	name := c.practice.name
	if w.f == harbor {
		name = strings.ToUpper(name)
	}
	sh.blocks = append(sh.blocks, block{kind: blockText, role: roleBold, size: 14 + r.Float64()*4, align: al, text: name})
	if withDoctor && !c.noDoctor {
		line := w.fname()
		if w.npiInHeader {
			line += "  |  " + w.fNPI()
		}
		sh.blocks = append(sh.blocks, block{kind: blockText, role: roleBold, size: sh.body, align: al, text: line})
	}
	p := c.practice
	lines := []string{fmt.Sprintf("%s  %s, %s %s", p.street, p.city, p.state, p.zip), fmt.Sprintf("P %s  F %s", w.phone(c.phone), w.phone(c.fax))}
	switch {
	case w.f == lakeview:
		lines = []string{p.street, fmt.Sprintf("%s, %s %s", p.city, p.state, p.zip), fmt.Sprintf("Telephone %s  Facsimile %s", w.phone(c.phone), w.phone(c.fax))}
	case w.f == harbor:
		lines = []string{fmt.Sprintf("%s * %s, %s %s * Tel %s * Fax %s", p.street, p.city, p.state, p.zip, w.phone(c.phone), w.phone(c.fax))}
	case w.f == summit:
		lines = []string{fmt.Sprintf("%s | %s, %s %s", p.street, p.city, p.state, p.zip), fmt.Sprintf("Voice %s   Fax %s", w.phone(c.phone), w.phone(c.fax))}
	case len(w.f.letterheads) > 0:
		lines = nil
		for _, t := range pick(r, w.f.letterheads) {
			lines = append(lines, fmt.Sprintf(t, p.street, p.city, p.state, p.zip, w.phone(c.phone), w.phone(c.fax)))
		}
	}
	for _, l := range lines {
		sh.blocks = append(sh.blocks, block{kind: blockText, size: sh.body - 2, align: al, text: l})
	}
	sh.blocks = append(sh.blocks, block{kind: blockRule, before: 2})
}

// fOrderLines are the lines of a free-text order in the family's labels.
func (w *wording) fOrderLines() []string {
	c, r, f := w.c, w.r, w.f
	lab := func(ls []string) string { return pick(r, ls) + " " }
	var out []string
	mod, areas := w.fModality(), w.fAreas("")
	if mod != "" {
		if areas != "" && r.IntN(2) == 0 {
			out = append(out, capFirst(mod)+pick(r, []string{" - ", " to ", ": "})+areas)
			areas = ""
		} else {
			out = append(out, capFirst(mod))
		}
	}
	if areas != "" {
		out = append(out, lab(f.lAreas)+areas)
	}
	if fr := c.freq; fr != nil {
		if fr.perWeek != "" && r.IntN(3) == 0 {
			out = append(out, lab(f.lFreq)+w.cap(fr.perWeek), lab(f.lDur)+w.cap(bareDuration(fr.duration)))
		} else {
			out = append(out, lab(f.lFreq)+w.cap(fr.text))
		}
	}
	if c.session != nil && !c.sessionIn {
		out = append(out, lab(f.lSession)+w.fSession())
	}
	if dx := w.fDx(); len(dx) > 0 {
		out = append(out, lab(f.lDx)+strings.Join(dx, "; "))
	}
	if c.necessity == necPrinted {
		out = append(out, w.fNecessity())
	}
	return out
}

func (w *wording) fRxpad() []sheet {
	c, r, f := w.c, w.r, w.f
	sh := sheet{body: 11 + r.Float64()*1.5, frame: r.IntN(2) == 0}
	w.margins(&sh, 80, 120)
	w.npiInHeader = !c.noNPI && !c.noDoctor && r.IntN(2) == 0
	w.fLetterhead(&sh, true)
	name, dob := "", ""
	if !c.noPatient {
		name, dob = w.fpatient(r.IntN(3) == 0), w.dob()
	}
	row := func(cells ...cell) block { return block{kind: blockRow, before: 4, cells: cells} }
	sh.blocks = append(sh.blocks,
		row(cell{at: 0, label: pick(r, f.lPatient), value: name, valueRole: w.hand, line: true}, cell{at: 0.62, label: pick(r, f.lDOB), value: dob, valueRole: w.hand, line: true}))
	if d := w.fRxDate(); d != "" || c.datePlace == dateUsual {
		sh.blocks = append(sh.blocks, row(cell{at: 0.62, label: pick(r, f.lDate), value: d, valueRole: w.hand, line: true}))
	}
	sh.blocks = append(sh.blocks, block{kind: blockText, role: roleBold, size: 22 + r.Float64()*8, text: pick(r, f.rxMarks), before: 4})
	size := sh.body
	if w.hand == roleHand {
		size *= 1.3
	}
	indent := 15 + r.Float64()*25
	for _, l := range w.fOrderLines() {
		sh.blocks = append(sh.blocks, block{kind: blockText, role: w.hand, size: size, indent: indent, text: l, before: 2 + r.Float64()*4})
	}
	signLabels := []string{"", "Signature:", "Provider signature:", "X"}
	if len(f.lSign) > 0 {
		signLabels = f.lSign
	}
	sig := w.fSign(pick(r, signLabels), true)
	sig.before = 20 + r.Float64()*25
	sh.blocks = append(sh.blocks, sig)
	if !c.noNPI && (!w.npiInHeader || r.IntN(4) == 0) {
		sh.blocks = append(sh.blocks, block{kind: blockText, size: sh.body - 1, text: w.fNPI()})
	}
	return []sheet{sh}
}

func (w *wording) fForm() []sheet {
	c, r, f := w.c, w.r, w.f
	sh := sheet{body: 10.5 + r.Float64()*1.5}
	w.margins(&sh, 55, 80)
	title := pick(r, f.formTitles)
	ret := "Return to " + c.clinic.name + " - fax " + w.phone(c.clinic.fax)
	if len(f.formReturn) > 0 {
		ret = fmt.Sprintf(pick(r, f.formReturn), c.clinic.name, w.phone(c.clinic.fax))
	}
	sh.blocks = append(sh.blocks,
		block{kind: blockText, role: roleBold, size: 15, align: alignCenter, text: title},
		block{kind: blockText, size: sh.body - 1, align: alignCenter, text: ret},
		block{kind: blockRule},
	)
	if f.formHeader != nil {
		sh.blocks = append(sh.blocks, f.formHeader(w)...)
	}
	field := func(label, value string) block {
		return block{kind: blockRow, cells: []cell{{at: 0, label: label, labelRole: roleBold, value: value, valueRole: w.hand, line: true}}}
	}
	pair := func(l1, v1, l2, v2 string) block {
		return block{kind: blockRow, cells: []cell{{at: 0, label: l1, labelRole: roleBold, value: v1, valueRole: w.hand, line: true}, {at: 0.58, label: l2, labelRole: roleBold, value: v2, valueRole: w.hand, line: true}}}
	}
	name, dob := "", ""
	if !c.noPatient {
		name, dob = w.fpatient(r.IntN(2) == 0), w.dob()
	}
	docName, npi := "", ""
	if !c.noDoctor {
		docName = w.fname()
	}
	if !c.noNPI {
		npi = c.doctor.npi
	}
	// Prescriber first on some forms, patient first on others.
	who := []block{pair(pick(r, f.lPatient), name, pick(r, f.lDOB), dob)}
	lPractice, lPhone := "Practice:", "Phone:"
	if len(f.lPractice) > 0 {
		lPractice, lPhone = pick(r, f.lPractice), pick(r, f.lPhone)
	}
	doc := []block{pair(pick(r, f.lDoctor), docName, pick(r, f.lNPI), npi), pair(lPractice, c.practice.name, lPhone, w.phone(c.phone))}
	if r.IntN(2) == 0 {
		sh.blocks = append(sh.blocks, who...)
		sh.blocks = append(sh.blocks, doc...)
	} else {
		sh.blocks = append(sh.blocks, doc...)
		sh.blocks = append(sh.blocks, who...)
	}
	sh.blocks = append(sh.blocks, block{kind: blockRule, before: 4})
	sh.blocks = append(sh.blocks, field(pick(r, f.lModality), capFirst(w.fModality())), field(pick(r, f.lAreas), w.fAreas("")))
	dx := w.fDx()
	label := pick(r, f.lDx)
	if len(dx) == 0 {
		sh.blocks = append(sh.blocks, field(label, ""))
	}
	for i, d := range dx {
		b := field(fmt.Sprintf("%d.", i+1), d)
		if i == 0 {
			sh.blocks = append(sh.blocks, block{kind: blockText, role: roleBold, text: label})
		}
		b.cells[0].at = 0.04
		sh.blocks = append(sh.blocks, b)
	}
	if fr := c.freq; fr != nil && fr.perWeek != "" && r.IntN(2) == 0 {
		sh.blocks = append(sh.blocks, pair(pick(r, f.lFreq), w.cap(fr.perWeek), pick(r, f.lDur), w.cap(bareDuration(fr.duration))))
	} else {
		t := ""
		if fr != nil {
			t = w.cap(fr.text)
		}
		sh.blocks = append(sh.blocks, field(pick(r, f.lFreq), t))
	}
	sess := ""
	if c.session != nil && !c.sessionIn {
		sess = w.fSession()
	}
	sh.blocks = append(sh.blocks, field(pick(r, f.lSession), sess))
	switch c.necessity {
	case necPrinted:
		sh.blocks = append(sh.blocks, block{kind: blockRow, before: 4, cells: []cell{{at: 0, label: w.fNecessity(), box: 2}}})
	case necUnchecked:
		sh.blocks = append(sh.blocks, block{kind: blockRow, before: 4, cells: []cell{{at: 0, label: pick(r, f.necessity), box: 1}}})
	}
	signLabels := []string{"Signature:", "Provider signature:", "Signed:"}
	if len(f.lSign) > 0 {
		signLabels = f.lSign
	}
	sig := w.fSign(pick(r, signLabels), false)
	if sig.sig.date == "" && c.datePlace == dateUsual && !c.noDate && r.IntN(2) == 0 {
		sig.sig.date = pick(r, f.lSigDate) + " " + w.date(c.rxDate)
	} else if d := w.fRxDate(); d != "" || c.datePlace == dateUsual {
		sh.blocks = append(sh.blocks, field(pick(r, f.lDate), d))
	}
	sh.blocks = append(sh.blocks, sig)
	return []sheet{sh}
}

func (w *wording) fEHR() []sheet {
	c, r, f := w.c, w.r, w.f
	w.upper = chance(r, f.upperChance)
	sh := sheet{body: 10 + r.Float64()*1.5}
	w.margins(&sh, 50, 70)
	title := pick(r, f.ehrTitles)
	sh.blocks = append(sh.blocks,
		block{kind: blockText, role: roleBold, size: 13, text: c.practice.name},
		block{kind: blockText, role: roleBold, size: 12, text: title},
	)
	if len(f.ehrNotes) > 0 {
		sh.blocks = append(sh.blocks, block{kind: blockText, size: sh.body - 1, text: pick(r, f.ehrNotes)})
	}
	sh.blocks = append(sh.blocks, block{kind: blockRule})
	name, dob := "", ""
	if !c.noPatient {
		name, dob = w.fpatient(r.IntN(2) == 0), w.dob()
	}
	prov, npi := "", ""
	if !c.noDoctor {
		prov = w.fname()
	}
	if !c.noNPI {
		npi = c.doctor.npi
	}
	mrn := fmt.Sprintf("%07d", hashString(name+title)%10000000)
	line := func(label, value string) {
		if w.f.ehrStyle == 2 {
			sh.blocks = append(sh.blocks, block{kind: blockText, role: roleBold, text: strings.TrimSuffix(label, ":"), before: 4})
			if value != "" {
				sh.blocks = append(sh.blocks, block{kind: blockText, text: value, indent: 18})
			}
			return
		}
		if w.f.ehrStyle == 3 { // a two-column table: the label, and its value wrapped in the right column
			sh.blocks = append(sh.blocks, block{kind: blockRow, before: 1, cells: []cell{{at: 0, label: strings.TrimSuffix(label, ":"), labelRole: roleBold}}})
			if value != "" {
				sh.blocks = append(sh.blocks, block{kind: blockText, text: value, indent: (pageW - sh.left - sh.right) * 0.38, before: -sh.body * 1.7})
			}
			return
		}
		if w.f.ehrStyle == 1 {
			label = strings.ToUpper(strings.TrimSuffix(label, ":"))
			label += strings.Repeat(".", max(2, 24-len(label))) + ":"
		}
		sh.blocks = append(sh.blocks, block{kind: blockText, text: label + " " + value, before: 2})
	}
	lMRN, lComments, lReferTo := "MRN:", "Comments:", "Refer to:"
	if len(f.lMRN) > 0 {
		lMRN, lComments, lReferTo = pick(r, f.lMRN), pick(r, f.lComments), pick(r, f.lReferTo)
	}
	line(pick(r, f.lPatient), name)
	line(pick(r, f.lDOB), dob)
	line(lMRN, mrn)
	if d := w.fRxDate(); d != "" || c.datePlace == dateUsual {
		line(pick(r, f.lDate), d)
	}
	line(pick(r, f.lDoctor), prov)
	if npi != "" || r.IntN(2) == 0 {
		line(pick(r, f.lNPI), npi)
	}
	sh.blocks = append(sh.blocks, block{kind: blockRule, before: 4})
	if mod := w.fModality(); mod != "" {
		line(pick(r, f.lModality), capFirst(mod))
	}
	if len(c.areas) > 0 {
		line(pick(r, f.lAreas), w.fAreas(pick(r, []string{"; ", ", "})))
	}
	if dx := w.fDx(); len(dx) > 0 {
		line(pick(r, f.lDx), "")
		for _, d := range dx {
			sh.blocks = append(sh.blocks, block{kind: blockText, text: pick(r, []string{"- ", "* ", "  "}) + d, indent: 18})
		}
	}
	if fr := c.freq; fr != nil {
		if fr.perWeek != "" && r.IntN(2) == 0 {
			line(pick(r, f.lFreq), w.cap(fr.perWeek))
			line(pick(r, f.lDur), w.cap(bareDuration(fr.duration)))
		} else {
			line(pick(r, f.lFreq), w.cap(fr.text))
		}
	}
	if c.session != nil && !c.sessionIn {
		line(pick(r, f.lSession), w.fSession())
	}
	if c.necessity == necPrinted {
		line(lComments, w.fNecessity())
	}
	line(lReferTo, w.cap(c.clinic.name))
	sig := w.fSign("", true)
	sig.before = 14
	sh.blocks = append(sh.blocks, sig)
	if w.f == northside {
		printed := c.received.Add(-time.Duration(2+r.IntN(40)) * time.Minute)
		sh.blocks = append(sh.blocks, block{kind: blockText, size: sh.body - 2, before: 18, text: "Printed: " + printed.Format("01/02/2006 3:04 PM") + "  Page 1"})
	}
	return []sheet{sh}
}

// fLetter is a letter in the family's prose, or a memo with TO/FROM lines.
func (w *wording) fLetter() []sheet {
	c, r, f := w.c, w.r, w.f
	sh := sheet{body: 11 + r.Float64()*1.5}
	w.margins(&sh, 65, 95)
	w.fLetterhead(&sh, false)
	para := func(s string) {
		if s != "" {
			sh.blocks = append(sh.blocks, block{kind: blockText, text: strings.ReplaceAll(s, "..", "."), before: 8, para: true})
		}
	}
	ref := ""
	if !c.noPatient {
		ref = fmt.Sprintf(pick(r, f.refLines), w.fpatient(false), w.dob())
	}
	if f.letterMemo {
		sh.blocks = append(sh.blocks, block{kind: blockText, role: roleBold, size: 16, text: "MEMORANDUM", before: 8})
		memo := []string{"TO: " + c.clinic.name}
		if !c.noDoctor {
			memo = append(memo, "FROM: "+w.fname())
		}
		if d := w.fRxDate(); d != "" {
			memo = append(memo, "DATE: "+d)
		}
		if ref != "" {
			memo = append(memo, ref)
		}
		for _, m := range memo {
			sh.blocks = append(sh.blocks, block{kind: blockText, text: m, before: 2})
		}
		sh.blocks = append(sh.blocks, block{kind: blockRule, before: 4})
	} else {
		if d := w.fRxDate(); d != "" {
			if f == summit && r.IntN(2) == 0 { // a dateline
				d = c.practice.city + ", " + c.practice.state + "  " + d
			}
			para(d)
		}
		para(c.clinic.name)
		if ref != "" {
			sh.blocks = append(sh.blocks, block{kind: blockText, role: roleBold, before: 8, para: true, text: ref})
		}
		g := pick(r, f.greetings)
		if strings.Contains(g, "%s") {
			g = fmt.Sprintf(g, c.clinic.name)
		}
		para(g)
	}
	for _, p := range w.fProse(false) {
		para(p)
	}
	para(pick(r, f.thanks))
	para(pick(r, f.closings))
	sig := w.fSign("", true)
	sig.before = 0
	sh.blocks = append(sh.blocks, sig)
	if !c.noNPI {
		sh.blocks = append(sh.blocks, block{kind: blockText, text: w.fNPI()})
	}
	return []sheet{sh}
}

// fProse says the order in the family's sentences; staff speak of the
// prescriber in an email (third).
func (w *wording) fProse(third bool) []string {
	c, r, f := w.c, w.r, w.f
	doc := "I"
	if third {
		doc = "Dr. " + c.doctor.last
		if c.doctor.cred != "MD" && c.doctor.cred != "DO" {
			doc = c.doctor.first + " " + c.doctor.last
		}
	}
	who := "the patient"
	if !c.noPatient {
		who = w.fpatient(false)
		if third {
			who += " (DOB " + w.dob() + ")"
		}
	}
	mod := w.fModality()
	if mod == "" {
		mod = "treatment"
	}
	areas := w.fAreas("")
	if f == summit {
		return w.summitProse(third, doc, who, mod, areas)
	}
	if f.prose != nil {
		return f.prose(w, third, who, mod, areas)
	}
	var p1 string
	switch {
	case f == lakeview && areas != "":
		p1 = pick(r, []string{
			fmt.Sprintf("%s would appreciate your seeing %s for %s, focusing on the %s.", doc, who, mod, areas),
			fmt.Sprintf("%s is referred for %s of the %s.", capFirst(who), mod, areas)})
	case f == harbor && areas != "":
		p1 = fmt.Sprintf("Request: %s - %s. Client: %s.", mod, areas, who)
	case areas != "":
		p1 = pick(r, []string{fmt.Sprintf("Referring %s for %s, areas: %s.", who, mod, areas),
			fmt.Sprintf("Please see %s for %s to the %s.", who, mod, areas)})
	default:
		p1 = fmt.Sprintf("Please see %s for %s.", who, mod)
	}
	var p2 string
	if dx := w.fDx(); len(dx) > 0 {
		p2 = pick(r, []string{"Working diagnoses: " + strings.Join(dx, "; ") + ".", "Relevant problems: " + strings.Join(dx, "; ") + "."})
		if f == lakeview {
			p2 = "The diagnoses are " + joinAnd(dx) + "."
		}
	}
	var p3 string
	sess := ""
	if c.session != nil && !c.sessionIn {
		sess = c.session.text
	}
	switch {
	case c.freq != nil && sess != "":
		p3 = pick(r, []string{
			fmt.Sprintf("Plan: %s, %s per visit.", c.freq.text, sess),
			fmt.Sprintf("The plan of care is %s; each visit %s.", c.freq.text, sess),
			fmt.Sprintf("Sessions of %s, %s.", sess, c.freq.text)})
	case c.freq != nil:
		p3 = fmt.Sprintf("Plan: %s.", c.freq.text)
	case sess != "":
		p3 = fmt.Sprintf("Sessions of %s.", sess)
	}
	var p4 string
	if c.necessity == necPrinted {
		p4 = w.fNecessity()
	}
	return []string{p1, strings.TrimSpace(p2 + " " + p3), p4}
}

// summitProse is fProse in summit's sentences.
func (w *wording) summitProse(third bool, doc, who, mod, areas string) []string {
	c, r := w.c, w.r
	subj := "I am"
	if third {
		subj = doc + " is"
	}
	var p1 string
	if areas != "" {
		p1 = pick(r, []string{
			fmt.Sprintf("%s requesting %s for %s, with attention to the %s.", subj, mod, who, areas),
			fmt.Sprintf("%s is referred to your practice for %s to the %s.", capFirst(who), mod, areas),
			fmt.Sprintf("Please provide %s to %s; treatment areas: %s.", mod, who, areas)})
	} else {
		p1 = pick(r, []string{fmt.Sprintf("%s requesting %s for %s.", subj, mod, who), fmt.Sprintf("Please provide %s to %s.", mod, who)})
	}
	var p2 string
	if dx := w.fDx(); len(dx) > 0 {
		p2 = pick(r, []string{"Indications: ", "Conditions being treated: "}) + strings.Join(dx, "; ") + "."
	}
	var p3 string
	sess := ""
	if c.session != nil && !c.sessionIn {
		sess = c.session.text
	}
	each := sess
	if !strings.Contains(sess, "visit") && !strings.Contains(sess, "session") && !strings.Contains(sess, "each") && !strings.Contains(sess, "per") {
		each += " per session"
	}
	// A plan that starts with its own verb, or no plan, is not scheduled.
	schedule := c.freq != nil && c.freq.plan && !strings.HasPrefix(c.freq.text, "start ")
	switch {
	case c.freq != nil && !schedule && sess != "":
		p3 = fmt.Sprintf("Course of care: %s; treatment length %s.", c.freq.text, sess)
	case c.freq != nil && !schedule:
		p3 = "Course of care: " + c.freq.text + "."
	case c.freq != nil && sess != "":
		p3 = pick(r, []string{
			fmt.Sprintf("Please schedule %s, %s.", c.freq.text, each),
			fmt.Sprintf("Course of care: %s; treatment length %s.", c.freq.text, sess),
			fmt.Sprintf("Requested schedule is %s, with %s.", c.freq.text, each)})
	case c.freq != nil:
		p3 = pick(r, []string{"Please schedule ", "Course of care: "}) + c.freq.text + "."
	case sess != "":
		p3 = "Treatment length: " + sess + "."
	}
	var p4 string
	if c.necessity == necPrinted {
		p4 = w.fNecessity()
	}
	return []string{p1, strings.TrimSpace(p2 + " " + p3), p4}
}

// fEmail is the body of an email from the office in the family's words.
func (w *wording) fEmail() []sheet {
	c, r, f := w.c, w.r, w.f
	sh := sheet{body: 11}
	w.margins(&sh, 60, 80)
	add := func(s string, para bool) {
		b := block{kind: blockText, text: strings.ReplaceAll(s, "..", "."), para: para}
		if para {
			b.before = 8
		}
		sh.blocks = append(sh.blocks, b)
	}
	g := pick(r, f.mailOpen)
	if strings.Contains(g, "%s") {
		g = fmt.Sprintf(g, c.clinic.name)
	}
	add(g, false)
	doc := "the provider"
	if !c.noDoctor {
		doc = w.fname()
	}
	switch {
	case c.datePlace == dateHeader && f == summit:
		add(pick(r, []string{"The order below was entered by " + doc + " earlier today.", doc + " completed this referral today; details follow."}), true)
	case c.datePlace == dateHeader && len(f.mailToday) > 0:
		add(fmt.Sprintf(pick(r, f.mailToday), doc), true)
	case c.datePlace == dateHeader:
		add(pick(r, []string{doc + " signed the order below today.", "Order written today by " + doc + ".", "Sending the order " + doc + " wrote for this patient today."}), true)
	case len(f.mailLead) > 0:
		if r.IntN(2) == 0 {
			add(fmt.Sprintf(pick(r, f.mailLead), doc), true)
		}
	case r.IntN(2) == 0:
		add(pick(r, []string{"Referral below from " + doc + ".", "Forwarding an order from " + doc + "."}), true)
	}
	if r.IntN(2) == 0 {
		lines := []struct{ label, value string }{}
		if !c.noPatient {
			lines = append(lines, struct{ label, value string }{pick(r, f.lPatient), w.fpatient(false) + ", " + pick(r, f.lDOB) + " " + w.dob()})
		}
		if d := w.fRxDate(); d != "" {
			lines = append(lines, struct{ label, value string }{pick(r, f.lDate), d})
		}
		lines = append(lines, struct{ label, value string }{pick(r, f.lModality), capFirst(w.fModality())}, struct{ label, value string }{pick(r, f.lAreas), w.fAreas("")})
		if c.freq != nil {
			lines = append(lines, struct{ label, value string }{pick(r, f.lFreq), c.freq.text})
		}
		if c.session != nil && !c.sessionIn {
			lines = append(lines, struct{ label, value string }{pick(r, f.lSession), w.fSession()})
		}
		lines = append(lines, struct{ label, value string }{pick(r, f.lDx), strings.Join(w.fDx(), "; ")})
		if !c.noDoctor {
			v := w.fname()
			if !c.noNPI {
				v += "  " + w.fNPI()
			}
			lines = append(lines, struct{ label, value string }{pick(r, f.lDoctor), v})
		}
		first := true
		bullet := pick(r, []string{"", "- ", "> "})
		for _, l := range lines {
			if strings.TrimSpace(l.value) == "" {
				continue
			}
			b := block{kind: blockText, text: bullet + l.label + " " + l.value}
			if first {
				b.para, b.before, first = true, 8, false
			}
			sh.blocks = append(sh.blocks, b)
		}
		if c.necessity == necPrinted {
			add(w.fNecessity(), true)
		}
	} else {
		if d := w.fRxDate(); d != "" {
			add(pick(r, f.lDate)+" "+d, true)
		}
		if !c.noNPI && !c.noDoctor {
			add(pick(r, f.lDoctor)+" "+w.fname()+", "+w.fNPI(), true)
		}
		for _, p := range w.fProse(true) {
			if p != "" {
				add(p, true)
			}
		}
	}
	if c.sig == sigElectronic {
		add(w.fStatement(), true)
	}
	add(pick(r, f.mailClose), true)
	add(c.staff+" | "+pick(r, f.staffRoles), false)
	add(c.practice.name+"  "+w.phone(c.phone), false)
	if c.sig == sigTyped && !c.noDoctor {
		add("for "+w.fname(), false)
	}
	return []sheet{sh}
}
