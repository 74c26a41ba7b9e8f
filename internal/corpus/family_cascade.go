package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// cascade: written independently as a held-out family; an own family since
// pacifica took its place. Referral desks of the Mid-Atlantic and the Ohio Valley
// (New Jersey, New York City, Pennsylvania, Delaware, Maryland, Connecticut,
// Ohio): orthopaedic and sports-medicine groups, physiatry and interventional
// pain practices, auto-injury (PIP and no-fault) centers, workers'
// compensation groups, hospital outpatient rehabilitation order sets and
// chiropractic co-management letters. Order-set wording ("Order:",
// "Freq/Dur:", "Episode of care:", "Injured person:", "Treating doctor:"),
// plans in clinic shorthand with slashes and Latin abbreviations with stops
// ("2/wk x 4 wk", "b.i.w. x 6 wks", "2 times/week"), authorised visit counts
// ("12 visits authorized over 6 weeks"), tapers with numbered weeks
// ("2x/wk (wks 1-3), 1x/wk (wks 4-6)") or arrows ("3/wk x 2 wk -> 2/wk x 4
// wk"), session lengths in decimal hours and per-visit minutes ("1.0 hr",
// "0.5 hr", "45 min/visit"); dates with a zero-padded day ("Nov 03, 2026",
// "NOV 03 2026"), a weekday in brackets ("11/3/2026 (Tue)") or an ordinal
// without a comma ("November 3rd 2026"); e-signatures "authenticated" or
// "digitally signed" with a 24-hour time ("1504 hrs"); Italian-American,
// Puerto Rican and Dominican, Gujarati, Haitian, Orthodox Jewish, Polish and
// Slovak, Hungarian, Albanian, Nigerian and Coptic names; credentials with
// fellowships and board certificates (FAAOS, FAAPMR, CAQSM), Pennsylvania's
// CRNP and chiropractic diplomates (DACRB, CCSP).
var cascade = &wordingFamily{
	name: "cascade", heldOut: false,
	female: []string{"Carmela", "Annunziata", "Gianna", "Concetta", "Yaritza", "Nilda", "Marisol", "Yomaira", "Hetal", "Falguni",
		"Bhavna", "Marie-Carmelle", "Guerline", "Nadege", "Chaya", "Rivka", "Miriam", "Jadwiga", "Bozena", "Zsuzsanna", "Drita",
		"Valbona", "Chiamaka", "Oluwaseun", "Mariam", "Tammy Lynn", "Donna Marie", "Dolores"},
	male: []string{"Salvatore", "Vincenzo", "Carmine", "Anthony", "Wilfredo", "Yadiel", "Hector", "Bhavesh", "Jignesh", "Nilesh",
		"Fritznel", "Jean-Robert", "Wesner", "Moshe", "Yehuda", "Shmuel", "Krzysztof", "Stanislaw", "Miroslav", "Laszlo", "Arben",
		"Gjergj", "Chukwuemeka", "Babatunde", "Mina", "Joe Paul", "Frankie"},
	last: []string{"DiStefano", "LoBianco", "Scarpelli", "Dell'Aquila", "Iannuzzi-Russo", "Cusumano", "Rodriguez-Colon", "Santiago",
		"De Jesus", "Almonte", "Vargas-Pena", "Patel", "Trivedi", "Desai", "Shah-Mehta", "Pierre-Louis", "Dorvilier", "Saint-Fleur",
		"Jean-Charles", "Rosenzweig", "Grossman-Katz", "Feldstein", "Kowalski", "Hrabovsky", "Zelinka", "Szabo", "Nagy-Toth", "Gjonaj",
		"Berisha", "Okonkwo", "Adeyemi-Cole", "Girgis", "Boutros", "McGillicuddy", "O'Halloran", "Van Dusen", "St. Germain"},
	docFirst: []string{"Anthony", "Rosanna", "Nirav", "Pooja", "Mendel", "Esther", "Guerda", "Ramon", "Ewa", "Tibor", "Ifeoma",
		"Mark", "Nicole", "Dominic", "Shira", "Krupa", "Fadi", "Agnieszka"},
	docLast: []string{"Castellano", "Impellizzeri", "Mehta", "Parikh-Shah", "Friedlander", "Weinstock", "Jean-Louis", "Figueroa",
		"Wojcik", "Kovacs", "Nwachukwu", "Abdelmalek", "Di Giacomo", "LaSpina", "Bhatt", "O'Donoghue", "Van Wagenen", "Rubinstein-Levy"},
	suffixes: []string{"Jr", "Sr", "III", "II"},
	creds: []weighted[credential]{
		{credential{"MD", []string{"MD", "M.D.", "MD, FAAOS", "MD, CAQSM", "MD, FAAPMR"}}, 7},
		{credential{"DO", []string{"DO", "D.O.", "DO, FAAPMR", "DO, FAOAO"}}, 3},
		{credential{"NP", []string{"CRNP", "DNP, CRNP", "AGPCNP-BC", "FNP-BC"}}, 3},
		{credential{"PA-C", []string{"PA-C", "MPAS, PA-C"}}, 2},
		{credential{"DC", []string{"DC", "D.C., DACRB", "DC, CCSP"}}, 2},
		{credential{"", []string{""}}, 1},
	},
	practices: []practice{
		{name: "Garden State Orthopaedic & Sports Medicine", csid: "GARDEN ST ORTHO", street: "20 Prospect Ave, Ste 901", city: "Hackensack", state: "NJ", zip: "07601", area: "201", domain: "gsortho.example"},
		{name: "Route 9 Auto Injury & Pain Center", csid: "RT9 AUTO INJURY", street: "4400 US Highway 9, Ste 1200", city: "Freehold", state: "NJ", zip: "07728", area: "732", domain: "rt9autoinjury.example"},
		{name: "Eastchester No-Fault Medical, P.C.", csid: "EASTCHESTER NF PC", street: "1180 Morris Park Ave", city: "Bronx", state: "NY", zip: "10461", area: "718", domain: "eastchesternf.example"},
		{name: "Lehigh Valley Physiatry & Spine", csid: "LEHIGH PHYSIATRY", street: "1250 S Cedar Crest Blvd, Ste 110", city: "Allentown", state: "PA", zip: "18103", area: "610", domain: "lvphysiatry.example"},
		{name: "Three Rivers Hospital - Outpatient Rehabilitation Services", csid: "3 RIVERS OP REHAB", street: "320 E North Ave", city: "Pittsburgh", state: "PA", zip: "15212", area: "412", domain: "threeriversrehab.example"},
		{name: "Buckeye Occupational & Workers' Comp Medicine", csid: "BUCKEYE OCC WC", street: "1100 Kinnear Rd, Ste 200", city: "Columbus", state: "OH", zip: "43212", area: "614", domain: "buckeyeoccmed.example"},
		{name: "Cuyahoga Interventional Pain Management", csid: "CUYAHOGA PAIN MGMT", street: "6770 Mayfield Rd, Ste 410", city: "Mayfield Heights", state: "OH", zip: "44124", area: "440", domain: "cuyahogapain.example"},
		{name: "Queen City Orthopaedic Associates", csid: "QUEEN CITY ORTHO", street: "2123 Auburn Ave, Ste 235", city: "Cincinnati", state: "OH", zip: "45219", area: "513", domain: "qcortho.example"},
		{name: "Chesapeake Sports Medicine & Orthopaedics", csid: "CHESAPEAKE SPORTS", street: "7505 Osler Dr, Ste 302", city: "Towson", state: "MD", zip: "21204", area: "410", domain: "chesapeakesportsmed.example"},
		{name: "Brandywine Chiropractic & Rehabilitation", csid: "BRANDYWINE CHIRO", street: "1601 Concord Pike, Ste 38", city: "Wilmington", state: "DE", zip: "19803", area: "302", domain: "brandywinechiro.example"},
		{name: "Naugatuck Valley Hospital Outpatient Rehab", csid: "NAUGATUCK OP REHAB", street: "64 Robbins St", city: "Waterbury", state: "CT", zip: "06708", area: "203", domain: "nvhrehab.example"},
	},
	staff:      []string{"Dana", "Jessenia", "Nicole", "Krista", "Yesenia", "Dawn", "Jackie", "Ro", "Marybeth"},
	staffRoles: []string{"No-Fault Coordinator", "Ortho MA", "Rehab Scheduling", "Prior Auth Specialist", "WC Case Manager", "Front Desk"},
	dateFmts:   []string{"Jan 02, 2006", monthCaps + " 02 2006", "1/2/2006 (Mon)", "January 2" + ordinalMark + " 2006", "01/02/2006", "Mon Jan 2 2006"},
	dobFmts:    []string{"01/02/2006", monthCaps + " 02 2006", "1/2/2006"},
	handFmts:   []string{"1/2/06", "01/02/06", "1-2-06"},
	mod97140: []string{"manual therapy techniques", "MFR/STM", "soft tissue mobilization / myofascial release", "myofascial trigger point therapy",
		"neuromuscular therapy", "manual therapy (soft tissue mobilization)", "trigger point release", "manual traction",
		"manual lymphatic drainage"},
	mod97124:  []string{"massage", "therapeutic massage", "deep tissue massage", "Swedish massage", "massage therapy (LMT)"},
	codeForms: []string{" - CPT: %s", " (%s)", ", code %s"},
	nonOrders: []string{"Evaluate and treat per LMT", "Eval & Tx as indicated", "LMT eval/treat - POC to follow"},
	freq:      cascadeFreq,
	open: []string{"p.r.n.", "2x/wk, ongoing", "as tolerated, open-ended", "2x/wk until MMI", "1x/wk maintenance, no end date",
		"continue per LMT"},
	freqSession: cascadeFreqSession,
	sessions: []sessionOpt{
		{60, 10, []string{"60 min/visit", "1.0 hr", "one (1) hour", "%d units (60 min)", "60-minute session"}},
		{45, 5, []string{"45 min/visit", "45 minutes", "%d units = 45 min"}},
		{30, 3, []string{"0.5 hr", "30 min/visit", "%d units (30 minutes)"}},
		{90, 2, []string{"1.5 hrs", "90 min/visit"}},
		{50, 1, []string{"50 min"}},
		{0, 4, []string{"%d units/visit", "%d units (15 min each)", "%d x 15-min units", "units per visit: %d"}},
	},
	necessity: []string{"I certify that these services are medically necessary.", "Medically necessary - to restore function and return to work.",
		"Treatment is reasonable and medically necessary.", "Medically necessary: YES"},
	lPatient:  []string{"Injured person:", "Patient/Claimant:", "Name of patient:", "Insured/Patient:"},
	lDOB:      []string{"Birthdate:", "Patient DOB:", "D/O/B:"},
	lDate:     []string{"Order date:", "Date of Rx:", "Date ordered:"},
	lDoctor:   []string{"Ordering physician:", "Treating doctor:", "Ordering provider:", "Attending physician:"},
	lNPI:      []string{"NPI:", "Ordering NPI:", "Physician NPI No:"},
	lModality: []string{"Order:", "Therapy ordered:", "Treatment requested:", "Modality:"},
	lAreas:    []string{"Body region(s):", "Treatment area(s):", "Anatomical site(s):", "Area(s) of injury:"},
	lDx:       []string{"Dx (ICD-10):", "Diagnosis / ICD-10 code(s):", "Primary & secondary dx:", "Assessment:"},
	lFreq:     []string{"Frequency:", "Freq/Dur:", "Schedule:"},
	lDur:      []string{"Duration:", "Episode of care:"},
	lSession:  []string{"Session length:", "Tx time/visit:", "Time:"},
	lSigDate:  []string{"Date/Time:", "Sig. date:"},
	rxMarks:   []string{"Rx", "ORDER", "Rx/Order"},
	formTitles: []string{"AUTO INJURY (PIP / NO-FAULT) THERAPY PRESCRIPTION", "Workers' Comp Treatment Order - Massage Therapy",
		"OUTPATIENT REHABILITATION ORDER SET: MASSAGE THERAPY", "Orthopaedic & Sports Medicine - Therapy Prescription",
		"Chiropractic Co-Management Referral"},
	ehrTitles: []string{"Ambulatory Referral to Massage Therapy", "OP REHAB ORDER - MASSAGE THERAPY", "Order Details: Massage Therapy Referral"},
	statements: []string{
		"Authenticated by %[1]s on %[2]s %[3]s",
		"%[1]s - e-signature applied, signed %[2]s %[3]s",
		"Order electronically signed (attestation on file): %[1]s, %[2]s %[3]s",
		"Digitally signed by %[1]s / Date: %[2]s %[3]s",
		"[E-SIGNED] %[1]s %[2]s @ %[3]s",
	},
	statementsNoDate: []string{"Authenticated by %[1]s", "Digitally signed by %[1]s", "[E-SIGNED] %[1]s", "E-signature applied - signed by %[1]s"},
	timeFmt:          "1504 hrs",
	greetings:        []string{"Dear Colleague,", "To the treating massage therapist at %s:", "Dear Therapist:"},
	closings:         []string{"Yours in health,", "Cordially,", "Best regards,", "With thanks for co-managing this patient,"},
	mailOpen:         []string{"Good afternoon,", "Hello %s,", "Hi all -"},
	mailClose:        []string{"Thank you for your prompt attention,", "Regards,", "Please confirm receipt."},
	refLines:         []string{"RE: %[1]s / DOB %[2]s", "Patient: %[1]s   Birthdate: %[2]s", "Co-management of %[1]s (DOB %[2]s)"},
	thanks: []string{"Please forward your re-evaluation after the sixth visit.", "Kindly send SOAP notes with each billing submission.",
		"Our office will coordinate the carrier's authorization."},
	ehrStyle:    2,
	upperChance: 0.35,

	dxForms: []string{"%[1]s | %[2]s", "%[2]s (ICD-10 %[1]s)", "%[2]s - ICD %[1]s"},
	letterheads: [][]string{
		{"%[1]s, %[2]s, %[3]s %[4]s", "P: %[5]s  F: %[6]s"},
		{"%[1]s", "%[2]s, %[3]s %[4]s", "Phone %[5]s | Fax %[6]s"},
	},
	formReturn: []string{"Fax completed order to %[1]s: %[2]s", "Return by fax to %[1]s at %[2]s"},
	lPractice:  []string{"Facility:", "Practice name:"},
	lPhone:     []string{"Tel:", "Callback #:"},
	lSign:      []string{"Physician signature:", "Ordering provider signature:", "Signature (required):"},
	lMRN:       []string{"MRN:", "Claim #:", "Encounter #:"},
	lComments:  []string{"Special instructions:", "Precautions/comments:"},
	lReferTo:   []string{"Refer to:", "Performing provider:"},
	mailLead:   []string{"The order below is from %s.", "%s asked me to forward this prescription.", "Below is the therapy order from %s."},
	mailToday:  []string{"%s signed the order below today.", "Today's order from %s follows.", "%s placed this order earlier today."},
	subjects:   []string{"Rx - massage therapy", "PIP therapy order", "New order: massage therapy", "Co-management referral"},
	prose:      cascadeProse,
}

