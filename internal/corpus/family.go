package corpus

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// wordingFamily is how one group of offices writes its orders: the name
// pools and practices they draw from, their date formats and where they put
// the Rx date, their plan and session phrases, labels, signature statements,
// greetings and closings. Family "house" is the original wording of
// layouts.go and wording.go; the others are printed by famlayouts.go from the
// fields below.
type wordingFamily struct {
	name    string
	heldOut bool // reported apart: never a family the evaluation figures are fitted on
	house   bool

	// Name pools. Suffixes are given to a few people.
	female, male, last []string
	docFirst, docLast  []string
	suffixes           []string
	creds              []weighted[credential]
	practices          []practice
	staff, staffRoles  []string

	// Dates: Go layouts for Rx dates, dates of birth and hand-written dates.
	dateFmts, dobFmts, handFmts []string

	// Orders.
	mod97140, mod97124 []string
	codeForms          []string // how a CPT code follows a phrase: fmt with one %s
	nonOrders          []string
	freq               func(r *rand.Rand, prose bool) *freqSpec
	open               []string // frequencies that are not plans
	sessions           []sessionOpt
	necessity          []string
	// freqSession words a plan that gives the session length too, drawn
	// when freq returns an empty text; nil: the house phrases.
	freqSession func(r *rand.Rand) (*freqSpec, *sessionSpec)

	// Labels.
	lPatient, lDOB, lDate, lDoctor, lNPI []string
	lModality, lAreas, lDx, lFreq        []string
	lDur, lSession                       []string
	lSigDate                             []string // beside a signature line
	rxMarks, formTitles, ehrTitles       []string

	// Signatures: templates with %[1]s the prescriber, %[2]s the date and
	// %[3]s the time; dateless ones when no date may be printed.
	statements, statementsNoDate []string
	timeFmt                      string

	// Letters and emails.
	greetings, closings, mailOpen, mailClose []string
	refLines                                 []string // the "Re:" line: %[1]s patient, %[2]s DOB
	thanks                                   []string

	// Styles.
	ehrStyle    int // 0: labelled lines; 1: consult request (field dots, /es/); 2: each label above its value; 3: a two-column table
	letterMemo  bool
	upperChance float64 // EHR values in capitals

	// Optional wording of the layouts' fixed parts; nil or empty keeps the
	// shared wording of famlayouts.go (and every other family's output).
	dxForms     []string   // a diagnosis line: %[1]s the code, %[2]s the description
	letterheads [][]string // address lines: %[1]s street, %[2]s city, %[3]s state, %[4]s ZIP, %[5]s phone, %[6]s fax
	formReturn  []string   // a form's return line: %[1]s the clinic, %[2]s its fax
	lPractice   []string   // a form's practice and phone labels
	lPhone      []string
	lSign       []string // labels of a pad's or a form's signature line
	lMRN        []string // an EHR page's record number, comments and recipient labels
	lComments   []string
	lReferTo    []string
	mailLead    []string // an email's lead line: %s the prescriber
	mailToday   []string // the same, for an order dated by the message alone: it says the order is from today
	subjects    []string // an office email's subject
	// prose says the order in the family's sentences (fProse's paragraphs).
	prose func(w *wording, third bool, who, mod, areas string) []string
	// sigPlaces are the places the signature may take on a page
	// (sigPlaceEnd, sigPlaceRight, sigPlaceTop); nil: where the layout puts it.
	sigPlaces []int
	// formHeader returns rows a form prints under its title (an
	// authorisation block); ehrNotes are lines of which an EHR page prints one
	// under its title (the kind of visit).
	formHeader func(w *wording) []block
	ehrNotes   []string
}

// sessionOpt is a session length phrase: minutes (0: units only) and texts;
// a text with %d takes the units.
type sessionOpt struct {
	minutes, weight int
	texts           []string
}

// Place of the Rx date in a family's document.
const (
	dateUsual  = iota // where the layout normally prints it
	dateSig           // only in the signature: the e-signature statement or beside the signature line
	dateHeader        // emails: only in the message's Date header; the body says the order is from today
)

var houseFamily = &wordingFamily{name: "house", house: true}

// wordingFamilies lists every family; the held-out ones last.
var wordingFamilies = []*wordingFamily{houseFamily, northside, lakeview, harbor, riverbend, tidewater, prairie, summit, mesa, juniper, piedmont, cascade, pacifica}

// FamilyNames returns the names of the wording families.
func FamilyNames() []string {
	var out []string
	for _, f := range wordingFamilies {
		out = append(out, f.name)
	}
	return out
}

// HeldOutFamilies returns the names of the families kept apart from tuning.
func HeldOutFamilies() []string {
	var out []string
	for _, f := range wordingFamilies {
		if f.heldOut {
			out = append(out, f.name)
		}
	}
	return out
}

// wordingFamilyByName returns a family; "" is house.
func wordingFamilyByName(name string) (*wordingFamily, bool) {
	if name == "" {
		return houseFamily, true
	}
	for _, f := range wordingFamilies {
		if f.name == name {
			return f, true
		}
	}
	return nil, false
}

// famPerson draws a person of a family's pools.
func (f *wordingFamily) person(r *rand.Rand, female bool, fromYear, toYear int) person {
	if f.house {
		return newPerson(r, female, fromYear, toYear)
	}
	p := newPersonFrom(r, female, fromYear, toYear, f.female, f.male, f.last)
	if len(f.suffixes) > 0 && !female && chance(r, 0.08) {
		p.suffix = pick(r, f.suffixes)
	}
	return p
}

func newPersonFrom(r *rand.Rand, female bool, fromYear, toYear int, fem, male, last []string) person {
	p := person{female: female, last: pick(r, last)}
	if female {
		p.first = pick(r, fem)
	} else {
		p.first = pick(r, male)
	}
	if chance(r, 0.3) {
		p.middle = string(rune('A' + r.IntN(26)))
	}
	p.dob = dobIn(r, fromYear, toYear)
	return p
}

// newFrequency draws a plan in the family's phrasing.
func (f *wordingFamily) newFrequency(r *rand.Rand, prose bool) *freqSpec {
	if f.house {
		return newFrequency(r, prose)
	}
	return f.freq(r, prose)
}

func (f *wordingFamily) newOpenFrequency(r *rand.Rand) *freqSpec {
	if f.house {
		return newOpenFrequency(r)
	}
	return &freqSpec{text: pick(r, f.open)}
}

func (f *wordingFamily) newSession(r *rand.Rand) *sessionSpec {
	if f.house {
		return newSession(r)
	}
	total := 0
	for _, s := range f.sessions {
		total += s.weight
	}
	k := r.IntN(total)
	for _, s := range f.sessions {
		if k >= s.weight {
			k -= s.weight
			continue
		}
		t := pick(r, s.texts)
		if s.minutes == 0 {
			u := pick(r, []int{2, 3, 4, 4, 4})
			return &sessionSpec{text: fmt.Sprintf(t, u), units: u}
		}
		if strings.Contains(t, "%d") {
			t = fmt.Sprintf(t, Units(s.minutes))
		}
		return &sessionSpec{text: t, minutes: s.minutes, units: Units(s.minutes)}
	}
	panic("unreachable")
}

// Plan-writing helpers shared by the families' frequency generators.

// word writes n as a word.
func word(n int) string {
	if n < len(numberWords) {
		return numberWords[n]
	}
	return fmt.Sprint(n)
}

func weeksWord(w int) string { return plural(w, "week", "weeks") }

// plan is a plan of n visits a week for w weeks, worded by the family's
// functions: rate(n) and dur(w) are the two halves, join puts them together.
func plan(n, w int, rate, dur string, text string) *freqSpec {
	return &freqSpec{text: text, visits: n * w, weeks: w, plan: true, perWeek: rate, duration: dur}
}

