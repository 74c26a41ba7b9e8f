package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// juniper: held out until its wording was read to classify its misreadings
// (piedmont took its place). Practices of the Pacific Northwest, Alaska and Hawaii
// (Washington, Oregon, Idaho, Anchorage and the Interior, Juneau, O'ahu,
// Maui, the Big Island): occupational medicine and workers' compensation
// clinics, integrative clinics, orthopaedic urgent care, oncology
// rehabilitation, paediatric and geriatric practices, many of their
// physicians trained in Canada, the UK or Ireland. British and Canadian
// spellings and phrasing ("programme", "mobilisation", "fortnightly",
// "twice a week for a month"), plans given as totals over a period or in
// words, "/52" week notation ("for 6/52" is six weeks; "review in 6/52" a
// review when the plan ends), session lengths in hours and minutes ("1 h",
// "0.75 h", "1 h 30 min", quarter-hour units); day-first dates, always with
// the month in letters ("3 Nov 2026", "03-NOV-2026", "Tuesday, 3 November
// 2026", "3rd November 2026", "2026 Nov 03"); "client", "indication",
// "dosage" and "practitioner" labels; Hawaiian, Yup'ik, Inupiaq, Tlingit,
// Pacific Northwest tribal, Scottish and Irish (Mac, Mc, O', Ni), Punjabi
// Sikh, Korean, Ukrainian, Quebecois (particles, hyphens), Somali and Old
// Believer names; credentials of UK, Irish and Canadian degrees and
// fellowships (MBChB, MB BS, "M.B., B.Ch., B.A.O.", MDCM, FRCPC, CCFP)
// besides DO, ARNP, NP and PA-C. Naturopaths (ND) do not order here: the
// integrative clinics' orders come from their physicians and nurse
// practitioners.
var juniper = &wordingFamily{
	name: "juniper", heldOut: false,
	female: []string{"Noelani", "Pualani", "Leimomi", "Keala", "Malia", "Marie-Eve", "Marie-Josée", "Geneviève", "Harpreet",
		"Simranjit", "Gurleen", "Seo-yeon", "Eun-ji", "Oksana", "Halyna", "Nadiya", "Ulyana", "Agafya", "Feodosia", "Vasilisa",
		"Ifrah", "Sahra", "Ubah", "Niamh", "Eilidh", "Morag", "Saoirse", "Rosemary", "Iris Mae", "Tatum"},
	male: []string{"Kawika", "Ikaika", "Makoa", "Kanoa", "Jean-François", "Pierre-Luc", "Réjean", "Jaspal", "Gurpreet", "Navdeep",
		"Min-jun", "Ji-hoon", "Dong-hyun", "Bohdan", "Taras", "Mykola", "Kiprian", "Illarion", "Anisim", "Abdiwali", "Mohamud",
		"Liban", "Hamish", "Ruairi", "Lachlan", "Eoin", "Cormac", "Wilfred", "Elmer", "Del"},
	last: []string{"Kahananui", "Kealamakia", "Akana", "Ka'ahanui", "Kauwila", "Keawe-Ching", "Nakoa", "Nanalook", "Kasayulie",
		"Chikoyak", "Ahgeak", "Nageak", "Okakok", "Kookesh", "Kadashan", "Sohappy", "Claplanhoo", "Satiacum", "MacGillivray",
		"McCrimmon", "O'Driscoll", "Mac Lochlainn", "Ní Bhriain", "O'Flaherty-Byrne", "MacKinnon", "Sandhu", "Dhillon", "Grewal",
		"Kaur", "Singh Gill", "Park", "Choi", "Yoon", "Kovalchuk", "Hrytsenko", "Melnyk", "Shevchuk-Boyko", "Des Ormeaux", "D'Aoust",
		"Lévesque-Bélanger", "Saint-Onge", "de Repentigny", "Jama", "Egal", "Hirsi", "Basargin", "Reutov", "Martushev", "Kalugin", "Fefelov"},
	docFirst: []string{"Fiona", "Hamish", "Niamh", "Rupinder", "Jaswinder", "Eun-Young", "Sung-min", "Oleksandr", "Maryna", "Mathieu",
		"Sophie-Anne", "Keoni", "Kamalei", "Abdullahi", "Deqa", "Tadhg", "Isla", "Ewan"},
	docLast: []string{"MacGillivray-Ross", "O'Driscoll", "Dhaliwal", "Bhullar", "Grewal-Mann", "Yoo", "Baek", "Tkachenko", "Bondarenko",
		"Tremblay", "St-Amour", "Gauthier-Ng", "Des Roches", "Kamakau", "Ah Nee", "Nakoa-Lum", "Osman", "Mac an Bhaird", "Fitzgerald-Kerr",
		"McTavish"},
	suffixes: []string{"Jr.", "Sr.", "III", "Jnr"},
	creds: []weighted[credential]{
		{credential{"MD", []string{"MD", "M.D.", "MD, FRCPC", "MDCM, FRCPC", "MD CCFP", "MD, CCFP(EM)"}}, 7},
		{credential{"DO", []string{"DO", "D.O.", "DO, FACOEP"}}, 3},
		{credential{"MBBS", []string{"MBChB", "MB ChB, MRCGP", "MB BS", "M.B., B.Ch., B.A.O.", "MBBS, FRCS(Orth)"}}, 3},
		{credential{"ARNP", []string{"ARNP", "ARNP, FNP-BC", "DNP, ARNP"}}, 3},
		{credential{"NP", []string{"NP", "ANP-C", "APRN, CNP"}}, 2},
		{credential{"PA-C", []string{"PA-C", "MHS, PA-C"}}, 2},
		{credential{"", []string{""}}, 1},
	},
	practices: []practice{
		{name: "Chugach Occupational Health & Workers' Comp Clinic", csid: "CHUGACH OCC HEALTH", street: "3340 Providence Dr, Ste 210", city: "Anchorage", state: "AK", zip: "99508", area: "907", domain: "chugachocc.example"},
		{name: "Kenai Peninsula Orthopaedic Urgent Care", csid: "KENAI ORTHO URGENT", street: "250 Hospital Pl", city: "Soldotna", state: "AK", zip: "99669", area: "907", domain: "kenaiortho.example"},
		{name: "Tanana Valley Family & Geriatric Medicine", csid: "TANANA VALLEY FGM", street: "1650 Cowles St", city: "Fairbanks", state: "AK", zip: "99701", area: "907", domain: "tananavalleyfm.example"},
		{name: "Gastineau Children's & Family Clinic", csid: "GASTINEAU FAMILY", street: "3245 Hospital Dr", city: "Juneau", state: "AK", zip: "99801", area: "907", domain: "gastineauclinic.example"},
		{name: "Malama Integrative Health", csid: "MALAMA INTEGRATIVE", street: "1329 Lusitana St, Suite 402", city: "Honolulu", state: "HI", zip: "96813", area: "808", domain: "malamaintegrative.example"},
		{name: "Hilo Bay Cancer Rehabilitation", csid: "HILO BAY CANCER RHB", street: "1190 Waianuenue Ave", city: "Hilo", state: "HI", zip: "96720", area: "808", domain: "hilobayrehab.example"},
		{name: "Valley Isle Keiki & Family Medicine", csid: "VALLEY ISLE FM", street: "1830 Wells St, Ste 101", city: "Wailuku", state: "HI", zip: "96793", area: "808", domain: "valleyislefm.example"},
		{name: "Salish Sea Occupational Medicine", csid: "SALISH SEA OCC MED", street: "2901 Squalicum Pkwy", city: "Bellingham", state: "WA", zip: "98225", area: "360", domain: "salishseaocc.example"},
		{name: "Inland Northwest Orthopaedic Urgent Care", csid: "INW ORTHO URGENT", street: "820 S McClellan St", city: "Spokane", state: "WA", zip: "99204", area: "509", domain: "inwortho.example"},
		{name: "Olympic Peninsula Senior Care", csid: "OLYMPIC SENIOR CARE", street: "939 Caroline St", city: "Port Angeles", state: "WA", zip: "98362", area: "360", domain: "olympicseniorcare.example"},
		{name: "Rose City Integrative Clinic", csid: "ROSE CITY INTEGRTV", street: "3025 SE Belmont St", city: "Portland", state: "OR", zip: "97214", area: "503", domain: "rosecityintegrative.example"},
		{name: "McKenzie River Oncology Rehabilitation", csid: "MCKENZIE ONC REHAB", street: "1200 Hilyard St, Ste 300", city: "Eugene", state: "OR", zip: "97401", area: "541", domain: "mckenzieoncrehab.example"},
		{name: "Treasure Valley Workers' Compensation Clinic", csid: "TV WORKERS COMP", street: "1055 N Curtis Rd", city: "Boise", state: "ID", zip: "83706", area: "208", domain: "tvworkerscomp.example"},
	},
	staff:      []string{"Kalena", "Mairi", "Jasleen", "Oleksandra", "Ayasha", "Rhiannon", "Tenzin", "Moana", "Brodie"},
	staffRoles: []string{"Medical Office Assistant", "Referral Clerk", "Clinic Secretary", "L&I Claims Coordinator", "Patient Navigator", "Intake Nurse, RN"},
	dateFmts:   []string{"2 Jan 2006", "02-" + monthCaps + "-2006", "Monday, 2 January 2006", "2" + ordinalMark + " January 2006", "2006 Jan 02", "02 January 2006"},
	dobFmts:    []string{"2 Jan 2006", "02-" + monthCaps + "-2006", "2 January 2006"},
	handFmts:   []string{"2 Jan 2006", "2-Jan-2006", "2 January 2006"},
	mod97140: []string{"myofascial release", "soft tissue mobilisation", "manual therapy (soft tissue mobilisation)", "neuromuscular therapy (NMT)",
		"trigger point therapy", "manual lymphatic drainage (Vodder)", "physiotherapy-style manual therapy", "manual traction",
		"myofascial release and trigger point therapy", "MLD"},
	mod97124:  []string{"massage", "remedial massage", "general massage", "relaxation massage", "massage therapy"},
	codeForms: []string{" (CPT® %s)", ", billed as CPT %s", " — CPT %s"},
	nonOrders: []string{"Assess and treat as you see fit", "Assessment and management at the therapist's discretion", "Over to you to assess and treat"},
	freq:      juniperFreq,
	open: []string{"as required (PRN)", "as and when required", "weekly, ongoing", "fortnightly, no end date", "twice a week until further notice",
		"at the therapist's discretion", "ad lib"},
	freqSession: juniperFreqSession,
	sessions: []sessionOpt{
		{60, 10, []string{"1 h", "60 mins", "one-hour appointments", "an hour per appointment", "%d units (one hour)", "1 h (%d units)"}},
		{45, 5, []string{"45 mins", "45-minute appointments", "0.75 h", "%d units (45 mins)"}},
		{30, 3, []string{"30 mins", "appointments of half an hour", "%d units (30 mins)"}},
		{90, 2, []string{"1 h 30 min", "90 mins", "ninety-minute appointments"}},
		{40, 1, []string{"40 mins"}},
		{50, 1, []string{"50-minute appointments"}},
		{0, 4, []string{"%d units", "%d units of 15 min", "%d quarter-hour units", "%d units per appointment"}},
	},
	necessity: []string{"This programme is medically necessary.", "Medically necessary: treatment is needed to restore function.",
		"I consider this treatment medically necessary.", "Medically necessary - yes."},
	lPatient:  []string{"Client:", "Client name:", "Patient (client):", "Person referred:"},
	lDOB:      []string{"DoB:", "Client DOB:", "D.o.B.:"},
	lDate:     []string{"Date of referral:", "Issued on:", "Prescription dated:"},
	lDoctor:   []string{"Practitioner:", "Referring physician/NP:", "Prescribing practitioner:"},
	lNPI:      []string{"US NPI:", "NPI number -", "Practitioner NPI:"},
	lModality: []string{"Prescription:", "Intervention:", "Service(s) requested:"},
	lAreas:    []string{"Region(s) to be treated:", "Regions of the body:", "Parts to be treated:"},
	lDx:       []string{"Indication:", "Diagnostic codes:", "Working diagnosis (ICD-10-CM):"},
	lFreq:     []string{"Dosage:", "Programme:", "Frequency / course:"},
	lDur:      []string{"Length of programme:", "Over a period of:"},
	lSession:  []string{"Appointment length:", "Time per appointment:", "Each appointment:"},
	lSigDate:  []string{"Date of signing:", "On:"},
	rxMarks:   []string{"Rx", "Rx.", "Referral & Rx"},
	formTitles: []string{"REFERRAL FOR MASSAGE THERAPY (MEDICAL)", "Manual Therapy Programme - Referral", "Workers' Compensation - Treatment Referral: Massage",
		"Oncology Rehabilitation - Request for Manual Therapy"},
	ehrTitles: []string{"Referral Letter - Manual Therapy", "OUTPATIENT REFERRAL: MASSAGE / MANUAL THERAPY", "Allied Health Order (Massage)"},
	statements: []string{
		"Electronic signature: %[1]s; signed %[2]s, %[3]s.",
		"Approved and electronically signed by %[1]s at %[3]s on %[2]s",
		"%[1]s has signed this referral electronically (%[2]s, %[3]s).",
		"e-Signed: %[1]s / %[2]s / %[3]s",
		"Authorised and signed electronically - %[1]s - %[2]s %[3]s",
	},
	statementsNoDate: []string{"Approved and electronically signed by %[1]s", "%[1]s has signed this referral electronically.",
		"Authorised and signed electronically - %[1]s", "e-Signed: %[1]s"},
	timeFmt:     "3.04 pm",
	greetings:   []string{"Dear Sir or Madam,", "Dear therapist at %s,", "To the treating therapist,"},
	closings:    []string{"Yours sincerely,", "Yours faithfully,", "Regards, and thank you,", "Mahalo,"},
	mailOpen:    []string{"Aloha %s team,", "Morning all,", "Hello there %s,", "Hi team at %s,"},
	mailClose:   []string{"Mahalo nui,", "Thanks ever so much,", "Speak soon,", "Best wishes from all of us,"},
	refLines:    []string{"Re: %[1]s, d.o.b. %[2]s", "Referral for %[1]s, date of birth %[2]s", "RE: %[1]s | DoB %[2]s"},
	thanks:      []string{"Please send a discharge summary at the end of the programme.", "Do ring the clinic if anything is unclear.", "A brief progress report at the half-way point would be appreciated."},
	ehrStyle:    0,
	upperChance: 0.2,

	dxForms: []string{"%[1]s (%[2]s)", "%[2]s, ICD-10-CM %[1]s", "%[1]s – %[2]s"},
	letterheads: [][]string{
		{"%[1]s", "%[2]s %[3]s %[4]s", "T: %[5]s   F: %[6]s"},
		{"%[1]s - %[2]s, %[3]s %[4]s", "Reception %[5]s  |  Referrals fax %[6]s"},
	},
	formReturn: []string{"Kindly fax back to %[1]s on %[2]s", "For %[1]s | fax %[2]s"},
	lPractice:  []string{"Clinic/surgery:", "Referring clinic:"},
	lPhone:     []string{"Tel.:", "Telephone:"},
	lSign:      []string{"Practitioner's signature:", "Signature of referrer:", "Referring practitioner's signature:"},
	lMRN:       []string{"Chart no.:", "Client ID:", "File no.:"},
	lComments:  []string{"Remarks:", "Additional notes:", "Clinical notes:"},
	lReferTo:   []string{"Referral to:", "Addressed to:", "For the attention of:"},
	mailLead:   []string{"Please find below a referral from %s.", "%s has asked me to pass on the following referral.", "Sending on a referral from %s; details below."},
	mailToday:  []string{"%s completed this referral today.", "%s wrote this referral today; details below.", "Today's referral from %s is set out below."},
	subjects:   []string{"Referral - massage therapy", "New referral for your clinic", "Massage therapy programme - referral", "Referral (manual therapy)"},
	prose:      juniperProse,
}

