package corpus

// Word lists of the generator. Names, practices and numbers are fictitious
// (555-01xx telephone numbers, .example domains).

var femaleNames = []string{"Mary", "Linda", "Patricia", "Susan", "Deborah", "Karen", "Nancy", "Donna", "Carol", "Sandra",
	"Maria", "Elena", "Aisha", "Mei", "Priya", "Rosa", "Janet", "Teresa", "Gloria", "Denise", "Keisha", "Olga",
	"Hannah", "Emily", "Jessica", "Ashley", "Brittany", "Samantha", "Nicole", "Yolanda", "Fatima", "Ngoc"}

var maleNames = []string{"James", "Robert", "John", "Michael", "David", "William", "Richard", "Thomas", "Charles", "Daniel",
	"Jose", "Luis", "Ahmed", "Wei", "Raj", "Dmitri", "Kevin", "Brian", "Gary", "Tyrone", "Carlos", "Hiroshi",
	"Matthew", "Joshua", "Tyler", "Andre", "Marcus", "Samuel", "Omar", "Trevor", "Giovanni", "Kwame"}

var lastNames = []string{"Jones", "Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
	"Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
	"Nguyen", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen",
	"O'Brien", "McAllister", "Kowalski", "Okafor", "Schwartz", "Fitzgerald", "Delgado", "Yamamoto", "Novak", "Castellanos",
	"Pugh", "Whitfield", "Brennan", "Haddad", "Lindqvist", "Abernathy", "Vasquez", "St. Clair", "Van Dyke", "Morales-Reyes"}

var doctorFirst = []string{"Anil", "Sarah", "Michael", "Jennifer", "Robert", "Lisa", "David", "Karen", "Ravi", "Elizabeth",
	"Thomas", "Monica", "Jorge", "Amanda", "Steven", "Rebecca", "Paul", "Christine", "Victor", "Laura", "Hyun", "Olumide"}

var doctorLast = []string{"Patel", "Chen", "Goldberg", "Ramirez", "Nakamura", "Sullivan", "Okonkwo", "Fischer", "Romano",
	"Kaplan", "Desai", "Morrison", "Alvarez", "Bianchi", "Weiss", "Ferreira", "Kim", "Adeyemi", "Lindgren", "Hoffman", "Shah", "Brooks"}

// credential is a prescriber's credential and how it may be printed.
type credential struct {
	canon   string
	printed []string
}

var credentials = []weighted[credential]{
	{credential{"MD", []string{"MD", "M.D."}}, 10},
	{credential{"DO", []string{"DO", "D.O."}}, 4},
	{credential{"PA-C", []string{"PA-C"}}, 2},
	{credential{"APRN", []string{"APRN", "APRN, FNP-C"}}, 2},
	{credential{"NP", []string{"NP"}}, 1},
}

type practice struct {
	name, csid      string // csid: the name a fax machine puts in its header
	street, city    string
	state, zip      string
	area            string // telephone area code
	domain          string
	specialty       string
	letterheadLines int
}

