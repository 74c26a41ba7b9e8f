package corpus

import (
	"fmt"
	"strings"
	"time"
)

// sheets lays out the content in a layout.
func (w *wording) sheets(l Layout) []sheet {
	if !w.f.house {
		return w.famSheets(l)
	}
	switch l {
	case LayoutForm:
		return w.form()
	case LayoutEHR:
		return w.ehr()
	case LayoutLetter:
		return w.letter()
	case LayoutEmail:
		return w.email()
	}
	return w.rxpad()
}

func (w *wording) margins(sh *sheet, lo, hi float64) {
	r := w.r
	sh.left = lo + r.Float64()*(hi-lo)
	sh.right = lo + r.Float64()*(hi-lo)
	sh.top = 50 + r.Float64()*30
	sh.bottom = 50
}

// letterhead adds the practice name and lines; with the prescriber's name
// and NPI on pads.
func (w *wording) letterhead(sh *sheet, withDoctor bool) {
	c, r := w.c, w.r
	al := alignLeft
	if r.IntN(2) == 0 {
		al = alignCenter
	}
	name := block{kind: blockText, role: roleBold, size: 15 + r.Float64()*4, align: al, text: c.practice.name}
	if r.IntN(4) == 0 {
		name.text = strings.ToUpper(name.text)
	}
	var doc []block
	if withDoctor && !c.noDoctor {
		line := w.doctorName(true)
		if w.npiInHeader {
			line += "    " + w.npi()
		}
		doc = append(doc, block{kind: blockText, role: roleBold, size: sh.body, align: al, text: line})
	}
	if len(doc) > 0 && r.IntN(3) == 0 {
		doc[0].size = name.size
		name.size = sh.body + 1
		name.role = roleRegular
		sh.blocks = append(sh.blocks, doc...)
		sh.blocks = append(sh.blocks, name)
	} else {
		sh.blocks = append(sh.blocks, name)
		sh.blocks = append(sh.blocks, doc...)
	}
	for _, l := range w.practiceLines() {
		sh.blocks = append(sh.blocks, block{kind: blockText, role: roleRegular, size: sh.body - 2, align: al, text: l})
	}
	sh.blocks = append(sh.blocks, block{kind: blockRule, before: 2})
}

// orderLines are the lines of a free-text order: modality and areas,
// frequency, session length, diagnoses, medical necessity; shuffled except
// that the order itself comes first.
func (w *wording) orderLines() []string {
	c, r := w.c, w.r
	var first string
	mod, areas := w.modalityText(), w.areasText()
	if mod == "" && c.nonOrder != "" {
		mod = w.cap(c.nonOrder)
	}
	switch {
	case mod != "" && areas != "" && r.IntN(3) != 0:
		first = capFirst(mod) + pick(r, []string{" to ", " - ", ": ", " to the ", ", "}) + areas
		areas = ""
	case mod != "":
		first = capFirst(mod)
	}
	var rest []string
	if areas != "" {
		rest = append(rest, pick(r, []string{"Areas: ", "Area(s): ", "Treat: ", "Regions: ", "To: "})+areas)
	}
	if c.freq != nil {
		rest = append(rest, pick(r, []string{"", "Freq: ", "Frequency: ", "Plan: ", "Freq/Dur: "})+w.cap(c.freq.text))
	}
	if c.session != nil && !c.sessionIn {
		rest = append(rest, pick(r, []string{"", "Duration: ", "Session length: ", "Length: ", "Time: "})+w.sessionText())
	}
	dx := w.dxLines()
	if len(dx) > 0 {
		label := pick(r, []string{"Dx: ", "Diagnosis: ", "ICD-10: ", "Dx codes: ", "DX: "})
		if r.IntN(2) == 0 || len(dx) == 1 {
			rest = append(rest, label+strings.Join(dx, pick(r, []string{"; ", ", ", "  "})))
		} else {
			lines := []string{label + dx[0]}
			pad := strings.Repeat(" ", len(label)+2)
			for _, d := range dx[1:] {
				lines = append(lines, pad+d)
			}
			rest = append(rest, strings.Join(lines, "\n"))
		}
	}
	r.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	if c.necessity == necPrinted {
		nec := w.necessityText()
		if r.IntN(2) == 0 {
			rest = append(rest, nec)
		} else {
			rest = append([]string{nec}, rest...)
		}
	}
	if first != "" {
		rest = append([]string{first}, rest...)
	}
	return rest
}