// northside: a suburban multi-specialty group in the Midwest with its own
// EHR templates; short labels, numeric dates, "x/wk" notation.
var northside = &wordingFamily{
	name: "northside",
	female: []string{"Anne-Marie", "Kathleen", "Brenda", "Heather", "Tamika", "Lupe", "Ingrid", "Megan", "Shanice", "Colleen", "Dana",
		"Marisol", "Gretchen", "Bethany", "Lorraine", "Jo Ann", "Krystal", "Ruth", "Noor", "Svetlana"},
	male: []string{"Dale", "Kurt", "Leroy", "Todd", "Ernesto", "Marcus", "Dwayne", "Jean-Paul", "Randall", "Gus", "Harold",
		"Mohammed", "Cody", "Desmond", "Lars", "Tomasz", "Earl", "Jamal", "Wade", "Chad"},
	last: []string{"O'Brien", "D'Angelo", "Smith-Jones", "van der Berg", "McDonald", "Kowalczyk", "Lindstrom", "Schultz", "Brandt",
		"Van Buren", "Olson", "Nowak", "MacKenzie", "Hagen", "Petersen", "Washington", "Jablonski", "Dunn", "Ortiz-Lopez", "St. John",
		"Halvorsen", "Mueller", "Krueger", "Banks", "O'Neill"},
	docFirst: []string{"Gregory", "Heidi", "Nathan", "Kristin", "Ahmad", "Julie", "Brent", "Sunita", "Mark", "Erin", "Tobias", "Yvonne", "Prakash", "Molly"},
	docLast: []string{"Lindqvist", "Hanssen", "D'Souza", "McAllister", "Bergstrom", "Iyer", "Schroeder", "Van Horn", "Ostrowski",
		"Kaminski", "O'Rourke", "Albrecht", "Thorsen", "Mahmoud"},
	suffixes: []string{"Jr.", "Sr.", "III", "II"},
	creds: []weighted[credential]{
		{credential{"MD", []string{"MD", "M.D.", "M.D"}}, 8}, {credential{"DO", []string{"DO", "D.O."}}, 3},
		{credential{"PA-C", []string{"PA-C", "PA"}}, 2}, {credential{"NP", []string{"NP", "FNP-C", "APRN"}}, 2},
		{credential{"DC", []string{"DC", "D.C."}}, 1}, {credential{"", []string{""}}, 1},
	},
	practices: []practice{
		{name: "Northside Family Physicians", csid: "NORTHSIDE FP", street: "4410 N Oakland Ave", city: "Milwaukee", state: "WI", zip: "53211", area: "414", domain: "northsidefp.example"},
		{name: "Lakeshore Spine & Sports", csid: "LAKESHORE SPINE", street: "925 E Wells St, Ste 200", city: "Milwaukee", state: "WI", zip: "53202", area: "414", domain: "lakeshorespine.example"},
		{name: "Fox Valley Internal Medicine", csid: "FOXVALLEY IM", street: "1818 N Meade St", city: "Appleton", state: "WI", zip: "54911", area: "920", domain: "foxvalleyim.example"},
		{name: "Prairie Health Partners - Orthopedics", csid: "PRAIRIE HP ORTHO", street: "3100 W Lincoln Hwy", city: "DeKalb", state: "IL", zip: "60115", area: "815", domain: "prairiehp.example"},
		{name: "Twin Ports Physical Medicine & Rehab", csid: "TWIN PORTS PM&R", street: "502 E 2nd St", city: "Duluth", state: "MN", zip: "55805", area: "218", domain: "twinportspmr.example"},
	},
	staff:      []string{"Becky", "Tammy", "Jolene", "Derek", "Ashlee", "Kari", "Shawna", "Nate"},
	staffRoles: []string{"CMA", "Referral Specialist", "Patient Care Coordinator", "RN Care Manager", "Scheduling"},
	dateFmts:   []string{"1/2/2006", "01/02/2006", "1-2-2006", "01/02/06", "Jan. 2, 2006"},
	dobFmts:    []string{"1/2/2006", "01/02/2006", "01-02-2006"},
	handFmts:   []string{"1/2/06", "1/2/2006", "1-2-06"},
	mod97140: []string{"myofascial release (MFR)", "neuromuscular therapy (NMT)", "soft tissue mobilization (STM)", "manual therapy",
		"trigger point therapy", "myofascial release", "soft-tissue mobilization", "manual traction"},
	mod97124:  []string{"massage", "massage therapy", "deep tissue massage", "relaxation massage"},
	codeForms: []string{" [%s]", " (CPT %s)", " - CPT %s"},
	nonOrders: []string{"Eval and tx", "Evaluate & treat per therapist", "E&T"},
	freq:      northsideFreq,
	open:      []string{"2x/wk ongoing", "as needed for flare-ups", "PRN", "1x/wk until further notice", "3x/wk", "weekly, reassess prn"},
	sessions: []sessionOpt{
		{60, 10, []string{"60 min", "60 minutes", "4 units (60 minutes)", "one hour", "%d units (60 min)"}},
		{45, 5, []string{"45 min", "3 units (45 min)", "45 minutes"}},
		{30, 3, []string{"30 min", "2 units (30 min)"}},
		{90, 1, []string{"90 min", "6 units (90 minutes)"}},
		{0, 5, []string{"%d units", "%d units/visit", "%d x 15 min units"}},
	},
	necessity: []string{"Medically necessary: Yes", "Treatment is medically necessary.", "Medically necessary for the above dx."},
	lPatient:  []string{"Pt name:", "Patient:", "Pt:"},
	lDOB:      []string{"DOB:", "Birth date:", "DOB"},
	lDate:     []string{"Date:", "Rx date:", "Date written:"},
	lDoctor:   []string{"Referring provider:", "Prescriber:", "Provider:"},
	lNPI:      []string{"NPI #", "NPI#:", "NPI No."},
	lModality: []string{"Tx:", "Therapy:", "Service requested:"},
	lAreas:    []string{"Area(s):", "Site(s):", "Treat areas:"},
	lDx:       []string{"Dx:", "ICD-10 Dx:", "Diagnoses:"},
	lFreq:     []string{"Freq:", "Frequency:", "Plan:"},
	lDur:      []string{"Duration:", "Length of plan:"},
	lSession:  []string{"Visit length:", "Time/visit:", "Units:"},
	lSigDate:  []string{"Date:", "Date signed:"},
	rxMarks:   []string{"Rx", "Rx:", "PT/MT Order"},
	formTitles: []string{"MASSAGE THERAPY REFERRAL", "Medical Massage Order", "Outpatient Therapy Referral - Massage",
		"Referral / Order for Manual Therapy"},
	ehrTitles: []string{"Therapy Referral", "Order Requisition", "REFERRAL - MASSAGE THERAPY"},
	statements: []string{
		"e-signed: %[1]s %[2]s %[3]s",
		"Signed electronically by %[1]s on %[2]s at %[3]s",
		"Electronically signed by %[1]s, %[2]s %[3]s",
		"Electronically signed: %[1]s  Date/Time: %[2]s %[3]s",
	},
	statementsNoDate: []string{"e-signed: %[1]s", "Signed electronically by %[1]s", "Provider e-signature on file: %[1]s (electronically signed)"},
	timeFmt:          "3:04 PM",
	greetings:        []string{"Dear %s staff,", "To the therapists at %s:", "Hello,"},
	closings:         []string{"Regards,", "Kind regards,", "Thanks,"},
	mailOpen:         []string{"Hi there -", "Hi %s,", "Hello %s team,", "Good morning -"},
	mailClose:        []string{"Thanks so much,", "Let us know if you need anything else.", "Have a great day,"},
	refLines:         []string{"RE: %[1]s  DOB %[2]s", "Patient: %[1]s (DOB %[2]s)", "Regarding: %[1]s, born %[2]s"},
	thanks:           []string{"Call with any questions.", "Please fax progress notes at 30 days."},
	upperChance:      0.3,
}

func northsideFreq(r *rand.Rand, prose bool) *freqSpec {
	n := pick(r, []int{1, 2, 2, 2, 3, 3})
	w := pick(r, []int{3, 4, 4, 6, 6, 8, 10, 12})
	switch k := r.IntN(20); {
	case k < 8:
		rate := pick(r, []string{fmt.Sprintf("%dx/wk", n), fmt.Sprintf("%dx per wk", n), fmt.Sprintf("%d x weekly", n), fmt.Sprintf("%dx/week", n)})
		dur := pick(r, []string{fmt.Sprintf("x %d wks", w), fmt.Sprintf("for %d wks", w), fmt.Sprintf("x%d weeks", w)})
		if prose {
			rate, dur = fmt.Sprintf("%dx/week", n), fmt.Sprintf("for %d weeks", w)
		}
		return plan(n, w, rate, dur, rate+" "+dur)
	case k < 12:
		rate := fmt.Sprintf("%s %s a week", word(n), plural(n, "visit", "visits"))
		dur := fmt.Sprintf("for %d %s", w, weeksWord(w))
		return plan(n, w, rate, dur, pick(r, []string{rate + "; continue " + dur, rate + ", " + dur, rate + " - continue " + dur}))
	case k < 15:
		v := n * w
		if n == 1 {
			v = w
		}
		return &freqSpec{text: pick(r, []string{fmt.Sprintf("%d visits over %d weeks", v, w), fmt.Sprintf("%d visits in %d wks", v, w),
			fmt.Sprintf("total of %d visits over %d weeks", v, w)}), visits: v, weeks: w, plan: true}
	case k < 17:
		m := pick(r, []int{1, 2, 3})
		return &freqSpec{text: fmt.Sprintf("%d times per week for %d %s", n, m, plural(m, "month", "months")), visits: n * 4 * m, weeks: 4 * m, plan: true}
	case k < 19:
		t := pick(r, []struct {
			text          string
			visits, weeks int
		}{{"3x/wk x 2 wks, then 2x/wk x 4 wks", 14, 6}, {"2x/wk x 4 wks then 1x/wk x 4 wks", 12, 8}, {"3x/wk for 2 wks, 2x/wk for 2 wks, 1x/wk for 2 wks", 12, 6}})
		return &freqSpec{text: t.text, visits: t.visits, weeks: t.weeks, plan: true}
	default:
		t := pick(r, []struct {
			text          string
			visits, weeks int
		}{{"1-2x/wk x 4-6 wks", 12, 6}, {"2-3x/wk x 4 wks", 12, 4}, {"1-2 visits/wk for 8 wks", 16, 8}})
		return &freqSpec{text: t.text, visits: t.visits, weeks: t.weeks, plan: true, isRange: true}
	}
}