// juniperRate words n visits a week.
func juniperRate(r *rand.Rand, n int, prose bool) string {
	if prose {
		return pick(r, map[int][]string{
			1: {"once a week", "weekly", "one session a week"},
			2: {"twice a week", "twice weekly", "two sessions a week"},
			3: {"three times a week", "three sessions a week"},
		}[n])
	}
	return pick(r, map[int][]string{
		1: {"once weekly", "1 x weekly", "weekly", "one session/week"},
		2: {"twice weekly", "2 x weekly", "twice a week", "two sessions/week"},
		3: {"three times weekly", "3 x weekly", "3 sessions/week"},
	}[n])
}

// juniperSpan words w weeks after "for": "a fortnight" is two weeks, "6/52"
// six weeks (six of the year's fifty-two), "a month" four.
func juniperSpan(r *rand.Rand, w int, prose, slash bool) string {
	opts := []string{word(w) + " " + weeksWord(w), fmt.Sprintf("%d %s", w, weeksWord(w))}
	if slash && !prose {
		opts = append(opts, fmt.Sprintf("%d/52", w), fmt.Sprintf("%d/52", w))
	}
	switch w {
	case 2:
		opts = append(opts, "a fortnight", "a fortnight")
	case 4:
		opts = append(opts, "a month")
	}
	return pick(r, opts)
}

