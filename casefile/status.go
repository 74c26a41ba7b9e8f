package casefile

import "rxintake/validate"

// Status is where a case stands. It is stored as text; the values below are
// those rxintake writes (docs/rules.md says when each outcome applies).
//
// The three outcomes are the statuses the rules decide (validate.Result),
// and a case a person closed as not a prescription carries the rule id that
// says so: their text is declared once, in validate, which cannot name this
// type (casefile records validate's findings).
type Status string

// The statuses of a case.
const (
	StatusOpen            Status = "open"                         // taken in, no outcome yet
	StatusComplete        Status = validate.StatusComplete        // the prescription is complete
	StatusNeedsCorrection Status = validate.StatusNeedsCorrection // a correction request goes to the office
	StatusNeedsReview     Status = validate.StatusNeedsReview     // a person must look at it
	StatusCorrected       Status = "corrected"                    // a complete corrected prescription answered it
	StatusNotPrescription Status = validate.RuleNotPrescription   // closed on the review page: no correction request
)

// Outcome reports whether s is an outcome of reading a message: complete,
// needs-correction or needs-review.
func (s Status) Outcome() bool {
	return s == StatusComplete || s == StatusNeedsCorrection || s == StatusNeedsReview
}

// Undecided reports whether a case with status s still waits for a
// person's decision: open, needs-review or needs-correction.
func (s Status) Undecided() bool {
	return s == StatusOpen || s == StatusNeedsReview || s == StatusNeedsCorrection
}
