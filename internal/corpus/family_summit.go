package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// summit: held out until its wording was read to classify its misreadings (mesa took its place). Practices of northern New England, the North Country of
// New York and Michigan's two peninsulas (Vermont, New Hampshire, Maine, the
// Adirondacks, the Keweenaw, Marquette, Traverse City): "person served" and
// "indication" wording, "thrice-weekly" and "N visits at N per week" plans,
// frequency and duration written on one line with their own names, taper
// steps, plans in months with an upper limit, ordinal and ISO dates and
// weekday datelines, Franco-American, Finnish, Cornish, Dutch, Mohawk,
// Somali and Arab-American surnames (particles, apostrophes, hyphens, a few
// accents, suffixes such as "2nd"), credentials with degrees and
// fellowships, EHR printouts with each label above its value, and letters
// with a city dateline.
var summit = &wordingFamily{
	name: "summit", heldOut: false,
	female: []string{"Hélène", "Josée", "Mary-Ellen", "Aili", "Tuula", "Fadumo", "Hodan", "Madeleine", "Annelies", "Jadwiga",
		"Noreen", "Kateri", "Wanda Lee", "Ghada", "Linnea", "Ruthanne", "Solange", "Marjatta", "Bridie", "Amal"},
	male: []string{"André", "Normand", "Gaetan", "Jean-Guy", "Toivo", "Eino", "Arvo", "Abdirahman", "Kazimierz", "Pieter",
		"Ezra", "Lyman", "Asa", "Bilal", "Garrett", "Reid", "Maynard", "Tobiah", "Lucien", "Roald"},
	last: []string{"Thériault", "Ouellette", "Pelletier", "Michaud", "Cyr", "St. Laurent", "D'Amours", "Des Rosiers", "LaPointe",
		"Nadeau-Gagnon", "Maki", "Heikkinen", "Koskela", "Niemi-Lahti", "Trevarthen", "Penhallow", "VanderMolen", "De Vries",
		"Hoekstra", "Vander Kooi", "Lazore", "Tarbell", "Warsame", "Abdi", "Bazzi", "Al-Hadi", "Wojcik", "Szymanski", "Peabody",
		"Chamberlain", "O'Halloran", "MacLean", "Pépin"},
	docFirst: []string{"Meredith", "Renée", "Tuomas", "Hamza", "Colby", "Siri", "Anders", "Marguerite", "Kwabena", "Liesl",
		"Sanjay", "Whitney", "Eero", "Penelope", "Rafferty", "Yusra"},
	docLast: []string{"Ouimet", "Bergeron-Walsh", "Vander Laan", "O'Dowd", "St. Hilaire", "Kangas", "Raatikainen", "Fairbrother",
		"De Jong", "Haddad-Nasser", "MacIsaac", "Lapierre", "Ahonen", "D'Entremont", "Boisvert", "Sabattis"},
	suffixes: []string{"Jr.", "Sr.", "III", "2nd"},
	creds: []weighted[credential]{
		{credential{"MD", []string{"MD", "M.D.", "MD, MPH", "MD, PhD"}}, 7}, {credential{"DO", []string{"DO", "D.O.", "DO, FAAFP"}}, 3},
		{credential{"NP", []string{"FNP-C", "DNP, APRN", "APRN-BC", "MSN, APRN, FNP-BC"}}, 3}, {credential{"PA-C", []string{"PA-C", "MMS, PA-C"}}, 2},
		{credential{"ND", []string{"ND", "N.D."}}, 1}, {credential{"", []string{""}}, 1},
	},
	practices: []practice{
		{name: "Summit Family Health", csid: "SUMMIT FAM HEALTH", street: "410 Shelburne Rd", city: "Burlington", state: "VT", zip: "05401", area: "802", domain: "summitfamilyhealth.example"},
		{name: "Monadnock Orthopaedic & Sports Medicine", csid: "MONADNOCK ORTHO", street: "580 Court St, Ste 2", city: "Keene", state: "NH", zip: "03431", area: "603", domain: "monadnockortho.example"},
		{name: "Upper Valley Integrative Medicine", csid: "UPPER VALLEY IM", street: "12 Hanover St, Suite 4", city: "Lebanon", state: "NH", zip: "03766", area: "603", domain: "uvintegrative.example"},
		{name: "Casco Bay Internal Medicine", csid: "CASCO BAY IM", street: "222 St. John St, Suite 120", city: "Portland", state: "ME", zip: "04102", area: "207", domain: "cascobayim.example"},
		{name: "Penobscot Spine & Pain Associates", csid: "PENOBSCOT SPINE", street: "900 Hammond St", city: "Bangor", state: "ME", zip: "04401", area: "207", domain: "penobscotspine.example"},
		{name: "North Country Physical Medicine", csid: "NORTH COUNTRY PM", street: "75 Smithfield Blvd", city: "Plattsburgh", state: "NY", zip: "12901", area: "518", domain: "northcountrypm.example"},
		{name: "Adirondack Primary Care - Saranac Lake", csid: "ADK PRIMARY CARE", street: "28 Broadway", city: "Saranac Lake", state: "NY", zip: "12983", area: "518", domain: "adkprimarycare.example"},
		{name: "Keweenaw Family Medicine", csid: "KEWEENAW FM", street: "1400 Sharon Ave", city: "Houghton", state: "MI", zip: "49931", area: "906", domain: "keweenawfm.example"},
		{name: "Superior Shores Orthopedics", csid: "SUPERIOR SHORES ORTH", street: "1414 W Fair Ave, Ste 300", city: "Marquette", state: "MI", zip: "49855", area: "906", domain: "superiorshores.example"},
		{name: "Grand Traverse Rehabilitation Medicine", csid: "GRAND TRAVERSE REHAB", street: "3953 W Front St", city: "Traverse City", state: "MI", zip: "49684", area: "231", domain: "gtrehab.example"},
	},
	staff:      []string{"Brianna", "Jocelyn", "Mackenzie", "Noelle", "Hodan", "Kaija", "Colton", "Danielle"},
	staffRoles: []string{"Patient Service Rep", "Care Team Assistant", "Referrals & Prior Auth", "LNA, Front Desk", "Clinical Support Specialist", "Practice Coordinator"},
	dateFmts:   []string{"2006-01-02", "January 2" + ordinalMark + ", 2006", "01-02-06", "Mon 2 Jan 2006", "Jan. 2" + ordinalMark + ", 2006", "01/02/2006"},
	dobFmts:    []string{"01/02/2006", "2006-01-02", "1-2-2006", "January 2, 2006"},
	handFmts:   []string{"1/2/06", "1-2-2006", "Jan 2 06"},
	mod97140: []string{"myofascial release", "MFR techniques", "neuromuscular therapy", "NMT", "soft-tissue mobilization (STM)",
		"manual therapy (STM/MFR)", "trigger point therapy (TPT)", "manual lymphatic drainage", "myofascial trigger point release"},
	mod97124:  []string{"massage", "therapeutic massage", "Swedish massage", "deep-tissue massage", "massage therapy (general)"},
	codeForms: []string{" (CPT code: %s)", " -- CPT %s", " / CPT-%s"},
	nonOrders: []string{"LMT to assess and choose techniques", "Evaluate; treatment per therapist", "Consult and treat"},
	freq:      summitFreq,
	open: []string{"as needed (PRN)", "2x weekly, ongoing", "weekly maintenance", "1-2x per week, length of care to be determined",
		"until discharged by therapist", "thrice weekly; reassess at follow-up"},
	sessions: []sessionOpt{
		{60, 10, []string{"60 min", "one hour", "%d units (1 hr)", "60-minute treatment", "1.0 hr", "hour-long sessions"}},
		{45, 5, []string{"45 min", "%d units (45 min)", "three-quarters of an hour", "45-minute treatment"}},
		{30, 3, []string{"30 min", "half-hour sessions", "0.5 hr"}},
		{90, 2, []string{"90 min", "1.5 hr", "%d units (90 min)"}},
		{55, 1, []string{"55 min"}},
		{75, 1, []string{"75 min", "an hour and fifteen minutes"}},
		{0, 4, []string{"%d units", "%d units per session", "%d x 15-minute units", "%d units @ 15 min"}},
	},
	necessity: []string{"Medically necessary: yes (see indications).", "The services above are medically necessary.",
		"Medical necessity attested by the ordering clinician.", "Treatment is medically necessary for the listed conditions."},
	freqSession: summitFreqSession,
	lPatient:    []string{"Patient/client:", "Person served:", "Patient full name:"},
	lDOB:        []string{"Birthdate -", "D/O/B:", "Born on:"},
	lDate:       []string{"Order placed:", "Rx dated:", "Written:"},
	lDoctor:     []string{"Requesting clinician:", "Order authored by:", "Responsible provider:"},
	lNPI:        []string{"NPI (individual):", "Prov. NPI", "Provider NPI #"},
	lModality:   []string{"Services ordered:", "Modalities:", "Please perform:"},
	lAreas:      []string{"Body region(s):", "Treatment site(s):", "Regions:"},
	lDx:         []string{"Indication(s):", "Dx / ICD-10-CM:", "Diagnosis (ICD-10):"},
	lFreq:       []string{"Schedule:", "Visit plan:", "Course of care:"},
	lDur:        []string{"Duration:", "Number of weeks:", "Period:"},
	lSession:    []string{"Treatment length:", "Per session:", "Visit duration:"},
	lSigDate:    []string{"Signed on:", "Date of signature -"},
	rxMarks:     []string{"Rx", "Rx -", "ORDER"},
	formTitles: []string{"ORDER FOR MANUAL THERAPY / MASSAGE SERVICES", "Medical Massage Prescription & Plan", "Community Therapy Referral - Bodywork",
		"Referral: Licensed Massage Therapy"},
	ehrTitles: []string{"External Referral - Massage Therapy", "ORDER: MANUAL THERAPY (OUTSIDE PROVIDER)", "Ambulatory Order Summary"},
	statements: []string{
		"/s/ %[1]s, electronically signed %[2]s %[3]s",
		"Electronically authenticated by %[1]s on %[2]s at %[3]s",
		"Order e-signed %[2]s %[3]s -- %[1]s",
		"Digitally signed by %[1]s on %[2]s at %[3]s",
	},
	statementsNoDate: []string{"/s/ %[1]s, electronically signed", "Electronically authenticated by %[1]s", "Digitally signed by %[1]s"},
	timeFmt:          "15:04 ET",
	greetings:        []string{"Good morning,", "Dear %s clinicians,", "Hello colleagues,"},
	closings:         []string{"Best regards,", "With best wishes,", "Thank you for seeing this patient,"},
	mailOpen:         []string{"Hi %s crew,", "Hello,", "Good afternoon from our referral office,"},
	mailClose:        []string{"Thanks much,", "Warm wishes,", "Thanks in advance,"},
	refLines:         []string{"Re: %[1]s [DOB %[2]s]", "Referral re: %[1]s -- DOB %[2]s", "For patient %[1]s (born %[2]s)"},
	thanks:           []string{"Progress notes may be faxed to the number above.", "We appreciate your help with this patient's care."},
	ehrStyle:         2,
	upperChance:      0.35,
}

