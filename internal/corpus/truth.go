package corpus

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
)

// Rule ids of docs/rules.md, as the truth files name them.
const (
	RuleModalityMissing    = "modality-missing"
	RuleModalityUnspecific = "modality-unspecific"
	RuleAreasMissing       = "areas-missing"
	RuleDiagnosisMissing   = "diagnosis-missing"
	RuleDiagnosisInvalid   = "diagnosis-invalid"
	RuleDiagnosisSingle    = "diagnosis-single"
	RuleSessionMissing     = "session-length-missing"
	RuleFrequencyMissing   = "frequency-missing"
	RuleSignatureMissing   = "signature-missing"
	RuleNecessityMissing   = "medical-necessity-missing"
	RulePatientMissing     = "patient-missing"
	RulePrescriberMissing  = "prescriber-missing"
	RuleNPIInvalid         = "npi-invalid"
	RuleNPIMissing         = "npi-missing"
	RuleDateMissing        = "date-missing"
	RuleRxExpired          = "rx-expired"
)

// Severities of findings.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Statuses of a document.
const (
	StatusComplete        = "complete"
	StatusNeedsCorrection = "needs-correction"
	StatusNeedsReview     = "needs-review"
)

// ruleSeverity holds the default severities of docs/rules.md (default payer:
// 97124 not covered, 90-day validity window).
var ruleSeverity = map[string]string{
	RuleModalityMissing:    SeverityError,
	RuleModalityUnspecific: SeverityError,
	RuleAreasMissing:       SeverityError,
	RuleDiagnosisMissing:   SeverityError,
	RuleDiagnosisInvalid:   SeverityError,
	RuleDiagnosisSingle:    SeverityWarning,
	RuleSessionMissing:     SeverityError,
	RuleFrequencyMissing:   SeverityError,
	RuleSignatureMissing:   SeverityError,
	RuleNecessityMissing:   SeverityWarning,
	RulePatientMissing:     SeverityError,
	RulePrescriberMissing:  SeverityError,
	RuleNPIInvalid:         SeverityError,
	RuleNPIMissing:         SeverityWarning,
	RuleDateMissing:        SeverityError,
	RuleRxExpired:          SeverityError,
}

// RuleSeverity returns the default severity of a rule id, or "" for an
// unknown id.
func RuleSeverity(rule string) string { return ruleSeverity[rule] }

// ValidityDays is the default payer's validity window, measured from the Rx
// date to the day the document is received (the truth's AsOf).
const ValidityDays = 90

// Truth is what a perfect reader reports for one generated document: the
// `rxintake extract --json` object of docs/interfaces.md, plus what the generator
// knows about how the document was made. It is computed from the content
// model, never written by hand.
//
// Conventions a comparison should know:
//   - Status is the status for the default payer with AsOf as --as-of; a
//     reader may still answer needs-review for a document it cannot read with
//     confidence (Tier "handwriting" especially).
//   - Names are in natural order ("Mary K. Jones") even where the document
//     prints "JONES, MARY K"; compare case-insensitively. A suffix belongs
//     to the name and follows the last name after a space, as printed
//     ("Robert J. Kim Jr.", "Kim Jr., Robert J" on the document); particles
//     and apostrophes stay as printed ("van der Berg", "O'Brien").
//   - Credentials are as printed after the name without dots ("M.D." and
//     "M.D" are "MD"), all of them ("APRN, FNP-C"); omitted when none is
//     printed.
//   - Date is the Rx date: the date the order is labelled with, a letter's
//     date line, or, when the document gives no other, the date of its
//     electronic-signature statement or of its signature line. An order
//     written in the body of an email that gives no other date is dated by
//     the message's Date header: such an order is never undated. The print time of an EHR page, a fax cover
//     sheet and a fax transmit header are not Rx dates.
//   - A plan given in months counts a month as 4 weeks ("3 times per week
//     for 1 month" = 12 visits, 4 weeks); a fortnight is 2 weeks
//     ("fortnightly for 8 weeks" = 4 visits) and "N/52" is N weeks
//     ("twice weekly for 6/52" = 12 visits, 6 weeks). A plan with an open
//     tail counts its plan ("weekly x6 then PRN" = 6 visits, 6 weeks); a
//     cap counts as the plan ("up to 12 visits in 6 weeks" = 12 visits).
//     A minute mark is minutes ("60'" = 60 minutes); "up to 4 units" is
//     4 units. Procedure texts,
//     area texts and descriptions are as worded on the document, in lower or
//     as-printed case.
//   - Procedures has one entry per ordering phrase; compare the set of CPT
//     codes.
//   - Areas is the sorted set of canonical regions of docs/rules.md.
//   - A missing element is omitted. MedicallyNecessary is false when the
//     phrase is absent (or its form checkbox is left empty).
//   - A frequency that is not a plan (PRN, "2x/week" without an end) is
//     omitted, with a frequency-missing finding.
type Truth struct {
	File         string       `json:"file"`
	Status       string       `json:"status"`
	Pages        int          `json:"pages"`
	Prescription Prescription `json:"prescription"`
	Findings     []Finding    `json:"findings"`

	// Generator metadata: extensions the contract allows.
	AsOf    string  `json:"as_of"`            // receipt date, the --as-of to extract with
	CodeSet string  `json:"code_set"`         // ICD-10-CM fiscal year Billable refers to
	Tier    string  `json:"tier"`             // TierTyped or TierHandwriting
	Layout  string  `json:"layout"`           // rxpad, form, ehr, letter, email
	Media   string  `json:"media"`            // see the Media constants
	Font    string  `json:"font,omitempty"`   // typeface family of the printed text
	Hand    string  `json:"hand,omitempty"`   // handwriting font of ink and hand-filled values
	Cover   bool    `json:"cover,omitempty"`  // the fax starts with a cover sheet page
	Sender  *Sender `json:"sender,omitempty"` // who sent it, as the transport shows it
	Seed    uint64  `json:"seed"`
	Family  string  `json:"family,omitempty"`   // wording family; empty for the named fixtures ("house")
	HeldOut bool    `json:"held_out,omitempty"` // the family is kept apart from tuning
}