// patientRows are the patient and date slots at the top of a pad.
func (w *wording) patientRows(sh *sheet) {
	c, r := w.c, w.r
	name, dob, date := "", "", ""
	if !c.noPatient {
		name = w.patientName(r.IntN(5) == 0)
		dob = w.dob()
	}
	if !c.noDate {
		date = w.rxDate()
	}
	if r.IntN(3) == 0 {
		sh.blocks = append(sh.blocks,
			block{kind: blockRow, before: 6, cells: []cell{{at: 0, label: pick(r, []string{"Name:", "Patient:", "Patient Name:"}), value: name, valueRole: w.hand, line: true}, {at: 0.62, label: "Date:", value: date, valueRole: w.hand, line: true}}},
			block{kind: blockRow, cells: []cell{{at: 0, label: pick(r, []string{"Address:", "Addr:"}), line: true}, {at: 0.62, label: pick(r, []string{"DOB:", "D.O.B.", "Age/DOB:"}), value: dob, valueRole: w.hand, line: true}}})
		return
	}
	sh.blocks = append(sh.blocks,
		block{kind: blockRow, before: 6, cells: []cell{{at: 0, label: pick(r, []string{"Patient:", "Name:", "For:"}), value: name, valueRole: w.hand, line: true}, {at: 0.62, label: pick(r, []string{"DOB:", "D.O.B.:", "Birthdate:"}), value: dob, valueRole: w.hand, line: true}}},
		block{kind: blockRow, cells: []cell{{at: 0.62, label: "Date:", value: date, valueRole: w.hand, line: true}}})
}

// rxpad is a free-text prescription pad: letterhead, patient, "Rx", order
// lines, signature line with the typed name below.
func (w *wording) rxpad() []sheet {
	c, r := w.c, w.r
	sh := sheet{body: 11 + r.Float64()*1.5, frame: r.IntN(3) != 0}
	w.margins(&sh, 85, 130)
	w.npiInHeader = !c.noNPI && !c.noDoctor && r.IntN(3) != 0
	w.letterhead(&sh, true)
	w.patientRows(&sh)
	rx := block{kind: blockText, role: roleBold, size: 26 + r.Float64()*10, text: pick(r, []string{"Rx", "Rx", "Rx:", "RX", "℞"}), before: 4}
	sh.blocks = append(sh.blocks, rx)
	size := sh.body
	if w.hand == roleHand {
		size *= 1.3
	}
	indent := 20 + r.Float64()*20
	w.upper = w.hand == roleRegular && r.IntN(7) == 0 // some offices type orders in capitals
	lines := w.orderLines()
	w.upper = false
	for _, l := range lines {
		sh.blocks = append(sh.blocks, block{kind: blockText, role: w.hand, size: size, indent: indent, text: l, before: 2 + r.Float64()*4})
	}
	if r.IntN(3) == 0 {
		sh.blocks = append(sh.blocks, block{kind: blockText, role: roleRegular, text: "Refills: " + pick(r, []string{"0", "none", "NR"}), indent: indent, before: 4})
	}
	if r.IntN(2) == 0 {
		sh.blocks = append(sh.blocks, block{kind: blockRow, before: 10, size: sh.body - 1, cells: []cell{
			{at: 0, label: "Dispense as written", box: 1}, {at: 0.5, label: "Substitution permitted", box: 1}}})
	}
	sig := w.sign(pick(r, []string{"", "", "Signature:", "Prescriber:", "Signed:"}), true)
	sig.before = 20 + r.Float64()*30
	if r.IntN(2) == 0 && !c.noDate {
		sig.sig.date = ""
	}
	sh.blocks = append(sh.blocks, sig)
	if !c.noNPI && (!w.npiInHeader || r.IntN(4) == 0) {
		// The NPI under the signature instead of (or as well as) the header.
		sh.blocks = append(sh.blocks, block{kind: blockText, role: roleRegular, size: sh.body - 1, text: w.npi()})
	}
	return []sheet{sh}
}