// lakeview: a hospital-owned primary-care network in the Pacific Northwest;
// full words, long dates, sentences rather than abbreviations.
var lakeview = &wordingFamily{
	name: "lakeview",
	female: []string{"Siobhan", "Marguerite", "Yesenia", "Hoa", "Dolores", "Mary-Kate", "Priyanka", "Ruth Ann", "Abigail", "Esperanza",
		"Juniper", "Lorna", "Tatiana", "Wren", "Imelda", "Chiara", "Frances", "Leilani"},
	male: []string{"Desmond", "Ignacio", "Cornelius", "Bao", "Reginald", "Francisco", "Emmett", "Rashid", "Tobias", "Alistair",
		"Benedict", "Keanu", "Wendell", "Ezekiel", "Juan Carlos", "Sven", "Graham", "Declan"},
	last: []string{"de la Cruz", "O'Connell", "D'Amico", "St. Pierre", "MacLeod", "Villanueva-Ruiz", "Tanaka", "Fairbanks", "Whitaker",
		"Ngata", "van den Heuvel", "Le", "Okonjo", "Fitzpatrick", "Delacroix", "McKinney", "Ashworth", "Del Rio", "Kealoha", "Thibodeaux",
		"Pham-Nguyen", "Sorensen"},
	docFirst: []string{"Margaret", "Julian", "Soo-Jin", "Eamon", "Carmen", "Lucas", "Naomi", "Hamid", "Bridget", "Rafael", "Greta", "Oluwaseun"},
	docLast: []string{"Abernathy", "de Souza", "Fairweather", "O'Malley", "Castellano", "Nakagawa", "Whitcomb", "Van Wyk", "Okafor",
		"MacIntyre", "Rosenthal", "D'Alessandro"},
	suffixes: []string{"Jr.", "III"},
	creds: []weighted[credential]{
		{credential{"MD", []string{"MD", "M.D."}}, 7}, {credential{"DO", []string{"DO"}}, 2},
		{credential{"ARNP", []string{"ARNP", "FNP-C", "APRN"}}, 3}, {credential{"PA-C", []string{"PA-C"}}, 2},
		{credential{"ND", []string{"ND"}}, 1}, {credential{"MBBS", []string{"MBBS"}}, 1},
	},
	practices: []practice{
		{name: "Lakeview Primary Care - Ballard", csid: "LAKEVIEW PC BALLARD", street: "5350 Tallman Ave NW", city: "Seattle", state: "WA", zip: "98107", area: "206", domain: "lakeviewhealth.example"},
		{name: "Cascade Orthopaedic Associates", csid: "CASCADE ORTHO", street: "1600 116th Ave NE, Suite 402", city: "Bellevue", state: "WA", zip: "98004", area: "425", domain: "cascadeortho.example"},
		{name: "Willamette Valley Family Clinic", csid: "WVFC", street: "890 Commercial St SE", city: "Salem", state: "OR", zip: "97302", area: "503", domain: "wvfc.example"},
		{name: "Sound Integrative Medicine", csid: "SOUND INTEG MED", street: "2200 6th Ave", city: "Tacoma", state: "WA", zip: "98403", area: "253", domain: "soundintegrative.example"},
	},
	staff:      []string{"Marisol", "Quinn", "Harper", "Rosalind", "Theo", "Ingrid", "Paloma"},
	staffRoles: []string{"Care Coordinator", "Medical Assistant", "Referral Desk", "Nurse Navigator"},
	dateFmts:   []string{"January 2, 2006", "Jan 2, 2006", "01/02/2006", "Monday, January 2, 2006"},
	dobFmts:    []string{"01/02/2006", "Jan 2, 2006", "January 2, 2006"},
	handFmts:   []string{"1/2/2006", "01/02/2006", "Jan 2, 2006"},
	mod97140: []string{"myofascial release", "neuromuscular therapy", "manual lymphatic drainage", "soft tissue mobilization",
		"manual therapy techniques", "trigger point therapy"},
	mod97124:  []string{"therapeutic massage", "massage therapy", "Swedish massage", "massage"},
	codeForms: []string{" - %s", " (%s)", ", CPT code %s"},
	nonOrders: []string{"Evaluate and treat as indicated", "Please evaluate and recommend treatment"},
	freq:      lakeviewFreq,
	open:      []string{"as needed", "twice weekly, ongoing", "once a week until symptoms resolve", "as often as the patient tolerates", "weekly thereafter"},
	sessions: []sessionOpt{
		{60, 10, []string{"one hour", "sixty minutes", "60 minutes", "treatment time 60 minutes", "one-hour sessions"}},
		{45, 5, []string{"45 minutes", "forty-five minutes", "treatment time 45 minutes"}},
		{30, 3, []string{"thirty minutes", "30 minutes", "half an hour"}},
		{90, 2, []string{"ninety minutes", "an hour and a half"}},
		{0, 3, []string{"%d units", "%d fifteen-minute units"}},
	},
	necessity: []string{"This treatment is medically necessary.", "Massage therapy is medically necessary for this patient's condition.",
		"I certify that this treatment is medically necessary."},
	lPatient:  []string{"Name of patient:", "Patient name:", "Patient:"},
	lDOB:      []string{"Date of birth:", "Birth date:", "DOB:"},
	lDate:     []string{"Date of order:", "Ordered on:", "Order date:"},
	lDoctor:   []string{"Ordering physician:", "Ordering provider:", "Referring clinician:"},
	lNPI:      []string{"NPI:", "National Provider Identifier:", "Provider NPI:"},
	lModality: []string{"Treatment requested:", "Therapy ordered:", "Services:"},
	lAreas:    []string{"Body regions:", "Areas of treatment:", "Treatment areas:"},
	lDx:       []string{"Diagnosis:", "Diagnoses (ICD-10-CM):", "Reason for referral:"},
	lFreq:     []string{"Frequency and duration:", "Treatment plan:", "Visit schedule:"},
	lDur:      []string{"For:", "Plan length:"},
	lSession:  []string{"Length of each visit:", "Session duration:", "Treatment time:"},
	lSigDate:  []string{"Date:", "Date of order:"},
	rxMarks:   []string{"Rx", "Prescription"},
	formTitles: []string{"Request for Medical Massage Therapy", "Massage Therapy Prescription", "Integrative Therapy Referral",
		"Order for Therapeutic Bodywork"},
	ehrTitles: []string{"Ambulatory Referral to Massage Therapy", "Outpatient Referral", "Referral Order"},
	statements: []string{
		"Electronically signed by %[1]s on %[2]s at %[3]s.",
		"This document was signed electronically by %[1]s on %[2]s.",
		"Signed: %[1]s (electronic signature) %[2]s %[3]s",
	},
	statementsNoDate: []string{"Electronically signed by %[1]s.", "This document was signed electronically by %[1]s."},
	timeFmt:          "15:04",
	greetings:        []string{"Dear colleagues at %s,", "Dear Massage Therapist,", "To the care team:"},
	closings:         []string{"With thanks,", "Warm regards,", "Sincerely yours,"},
	mailOpen:         []string{"Hello %s,", "Dear %s team,", "Greetings,"},
	mailClose:        []string{"Warmly,", "With appreciation,", "Thank you kindly,"},
	refLines:         []string{"Re: %[1]s, date of birth %[2]s", "Regarding %[1]s (born %[2]s)", "Patient: %[1]s - DOB: %[2]s"},
	thanks:           []string{"Thank you for partnering in this patient's care.", "Please send a treatment summary at the end of the plan of care."},
	upperChance:      0.1,
}

func lakeviewFreq(r *rand.Rand, prose bool) *freqSpec {
	n := pick(r, []int{1, 2, 2, 3})
	w := pick(r, []int{2, 4, 4, 6, 6, 8, 12})
	times := map[int]string{1: "once", 2: "twice", 3: "three times"}
	switch k := r.IntN(20); {
	case k < 9:
		rate := pick(r, []string{times[n] + " weekly", times[n] + " a week", times[n] + " per week"})
		dur := pick(r, []string{"for " + word(w) + " " + weeksWord(w), fmt.Sprintf("for %d %s", w, weeksWord(w)), "over the next " + word(w) + " " + weeksWord(w)})
		if !prose && chance(r, 0.3) {
			return plan(n, w, rate, dur, capFirst(rate)+" "+dur)
		}
		return plan(n, w, rate, dur, rate+" "+dur)
	case k < 12:
		rate := fmt.Sprintf("%s %s per week", word(n), plural(n, "session", "sessions"))
		dur := fmt.Sprintf("for a total of %s %s", word(w), weeksWord(w))
		return plan(n, w, rate, dur, rate+" "+dur)
	case k < 15:
		v := n * w
		return &freqSpec{text: pick(r, []string{fmt.Sprintf("%s visits over %s weeks", word(v), word(w)), fmt.Sprintf("%d sessions over %d weeks", v, w),
			fmt.Sprintf("a course of %d treatments within %d weeks", v, w)}), visits: v, weeks: w, plan: true}
	case k < 17:
		m := pick(r, []int{1, 2})
		return &freqSpec{text: fmt.Sprintf("%s a week for %s %s", times[n], word(m), plural(m, "month", "months")), visits: n * 4 * m, weeks: 4 * m, plan: true}
	case k < 19:
		t := pick(r, []struct {
			text          string
			visits, weeks int
		}{{"twice a week for four weeks, then once a week for four weeks", 12, 8}, {"three times a week for two weeks, followed by twice a week for four weeks", 14, 6}})
		return &freqSpec{text: t.text, visits: t.visits, weeks: t.weeks, plan: true}
	default:
		t := pick(r, []struct {
			text          string
			visits, weeks int
		}{{"one to two times a week for six to eight weeks", 16, 8}, {"two to three sessions per week for four weeks", 12, 4}})
		return &freqSpec{text: t.text, visits: t.visits, weeks: t.weeks, plan: true, isRange: true}
	}
}