// Prescription is the prescription object of docs/interfaces.md.
type Prescription struct {
	Patient            *Patient    `json:"patient,omitempty"`
	Prescriber         *Prescriber `json:"prescriber,omitempty"`
	Date               string      `json:"date,omitempty"`
	Procedures         []Procedure `json:"procedures,omitempty"`
	Diagnoses          []Diagnosis `json:"diagnoses,omitempty"`
	Areas              []string    `json:"areas,omitempty"`
	AreasText          []string    `json:"areas_text,omitempty"` // the area phrases as worded
	Session            *Session    `json:"session,omitempty"`
	Frequency          *Frequency  `json:"frequency,omitempty"`
	MedicallyNecessary bool        `json:"medically_necessary"`
	Signature          Signature   `json:"signature"`
}

// Patient identifies the patient.
type Patient struct {
	Name string `json:"name"`
	DOB  string `json:"dob,omitempty"`
}

// Prescriber identifies who orders.
type Prescriber struct {
	Name        string `json:"name"`
	Credentials string `json:"credentials,omitempty"`
	NPI         string `json:"npi,omitempty"`
}

// Procedure is one ordering phrase and the CPT code it orders.
type Procedure struct {
	CPT  string `json:"cpt"`
	Text string `json:"text"`
}

// Diagnosis is one ICD-10-CM code as printed, with the dot.
type Diagnosis struct {
	Code        string `json:"code"`
	Description string `json:"description,omitempty"`
	Billable    bool   `json:"billable"`
}

// Session is the length of one treatment; Minutes is 0 when the document
// gives units only.
type Session struct {
	Minutes int    `json:"minutes,omitempty"`
	Units   int    `json:"units"`
	Text    string `json:"text"`
}

// Frequency is the treatment plan as totals. Range marks a plan given as
// ranges ("1-2x/week x 6-8 weeks"), counted at the upper bound.
type Frequency struct {
	Visits int    `json:"visits"`
	Weeks  int    `json:"weeks"`
	Text   string `json:"text"`
	Range  bool   `json:"range,omitempty"`
}

// Signature tells whether the prescriber signed. Kind is "wet" or
// "electronic" when Present; Printed says what stands in the signature place
// when it is not a signature: "typed-name", "stamp" or "blank".
type Signature struct {
	Present bool   `json:"present"`
	Kind    string `json:"kind,omitempty"`
	Printed string `json:"printed,omitempty"`
}

// Finding is one expected finding.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
}

