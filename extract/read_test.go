package extract

import (
	"slices"
	"strings"
	"testing"
	"time"
)

var readAsOf = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// readBody reads the prescription of a text-only document (an email body or
// a .txt file): no OCR.
func readBody(body string) *Prescription {
	return ReadPrescription(&Document{Body: body}, readAsOf)
}

func TestReadPrescriberNames(t *testing.T) {
	for _, tc := range []struct {
		name, body         string
		want, creds, esign string // esign: "electronic" when the statement signs
	}{
		{"middle initial that spells a word", "Best regards,\nElectronically signed: Steven A. Ferreira M.D. 11/13/2026 3:39 PM\nNPI: 1412240891",
			"Steven A. Ferreira", "MD", "electronic"},
		{"label word after the name", "Digitally signed by CHRISTINE GOLDBERG MD Date: 2026.10.05 09:32:00 -05'00'",
			"CHRISTINE GOLDBERG", "MD", "electronic"},
		{"a degree before the licence", "Sincerely,\nAnders Kangas, MSN, APRN, FNP-BC", "Anders Kangas", "MSN, APRN, FNP-BC", ""},
		{"a degree before the licence, NPI after", "Rafferty D'Entremont, MMS, PA-C NPI (individual): 1670689664", "Rafferty D'Entremont", "MMS, PA-C", ""},
		{"a capital OCR lost", "Referring provider: carsten Lujan DNP, FNP-BC NPI: 1520600655", "Carsten Lujan", "DNP, FNP-BC", ""},
		{"an NPI's label with a gloss", "Order authored by: Sanjay Sabattis MD, PhD, NPI (individual): 1153200229", "Sanjay Sabattis", "MD, PHD", ""},
		{"a Commonwealth degree with a blank", "Sincerely,\nFiona MacGillivray, MB BS", "Fiona MacGillivray", "MB BS", ""},
		{"Commonwealth degree and membership", "Yours faithfully,\nPriya Kaur, MBChB, MRCGP", "Priya Kaur", "MBCHB, MRCGP", ""},
		{"an Irish degree in dotted parts", "Dr Aoife Byrne, M.B., B.Ch., B.A.O.\nNPI: 1234567893", "Aoife Byrne", "MB, BCH, BAO", ""},
		{"a name alone before the NPI", "Ciaran C. MacDonald NPI 1404227146", "Ciaran C. MacDonald", "", ""},
		{"a name alone before the NPI's label", "Lorena O'Keeffe Type 1 NPI: 1173395876", "Lorena O'Keeffe", "", ""},
		{"two credentials", "Digitally signed by Elizabeth Morrison APRN, FNP-C Date: 2026.11.12 11:09:00 -05'00'",
			"Elizabeth Morrison", "APRN, FNP-C", "electronic"},
		{"credentials then a comma and the date", "E-signed by Jennifer Adeyemi, MD, 11/03/2026",
			"Jennifer Adeyemi", "MD", "electronic"},
		{"statement in another word order, no credential", "Kind regards,\nSigned electronically by Nathan Bergstrom on 10/23/2026 at 5:02 PM\nNPI # 1540313339",
			"Nathan Bergstrom", "", "electronic"},
		{"order from, in prose", "Please see below the order from Karen Hoffman PA-C (NPI# 1043884596) for our patient Keisha Nguyen.",
			"Karen Hoffman", "PA-C", ""},
		{"a speck inside the statement", "Electronically 'signed by: Karen Morrison D.O. 11/2/2026 11:13 AM",
			"Karen Morrison", "DO", "electronic"},
		{"on behalf of", "Thanks,\nBrenda, RN\nOn behalf of Karen Hoffman, PA-C", "Karen Hoffman", "PA-C", ""},
		{"the rule and the pad's edge around a typed name", "Patient: Young, Yolanda\nSOFT TISSUE MOBILIZATION\n0 Dispense as written ZC) Substitution permitted\nSteven Kim, MD \u2014_",
			"Steven Kim", "MD", ""},
		{"two credentials in a signature block", "Respectfully,\nLisa Romano, APRN, FNP-C\nNPI 1001751449", "Lisa Romano", "APRN, FNP-C", ""},
		{"words OCR ran together under an unknown label", "Written up by: MaryO'Neill D.O. | NPI 1001751449", "Mary O'Neill", "DO", ""},
		{"a signature legible enough to read, under its label", "Provider signature:\nMarta Lindqvist\nNPI 1001751449", "Marta Lindqvist", "", ""},
		{"a speck beside the typed name above the NPI", "Signature: ______ Date signed: 11/14/2026\nMarta Lindqvist o\nNPI No. 1001751449", "Marta Lindqvist", "", ""},
		{"the name before the statement", "Thank you,\nMarta L. Lindqvist - digitally signed 08/25/26, 11:09 am", "Marta L. Lindqvist", "", "electronic"},
		{"a middle initial read as a digit", "Ordering physician: Oluwaseun 5. Castellano, ARNP Provider NPI: 1001751449", "Oluwaseun S. Castellano", "ARNP", ""},
		{"a credential run onto the name", "Written up by: Ana P. LimaMD _ NPI 1001751449", "Ana P. Lima", "MD", ""},
		{"E of electronically read as F", "Flectronically signed by Steven H. Kim, APRN on 10/31/2026 16:27", "Steven H. Kim", "APRN", "electronic"},
		{"words of a field run together", "Physician name: MonicaKim,DO | ; NPI: 1064372349", "Monica Kim", "DO", ""},
		{"misread credentials above the NPI", "Respectfully,\nRebecca Bianchi, fp\nNPI #: 1344791987", "Rebecca Bianchi", "", ""},
		{"credentials run together above the NPI", "Sincerely,\nLaurd Kaplan, APRNZPNP-C |\nNPI# 1978845687", "Laurd Kaplan", "", ""},
		{"no space after the comma above the NPI", "Thank you,\nSarah Goldberg,DO.\nNPI: 1720996424 .", "Sarah Goldberg", "DO", ""},
		{"name with credentials before the NPI", "Elizabeth Morrison, APRN, FNP-C (NPI #: 1326897851) is referring our patient Tyler Clark.",
			"Elizabeth Morrison", "APRN, FNP-C", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rx := readBody(tc.body)
			if rx.Prescriber == nil || rx.Prescriber.Name != tc.want || rx.Prescriber.Credentials != tc.creds {
				t.Fatalf("prescriber %+v, want %q %q", rx.Prescriber, tc.want, tc.creds)
			}
			if rx.Signature.Kind != tc.esign || rx.Signature.Present != (tc.esign != "") {
				t.Errorf("signature %+v, want kind %q", rx.Signature, tc.esign)
			}
		})
	}
}

