package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// mesa: held out until its wording was read to classify its misreadings
// (juniper took its place). Practices of the desert Southwest and the Mountain West
// (Arizona, New Mexico, Utah, Colorado, Nevada): community health centers,
// physiatry and spine groups, sports medicine, podiatry and chiropractic
// offices. Member and referring-provider vocabulary of managed-care
// referrals, shorthand plans (BIW, TIW, QW, q14d), visit totals, plans that
// run in months, step-down tapers, ranges, plans spread over a clause;
// ordinal and weekday dates, 24-hour e-signature times; Navajo, Hopi,
// Pueblo, Nuevomexicano, Tongan and Samoan, Basque, Filipino, Vietnamese,
// East African and pioneer-Utah names; credentials with degrees and
// fellowships appended.
var mesa = &wordingFamily{
	name: "mesa", heldOut: false,
	female: []string{"Dolores", "Araceli", "Nizhoni", "Shandiin", "Mele", "Lesieli", "Brinley", "Kenadee", "Thuy", "Rosalinda",
		"Yazmin", "Perla", "LaRae", "Marjean", "Lupita", "Analisa", "Sarai", "Kalani", "Makenna", "Ayaan", "Bernadette",
		"Ana Maria", "Tiponi", "Corazon", "Hanh", "Zeinab", "DeAnn", "Itzel"},
	male: []string{"Ysidro", "Eusebio", "Ahiga", "Sione", "Viliami", "Tevita", "Rulon", "DeLoy", "LaMar", "Jaxon", "Quang",
		"Minh", "Arturo", "Fidel", "Stockton", "Rowdy", "Gilbert", "Lorenzo", "Bao", "Kekoa", "Abdirahman", "Jose Luis",
		"Juan Carlos", "Nakai", "Iker", "Rommel", "Wendell", "Tanner"},
	last: []string{"Begay", "Yazzie", "Tsosie", "Benally", "Etsitty", "Tsinajinnie", "Archuleta", "Trujillo", "Montoya",
		"C de Baca", "Lucero-Sandoval", "Maestas", "Gallegos", "De Herrera", "Fifita", "Tuilagi", "Faleolo", "Christensen",
		"Tolman", "Ostler", "Nguyen-Tran", "Pham", "Dela Cruz", "Bautista", "Villanueva", "Echeverria", "Arrizabalaga",
		"McKinnon", "Abdi", "Haile", "Sekaquaptewa", "Honanie", "Shije", "Naranjo", "Romero y Sena", "O'Leary", "Vaifale"},
	docFirst: []string{"Anjali", "Esperanza", "Tomasina", "Kenji", "Ravindra", "Marisela", "Dallin", "Ngozi", "Soo-Jin",
		"Farhad", "Delphine", "Ezekiel", "Rosario", "Lomasi", "Carsten", "Maile", "Teodoro", "Bryce"},
	docLast: []string{"Benavidez", "Yellowhorse", "Castaneda-Ruiz", "Sorensen", "Vu", "Tafoya", "Ramaswamy", "De La O",
		"Abeyta", "Whitehorse", "Fonoti", "Ah Quin", "Zamora", "Lujan", "Ostergaard", "Bahe", "Etcitty-Long", "MacPherson", "Goldfarb"},
	suffixes: []string{"Jr.", "III", "Sr.", "II"},
	creds: []weighted[credential]{
		{credential{"MD", []string{"MD", "M.D.", "MD, MPH", "MD, FAAPMR"}}, 7}, {credential{"DO", []string{"DO", "D.O.", "DO, MPH"}}, 4},
		{credential{"NP", []string{"FNP-C", "NP-C", "DNP, FNP-BC", "APRN, CNP"}}, 3}, {credential{"PA-C", []string{"PA-C", "MPAS, PA-C", "MS, PA-C"}}, 3},
		{credential{"DPM", []string{"DPM", "D.P.M."}}, 1}, {credential{"DC", []string{"DC", "D.C., CCSP"}}, 2}, {credential{"", []string{""}}, 1},
	},
	practices: []practice{
		{name: "Sonoran Desert Family Medicine", csid: "SONORAN DFM", street: "2202 N Campbell Ave, Ste 140", city: "Tucson", state: "AZ", zip: "85719", area: "520", domain: "sonorandfm.example"},
		{name: "Rio Grande Spine & Orthopaedic Institute", csid: "RIO GRANDE SPINE", street: "8100 Wyoming Blvd NE, Suite B", city: "Albuquerque", state: "NM", zip: "87113", area: "505", domain: "riograndespine.example"},
		{name: "Sangre de Cristo Internal Medicine", csid: "SANGRE DE CRISTO IM", street: "1650 Hospital Dr, Ste 2", city: "Santa Fe", state: "NM", zip: "87505", area: "505", domain: "sdcim.example"},
		{name: "Mesilla Valley Pain & Rehabilitation", csid: "MESILLA VALLEY P&R", street: "2450 S Telshor Blvd", city: "Las Cruces", state: "NM", zip: "88011", area: "575", domain: "mesillapain.example"},
		{name: "Red Cliffs Primary Care", csid: "RED CLIFFS PC", street: "1380 E Medical Center Dr, Bldg 4", city: "St. George", state: "UT", zip: "84790", area: "435", domain: "redcliffspc.example"},
		{name: "Timpanogos Sports & Spine", csid: "TIMP SPORTS SPINE", street: "1055 N 500 W, Ste 210", city: "Provo", state: "UT", zip: "84604", area: "801", domain: "timpsports.example"},
		{name: "Front Range Physiatry Associates", csid: "FRONT RANGE PHYSIATRY", street: "4100 E Mississippi Ave, Ste 300", city: "Denver", state: "CO", zip: "80246", area: "303", domain: "frontrangepmr.example"},
		{name: "Four Corners Community Health Center", csid: "FOUR CORNERS CHC", street: "100 W Broadway", city: "Farmington", state: "NM", zip: "87401", area: "505", domain: "fourcornerschc.example"},
		{name: "High Desert Osteopathic Medicine", csid: "HIGH DESERT OMM", street: "1901 E Tropicana Ave, Ste 5", city: "Las Vegas", state: "NV", zip: "89119", area: "702", domain: "highdesertomm.example"},
		{name: "Truckee Meadows Neurology & Spine", csid: "TRUCKEE MDWS NEURO", street: "645 Sierra Rose Dr", city: "Reno", state: "NV", zip: "89511", area: "775", domain: "truckeemeadowsneuro.example"},
		{name: "San Francisco Peaks Orthopedics", csid: "SF PEAKS ORTHO", street: "1200 N Beaver St", city: "Flagstaff", state: "AZ", zip: "86001", area: "928", domain: "sfpeaksortho.example"},
		{name: "Superstition Foot & Ankle", csid: "SUPERSTITION F&A", street: "1440 S Higley Rd, Ste 104", city: "Mesa", state: "AZ", zip: "85206", area: "480", domain: "superstitionfoot.example"},
		{name: "Grand Valley Chiropractic & Integrative Medicine", csid: "GRAND VALLEY CHIRO", street: "2478 Patterson Rd, Unit 12", city: "Grand Junction", state: "CO", zip: "81505", area: "970", domain: "gvchiro.example"},
		{name: "Pikes Peak Internal Medicine", csid: "PIKES PEAK IM", street: "2222 N Nevada Ave", city: "Colorado Springs", state: "CO", zip: "80907", area: "719", domain: "pikespeakim.example"},
	},
	staff:      []string{"Yesenia", "Brandi", "Kaycee", "Tomas", "Leilani", "Dusti", "Shaundra", "Marco", "Tallulah", "Rochelle"},
	staffRoles: []string{"Referral Coordinator", "Prior Auth Specialist", "Clinical Care Coordinator", "MA-C", "Patient Access Rep", "Medical Assistant II", "Front Office Lead"},
	dateFmts:   []string{"1/2/2006", "01/02/2006", "January 2" + ordinalMark + ", 2006", "Jan 2 2006", "Mon, Jan 2, 2006", "1-2-06"},
	dobFmts:    []string{"01/02/2006", "1/2/2006", "Jan 2, 2006"},
	handFmts:   []string{"1/2/06", "1-2-06", "01/02/06", "1/2/2006"},
	mod97140: []string{"myofascial release", "MFR", "neuromuscular therapy", "NMT", "soft tissue mobilization", "trigger point therapy",
		"manual therapy", "myofascial trigger point release", "soft tissue manual therapy", "manual lymphatic drainage"},
	mod97124:  []string{"massage", "therapeutic massage", "massage therapy", "Swedish massage", "deep tissue massage", "medical massage"},
	codeForms: []string{" (%s)", " [CPT %s]", ", CPT code %s"},
	nonOrders: []string{"LMT to eval and tx", "Eval/tx per receiving therapist", "Assess and treat per protocol", "Please evaluate, treat as indicated"},
	freq:      mesaFreq,
	open: []string{"PRN", "as tolerated", "BIW, ongoing", "weekly until symptoms resolve", "1-2x wk as needed", "as needed for flares",
		"per therapist discretion", "TIW until pain free", "continue as needed"},
	freqSession: mesaFreqSession,
	sessions: []sessionOpt{
		{60, 10, []string{"60 min", "one hour", "1 hr", "%d units (60 min)", "60-minute sessions"}},
		{45, 5, []string{"45 min sessions", "45 minutes", "%d units / 45 min"}},
		{30, 3, []string{"30 min", "half an hour", "%d units (30 min)"}},
		{90, 2, []string{"90 min", "an hour and a half", "1.5 hr"}},
		{75, 1, []string{"75 minutes"}},
		{50, 1, []string{"50-minute sessions"}},
		{0, 5, []string{"%d units", "%d timed units", "%d x 15 min", "%d units (15-min increments)"}},
	},
	necessity: []string{"Medically necessary - home program alone has not controlled symptoms.", "Care is medically necessary to restore function.",
		"Medical necessity: pain limits ADLs and work duties.", "I certify this treatment is medically necessary.", "Medically necessary per exam today."},
	lPatient:  []string{"Pt:", "Member:", "Patient name:", "Member name:"},
	lDOB:      []string{"DOB:", "Birthdate:", "Born:"},
	lDate:     []string{"Order date:", "Date ordered:", "Referral date:"},
	lDoctor:   []string{"Referring provider:", "Ordering clinician:", "Requesting provider:", "Referred by:"},
	lNPI:      []string{"NPI:", "Prov NPI", "Type 1 NPI:", "NPI (individual):"},
	lModality: []string{"Treatment requested:", "Service:", "Therapy ordered:", "Requested service:"},
	lAreas:    []string{"Body region(s):", "Treatment area:", "Focus areas:", "Region:"},
	lDx:       []string{"Dx codes:", "ICD-10-CM:", "Diagnosis/ICD:", "Qualifying dx:"},
	lFreq:     []string{"Visits:", "Frequency:", "Schedule:", "Freq/duration:"},
	lDur:      []string{"Duration of care:", "Length of treatment:", "Course length:"},
	lSession:  []string{"Session length:", "Treatment time:", "Per visit:", "Minutes/units:"},
	lSigDate:  []string{"Date:", "Dt.", "Date signed:"},
	rxMarks:   []string{"Rx", "Rx -", "ORDER", "Referral:"},
	formTitles: []string{"MEDICAL MASSAGE REFERRAL & ORDER", "Referral for Manual Therapy Services", "Order: Massage / Soft Tissue Therapy",
		"LMT REFERRAL FORM"},
	ehrTitles: []string{"External Referral: Medical Massage", "ORDER DETAILS - SOFT TISSUE / MASSAGE", "Referral Summary (Outgoing)"},
	statements: []string{
		"Electronically authenticated by %[1]s on %[2]s at %[3]s",
		"Verified and signed by %[1]s via secure e-signature %[2]s %[3]s",
		"Digitally signed: %[1]s | %[2]s %[3]s",
		"/es/ %[1]s %[2]s %[3]s",
		"Signature on file - electronically signed %[1]s, %[2]s at %[3]s",
	},
	statementsNoDate: []string{"Electronically authenticated by %[1]s", "Verified and signed by %[1]s via secure e-signature", "/es/ %[1]s",
		"Signature on file - electronically signed %[1]s"},
	timeFmt:     "1504 hrs",
	greetings:   []string{"Good afternoon,", "Dear %s team:", "Dear Therapist:", "Greetings from our clinic,"},
	closings:    []string{"With appreciation,", "Warm regards,", "Cordially,", "Best,"},
	mailOpen:    []string{"Hi %s -", "Hello,", "Good afternoon %s,", "Hi all,", "Greetings %s staff,"},
	mailClose:   []string{"Thank you for taking care of our patient.", "Appreciate you!", "Take care,", "Reach out with any questions,"},
	refLines:    []string{"%[1]s | DOB %[2]s", "Re: %[1]s (born %[2]s)", "Patient: %[1]s, DOB: %[2]s", "Subject: referral for %[1]s - DOB %[2]s"},
	thanks:      []string{"Our fax line is open for progress notes.", "Please send a treatment summary at the end of the course.", "Questions can go to our referral coordinator."},
	ehrStyle:    2,
	upperChance: 0.35,

	dxForms: []string{"%[2]s [%[1]s]", "%[1]s, %[2]s", "ICD %[1]s %[2]s"},
	letterheads: [][]string{
		{"%[1]s", "%[2]s, %[3]s %[4]s", "Main %[5]s   Fax %[6]s"},
		{"%[1]s | %[2]s, %[3]s %[4]s | ph %[5]s | fx %[6]s"},
		{"%[1]s, %[2]s, %[3]s %[4]s", "Clinic line %[5]s - Referral fax %[6]s"},
	},
	formReturn: []string{"Please fax completed form to %[1]s at %[2]s", "Attn: %[1]s | Fax %[2]s", "Send to %[1]s (fax %[2]s)"},
	lPractice:  []string{"Clinic:", "Office:", "Practice name:"},
	lPhone:     []string{"Ph:", "Office phone:", "Tel:"},
	lSign:      []string{"Ordering provider signature:", "Provider sig:", "Signature of provider:"},
	lMRN:       []string{"MRN:", "Acct #:", "Chart #:", "Pt ID:"},
	lComments:  []string{"Notes:", "Clinical comments:", "Order comments:"},
	lReferTo:   []string{"Referred to:", "Send to:", "Receiving facility:"},
	mailLead:   []string{"On behalf of %s, please see the referral below.", "%s asked that we send you the following order.", "Passing along a new order from %s."},
	mailToday:  []string{"This order was entered today by %s.", "%s wrote the order below for our patient today.", "Today's order from %s follows."},
	subjects:   []string{"Outgoing referral", "Referral from our office", "New order", "Order - please schedule", "Rx for your clinic"},
	prose:      mesaProse,
}

