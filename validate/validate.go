package validate

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"rxintake/config"
	"rxintake/extract"
	"rxintake/icd10cm"
)

// Statuses of a document (docs/rules.md).
const (
	StatusComplete        = "complete"
	StatusNeedsCorrection = "needs-correction"
	StatusNeedsReview     = "needs-review"
)

// Severities.
const (
	Error   = "error"
	Warning = "warning"
)

// Rule ids of docs/rules.md, and the review reasons rxintake adds.
const (
	RuleModalityMissing    = "modality-missing"
	RuleModalityUnspecific = "modality-unspecific"
	RuleNotCovered         = "payer-not-covered"
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

	// Review reasons: a person decides, no email goes out.
	RuleUnreadable       = "unreadable"
	RuleNotPrescription  = "not-a-prescription"
	RuleLowConfidence    = "low-confidence"
	RuleOrderAmbiguous   = "order-ambiguous"
	RuleDiagnosisMisread = "diagnosis-misread"
	RuleMissingUnproven  = "missing-unproven"
)

// missingRule is the rule that reports each element missing, by the field
// name the reader's ambiguities use.
var missingRule = map[string]string{
	"patient": RulePatientMissing, "prescriber": RulePrescriberMissing, "npi": RuleNPIMissing,
	"date": RuleDateMissing, "procedures": RuleModalityMissing, "diagnoses": RuleDiagnosisMissing,
	"areas": RuleAreasMissing, "session": RuleSessionMissing, "frequency": RuleFrequencyMissing,
	"signature": RuleSignatureMissing, "necessity": RuleNecessityMissing,
}

// reviewRules send a document to a person whatever else is found.
var reviewRules = map[string]bool{
	RuleUnreadable: true, RuleNotPrescription: true, RuleLowConfidence: true,
	RuleOrderAmbiguous: true, RuleDiagnosisMisread: true, RuleMissingUnproven: true,
}

// IsReviewRule reports whether a finding of rule sends a document to review.
func IsReviewRule(rule string) bool { return reviewRules[rule] }

// Finding is one rule's verdict on a prescription.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	// Fix says how to write the missing element, in the words of the
	// correction request; Children lists the billable codes under a
	// header code.
	Fix      string         `json:"fix,omitempty"`
	Code     string         `json:"code,omitempty"`
	Children []icd10cm.Code `json:"children,omitempty"`
}

// Profile is a payer's requirements.
type Profile struct {
	Name        string
	Allow97124  bool
	RxValidDays int
	Required    []string // rule ids promoted to errors
	NotCovered  []string // CPT codes the payer does not pay
}

// ErrUnknownPayer reports a payer name the configuration does not define.
var ErrUnknownPayer = errors.New("validate: unknown payer")

// ProfileFor returns the named payer's profile from the configuration, or
// the default profile when name is empty.
func ProfileFor(cfg *config.Config, name string) (Profile, error) {
	if name == "" {
		name = "default"
	}
	p, ok := cfg.Payers[name]
	if !ok {
		var names []string
		for n := range cfg.Payers {
			names = append(names, n)
		}
		slices.Sort(names)
		return Profile{}, fmt.Errorf("%w %q (configured: %s)", ErrUnknownPayer, name, strings.Join(names, ", "))
	}
	days := p.RxValidDays
	if days == 0 {
		days = 90
	}
	return Profile{Name: name, Allow97124: p.Allow97124, RxValidDays: days, Required: p.Required, NotCovered: p.NotCovered}, nil
}

// DefaultProfile is the default payer of docs/rules.md: 97124 not covered,
// orders valid 90 days.
var DefaultProfile = Profile{Name: "default", RxValidDays: 90}

// Result is the verdict on one document.
type Result struct {
	Status   string    `json:"status"`
	Findings []Finding `json:"findings"`
}