// harbor: offices in New England on a different EHR vendor: consult-request
// printouts with /es/ signatures, day-month-year dates, memo-style letters.
// Held out until it was studied; riverbend took its place.
var harbor = &wordingFamily{
	name: "harbor", heldOut: false,
	female: []string{"Maeve", "Concetta", "Aoife", "Rosalie", "Dorothea", "Maria Jose", "Lourdes", "Bernadette", "Thuy", "Ewa",
		"Philomena", "Kerry-Ann", "Nadia", "Genevieve", "Marisa", "Oona"},
	male: []string{"Seamus", "Domenic", "Aurelio", "Thaddeus", "Fitzgerald", "Jean-Baptiste", "Vinh", "Lorenzo", "Padraig", "Zbigniew",
		"Augustine", "Cosmo", "Eliseo", "Barnaby", "Hollis", "Mateus"},
	last: []string{"O'Sullivan", "DiMaggio", "LaFleur", "Costa-Medeiros", "McGillicuddy", "St. Germain", "de Oliveira", "Van Ness",
		"Pellegrino", "Fournier", "Kaczmarek", "O'Shaughnessy", "Dell'Orto", "MacNeil", "Tran", "Souza", "Sweeney", "Levesque", "da Silva", "Prendergast"},
	docFirst: []string{"Ciaran", "Francesca", "Wolcott", "Anneliese", "Thanh", "Ignatius", "Priscilla", "Dov", "Mairead", "Leopold", "Yasmin", "Constance"},
	docLast: []string{"Fitzsimmons", "Cabral", "Hollingsworth", "D'Agostino", "Vu", "MacDonald", "Lowell", "Abramowitz", "O'Donoghue",
		"Medeiros", "St. Onge", "Van Alstyne"},
	suffixes: []string{"Jr.", "III", "IV"},
	creds: []weighted[credential]{
		{credential{"MD", []string{"MD", "M.D."}}, 6}, {credential{"DO", []string{"D.O."}}, 2},
		{credential{"NP", []string{"NP-C", "ANP-BC", "FNP-BC"}}, 2}, {credential{"PA-C", []string{"PA-C"}}, 2},
		{credential{"DPM", []string{"DPM"}}, 1}, {credential{"MBBS", []string{"MBBS"}}, 1}, {credential{"", []string{""}}, 1},
	},
	practices: []practice{
		{name: "Harbor Community Health Center", csid: "HARBOR CHC", street: "398 Neponset Ave", city: "Dorchester", state: "MA", zip: "02122", area: "617", domain: "harborchc.example"},
		{name: "South Shore Musculoskeletal Institute", csid: "SSMI", street: "55 Fogg Rd", city: "Weymouth", state: "MA", zip: "02190", area: "781", domain: "ssmi.example"},
		{name: "Narragansett Bay Medical Group", csid: "NBMG", street: "1 Kennedy Plaza, 5th Fl", city: "Providence", state: "RI", zip: "02903", area: "401", domain: "nbmg.example"},
		{name: "Pioneer Valley Neurology & Pain", csid: "PV NEURO PAIN", street: "3300 Main St", city: "Springfield", state: "MA", zip: "01107", area: "413", domain: "pvneuro.example"},
	},
	staff:      []string{"Colm", "Deirdre", "Fatou", "Nuno", "Sinead", "Gabriela"},
	staffRoles: []string{"Practice Associate", "PSR", "Clinical Secretary", "Referral Management"},
	dateFmts:   []string{"02 Jan 2006", "2 Jan 2006", "Jan 02, 2006", "01/02/2006", "02-Jan-2006"},
	dobFmts:    []string{"02 Jan 2006", "01/02/2006", "Jan 02, 2006"},
	handFmts:   []string{"2 Jan 06", "1/2/2006", "01/02/2006"},
	mod97140: []string{"manual therapy (myofascial release)", "neuromuscular therapy", "myofascial release", "soft tissue mobilization",
		"MLD (manual lymphatic drainage)", "manual therapy"},
	mod97124:  []string{"massage", "Swedish massage", "therapeutic massage"},
	codeForms: []string{" [CPT %s]", " (procedure code %s)", " / %s"},
	nonOrders: []string{"Consult: evaluate and treat", "Eval/Rx per massage therapist", "Please assess and advise"},
	freq:      harborFreq,
	open:      []string{"prn", "as req'd", "weekly - open ended", "2/week, to continue", "1-2/week as tolerated", "QW ongoing"},
	sessions: []sessionOpt{
		{60, 10, []string{"60'", "1 hr", "60 minute visits", "4u / 60 min", "sixty (60) minutes"}},
		{45, 4, []string{"45'", "45 minute visits", "3u / 45 min"}},
		{30, 3, []string{"30'", "30 minute visits"}},
		{75, 1, []string{"75 minute visits"}},
		{0, 4, []string{"%d units each", "%du"}},
	},
	necessity: []string{"Medical necessity: established", "Necessity: medically necessary", "Medically necessary - see dx above",
		"Clinically indicated and medically necessary."},
	lPatient:  []string{"PATIENT NAME", "Patient Name", "Client:"},
	lDOB:      []string{"DOB", "Date of Birth", "D.O.B"},
	lDate:     []string{"DATE OF REQUEST", "Request Date", "Entered"},
	lDoctor:   []string{"REQUESTING PROVIDER", "Attending", "Ordering Clinician"},
	lNPI:      []string{"NPI", "Provider NPI", "NPI No"},
	lModality: []string{"ORDERABLE ITEM", "Service", "Requested Service"},
	lAreas:    []string{"BODY PART(S)", "Location", "Anatomic site(s)"},
	lDx:       []string{"PROVISIONAL DIAGNOSIS", "Dx (ICD-10-CM)", "Problem(s)"},
	lFreq:     []string{"FREQUENCY", "Visits Authorized", "Schedule"},
	lDur:      []string{"DURATION", "Span"},
	lSession:  []string{"VISIT LENGTH", "Minutes per visit", "Time"},
	lSigDate:  []string{"Signed:", "Dated:"},
	rxMarks:   []string{"Rx", "ORDER", "REQUEST"},
	formTitles: []string{"CONSULT / REFERRAL REQUEST - MASSAGE", "Complementary Therapy Request", "Bodywork Services Request Form",
		"REQUEST FOR SERVICES"},
	ehrTitles: []string{"CONSULT REQUEST", "Consultation Order", "Interdisciplinary Referral"},
	statements: []string{
		"/es/ %[1]s\nSigned: %[2]s %[3]s",
		"Authenticated (e-signed) by %[1]s %[2]s %[3]s",
		"Signed (electronic) %[2]s %[3]s - %[1]s",
	},
	statementsNoDate: []string{"/es/ %[1]s", "Authenticated (e-signed) by %[1]s"},
	timeFmt:          "15:04",
	greetings:        []string{"To: %s", "Attn: %s intake", "Dear Provider,"},
	closings:         []string{"Yours truly,", "Cordially,", "Respectfully submitted,"},
	mailOpen:         []string{"Good day,", "Hi folks at %s,", "Attn %s:"},
	mailClose:        []string{"Cheers,", "All the best,", "Many thanks,"},
	refLines:         []string{"SUBJECT: %[1]s / DOB %[2]s", "Client: %[1]s   Born: %[2]s", "RE: referral - %[1]s (%[2]s)"},
	thanks:           []string{"Reply via secure fax.", "Questions to the referral line."},
	ehrStyle:         1,
	letterMemo:       true,
	upperChance:      0.6,
}

func harborFreq(r *rand.Rand, prose bool) *freqSpec {
	n := pick(r, []int{1, 2, 2, 3})
	w := pick(r, []int{4, 4, 6, 8, 12})
	switch k := r.IntN(20); {
	case k < 7:
		rate := pick(r, []string{fmt.Sprintf("%d/week", n), fmt.Sprintf("%d visits/week", n), fmt.Sprintf("%d per week", n)})
		dur := pick(r, []string{fmt.Sprintf("%d weeks", w), fmt.Sprintf("%d wk", w), fmt.Sprintf("%d weeks total", w)})
		return plan(n, w, rate, dur, rate+" for "+dur)
	case k < 10:
		rate := fmt.Sprintf("%d/week", n)
		dur := fmt.Sprintf("%d weeks", w)
		return plan(n, w, rate, dur, fmt.Sprintf("%d weeks @ %d/week", w, n))
	case k < 14:
		v := n * w
		return &freqSpec{text: pick(r, []string{fmt.Sprintf("%d visits / %d weeks", v, w), fmt.Sprintf("%d visits authorized over %d weeks", v, w),
			fmt.Sprintf("up to %d visits in %d weeks", v, w)}), visits: v, weeks: w, plan: true}
	case k < 17:
		m := pick(r, []int{1, 2, 3})
		return &freqSpec{text: fmt.Sprintf("%d/week x %d %s", n, m, plural(m, "month", "months")), visits: n * 4 * m, weeks: 4 * m, plan: true}
	default:
		t := pick(r, []struct {
			text          string
			visits, weeks int
		}{{"3/week x 2 weeks; 2/week x 2 weeks; 1/week x 4 weeks", 14, 8}, {"2/week x 3 weeks, then 1/week x 3 weeks", 9, 6}})
		return &freqSpec{text: t.text, visits: t.visits, weeks: t.weeks, plan: true}
	}
}