// juniperMonths words m months (of four weeks each) after "for".
func juniperMonths(r *rand.Rand, m int) string {
	if m == 1 {
		return pick(r, []string{"a month", "one month"})
	}
	return pick(r, []string{word(m) + " months", fmt.Sprintf("%d months", m)})
}

// juniperFreq draws a plan in juniper's words: a rate and a span, visits in
// all over a period, months, fortnightly visits, step-down tapers, ranges
// (counted at the upper bound), or (an empty text) a plan that carries the
// session length.
func juniperFreq(r *rand.Rand, prose bool) *freqSpec {
	n := pick(r, []int{1, 2, 2, 2, 3})
	w := pick(r, []int{2, 3, 4, 4, 6, 6, 8, 10, 12})
	switch k := r.IntN(20); {
	case k < 6: // a rate and a duration
		rate := juniperRate(r, n, prose)
		span := juniperSpan(r, w, prose, true)
		dur := "for " + span
		if prose && chance(r, 0.3) && !strings.HasPrefix(span, "a ") {
			dur = "for the next " + span
		}
		text := rate + " " + dur
		if !prose && !strings.Contains(span, "/52") && chance(r, 0.25) {
			text += fmt.Sprintf(", review in %d/52", w) // the review falls when the plan ends
		}
		return plan(n, w, rate, dur, text)
	case k < 10: // visits in all over a period
		w := pick(r, []int{3, 4, 4, 6, 6, 8, 10, 12})
		v := n * w
		var t string
		if prose {
			t = pick(r, []string{fmt.Sprintf("a programme of %s sessions over %s weeks", word(v), word(w)),
				fmt.Sprintf("%s appointments spread across %s weeks", word(v), word(w)),
				fmt.Sprintf("a course of %s sessions at %s a week", word(v), word(n))})
		} else {
			t = pick(r, []string{fmt.Sprintf("%d sessions over %d weeks", v, w), fmt.Sprintf("%d treatments in %d weeks (%d per week)", v, w, n),
				fmt.Sprintf("course of %d sessions, %d per week", v, n), fmt.Sprintf("%d appointments across %d/52", v, w)})
		}
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}
	case k < 12: // months of four weeks
		m := pick(r, []int{1, 1, 2, 3})
		rate := juniperRate(r, n, prose)
		dur := "for " + juniperMonths(r, m)
		return plan(n, 4*m, rate, dur, rate+" "+dur)
	case k < 14: // once a fortnight
		if chance(r, 0.3) {
			m := pick(r, []int{2, 3})
			t := pick(r, []string{"fortnightly for " + juniperMonths(r, m), "once a fortnight for " + juniperMonths(r, m)})
			return &freqSpec{text: t, visits: 2 * m, weeks: 4 * m, plan: true}
		}
		w := pick(r, []int{4, 6, 8, 12})
		t := pick(r, []string{fmt.Sprintf("fortnightly for %d weeks", w), fmt.Sprintf("once a fortnight for %d/52", w),
			fmt.Sprintf("every fortnight for %s weeks", word(w))})
		if prose {
			t = pick(r, []string{"once a fortnight for " + word(w) + " weeks", "fortnightly over the next " + word(w) + " weeks"})
		}
		return &freqSpec{text: t, visits: w / 2, weeks: w, plan: true}
	case k < 16: // steps down
		return juniperTaper(r, prose)
	case k < 18: // the plan gives the session length: juniperFreqSession
		return &freqSpec{}
	default: // ranges count at the upper bound
		ranges := []struct {
			text          string
			visits, weeks int
		}{{"1-2 x weekly for 6 weeks", 12, 6}, {"2-3 sessions/week for 4-6 weeks", 18, 6}, {"6-8 sessions over 4 weeks", 8, 4},
			{"weekly to fortnightly for 8 weeks", 8, 8}, {"twice weekly for 4-6/52", 12, 6}}
		if prose {
			ranges = []struct {
				text          string
				visits, weeks int
			}{{"one or two sessions a week for six weeks", 12, 6}, {"between six and eight sessions over four weeks", 8, 4}}
		}
		g := pick(r, ranges)
		return &freqSpec{text: g.text, visits: g.visits, weeks: g.weeks, plan: true, isRange: true}
	}
}