// Confidence thresholds (OCR word confidence of what a value was read
// from, 0..1). One value read below LowConfidence was all but guessed; a
// document whose deciding values average below LowMeanConfidence was read
// from handwriting or a poor image, where OCR also misreads with
// confidence; a page below LowPageConfidence may hide what seems missing.
//
// Policy holds them so that an evaluation can calibrate them on some
// wording families and measure on others (docs/evaluation.md); the worker
// uses DefaultPolicy.
type Policy struct {
	LowConfidence     float64
	LowMeanConfidence float64
	LowPageConfidence float64
}

// DefaultPolicy is the policy of the worker.
var DefaultPolicy = Policy{LowConfidence: 0.30, LowMeanConfidence: 0.80, LowPageConfidence: 0.60}

const (
	// implausibleAge is how old a prescription date must be to be taken
	// for a misreading.
	implausibleAge = 3 * 365 * 24 * time.Hour
	// expiryConfidence is the confidence below which a date read is not
	// enough to call the prescription expired.
	expiryConfidence = 0.8
	// invalidCodeConfidence is the confidence below which a diagnosis code
	// read is not trusted to be invalid as printed.
	invalidCodeConfidence = 0.9
)

// Check applies the rules to what was read from doc. asOf is the receipt
// date the validity window is measured at. The error return means the
// rules could not run; findings are data.
func Check(doc *extract.Document, rx *extract.Prescription, p Profile, asOf time.Time) (Result, error) {
	return CheckWith(doc, rx, p, asOf, DefaultPolicy)
}

// CheckWith is Check with the confidence thresholds of pol.
func CheckWith(doc *extract.Document, rx *extract.Prescription, p Profile, asOf time.Time, pol Policy) (Result, error) {
	if doc == nil || rx == nil {
		return Result{}, errors.New("validate: nothing to check")
	}
	c := &checker{rx: rx, p: p, asOf: asOf, pol: pol}
	for _, pr := range doc.Problems {
		c.add(RuleUnreadable, Error, pr.Reason, "")
	}
	if len(doc.Pages) == 0 && strings.TrimSpace(doc.Body) == "" && len(doc.Problems) == 0 {
		c.add(RuleUnreadable, Error, "The document has no pages and no text.", "")
	}
	if len(doc.Problems) == 0 && !looksLikePrescription(rx) {
		c.add(RuleNotPrescription, Error, notPrescriptionMessage(doc), "")
	}
	c.rules()
	c.review(doc)
	return Result{Status: c.status(), Findings: c.findings}, nil
}

type checker struct {
	rx       *extract.Prescription
	p        Profile
	asOf     time.Time
	pol      Policy
	findings []Finding
}

func (c *checker) add(rule, severity, message, fix string) *Finding {
	if severity == Warning && slices.Contains(c.p.Required, rule) {
		severity = Error
	}
	c.findings = append(c.findings, Finding{Rule: rule, Severity: severity, Message: message, Fix: fix})
	return &c.findings[len(c.findings)-1]
}

func (c *checker) has(rule string) bool {
	return slices.ContainsFunc(c.findings, func(f Finding) bool { return f.Rule == rule })
}

// looksLikePrescription: at least two of the elements of an order.
func looksLikePrescription(rx *extract.Prescription) bool {
	n := 0
	for _, ok := range []bool{len(rx.Procedures) > 0, len(rx.Diagnoses) > 0, rx.Frequency != nil,
		rx.Session != nil, len(rx.Areas) > 0, rx.Prescriber != nil && rx.Prescriber.NPI != ""} {
		if ok {
			n++
		}
	}
	return n >= 2
}

func notPrescriptionMessage(doc *extract.Document) string {
	covers := 0
	for _, p := range doc.Pages {
		if p.CoverSheet {
			covers++
		}
	}
	if covers > 0 && covers == len(doc.Pages) {
		return "Only a fax cover sheet arrived; the prescription pages are missing."
	}
	return "This does not look like a prescription for massage therapy: no treatment, diagnosis or plan was found."
}

