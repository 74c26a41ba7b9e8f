package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// pacifica: held out. Offices of California, Nevada and Hawaii: independent
// physician associations and large medical groups with HMO referral and
// authorisation forms ("Auth #", "Referring provider", "Servicing
// provider", the member's health plan), telehealth visit summaries printed
// from the EHR (a visit-type line, the order set out as a two-column
// table), integrative and concierge practices, sports medicine and
// orthopaedics, pain management and obstetrics; Spanish-English bilingual
// labels ("Paciente / Patient:", "Fecha / Date:") and dates with Spanish
// month abbreviations ("3-nov-2026", a date of birth "14/ago/1962"); plans
// in spoken wording ("twice a week for the next 4 weeks"), visit totals ("8
// visits over 4 weeks", "up to 12 visits in 6 weeks"), a plan with an open
// tail read for its plan ("weekly x6 then PRN": 6 visits over 6 weeks),
// tapers that "start" and "taper to ... for N more weeks", twice-monthly
// maintenance; session lengths in minute marks and caps ("60' sessions",
// "up to 4 units"); e-signature statements of other EHRs with seconds
// ("Signed by: ... Signed on: ..."), signatures in the right half of the page
// or under the header above the order; Hawaiian names with the okina
// (printed as the left quotation mark, which the fax fonts and WinAnsi
// carry), Samoan, Filipino (multiple given names, "dela Cruz"), Vietnamese,
// Armenian ("Ter-Petrosyan", "Der Bedrossian") and Mexican names with
// accents and two surnames; credentials written their own way (MD FACP
// without a comma, NP-C, FNP-BC, WHNP-BC, DNP, MMS PA-C, DC QME, LAc
// alongside an MD or a DC).
var pacifica = &wordingFamily{
	name: "pacifica", heldOut: true,
	female: []string{"Leilani", "Kamalei", "Ka‘iulani", "Nohea", "Mahina", "Losa", "Sina", "Mele", "Ma. Cristina",
		"Maricel", "Rowena", "Jhoanna", "Analyn", "Thúy", "Ngoc Anh", "Kim Chi", "Tâm", "Lusine", "Anahit", "Siranush", "Karine",
		"María Guadalupe", "Araceli", "Itzel", "Yesenia", "Inés", "Maribel", "Dolores", "Haunani"},
	male: []string{"Kekoa", "Keoni", "Kainoa", "Kapono", "Makana", "Kaleo", "Tavita", "Ioane", "Iosefa", "Sefo", "Rommel", "Arnel",
		"Jericho", "Jose Mari", "Minh", "Quoc Bao", "Hùng", "Khoa", "Vinh", "Armen", "Gevorg", "Hovik", "Vartan", "José Luis",
		"Raúl", "Efraín", "Adrián", "Jesús", "Ulises"},
	last: []string{"Ka‘ahanui", "Kealoha", "Kanaka‘ole", "Ho‘opi‘i", "Kaleikini", "Akana", "Mahoe", "Nakamura-Kealoha",
		"Tuiasosopo", "Fa‘alogo", "Mata‘afa", "Leiataua", "Ah Sam", "Aumua", "dela Cruz", "De Guzman", "Del Rosario",
		"Dimaculangan", "Santos-Villanueva", "Pangilinan", "Agbayani", "Nguyen", "Truong", "Huynh", "Võ-Tran", "Pham-Le",
		"Hakobyan", "Ter-Petrosyan", "Der Bedrossian", "Karapetyan", "Mardirossian", "Sarkisian-Avakian", "García Márquez",
		"Hernández López", "Ramírez-Ochoa", "de la Rosa Núñez", "Villaseñor", "Ibáñez", "Kaneshiro", "Yamashiro"},
	docFirst: []string{"Kimberly", "Alejandro", "Kehau", "Lokelani", "Thanh", "Narine", "Aram", "Rosario", "Emmanuel", "Mei-Ling",
		"Sione", "Gabriela", "Daniel", "Priyanka", "Kenji", "Marisa"},
	docLast: []string{"Kawamoto", "Villaseñor-Cruz", "Ter-Grigoryan", "Nguyen-Tran", "Dela Peña", "Kamaka‘ala", "Fonoimoana",
		"Mirzoyan", "Bautista", "Okimoto", "Castañeda", "Ohanian", "Lualemaga", "Tran-Huynh", "De los Santos", "Nakagawa"},
	suffixes: []string{"Jr.", "II", "III"},
	creds: []weighted[credential]{
		{credential{"MD", []string{"MD", "M.D.", "MD FACP", "MD, FACOG", "MD, LAc"}}, 7},
		{credential{"DO", []string{"DO", "D.O.", "DO, LAc"}}, 3},
		{credential{"NP", []string{"NP-C", "FNP-BC", "DNP, FNP-BC", "DNP", "WHNP-BC"}}, 3},
		{credential{"PA-C", []string{"PA-C", "MMS, PA-C"}}, 2},
		{credential{"DC", []string{"DC", "DC, LAc", "D.C., QME"}}, 2},
		{credential{"", []string{""}}, 1},
	},
	practices: []practice{
		{name: "Golden Valley IPA - Specialty Referrals", csid: "GOLDEN VALLEY IPA", street: "7055 N Fresno St, Ste 300", city: "Fresno", state: "CA", zip: "93720", area: "559", domain: "goldenvalleyipa.example"},
		{name: "South Bay Medical Group", csid: "SOUTH BAY MED GRP", street: "23560 Madison St, Ste 110", city: "Torrance", state: "CA", zip: "90505", area: "310", domain: "southbaymg.example"},
		{name: "Glendale Physicians Medical Group", csid: "GLENDALE PHYS MG", street: "1505 Wilson Terrace, Ste 270", city: "Glendale", state: "CA", zip: "91206", area: "818", domain: "glendalepmg.example"},
		{name: "Little Saigon Family Medical Group", csid: "LITTLE SAIGON FMG", street: "9200 Bolsa Ave, Ste 117", city: "Westminster", state: "CA", zip: "92683", area: "714", domain: "lsfmg.example"},
		{name: "Clínica Familiar del Valle", csid: "CLINICA DEL VALLE", street: "559 E Alisal St", city: "Salinas", state: "CA", zip: "93905", area: "831", domain: "clinicadelvalle.example"},
		{name: "Peninsula Integrative & Concierge Medicine", csid: "PENINSULA CONCIERGE", street: "800 Welch Rd, Ste 204", city: "Palo Alto", state: "CA", zip: "94304", area: "650", domain: "peninsulaconcierge.example"},
		{name: "Inland Empire Orthopaedics & Sports Medicine", csid: "IE ORTHO SPORTS", street: "3975 Jackson St, Ste 201", city: "Riverside", state: "CA", zip: "92503", area: "951", domain: "ieorthosports.example"},
		{name: "Sierra Nevada Pain Institute", csid: "SIERRA NV PAIN", street: "645 Sierra Rose Dr, Ste 101", city: "Reno", state: "NV", zip: "89511", area: "775", domain: "snpain.example"},
		{name: "Desert Springs Women's Health & Obstetrics", csid: "DESERT SPRINGS OB", street: "2020 Goldring Ave, Ste 401", city: "Las Vegas", state: "NV", zip: "89106", area: "702", domain: "desertspringsob.example"},
		{name: "Ko‘olau Family Medicine", csid: "KOOLAU FAMILY MED", street: "46-001 Kamehameha Hwy, Ste 210", city: "Kaneohe", state: "HI", zip: "96744", area: "808", domain: "koolaufm.example"},
		{name: "Leeward Orthopaedics & Sports Medicine", csid: "LEEWARD ORTHO", street: "94-1040 Waipio Uka St", city: "Waipahu", state: "HI", zip: "96797", area: "808", domain: "leewardortho.example"},
		{name: "Pacific Telehealth Partners", csid: "PAC TELEHEALTH", street: "2377 Gold Meadow Way, Ste 100", city: "Gold River", state: "CA", zip: "95670", area: "916", domain: "pactelehealth.example"},
	},
	staff:      []string{"Jazmin", "Leilani", "Kapono", "Analyn", "Thao", "Nune", "Rochelle", "Marisol", "Kehaulani"},
	staffRoles: []string{"Referral & Auth Coordinator", "UM Coordinator", "MA II", "Telehealth Support", "Patient Navigator / Navegadora", "Concierge Care Coordinator"},
	dateFmts:   []string{"Monday, 01/02/2006", "2-" + monthEs + "-2006", monthCaps + " 2, 2006", "02/" + monthEs + "/2006", "1/2/2006", "01/02/2006"},
	dobFmts:    []string{"01/02/2006", "02/" + monthEs + "/2006", "1/2/2006"},
	handFmts:   []string{"1/2/06", "2-" + monthEs + "-06", "1/2/2006"},
	mod97140: []string{"myofascial release", "soft tissue mobilization", "manual therapy", "trigger point therapy",
		"myofascial release / trigger point work", "instrument-assisted soft tissue mobilization (IASTM)", "neuromuscular therapy",
		"manual lymphatic drainage"},
	mod97124:  []string{"massage", "therapeutic massage", "prenatal massage", "lomilomi massage", "deep tissue massage"},
	codeForms: []string{" (CPT® %s)", " / CPT %s", " [%s]"},
	nonOrders: []string{"Evaluate and treat - servicing provider to determine plan", "Eval & treat per MT", "Consult and treat"},
	freq:      pacificaFreq,
	open: []string{"PRN", "weekly then PRN", "as needed for flares", "2x a week until pain-free", "ongoing maintenance, twice a month",
		"per servicing provider, no end date"},
	freqSession: pacificaFreqSession,
	sessions: []sessionOpt{
		{60, 10, []string{"60'", "60' sessions", "60 minutes each", "1 hr visit", "one 60-minute session", "%d units (1 hour)"}},
		{45, 5, []string{"45'", "45 minutes each", "%d units (45 min)"}},
		{30, 3, []string{"30'", "30 minutes (%d units)"}},
		{90, 2, []string{"90' (%d units)", "1.5 hour visit"}},
		{75, 1, []string{"75 minutes"}},
		{0, 4, []string{"up to %d units", "%d units max", "%d units per date of service"}},
	},
	necessity: []string{"Medically necessary - Sí / Yes", "Services are medically necessary per plan criteria.",
		"Medically necessary to restore function and reduce reliance on pain medication.",
		"This referral is medically necessary (see visit note)."},
	lPatient:  []string{"Paciente / Patient:", "Member name:", "Patient name / Nombre:"},
	lDOB:      []string{"Fecha de nac. / DOB:", "Member DOB:", "DOB / F. nac.:"},
	lDate:     []string{"Fecha / Date:", "Referral date:", "Date of request:", "Visit date:"},
	lDoctor:   []string{"Referring provider:", "Requesting provider:", "Médico / Physician:"},
	lNPI:      []string{"Referring NPI:", "NPI (indiv.):", "Provider NPI -"},
	lModality: []string{"Services requested:", "Servicio / Service:", "Requested service:", "Tratamiento / Treatment:"},
	lAreas:    []string{"Área / Area:", "Region(s) to treat:", "Body area(s):"},
	lDx:       []string{"ICD-10 code(s):", "Diagnóstico / Diagnosis:", "Problem(s) addressed:"},
	lFreq:     []string{"# visits / frequency:", "Frecuencia / Frequency:", "Visits requested:"},
	lDur:      []string{"Auth period:", "Duración / Duration:"},
	lSession:  []string{"Per visit:", "Tiempo / Time:", "Length of each visit:"},
	lSigDate:  []string{"Fecha / Date:", "Date of signature:"},
	rxMarks:   []string{"Rx", "Orden / Order", "Referral"},
	formTitles: []string{"HMO REFERRAL / AUTHORIZATION REQUEST - MASSAGE THERAPY", "Specialty Referral & Prior Authorization Form",
		"SOLICITUD DE REFERIDO / REFERRAL REQUEST", "Ancillary Services Authorization: Medical Massage", "Sports Medicine Therapy Referral"},
	ehrTitles: []string{"Telehealth Visit Summary - Orders", "After Visit Summary: Referral Placed", "Referral (Outgoing) - Massage Therapy",
		"Virtual Visit | Orders & Referrals"},
	statements: []string{
		"Signed by: %[1]s   Signed on: %[2]s %[3]s",
		"This document has been electronically signed by %[1]s on %[2]s at %[3]s.",
		"Firmado electrónicamente / Electronically signed: %[1]s, %[2]s %[3]s",
		"Note finalized and signed by %[1]s | %[2]s %[3]s",
		"%[1]s has e-signed this referral (%[2]s, %[3]s).",
	},
	statementsNoDate: []string{"Signed by: %[1]s", "Firmado electrónicamente / Electronically signed: %[1]s", "Note finalized and signed by %[1]s",
		"%[1]s has e-signed this referral."},
	timeFmt:   "15:04:05",
	greetings: []string{"Aloha %s team,", "Estimado(a) colega / Dear colleague,", "Dear Servicing Provider:"},
	closings:  []string{"Mahalo,", "Warm regards,", "In good health,", "Atentamente / Sincerely,"},
	mailOpen:  []string{"Aloha,", "Hi %s,", "Hola / Hello,", "Good morning from our referral department,"},
	mailClose: []string{"Mahalo!", "Gracias / Thank you,", "Please reach out with any questions,"},
	refLines: []string{"Paciente / Patient: %[1]s - F. nac. / DOB: %[2]s", "Member: %[1]s | DOB: %[2]s",
		"Referral for %[1]s, date of birth %[2]s"},
	thanks: []string{"Please send visit notes to our UM department before requesting an extension.",
		"Our referral coordinator will send the health plan's authorization once it is issued."},
	ehrStyle:    3,
	upperChance: 0.2,

	dxForms: []string{"%[1]s — %[2]s", "%[2]s [%[1]s]", "ICD-10 %[1]s: %[2]s"},
	letterheads: [][]string{
		{"%[1]s · %[2]s, %[3]s %[4]s", "Tel %[5]s · Fax %[6]s"},
		{"%[1]s", "%[2]s, %[3]s %[4]s", "Main %[5]s | Referrals fax %[6]s"},
	},
	formReturn: []string{"Fax completed referral to the servicing provider, %[1]s: %[2]s", "Enviar por fax / Fax to: %[1]s %[2]s"},
	lPractice:  []string{"Referring office:", "Medical group / IPA:"},
	lPhone:     []string{"Office ph:", "Teléfono / Phone:"},
	lSign:      []string{"Firma / Signature:", "Referring provider signature:", "Provider signature (required for auth):"},
	lMRN:       []string{"Auth #:", "Member ID:", "Referral #:"},
	lComments:  []string{"Notes to servicing provider:", "Comentarios / Comments:"},
	lReferTo:   []string{"Servicing provider:", "Refer to (servicing):"},
	mailLead:   []string{"Please find the referral from %s below.", "%s placed the referral below at a recent visit.", "Referral below, ordered by %s."},
	mailToday:  []string{"%s placed this referral at today's telehealth visit.", "%s signed the referral below today.", "Today's referral from %s:"},
	subjects:   []string{"Referral / Referido - massage therapy", "HMO referral - medical massage", "Telehealth visit: referral placed", "Auth request - massage"},
	prose:      pacificaProse,

	sigPlaces:  []int{sigPlaceEnd, sigPlaceEnd, sigPlaceRight, sigPlaceTop},
	formHeader: pacificaFormHeader,
	ehrNotes: []string{"Visit type: Video visit (telehealth)", "Encounter type: Telephone visit", "Visit type: Telehealth (audio and video)",
		"Place of service: telehealth, patient at home", "Visit: e-visit via patient portal"},
}