// juniperTaper is a plan that steps down; its phases' visits and weeks add
// up.
func juniperTaper(r *rand.Rand, prose bool) *freqSpec {
	phases := pick(r, [][][2]int{{{3, 2}, {2, 4}}, {{2, 4}, {1, 4}}, {{2, 3}, {1, 3}}, {{2, 2}, {1, 4}}, {{3, 2}, {2, 2}, {1, 2}}, {{3, 1}, {2, 2}, {1, 3}}})
	f := &freqSpec{plan: true}
	style := r.IntN(3)
	if prose {
		style = 0
	}
	var parts []string
	for i, p := range phases {
		f.visits += p[0] * p[1]
		f.weeks += p[1]
		rate := juniperRate(r, p[0], prose)
		switch style {
		case 0: // three times a week for a fortnight, then twice a week for a month
			span := juniperSpan(r, p[1], true, false)
			if p[1] == 1 {
				span = "one week"
			}
			parts = append(parts, rate+" for "+span)
		case 1: // 2 x weekly for 4/52, then weekly for 4/52
			parts = append(parts, fmt.Sprintf("%s for %d/52", rate, p[1]))
		default: // twice weekly for the first 3 weeks, then weekly for a further 3 weeks
			switch {
			case i == 0 && p[1] == 1:
				parts = append(parts, rate+" for the first week")
			case i == 0:
				parts = append(parts, fmt.Sprintf("%s for the first %d %s", rate, p[1], weeksWord(p[1])))
			default:
				parts = append(parts, fmt.Sprintf("%s for a further %d %s", rate, p[1], weeksWord(p[1])))
			}
		}
	}
	f.text = strings.Join(parts, ", then ")
	return f
}