// Words of the source article, for the correction request.
const (
	fixModality  = `Type of massage: write "myofascial release", "neuromuscular therapy" or "97140".`
	fixAreas     = `Areas to be treated: name the body regions, for example "low back and both hips".`
	fixDiagnosis = `Diagnosis: include the relevant ICD-10 diagnosis codes, preferably several.`
	fixSession   = `Length of each treatment: write it in units or time, for example "4 units" or "one hour".`
	fixFrequency = `Treatment plan: give the frequency and duration, for example "3x/week for 1 week, 2x/week for 1 week, and then 1x/week thereafter for six weeks", or "12x 1-hour treatments over 4 weeks".`
	fixSignature = `Signature: be sure to sign the prescription (a typed name or a stamp is not a signature).`
	fixNecessity = `Add the words "Medically Necessary"; they help the patient's coverage.`
	fixPatient   = `Patient: write the patient's full name and date of birth.`
	fixPrescrib  = `Prescriber: print the prescriber's name and NPI.`
	fixDate      = `Date: date the prescription.`
)

func (c *checker) rules() {
	rx, p := c.rx, c.p
	if c.has(RuleNotPrescription) || c.has(RuleUnreadable) && !looksLikePrescription(rx) {
		return
	}
	// Modality.
	var has97140, has97124 bool
	for _, pr := range rx.Procedures {
		has97140 = has97140 || pr.CPT == "97140"
		has97124 = has97124 || pr.CPT == "97124"
		if slices.Contains(p.NotCovered, pr.CPT) {
			c.add(RuleNotCovered, Error, fmt.Sprintf("This payer (%s) does not reimburse CPT %s.", p.Name, pr.CPT), "")
		}
	}
	switch {
	case len(rx.Procedures) == 0:
		c.add(RuleModalityMissing, Error, "The type of massage is not stated.", fixModality)
	case has97124 && !has97140 && !p.Allow97124:
		c.add(RuleModalityUnspecific, Error, `"Massage" alone is billed as 97124, which most insurers, this one included, do not cover.`, fixModality)
	}
	if len(rx.Areas) == 0 {
		c.add(RuleAreasMissing, Error, "The areas to be treated are not stated.", fixAreas)
	}
	// Diagnoses.
	switch len(rx.Diagnoses) {
	case 0:
		c.add(RuleDiagnosisMissing, Error, "No ICD-10 diagnosis code is given.", fixDiagnosis)
	case 1:
		c.add(RuleDiagnosisSingle, Warning, "Only one diagnosis code is given; insurers prefer several.", fixDiagnosis)
	}
	set := icd10cm.For(c.asOf)
	for _, dx := range rx.Diagnoses {
		if dx.Billable {
			continue
		}
		if dx.Header {
			kids := set.Children(dx.Code)
			f := c.add(RuleDiagnosisInvalid, Error,
				fmt.Sprintf("%s is a category, not a billable ICD-10-CM code (FY%d code set); a more specific code is required.", dx.Code, set.FiscalYear()),
				fmt.Sprintf("Replace %s with one of its billable codes: %s.", dx.Code, listCodes(kids, 8)))
			f.Code, f.Children = dx.Code, kids
			continue
		}
		f := c.add(RuleDiagnosisInvalid, Error,
			fmt.Sprintf("%s is not a valid ICD-10-CM code (FY%d code set).", dx.Code, set.FiscalYear()),
			fmt.Sprintf("Check diagnosis code %s and write a valid, billable ICD-10-CM code.", dx.Code))
		f.Code = dx.Code
	}
	if rx.Session == nil {
		c.add(RuleSessionMissing, Error, "The length of each treatment is not stated.", fixSession)
	}
	if rx.Frequency == nil {
		c.add(RuleFrequencyMissing, Error, "There is no treatment plan (how often, for how long).", fixFrequency)
	}
	if !rx.Signature.Present {
		msg := "The prescription is not signed."
		switch rx.Signature.Printed {
		case "typed-name":
			msg = "The prescription carries a typed name but no signature."
		case "stamp":
			msg = "The prescription carries a stamp or \"signature on file\", which is not a signature."
		case "awaiting":
			msg = "The prescription is marked as awaiting the provider's signature."
		}
		c.add(RuleSignatureMissing, Error, msg, fixSignature)
	}
	if !rx.MedicallyNecessary {
		c.add(RuleNecessityMissing, Warning, `The phrase "Medically Necessary" is missing.`, fixNecessity)
	}
	if rx.Patient == nil || rx.Patient.Name == "" {
		c.add(RulePatientMissing, Error, "The patient's name is missing.", fixPatient)
	}
	switch {
	case rx.Prescriber == nil || rx.Prescriber.Name == "":
		c.add(RulePrescriberMissing, Error, "The prescriber's name is missing.", fixPrescrib)
	}
	switch {
	case rx.Prescriber == nil || rx.Prescriber.NPI == "":
		c.add(RuleNPIMissing, Warning, "The prescriber's NPI is missing.", "Add the prescriber's 10-digit NPI.")
	case !extract.ValidNPI(rx.Prescriber.NPI):
		c.add(RuleNPIInvalid, Error, fmt.Sprintf("The NPI %s is not a valid NPI (its check digit does not match).", rx.Prescriber.NPI),
			"Check the prescriber's NPI: it has 10 digits and starts with 1 or 2.")
	}
	if rx.Date == "" {
		c.add(RuleDateMissing, Error, "The prescription is not dated.", fixDate)
	} else if d, err := time.Parse("2006-01-02", rx.Date); err == nil {
		if c.asOf.Sub(d) > time.Duration(p.RxValidDays)*24*time.Hour {
			c.add(RuleRxExpired, Error,
				fmt.Sprintf("The prescription is dated %s, more than %d days before it was received (%s).", rx.Date, p.RxValidDays, c.asOf.Format("2006-01-02")),
				"Please send a new, current, signed prescription.")
		}
	}
}