func TestReadPatientNames(t *testing.T) {
	for _, tc := range []struct{ body, want, dob string }{
		{"RE: Referral for Mary Lewis (DOB: 10-Jul-1969)", "Mary Lewis", "1969-07-10"},
		{"RE: Referral for Nicole T. Abernathy (DOB: 23-Jan-1984)", "Nicole T. Abernathy", "1984-01-23"},
		{"Please see below the order for our patient Gary R. St. Clair, DOB 08-09-1993.", "Gary R. St. Clair", "1993-08-09"},
		{"Dr. Morrison would like our patient, Linda St. Clair, date of birth 02/10/80 to receive massage.", "Linda St. Clair", "1980-02-10"},
		{"We are sending over a therapy order for our patient Patricia Martin for massage.", "Patricia Martin", ""},
		// OCR reads a 1 as "!", a middle initial "I." as a bar, "O." as a
		// zero, and specks the label of a date of birth.
		{"For: Miller, Samantha D,.O.B,; 10/20/45", "Samantha Miller", "1945-10-20"},
		{"Name: Deborah 0. Davis _ Birthdate: 1953-12-21 _", "Deborah O. Davis", "1953-12-21"},
		{"| Patient: Young, Yolanda DOB: December !4, 1958", "Yolanda Young", "1958-12-14"},
		{"Patient name: Carol |. Pugh | DOB: April 7, 1955", "Carol I. Pugh", "1955-04-07"},
		// Any word of birth ends the name; a family name that begins like
		// one does not. A subject may name the order in words of its own,
		// and a date of birth may wrap to the next line.
		{"Name: Arlys Slone Birthday: 4/22/1989", "Arlys Slone", "1989-04-22"},
		{"Patient: Ann Bornstein DOB: 4/22/1989", "Ann Bornstein", "1989-04-22"},
		{"Patient: Mark Dobson Date of birth - 4/22/1989", "Mark Dobson", "1989-04-22"},
		{"RE: Medical massage referral for Merle Van Wieren, DOB:\nJul-26-1947\nTo Whom It May Concern:", "Merle Van Wieren", "1947-07-26"},
		// A date of birth however it is introduced: in brackets after the
		// name, after "b.", behind dot leaders, after a slash.
		{"RE: referral - Domenic Q. O'Sullivan (08 Oct 1981)", "Domenic Q. O'Sullivan", "1981-10-08"},
		{"In re: Ray Charles Gadsden (b. 15 December 1958)", "Ray Charles Gadsden", "1958-12-15"},
		{"SUBJECT: Domenic Van Ness III / DOB 08/24/1970", "Domenic Van Ness III", "1970-08-24"},
		{"Patient: Jefferson Etheridge\nBORN....................: 5/22/1984", "Jefferson Etheridge", "1984-05-22"},
		{"Patient: Ann Lee (injured 03/02/2024)", "Ann Lee", ""},
		// Each label above its value, with no colon; a label joined by a
		// slash to another word; abbreviations with slashes; names in any
		// script's letters.
		{"Patient name\nOkafor, Chidi N\nDate of birth\n1972-03-04", "Chidi N Okafor", "1972-03-04"},
		{"Member/Patient: Renée Dubé   D/O/B 3/4/1966", "Renée Dubé", "1966-03-04"},
		{"Patient: Zoë Müller-Łukasik DOB: 02/11/1950", "Zoë Müller-Łukasik", "1950-02-11"},
		// Last name first, then a label OCR spoiled; specks inside a
		// name; a birth label whose date OCR spoiled still ends the name.
		{"Patient: Okafor, Chidi N Bkrtn Dte 4/1/1961", "Chidi N Okafor", "1961-04-01"},
		{"Patient: ANNA VAN-~DYKE DOB: 4/1/1961", "ANNA VAN-DYKE", "1961-04-01"},
		{"Seen today: Ada Lovelace Born on: 1O-l?-19SS", "Ada Lovelace", ""},
		// Whatever labels the name, a date-of-birth label above its date
		// stands under it.
		{"Person seen\nOkafor, Chidi N\nD/O/B\n03/04/1972\nMRN\n55012", "Chidi N Okafor", "1972-03-04"},
	} {
		rx := readBody(tc.body)
		if rx.Patient == nil || rx.Patient.Name != tc.want || rx.Patient.DOB != tc.dob {
			t.Errorf("%q: patient %+v, want %q %q", tc.body, rx.Patient, tc.want, tc.dob)
		}
	}
}