// pacificaRate words n visits a week: clinic shorthand, or the spoken
// phrase of prose.
func pacificaRate(r *rand.Rand, n int, prose bool) string {
	if prose {
		return pick(r, map[int][]string{
			1: {"once a week", "one visit per week"},
			2: {"twice a week", "two visits per week"},
			3: {"three times a week", "three visits per week"},
		}[n])
	}
	return pick(r, map[int][]string{
		1: {"once a week", "1x a week", "1 visit/week"},
		2: {"twice a week", "2x a week", "2 visits/week", "2 times weekly"},
		3: {"three times a week", "3x a week", "3 visits/week", "3 times weekly"},
	}[n])
}

// pacificaFreq draws a plan in pacifica's words: a rate over the next
// weeks, visit totals (some capped: "up to"), a plan with an open tail
// (read for its plan), twice-monthly or monthly care (a month is four
// weeks), every fourteen days, tapers that start and taper, ranges
// (counted at the upper bound), or (an empty text) a plan that gives the
// session length too.
func pacificaFreq(r *rand.Rand, prose bool) *freqSpec {
	n := pick(r, []int{1, 2, 2, 2, 3})
	w := pick(r, []int{3, 4, 4, 6, 6, 8, 10, 12})
	switch k := r.IntN(20); {
	case k < 6: // a rate and a duration
		rate := pacificaRate(r, n, prose)
		dur := pick(r, []string{fmt.Sprintf("for the next %d weeks", w), fmt.Sprintf("over %d weeks", w), fmt.Sprintf("over the next %d weeks", w),
			fmt.Sprintf("for %d wks", w)})
		if prose {
			dur = pick(r, []string{fmt.Sprintf("for the next %d weeks", w), fmt.Sprintf("over the next %s weeks", word(w))})
		}
		return plan(n, w, rate, dur, rate+" "+dur)
	case k < 9: // visits in all, some a cap
		v := n * w
		t := pick(r, []string{fmt.Sprintf("%d visits over %d weeks", v, w), fmt.Sprintf("%d sessions across %d weeks", v, w),
			fmt.Sprintf("%d visits authorized for a %d-week period", v, w), fmt.Sprintf("up to %d visits in %d weeks", v, w)})
		if prose {
			t = pick(r, []string{fmt.Sprintf("%d visits over %d weeks", v, w), fmt.Sprintf("up to %d visits in the next %d weeks", v, w)})
		}
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}
	case k < 12: // a plan, then as needed: the plan is what is ordered
		w := pick(r, []int{3, 4, 6, 6, 8})
		var t string
		switch {
		case n == 1 && !prose:
			// "x6" after "weekly" reads the same as six weeks or six visits.
			t = pick(r, []string{fmt.Sprintf("weekly x%d then PRN", w), fmt.Sprintf("weekly x%d, then PRN", w)})
		case prose:
			t = fmt.Sprintf("%s for %d weeks, then as needed", pacificaRate(r, n, true), w)
		default:
			t = pick(r, []string{fmt.Sprintf("%s x%d wks, then PRN", pacificaRate(r, n, false), w),
				fmt.Sprintf("%s for %d weeks, then as needed", pacificaRate(r, n, false), w)})
		}
		return &freqSpec{text: t, visits: n * w, weeks: w, plan: true}
	case k < 14: // months of four weeks
		m := pick(r, []int{2, 3})
		if r.IntN(2) == 0 {
			t := pick(r, []string{fmt.Sprintf("twice a month for %d months", m), fmt.Sprintf("2x a month x %d months", m)})
			if prose {
				t = fmt.Sprintf("twice a month for %s months", word(m))
			}
			return &freqSpec{text: t, visits: 2 * m, weeks: 4 * m, plan: true}
		}
		rate := pacificaRate(r, n, prose)
		return plan(n, 4*m, rate, fmt.Sprintf("for %d months", m), fmt.Sprintf("%s for %d months", rate, m))
	case k < 15: // every fourteen days
		w := pick(r, []int{8, 12})
		t := pick(r, []string{fmt.Sprintf("every 14 days for %d weeks", w), fmt.Sprintf("once every 14 days over %d weeks", w)})
		return &freqSpec{text: t, visits: w / 2, weeks: w, plan: true}
	case k < 17: // steps down
		return pacificaTaper(r, prose)
	case k < 18: // the plan gives the session length: pacificaFreqSession
		return &freqSpec{}
	default: // ranges count at the upper bound
		ranges := []struct {
			text          string
			visits, weeks int
		}{{"1-2 visits a week for up to 6 weeks", 12, 6}, {"2 to 3 times a week for the next 4 weeks", 12, 4},
			{"1-2x a week x 4-6 wks", 12, 6}, {"6-8 visits over 4 weeks", 8, 4}, {"2-3x a week for 3-4 weeks", 12, 4}}
		if prose {
			ranges = ranges[:2]
		}
		g := pick(r, ranges)
		return &freqSpec{text: g.text, visits: g.visits, weeks: g.weeks, plan: true, isRange: true}
	}
}

