package extract

// Prescription is what rxintake read of an order for medical massage: the
// `prescription` object of docs/interfaces.md. An element not found is nil or
// empty, never guessed. Each element carries the text it was read from
// (Evidence) and how sure the reading is (Confidence, 0..1: the OCR
// confidence of the evidence, 1 for a text layer or an email).
type Prescription struct {
	Patient            *Patient    `json:"patient,omitempty"`
	Prescriber         *Prescriber `json:"prescriber,omitempty"`
	Date               string      `json:"date,omitempty"`
	Procedures         []Procedure `json:"procedures,omitempty"`
	Diagnoses          []Diagnosis `json:"diagnoses,omitempty"`
	Areas              []string    `json:"areas,omitempty"`
	Session            *Session    `json:"session,omitempty"`
	Frequency          *Frequency  `json:"frequency,omitempty"`
	MedicallyNecessary bool        `json:"medically_necessary"`
	Signature          Signature   `json:"signature"`
	Evidence           EvidenceMap `json:"evidence,omitempty"` // for the scalar elements: date, areas, medically_necessary
	Ambiguities        []Ambiguity `json:"ambiguities,omitempty"`
}

// Evidence is where an element was read and how sure the reading is.
type Evidence struct {
	Text       string  `json:"evidence,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
	Page       int     `json:"page,omitempty"` // 0: the email body or text file
	// Source names where a value with several possible sources was read
	// from (the date, the prescriber's name: docs/reading.md), "" when
	// there is one.
	Source string `json:"source,omitempty"`
}

// EvidenceMap holds the evidence of elements that are plain values.
type EvidenceMap map[string]Evidence

// Ambiguity is something on the order a person must decide, such as
// "97140 x4" (four units or four visits?) or a diagnosis code whose printed
// description names another code.
type Ambiguity struct {
	Kind    string `json:"kind"` // order-ambiguous | diagnosis-misread | unreadable-value | unattributed
	Field   string `json:"field"`
	Message string `json:"message"`
	Evidence
}

// Patient identifies the patient.
type Patient struct {
	Name string `json:"name"`
	DOB  string `json:"dob,omitempty"`
	Evidence
}

// Prescriber identifies who orders.
type Prescriber struct {
	Name        string `json:"name,omitempty"`
	Credentials string `json:"credentials,omitempty"`
	NPI         string `json:"npi,omitempty"`
	Evidence
}

// Diagnosis is an ICD-10-CM code as printed (with the dot), its printed
// description, and whether it is billable in the code set in force.
type Diagnosis struct {
	Code        string `json:"code"`
	Description string `json:"description,omitempty"`
	Billable    bool   `json:"billable"`
	Header      bool   `json:"header,omitempty"`   // a category with billable children
	Likely      string `json:"likely,omitempty"`   // the code the description names, when OCR seems to have misread
	CodeSet     int    `json:"code_set,omitempty"` // ICD-10-CM fiscal year checked against
	Evidence
}

// Signature tells whether the prescriber signed: wet ink where the
// prescriber signs, or an electronic-signature statement.
type Signature struct {
	Present bool   `json:"present"`
	Kind    string `json:"kind,omitempty"` // wet | electronic
	// Printed says what stands in the signature place when it is not a
	// signature: typed-name, stamp, blank, awaiting.
	Printed string `json:"printed,omitempty"`
	Evidence
}