// mesaRate words n visits a week: notes in shorthand, prose in words.
func mesaRate(r *rand.Rand, n int, prose bool) string {
	if prose {
		return pick(r, map[int][]string{
			1: {"once a week", "one visit per week", "weekly"},
			2: {"twice a week", "two times per week", "two visits a week"},
			3: {"three times a week", "three visits per week", "three times weekly"},
		}[n])
	}
	return pick(r, map[int][]string{
		1: {"QW", "1x wk", "once wkly", "1 visit/week", "weekly"},
		2: {"BIW", "2x wk", "2 x/week", "twice wkly", "2 visits/week"},
		3: {"TIW", "3x wk", "3 x/week", "3 visits/week"},
	}[n])
}

// mesaWeeks words a duration of w weeks.
func mesaWeeks(r *rand.Rand, w int, prose bool) string {
	if prose {
		return pick(r, []string{"for the next " + word(w) + " " + weeksWord(w), fmt.Sprintf("for %d weeks", w), "for " + word(w) + " " + weeksWord(w)})
	}
	return pick(r, []string{fmt.Sprintf("x %d wks", w), fmt.Sprintf("for %d weeks", w), fmt.Sprintf("x %d weeks", w), fmt.Sprintf("for %d wk", w)})
}

func mesaFreq(r *rand.Rand, prose bool) *freqSpec {
	n := pick(r, []int{1, 2, 2, 2, 3, 3})
	w := pick(r, []int{3, 4, 4, 6, 6, 6, 8, 10, 12})
	switch k := r.IntN(26); {
	case k < 8: // a rate and a duration
		rate, dur := mesaRate(r, n, prose), mesaWeeks(r, w, prose)
		text := rate + " " + dur
		switch {
		case prose:
		case chance(r, 0.2):
			text = fmt.Sprintf("%d-week course, %s", w, rate)
		case chance(r, 0.15):
			text += ", then re-eval"
		}
		return plan(n, w, rate, dur, text)
	case k < 10: // once a week, counted in weeks
		w := pick(r, []int{4, 6, 8, 10})
		t := pick(r, []string{fmt.Sprintf("weekly x %d", w), fmt.Sprintf("QW x %d wks", w), fmt.Sprintf("1x/wk for %d wks", w)})
		if prose {
			t = pick(r, []string{"weekly for " + word(w) + " weeks", fmt.Sprintf("once a week for %d weeks", w)})
		}
		return &freqSpec{text: t, visits: w, weeks: w, plan: true}
	case k < 13: // visits in all
		v := n * w
		t := pick(r, []string{fmt.Sprintf("%d visits over %d wks", v, w), fmt.Sprintf("%d visits (%d/wk x %d wks)", v, n, w),
			fmt.Sprintf("%d treatments, %d-week period", v, w), fmt.Sprintf("%d visits (%d/wk)", v, n)})
		if prose {
			t = pick(r, []string{fmt.Sprintf("%d visits spread over %s weeks", v, word(w)), fmt.Sprintf("a series of %d visits over %d weeks", v, w)})
		}
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}
	case k < 15: // months of four weeks
		m := pick(r, []int{1, 1, 2, 3})
		months := plural(m, "month", "months")
		rate := mesaRate(r, n, prose)
		dur := pick(r, []string{fmt.Sprintf("x %d mo", m), fmt.Sprintf("for %d %s", m, months), "for " + word(m) + " " + months})
		if prose {
			dur = pick(r, []string{"for " + word(m) + " " + months, "over the next " + word(m) + " " + months})
			if m == 1 {
				dur = pick(r, []string{"for one month", "over the next month"})
			}
		}
		return plan(n, 4*m, rate, dur, rate+" "+dur)
	case k < 17: // one visit every other week
		w := pick(r, []int{8, 12})
		t := pick(r, []string{fmt.Sprintf("q14d x %d wks", w), fmt.Sprintf("every 14 days for %d weeks", w), fmt.Sprintf("alternating weeks x %d wks", w)})
		if prose {
			t = pick(r, []string{"every other week for the next " + word(w) + " weeks", fmt.Sprintf("once every 14 days for %d weeks", w)})
		}
		return &freqSpec{text: t, visits: w / 2, weeks: w, plan: true}
	case k < 19: // a plan spread over a clause
		rate, dur := mesaRate(r, n, false), fmt.Sprintf("%d wks", w)
		t := pick(r, []string{fmt.Sprintf("%s; total course %s", rate, dur), fmt.Sprintf("%d weeks total, seen %s", w, mesaRate(r, n, true)),
			fmt.Sprintf("pt to be seen %s. Length of care: %s.", rate, dur)})
		if prose {
			t = fmt.Sprintf("%s, over a course of %s weeks", mesaRate(r, n, true), word(w))
		}
		return &freqSpec{text: t, visits: n * w, weeks: w, plan: true}
	case k < 22: // step-down tapers
		return mesaTaper(r, prose)
	case k < 25: // ranges count at the upper bound
		ranges := []struct {
			text          string
			visits, weeks int
		}{{"1-2x wk x 6 wks", 12, 6}, {"2-3 visits/wk for 4-6 wks", 18, 6}, {"1 to 2x/week x 8 wks", 16, 8},
			{"8-12 visits over 6 weeks", 12, 6}, {"2-3x wk x 4 wks", 12, 4}, {"BIW-TIW for 3-4 wk", 12, 4}}
		if prose {
			ranges = []struct {
				text          string
				visits, weeks int
			}{{"two to three times a week for four to six weeks", 18, 6}, {"one or two visits a week for eight weeks", 16, 8},
				{"eight to twelve visits over the next six weeks", 12, 6}}
		}
		g := pick(r, ranges)
		return &freqSpec{text: g.text, visits: g.visits, weeks: g.weeks, plan: true, isRange: true}
	default: // the plan carries the session length: mesaFreqSession
		return &freqSpec{}
	}
}