// pacificaTaper is a plan that starts at one rate and tapers: "start 3x a
// week for 2 weeks, taper to 2x a week for 4 more weeks"; its phases'
// visits and weeks add up.
func pacificaTaper(r *rand.Rand, prose bool) *freqSpec {
	phases := pick(r, [][][2]int{{{3, 2}, {2, 4}}, {{2, 4}, {1, 4}}, {{2, 3}, {1, 3}}, {{3, 1}, {2, 2}, {1, 3}}, {{2, 2}, {1, 4}}})
	f := &freqSpec{plan: true}
	var parts []string
	for i, p := range phases {
		f.visits += p[0] * p[1]
		f.weeks += p[1]
		rate := pacificaRate(r, p[0], prose)
		switch {
		case i == 0:
			parts = append(parts, fmt.Sprintf("start %s for %d %s", rate, p[1], weeksWord(p[1])))
		case i == len(phases)-1 && len(phases) > 2:
			parts = append(parts, fmt.Sprintf("then %s for %d more %s", rate, p[1], weeksWord(p[1])))
		default:
			parts = append(parts, fmt.Sprintf("taper to %s for %d more %s", rate, p[1], weeksWord(p[1])))
		}
	}
	f.text = strings.Join(parts, ", ")
	return f
}

// pacificaFreqSession words a plan that gives the session length too; the
// length is a phrase that also reads alone ("60'", "up to 4 units"), as
// when the plan is struck off an order and the length stays.
func pacificaFreqSession(r *rand.Rand) (*freqSpec, *sessionSpec) {
	n := pick(r, []int{1, 2, 2, 3})
	w := pick(r, []int{4, 6, 8})
	v := n * w
	switch r.IntN(3) {
	case 0: // 8 x 60' visits over 4 weeks
		l := pick(r, []struct {
			text    string
			minutes int
		}{{"60'", 60}, {"45'", 45}, {"90'", 90}})
		t := fmt.Sprintf("%d x %s visits over %d weeks", v, l.text, w)
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}, &sessionSpec{text: l.text, minutes: l.minutes, units: Units(l.minutes)}
	case 1: // 12 visits over 6 weeks (up to 4 units each)
		u := pick(r, []int{2, 3, 4, 4})
		s := fmt.Sprintf("up to %d units", u)
		t := fmt.Sprintf("%d visits over %d weeks (%s each)", v, w, s)
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}, &sessionSpec{text: s, units: u}
	default: // twice a week for the next 6 weeks, 45 minutes each
		l := pick(r, []struct {
			text    string
			minutes int
		}{{"60 minutes", 60}, {"45 minutes", 45}, {"30 minutes", 30}})
		t := fmt.Sprintf("%s for the next %d weeks, %s each", pacificaRate(r, n, true), w, l.text)
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}, &sessionSpec{text: l.text, minutes: l.minutes, units: Units(l.minutes)}
	}
}