var practices = []practice{
	{name: "Gulf Coast Family Medicine", csid: "GULF COAST FAMILY MED", street: "1200 S Tamiami Trail, Suite 300", city: "Sarasota", state: "FL", zip: "34236", area: "941", domain: "gulfcoastfm.example"},
	{name: "Bayfront Orthopedics & Sports Medicine", csid: "BAYFRONT ORTHO", street: "455 Bay Shore Rd", city: "Bradenton", state: "FL", zip: "34205", area: "941", domain: "bayfrontortho.example"},
	{name: "Lakewood Ranch Internal Medicine", csid: "LWR INTERNAL MED", street: "8340 Lakewood Ranch Blvd", city: "Lakewood Ranch", state: "FL", zip: "34202", area: "941", domain: "lwrim.example"},
	{name: "Suncoast Spine & Pain Associates", csid: "SUNCOAST SPINE", street: "2901 Bee Ridge Rd", city: "Sarasota", state: "FL", zip: "34239", area: "941", domain: "suncoastspine.example"},
	{name: "Tampa Bay Physical Medicine", csid: "TB PHYS MED", street: "3000 W Kennedy Blvd", city: "Tampa", state: "FL", zip: "33609", area: "813", domain: "tbpm.example"},
	{name: "Pinellas Primary Care Partners", csid: "PINELLAS PCP", street: "1010 Drew St", city: "Clearwater", state: "FL", zip: "33755", area: "727", domain: "pinellaspcp.example"},
	{name: "Naples Neurology Group", csid: "NAPLES NEURO", street: "6101 Pine Ridge Rd", city: "Naples", state: "FL", zip: "34119", area: "239", domain: "naplesneuro.example"},
	{name: "Manatee Women's Health", csid: "MANATEE WOMENS HLTH", street: "206 2nd St E", city: "Bradenton", state: "FL", zip: "34208", area: "941", domain: "manateewh.example"},
	{name: "Venice Chiropractic & Rehab", csid: "VENICE CHIRO", street: "540 US-41 Bypass N", city: "Venice", state: "FL", zip: "34285", area: "941", domain: "venicechiro.example"},
	{name: "North Port Family Practice", csid: "NPFP", street: "14942 Tamiami Trl", city: "North Port", state: "FL", zip: "34287", area: "941", domain: "npfp.example"},
	{name: "St. Petersburg Rheumatology", csid: "STPETE RHEUM", street: "700 Central Ave", city: "St. Petersburg", state: "FL", zip: "33701", area: "727", domain: "stperheum.example"},
	{name: "Brandon Urgent & Family Care", csid: "BRANDON UFC", street: "1125 W Brandon Blvd", city: "Brandon", state: "FL", zip: "33511", area: "813", domain: "brandonufc.example"},
}

var clinics = []struct{ name, fax, email string }{
	{"Bayside Medical Massage", "9415550199", "referrals@baysidemassage.example"},
	{"Lakewood Ranch Medical Massage", "9415550177", "intake@lwrmassage.example"},
	{"Suncoast Therapeutic Massage", "9415550168", "rx@suncoastmassage.example"},
	{"Harbor Massage & Bodywork", "8135550122", "frontdesk@harbormassage.example"},
}

// The receptionist or nurse who sends an email.
var staffNames = []string{"Jenny", "Maria", "Tasha", "Karen", "Luis", "Brenda", "Amber", "Kim", "Destiny", "Rachel"}
var staffRoles = []string{"MA", "RN", "LPN", "Referral Coordinator", "Front Desk", "Medical Assistant", "Office Manager"}

var (
	numberWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}
)

// areaOpt is an area phrase and its canonical regions. side is 'R' or 'L'
// for a phrase of one side, 0 for both.
type areaOpt struct {
	text    string
	regions []string
	side    byte
}

// theme is a clinical picture: codes and areas that go together. Codes
// prefixed "R:" or "L:" belong to one side.
type theme struct {
	name     string
	codes    []string
	headers  []string
	areas    []areaOpt
	modality string // a modality the theme implies, or ""
}

func a(text string, side byte, regions ...string) areaOpt {
	return areaOpt{text: text, regions: regions, side: side}
}