// A date of birth is never the order's date, whether or not the patient's
// name was read beside it.
func TestReadDateNotBirth(t *testing.T) {
	rx := readBody("Name: ????\nD.O.B.\n1950-01-02\nMyofascial release 97140, 2x/week for 6 weeks")
	if rx.Date != "" {
		t.Errorf("date %q read from the date of birth", rx.Date)
	}
}

func TestReadDate(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		// An electronic signature's time stamp dates an order that gives no
		// other date (docs/reading.md).
		{"Electronically signed: Lisa Shah M.D. 10/12/2026 10:05 AM", "2026-10-12"},
		{"Digitally signed by Steven U. Bianchi MD Date: 2026.09.29 14:42:00 -05'00'", "2026-09-29"},
		{"Steven U. Bianchi MD (NPI# 1702389374) is referring our patient Aisha Clark to your office. The order is dated 09/29/2026.", "2026-09-29"},
		{"Elizabeth Morrison is referring our patient Tyler Clark. The order is dated Nov 12, 2026.\nE-signed by Elizabeth Morrison, 11/13/2026", "2026-11-12"},
		{"Order date: 11/5/2026\nElectronically signed by: Olumide Ramirez, MD 11/6/2026 8:56 AM", "2026-11-05"},
	} {
		if got := readBody(tc.body).Date; got != tc.want {
			t.Errorf("%q: date %q, want %q", tc.body, got, tc.want)
		}
	}
}

func TestReadOrder(t *testing.T) {
	for _, tc := range []struct {
		name, body     string
		cpts, areas    []string
		minutes, units int
		visits, weeks  int
	}{
		{name: "an order number is not the order",
			body: "Order #: 40188181                                 Order date: 11-04-2026\nService: REF NMT\nBody site: R shoulder\nFrequency: once a week x6wks\nTreatment time: 1 hr each visit",
			cpts: []string{"97140"}, areas: []string{"shoulder"}, minutes: 60, units: 4, visits: 6, weeks: 6},
		{name: "body site(s)",
			body: "Order #: 44725704\nService: REF NMT and manual therapy techniques\nBody site(s): Pectorals; Thoracic paraspinals\nSession length: 60 min per session",
			cpts: []string{"97140"}, areas: []string{"thoracic", "chest"}, minutes: 60, units: 4},
		{name: "areas wrapped onto the next line",
			body: "I am referring Donna Johnson for soft tissue mobilization to\nthe quadriceps.\nThe relevant diagnoses are G57.01: Piriformis syndrome, right\nand M62.831: Muscle spasm of calf.",
			cpts: []string{"97140"}, areas: []string{"leg"}},
		{name: "a wrapped diagnosis is not an area",
			body: "I would like my patient to receive trigger point\ntherapy CPT 97140. The relevant diagnoses are pain in left hip (M25.552) and M79.662 Pain in left\nlower leg.",
			cpts: []string{"97140"}},
		{name: "a description with a comma before its code",
			body: "Please evaluate and treat Nicole T. Abernathy with NMT to the SI joint and glutes.\nDiagnoses: lumbago with sciatica, left side (M54.42); other low back pain (M54.59). Please treat her 2x/week for 6 weeks, 3 units per session.",
			cpts: []string{"97140"}, areas: []string{"sacral", "hip"}, units: 3, visits: 12, weeks: 6},
		{name: "a label word inside a diagnosis is no label",
			body: "- Treatment: Myofascial release & soft tissue mobilization\n- Diagnosis: M99.02 Segmental and somatic dysfunction of thoracic region; M54.2 Neck pain",
			cpts: []string{"97140"}},
		{name: "STM, an order without order words",
			body: "Karen Hoffman would like our patient to receive STM for her upper back and cervical spine.",
			cpts: []string{"97140"}, areas: []string{"cervical", "thoracic"}},
		{name: "the size of a unit is not a length",
			body: "Modality: MFR & STM\nLength: 4 units (15 min each)\nFrequency: 2-3 times per week for 3-4 weeks",
			cpts: []string{"97140"}, units: 4, visits: 12, weeks: 4},
		{name: "a length wrapped onto the next line",
			body: "Please evaluate and treat her with MFR to the neck. I recommend 2 times a week for 6 weeks, with sessions of 45\nminutes.",
			cpts: []string{"97140"}, areas: []string{"cervical"}, minutes: 45, units: 3, visits: 12, weeks: 6},
		{name: "the length in the plan when its own field is empty",
			body: "Technique(s): NMT\nFrequency / duration: 8 1-hour visits over 4 weeks\nLength of session:\nMedically necessary",
			cpts: []string{"97140"}, minutes: 60, units: 4, visits: 8, weeks: 4},
		{name: "half an hour as 1/2",
			body: "Please treat him 2x/week for 4 weeks, 1/2 hour per session with MFR.",
			cpts: []string{"97140"}, minutes: 30, units: 2, visits: 8, weeks: 4},
		{name: "60-minute sessions are not 6 sessions",
			body: "Treatment should be 3x/week for four weeks; each session 60-minute sessions. MLD.",
			cpts: []string{"97140"}, minutes: 60, units: 4, visits: 12, weeks: 4},
		{name: "a taper wrapped onto the next line",
			body: "Please treat her three times a week for 2 weeks, twice weekly for two weeks, and then once a\nweek for 2 weeks, 75 min per session. NMT.",
			cpts: []string{"97140"}, minutes: 75, units: 5, visits: 12, weeks: 6},
		{name: "one hour with its 1 read as a bar",
			body: "Kx |\nSOFT TISSUE MOBILIZATION |\nTime: | HOUR EACH VISIT |\nTo: NECK & R JAW |\nPlan: TWICE PER WEEK X6WKS |",
			cpts: []string{"97140"}, areas: []string{"cervical", "head"}, minutes: 60, units: 4, visits: 12, weeks: 6},
		{name: "areas wrapped onto the next line after a speck",
			body: "| MANUAL THERAPY TECHNIQUES & MYOFASCIAL RELEASE to !\n| the FACE \u2014\u2014\n| 4 UNITS PER SESSION",
			cpts: []string{"97140"}, areas: []string{"head"}, units: 4},
		{name: "a side at the end of the line, the areas on the next",
			body: "Please evaluate and treat Teresa D. Clark with MFR & myofascial release to the L\nplantar fascia & bilateral calves.",
			cpts: []string{"97140"}, areas: []string{"ankle-foot", "leg"}},
		{name: "the plan under a visits label",
			body: "Technique: MFR\nVisits: 18 x 60-minute sessions over six weeks",
			cpts: []string{"97140"}, minutes: 60, units: 4, visits: 18, weeks: 6},
		{name: "total body run together",
			body: "Technique(s): NMT\nAreas to treat: totalbody __ ;",
			cpts: []string{"97140"}, areas: []string{"full-body"}},
		{name: "an empty box before the ticked option of the same code",
			body: "Treatment ordered:\n[ ] Myofascial release (97140) [x] Neuromuscular therapy (97140)\n[ ] Manual therapy (97140) [ ] Massage therapy (97124)",
			cpts: []string{"97140"}},
		{name: "the code of an option in an empty box is not ordered",
			body: "Treatment ordered:\n[ ] Myofascial release (97140) [x] Massage therapy (97124)",
			cpts: []string{"97124"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rx := readBody(tc.body)
			var cpts []string
			for _, p := range rx.Procedures {
				cpts = append(cpts, p.CPT)
			}
			if !slices.Equal(slices.Compact(cpts), tc.cpts) {
				t.Errorf("procedures %v, want %v", cpts, tc.cpts)
			}
			if tc.areas != nil || len(rx.Areas) > 0 {
				want := slices.Clone(tc.areas)
				slices.Sort(want)
				got := slices.Clone(rx.Areas)
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Errorf("areas %v, want %v", rx.Areas, tc.areas)
				}
			}
			if tc.units > 0 {
				if rx.Session == nil || rx.Session.Minutes != tc.minutes || rx.Session.Units != tc.units {
					t.Errorf("session %+v, want %d min %d units", rx.Session, tc.minutes, tc.units)
				}
			}
			if tc.visits > 0 {
				if rx.Frequency == nil || rx.Frequency.Visits != tc.visits || rx.Frequency.Weeks != tc.weeks {
					t.Errorf("frequency %+v, want %d visits %d weeks", rx.Frequency, tc.visits, tc.weeks)
				}
			}
			for _, a := range rx.Ambiguities {
				if !strings.Contains(tc.name, "ambiguous") {
					t.Errorf("ambiguity %+v", a)
				}
			}
		})
	}
}