// pacificaHealthPlans are the members' health plans an HMO referral form
// names (fictitious).
var pacificaHealthPlans = []string{"Golden Coast Health Plan HMO", "Sierra Silver Medicare Advantage", "Island Care Health Plan (HMO)",
	"Valle Medi-Cal Managed Care", "Pacific Shield Commercial HMO"}

// pacificaFormHeader is the authorisation block of pacifica's referral
// forms: the health plan, the authorisation number (left for the plan, or
// pending) and the servicing provider the member is referred to.
func pacificaFormHeader(w *wording) []block {
	c, r := w.c, w.r
	auth := pick(r, []string{"", "Pending", fmt.Sprintf("A%08d", r.IntN(100000000))})
	row := func(cells ...cell) block { return block{kind: blockRow, cells: cells} }
	return []block{
		row(cell{at: 0, label: pick(r, []string{"Health plan:", "Plan / Seguro:"}), labelRole: roleBold, value: pick(r, pacificaHealthPlans), line: true},
			cell{at: 0.62, label: "Auth #:", labelRole: roleBold, value: auth, line: true}),
		row(cell{at: 0, label: pick(r, []string{"Servicing provider:", "Refer to (servicing):"}), labelRole: roleBold, value: c.clinic.name, line: true}),
		{kind: blockRule, before: 2},
	}
}