func summitFreq(r *rand.Rand, prose bool) *freqSpec {
	n := pick(r, []int{1, 2, 2, 2, 3, 3})
	w := pick(r, []int{3, 4, 5, 6, 6, 8, 10, 12})
	visits := func(k int) string { return plural(k, "visit", "visits") }
	hyph := map[int]string{1: "once-weekly", 2: "twice-weekly", 3: "thrice-weekly"}
	aWeek := map[int]string{1: "once a week", 2: "twice a week", 3: "three times a week"}
	switch k := r.IntN(20); {
	case k < 5: // a rate and a duration
		rate := pick(r, []string{fmt.Sprintf("%dx per week", n), fmt.Sprintf("%d %s/week", n, plural(n, "session", "sessions")),
			fmt.Sprintf("%d per wk", n), hyph[n]})
		dur := pick(r, []string{fmt.Sprintf("for %d weeks", w), fmt.Sprintf("over %d wks", w), "for a period of " + word(w) + " weeks"})
		if prose {
			rate = pick(r, []string{word(n) + " " + visits(n) + " per week", aWeek[n]})
			dur = pick(r, []string{"for " + word(w) + " weeks", "over the following " + word(w) + " weeks"})
		}
		return plan(n, w, rate, dur, rate+" "+dur)
	case k < 8: // frequency and duration named on one line
		rate := pick(r, []string{fmt.Sprintf("%dx per week", n), fmt.Sprintf("%d/wk", n)})
		t := pick(r, []string{fmt.Sprintf("%s; duration %d weeks", rate, w), fmt.Sprintf("freq %s, dur %d wks", rate, w),
			fmt.Sprintf("%s -- duration: %d weeks", rate, w)})
		if prose {
			rate = word(n) + " " + visits(n) + " per week"
			t = fmt.Sprintf("%s, duration %s weeks", rate, word(w))
		}
		return plan(n, w, rate, fmt.Sprintf("%d weeks", w), t)
	case k < 11: // visits in all; "at n per week" gives the weeks
		v := n * w
		t := pick(r, []string{fmt.Sprintf("%d visits at %d per week", v, n), fmt.Sprintf("%d treatments, %d weeks", v, w),
			fmt.Sprintf("%d sessions in a %d-week period", v, w)})
		if prose {
			t = pick(r, []string{fmt.Sprintf("%s visits at %s per week", word(v), word(n)), fmt.Sprintf("%s visits over %s-week period", word(v), summitAn(w))})
		}
		if n == 1 && chance(r, 0.5) {
			t = word(v) + " weekly sessions"
		}
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}
	case k < 13: // months of four weeks
		m := pick(r, []int{1, 2, 3})
		months := word(m) + " " + plural(m, "month", "months")
		t := pick(r, []string{fmt.Sprintf("%dx per week for %s", n, months), fmt.Sprintf("%s for %s", hyph[n], months)})
		if n > 1 && chance(r, 0.5) {
			t = fmt.Sprintf("up to %d visits weekly for %s", n, months)
		}
		if prose {
			t = fmt.Sprintf("%s for %s", aWeek[n], months)
		}
		return &freqSpec{text: t, visits: n * 4 * m, weeks: 4 * m, plan: true}
	case k < 15: // steps down
		return summitTaper(r, prose)
	case k < 16: // one visit every two weeks
		w := pick(r, []int{8, 12})
		t := pick(r, []string{fmt.Sprintf("q2 weeks for %d weeks", w), fmt.Sprintf("every fourteen days for %s weeks", word(w))})
		if prose {
			t = fmt.Sprintf("every second week for %s weeks", word(w))
		}
		return &freqSpec{text: t, visits: w / 2, weeks: w, plan: true}
	case k < 18: // the session length is part of the plan
		return &freqSpec{}
	default: // ranges count at the upper bound
		ranges := []struct {
			text          string
			visits, weeks int
		}{{"two or three visits per week for four weeks", 12, 4}, {"weekly to twice weekly for six weeks", 12, 6},
			{"1 to 2 sessions weekly for up to 8 weeks", 16, 8}, {"between 8 and 12 visits over 6 weeks", 12, 6},
			{"2-3x per week x 3-4 wks", 12, 4}}
		if prose {
			ranges = ranges[:2]
		}
		t := pick(r, ranges)
		return &freqSpec{text: t.text, visits: t.visits, weeks: t.weeks, plan: true, isRange: true}
	}
}