var themes = []theme{
	{
		name:    "lowback",
		codes:   []string{"M54.50", "M54.59", "M62.830", "M54.16", "M54.17", "R:M54.41", "L:M54.42", "R:M54.31", "L:M54.32", "M51.16", "M46.1", "M53.3", "M99.03", "M99.04", "S39.012A", "S33.5XXA", "M47.816", "M48.061", "M54.51", "R:G57.01", "L:G57.02"},
		headers: []string{"M54.5", "M54.4", "M51.36", "M99.0", "M62.83"},
		areas: []areaOpt{
			a("low back", 0, "lumbar"), a("lower back", 0, "lumbar"), a("lumbar spine", 0, "lumbar"), a("lumbar paraspinals", 0, "lumbar"),
			a("lumbosacral", 0, "lumbar", "sacral"), a("lumbosacral spine", 0, "lumbar", "sacral"), a("L-spine", 0, "lumbar"),
			a("lumbar region", 0, "lumbar"), a("SI joint", 0, "sacral"), a("bilateral SI joints", 0, "sacral"), a("sacroiliac joints", 0, "sacral"),
			a("sacrum", 0, "sacral"), a("R hip/piriformis", 'R', "hip"), a("L hip/piriformis", 'L', "hip"), a("gluteals", 0, "hip"),
			a("glutes", 0, "hip"), a("right gluteal region", 'R', "hip"), a("left piriformis", 'L', "hip"), a("hamstrings", 0, "leg"),
		},
	},
	{
		name:    "neck",
		codes:   []string{"M54.2", "S13.4XXA", "S16.1XXA", "M62.838", "M47.812", "M54.12", "M99.01", "M53.82", "M79.12", "M43.6", "G44.209"},
		headers: []string{"S13.4", "M79.1", "M62.83", "R51"},
		areas: []areaOpt{
			a("neck", 0, "cervical"), a("cervical spine", 0, "cervical"), a("cervical paraspinals", 0, "cervical"), a("C-spine", 0, "cervical"),
			a("posterior neck", 0, "cervical"), a("suboccipitals", 0, "cervical"), a("neck and shoulders", 0, "cervical", "shoulder"),
			a("neck/upper back", 0, "cervical", "thoracic"), a("upper back", 0, "thoracic"), a("scalp", 0, "head"), a("shoulders", 0, "shoulder"),
			a("cervicothoracic junction", 0, "cervical", "thoracic"),
		},
	},
	{
		name:    "shoulder",
		codes:   []string{"R:M25.511", "L:M25.512", "R:M75.41", "L:M75.42", "R:M75.01", "L:M75.02", "R:M62.411", "M62.838", "M54.2"},
		headers: []string{"M25.51", "M62.83"},
		areas: []areaOpt{
			a("right shoulder", 'R', "shoulder"), a("left shoulder", 'L', "shoulder"), a("R shoulder", 'R', "shoulder"), a("L shoulder", 'L', "shoulder"),
			a("R rotator cuff", 'R', "shoulder"), a("L rotator cuff", 'L', "shoulder"), a("R shoulder/upper arm", 'R', "shoulder", "arm"),
			a("neck", 0, "cervical"), a("upper back", 0, "thoracic"), a("rhomboids", 0, "thoracic"),
		},
	},
	{
		name:    "thoracic",
		codes:   []string{"M54.6", "M62.830", "S23.3XXA", "M99.02", "M54.89", "M54.2"},
		headers: []string{"M62.83", "M99.0"},
		areas: []areaOpt{
			a("upper back", 0, "thoracic"), a("mid back", 0, "thoracic"), a("mid/upper back", 0, "thoracic"), a("thoracic spine", 0, "thoracic"),
			a("thoracic paraspinals", 0, "thoracic"), a("rhomboids", 0, "thoracic"), a("T-spine", 0, "thoracic"), a("pectorals", 0, "chest"),
			a("chest wall", 0, "chest"), a("neck", 0, "cervical"),
		},
	},
	{
		name:    "fibro",
		codes:   []string{"M79.7", "M79.18", "R53.83", "M62.838", "M62.81"},
		headers: []string{"M79.1", "M62.83"},
		areas:   []areaOpt{a("full body", 0, "full-body"), a("whole body", 0, "full-body"), a("total body", 0, "full-body"), a("full-body", 0, "full-body")},
	},
	{
		name:    "hipleg",
		codes:   []string{"R:M25.551", "L:M25.552", "R:G57.01", "L:G57.02", "R:M70.61", "L:M70.62", "R:M76.31", "L:M76.32", "M62.831", "R:M79.661", "L:M79.662"},
		headers: []string{"M25.55"},
		areas: []areaOpt{
			a("R hip", 'R', "hip"), a("L hip", 'L', "hip"), a("right hip/piriformis", 'R', "hip"), a("left piriformis", 'L', "hip"), a("gluteals", 0, "hip"),
			a("R IT band", 'R', "leg"), a("L IT band", 'L', "leg"), a("hamstrings", 0, "leg"), a("bilateral calves", 0, "leg"),
			a("R thigh", 'R', "leg"), a("quadriceps", 0, "leg"), a("right knee", 'R', "leg"), a("left lateral thigh", 'L', "leg"),
		},
	},
	{
		name:    "head",
		codes:   []string{"R:M26.621", "L:M26.622", "M26.623", "G44.209", "G43.909", "R51.9", "M54.2", "M79.12"},
		headers: []string{"R51"},
		areas: []areaOpt{
			a("TMJ", 0, "head"), a("jaw", 0, "head"), a("R jaw", 'R', "head"), a("masseters", 0, "head"), a("scalp", 0, "head"),
			a("face", 0, "head"), a("neck", 0, "cervical"), a("suboccipitals", 0, "cervical"), a("temporalis/TMJ", 0, "head"),
		},
	},
	{
		name:  "arm",
		codes: []string{"R:G56.01", "L:G56.02", "R:M77.11", "L:M77.12", "R:M79.631", "L:M79.632", "M62.838"},
		areas: []areaOpt{
			a("R forearm", 'R', "arm"), a("L forearm", 'L', "arm"), a("right elbow", 'R', "arm"), a("R forearm/elbow", 'R', "arm"),
			a("R wrist and hand", 'R', "wrist-hand"), a("left wrist/hand", 'L', "wrist-hand"), a("hands", 0, "wrist-hand"), a("R upper arm", 'R', "arm"),
		},
	},
	{
		name:    "foot",
		codes:   []string{"R:M72.21", "L:M72.22", "M62.831", "R:M79.661", "L:M79.662"},
		headers: []string{"M72.2"},
		areas: []areaOpt{
			a("R foot/plantar fascia", 'R', "ankle-foot"), a("L plantar fascia", 'L', "ankle-foot"), a("right ankle", 'R', "ankle-foot"),
			a("bilateral calves", 0, "leg"), a("feet", 0, "ankle-foot"), a("R calf", 'R', "leg"), a("left foot and ankle", 'L', "ankle-foot"),
		},
	},
	{
		name:     "lymph",
		codes:    []string{"I89.0", "R:M79.661", "L:M79.662"},
		modality: "manual lymphatic drainage",
		areas: []areaOpt{
			a("R arm", 'R', "arm"), a("L arm", 'L', "arm"), a("right lower extremity", 'R', "leg"), a("left leg", 'L', "leg"),
			a("bilateral lower extremities", 0, "leg"), a("L upper extremity", 'L', "arm"),
		},
	},
}

// regionOrder is the canonical order of regions (docs/rules.md).
var regionOrder = []string{"head", "cervical", "thoracic", "lumbar", "sacral", "shoulder", "arm", "wrist-hand", "chest", "abdomen", "hip", "leg", "ankle-foot", "full-body"}

// Modality phrases that order 97140 and 97124 (docs/rules.md).
var (
	phrases97140 = []string{"myofascial release", "neuromuscular therapy", "MFR", "NMT", "manual therapy", "soft tissue mobilization",
		"STM", "trigger point therapy", "myofascial release therapy", "manual therapy techniques"}
	phrases97124 = []string{"massage", "massage therapy", "therapeutic massage", "Swedish massage", "deep tissue massage"}
)

// nonOrders stand where the modality would be on a document that orders none.
var nonOrders = []string{"Evaluate and treat", "Eval & treat", "Please evaluate and treat", "Treat as indicated", "Evaluate and treat as appropriate"}