// mesaTaper is a plan that steps down: the phases' visits and weeks add up.
func mesaTaper(r *rand.Rand, prose bool) *freqSpec {
	phases := pick(r, [][][2]int{{{3, 2}, {2, 4}}, {{2, 3}, {1, 3}}, {{2, 4}, {1, 4}}, {{3, 1}, {2, 2}, {1, 3}}, {{3, 2}, {2, 2}, {1, 2}}})
	f := &freqSpec{plan: true}
	var parts []string
	style := r.IntN(3)
	for i, p := range phases {
		f.visits += p[0] * p[1]
		f.weeks += p[1]
		switch {
		case prose && i == 0 && len(phases) == 2:
			parts = append(parts, mesaRate(r, p[0], true)+" for the first "+word(p[1])+" "+weeksWord(p[1]))
		case prose && i == len(phases)-1:
			parts = append(parts, "then "+mesaRate(r, p[0], true)+" for "+word(p[1])+" more "+weeksWord(p[1]))
		case prose:
			parts = append(parts, mesaRate(r, p[0], true)+" for "+word(p[1])+" "+weeksWord(p[1]))
		case style == 0:
			parts = append(parts, fmt.Sprintf("%s x %d %s", mesaRate(r, p[0], false), p[1], plural(p[1], "wk", "wks")))
		case style == 1 && i > 0:
			parts = append(parts, fmt.Sprintf("step down to %s x %d %s", mesaRate(r, p[0], false), p[1], plural(p[1], "wk", "wks")))
		case style == 1:
			parts = append(parts, fmt.Sprintf("start %s x %d %s", mesaRate(r, p[0], false), p[1], plural(p[1], "wk", "wks")))
		case i == len(phases)-1:
			parts = append(parts, fmt.Sprintf("taper to %s for %d %s", mesaRate(r, p[0], false), p[1], plural(p[1], "wk", "wks")))
		default:
			parts = append(parts, fmt.Sprintf("%s for %d %s", mesaRate(r, p[0], false), p[1], plural(p[1], "wk", "wks")))
		}
	}
	sep := ", "
	if !prose && style == 0 {
		sep = " -> "
	}
	f.text = strings.Join(parts, sep)
	return f
}

