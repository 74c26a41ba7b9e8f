package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// piedmont: held out until its wording was read to classify its misreadings
// (cascade took its place). Practices of the US Southeast and the Gulf Coast
// (the Carolinas, Georgia, Alabama, Mississippi, Louisiana, Florida's Gulf
// side, East Texas): rural health clinics, federally qualified health
// centers, a VA community-care referral office, chiropractic and
// pain-management groups, a cancer center's survivorship program, obstetrics
// (pregnancy back pain) and workers' compensation clinics. Plans in plain
// talk ("two visits weekly times six weeks", "three a week for the first two
// weeks, then two a week for the next four weeks") and in clinic shorthand
// with a stated unit ("2 wkly x 6 wks", "Q2W x 8 wks", "BIW x 3 wks, then QW
// x 3 wks"), visit totals within an episode of care, session lengths as
// appointments ("sixty-minute appointment", "an hour-long visit", "4 timed
// units"); US dates with weekday names, "the 3rd of November, 2026",
// "11-03-26", "Nov. 3rd, 2026"; "beneficiary", "service line", "body
// part(s)" labels; Gullah Geechee, Cajun and Creole (particles, hyphens),
// Vietnamese Gulf Coast, Lumbee and Cherokee, Tejano, Lebanese-American and
// Greek-American (Tarpon Springs) names, Southern double first names and
// suffixes; credentials written several ways (M.D., D.O., FNP-BC, NP-C,
// APRN, WHNP-BC, PA-C, DC). Every credential printed is the prescriber's own
// and goes to the truth as printed, without dots. No podiatrist orders here:
// an order's body parts are drawn apart from who writes it, and a
// podiatrist's order for the neck would not be one a therapist could fill.
var piedmont = &wordingFamily{
	name: "piedmont", heldOut: false,
	female: []string{"Mary Beth", "Betty Sue", "Lula Belle", "Anna Grace", "Ola Mae", "Queen Esther", "Hagar", "Minda", "Clothilde",
		"Eulalie", "Noelie", "Ophelia", "Amelie", "Thu Trang", "Ngoc Anh", "Kim Lien", "Ayita", "Galilahi", "Guadalupe", "Yolanda",
		"Rocio", "Nadine", "Rania", "Samira", "Despina", "Eleni", "Kalliope", "Shaquita", "Bobbie Jo", "Earlene"},
	male: []string{"Billy Ray", "Bobby Joe", "Jimmy Dale", "Theophile", "Alcide", "Ulysse", "Dudley", "Cato", "Prince", "Isaiah",
		"Tuan", "Duc Minh", "Khoa", "Waya", "Sequoyah", "Rogelio", "Efrain", "Juan Diego", "Elias", "Georges", "Tannous", "Spiros",
		"Panagiotis", "Yiannis", "Jarvis", "Lonnie", "Hoyt", "Delbert"},
	last: []string{"Thibodeaux", "Boudreaux", "LeBlanc", "Fontenot", "Guidry", "Broussard", "Arceneaux", "Doucet", "de la Houssaye",
		"Fontenot-Guidry", "St. Romain", "Le Doux", "DeJean", "Hébert", "Manigault", "Middleton-Gadsden", "Pinckney", "Ravenel",
		"Nguyen", "Huynh", "Truong", "Dinh", "Pham-Tran", "Locklear", "Oxendine", "Chavis", "Lowry", "Sixkiller", "Going Back",
		"Garza", "De Leon", "Cavazos", "Villarreal", "de los Santos", "Treviño", "Haddad", "Khoury", "Abi-Nader", "El-Khoury",
		"Papadopoulos", "Kouvaris", "Mavromatis", "Tsakiris", "O'Quinn", "McElveen"},
	docFirst: []string{"Beauregard", "Marguerite", "Thanh", "Nasser", "Eleftheria", "Rosalind", "Delphine", "Cedric", "Lakeisha",
		"Dimitri", "Ximena", "Hollis", "Tuyet", "Rami", "Wyatt", "Anna Claire", "Lacey", "Odette"},
	docLast: []string{"Melancon", "Hebert-Doucet", "Nguyen-Boudreaux", "Abou-Jaoude", "Karam", "Stavrakis", "Galanos", "Jacobs-Oxendine",
		"Saenz", "De la Garza", "Rivard", "Du Bose", "Legare", "Chiasson", "Vo-Landry", "Hamati", "Brewington", "Zeringue"},
	suffixes: []string{"Jr.", "Sr.", "III", "IV"},
	creds: []weighted[credential]{
		{credential{"MD", []string{"M.D.", "MD", "MD, FACOG", "MD, MPH"}}, 7}, {credential{"DO", []string{"D.O.", "DO"}}, 3},
		{credential{"NP", []string{"FNP-BC", "NP-C", "APRN", "APRN, FNP-C", "WHNP-BC"}}, 3}, {credential{"PA-C", []string{"PA-C", "PA-C, MPAS"}}, 2},
		{credential{"DC", []string{"DC", "D.C."}}, 2}, {credential{"", []string{""}}, 1},
	},
	practices: []practice{
		{name: "Robeson County Rural Health Clinic", csid: "ROBESON RHC", street: "711 W 3rd St", city: "Pembroke", state: "NC", zip: "28372", area: "910", domain: "robesonrhc.example"},
		{name: "Sea Islands Community Health Center", csid: "SEA ISLANDS CHC", street: "1035 Sea Island Pkwy", city: "St. Helena Island", state: "SC", zip: "29920", area: "843", domain: "seaislandschc.example"},
		{name: "Acadiana Spine & Pain Management", csid: "ACADIANA SPINE PAIN", street: "1101 Camellia Blvd, Ste 201", city: "Lafayette", state: "LA", zip: "70503", area: "337", domain: "acadianaspine.example"},
		{name: "Bayou Teche Chiropractic", csid: "BAYOU TECHE CHIRO", street: "415 E Main St", city: "New Iberia", state: "LA", zip: "70560", area: "337", domain: "bayoutechechiro.example"},
		{name: "Gulf Coast Veterans Community Care Office", csid: "GULF COAST VA CC", street: "400 Veterans Ave, Bldg 2", city: "Biloxi", state: "MS", zip: "39531", area: "228", domain: "gcvacommunitycare.example"},
		{name: "Mobile Bay Cancer Center - Survivorship Program", csid: "MOBILE BAY CANCER", street: "1660 Springhill Ave", city: "Mobile", state: "AL", zip: "36604", area: "251", domain: "mobilebaycancer.example"},
		{name: "Piney Woods Women's Health & Obstetrics", csid: "PINEY WOODS OB", street: "6 Methodist Blvd, Ste 300", city: "Hattiesburg", state: "MS", zip: "39402", area: "601", domain: "pineywoodsob.example"},
		{name: "Golden Triangle Occupational Medicine", csid: "GOLDEN TRI OCC MED", street: "3155 Stagg Dr, Ste 210", city: "Beaumont", state: "TX", zip: "77701", area: "409", domain: "goldentriocc.example"},
		{name: "Anclote Family Medicine", csid: "ANCLOTE FAM MED", street: "1020 S Pinellas Ave", city: "Tarpon Springs", state: "FL", zip: "34689", area: "727", domain: "anclotefm.example"},
		{name: "Piedmont Triad Orthopaedics", csid: "PIEDMONT TRIAD ORTHO", street: "3200 Northline Ave, Ste 120", city: "Greensboro", state: "NC", zip: "27408", area: "336", domain: "ptortho.example"},
		{name: "Chattahoochee Valley Family Practice", csid: "CHATT VALLEY FP", street: "2300 Manchester Expy", city: "Columbus", state: "GA", zip: "31904", area: "706", domain: "chattvalleyfp.example"},
		{name: "Black Belt Rural Health Clinic", csid: "BLACK BELT RHC", street: "1015 Medical Center Pkwy", city: "Selma", state: "AL", zip: "36701", area: "334", domain: "blackbeltrhc.example"},
		{name: "Pee Dee Pain & Spine Associates", csid: "PEE DEE PAIN SPINE", street: "805 Pamplico Hwy, Ste 400", city: "Florence", state: "SC", zip: "29505", area: "843", domain: "peedeepain.example"},
		{name: "Piney Woods Workers' Comp Clinic", csid: "PINEY WOODS WC", street: "1801 S First St", city: "Lufkin", state: "TX", zip: "75901", area: "936", domain: "pineywoodswc.example"},
	},
	staff:      []string{"Tameka", "LaDonna", "Brandy", "Cherie", "Kayleigh", "Darnell", "Thuy", "Maribel", "Jo Beth"},
	staffRoles: []string{"Referral Clerk", "Community Care Coordinator", "Front Office", "LPN, Referrals", "Workers' Comp Case Coordinator", "OB Nurse Navigator"},
	dateFmts: []string{"Monday, Jan. 2, 2006", "the 2" + ordinalMark + " of January, 2006", "01-02-06", "Jan. 2" + ordinalMark + ", 2006",
		"Mon 1/2/2006", "1/2/2006", "Monday, January 2, 2006"},
	dobFmts:  []string{"01/02/2006", "1/2/2006", "01-02-2006", "January 2, 2006"},
	handFmts: []string{"1/2/06", "1-2-2006", "1/2/2006"},
	mod97140: []string{"myofascial release (MFR)", "neuromuscular therapy (NMT)", "soft tissue mobilization", "manual therapy",
		"trigger point therapy", "manual lymphatic drainage (MLD)", "manual traction"},
	mod97124:  []string{"massage", "therapeutic massage", "prenatal massage", "Swedish massage", "massage therapy"},
	codeForms: []string{" (CPT %s)", " -- CPT code %s", " per CPT %s"},
	nonOrders: []string{"LMT to evaluate and treat as indicated", "Please evaluate and treat", "Eval/treat per therapist's judgment"},
	freq:      piedmontFreq,
	open: []string{"as needed", "twice weekly until MMI", "weekly until delivery", "1-2 visits a week, ongoing", "PRN for flare-ups",
		"three times a week until further notice"},
	freqSession: piedmontFreqSession,
	sessions: []sessionOpt{
		{60, 10, []string{"sixty-minute appointment", "60-min visit", "one full hour", "1 hr (%d units)", "an hour-long visit"}},
		{45, 5, []string{"a 45-minute appointment", "45 min", "forty-five minutes (%d units)"}},
		{30, 3, []string{"half-hour appointment", "30 min"}},
		{90, 2, []string{"ninety-minute appointment", "an hour and a half"}},
		{75, 1, []string{"seventy-five minutes"}},
		{0, 4, []string{"%d timed units", "%d units, 15 min each", "%d billable units per visit", "%d fifteen-minute units"}},
	},
	necessity: []string{"Medically necessary - yes.", "This care is medically necessary for the patient's condition.",
		"Medically necessary to restore function and ease pain.", "Ordering clinician attests this is medically necessary."},
	lPatient:  []string{"Beneficiary:", "Pt. name:", "Claimant/patient:"},
	lDOB:      []string{"Pt. DOB:", "Date of birth:", "Born:"},
	lDate:     []string{"Date of order:", "Order written:", "Dated:"},
	lDoctor:   []string{"Referring clinician:", "Ordering clinician/provider:", "Order given by:"},
	lNPI:      []string{"Provider NPI:", "NPI (Type 1):", "Indiv NPI #:"},
	lModality: []string{"Service line:", "Therapy to provide:", "Ordered service:"},
	lAreas:    []string{"Body part(s):", "Where to treat:", "Region(s) of body:"},
	lDx:       []string{"ICD-10-CM Dx:", "Dx codes & descriptions:", "Reason for visit (ICD-10):"},
	lFreq:     []string{"Visit plan:", "Visits & weeks:", "How many / how long:"},
	lDur:      []string{"Total length:", "Weeks of care:"},
	lSession:  []string{"Time per visit:", "Appt length:", "Minutes/units per visit:"},
	lSigDate:  []string{"Date signed:", "Signed on:"},
	rxMarks:   []string{"Rx", "Rx -", "ORDER"},
	formTitles: []string{"MEDICAL MASSAGE THERAPY ORDER FORM", "Community Care Referral - Massage Therapy",
		"Workers' Compensation Therapy Request - Massage", "Prenatal & Pregnancy-Related Massage Order"},
	ehrTitles: []string{"Outgoing Referral: Medical Massage", "ORDERS - THERAPY SERVICES (MASSAGE)", "Referral Order Summary"},
	statements: []string{
		"Attested electronically (e-signed): %[1]s, %[2]s at %[3]s",
		"Order e-signed by %[1]s after review - %[2]s %[3]s",
		"%[1]s signed this order electronically on %[2]s, %[3]s",
		"%[1]s - electronically signed in the EHR on %[2]s (%[3]s)",
	},
	statementsNoDate: []string{"Attested electronically (e-signed): %[1]s", "%[1]s signed this order electronically", "%[1]s - electronically signed in the EHR"},
	timeFmt:          "3:04 pm",
	greetings:        []string{"Good morning to the team at %s,", "Dear friends at %s,", "To the treating massage therapist:"},
	closings:         []string{"Respectfully, and with thanks,", "With appreciation for your help,", "Gratefully yours,", "Much obliged,"},
	mailOpen:         []string{"Good morning, %s!", "Hey there, %s team -", "Hope y'all are doing well -"},
	mailClose:        []string{"Thank y'all kindly,", "Holler if you need anything,", "Appreciate your help,"},
	refLines:         []string{"Beneficiary: %[1]s (DOB %[2]s)", "In reference to %[1]s, born %[2]s", "Pt.: %[1]s -- D.O.B. %[2]s"},
	thanks:           []string{"Please fax visit notes back to our office after every fourth visit.", "Call our nurse line with any questions about this referral."},
	ehrStyle:         0,
	upperChance:      0.15,

	dxForms: []string{"%[1]s, %[2]s", "%[2]s (%[1]s)", "ICD %[1]s - %[2]s"},
	letterheads: [][]string{
		{"%[1]s", "%[2]s, %[3]s %[4]s", "Office %[5]s / Fax %[6]s"},
		{"%[1]s ~ %[2]s, %[3]s %[4]s", "Phone: %[5]s   Fax: %[6]s"},
	},
	formReturn: []string{"When complete, fax to %[1]s at %[2]s", "Please return to %[1]s (fax %[2]s)"},
	lPractice:  []string{"Clinic:", "Referring office:"},
	lPhone:     []string{"Office phone:", "Ph:"},
	lSign:      []string{"Signature of ordering clinician:", "Clinician signature:", "Signed:"},
	lMRN:       []string{"Pt. ID:", "Acct #:", "Chart #:"},
	lComments:  []string{"Provider notes:", "Additional instructions:"},
	lReferTo:   []string{"Referred to:", "Send to:"},
	mailLead:   []string{"Please see the order below from %s.", "%s asked us to send this over to y'all.", "Here is the referral %s put in for our patient."},
	mailToday:  []string{"%s put this order in for our patient today.", "This is today's order from %s.", "%s entered and signed the order below earlier today."},
	subjects:   []string{"Massage referral from our clinic", "Order for medical massage", "Referral - please schedule", "New patient referral (massage)"},
	prose:      piedmontProse,
}