// cascadeRate words n visits a week: shorthand for order sets, a phrase
// for prose.
func cascadeRate(r *rand.Rand, n int, prose bool) string {
	if prose {
		return pick(r, map[int][]string{
			1: {"once a week", "one time per week"},
			2: {"twice a week", "two times per week"},
			3: {"three times a week", "three times per week"},
		}[n])
	}
	return pick(r, map[int][]string{
		1: {"1x weekly", "1/wk", "q.w.", "1 time/week"},
		2: {"2x weekly", "2/wk", "b.i.w.", "2 times/week"},
		3: {"3x weekly", "3/wk", "t.i.w.", "3 times/week"},
	}[n])
}

// cascadeFreq draws a plan in cascade's words: a rate and a duration,
// authorised visits over weeks, months (of four weeks), every other week,
// tapers with numbered weeks or arrows, ranges (counted at the upper
// bound), or (an empty text) a plan that gives the session length too.
func cascadeFreq(r *rand.Rand, prose bool) *freqSpec {
	n := pick(r, []int{1, 2, 2, 2, 3})
	w := pick(r, []int{3, 4, 4, 6, 6, 8, 10, 12})
	switch k := r.IntN(20); {
	case k < 7: // a rate and a duration
		rate := cascadeRate(r, n, prose)
		dur := pick(r, []string{fmt.Sprintf("x %d wk", w), fmt.Sprintf("x %d wks", w), fmt.Sprintf("for %d weeks", w)})
		if prose {
			dur = pick(r, []string{fmt.Sprintf("for %d weeks", w), "for " + word(w) + " (" + fmt.Sprint(w) + ") " + weeksWord(w)})
		}
		return plan(n, w, rate, dur, rate+" "+dur)
	case k < 10: // authorised visits
		v := n * w
		t := pick(r, []string{fmt.Sprintf("%d visits authorized over %d weeks", v, w), fmt.Sprintf("Auth: %d visits / %d wks", v, w),
			fmt.Sprintf("%d visits approved, to be used within %d weeks", v, w)})
		if prose {
			t = fmt.Sprintf("%d visits authorized over %d weeks", v, w)
		}
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}
	case k < 12: // months of four weeks
		m := pick(r, []int{1, 2, 3})
		rate := cascadeRate(r, n, prose)
		dur := fmt.Sprintf("x %d mo", m)
		if prose || r.IntN(2) == 0 {
			dur = fmt.Sprintf("for %d %s", m, plural(m, "month", "months"))
		}
		return plan(n, 4*m, rate, dur, rate+" "+dur)
	case k < 14: // every other week
		w := pick(r, []int{8, 12})
		t := pick(r, []string{fmt.Sprintf("q.2 wks x %d wks", w), fmt.Sprintf("every 2 weeks x %d weeks", w)})
		if prose {
			t = fmt.Sprintf("every two weeks for %d weeks", w)
		}
		return &freqSpec{text: t, visits: w / 2, weeks: w, plan: true}
	case k < 16: // steps down
		return cascadeTaper(r, prose)
	case k < 18: // the plan gives the session length: cascadeFreqSession
		return &freqSpec{}
	default: // ranges count at the upper bound
		ranges := []struct {
			text          string
			visits, weeks int
		}{{"two to three times per week for 4 weeks", 12, 4}, {"1 to 2 times per week for 6 to 8 weeks", 16, 8},
			{"2-3/wk x 4 wk", 12, 4}, {"1-2x weekly x 6-8 wks", 16, 8}, {"b.i.w.-t.i.w. x 6 wks", 18, 6}}
		if prose {
			ranges = ranges[:2]
		}
		g := pick(r, ranges)
		return &freqSpec{text: g.text, visits: g.visits, weeks: g.weeks, plan: true, isRange: true}
	}
}