// riverbend: a clinic network of the US Southwest (Texas, New Mexico,
// Arizona): member/client wording of managed-care referral desks, "sessions
// weekly over N wks" plans, ISO and two-digit-year dates, Spanish and Navajo
// surnames with particles, credentials written several ways, memo letters
// and mixed-case EHR printouts. Held out until it was studied; tidewater
// took its place.
var riverbend = &wordingFamily{
	name: "riverbend", heldOut: false,
	female: []string{"Guadalupe", "Marisela", "Yazmin", "Araceli", "Xochitl", "Mary Lou", "Betty Jo", "Consuelo", "Darlene", "LaDonna",
		"Nizhoni", "Reyna", "Ana Lucia", "Kaylee", "Rosaura", "Mary-Beth", "Itzel", "Shonda", "Trinidad", "Wanda"},
	male: []string{"Refugio", "Billy Ray", "Efrain", "Dustin", "Joaquin", "Rigoberto", "Lonnie", "Jose Luis", "Kade", "Bobby Joe",
		"Anselmo", "Delbert", "Juan Pablo", "Eusebio", "Clint", "Santiago", "Wyatt", "Armando", "Travis", "Hoang"},
	last: []string{"de la Garza", "De los Santos", "Villarreal", "Yazzie", "Begay", "Tsosie", "McCandless", "O'Hara", "Baca-Trujillo",
		"Van Zandt", "Montoya", "Gonzales-Ruiz", "LeBlanc", "Del Toro", "D'Arcy", "Archuleta", "Quintana", "Etsitty", "Lujan",
		"Abeyta", "Ortega-Vigil", "MacGregor", "Vander Wal", "Hinojosa", "del Castillo", "O'Leary"},
	docFirst: []string{"Esteban", "Rosalinda", "Bradley", "Ngozi", "Tuan", "Lorena", "Hector", "Kathryn", "Vikram", "Shiloh",
		"Benito", "Adaeze", "Wes", "Mercedes"},
	docLast: []string{"de la Rosa", "O'Keeffe", "Benavides", "Van Pelt", "Nakai", "Castaneda", "Yellowhorse", "Ruiz de Velasco",
		"LaRue", "Sandoval", "Okonkwo-Reyes", "McBride", "St. Cyr", "Dominguez"},
	suffixes: []string{"Jr.", "Sr.", "II", "III"},
	creds: []weighted[credential]{
		{credential{"MD", []string{"MD", "M.D.", "MD, MPH"}}, 7}, {credential{"DO", []string{"DO", "D.O."}}, 3},
		{credential{"NP", []string{"NP-C", "FNP-BC", "DNP, FNP-BC", "APRN, FNP-C"}}, 3}, {credential{"PA-C", []string{"PA-C", "PA"}}, 2},
		{credential{"DC", []string{"DC"}}, 1}, {credential{"", []string{""}}, 1},
	},
	practices: []practice{
		{name: "Riverbend Family Medicine", csid: "RIVERBEND FM", street: "2105 W Anderson Ln, Ste 110", city: "Austin", state: "TX", zip: "78757", area: "512", domain: "riverbendfm.example"},
		{name: "Rio Grande Orthopedic & Spine", csid: "RIO GRANDE ORTHO", street: "8801 Horizon Blvd NE", city: "Albuquerque", state: "NM", zip: "87113", area: "505", domain: "riograndeortho.example"},
		{name: "Sonoran Desert Pain & Rehabilitation", csid: "SONORAN PAIN REHAB", street: "4420 E Camelback Rd, Suite 150", city: "Phoenix", state: "AZ", zip: "85018", area: "602", domain: "sonoranpain.example"},
		{name: "Hill Country Sports Medicine", csid: "HILL CTRY SPORTS MED", street: "1250 Junction Hwy", city: "Kerrville", state: "TX", zip: "78028", area: "830", domain: "hillcountrysm.example"},
		{name: "Sangre de Cristo Integrative Health", csid: "SDC INTEGRATIVE", street: "1590 St. Michael's Dr", city: "Santa Fe", state: "NM", zip: "87505", area: "505", domain: "sdcintegrative.example"},
		{name: "Paso del Norte Internal Medicine", csid: "PDN INTERNAL MED", street: "1600 N Mesa St", city: "El Paso", state: "TX", zip: "79902", area: "915", domain: "pdnim.example"},
		{name: "Saguaro Primary Care Associates", csid: "SAGUARO PCA", street: "6565 E Broadway Blvd", city: "Tucson", state: "AZ", zip: "85710", area: "520", domain: "saguaropca.example"},
	},
	staff:      []string{"Yesenia", "Dakota", "Brandi", "Ruben", "Lupita", "Cheyenne", "Arturo"},
	staffRoles: []string{"Prior Auth Specialist", "Patient Navigator", "MA II", "Front Office Lead", "Referrals Dept."},
	dateFmts:   []string{"January 2, 2006", "2006-01-02", "01/02/06", "Jan 2 2006", "Mon, Jan 2, 2006"},
	dobFmts:    []string{"1/2/2006", "2006-01-02", "Jan 2, 2006"},
	handFmts:   []string{"1/2/06", "1-2-2006", "Jan 2 2006"},
	mod97140: []string{"myofascial release (MFR)", "MFR", "trigger point release", "neuromuscular therapy (NMT)", "soft tissue mobilization",
		"STM", "manual therapy", "manual lymph drainage"},
	mod97124:  []string{"therapeutic massage", "deep tissue massage", "sports massage", "massage therapy"},
	codeForms: []string{" (CPT: %s)", " -- %s", " (code %s)"},
	nonOrders: []string{"Eval & treat per LMT", "LMT to evaluate and treat", "Therapist to determine treatment"},
	freq:      riverbendFreq,
	open:      []string{"as needed", "PRN flare-ups", "2 sessions weekly, ongoing", "weekly until re-evaluation", "1-2 visits/wk as tolerated", "monthly maintenance"},
	sessions: []sessionOpt{
		{60, 10, []string{"60-minute sessions", "60 min/visit", "1 hr each", "60 min (%d units)", "one (1) hour", "60 mins"}},
		{45, 5, []string{"45-minute sessions", "45 min/visit", "45 mins"}},
		{30, 3, []string{"30-minute sessions", "30 min/visit", "a half-hour"}},
		{90, 2, []string{"90-minute sessions", "1.5 hrs", "90 min (%d units)"}},
		{50, 1, []string{"50 min/visit"}},
		{0, 4, []string{"%d timed units", "%d units/visit", "%d units of 15 min each"}},
	},
	necessity: []string{"Services are medically necessary.", "Medically necessary (see Dx codes)", "I attest this treatment is medically necessary.",
		"Medical necessity confirmed by ordering clinician"},
	lPatient:  []string{"Member:", "Client name:", "Patient/Member:"},
	lDOB:      []string{"Birthdate:", "DOB:", "Member DOB:"},
	lDate:     []string{"Date ordered:", "Referral date:", "Order dt:"},
	lDoctor:   []string{"Ordering clinician:", "Referred by:", "Ordering practitioner:"},
	lNPI:      []string{"Type 1 NPI:", "NPI number:", "Indiv. NPI"},
	lModality: []string{"Modality:", "Therapy type:", "Requested therapy:"},
	lAreas:    []string{"Regions to treat:", "Body area(s):", "Focus areas:"},
	lDx:       []string{"Dx codes:", "ICD-10 codes:", "Dx/ICD-10:"},
	lFreq:     []string{"Visits:", "Plan of care:", "Rx plan:"},
	lDur:      []string{"Total duration:", "Length of care:"},
	lSession:  []string{"Duration of each visit:", "Session length:", "Minutes/units:"},
	lSigDate:  []string{"Date:", "Today's date:"},
	rxMarks:   []string{"Rx", "Rx/Order", "ORDERS:"},
	formTitles: []string{"MEDICAL MASSAGE THERAPY ORDER", "Manual Therapy Referral - Outpatient", "Therapeutic Massage Rx Form",
		"Integrative Care Referral (Massage/Bodywork)"},
	ehrTitles: []string{"Outgoing Referral - Massage Therapy", "Ambulatory Order: Manual Therapy", "REFERRAL ORDER SUMMARY"},
	statements: []string{
		"Signed electronically by %[1]s on %[2]s at %[3]s",
		"E-Signature: %[1]s (signed %[2]s %[3]s)",
		"%[1]s - digitally signed %[2]s, %[3]s",
		"Electronically authenticated and signed: %[1]s | %[2]s %[3]s",
	},
	statementsNoDate: []string{"E-Signature: %[1]s (signed electronically)", "%[1]s - digitally signed", "Signed electronically by %[1]s"},
	timeFmt:          "3:04 pm",
	greetings:        []string{"Dear Colleague,", "Good afternoon, %s,", "To the intake team at %s:"},
	closings:         []string{"Respectfully,", "Best,", "Gratefully,"},
	mailOpen:         []string{"Howdy %s team,", "Hi y'all,", "Good morning, %s -"},
	mailClose:        []string{"Thank you!", "Appreciate y'all,", "Take care,"},
	refLines:         []string{"Member: %[1]s | DOB: %[2]s", "RE: %[1]s (DOB: %[2]s)", "Client: %[1]s, d.o.b. %[2]s"},
	thanks:           []string{"Please send visit notes to our referrals inbox.", "Call our referral line with any scheduling questions."},
	letterMemo:       true,
	upperChance:      0.45,
}

func riverbendFreq(r *rand.Rand, prose bool) *freqSpec {
	n := pick(r, []int{1, 2, 2, 3, 3})
	w := pick(r, []int{3, 4, 6, 6, 8, 10, 12})
	times := map[int]string{1: "once", 2: "twice", 3: "three times"}
	switch k := r.IntN(20); {
	case k < 6:
		rate := pick(r, []string{fmt.Sprintf("%d %s weekly", n, plural(n, "session", "sessions")), fmt.Sprintf("%d %s/wk", n, plural(n, "visit", "visits")),
			fmt.Sprintf("%dx a week", n), times[n] + " per week"})
		dur := pick(r, []string{fmt.Sprintf("over %d wks", w), fmt.Sprintf("x %d wk", w), fmt.Sprintf("for a total of %d weeks", w)})
		if prose {
			rate = pick(r, []string{fmt.Sprintf("%d %s per week", n, plural(n, "session", "sessions")), times[n] + " per week"})
			dur = fmt.Sprintf("for a total of %d weeks", w)
		}
		return plan(n, w, rate, dur, rate+" "+dur)
	case k < 9:
		rate := fmt.Sprintf("%d %s per week", n, plural(n, "visit", "visits"))
		dur := fmt.Sprintf("%d weeks", w)
		return plan(n, w, rate, dur, dur+" at "+rate)
	case k < 12:
		v := n * w
		return &freqSpec{text: pick(r, []string{fmt.Sprintf("%d visits total in %d weeks", v, w), fmt.Sprintf("%d sessions spread over %d weeks", v, w),
			fmt.Sprintf("a series of %d treatments over %d weeks", v, w)}), visits: v, weeks: w, plan: true}
	case k < 14:
		m := pick(r, []int{1, 2, 3})
		t := fmt.Sprintf("%dx weekly x %d mo", n, m)
		if prose || chance(r, 0.5) {
			t = fmt.Sprintf("%d %s weekly for %s %s", n, plural(n, "session", "sessions"), word(m), plural(m, "month", "months"))
		}
		return &freqSpec{text: t, visits: n * 4 * m, weeks: 4 * m, plan: true}
	case k < 15:
		w := pick(r, []int{8, 12})
		return &freqSpec{text: fmt.Sprintf("every 2 weeks over %d weeks", w), visits: w / 2, weeks: w, plan: true}
	case k < 18:
		t := pick(r, []struct {
			text          string
			visits, weeks int
		}{{"2 sessions weekly x 3 wks, then 1 session weekly x 3 wks", 9, 6}, {"3 visits/wk for 2 wks, then 2 visits/wk for 4 wks", 14, 6},
			{"twice per week for 4 weeks, then once per week for 4 weeks", 12, 8}})
		return &freqSpec{text: t.text, visits: t.visits, weeks: t.weeks, plan: true}
	default:
		t := pick(r, []struct {
			text          string
			visits, weeks int
		}{{"1-2 sessions weekly over 6 wks", 12, 6}, {"2-3 visits/wk x 4-6 wks", 18, 6}, {"1 to 2 times per week for 4 to 8 weeks", 16, 8}})
		return &freqSpec{text: t.text, visits: t.visits, weeks: t.weeks, plan: true, isRange: true}
	}
}

