package extract

import (
	"testing"
	"time"
)

// ReadPrescriptionWithout reads with the named field readers left out, as
// if their patterns had been deleted.
func ReadPrescriptionWithout(d *Document, asOf time.Time, fields ...string) *Prescription {
	skip := map[string]bool{}
	for _, f := range fields {
		skip[f] = true
	}
	return readPrescription(d, asOf, skip)
}

// SharedReader is a reader on the test binary's OCR pool that keeps page
// images, as the worker does, for the external tests.
func SharedReader(t testing.TB) *Reader {
	testReader(t)
	r := NewReader(sharedPool, DefaultLimits)
	r.KeepImages = true
	return r
}