// piedmontTimes words n visits a week as "once", "twice", "three times".
var piedmontTimes = map[int]string{1: "once", 2: "twice", 3: "three times"}

// piedmontRate words n visits a week; short is clinic shorthand.
func piedmontRate(r *rand.Rand, n int, short bool) string {
	if short {
		return pick(r, map[int][]string{
			1: {"1 visit weekly", "1 wkly", "QW"},
			2: {"2 visits weekly", "2 wkly", "BIW"},
			3: {"3 visits weekly", "3 wkly", "TIW"},
		}[n])
	}
	return pick(r, map[int][]string{
		1: {"one visit weekly", "once a week", "one visit a week"},
		2: {"two visits weekly", "twice a week", "two visits a week"},
		3: {"three visits weekly", "three times a week", "three visits a week"},
	}[n])
}

// piedmontFreq draws a plan in piedmont's words: a rate and a duration in
// plain talk or shorthand, visits in all within a number of weeks, months
// (of four weeks), every other week, step-down tapers, ranges (counted at
// the upper bound), or (an empty text) a plan that gives the session
// length too.
func piedmontFreq(r *rand.Rand, prose bool) *freqSpec {
	n := pick(r, []int{1, 2, 2, 2, 3})
	w := pick(r, []int{3, 4, 4, 6, 6, 8, 10, 12})
	switch k := r.IntN(20); {
	case k < 7: // a rate and a duration
		short := !prose && r.IntN(2) == 0
		rate := piedmontRate(r, n, short)
		if short {
			if r.IntN(2) == 0 {
				dur := fmt.Sprintf("x %d wks", w)
				return plan(n, w, rate, dur, rate+" "+dur)
			}
			return &freqSpec{text: fmt.Sprintf("%s times %d weeks", rate, w), visits: n * w, weeks: w, plan: true}
		}
		switch r.IntN(3) {
		case 0: // "times six weeks" does not stand alone as a duration
			return &freqSpec{text: rate + " times " + word(w) + " " + weeksWord(w), visits: n * w, weeks: w, plan: true}
		case 1:
			dur := "for the next " + word(w) + " " + weeksWord(w)
			return plan(n, w, rate, dur, rate+" "+dur)
		default:
			dur := fmt.Sprintf("for %d %s", w, weeksWord(w))
			return plan(n, w, rate, dur, rate+" "+dur)
		}
	case k < 10: // visits in all
		v := n * w
		var t string
		if prose {
			t = pick(r, []string{fmt.Sprintf("a series of %s treatments over the next %s weeks", word(v), word(w)),
				fmt.Sprintf("%d visits in all, spread over %s weeks", v, word(w))})
		} else {
			t = pick(r, []string{fmt.Sprintf("%d visits total, to be completed within %d weeks", v, w),
				fmt.Sprintf("%d visits / %d weeks", v, w), fmt.Sprintf("%d visits within a %d-week episode of care", v, w),
				fmt.Sprintf("a series of %d treatments over %d weeks", v, w)})
		}
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}
	case k < 12: // months of four weeks
		m := pick(r, []int{1, 2, 2, 3})
		dur := "for " + pick(r, []string{word(m), fmt.Sprint(m)}) + " " + plural(m, "month", "months")
		if m == 1 {
			dur = "for one month"
		}
		rate := piedmontTimes[n] + " a week"
		return plan(n, 4*m, rate, dur, rate+" "+dur)
	case k < 14: // every other week
		w := pick(r, []int{8, 12})
		t := pick(r, []string{fmt.Sprintf("every other week x %d wks", w), fmt.Sprintf("Q2W for %d weeks", w),
			fmt.Sprintf("one visit every other week for %s weeks", word(w))})
		if prose {
			t = fmt.Sprintf("once every other week for the next %s weeks", word(w))
		}
		return &freqSpec{text: t, visits: w / 2, weeks: w, plan: true}
	case k < 16: // steps down
		return piedmontTaper(r, prose)
	case k < 18: // the plan gives the session length: piedmontFreqSession
		return &freqSpec{}
	default: // ranges count at the upper bound
		ranges := []struct {
			text          string
			visits, weeks int
		}{{"one or two visits weekly times six weeks", 12, 6}, {"1 to 2 visits a week for 6 to 8 weeks", 16, 8},
			{"2-3 wkly x 4 wks", 12, 4}, {"BIW-TIW x 6 wks", 18, 6}}
		if prose {
			ranges = ranges[:2]
		}
		g := pick(r, ranges)
		return &freqSpec{text: g.text, visits: g.visits, weeks: g.weeks, plan: true, isRange: true}
	}
}