// tidewater: held out. A clinic network of the US Southeast and Mid-Atlantic
// (Virginia, the Carolinas, Georgia, the Florida panhandle): recipient and
// beneficiary wording of payer-facing order desks, BIW/TIW/QW shorthand and
// spelled-out "two (2) visits per week" plans, day-month-year and
// abbreviated-weekday dates, Lowcountry and Huguenot surnames with particles,
// apostrophes and hyphens, credentials with fellowships and board
// certifications, consult-style EHR printouts and plain letters. Held out
// until it was studied; prairie took its place.
var tidewater = &wordingFamily{
	name: "tidewater", heldOut: false,
	female: []string{"Lula Mae", "Ruby Jean", "Earline", "Tameka", "Antoinette", "Wilhelmina", "Bobbie Sue", "Ernestine", "Charlene",
		"Quiana", "Emmaline", "Ansley", "Delphine", "Lakisha", "Opal", "Mary Grace", "Shaquana", "Lottie", "Thu Trang", "Annabelle"},
	male: []string{"Thurman", "Otis", "Roosevelt", "Jimmy Lee", "Tavon", "Booker", "Lamar", "Jefferson", "Waylon", "Hampton",
		"DeShawn", "Rhett", "Ellis", "Luther", "Tucker", "Marquis", "Boyd", "Cornell", "Duc Minh", "Ray Charles"},
	last: []string{"Beauchamp", "McAllister-Brown", "O'Neal", "Pinckney", "Ravenel", "DuBose", "Legare", "Singletary", "Pettigrew",
		"St. Amand", "du Pre", "McCrory", "Ledbetter", "Tolliver", "Whitlock-Hayes", "MacRae", "D'Antignac", "Vanderhorst", "De Treville",
		"Etheridge", "Manigault", "Gadsden", "Rutledge", "Ashby-Lyle", "O'Quinn", "LaRoche"},
	docFirst: []string{"Caldwell", "Eugenia", "Lamont", "Anjali", "Beau", "Winston", "Odessa", "Chukwuemeka", "Latrice", "Parker",
		"Quang", "Mary Catherine", "Roshni", "Ellison"},
	docLast: []string{"Huger", "O'Bannon", "McKissick", "DeLoach", "Ballentine", "St. Julien", "Okoro-Pinckney", "Vanlandingham",
		"DeSaussure", "MacFarlane", "Kirkland", "D'Alessio", "Ng", "Ravenel-Hart"},
	suffixes: []string{"Jr.", "Sr.", "III"},
	creds: []weighted[credential]{
		{credential{"MD", []string{"M.D.", "MD", "M.D., FACP", "MD, FAAFP"}}, 7}, {credential{"DO", []string{"D.O.", "DO", "DO, FAAPMR"}}, 3},
		{credential{"NP", []string{"ANP-BC", "AGNP-C", "NP", "MSN, FNP-C"}}, 3}, {credential{"PA-C", []string{"PA-C", "MPAS, PA-C"}}, 2},
		{credential{"DC", []string{"D.C."}}, 1}, {credential{"", []string{""}}, 1},
	},
	practices: []practice{
		{name: "Tidewater Family & Internal Medicine", csid: "TIDEWATER FIM", street: "6161 Kempsville Cir, Ste 310", city: "Norfolk", state: "VA", zip: "23502", area: "757", domain: "tidewaterfim.example"},
		{name: "Chesapeake Bay Orthopaedics", csid: "CHES BAY ORTHO", street: "1001 Volvo Pkwy", city: "Chesapeake", state: "VA", zip: "23320", area: "757", domain: "chesbayortho.example"},
		{name: "James River Neurology Associates", csid: "JAMES RIVER NEURO", street: "7001 Forest Ave, Suite 300", city: "Richmond", state: "VA", zip: "23230", area: "804", domain: "jamesriverneuro.example"},
		{name: "Cape Fear Physical Medicine & Rehabilitation", csid: "CAPE FEAR PM&R", street: "1915 S 17th St", city: "Wilmington", state: "NC", zip: "28401", area: "910", domain: "capefearpmr.example"},
		{name: "Piedmont Triad Internal Medicine", csid: "PIEDMONT TRIAD IM", street: "1210 N Elm St", city: "Greensboro", state: "NC", zip: "27401", area: "336", domain: "ptim.example"},
		{name: "Lowcountry Spine & Pain Center", csid: "LOWCOUNTRY SPINE", street: "2093 Henry Tecklenburg Dr", city: "Charleston", state: "SC", zip: "29414", area: "843", domain: "lowcountryspine.example"},
		{name: "Coastal Empire Primary Care", csid: "COASTAL EMPIRE PC", street: "4700 Waters Ave", city: "Savannah", state: "GA", zip: "31404", area: "912", domain: "coastalempirepc.example"},
		{name: "Emerald Coast Sports Medicine", csid: "EMERALD CST SPORTS", street: "4400 Bayou Blvd, Bldg 12", city: "Pensacola", state: "FL", zip: "32503", area: "850", domain: "emeraldcoastsm.example"},
	},
	staff:      []string{"LaShonda", "Mary Grace", "Tripp", "Kendra", "Ashton", "Bobbie", "Shelby"},
	staffRoles: []string{"Referral Nurse", "LPN, Referrals", "Patient Access Rep", "Clinical Care Coordinator", "Medical Office Asst.", "Orders Desk"},
	dateFmts:   []string{"2 January 2006", "January 02, 2006", "Mon. Jan. 2, 2006", "1/2/2006", "2 Jan. 2006"},
	dobFmts:    []string{"1/2/2006", "2 January 2006", "01/02/2006"},
	handFmts:   []string{"1/2/06", "1/2/2006", "1/2/'06"},
	mod97140: []string{"myofascial release techniques", "MFR (myofascial release)", "NMT (neuromuscular therapy)", "neuromuscular therapy techniques",
		"trigger-point therapy", "STM (soft tissue mobilization)", "skilled manual therapy", "manual lymphatic drainage (MLD)"},
	mod97124:  []string{"Swedish-style massage", "general massage therapy", "massage (effleurage/petrissage)", "massage, therapeutic"},
	codeForms: []string{" (CPT #%s)", " - CPT code %s", " [code %s]"},
	nonOrders: []string{"Eval and treat at therapist's discretion", "Assess & treat as indicated", "Therapist's choice of technique"},
	freq:      tidewaterFreq,
	open:      []string{"p.r.n.", "as clinically indicated", "QW, no end date", "1 to 2 visits weekly, ongoing", "BIW until improved", "TIW as tolerated"},
	sessions: []sessionOpt{
		{60, 10, []string{"one full hour", "1 hour (%d units)", "60 min. (%d units)", "sixty (60) min", "60-minute treatment"}},
		{45, 5, []string{"45 min. (%d units)", "forty-five (45) min", "45-minute treatment"}},
		{30, 3, []string{"30 min. (%d units)", "thirty (30) min"}},
		{90, 2, []string{"ninety (90) min", "1 1/2 hours", "90 min. (%d units)"}},
		{75, 1, []string{"seventy-five (75) min"}},
		{0, 4, []string{"%d x 15-minute units", "%d billable units", "%d units of service"}},
	},
	necessity: []string{"Medically necessary for treatment of the above diagnoses.", "Medical necessity: YES",
		"This therapy is medically necessary to restore function.", "Ordering provider certifies medical necessity."},
	lPatient:  []string{"Recipient:", "Beneficiary name:", "Pt. legal name:"},
	lDOB:      []string{"Date of birth (DOB):", "Pt. DOB:", "Born:"},
	lDate:     []string{"Date of Rx:", "Rx written:", "Prescription date:"},
	lDoctor:   []string{"Ordering MD/DO/NP:", "Prescribing clinician:", "Authorizing provider:"},
	lNPI:      []string{"Prescriber NPI:", "NPI ID:", "Natl. Provider ID:"},
	lModality: []string{"Orders:", "Rx details:", "Requested intervention:"},
	lAreas:    []string{"Anatomical region(s):", "Regions affected:", "Apply to:"},
	lDx:       []string{"Clinical indication:", "ICD-10-CM code(s):", "Diagnosis codes (ICD-10):"},
	lFreq:     []string{"Treatment frequency:", "Visit frequency:", "Schedule of care:"},
	lDur:      []string{"Weeks of care:", "Course length:"},
	lSession:  []string{"Minutes/units per session:", "Session time:", "Per-visit time:"},
	lSigDate:  []string{"Date of signature:", "Sig. date:"},
	rxMarks:   []string{"Rx", "RX ORDER", "Rx / Orders"},
	formTitles: []string{"REFERRAL FOR MEDICAL MASSAGE / MANUAL THERAPY", "Massage & Bodywork Order Sheet", "Outpatient Order - Licensed Massage Therapy",
		"Soft Tissue Therapy Request"},
	ehrTitles: []string{"Order Detail: Massage Therapy Referral", "ORDERS - OUTPATIENT THERAPY", "Referral Order (External)"},
	statements: []string{
		"Electronically signed and attested by %[1]s on %[2]s, %[3]s",
		"[Electronically Signed] %[1]s %[2]s %[3]s",
		"Provider attestation: signed electronically by %[1]s - %[2]s at %[3]s",
		"%[1]s (e-signed %[2]s @ %[3]s)",
	},
	statementsNoDate: []string{"Electronically signed and attested by %[1]s", "[Electronically Signed] %[1]s", "Provider attestation: signed electronically by %[1]s"},
	timeFmt:          "03:04 PM",
	greetings:        []string{"To our colleagues at %s,", "Dear Treating Therapist:", "Dear Intake Coordinator,"},
	closings:         []string{"Kindest regards,", "With gratitude,", "Yours in health,"},
	mailOpen:         []string{"Good afternoon, %s team:", "Hey there,", "Hi %s folks,"},
	mailClose:        []string{"Thanks a bunch,", "Many thanks!", "Have a blessed day,", "Talk soon,"},
	refLines:         []string{"Beneficiary: %[1]s - DOB %[2]s", "Pt. legal name: %[1]s; DOB: %[2]s", "In re: %[1]s (b. %[2]s)"},
	thanks:           []string{"Kindly fax the initial evaluation and discharge summary to our office.", "Questions? Phone our orders desk during business hours."},
	ehrStyle:         1,
	upperChance:      0.2,
}