// cascadeTaper is a plan that steps down; its phases' visits and weeks add
// up.
func cascadeTaper(r *rand.Rand, prose bool) *freqSpec {
	phases := pick(r, [][][2]int{{{3, 2}, {2, 4}}, {{2, 4}, {1, 4}}, {{2, 3}, {1, 3}}, {{3, 1}, {2, 2}, {1, 3}}, {{3, 2}, {2, 2}, {1, 2}}})
	style := r.IntN(2)
	if prose {
		style = 2
	}
	f := &freqSpec{plan: true}
	var parts []string
	first := 1
	for _, p := range phases {
		f.visits += p[0] * p[1]
		f.weeks += p[1]
		last := first + p[1] - 1
		switch style {
		case 0: // 2x/wk (wks 1-3), 1x/wk (wks 4-6)
			span := fmt.Sprintf("wks %d-%d", first, last)
			if first == last {
				span = fmt.Sprintf("wk %d", first)
			}
			parts = append(parts, fmt.Sprintf("%dx/wk (%s)", p[0], span))
		case 1: // 3/wk x 2 wk -> 2/wk x 4 wk
			parts = append(parts, fmt.Sprintf("%d/wk x %d wk", p[0], p[1]))
		default: // three times per week for 2 weeks, then two times per week for 4 weeks
			parts = append(parts, fmt.Sprintf("%s per week for %d %s", map[int]string{1: "one time", 2: "two times", 3: "three times"}[p[0]], p[1], weeksWord(p[1])))
		}
		first = last + 1
	}
	sep := map[int]string{0: ", ", 1: " -> ", 2: ", then "}[style]
	f.text = strings.Join(parts, sep)
	return f
}