// review adds the reasons a person must look before anyone is emailed.
func (c *checker) review(doc *extract.Document) {
	rx := c.rx
	unproven := map[string]bool{}
	for _, a := range rx.Ambiguities {
		rule := RuleOrderAmbiguous
		switch a.Kind {
		case "unattributed":
			// Material the reader could not attribute: a missing element
			// is not proven absent, and only a missing element that would
			// be asked for matters (docs/reading.md).
			// An unread ten-digit number may be a misprinted NPI, which
			// is an error even where a missing NPI is not.
			if unproven[a.Field] || !(c.hasErrorRule(missingRule[a.Field]) || (a.Field == "npi" && c.has(RuleNPIMissing))) {
				continue
			}
			unproven[a.Field] = true
			rule = RuleMissingUnproven
		case "diagnosis-misread":
			rule = RuleDiagnosisMisread
		case "unreadable-value":
			rule = RuleLowConfidence
		}
		msg := a.Message
		if r, n := utf8.DecodeRuneInString(msg); n > 0 {
			msg = string(unicode.ToUpper(r)) + msg[n:]
		}
		c.add(rule, Warning, msg+" (read: \""+a.Text+"\")", "")
	}
	// A deciding element read with low confidence.
	low := func(field string, conf float64) {
		if conf > 0 && conf < c.pol.LowConfidence {
			c.add(RuleLowConfidence, Warning, fmt.Sprintf("The %s was read with low confidence (%.0f%%).", field, conf*100), "")
		}
	}
	for _, dx := range rx.Diagnoses {
		low("diagnosis code "+dx.Code, dx.Confidence)
	}
	if rx.Prescriber != nil && rx.Prescriber.NPI != "" {
		low("NPI", rx.Prescriber.Confidence)
	}
	if rx.Session != nil {
		low("treatment length", rx.Session.Confidence)
	}
	if rx.Frequency != nil {
		low("treatment plan", rx.Frequency.Confidence)
	}
	if e, ok := rx.Evidence["date"]; ok {
		low("date", e.Confidence)
	}
	// A prescription dated years before it arrived is a misread date far
	// more often than an old order ("10/27/26" read "10/27/76").
	// A date that alone makes the prescription expired must have been
	// read well: one misread digit of the year turns a current order into
	// an old one.
	// So must a code that alone makes a diagnosis invalid: one letter or
	// digit misread ("I89.0" read "L89.0", an extra digit) turns a good
	// code into a bad one.
	for _, f := range c.findings {
		if f.Rule != RuleDiagnosisInvalid {
			continue
		}
		for _, dx := range rx.Diagnoses {
			if dx.Code == f.Code && dx.Confidence > 0 && dx.Confidence < invalidCodeConfidence {
				c.add(RuleLowConfidence, Warning, fmt.Sprintf("The code %s, which is not valid, was read with %.0f%% confidence; a person should check it before the office is asked to correct it.", dx.Code, dx.Confidence*100), "")
			}
		}
	}
	if e, ok := rx.Evidence["date"]; ok && c.has(RuleRxExpired) && e.Confidence > 0 && e.Confidence < expiryConfidence {
		c.add(RuleLowConfidence, Warning, fmt.Sprintf("The date that makes the prescription expired (%s) was read with %.0f%% confidence; a person should check it.", rx.Date, e.Confidence*100), "")
	}
	if d, err := time.Parse("2006-01-02", rx.Date); err == nil && c.asOf.Sub(d) > implausibleAge {
		c.add(RuleLowConfidence, Warning, fmt.Sprintf("The date was read as %s, %d years before the prescription arrived; a person should check it.", rx.Date, int(c.asOf.Sub(d).Hours()/24/365)), "")
	}
	if !c.has(RuleLowConfidence) {
		if mean, n := meanConfidence(rx); n > 0 && mean < c.pol.LowMeanConfidence {
			c.add(RuleLowConfidence, Warning, fmt.Sprintf("The prescription was read with low confidence (%.0f%% on average over %d values); a person should check what was read.", mean*100, n), "")
		}
	}
	// Elements reported missing from pages that were hard to read may
	// simply not have been read.
	if c.hasError() {
		for _, p := range doc.Pages {
			if !p.CoverSheet && !p.TextLayer && p.Unreadable == "" && p.Confidence < c.pol.LowPageConfidence {
				c.add(RuleLowConfidence, Warning, fmt.Sprintf("Page %d was read with low confidence (%.0f%%); what seems missing may be there.", p.Number, p.Confidence*100), "")
				break
			}
		}
	}
}