func TestMendOne(t *testing.T) {
	for _, tc := range []struct{ prev, w, next, want string }{
		{"", "|", "HOUR", "1"}, {"", "!", "units", "1"}, {"", "|", "DOB:", "|"}, {"", "!4,", "1958", "14,"}, {"", "|", "hourly", "|"},
		{"for", "|", "month", "1"}, {"", "l", "x/wk", "1"}, {"", "I", "will", "I"}, {"8", "|", "WEEKS", "|"},
	} {
		if got := mendOne(tc.prev, tc.w, tc.next); got != tc.want {
			t.Errorf("mendOne(%q, %q, %q) = %q, want %q", tc.prev, tc.w, tc.next, got, tc.want)
		}
	}
}

func TestNameIndex(t *testing.T) {
	for _, tc := range []struct {
		line, last string
		want       int
	}{
		{"Jorge Adeyemi M.D.", "adeyemi", 6},
		{"Jorge adeyemd M.D.", "adeyemi", 6},
		{"Sarah KimMD", "kim", 6},
		{"Please call Dr. Adams", "adeyemi", -1},
		{"Patient: Lee Adeyemo", "adeyemi", 13},
		{"Lee Kimball", "kim", 4},
		{"Lee Kin", "kin", 4},
		{"Lee Kit", "kin", -1},
	} {
		if got := nameIndex(tc.line, tc.last); got != tc.want {
			t.Errorf("nameIndex(%q, %q) = %d, want %d", tc.line, tc.last, got, tc.want)
		}
	}
}

func TestReadDiagnosisSeparators(t *testing.T) {
	for _, tc := range []struct {
		body string
		want []string
	}{
		{"Dx codes: M99.01 - Segmental and somatic\ndysfunction of cervical region; M54,.12 - Radiculopathy, cervical region", []string{"M99.01", "M54.12"}},
		{"Dx: M54,12 Radiculopathy, cervical region", []string{"M54.12"}},
	} {
		var got []string
		for _, dx := range readBody(tc.body).Diagnoses {
			got = append(got, dx.Code)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: diagnoses %v, want %v", tc.body, got, tc.want)
		}
	}
}