// mesaFreqSession words a plan that gives the session length too.
func mesaFreqSession(r *rand.Rand) (*freqSpec, *sessionSpec) {
	n := pick(r, []int{1, 2, 2, 3})
	w := pick(r, []int{4, 6, 6, 8})
	l := pick(r, []struct {
		adj, noun string
		minutes   int
	}{{"60-minute", "60 min", 60}, {"one-hour", "1 hr", 60}, {"45-minute", "45 min", 45}, {"30-minute", "30 min", 30}, {"90-minute", "90 min", 90}})
	var text, sess string
	switch r.IntN(3) {
	case 0:
		sess = l.adj
		text = fmt.Sprintf("%s sessions %s for %d weeks", l.adj, mesaRate(r, n, true), w)
	case 1:
		sess = l.noun
		text = fmt.Sprintf("%s x %d wks @ %s", mesaRate(r, n, false), w, l.noun)
	default:
		sess = l.noun
		text = fmt.Sprintf("%d visits of %s each over %d weeks", n*w, l.noun, w)
	}
	return &freqSpec{text: text, visits: n * w, weeks: w, plan: true}, &sessionSpec{text: sess, minutes: l.minutes, units: Units(l.minutes)}
}

// mesaProse says the order in mesa's sentences: the prescriber writing
// (third false) or the office's staff writing for the prescriber.
func mesaProse(w *wording, third bool, who, mod, areas string) []string {
	c, r := w.c, w.r
	doc := "the provider"
	if !c.noDoctor {
		doc = c.doctor.first + " " + c.doctor.last
		switch c.doctor.cred {
		case "MD", "DO", "DPM", "DC":
			doc = "Dr. " + c.doctor.last
		}
	}
	var p1 string
	switch {
	case third && areas != "":
		p1 = pick(r, []string{
			fmt.Sprintf("%s is referring %s for %s, targeting the %s.", doc, who, mod, areas),
			fmt.Sprintf("%s would like %s to start %s. Areas: %s.", doc, who, mod, areas),
			fmt.Sprintf("We are sending %s over for %s to the %s at %s's request.", who, mod, areas, doc)})
	case third:
		p1 = pick(r, []string{fmt.Sprintf("%s is referring %s for %s.", doc, who, mod), fmt.Sprintf("%s would like %s to start %s.", doc, who, mod)})
	case areas != "":
		p1 = pick(r, []string{
			fmt.Sprintf("I am referring %s to your clinic for %s, targeting the %s.", who, mod, areas),
			fmt.Sprintf("%s has been under my care and would benefit from %s directed at the %s.", capFirst(who), mod, areas),
			fmt.Sprintf("Kindly schedule %s for %s. Areas to work: %s.", who, mod, areas)})
	default:
		p1 = pick(r, []string{fmt.Sprintf("I am referring %s to your clinic for %s.", who, mod), fmt.Sprintf("Kindly schedule %s for %s.", who, mod)})
	}
	var p2 string
	if dx := w.fDx(); len(dx) > 0 {
		p2 = pick(r, []string{"Pertinent diagnoses: ", "Diagnosis codes on file: ", "ICD-10: "}) + strings.Join(dx, "; ") + "."
	}
	sess := ""
	if c.session != nil && !c.sessionIn {
		sess = c.session.text
	}
	each := sess
	if !strings.Contains(sess, "visit") && !strings.Contains(sess, "session") && !strings.Contains(sess, "each") {
		each += " each"
	}
	var p3 string
	switch {
	case c.freq != nil && sess != "":
		p3 = pick(r, []string{
			fmt.Sprintf("The recommended schedule is %s, %s.", c.freq.text, each),
			fmt.Sprintf("Frequency: %s. Time per visit: %s.", c.freq.text, sess),
			fmt.Sprintf("Schedule: %s (%s).", c.freq.text, sess)})
	case c.freq != nil:
		p3 = pick(r, []string{"The recommended schedule is " + c.freq.text + ".", "Frequency: " + c.freq.text + "."})
	case sess != "":
		p3 = pick(r, []string{"Each session: " + sess + ".", "Time per visit: " + sess + "."})
	}
	p3 = strings.ReplaceAll(p3, "..", ".")
	var p4 string
	if c.necessity == necPrinted {
		p4 = w.fNecessity()
	}
	if r.IntN(2) == 0 {
		return []string{p1, strings.TrimSpace(p2 + " " + p3), p4}
	}
	return []string{p1, p2, p3, p4}
}
