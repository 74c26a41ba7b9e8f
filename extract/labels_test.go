package extract

import "testing"

func TestLabelsWithoutColons(t *testing.T) {
	for _, c := range []struct {
		line, field, value string
	}{
		{"CLIENT..................: Lorenzo Prendergast Jr.", "patient", "Lorenzo Prendergast Jr."},
		{"NPI.....................: 1184977050", "npi", "1184977050"},
		{"Request Date Nov 12, 2026", "date", "Nov 12, 2026"},
		{"Time 60'", "session", "60'"},
		{"Schedule 1/week for 6 weeks", "frequency", "1/week for 6 weeks"},
		{"PATIENT NAME Ada Jones, DOB 09/12/1958", "patient", "Ada Jones, DOB 09/12/1958"},
		{"Ordering Clinician Ignatius Fitzsimmons IV, MBBS", "prescriber", "Ignatius Fitzsimmons IV, MBBS"},
	} {
		ls := labels([]textLine{{Text: c.line}})
		if len(ls) == 0 || ls[0].Field != c.field || ls[0].Value != c.value {
			t.Errorf("%q: labels %+v, want %s = %q first", c.line, ls, c.field, c.value)
		}
	}
	// The first word of a sentence is not a label.
	for _, line := range []string{"Patient tolerated the last session well.", "Treatment should focus on the neck.", "Date night is Friday."} {
		if ls := labels([]textLine{{Text: line}}); len(ls) > 0 {
			t.Errorf("%q: read as label %q = %q", line, ls[0].Label, ls[0].Value)
		}
	}
}

func TestLabelsMisreadByOneLetter(t *testing.T) {
	for _, c := range []struct {
		line, field, value string
	}{
		{"Vrequency: three visits a week", "frequency", "three visits a week"},
		{"Diagnosls: M54.2 Cervicalgia", "diagnosis", "M54.2 Cervicalgia"},
		{"Patlent; Ada Jones", "patient", "Ada Jones"},
		{"Signe: Wolcott Van Alstyne", "signature", "Wolcott Van Alstyne"},
		{"‘ Biagnoses (1CD-10\"CM): 189.0; Lymphedema", "diagnosis", "189.0; Lymphedema"},
	} {
		ls := labels([]textLine{{Text: c.line}})
		if len(ls) == 0 || ls[0].Field != c.field || ls[0].Value != c.value {
			t.Errorf("%q: labels %+v, want %s = %q first", c.line, ls, c.field, c.value)
		}
	}
	// Words two letters from a label, and short ones, are not labels.
	for _, line := range []string{"Patterns: none", "Sequence: see plan", "Dale: 11/05/2026", "Remarks: see chart",
		"Notes: none", "Phone: 555 201 3344", "Email: office@clinic.example"} {
		if ls := labels([]textLine{{Text: line}}); len(ls) > 0 {
			t.Errorf("%q: read as label %q = %q (%s)", line, ls[0].Label, ls[0].Value, ls[0].Field)
		}
	}
}