// meanConfidence is the mean confidence of the deciding values that carry
// one: patient, diagnosis codes, NPI, treatment length and plan, date.
func meanConfidence(rx *extract.Prescription) (float64, int) {
	var cs []float64
	if rx.Patient != nil {
		cs = append(cs, rx.Patient.Confidence)
	}
	for _, dx := range rx.Diagnoses {
		cs = append(cs, dx.Confidence)
	}
	if rx.Prescriber != nil && rx.Prescriber.NPI != "" {
		cs = append(cs, rx.Prescriber.Confidence)
	}
	if rx.Session != nil {
		cs = append(cs, rx.Session.Confidence)
	}
	if rx.Frequency != nil {
		cs = append(cs, rx.Frequency.Confidence)
	}
	if e, ok := rx.Evidence["date"]; ok {
		cs = append(cs, e.Confidence)
	}
	sum, n := 0.0, 0
	for _, c := range cs {
		if c > 0 {
			sum += c
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return sum / float64(n), n
}

// hasErrorRule reports an error finding of rule.
func (c *checker) hasErrorRule(rule string) bool {
	return slices.ContainsFunc(c.findings, func(f Finding) bool { return f.Rule == rule && f.Severity == Error })
}

func (c *checker) hasError() bool {
	return slices.ContainsFunc(c.findings, func(f Finding) bool { return f.Severity == Error && !reviewRules[f.Rule] })
}

func (c *checker) status() string {
	for _, f := range c.findings {
		if reviewRules[f.Rule] {
			return StatusNeedsReview
		}
	}
	if c.hasError() {
		return StatusNeedsCorrection
	}
	return StatusComplete
}

func listCodes(codes []icd10cm.Code, max int) string {
	var parts []string
	for i, k := range codes {
		if i == max {
			parts = append(parts, fmt.Sprintf("and %d more", len(codes)-max))
			break
		}
		parts = append(parts, k.Code+" ("+k.Description+")")
	}
	return strings.Join(parts, "; ")
}