// TestReadCategoryBesideACode: a bare category ("R51", no longer a billable
// code) beside a full code is a diagnosis the physician wrote, whatever
// words introduce the line; alone in prose it is not read as one.
func TestReadCategoryBesideACode(t *testing.T) {
	for _, tc := range []struct {
		body string
		want []string
	}{
		{"Relevant problems: M47.812 - Spondylosis without myelopathy or radiculopathy, cervical region; R51 - Headache.", []string{"M47.812", "R51"}},
		{"Working problems are M54.2 (cervicalgia) and R51.", []string{"M54.2", "R51"}},
		{"Suite R51, 4th floor", nil},
	} {
		var got []string
		for _, dx := range readBody(tc.body).Diagnoses {
			got = append(got, dx.Code)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: diagnoses %v, want %v", tc.body, got, tc.want)
		}
	}
}

// TestReadNecessityWrapped: the statement of necessity wrapped over two
// lines, with a mark OCR left at the end of the first.
func TestReadNecessityWrapped(t *testing.T) {
	for _, body := range []string{
		"Clinically indicated and medically\nnecessary.",
		"CLINICALLY INDICATED AND MEDICALLy .\nNECESSARY.",
	} {
		if !readBody(body).MedicallyNecessary {
			t.Errorf("%q: not read as medically necessary", body)
		}
	}
	if readBody("Not medically\nnecessary at this time.").MedicallyNecessary {
		t.Errorf("a negated statement read as medically necessary")
	}
}

// TestReadSoleDate: the one date on a prescription is the order's, whatever
// words stand before it; two dates, or an old one, are no choice to make.
func TestReadSoleDate(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"Patient: Ada Jones\nOrder dt: 2026-10-12\nMyofascial release 97140", "2026-10-12"},
		{"Patient: Ada Jones\nDATE OF REQUEST 23 Oct 2026\nMyofascial release 97140", "2026-10-23"},
		{"Patient: Ada Jones\nReviewed 10/12/2026 with the patient, again 10/14/2026", ""},
		{"Patient: Ada Jones\nSeen: 10/12/2016", ""},
		{"Patient: Ada Jones\nDate of injury: 10/12/2026", ""},
	} {
		if got := readBody(tc.body); got.Date != tc.want {
			t.Errorf("%q: date %q, want %q", tc.body, got.Date, tc.want)
		}
	}
}

// TestReadNPIAfterLeader: EHR printouts join label and value with a leader
// of dots or underscores.
func TestReadNPIAfterLeader(t *testing.T) {
	for _, line := range []string{"NPI.....................: 1234567893", "NPI ______ 1234567893", "NPI NO..................: 1234567893"} {
		rx := readBody("Requesting provider: Ann Vu, MD\n" + line)
		if rx.Prescriber == nil || rx.Prescriber.NPI != "1234567893" {
			t.Errorf("%q: prescriber %+v, want NPI 1234567893", line, rx.Prescriber)
		}
	}
}

func TestFindDatesShapes(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"11/05/2026", "2026-11-05"},
		{"11.5.26", "2026-11-05"},
		{"2026-11-05", "2026-11-05"},
		{"2026.11.05 14:42", "2026-11-05"},
		{"2026/11/5", "2026-11-05"},
		{"25/10/2026", "2026-10-25"},
		{"Nov 5, 2026", "2026-11-05"},
		{"Nov-05-2026", "2026-11-05"},
		{"25/Oct/2026", "2026-10-25"},
		{"Oct/25/2026", "2026-10-25"},
		{"Nov-05-26", "2026-11-05"},
		{"05-Nov-26", "2026-11-05"},
		{"November 5th, 2026", "2026-11-05"},
		{"Oct 18, '26", "2026-10-18"},
		{"Oct 18 ’26", "2026-10-18"},
		{"5 November 2026", "2026-11-05"},
		{"the 5th of November, 2026", "2026-11-05"},
		{"Thursday, 5 Nov. 2026", "2026-11-05"},
		{"Sept. 9, 2026", "2026-09-09"},
		{"2026 Nov 09 7.46 am", "2026-11-09"},
		{"2026-Oct-22", "2026-10-22"},
		{"2026, November 3rd", "2026-11-03"},
		// Not dates: codes, telephone numbers, a name that begins like a
		// month, a version number.
		{"M54.17 M47.816", ""},
		{"(308) 555-0127", ""},
		{"Marlys 5, 2026", ""},
		{"1.2.3", ""},
		{"02/31/2026", ""},
	} {
		var got []string
		for _, d := range findDates(tc.text) {
			got = append(got, isoDate(d.Date))
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("findDates(%q) = %v, want %q", tc.text, got, tc.want)
		}
	}
}