// form is a referral form with labelled fields; an empty field is a missing
// element.
func (w *wording) form() []sheet {
	c, r := w.c, w.r
	sh := sheet{body: 10.5 + r.Float64()*1.5}
	w.margins(&sh, 55, 80)
	clinicName := c.clinic.name
	sh.blocks = append(sh.blocks,
		block{kind: blockText, role: roleBold, size: 16, align: alignCenter, text: clinicName},
		block{kind: blockText, role: roleRegular, size: sh.body - 1, align: alignCenter, text: "Fax completed form to " + w.phone(c.clinic.fax) + "  |  " + c.clinic.email},
		block{kind: blockText, role: roleBold, size: 13, align: alignCenter, before: 8, text: pick(r, []string{
			"PHYSICIAN REFERRAL / PRESCRIPTION FOR MEDICAL MASSAGE", "Referral for Medical Massage Therapy", "Massage Therapy Order Form",
			"Physician Prescription for Therapeutic Bodywork", "REFERRAL FORM"})},
		block{kind: blockRule},
	)
	field := func(label, value string) block {
		return block{kind: blockRow, cells: []cell{{at: 0, label: label, labelRole: roleBold, value: value, valueRole: w.hand, line: true}}}
	}
	pair := func(l1, v1, l2, v2 string) block {
		return block{kind: blockRow, cells: []cell{{at: 0, label: l1, labelRole: roleBold, value: v1, valueRole: w.hand, line: true}, {at: 0.6, label: l2, labelRole: roleBold, value: v2, valueRole: w.hand, line: true}}}
	}
	section := func(t string) block {
		return block{kind: blockText, role: roleBold, size: sh.body - 0.5, text: t, before: 8}
	}
	name, dob := "", ""
	if !c.noPatient {
		name, dob = w.patientName(r.IntN(3) == 0), w.dob()
	}
	date := ""
	if !c.noDate {
		date = w.rxDate()
	}
	sh.blocks = append(sh.blocks,
		section(pick(r, []string{"PATIENT INFORMATION", "Patient", "1. Patient"})),
		pair("Patient name:", name, "DOB:", dob),
		pair("Phone:", "", "Insurance:", ""),
		section(pick(r, []string{"ORDER", "Treatment", "2. Prescription"})),
		field("Date:", date),
	)
	// Treatment ordered: checkboxes when the phrases are on the form.
	boxes := []string{"Myofascial release", "Neuromuscular therapy", "Manual therapy", "Massage therapy"}
	codes := []string{"97140", "97140", "97140", "97124"}
	onForm := len(c.modalities) > 0
	for _, m := range c.modalities {
		onForm = onForm && containsFold(boxes, m.text)
	}
	if onForm && r.IntN(2) == 0 {
		sh.blocks = append(sh.blocks, block{kind: blockText, role: roleBold, text: "Treatment ordered:"})
		var cells []cell
		for i, b := range boxes {
			ticked := 1
			for _, m := range c.modalities {
				if strings.EqualFold(m.text, b) {
					ticked = 2
				}
			}
			cells = append(cells, cell{at: float64(i%2) * 0.5, label: b + " (" + codes[i] + ")", box: ticked})
			if i%2 == 1 {
				sh.blocks = append(sh.blocks, block{kind: blockRow, indent: 10, cells: cells})
				cells = nil
			}
		}
	} else {
		mod := w.modalityText()
		if mod == "" {
			mod = w.cap(c.nonOrder)
		}
		sh.blocks = append(sh.blocks, field(pick(r, []string{"Treatment ordered:", "Modality:", "Technique(s):"}), capFirst(mod)))
	}
	sh.blocks = append(sh.blocks, field(pick(r, []string{"Areas to treat:", "Area(s) to be treated:", "Body areas:"}), w.areasText()))
	dx := w.dxLines()
	label := pick(r, []string{"Diagnosis (ICD-10):", "ICD-10 code(s):", "Diagnoses:"})
	if len(dx) == 0 {
		sh.blocks = append(sh.blocks, field(label, ""))
	}
	for i, d := range dx {
		if i > 0 {
			label = ""
		}
		b := field(label, d)
		if i > 0 {
			b.cells[0].at = 0.08
		}
		sh.blocks = append(sh.blocks, b)
	}
	freq := ""
	if c.freq != nil {
		freq = w.cap(c.freq.text)
	}
	if c.freq != nil && c.freq.perWeek != "" && r.IntN(2) == 0 {
		sh.blocks = append(sh.blocks, pair("Frequency:", w.cap(c.freq.perWeek), "Duration:", w.cap(bareDuration(c.freq.duration))))
	} else if c.freq == nil && r.IntN(2) == 0 {
		sh.blocks = append(sh.blocks, pair("Frequency:", "", "Duration:", ""))
	} else {
		sh.blocks = append(sh.blocks, field(pick(r, []string{"Frequency / duration:", "Frequency & duration:", "Visits:"}), freq))
	}
	sess := ""
	if c.session != nil && !c.sessionIn {
		sess = w.sessionText()
	}
	sh.blocks = append(sh.blocks, field(pick(r, []string{"Session length:", "Minutes/units per visit:", "Length of session:"}), sess))
	switch c.necessity {
	case necPrinted:
		if r.IntN(2) == 0 {
			sh.blocks = append(sh.blocks, block{kind: blockRow, cells: []cell{{at: 0, label: "Medically necessary:", labelRole: roleBold}, {at: 0.3, label: "Yes", box: 2}, {at: 0.45, label: "No", box: 1}}})
		} else {
			sh.blocks = append(sh.blocks, block{kind: blockRow, cells: []cell{{at: 0, label: "This treatment is medically necessary", box: 2}}})
		}
	case necUnchecked:
		sh.blocks = append(sh.blocks, block{kind: blockRow, cells: []cell{{at: 0, label: "Medically necessary:", labelRole: roleBold}, {at: 0.3, label: "Yes", box: 1}, {at: 0.45, label: "No", box: 1}}})
	}
	docName, npi := "", ""
	if !c.noDoctor {
		docName = w.doctorName(true)
	}
	if !c.noNPI {
		npi = c.doctor.npi
	}
	sh.blocks = append(sh.blocks,
		section(pick(r, []string{"PHYSICIAN", "Referring provider", "3. Prescriber"})),
		pair("Physician name:", docName, "NPI:", npi),
		pair("Practice:", c.practice.name, "Fax:", w.phone(c.fax)),
	)
	sig := w.sign("Signature:", false)
	if !c.noDate && r.IntN(2) == 0 {
		sig.sig.date = "Date: " + w.rxDate()
	}
	sh.blocks = append(sh.blocks, sig)
	sh.blocks = append(sh.blocks, block{kind: blockText, role: roleItalic, size: sh.body - 1.5, before: 10, align: alignCenter,
		text: "Thank you for your referral. We will contact the patient to schedule."})
	return []sheet{sh}
}