// summitAn writes "a 6" or "an 8" before "-week".
func summitAn(w int) string {
	s := word(w)
	if strings.HasPrefix(s, "eight") || strings.HasPrefix(s, "eleven") || w == 18 {
		return "an " + s
	}
	return "a " + s
}

// summitTaper writes a plan that steps down: its phases add up.
func summitTaper(r *rand.Rand, prose bool) *freqSpec {
	phases := pick(r, [][][2]int{{{3, 2}, {2, 4}}, {{2, 4}, {1, 2}}, {{2, 3}, {1, 3}}, {{3, 1}, {2, 2}, {1, 3}}, {{2, 6}, {1, 4}}, {{3, 2}, {2, 2}, {1, 2}}})
	f := &freqSpec{plan: true}
	for _, p := range phases {
		f.visits += p[0] * p[1]
		f.weeks += p[1]
	}
	abbr := map[int]string{1: "QW", 2: "BIW", 3: "TIW"}
	words := map[int]string{1: "weekly", 2: "twice weekly", 3: "three times weekly"}
	style := r.IntN(3)
	if prose {
		style = 0
	}
	var parts []string
	for i, p := range phases {
		switch style {
		case 0: // start ..., step down to ..., then ...
			weeks := word(p[1]) + " " + weeksWord(p[1])
			switch {
			case i == 0:
				parts = append(parts, fmt.Sprintf("start %s for %s", words[p[0]], weeks))
			case i < len(phases)-1:
				parts = append(parts, fmt.Sprintf("step down to %s for %s", words[p[0]], weeks))
			default:
				parts = append(parts, fmt.Sprintf("then %s for %s", words[p[0]], weeks))
			}
		case 1: // BIW x 4 wks then QW x 2 wks
			parts = append(parts, fmt.Sprintf("%s x %d %s", abbr[p[0]], p[1], plural(p[1], "wk", "wks")))
		default: // 2/wk for the first 4 weeks, then 1/wk for 2 weeks
			if i == 0 {
				parts = append(parts, fmt.Sprintf("%d/wk for the first %d %s", p[0], p[1], weeksWord(p[1])))
			} else {
				parts = append(parts, fmt.Sprintf("then %d/wk for %d %s", p[0], p[1], weeksWord(p[1])))
			}
		}
	}
	if style == 1 {
		f.text = strings.Join(parts, " then ")
	} else {
		f.text = strings.Join(parts, ", ")
	}
	return f
}

// summitFreqSession words a plan with the length of each visit in it.
func summitFreqSession(r *rand.Rand) (*freqSpec, *sessionSpec) {
	lengths := []struct {
		text    string
		minutes int
	}{{"60-min", 60}, {"one-hour", 60}, {"45-min", 45}, {"30-minute", 30}, {"90-min", 90}}
	l := pick(r, lengths)
	n := pick(r, []int{1, 2, 2, 3})
	w := pick(r, []int{4, 6, 8})
	v := n * w
	var t string
	if n == 1 {
		t = fmt.Sprintf("%s weekly %s sessions", word(v), l.text)
	} else {
		t = pick(r, []string{fmt.Sprintf("%d %s visits over %d weeks", v, l.text, w), fmt.Sprintf("%s %s visits over %d weeks", word(v), l.text, w),
			fmt.Sprintf("%d %s sessions, %d per week", v, l.text, n)})
	}
	return &freqSpec{text: t, visits: v, weeks: w, plan: true}, &sessionSpec{text: l.text, minutes: l.minutes, units: Units(l.minutes)}
}