func tidewaterFreq(r *rand.Rand, prose bool) *freqSpec {
	n := pick(r, []int{1, 2, 2, 2, 3, 3})
	w := pick(r, []int{4, 4, 6, 6, 8, 10, 12})
	abbr := map[int]string{1: "QW", 2: "BIW", 3: "TIW"}
	times := map[int]string{1: "once", 2: "twice", 3: "three times"}
	// spelled writes "six (6)".
	spelled := func(k int) string { return fmt.Sprintf("%s (%d)", word(k), k) }
	visits := func(k int) string { return plural(k, "visit", "visits") }
	// an writes "a 6-week" or "an 8-week".
	an := func(k int) string {
		if k == 8 || k == 11 || k == 18 {
			return fmt.Sprintf("an %d", k)
		}
		return fmt.Sprintf("a %d", k)
	}
	switch k := r.IntN(20); {
	case k < 7: // a rate and a duration
		rate := pick(r, []string{fmt.Sprintf("%s %s per week", spelled(n), visits(n)), fmt.Sprintf("%d %s every week", n, visits(n)), abbr[n], abbr[n],
			times[n] + " each week"})
		dur := pick(r, []string{"for " + spelled(w) + " weeks", fmt.Sprintf("x %d weeks", w), fmt.Sprintf("for %d consecutive weeks", w)})
		if prose {
			rate = pick(r, []string{fmt.Sprintf("%s %s per week", spelled(n), visits(n)), times[n] + " each week"})
			dur = pick(r, []string{"for " + spelled(w) + " weeks", fmt.Sprintf("for %d consecutive weeks", w)})
		}
		return plan(n, w, rate, dur, rate+" "+dur)
	case k < 9: // "through week 8": weeks one to eight
		rate := pick(r, []string{fmt.Sprintf("%d %s every week", n, visits(n)), abbr[n]})
		if prose {
			rate = fmt.Sprintf("%d %s every week", n, visits(n))
		}
		return plan(n, w, rate, fmt.Sprintf("for %d weeks", w), fmt.Sprintf("%s through week %d", rate, w))
	case k < 11: // a course of weeks
		rate := times[n] + " weekly"
		if !prose && chance(r, 0.5) {
			return plan(n, w, abbr[n], fmt.Sprintf("for %d weeks", w), fmt.Sprintf("%d-week course, %s", w, abbr[n]))
		}
		return plan(n, w, rate, "for "+word(w)+" weeks", fmt.Sprintf("%s, %s-week course", rate, word(w)))
	case k < 15: // visits in all
		v := n * w
		t := pick(r, []string{fmt.Sprintf("%d visits across %d weeks", v, w), fmt.Sprintf("%s-week course of %d visits", an(w), v),
			fmt.Sprintf("%d treatments to be completed within %d weeks", v, w)})
		switch {
		case n == 1 && chance(r, 0.4):
			t = fmt.Sprintf("weekly sessions, %d total", v)
		case n > 1 && chance(r, 0.25):
			t = fmt.Sprintf("%s weekly, %d visits total", times[n], v)
		}
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}
	case k < 16: // one visit every other week
		w := pick(r, []int{8, 12})
		t := pick(r, []string{fmt.Sprintf("1 visit every other week for %d weeks", w), fmt.Sprintf("one visit every two weeks over %s-week period", an(w))})
		return &freqSpec{text: t, visits: w / 2, weeks: w, plan: true}
	case k < 18: // tapers
		tapers := []struct {
			text          string
			visits, weeks int
		}{{"two (2) visits per week for three (3) weeks, then one (1) visit per week for three (3) weeks", 9, 6},
			{"three times each week for two weeks, then twice each week for four weeks", 14, 6},
			{"TIW x 2 weeks, then BIW x 4 weeks", 14, 6}, {"BIW x 4 weeks, then QW x 4 weeks", 12, 8},
			{"TIW x 1 week, BIW x 2 weeks, then QW x 3 weeks", 10, 6}}
		if prose {
			tapers = tapers[:2]
		}
		t := pick(r, tapers)
		return &freqSpec{text: t.text, visits: t.visits, weeks: t.weeks, plan: true}
	default: // ranges count at the upper bound
		ranges := []struct {
			text          string
			visits, weeks int
		}{{"1 to 2 visits per week for 6 weeks", 12, 6}, {"two to three (2-3) visits per week for four to six (4-6) weeks", 18, 6},
			{"BIW-TIW x 4 weeks", 12, 4}, {"QW-BIW x 8 weeks", 16, 8}}
		if prose {
			ranges = ranges[:2]
		}
		t := pick(r, ranges)
		return &freqSpec{text: t.text, visits: t.visits, weeks: t.weeks, plan: true, isRange: true}
	}
}

// prairie: held out. Rural and small-city practices of the Great Plains,
// the Mountain West and Appalachia (the Dakotas, Nebraska, Kansas, Montana,
// Wyoming, Utah, Kentucky, West Virginia, East Tennessee): old-fashioned Rx
// pads ("For:", "Please provide:"), "days a week" and "visits/wk" plans,
// week-numbered tapers ("Wk 1-2: 3x/wk"), plan-of-care and "#12 visits"
// totals, dotted and apostrophe-year dates, German-Russian, Scandinavian,
// Czech, Basque, Lakota and Scots-Irish surnames with particles, apostrophes,
// hyphens and suffixes, credentials written several ways, plain letters and
// labelled EHR printouts. Held out until its wording was read to classify
// its misreadings; summit took its place.
var prairie = &wordingFamily{
	name: "prairie", heldOut: false,
	female: []string{"Darla", "LaVonne", "Marlys", "Bonnie Kay", "Arlys", "Renae", "Jo Lynn", "Ardith", "Tawnya", "McKenna",
		"Oralee", "Kjersti", "Verna Mae", "Annika", "Magdalena", "Bernadine", "Trudy", "Mattie Lou", "Taylee", "Brynlee", "Winona", "Ximena"},
	male: []string{"Arlo", "Verlyn", "Duane", "Lyle", "Delmar", "Orrin", "Thor", "Jed", "Cletus", "Elmer Ray", "Ransom", "Kolton",
		"Bridger", "Merle", "Ansel", "Txomin", "Harlan", "Virgil", "Hyrum", "Orson", "Tate", "Billy Wayne"},
	last: []string{"Two Bulls", "Iron Cloud", "Schaible", "Wiebe", "Eichelberger", "Knutson", "Haugen", "Vondracek", "Novotny",
		"Etcheverry", "Goicoechea", "Hatfield", "Caudill", "Slone", "Mullins", "O'Dell", "McGuire-Slone", "Larsen-Yellowbird",
		"Von Ahn", "De Groot", "St. Clair", "Tschetter", "de la Vega", "O'Rourke-Hale", "Combs", "Osterhaus", "MacLachlan", "Van Wieren"},
	docFirst: []string{"Kristoffer", "Solveig", "Tyrel", "Rhonda", "Jedediah", "Marit", "Dalton", "Priya", "Lorelei", "Obinna",
		"Hideo", "Brigham", "Shawnee", "Tomas", "Ingeborg", "Augustin"},
	docLast: []string{"Vander Ploeg", "Fjelstad", "Runnels", "Pankratz", "McClanahan", "Larranaga", "Hartsock", "Duvall-Keyes",
		"La Fontaine", "D'Agostini", "Oyelaran", "Sato-Pedersen", "de la Torre", "O'Keefe-Brandt", "Bighorn", "Stoltzfus"},
	suffixes: []string{"Jr.", "Sr.", "II", "III", "IV"},
	creds: []weighted[credential]{
		{credential{"MD", []string{"M.D.", "MD", "M.D., Ph.D.", "MD, FACP"}}, 7}, {credential{"DO", []string{"D.O.", "DO", "DO, FACOFP"}}, 4},
		{credential{"NP", []string{"APRN", "FNP-BC", "APRN, FNP-BC", "DNP, APRN"}}, 3}, {credential{"PA-C", []string{"PA-C", "P.A.-C"}}, 2},
		{credential{"DC", []string{"DC", "D.C.", "DC, DACBSP"}}, 2}, {credential{"", []string{""}}, 1},
	},
	practices: []practice{
		{name: "Prairie Sky Family Medicine", csid: "PRAIRIE SKY FM", street: "1200 E Divide Ave", city: "Bismarck", state: "ND", zip: "58501", area: "701", domain: "prairieskyfm.example"},
		{name: "High Plains Orthopedics & Sports Medicine", csid: "HIGH PLAINS ORTHO", street: "2301 House Ave, Ste 204", city: "Cheyenne", state: "WY", zip: "82001", area: "307", domain: "highplainsortho.example"},
		{name: "Flint Hills Internal Medicine", csid: "FLINT HILLS IM", street: "1133 College Ave, Suite B", city: "Manhattan", state: "KS", zip: "66502", area: "785", domain: "flinthillsim.example"},
		{name: "Big Sky Spine & Rehabilitation", csid: "BIG SKY SPINE", street: "2900 12th Ave N, Ste 300", city: "Billings", state: "MT", zip: "59101", area: "406", domain: "bigskyspine.example"},
		{name: "Black Hills Integrative Care", csid: "BLACK HILLS INTEG", street: "353 Fairmont Blvd", city: "Rapid City", state: "SD", zip: "57701", area: "605", domain: "blackhillsic.example"},
		{name: "Sandhills Family Practice", csid: "SANDHILLS FP", street: "601 W Leota St", city: "North Platte", state: "NE", zip: "69101", area: "308", domain: "sandhillsfp.example"},
		{name: "Wasatch Physical Medicine Associates", csid: "WASATCH PMA", street: "3955 Harrison Blvd, Ste 100", city: "Ogden", state: "UT", zip: "84403", area: "801", domain: "wasatchpma.example"},
		{name: "Cumberland Gap Family Health", csid: "CUMBERLAND GAP FH", street: "3100 Cumberland Ave", city: "Middlesboro", state: "KY", zip: "40965", area: "606", domain: "cgfamilyhealth.example"},
		{name: "Kanawha Valley Pain & Spine", csid: "KANAWHA PAIN SPINE", street: "4605 MacCorkle Ave SE", city: "Charleston", state: "WV", zip: "25304", area: "304", domain: "kvpainspine.example"},
		{name: "Holston Mountain Chiropractic & Wellness", csid: "HOLSTON MTN CHIRO", street: "2112 N Roan St", city: "Johnson City", state: "TN", zip: "37601", area: "423", domain: "holstonchiro.example"},
	},
	staff:      []string{"Kaylynn", "Marcy", "Dusty", "Jolynn", "Brayden", "Tonya", "Whitney", "Lorna Jean"},
	staffRoles: []string{"Referral Coordinator II", "RN, Care Coordination", "Front Desk", "Medical Receptionist", "Ortho Tech / Scheduling", "LPN"},
	dateFmts:   []string{"1.2.2006", "Jan-02-2006", "Jan 2, '06", "Mon 01/02/2006", "January 2 2006", "01/02/2006"},
	dobFmts:    []string{"1/2/2006", "01.02.2006", "Jan-02-2006"},
	handFmts:   []string{"1.2.06", "1/2/06", "1-2-2006"},
	mod97140: []string{"myofascial release therapy", "trigger point release", "soft tissue mobilization (STM)", "neuromuscular therapy",
		"manual lymphatic drainage", "instrument-assisted soft tissue mobilization", "myofascial & trigger point therapy", "manual traction"},
	mod97124:  []string{"therapeutic massage", "Swedish/relaxation massage", "deep-tissue massage", "massage therapy"},
	codeForms: []string{" (CPT-%s)", " %s", ", CPT %s"},
	nonOrders: []string{"Eval & treat", "Evaluate; treat per LMT's plan", "Per therapist assessment"},
	freq:      prairieFreq,
	open:      []string{"as needed", "2 visits/wk until goals met", "weekly, open-ended", "1-2x wkly, recheck at next office visit", "prn flares", "3 days a week, continue indefinitely"},
	sessions: []sessionOpt{
		{60, 10, []string{"1 hr", "an hour", "60 min (%d units)", "60-min treatment", "one hour (%d units)"}},
		{45, 5, []string{"45 min", "45 minutes (%d units)", "forty-five minutes"}},
		{30, 3, []string{"30 min", "1/2 hr", "thirty minutes (%d units)"}},
		{90, 2, []string{"90 min", "one and a half hours", "1 1/2 hr"}},
		{40, 1, []string{"40 minutes"}},
		{0, 4, []string{"%d units each visit", "%d fifteen-minute units", "%d units (15 min ea.)", "%d x 15-min units"}},
	},
	necessity: []string{"Medically necessary to reduce pain and restore range of motion.", "Medical necessity: yes - functional limitation documented.",
		"In my clinical judgment this care is medically necessary.", "Medically necessary (see diagnoses)."},
	lPatient:  []string{"For:", "Patient's name:", "Name:"},
	lDOB:      []string{"D.O.B.:", "Birthday:", "Date of birth -"},
	lDate:     []string{"Date issued:", "Written on:", "Rx issued:"},
	lDoctor:   []string{"Ordered by:", "Physician/APP:", "Referring practitioner:"},
	lNPI:      []string{"NPI no.:", "NPI -", "Individual NPI:"},
	lModality: []string{"Please provide:", "Procedure(s):", "Treatment:"},
	lAreas:    []string{"Areas to address:", "Location(s):", "Affected area(s):"},
	lDx:       []string{"Diagnosis code(s):", "ICD-10 / Dx:", "Indications (ICD-10):"},
	lFreq:     []string{"How often:", "Freq./Duration:", "Treatment schedule:"},
	lDur:      []string{"How long:", "Plan duration:"},
	lSession:  []string{"Each session:", "Tx time:", "Time per treatment:"},
	lSigDate:  []string{"Date -", "Dt:"},
	rxMarks:   []string{"Rx", "RX:", "Order:"},
	formTitles: []string{"PRESCRIPTION FOR MEDICAL MASSAGE", "Manual Therapy / Massage Referral Slip", "Physician Order - Therapeutic Massage & Bodywork",
		"Referral to Licensed Massage Therapist (LMT)"},
	ehrTitles: []string{"Outpatient Referral: Massage Therapy (External)", "ORDER - MASSAGE / MANUAL THERAPY", "Ancillary Services Referral"},
	statements: []string{
		"This order was reviewed and e-signed by %[1]s (%[2]s, %[3]s)",
		"E-sig: %[1]s | signed %[2]s %[3]s",
		"Verified and electronically signed: %[1]s %[2]s %[3]s",
		"I have electronically signed this order. %[1]s - %[2]s %[3]s",
	},
	statementsNoDate: []string{"This order was reviewed and e-signed by %[1]s", "E-sig: %[1]s (signed electronically)", "Verified and electronically signed: %[1]s"},
	timeFmt:          "3:04PM",
	greetings:        []string{"Dear Colleague at %s:", "To Whom It May Concern:", "Dear Licensed Massage Therapist,"},
	closings:         []string{"Sincerely,", "Thank you,", "Respectfully yours,"},
	mailOpen:         []string{"Morning %s,", "Hi, this is the referral desk -", "Hello from our office,"},
	mailClose:        []string{"Thanks again,", "Thanks and have a good one,", "Best wishes,"},
	refLines:         []string{"Patient %[1]s - born %[2]s", "RE: Medical massage referral for %[1]s, DOB: %[2]s", "Pt: %[1]s / D.O.B. %[2]s"},
	thanks:           []string{"Please send your initial assessment to our attention.", "Feel free to call our office with any questions."},
	upperChance:      0.25,
}