// bareDuration drops the preposition of "for 6 weeks" or "x 6 wks" for a
// field labelled Duration.
func bareDuration(s string) string {
	for _, p := range []string{"for the next ", "for ", "x "} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.TrimPrefix(s, "x")
}

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// ehr is an order printed from an EHR: a header, labelled lines, a numbered
// list of diagnoses, an electronic signature.
func (w *wording) ehr() []sheet {
	c, r := w.c, w.r
	w.upper = r.IntN(2) == 0
	sh := sheet{body: 10 + r.Float64()*1.5}
	w.margins(&sh, 50, 70)
	sh.blocks = append(sh.blocks,
		block{kind: blockRow, size: 13, cells: []cell{{at: 0, label: c.practice.name, labelRole: roleBold}, {at: 0.68, label: pick(r, []string{"Outpatient Order", "Referral Order", "Ambulatory Referral", "ORDER"}), labelRole: roleBold}}},
		block{kind: blockText, size: sh.body - 1.5, text: w.practiceLines()[0]},
		block{kind: blockRule},
	)
	name, dob := "", ""
	if !c.noPatient {
		name, dob = w.patientName(r.IntN(3) != 0), w.dob()
	}
	mrn := fmt.Sprintf("%08d", hashString(name)%100000000)
	sh.blocks = append(sh.blocks,
		block{kind: blockRow, cells: []cell{{at: 0, label: "Patient:", labelRole: roleBold, value: name}, {at: 0.5, label: "DOB:", labelRole: roleBold, value: dob}, {at: 0.75, label: "MRN:", labelRole: roleBold, value: mrn}}},
	)
	ord := fmt.Sprintf("%d", 40000000+hashString(mrn)%9999999)
	date := ""
	if !c.noDate {
		date = w.rxDate()
	}
	sh.blocks = append(sh.blocks, block{kind: blockRow, cells: []cell{{at: 0, label: "Order #:", labelRole: roleBold, value: ord}, {at: 0.5, label: pick(r, []string{"Order date:", "Ordered:", "Date:"}), labelRole: roleBold, value: date}}})
	prov, npi := "", ""
	if !c.noDoctor {
		prov = w.doctorName(true)
	}
	if !c.noNPI {
		npi = c.doctor.npi
	}
	sh.blocks = append(sh.blocks, block{kind: blockRow, cells: []cell{{at: 0, label: pick(r, []string{"Ordering provider:", "Provider:", "Authorizing:"}), labelRole: roleBold, value: prov}, {at: 0.62, label: "NPI:", labelRole: roleBold, value: npi}}})
	sh.blocks = append(sh.blocks, block{kind: blockRule, before: 4})

	labelled := func(label, value string) block {
		return block{kind: blockText, text: label + " " + value, before: 3}
	}
	mod := w.modalityText()
	if mod == "" && c.nonOrder != "" {
		mod = w.cap(c.nonOrder)
	}
	if mod != "" {
		sh.blocks = append(sh.blocks, labelled(pick(r, []string{"Procedure:", "Order:", "Service:"}), pick(r, []string{"", w.cap("REF ")})+capFirst(mod)))
	}
	if len(c.areas) > 0 {
		var parts []string
		for _, a := range c.areas {
			parts = append(parts, capFirst(a.text))
		}
		sh.blocks = append(sh.blocks, labelled(pick(r, []string{"Body site:", "Site:", "Body site(s):"}), w.cap(strings.Join(parts, "; "))))
	}
	dx := w.dxLines()
	if len(dx) > 0 {
		sh.blocks = append(sh.blocks, block{kind: blockText, text: pick(r, []string{"Diagnoses:", "Diagnosis:", "Associated diagnoses:"}), before: 3})
		for i, d := range dx {
			sh.blocks = append(sh.blocks, block{kind: blockText, text: fmt.Sprintf("%d. %s", i+1, d), indent: 18})
		}
	}
	if f := c.freq; f != nil {
		if f.perWeek != "" && r.IntN(2) == 0 {
			sh.blocks = append(sh.blocks, labelled("Frequency:", w.cap(f.perWeek)), labelled("Duration:", w.cap(bareDuration(f.duration))))
		} else {
			sh.blocks = append(sh.blocks, labelled("Frequency:", w.cap(f.text)))
		}
	}
	if c.session != nil && !c.sessionIn {
		sh.blocks = append(sh.blocks, labelled(pick(r, []string{"Session length:", "Length of visit:", "Treatment time:"}), w.sessionText()))
	}
	sh.blocks = append(sh.blocks, labelled("Priority:", w.cap("Routine")))
	sh.blocks = append(sh.blocks, labelled("Refer to:", w.cap(c.clinic.name)+", Fax "+w.phone(c.clinic.fax)))
	comments := pick(r, []string{"Please send progress notes.", "Patient to call to schedule.", "Home exercise program as appropriate."})
	if c.necessity == necPrinted {
		comments = w.necessityText() + ". " + comments
		comments = strings.ReplaceAll(comments, "..", ".")
	}
	sh.blocks = append(sh.blocks, labelled("Comments:", comments))
	sig := w.sign(pick(r, []string{"", "Signature:"}), true)
	sig.before = 14
	sh.blocks = append(sh.blocks, sig)
	printed := c.received.Add(-time.Duration(1+r.IntN(30)) * time.Minute)
	sh.blocks = append(sh.blocks, block{kind: blockText, size: sh.body - 2, before: 20,
		text: fmt.Sprintf("Printed %s by %s    Page 1 of 1", printed.Format("01/02/2006 15:04"), strings.ToLower(c.staff))})
	return []sheet{sh}
}