// piedmontTaper is a plan that steps down; its phases' visits and weeks add
// up.
func piedmontTaper(r *rand.Rand, prose bool) *freqSpec {
	phases := pick(r, [][][2]int{{{3, 2}, {2, 4}}, {{2, 4}, {1, 4}}, {{2, 3}, {1, 3}}, {{3, 1}, {2, 2}, {1, 3}}, {{3, 2}, {2, 2}, {1, 2}}})
	style := r.IntN(3)
	if prose {
		style = 0
	}
	short := map[int]string{1: "QW", 2: "BIW", 3: "TIW"}
	f := &freqSpec{plan: true}
	var parts []string
	for i, p := range phases {
		f.visits += p[0] * p[1]
		f.weeks += p[1]
		switch style {
		case 0: // three a week for the first two weeks, then two a week for the next four weeks
			span := word(p[1]) + " " + weeksWord(p[1])
			switch {
			case i == 0 && p[1] == 1:
				parts = append(parts, word(p[0])+" a week for the first week")
			case i == 0:
				parts = append(parts, word(p[0])+" a week for the first "+span)
			default:
				parts = append(parts, word(p[0])+" a week for the next "+span)
			}
		case 1: // BIW x 3 wks, then QW x 3 wks
			parts = append(parts, fmt.Sprintf("%s x %d %s", short[p[0]], p[1], plural(p[1], "wk", "wks")))
		default: // three visits weekly for 2 weeks, then one visit weekly for 3 weeks
			parts = append(parts, fmt.Sprintf("%s %s weekly for %d %s", word(p[0]), plural(p[0], "visit", "visits"), p[1], weeksWord(p[1])))
		}
	}
	f.text = strings.Join(parts, ", then ")
	return f
}