// A strategy that stops at the first credential or at a board's suffix
// gets the whole list printed after the name.
func TestCredentialList(t *testing.T) {
	for _, c := range []struct{ text, name, creds, want string }{
		{"E-Signature: Wes Van Pelt, MD, MPH (signed November 11, 2026 2:54 pm)", "Wes Van Pelt", "MD", "MD, MPH"},
		{"Ordered by: Solveig Runnels, DC, DACBSP NPI - 1512193172", "Solveig Runnels", "DC", "DC, DACBSP"},
		{"Physician/APP: Dalton Larranaga, P.A.-C NPI no.: 1755380056", "Dalton Larranaga", "PA", "PA-C"},
		{"Signed: Mary N. Okoro-Pinckney, MD, FAAFP November 3", "Mary N. Okoro-Pinckney", "MD", "MD, FAAFP"},
		{"Luis Ortega Jr., DO, FAAPMR", "Luis Ortega Jr.", "DO", "DO, FAAPMR"},
		// Words after the list without a comma are not credentials.
		{"Ann Vu, MD NPI 1234567893 ABC", "Ann Vu", "MD", "MD"},
		{"Ann Vu MD THE CLINIC", "Ann Vu", "MD", "MD"},
		{"Keoni Mac an Bhaird, MD, CCFP(EM) NPI: 1234567893", "Keoni Mac an Bhaird", "MD", "MD, CCFP(EM)"},
		{"Deqa Baek MBBS, FRCS (Orth)", "Deqa Baek", "MBBS", "MBBS, FRCS(ORTH)"},
		// A label's first word after the comma ends the list.
		{"Physician: Eun-Young Mac an Bhaird, MBChB, US NPI: 1967290028", "Eun-Young Mac an Bhaird", "MBCHB", "MBCHB"},
		// Another person's credential is not the prescriber's.
		{"Ann Vu, MD; Rita Moss, DO, FACP", "Rita Moss", "DO", "DO, FACP"},
	} {
		if got := credentialList(c.text, c.name, c.creds); got != c.want {
			t.Errorf("%q: %q, want %q", c.text, got, c.want)
		}
	}
}

// A form whose place for the modality is empty (OCR reads the rule as
// specks) is not ordered by its title: a person looks.
func TestModalityLabelLeftEmpty(t *testing.T) {
	rx := readBody("Referral for Manual Therapy Services\nMember name: Ada Jones DOB: 02/21/1983\nTherapy ordered: 7 7\nBody region(s): neck\n")
	if !slices.ContainsFunc(rx.Ambiguities, func(a Ambiguity) bool { return a.Field == "procedures" && a.Kind == "order-ambiguous" }) {
		t.Errorf("empty modality label: ambiguities %+v, want one for procedures", rx.Ambiguities)
	}
	// Filled in, the label's value is the order and nothing is ambiguous.
	rx = readBody("Order: Massage / Soft Tissue Therapy\nTherapy ordered: MLD _ 7 7\nBody region(s): L arm\n")
	if len(rx.Procedures) != 1 || rx.Procedures[0].CPT != "97140" || len(rx.Ambiguities) > 0 {
		t.Errorf("labelled modality: procedures %+v, ambiguities %+v, want MLD (97140) alone", rx.Procedures, rx.Ambiguities)
	}
}

// A date of birth that wraps to the next line ends the patient's name as
// one on a single line does.
func TestDOBWrapped(t *testing.T) {
	rx := readBody("Subject: referral for Bernadette Lucero-Sandoval - DOB Apr\n23, 1952\nKindly schedule her for neuromuscular therapy.\n")
	if rx.Patient == nil || rx.Patient.Name != "Bernadette Lucero-Sandoval" || rx.Patient.DOB != "1952-04-23" {
		t.Errorf("patient %+v, want Bernadette Lucero-Sandoval born 1952-04-23", rx.Patient)
	}
}

// A code whose letter OCR read as a digit or lost, with its description
// before or after it, is the one code that exists with a letter in its
// place and that the description names.
func TestDigitLedCodes(t *testing.T) {
	for _, line := range []string{
		"Diagnoses: 1. Lymphedema [ICD-10-CM 189.0]",
		"Relevant problems: [89.0 - Lymphedema; M79.662 - Pain in left lower leg.",
	} {
		rx := readBody(line + "\n")
		if !slices.ContainsFunc(rx.Diagnoses, func(d Diagnosis) bool { return d.Code == "I89.0" }) {
			t.Errorf("%q: diagnoses %+v, want I89.0", line, rx.Diagnoses)
		}
	}
}

// A separator right after a code introduces its description.
func TestDescriptionAfterSeparator(t *testing.T) {
	for _, line := range []string{"Diagnosis: M54.41; Lumbago with sciatica, right side", "Dx: M54.41: Lumbago with sciatica, right side"} {
		rx := readBody(line + "\n")
		if len(rx.Diagnoses) != 1 || rx.Diagnoses[0].Description != "Lumbago with sciatica, right side" {
			t.Errorf("%q: diagnoses %+v", line, rx.Diagnoses)
		}
	}
}