func prairieFreq(r *rand.Rand, prose bool) *freqSpec {
	n := pick(r, []int{1, 2, 2, 2, 3})
	w := pick(r, []int{3, 4, 4, 5, 6, 6, 8, 10, 12})
	times := map[int]string{1: "once", 2: "twice", 3: "three times"}
	visits := func(k int) string { return plural(k, "visit", "visits") }
	days := func(k int) string { return plural(k, "day", "days") }
	// an writes "a six" or "an eight".
	an := func(s string) string {
		if strings.HasPrefix(s, "eight") || strings.HasPrefix(s, "eleven") {
			return "an " + s
		}
		return "a " + s
	}
	switch k := r.IntN(20); {
	case k < 7: // a rate and a duration
		rate := pick(r, []string{fmt.Sprintf("%d %s/wk", n, visits(n)), fmt.Sprintf("%d %s a week", n, days(n)), fmt.Sprintf("%dx wkly", n),
			times[n] + " weekly"})
		dur := pick(r, []string{fmt.Sprintf("x %d wk", w), fmt.Sprintf("for %d wk", w), "for the next " + word(w) + " " + weeksWord(w), fmt.Sprintf("x %d weeks", w)})
		if prose {
			rate = pick(r, []string{fmt.Sprintf("%s %s a week", word(n), visits(n)), fmt.Sprintf("%s %s a week", word(n), days(n)), times[n] + " weekly"})
			dur = pick(r, []string{"for the next " + word(w) + " " + weeksWord(w), fmt.Sprintf("for %d weeks", w)})
		}
		return plan(n, w, rate, dur, rate+" "+dur)
	case k < 9: // the length of the plan of care first
		rate := pick(r, []string{fmt.Sprintf("%dx/wk", n), fmt.Sprintf("%d %s per week", n, visits(n))})
		t := pick(r, []string{fmt.Sprintf("%d-week plan of care, %s", w, rate), fmt.Sprintf("%d wk POC: %s", w, rate)})
		if prose {
			rate = fmt.Sprintf("%s %s a week", word(n), visits(n))
			t = fmt.Sprintf("%s-week plan of care at %s", an(word(w)), rate)
		}
		return plan(n, w, rate, fmt.Sprintf("for %d weeks", w), t)
	case k < 12: // visits in all
		v := n * w
		t := pick(r, []string{fmt.Sprintf("%d visits to be used within %d weeks", v, w), fmt.Sprintf("total %d tx in %d wks", v, w),
			fmt.Sprintf("#%d visits over %d wks", v, w), fmt.Sprintf("%d visits total: %d/wk x %d wks", v, n, w)})
		if prose {
			t = pick(r, []string{fmt.Sprintf("a total of %d visits within %d weeks", v, w), fmt.Sprintf("%d visits over the next %s weeks", v, word(w))})
		}
		return &freqSpec{text: t, visits: v, weeks: w, plan: true}
	case k < 14: // months of four weeks
		m := pick(r, []int{1, 2, 3})
		t := pick(r, []string{fmt.Sprintf("%d %s/wk x %d mo", n, visits(n), m), fmt.Sprintf("%s a week for %d %s", times[n], m, plural(m, "month", "months"))})
		if prose {
			t = fmt.Sprintf("%s a week for %s %s", times[n], word(m), plural(m, "month", "months"))
		}
		return &freqSpec{text: t, visits: n * 4 * m, weeks: 4 * m, plan: true}
	case k < 15: // one visit every other week
		w := pick(r, []int{8, 12})
		t := pick(r, []string{fmt.Sprintf("every other week x %d wks", w), fmt.Sprintf("bi-weekly (every 2 wks) for %d weeks", w),
			fmt.Sprintf("1 visit q 2 wks x %d wks", w)})
		if prose {
			t = fmt.Sprintf("once every two weeks for %s weeks", word(w))
		}
		return &freqSpec{text: t, visits: w / 2, weeks: w, plan: true}
	case k < 18: // tapers
		tapers := []struct {
			text          string
			visits, weeks int
		}{{"three days a week for two weeks, then two days a week for four weeks", 14, 6},
			{"twice a week for the first four weeks and once a week for the following four weeks", 12, 8},
			{"Wk 1-2: 3x/wk; Wk 3-6: 2x/wk", 14, 6}, {"weeks 1-4 twice weekly, weeks 5-8 once weekly", 12, 8},
			{"2 visits/wk x 3 wk, then 1 visit/wk x 3 wk", 9, 6},
			{"3 days a week for 2 weeks, 2 days a week for 2 weeks, then 1 day a week for 4 weeks", 14, 8}}
		if prose {
			tapers = tapers[:2]
		}
		t := pick(r, tapers)
		return &freqSpec{text: t.text, visits: t.visits, weeks: t.weeks, plan: true}
	default: // ranges count at the upper bound
		ranges := []struct {
			text          string
			visits, weeks int
		}{{"one to two visits a week for six weeks", 12, 6}, {"2 to 3 days a week for 4 to 6 weeks", 18, 6},
			{"1-2 visits/wk x 6 wk", 12, 6}, {"1-2x wkly for 8 wks", 16, 8}, {"2-3 visits/wk x 3-4 wk", 12, 4}}
		if prose {
			ranges = ranges[:2]
		}
		t := pick(r, ranges)
		return &freqSpec{text: t.text, visits: t.visits, weeks: t.weeks, plan: true, isRange: true}
	}
}

// famDateFormats lists every Go layout a family may print an Rx date or a
// date of birth in.
func famDateFormats() []string {
	out := slices.Clone(dateFormats)
	for _, f := range wordingFamilies {
		for _, l := range [][]string{f.dateFmts, f.dobFmts, f.handFmts} {
			for _, x := range l {
				if !slices.Contains(out, x) {
					out = append(out, x)
				}
			}
		}
	}
	return out
}