// piedmontFreqSession words a plan that gives the session length too; the
// length is a phrase that also reads alone ("45-minute visits", "4 units"),
// as when the plan is struck off an order and the length stays.
func piedmontFreqSession(r *rand.Rand) (*freqSpec, *sessionSpec) {
	n := pick(r, []int{2, 2, 3})
	w := pick(r, []int{4, 6, 8})
	v := n * w
	switch r.IntN(3) {
	case 0: // two 45-minute visits weekly for six weeks
		l := pick(r, []struct {
			text    string
			minutes int
		}{{"60-minute visits", 60}, {"45-minute visits", 45}, {"hour-long visits", 60}, {"30-minute visits", 30}, {"90-minute visits", 90}})
		t := fmt.Sprintf("%s %s weekly for %s weeks", word(n), l.text, word(w))
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}, &sessionSpec{text: l.text, minutes: l.minutes, units: Units(l.minutes)}
	case 1: // 12 visits, 45 minutes each, over 6 weeks
		l := pick(r, []struct {
			text    string
			minutes int
		}{{"one hour", 60}, {"45 minutes", 45}, {"sixty minutes", 60}, {"75 minutes", 75}})
		t := fmt.Sprintf("%d visits, %s each, over %d weeks", v, l.text, w)
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}, &sessionSpec{text: l.text, minutes: l.minutes, units: Units(l.minutes)}
	default: // 12 visits at 4 units apiece within 6 weeks
		u := pick(r, []int{2, 3, 4, 4})
		s := fmt.Sprintf("%d units", u)
		t := fmt.Sprintf("%d visits at %s apiece within %d weeks", v, s, w)
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}, &sessionSpec{text: s, units: u}
	}
}