// letter is a referral letter in prose on letterhead.
func (w *wording) letter() []sheet {
	c, r := w.c, w.r
	sh := sheet{body: 11 + r.Float64()*1.5}
	w.margins(&sh, 65, 95)
	w.letterhead(&sh, false)
	if !c.noDate {
		d := w.rxDate()
		if r.IntN(2) == 0 {
			d = c.rxDate.Format("January 2, 2006")
		}
		sh.blocks = append(sh.blocks, block{kind: blockText, text: d, before: 10, para: true})
	}
	sh.blocks = append(sh.blocks, block{kind: blockText, text: c.clinic.name, before: 8, para: true})
	if !c.noPatient {
		sh.blocks = append(sh.blocks, block{kind: blockText, role: roleBold, before: 8, para: true, text: pick(r, []string{
			"Re: " + w.patientName(false) + ", DOB " + w.dob(),
			"RE: Referral for " + w.patientName(false) + " (DOB: " + w.dob() + ")",
			"Patient: " + w.patientName(false) + "   Date of birth: " + w.dob()})})
	}
	para := func(s string) {
		if s != "" {
			sh.blocks = append(sh.blocks, block{kind: blockText, text: s, before: 8, para: true})
		}
	}
	para(pick(r, []string{"Dear " + c.clinic.name + " team,", "To whom it may concern:", "Dear Colleague,", "Dear Therapist:"}))
	for _, p := range w.proseParagraphs(false) {
		para(p)
	}
	if !c.noDoctor {
		para(pick(r, []string{"Please do not hesitate to contact my office at " + w.phone(c.phone) + " with any questions.", "Thank you for seeing " + w.her() + ".", "Feel free to call my office with questions."}))
	}
	para(pick(r, []string{"Sincerely,", "Best regards,", "Thank you,", "Respectfully,"}))
	sig := w.sign("", true)
	sig.before = 0
	sh.blocks = append(sh.blocks, sig)
	if !c.noNPI {
		sh.blocks = append(sh.blocks, block{kind: blockText, text: w.npi()})
	}
	return []sheet{sh}
}