// cascadeFreqSession words a plan that gives the session length too; the
// length is a phrase that also reads alone ("60 min", "4 units"), as when
// the plan is struck off an order and the length stays.
func cascadeFreqSession(r *rand.Rand) (*freqSpec, *sessionSpec) {
	n := pick(r, []int{2, 2, 3})
	w := pick(r, []int{4, 6, 8})
	v := n * w
	switch r.IntN(3) {
	case 0: // 2x weekly x 6 wks @ 60 min
		l := pick(r, []struct {
			text    string
			minutes int
		}{{"60 min", 60}, {"45 min", 45}, {"30 min", 30}, {"1.0 hr", 60}})
		t := fmt.Sprintf("%dx weekly x %d wks @ %s", n, w, l.text)
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}, &sessionSpec{text: l.text, minutes: l.minutes, units: Units(l.minutes)}
	case 1: // 12 visits (4 units each) over 6 weeks
		u := pick(r, []int{2, 3, 4, 4})
		s := fmt.Sprintf("%d units", u)
		t := fmt.Sprintf("%d visits (%s each) over %d weeks", v, s, w)
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}, &sessionSpec{text: s, units: u}
	default: // 1.0 hr sessions 2/wk x 6 wk
		l := pick(r, []struct {
			text    string
			minutes int
		}{{"1.0 hr sessions", 60}, {"0.75 hr sessions", 45}, {"1.5 hr sessions", 90}})
		t := fmt.Sprintf("%s %d/wk x %d wk", l.text, n, w)
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}, &sessionSpec{text: l.text, minutes: l.minutes, units: Units(l.minutes)}
	}
}

