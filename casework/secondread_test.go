package casework

import (
	"context"
	"testing"

	"rxintake/casefile"
	"rxintake/extract"
	"rxintake/validate"
)

type fakeSecondReader struct {
	found []validate.Finding
	asked int
}

func (f *fakeSecondReader) SecondRead(context.Context, string, *extract.Document, *casefile.Record) []validate.Finding {
	f.asked++
	return f.found
}

// TestSecondRead: what the second reader finds sends a case to review; it
// never completes a case nor sends one to correction, and a case already
// bound for review is not asked about.
func TestSecondRead(t *testing.T) {
	found := []validate.Finding{{Rule: "second-reader-found", Severity: validate.Warning, Message: "found"}}
	missing := validate.Finding{Rule: validate.RuleFrequencyMissing, Severity: validate.Error}
	for _, tt := range []struct {
		name   string
		status casefile.Status
		found  []validate.Finding
		want   casefile.Status
		asked  int
	}{
		{"found before a correction request", casefile.StatusNeedsCorrection, found, casefile.StatusNeedsReview, 1},
		{"nothing found", casefile.StatusNeedsCorrection, nil, casefile.StatusNeedsCorrection, 1},
		{"a complete case stays complete", casefile.StatusComplete, nil, casefile.StatusComplete, 1},
		{"already for review", casefile.StatusNeedsReview, found, casefile.StatusNeedsReview, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sr := &fakeSecondReader{found: tt.found}
			rec := &casefile.Record{Status: tt.status, Findings: []validate.Finding{missing}}
			SecondRead(t.Context(), sr, "C-1", &extract.Document{}, rec)
			if rec.Status != tt.want || sr.asked != tt.asked {
				t.Errorf("status %s after %d questions, want %s after %d", rec.Status, sr.asked, tt.want, tt.asked)
			}
			if want := 1 + len(tt.found)*tt.asked; len(rec.Findings) != want {
				t.Errorf("findings %v, want the rules' and the second reader's (%d)", rec.Rules(), want)
			}
		})
	}
	rec := &casefile.Record{Status: casefile.StatusNeedsCorrection}
	if SecondRead(t.Context(), nil, "C-1", &extract.Document{}, rec); rec.Status != casefile.StatusNeedsCorrection {
		t.Errorf("no second reader: status %s", rec.Status)
	}
}
