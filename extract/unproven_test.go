package extract_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"rxintake/extract"
	"rxintake/internal/corpus"
	"rxintake/validate"
)

// A field reader that fails on a wording it was not written for must not
// make the office email a physician about a complete prescription: with
// the reader of one element left out, as if its patterns were deleted,
// every complete fixture goes to a person, never to correction.
func TestDeletedReaderMeansReview(t *testing.T) {
	fixtures := []string{"letter.txt", "email-plain.eml", "email-html.eml", "ehr-order.pdf", "form-fax.pdf", "rxpad-fine.tif", "letter-scan.pdf"}
	fields := []string{"date", "session", "frequency", "diagnoses", "procedures", "areas", "signature", "patient", "prescriber"}
	r := extract.SharedReader(t)
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("../testdata", name)
			truth, err := corpus.LoadTruth(path + ".truth.json")
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			doc := r.Read(ctx, name, data)
			asOf, _ := time.Parse("2006-01-02", truth.AsOf)
			res, err := validate.Check(doc, extract.ReadPrescription(doc, asOf), validate.DefaultProfile, asOf)
			if err != nil || res.Status != validate.StatusComplete {
				t.Fatalf("with every reader: %s (%v), want complete", res.Status, err)
			}
			for _, f := range fields {
				res, err := validate.Check(doc, extract.ReadPrescriptionWithout(doc, asOf, f), validate.DefaultProfile, asOf)
				if err != nil {
					t.Fatal(err)
				}
				if res.Status != validate.StatusNeedsReview {
					t.Errorf("without the %s reader: %s, want needs-review (findings %+v)", f, res.Status, res.Findings)
				}
			}
		})
	}
}