// juniperFreqSession words a plan that gives the length of each appointment
// too; the length is a phrase that also reads alone ("45 minutes"), as when
// the plan is later struck off an order and the length stays.
func juniperFreqSession(r *rand.Rand) (*freqSpec, *sessionSpec) {
	l := pick(r, []struct {
		text    string
		minutes int
	}{{"one hour", 60}, {"60 minutes", 60}, {"45 minutes", 45}, {"half an hour", 30}, {"90 minutes", 90}, {"40 minutes", 40}})
	n := pick(r, []int{1, 2, 2, 3})
	w := pick(r, []int{4, 6, 8})
	v := n * w
	t := pick(r, []string{
		fmt.Sprintf("%s appointments of %s over %s weeks", word(v), l.text, word(w)),
		fmt.Sprintf("sessions of %s, %s, for %d weeks", l.text, juniperRate(r, n, false), w),
		fmt.Sprintf("a programme of %d treatments (%s each) over %d weeks", v, l.text, w),
	})
	return &freqSpec{text: t, visits: v, weeks: w, plan: true}, &sessionSpec{text: l.text, minutes: l.minutes, units: Units(l.minutes)}
}

// juniperProse says the order in juniper's sentences: the practitioner
// writing (third false) or the office writing on the practitioner's behalf.
func juniperProse(w *wording, third bool, who, mod, areas string) []string {
	c, r := w.c, w.r
	doc := "the referring practitioner"
	if !c.noDoctor {
		doc = c.doctor.first + " " + c.doctor.last
		switch c.doctor.cred {
		case "MD", "DO", "MBBS":
			doc = "Dr " + c.doctor.last
		}
	}
	// An order that names no modality says what it asks in a sentence of its
	// own, after the regions.
	ask := ""
	if len(c.modalities) == 0 && c.nonOrder != "" {
		if areas != "" {
			ask = " Regions concerned: " + areas + "."
		}
		ask += " " + capFirst(w.cap(c.nonOrder)) + "."
		mod = ""
	}
	var p1 string
	switch {
	case third && mod == "":
		p1 = pick(r, []string{fmt.Sprintf("%s would be grateful if your clinic could see %s.", capFirst(doc), who),
			fmt.Sprintf("On behalf of %s, we are referring %s.", doc, who)}) + ask
	case third && areas != "":
		p1 = pick(r, []string{
			fmt.Sprintf("%s would be grateful if your clinic could see %s for %s to the %s.", capFirst(doc), who, mod, areas),
			fmt.Sprintf("On behalf of %s, we are referring %s for %s (regions: %s).", doc, who, mod, areas),
			fmt.Sprintf("%s has asked us to arrange %s for %s; the regions to be treated are the %s.", capFirst(doc), mod, who, areas)})
	case third:
		p1 = pick(r, []string{fmt.Sprintf("%s would be grateful if your clinic could see %s for %s.", capFirst(doc), who, mod),
			fmt.Sprintf("On behalf of %s, we are referring %s for %s.", doc, who, mod)})
	case mod == "":
		p1 = fmt.Sprintf("I would be grateful if you could see %s.", who) + ask
	case areas != "":
		p1 = pick(r, []string{
			fmt.Sprintf("I would be grateful if you could see %s for %s to the %s.", who, mod, areas),
			fmt.Sprintf("Thank you for seeing %s. I should like %s to have %s, concentrating on the %s.", who, w.her(), mod, areas),
			fmt.Sprintf("%s has been under my care and I am referring %s on for %s. Regions to be treated: %s.", capFirst(who), w.her(), mod, areas)})
	default:
		p1 = pick(r, []string{fmt.Sprintf("I would be grateful if you could see %s for %s.", who, mod),
			fmt.Sprintf("Thank you for seeing %s. I should like %s to have %s.", who, w.her(), mod)})
	}
	var p2 string
	if dx := w.fDx(); len(dx) > 0 {
		p2 = pick(r, []string{"Presenting problems: ", "Diagnoses (ICD-10-CM): ", "Indication for referral: "}) + strings.Join(dx, "; ") + "."
	}
	sess := ""
	if c.session != nil && !c.sessionIn {
		sess = c.session.text
	}
	appt := sess
	if !strings.Contains(sess, "appointment") {
		appt = "appointments of " + sess
	}
	var p3 string
	switch {
	case c.freq != nil && sess != "":
		p3 = pick(r, []string{
			fmt.Sprintf("Dosage: %s; %s.", c.freq.text, appt),
			fmt.Sprintf("Suggested course: %s, with %s.", c.freq.text, appt),
			fmt.Sprintf("Frequency and duration: %s. Appointment length: %s.", c.freq.text, sess)})
	case c.freq != nil:
		p3 = pick(r, []string{"Suggested course: " + c.freq.text + ".", "Frequency and duration: " + c.freq.text + "."})
	case sess != "":
		p3 = "Appointment length: " + sess + "."
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
