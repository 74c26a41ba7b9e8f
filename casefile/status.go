package casefile

// Status is where a case stands. It is stored as text; the values below are
// those rxintake writes (docs/rules.md says when each outcome applies).
type Status string

// The statuses of a case.
const (
	StatusOpen            Status = "open"             // taken in, no outcome yet
	StatusComplete        Status = "complete"         // the prescription is complete
	StatusNeedsCorrection Status = "needs-correction" // a correction request goes to the office
	StatusNeedsReview     Status = "needs-review"     // a person must look at it
	StatusCorrected       Status = "corrected"        // a complete corrected prescription answered it
	StatusNotPrescription Status = "not-a-prescription"
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