// proseParagraphs say the order in sentences: who and what, why, how often,
// whether it is necessary. The prescriber speaks in a letter; staff speak of
// the prescriber in an email (third).
func (w *wording) proseParagraphs(third bool) []string {
	c, r := w.c, w.r
	refers, wants, recommends, considers, opinion, mine := "I am referring ", "I would like ", "I recommend ", "I consider ", "In my opinion", "my patient"
	if third {
		d := w.shortDoctor()
		refers, wants, recommends, considers, opinion, mine = d+" is referring ", d+" would like ", d+" recommends ", d+" considers ", "In "+d+"'s opinion", "our patient"
	}
	who := mine
	if !c.noPatient {
		who = pick(r, []string{mine + " " + w.patientName(false) + " (DOB " + w.dob() + ")", mine + ", " + w.patientName(false) + ", date of birth " + w.dob() + ",", w.patientName(false)})
	}
	mod := w.modalityText()
	if mod == "" {
		mod = "treatment"
	}
	areas := w.areasText()
	var p1 string
	if areas != "" {
		p1 = pick(r, []string{
			refers + who + " for " + mod + " to the " + areas + ".",
			"Please evaluate and treat " + who + " with " + mod + " to the " + areas + ".",
			wants + who + " to receive " + mod + " for " + w.hisHer() + " " + areas + ".",
		})
	} else {
		p1 = pick(r, []string{refers + who + " for " + mod + ".", wants + who + " to receive " + mod + "."})
	}
	p1 = strings.ReplaceAll(p1, ", for", " for")
	p1 = strings.ReplaceAll(p1, ", with", " with")
	p1 = strings.ReplaceAll(p1, ", to receive", " to receive")
	var p2 string
	switch {
	case len(c.dx) > 0:
		var parts []string
		st := w.newDxStyle()
		for _, d := range c.dx {
			if r.IntN(2) == 0 {
				parts = append(parts, strings.ToLower(d.desc[:1])+d.desc[1:]+" ("+d.code+")")
			} else {
				parts = append(parts, w.dxLine(st, d))
			}
		}
		p2 = pick(r, []string{
			capFirst(w.she()) + " has been diagnosed with " + joinAnd(parts) + ".",
			"Diagnoses: " + strings.Join(parts, "; ") + ".",
			"The relevant diagnoses are " + joinAnd(parts) + ".",
		})
	case len(c.dxText) > 0:
		p2 = capFirst(w.she()) + " has been suffering from " + strings.ToLower(joinAnd(c.dxText)) + " for several months."
	}
	var p3 string
	sess := ""
	if c.session != nil && !c.sessionIn {
		sess = c.session.text
	}
	switch {
	case c.freq != nil && sess != "":
		p3 = pick(r, []string{
			"Please treat " + w.her() + " " + c.freq.text + ", " + sess + " per session.",
			recommends + c.freq.text + ", with sessions of " + sess + ".",
			"Treatment should be " + c.freq.text + "; each session " + sess + ".",
		})
	case c.freq != nil && c.sessionIn:
		p3 = pick(r, []string{"Please provide " + c.freq.text + ".", recommends + c.freq.text + "."})
	case c.freq != nil:
		p3 = "Please treat " + w.her() + " " + c.freq.text + "."
	case sess != "":
		p3 = "Please treat " + w.her() + " with sessions of " + sess + "."
	}
	var p4 string
	if c.necessity == necPrinted {
		p4 = pick(r, []string{opinion + " this treatment is medically necessary.", "This therapy is medically necessary for " + w.hisHer() + " recovery.",
			considers + "this treatment medically necessary."})
	}
	if r.IntN(2) == 0 {
		return []string{p1, strings.TrimSpace(p2 + " " + p3), p4}
	}
	return []string{strings.TrimSpace(p1 + " " + p2), strings.TrimSpace(p3 + " " + p4)}
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// email is the body of an email from the office: a list or a paragraph,
// signed off by staff.
func (w *wording) email() []sheet {
	c, r := w.c, w.r
	sh := sheet{body: 11}
	w.margins(&sh, 60, 80)
	add := func(s string, para bool) {
		b := block{kind: blockText, text: s, para: para}
		if para {
			b.before = 8
		}
		sh.blocks = append(sh.blocks, b)
	}
	add(pick(r, []string{"Hi,", "Hello " + c.clinic.name + " team,", "Good morning,", "Good afternoon,", "Hi there,"}), false)
	who := "a patient"
	if !c.noPatient {
		who = "our patient " + w.patientName(false) + ", DOB " + w.dob()
	}
	if r.IntN(2) == 0 {
		add(pick(r, []string{"Please see the order below for " + who + ".", "We are sending over a therapy order for " + who + ".", "Below is the order for " + who + " as discussed."}), true)
		mod := w.modalityText()
		if mod == "" {
			mod = w.cap(c.nonOrder)
		}
		lines := []struct{ label, value string }{
			{pick(r, []string{"Treatment:", "Order:", "Modality:"}), capFirst(mod)},
			{pick(r, []string{"Areas:", "Area(s) to treat:", "Body areas:"}), w.areasText()},
			{"Frequency:", ""},
			{pick(r, []string{"Session length:", "Length:", "Time per visit:"}), ""},
			{pick(r, []string{"Diagnosis:", "Dx:", "ICD-10:"}), strings.Join(w.dxLines(), "; ")},
			{"Date of order:", ""},
		}
		if c.freq != nil {
			lines[2].value = c.freq.text
		}
		if c.session != nil && !c.sessionIn {
			lines[3].value = w.sessionText()
		}
		if !c.noDate {
			lines[5].value = w.rxDate()
		}
		bullet := pick(r, []string{"", "- ", "* ", "• "})
		first := true
		for _, l := range lines {
			if l.value == "" {
				continue
			}
			b := block{kind: blockText, text: bullet + l.label + " " + l.value}
			if first {
				b.para, b.before, first = true, 8, false
			}
			sh.blocks = append(sh.blocks, b)
		}
		if !c.noDoctor {
			line := pick(r, []string{"Ordering physician: ", "Ordered by: ", "Provider: "}) + w.doctorName(true)
			if !c.noNPI {
				line += ", " + w.npi()
			}
			sh.blocks = append(sh.blocks, block{kind: blockText, text: bullet + line})
		}
		if c.necessity == necPrinted {
			add(w.necessityText(), true)
		}
	} else {
		intro := "The order is dated " + w.rxDate() + "."
		if c.noDate {
			intro = ""
		}
		doc := w.doctorName(true)
		if !c.noNPI {
			doc += " (" + w.npi() + ")"
		}
		add(strings.TrimSpace(pick(r, []string{"Please see below the order from " + doc + " for " + who + ".", doc + " is referring " + who + " to your office."})+" "+intro), true)
		for _, p := range w.proseParagraphs(true) {
			if p != "" {
				add(p, true)
			}
		}
	}
	if c.sig == sigElectronic {
		add(w.electronicStatement(), true)
	}
	add(pick(r, []string{"Thank you,", "Thanks!", "Thank you for your help,", "Best,"}), true)
	add(c.staff+", "+pick(r, staffRoles), false)
	add(c.practice.name, false)
	add("Phone "+w.phone(c.phone)+" | Fax "+w.phone(c.fax), false)
	if c.sig == sigTyped && !c.noDoctor {
		add("On behalf of "+w.doctorName(true), false)
	}
	return []sheet{sh}
}

// cover is a fax cover sheet.
func (w *wording) cover(pages int) sheet {
	c, r := w.c, w.r
	sh := sheet{body: 12}
	w.margins(&sh, 60, 80)
	sh.blocks = append(sh.blocks,
		block{kind: blockText, role: roleBold, size: 15, text: c.practice.name},
		block{kind: blockText, size: 10, text: w.practiceLines()[0]},
		block{kind: blockText, role: roleBold, size: 40, before: 16, text: pick(r, []string{"FAX", "Fax", "FACSIMILE", "Fax Cover Sheet"})},
		block{kind: blockRule, before: 6},
	)
	from := c.practice.name
	if !c.noDoctor && r.IntN(2) == 0 {
		from = w.doctorName(true)
	}
	re := pick(r, []string{"Referral", "Prescription", "Orders", "Patient referral"})
	if !c.noPatient && r.IntN(2) == 0 {
		re += " - " + c.patient.first + " " + c.patient.last
	}
	row := func(l1, v1, l2, v2 string) block {
		return block{kind: blockRow, before: 4, cells: []cell{{at: 0, label: l1, labelRole: roleBold, value: v1}, {at: 0.5, label: l2, labelRole: roleBold, value: v2}}}
	}
	sh.blocks = append(sh.blocks,
		row("To:", c.clinic.name, "From:", from),
		row("Fax:", w.phone(c.clinic.fax), "Fax:", w.phone(c.fax)),
		row("Phone:", "", "Phone:", w.phone(c.phone)),
		row("Date:", c.received.Format("01/02/2006"), "Pages:", fmt.Sprintf("%d", pages)+pick(r, []string{"", " (including cover)"})),
		row("Re:", re, "CC:", ""),
		block{kind: blockRow, before: 10, cells: []cell{{at: 0, label: "Urgent", box: 1 + r.IntN(2)}, {at: 0.2, label: "For Review", box: 1}, {at: 0.4, label: "Please Comment", box: 1}, {at: 0.65, label: "Please Reply", box: 1}}},
		block{kind: blockRule, before: 6},
		block{kind: blockText, before: 8, text: "Comments: " + pick(r, []string{
			"Please see attached prescription.", "Referral attached. Please contact the patient to schedule.", "Attached is the order you requested.",
			"Please find the attached order for massage therapy."})},
		block{kind: blockText, role: roleBold, size: 9, before: 60, text: "CONFIDENTIALITY NOTICE"},
		block{kind: blockText, size: 9, text: "The documents accompanying this facsimile transmission contain confidential information, belonging to the sender, that is legally privileged. " +
			"This information is intended only for the use of the individual or entity named above. If you are not the intended recipient, you are hereby notified that any " +
			"disclosure, copying, distribution or the taking of any action in reliance on the contents of this faxed information is strictly prohibited. " +
			"If you have received this fax in error, please notify us by telephone immediately to arrange for the return of the documents."},
	)
	return sh
}