// cascadeProse says the order in cascade's sentences: a co-management or
// referral letter from the treating doctor (third false), or the office
// writing for the doctor.
func cascadeProse(w *wording, third bool, who, mod, areas string) []string {
	c, r := w.c, w.r
	doc := "the treating doctor"
	if !c.noDoctor {
		doc = c.doctor.first + " " + c.doctor.last
		if c.doctor.cred == "MD" || c.doctor.cred == "DO" || c.doctor.cred == "DC" {
			doc = "Dr. " + c.doctor.last
		}
	}
	// An order that names no modality says what it asks in a sentence of its
	// own, after the treatment areas.
	ask := ""
	if len(c.modalities) == 0 && c.nonOrder != "" {
		if areas != "" {
			ask = " Treatment area(s): " + areas + "."
		}
		ask += " " + capFirst(w.cap(c.nonOrder)) + "."
		mod = ""
	}
	var p1 string
	switch {
	case third && mod == "":
		p1 = pick(r, []string{fmt.Sprintf("%s is referring %s to your office.", capFirst(doc), who),
			fmt.Sprintf("On behalf of %s, please accept %s as a new referral.", doc, who)}) + ask
	case third && areas != "":
		p1 = pick(r, []string{
			fmt.Sprintf("%s is referring %s to your office for %s. Treatment area(s): %s.", capFirst(doc), who, mod, areas),
			fmt.Sprintf("On behalf of %s, please schedule %s for %s to the %s.", doc, who, mod, areas)})
	case third:
		p1 = pick(r, []string{fmt.Sprintf("%s is referring %s to your office for %s.", capFirst(doc), who, mod),
			fmt.Sprintf("On behalf of %s, please schedule %s for %s.", doc, who, mod)})
	case mod == "":
		p1 = fmt.Sprintf("%s is under my care and I am referring the patient to your office.", capFirst(who)) + ask
	case areas != "":
		p1 = pick(r, []string{
			fmt.Sprintf("%s is under my care, and I would like to co-manage with your office. I am prescribing %s to the %s.", capFirst(who), mod, areas),
			fmt.Sprintf("I am referring %s for %s. Treatment area(s): %s.", who, mod, areas),
			fmt.Sprintf("Please treat %s with %s directed to the %s.", who, mod, areas)})
	default:
		p1 = pick(r, []string{fmt.Sprintf("I am referring %s for %s.", who, mod),
			fmt.Sprintf("%s is under my care, and I am prescribing %s.", capFirst(who), mod)})
	}
	var p2 string
	if dx := w.fDx(); len(dx) > 0 {
		p2 = pick(r, []string{"Assessment: ", "Diagnoses (ICD-10): ", "The patient's diagnoses are "}) + strings.Join(dx, "; ") + "."
	}
	sess := ""
	if c.session != nil && !c.sessionIn {
		sess = c.session.text
	}
	var p3 string
	switch {
	case c.freq != nil && sess != "":
		p3 = pick(r, []string{
			fmt.Sprintf("Frequency/duration: %s. Session length: %s.", c.freq.text, sess),
			fmt.Sprintf("Plan of care: %s, each session %s.", c.freq.text, sess)})
	case c.freq != nil:
		p3 = "Frequency/duration: " + c.freq.text + "."
	case sess != "":
		p3 = "Session length: " + sess + "."
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