// piedmontProse says the order in piedmont's sentences: the clinician
// writing (third false) or the office writing for the clinician.
func piedmontProse(w *wording, third bool, who, mod, areas string) []string {
	c, r := w.c, w.r
	doc := "our provider"
	if !c.noDoctor {
		doc = c.doctor.first + " " + c.doctor.last
		if c.doctor.cred == "MD" || c.doctor.cred == "DO" {
			doc = "Dr. " + c.doctor.last
		}
	}
	// An order that names no modality says what it asks in a sentence of its
	// own, after the body parts.
	ask := ""
	if len(c.modalities) == 0 && c.nonOrder != "" {
		if areas != "" {
			ask = " Body part(s): " + areas + "."
		}
		ask += " " + capFirst(w.cap(c.nonOrder)) + "."
		mod = ""
	}
	var p1 string
	switch {
	case third && mod == "":
		p1 = pick(r, []string{fmt.Sprintf("%s is sending %s your way.", capFirst(doc), who),
			fmt.Sprintf("We are referring %s to y'all on behalf of %s.", who, doc)}) + ask
	case third && areas != "":
		p1 = pick(r, []string{
			fmt.Sprintf("%s is sending %s your way for %s to the %s.", capFirst(doc), who, mod, areas),
			fmt.Sprintf("On behalf of %s we are referring %s for %s. Body part(s): %s.", doc, who, mod, areas)})
	case third:
		p1 = pick(r, []string{fmt.Sprintf("%s is sending %s your way for %s.", capFirst(doc), who, mod),
			fmt.Sprintf("On behalf of %s we are referring %s for %s.", doc, who, mod)})
	case mod == "":
		p1 = fmt.Sprintf("I am sending %s to y'all.", who) + ask
	case areas != "":
		p1 = pick(r, []string{
			fmt.Sprintf("I am sending %s to y'all for %s to the %s.", who, mod, areas),
			fmt.Sprintf("%s is a patient of mine who I would like to start on %s, working on the %s.", capFirst(who), mod, areas),
			fmt.Sprintf("Please see %s for %s. Body part(s): %s.", who, mod, areas)})
	default:
		p1 = pick(r, []string{fmt.Sprintf("I am sending %s to y'all for %s.", who, mod),
			fmt.Sprintf("%s is a patient of mine who I would like to start on %s.", capFirst(who), mod)})
	}
	var p2 string
	if dx := w.fDx(); len(dx) > 0 {
		p2 = pick(r, []string{"ICD-10-CM Dx: ", "Diagnoses for this referral: ", "Working dx: "}) + strings.Join(dx, "; ") + "."
	}
	sess := ""
	if c.session != nil && !c.sessionIn {
		sess = c.session.text
	}
	var p3 string
	switch {
	case c.freq != nil && sess != "":
		p3 = pick(r, []string{
			fmt.Sprintf("Visit plan: %s. Time per visit: %s.", c.freq.text, sess),
			fmt.Sprintf("Visit plan is %s; length of each visit, %s.", c.freq.text, sess)})
	case c.freq != nil:
		p3 = "Visit plan: " + c.freq.text + "."
	case sess != "":
		p3 = "Time per visit: " + sess + "."
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