// A capital OCR lost is restored in a name under its label; a phrase stays
// a phrase.
func TestRecase(t *testing.T) {
	for in, want := range map[string]string{"carsten Lujan DNP": "Carsten Lujan DNP", "adaeze u. Yellowhorse": "Adaeze U. Yellowhorse"} {
		if got, ok := recase(in); !ok || got != want {
			t.Errorf("recase(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"see attached", "Ann Lee", "on file"} {
		if got, ok := recase(in); ok {
			t.Errorf("recase(%q) = %q; want it unchanged", in, got)
		}
	}
}

// Descriptions on both sides of codes in a sentence: each code's own
// description says which words are its, and none of them is an area.
func TestDescriptionsBeforeTheirCodes(t *testing.T) {
	rx := readBody("Please treat the R foot/plantar fascia.\nThe diagnoses are Muscle spasm of calf, M62.831, Plantar fascial fibromatosis, right foot, M72.21 and Pain in right lower leg, M79.661.\n")
	want := map[string]string{"M62.831": "Muscle spasm of calf", "M79.661": "Pain in right lower leg"}
	for _, d := range rx.Diagnoses {
		if w, ok := want[d.Code]; ok && d.Description != w {
			t.Errorf("%s: description %q, want %q", d.Code, d.Description, w)
		}
	}
	if !slices.Equal(rx.Areas, []string{"ankle-foot"}) {
		t.Errorf("areas %v, want [ankle-foot]", rx.Areas)
	}
}

// A list whose items a semicolon parts, each description before its code:
// the descriptions keep their commas, and no word of theirs is an area or
// residue of one. A list that opens on its label keeps descriptions after
// the codes.
func TestDescriptionsBeforeCodesInAList(t *testing.T) {
	rx := readBody("Please provide 97140.\nReasons for referral: Low back pain, unspecified -- M54.50; Piriformis syndrome, left -- G57.02; Cervicalgia -- M54.2. Twice a week for 4 weeks.\n")
	want := map[string]string{"M54.50": "Low back pain, unspecified", "G57.02": "Piriformis syndrome, left", "M54.2": "Cervicalgia"}
	for _, d := range rx.Diagnoses {
		if w := want[d.Code]; d.Description != w {
			t.Errorf("%s: description %q, want %q", d.Code, d.Description, w)
		}
	}
	if len(rx.Areas) != 0 || slices.Contains(unattributed(rx), "areas") {
		t.Errorf("areas %v, residue %v: words of a diagnosis taken for areas", rx.Areas, unattributed(rx))
	}
	rx = readBody("Problems M54.50 LOW BACK PAIN, UNSPECIFIED; M54.2 CERVICALGIA\n")
	if len(rx.Diagnoses) != 2 || rx.Diagnoses[0].Description != "LOW BACK PAIN, UNSPECIFIED" {
		t.Errorf("label before a list taken for a description: %+v", rx.Diagnoses)
	}
}

// A description that begins at the end of a line and wraps onto the next
// ("M75.42 L" / "shoulder impingement; ..."): the rest is the code's, not
// an area to treat.
func TestDescriptionWrappedFromItsFirstLetter(t *testing.T) {
	rx := readBody("Please provide 97140.\nDiagnosis: M25.512 Pain in left shoulder; M75.42 L\nshoulder impingement; M62.838 Muscle spasm\n")
	if len(rx.Areas) != 0 || slices.Contains(unattributed(rx), "areas") {
		t.Errorf("areas %v, residue %v: the wrapped description taken for an area", rx.Areas, unattributed(rx))
	}
}

// Patients' names as OCR leaves them: an initial's full stop read as a
// comma, particles in small letters, a colon after the name.
func TestReadPatientNamesOCRSpoiled(t *testing.T) {
	for line, want := range map[string]string{
		"Beneficiary name: Tameka Y, Vanderhorst Pt. DOB: 03/03/1993": "Tameka Y. Vanderhorst",
		"Patient: Jones, Mary K":                                   "Mary K Jones",
		"Re: Ruth Ann L. van den Heuvel, date of birth 10/21/1944": "Ruth Ann L. van den Heuvel",
		"For: Darla Von Ahn: . D.O,B.: 03.27.1976 -":               "Darla Von Ahn",
		"Patient: Olga R. Nguyen NOR: 8/4/1940":                    "Olga R. Nguyen",
		"Patient: Siobhan Mac an Bhaird DOB: 8/4/1940":             "Siobhan Mac an Bhaird",
		"Patient: Noor bint Rashid, DOB 8/4/1940":                  "Noor bint Rashid",
	} {
		rx := readBody(line + "\n")
		if rx.Patient == nil || rx.Patient.Name != want {
			t.Errorf("%q: patient %+v, want %q", line, rx.Patient, want)
		}
	}
}

// An NPI's label in its other spellings and with a gloss; a number printed
// under it is read even when its check digit fails (the rules report it).
func TestNPILabels(t *testing.T) {
	for line, want := range map[string]string{
		"NPI ID..................: 1856942035":                                     "1856942035",
		"Ordering: Ann Vu DO, Natl. Provider ID: 1863328727":                       "1863328727",
		"Order authored by: Sanjay Sabattis MD, PhD, NPI (individual): 1153200229": "1153200229",
	} {
		rx := readBody("Patient: Ada Jones\n" + line + "\n")
		if rx.Prescriber == nil || rx.Prescriber.NPI != want {
			t.Errorf("%q: prescriber %+v, want NPI %s", line, rx.Prescriber, want)
		}
	}
}

// A family name cut by the end of a line inside its particles runs on.
func TestESignedNameRunsOn(t *testing.T) {
	rx := readBody("Electronically authenticated and signed: Esteban Ruiz de\nVelasco, APRN, FNP-C | Nov 6 2026 10:00 am\n")
	if rx.Prescriber == nil || rx.Prescriber.Name != "Esteban Ruiz de Velasco" || rx.Prescriber.Credentials != "APRN, FNP-C" {
		t.Errorf("prescriber %+v, want Esteban Ruiz de Velasco, APRN, FNP-C", rx.Prescriber)
	}
}

// An electronic signature's label before the name, and a credential OCR
// broke after it: the name is read, not the broken letters.
func TestESignatureLabel(t *testing.T) {
	rx := readBody("E-sig: Tomas L. O'Keefe-Brandt D.0O. | signed 10/07/2026\n")
	if rx.Prescriber == nil || rx.Prescriber.Name != "Tomas L. O'Keefe-Brandt" {
		t.Errorf("prescriber %+v, want Tomas L. O'Keefe-Brandt", rx.Prescriber)
	}
}

// The typed name alone under the signature's line is the prescriber's.
func TestTypedNameUnderSignature(t *testing.T) {
	rx := ReadPrescription(ocrDoc("Referring practitioner's signature: Fenregsmaneysl", "Oleksandr Fitzgerald-Kerr", "On: Monday, 19 October 2026"), readAsOf)
	if rx.Prescriber == nil || rx.Prescriber.Name != "Oleksandr Fitzgerald-Kerr" {
		t.Errorf("prescriber %+v, want Oleksandr Fitzgerald-Kerr", rx.Prescriber)
	}
}

// A label that says what is to be done ("Therapy to provide:", "Services
// to render:") names the order, and beside the modality it names a
// heading's bare "massage" is no second order.
func TestTreatmentLabelToProvide(t *testing.T) {
	for _, label := range []string{"Therapy to provide:", "Services to render:", "Treatment to perform:"} {
		rx := readBody("ORDERS - THERAPY SERVICES (MASSAGE)\nPatient: Mary K. Jones\n" + label + " Neuromuscular therapy\n")
		if len(rx.Procedures) != 1 || rx.Procedures[0].CPT != "97140" {
			t.Errorf("%s: procedures %+v, want 97140 alone", label, rx.Procedures)
		}
	}
}

// A heading's bare "massage" (a label without its colon) gives way to the
// modality the order names under a label the reader does not know; under
// a label with its colon, "massage" is the answer, and a form's title is
// not the order.
func TestHeadingMassageGivesWay(t *testing.T) {
	rx := readBody("ORDERS - THERAPY SERVICES (MASSAGE)\nPatient: Mary K. Jones\nService line: NEUROMUSCULAR THERAPY\n")
	if len(rx.Procedures) != 1 || rx.Procedures[0].CPT != "97140" {
		t.Errorf("heading: procedures %+v, want 97140 alone", rx.Procedures)
	}
	rx = readBody("Referral / Order for Manual Therapy\nPatient: Mary K. Jones\nService requested: Massage\n")
	if len(rx.Procedures) != 1 || rx.Procedures[0].CPT != "97124" {
		t.Errorf("labelled: procedures %+v, want 97124 alone", rx.Procedures)
	}
}

// A region named only inside a diagnosis's words is part of the diagnosis,
// wherever its description stands: before its code, after it and wrapped,
// beside a label; the areas stay unread and are not taken from it. A region
// the order names beside the same words is read.
func TestAreasNotFromDiagnosisWords(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
		want  []string
	}{
		{"description before its code, wrapped", []string{
			"Please see the patient for myofascial release, CPT code 97140.",
			"The diagnoses are Lumbago with sciatica, right side, M54.41, Sprain of ligaments of lumbar",
			"spine, initial encounter, S33.5XXA and Other low back pain, M54.59.",
		}, nil},
		{"description after its code, wrapped into the plan", []string{
			"Please see the patient for NMT (neuromuscular therapy).",
			"Relevant problems: M48.061: Lumbar stenosis; M51.16: Intervertebral disc disorders with",
			"radiculopathy, lumbar region. Plan: twice weekly, six-week course.",
		}, nil},
		{"description beside a label", []string{
			"I should like her to have manual therapy (97140).",
			"Indication for referral: Pain in right lower leg, ICD-10-CM M79.661; Pain in right hip, ICD-10-CM M25.551.",
		}, nil},
		{"a region the order names", []string{
			"Myofascial release (97140) to the lumbar region for lumbar radiculopathy",
			"Diagnosis: M54.16 Radiculopathy, lumbar region",
		}, []string{"lumbar"}},
	} {
		rx := ReadPrescription(ocrDoc(tc.lines...), readAsOf)
		if !slices.Equal(rx.Areas, tc.want) {
			t.Errorf("%s: areas %v, want %v", tc.name, rx.Areas, tc.want)
		}
	}
}

// A form's "Practice name:" labels the practice, not the patient the bare
// "Name:" stands for; the patient's own label says who was injured, and a
// semicolon ends the name however the next label is misread.
func TestPatientBesideQualifiedNameLabel(t *testing.T) {
	for _, tc := range []struct {
		lines []string
		want  string
	}{
		{[]string{"Practice name: Eastchester No-Fault Medical, P.C.", "Injured person: Dell'Aquila, Chiamaka ; DIOIB: AUG 03 1995"}, "Chiamaka Dell'Aquila"},
		{[]string{"Practice name: Queen City Orthopaedic Associates Callback #: (513)555-0199", "Name of patient: DiStefano, Mariam H  D/O/B: 10/5/1993"}, "Mariam H DiStefano"},
		{[]string{"Employer name: Acme Freight", "Claimant: Wilfredo McGillicuddy"}, "Wilfredo McGillicuddy"},
		{[]string{"Name: Mary Jones  DOB: 04/02/1961"}, "Mary Jones"},
	} {
		rx := ReadPrescription(ocrDoc(tc.lines...), readAsOf)
		if rx.Patient == nil || rx.Patient.Name != tc.want {
			t.Errorf("%q: patient %+v, want %s", tc.lines, rx.Patient, tc.want)
		}
	}
}