// pacificaProse says the order in pacifica's sentences: a referral from the
// provider after an office or telehealth visit (third false), or the
// referral office writing for the provider.
func pacificaProse(w *wording, third bool, who, mod, areas string) []string {
	c, r := w.c, w.r
	doc := "the referring provider"
	if !c.noDoctor {
		doc = c.doctor.first + " " + c.doctor.last
		if c.doctor.cred == "MD" || c.doctor.cred == "DO" {
			doc = "Dr. " + c.doctor.last
		}
	}
	// An order that names no modality says what it asks in a sentence of its
	// own, after the areas.
	ask := ""
	if len(c.modalities) == 0 && c.nonOrder != "" {
		if areas != "" {
			ask = " Area(s): " + areas + "."
		}
		ask += " " + capFirst(w.cap(c.nonOrder)) + "."
		mod = ""
	}
	var p1 string
	switch {
	case third && mod == "":
		p1 = pick(r, []string{fmt.Sprintf("%s saw %s at a recent telehealth visit and is referring the patient to you.", capFirst(doc), who),
			fmt.Sprintf("Our office is sending %s to you on behalf of %s.", who, doc)}) + ask
	case third && areas != "":
		p1 = pick(r, []string{
			fmt.Sprintf("%s is referring %s for %s. Area(s) to treat: %s.", capFirst(doc), who, mod, areas),
			fmt.Sprintf("On behalf of %s, we are requesting %s for %s, focused on the %s.", doc, mod, who, areas)})
	case third:
		p1 = pick(r, []string{fmt.Sprintf("%s is referring %s for %s.", capFirst(doc), who, mod),
			fmt.Sprintf("On behalf of %s, we are requesting %s for %s.", doc, mod, who)})
	case mod == "":
		p1 = fmt.Sprintf("I saw %s in clinic and am referring the patient to your practice.", who) + ask
	case areas != "":
		p1 = pick(r, []string{
			fmt.Sprintf("I saw %s at a recent visit and recommend %s to the %s.", who, mod, areas),
			fmt.Sprintf("I am requesting authorization for %s for my patient, %s. Area(s) to treat: %s.", mod, who, areas),
			fmt.Sprintf("%s would benefit from %s directed at the %s.", capFirst(who), mod, areas)})
	default:
		p1 = pick(r, []string{fmt.Sprintf("I am requesting authorization for %s for my patient, %s.", mod, who),
			fmt.Sprintf("%s would benefit from %s.", capFirst(who), mod)})
	}
	var p2 string
	if dx := w.fDx(); len(dx) > 0 {
		p2 = pick(r, []string{"Diagnoses: ", "Problems addressed at the visit: ", "ICD-10: "}) + strings.Join(dx, "; ") + "."
	}
	sess := ""
	if c.session != nil && !c.sessionIn {
		sess = c.session.text
	}
	var p3 string
	switch {
	case c.freq != nil && sess != "":
		p3 = pick(r, []string{
			fmt.Sprintf("Requested: %s; visit length %s.", c.freq.text, sess),
			fmt.Sprintf("Please schedule %s. Each visit: %s.", c.freq.text, sess)})
	case c.freq != nil:
		p3 = "Requested: " + c.freq.text + "."
	case sess != "":
		p3 = "Visit length: " + sess + "."
	}
	var p4 string
	if c.necessity == necPrinted {
		p4 = w.fNecessity()
	}
	if r.IntN(2) == 0 {
		return []string{p1, strings.TrimSpace(p2 + " " + p3), p4}
	}
	return []string{p1, p2, p3, p4}
}
