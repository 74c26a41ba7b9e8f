package extract

import (
	"regexp"
	"slices"
	"testing"
)

func TestPhraseNotation(t *testing.T) {
	for _, c := range []struct {
		phrase string
		match  []string
		not    []string
	}{
		{"date of? order|referral", []string{"date of order", "Date  referral", "DATE OF REFERRAL"}, []string{"dateof order", "date of orders"}},
		{"birth_date", []string{"birthdate", "birth date"}, []string{"birth"}},
		{"area(s) to be? treat|treated", []string{"areas to treat", "area(s) to be treated", "area to treat"}, []string{"area to"}},
		{"physician('s) signature", []string{"physician's signature", "Physician signature", "physician’s signature"}, []string{"physicians signature"}},
		{"diagnos*", []string{"diagnosis", "diagnoses", "diagnosed"}, []string{"diag"}},
		{"D.O.B.", []string{"DOB", "d.o.b.", "D.0.B", "D. O. B.", "D/O/B"}, []string{"DOG", "ODB"}},
		{"NPI #|no.|number?", []string{"NPI", "NP1 #", "npl no.", "NPI number", "NP| no"}, []string{"NPX", "N-PI"}},
		{"PA-C|PA", []string{"PA-C", "PAC", "P.A.", "pa"}, []string{"PB"}},
		{"frequency /|&|and duration", []string{"frequency/duration", "Frequency & Duration", "frequency and duration"}, []string{"frequency duration"}},
		{"my|our|the|this mutual? patient", []string{"our mutual patient", "my patient"}, []string{"mutual patient"}},
	} {
		re := regexp.MustCompile(`^(?i:` + phraseSource(c.phrase) + `)$`)
		for _, m := range c.match {
			if !re.MatchString(m) {
				t.Errorf("%q does not match %q (%s)", c.phrase, m, re)
			}
		}
		for _, m := range c.not {
			if re.MatchString(m) {
				t.Errorf("%q matches %q (%s)", c.phrase, m, re)
			}
		}
	}
}

// Each vocabulary file says what it is for: a phrase from each section,
// as printed, is found, and words that only look alike are not.
func TestVocabularyFiles(t *testing.T) {
	for _, c := range []struct {
		section string
		match   []string
		not     []string
	}{
		{"labels/dob", []string{"DOB", "Date of birth", "Birthdate", "Member DOB", "Patient's date of birth", "Pt. birth date"}, []string{"Date"}},
		{"labels/duration", []string{"Duration", "Length of programme", "Over a period of", "For a period of"}, []string{"Period"}},
		{"labels/npi", []string{"NPI", "Provider NPI #", "Physician NPI number", "Indiv. NPI", "Type 1 NPI", "Individual NPI no.", "Prov NPI", "Practitioner NPI", "Pract. NPI #"}, []string{"Provi NPI", "Province"}},
		{"labels/prescriber", []string{"Referring physician", "Ordering provider's name", "Physician", "Authorized by"}, []string{"Patient"}},
		{"labels/patient", []string{"Patient name", "Patient's full name", "Pt. Name", "Client", "Member", "Subscriber name"}, []string{"Physician"}},
		{"labels/diagnosis", []string{"Diagnosis", "Diagnoses (ICD-10)", "Dx codes", "ICD-10-CM codes", "Diagnosis code(s)", "Reason for referral"}, []string{"Diagnostic"}},
		{"labels/frequency", []string{"Frequency/Duration", "Freq", "Number of visits", "Plan of care"}, []string{"Frequent"}},
		{"labels/session", []string{"Session length", "Length of each visit", "Units per session", "Treatment time"}, nil},
		{"labels/areas", []string{"Areas to be treated", "Area(s)", "Body regions", "Treatment area"}, nil},
		{"names/prescriber-credential", []string{"MD", "M.D.", "D.O.", "D.0.", "FNP-C", "PA-C", "APRN", "DPM"}, []string{"MDX", "RN"}},
		{"names/other-credential", []string{"PhD", "Ph.D.", "FACP", "MPH", "RN"}, []string{"MD"}},
		{"names/title", []string{"Dr", "Doctor", "Mrs"}, []string{"Drew"}},
		{"cues/prose-patient", []string{"our mutual patient", "this patient"}, []string{"patient"}},
		{"cues/prose-prescriber", []string{"referred by", "on behalf of", "the order from"}, []string{"referred"}},
		{"cues/dated-prose", []string{"order dated", "prescription date is", "is dated on"}, []string{"dated"}},
		{"cues/e-signed", []string{"Electronically", "digitally", "e-"}, nil},
		{"cues/e-signature-label", []string{"E-sig", "E-sig.", "eSig", "E-Signature", "Electronic signature", "Digital signature"}, []string{"Signature", "Esign"}},
		{"cues/npi-label", []string{"NPI", "NPI#", "National Provider Identifier number", "NPI ID", "Natl. Provider ID"}, []string{"NPX"}},
		{"cues/unit-qualifier", []string{"billable", "timed", "15-minute", "fifteen minute", "15 min."}, []string{"weekly", "visit"}},
		{"cues/necessary", []string{"medically necessary", "med. necessary", "medical necessity"}, []string{"necessary"}},
		{"cues/signature-label", []string{"Signature", "Physician's signature", "Provider signature"}, []string{"Signed"}},
		{"cues/signature-awaiting", []string{"Awaiting physician signature", "Unsigned", "Not signed", "Needs a signature", "Signature required"}, []string{"Signature"}},
		{"cues/closing", []string{"Sincerely", "Kind regards", "Respectfully submitted", "Thank you", "Yours truly"}, []string{"Sincere"}},
		{"cues/signature-stamp", []string{"Signature on file", "Stamped", "Facsimile signature"}, []string{"Signature"}},
		{"cues/cover-title", []string{"Fax cover sheet", "Facsimile transmittal", "Cover sheet"}, []string{"Fax"}},
		{"cues/cover-notice", []string{"Confidentiality notice", "intended only for", "If you received this fax in error"}, nil},
		{"cues/cover-boxes", []string{"Urgent", "Please comment", "Pleasereply"}, nil},
	} {
		re := regexp.MustCompile(`^` + phrases(c.section) + `$`)
		for _, m := range c.match {
			if !re.MatchString(m) {
				t.Errorf("%s does not match %q", c.section, m)
			}
		}
		for _, m := range c.not {
			if re.MatchString(m) {
				t.Errorf("%s matches %q", c.section, m)
			}
		}
	}
	// Every section is used and every section is tested above or by the
	// reader's own tests.
	if len(phraseSections) == 0 {
		t.Fatal("no vocabulary sections loaded")
	}
}

func TestPhraseFilesLoad(t *testing.T) {
	m, err := loadPhrases(phraseFiles)
	if err != nil {
		t.Fatal(err)
	}
	for s, ps := range m {
		if len(ps) == 0 {
			t.Errorf("section %s is empty", s)
		}
	}
}

func TestWords(t *testing.T) {
	got := words("names/prescriber-credential")
	for _, want := range []string{"MD", "FNP-C", "FNP", "PA-C", "PA"} {
		if !slices.Contains(got, want) {
			t.Errorf("prescriber credentials %v lack %s", got, want)
		}
	}
	if !slices.Contains(words("cues/other-date-cue"), "last visit") {
		t.Error("a phrase of two words is split")
	}
}