// Sender is the sending office as the transport shows it: the fax number of a
// transmit header or fax-to-email notification, or an email address.
type Sender struct {
	Fax   string `json:"fax,omitempty"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// Tiers of documents.
const (
	TierTyped       = "typed"
	TierHandwriting = "handwriting"
)

// ErrBadTruth reports a truth file that does not parse or is inconsistent.
var ErrBadTruth = errors.New("corpus: bad truth file")

// TruthPath returns the path of the truth file of a generated file.
func TruthPath(file string) string { return file + ".truth.json" }

// LoadTruth reads a truth file (FILE.truth.json) and checks it.
func LoadTruth(path string) (*Truth, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("corpus: load truth: %w", err)
	}
	var t Truth
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadTruth, path, err)
	}
	if err := t.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &t, nil
}

// Rules returns the rule ids of the expected findings, sorted.
func (t *Truth) Rules() []string {
	ids := make([]string, 0, len(t.Findings))
	for _, f := range t.Findings {
		ids = append(ids, f.Rule)
	}
	slices.Sort(ids)
	return ids
}

// Check verifies that a truth is self-consistent: known rule ids with their
// severities, a status that follows from the findings, units that follow the
// 8-minute rule, frequency totals, and findings that agree with the fields.
func (t *Truth) Check() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrBadTruth, fmt.Sprintf(format, args...))
	}
	hasError := false
	seen := map[string]bool{}
	for _, f := range t.Findings {
		sev, ok := ruleSeverity[f.Rule]
		if !ok {
			return bad("unknown rule %q", f.Rule)
		}
		if f.Severity != sev {
			return bad("rule %s has severity %q, want %q", f.Rule, f.Severity, sev)
		}
		if seen[f.Rule] {
			return bad("rule %s twice", f.Rule)
		}
		seen[f.Rule] = true
		hasError = hasError || sev == SeverityError
	}
	switch {
	case hasError && t.Status != StatusNeedsCorrection:
		return bad("status %q with error findings", t.Status)
	case !hasError && t.Status != StatusComplete:
		return bad("status %q without error findings", t.Status)
	}
	p := t.Prescription
	if s := p.Session; s != nil {
		if s.Minutes > 0 && s.Units != Units(s.Minutes) {
			return bad("session %q: %d minutes is %d units, not %d", s.Text, s.Minutes, Units(s.Minutes), s.Units)
		}
		if s.Units <= 0 {
			return bad("session %q without units", s.Text)
		}
	}
	if f := p.Frequency; f != nil && (f.Visits <= 0 || f.Weeks <= 0) {
		return bad("frequency %q: %d visits over %d weeks", f.Text, f.Visits, f.Weeks)
	}
	agree := []struct {
		rule  string
		holds bool
	}{
		{RulePatientMissing, p.Patient == nil},
		{RulePrescriberMissing, p.Prescriber == nil},
		{RuleDateMissing, p.Date == ""},
		{RuleAreasMissing, len(p.Areas) == 0},
		{RuleDiagnosisMissing, len(p.Diagnoses) == 0},
		{RuleDiagnosisSingle, len(p.Diagnoses) == 1},
		{RuleSessionMissing, p.Session == nil},
		{RuleFrequencyMissing, p.Frequency == nil},
		{RuleSignatureMissing, !p.Signature.Present},
		{RuleNecessityMissing, !p.MedicallyNecessary},
		{RuleModalityMissing, len(p.Procedures) == 0},
		{RuleModalityUnspecific, len(p.Procedures) > 0 && !slices.ContainsFunc(p.Procedures, func(pr Procedure) bool { return pr.CPT == "97140" })},
		{RuleRxExpired, expired(p.Date, t.AsOf)},
	}
	for _, a := range agree {
		if seen[a.rule] != a.holds {
			return bad("finding %s is %v but the fields say %v", a.rule, seen[a.rule], a.holds)
		}
	}
	invalid := false
	for _, d := range p.Diagnoses {
		if !strings.Contains(d.Code, ".") && len(d.Code) > 3 {
			return bad("diagnosis %q without its dot", d.Code)
		}
		invalid = invalid || !d.Billable
	}
	if seen[RuleDiagnosisInvalid] != invalid {
		return bad("diagnosis-invalid is %v but billable flags say %v", seen[RuleDiagnosisInvalid], invalid)
	}
	if pr := p.Prescriber; pr != nil && pr.NPI != "" && ValidNPI(pr.NPI) == seen[RuleNPIInvalid] {
		return bad("npi %s: npi-invalid is %v", pr.NPI, seen[RuleNPIInvalid])
	}
	return nil
}

// expired reports whether an Rx dated date (ISO) is older than the validity
// window on asOf (ISO).
func expired(date, asOf string) bool {
	d, err1 := time.Parse(time.DateOnly, date)
	a, err2 := time.Parse(time.DateOnly, asOf)
	if err1 != nil || err2 != nil {
		return false
	}
	return a.Sub(d) > ValidityDays*24*time.Hour
}

// Units converts treatment minutes to billing units by the CMS 8-minute rule:
// floor((minutes+7)/15), none below 8 minutes.
func Units(minutes int) int {
	if minutes < 8 {
		return 0
	}
	return (minutes + 7) / 15
}

// ValidNPI reports whether s is a 10-digit NPI starting with 1 or 2 whose
// last digit is the Luhn check digit over "80840" and the first nine digits.
func ValidNPI(s string) bool {
	if len(s) != 10 || (s[0] != '1' && s[0] != '2') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return npiCheckDigit(s[:9]) == s[9]
}

// npiCheckDigit returns the Luhn check digit of "80840"+first9.
func npiCheckDigit(first9 string) byte {
	digits := "80840" + first9
	sum := 0
	// Double every second digit from the right of the payload (the check
	// digit will be appended on the right).
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}
