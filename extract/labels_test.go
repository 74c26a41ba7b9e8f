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
		// A gloss in brackets restates the label.
		{"Date of birth (DOB): 18 January 1967", "dob", "18 January 1967"},
		{"Diagnosis (ICD-10): M54.2 Cervicalgia", "diagnosis", "M54.2 Cervicalgia"},
		{"Service (CPT): 97140", "treatment", "97140"},
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

// Forms in one column print each label on a line of its own, the value on
// the line below, often without a colon.
func TestLabelsAboveTheirValues(t *testing.T) {
	lines := func(ss ...string) []textLine {
		out := make([]textLine, len(ss))
		for i, s := range ss {
			out[i] = textLine{Text: s, Idx: i}
		}
		return out
	}
	for _, c := range []struct {
		label, value, field string
	}{
		{"Frequency", "2x/week for 6 weeks", "frequency"},
		{"Date of birth", "04/12/1961", "dob"},
		{"Prescriber NPI", "1234567893", "npi"},
		{"Patient name", "Ada Jones", "patient"},
		{"Patient/Member", "Ada Jones", "patient"},
	} {
		ls := labels(lines(c.label, c.value))
		if len(ls) != 1 || ls[0].Field != c.field || ls[0].Value != c.value || ls[0].Line.Idx != 1 {
			t.Errorf("%q above %q: labels %+v, want %s = %q on the second line", c.label, c.value, ls, c.field, c.value)
		}
	}
	// A value of the wrong kind, a label above a label, a blank: none.
	for _, c := range [][2]string{
		{"Frequency", "see the attached notes"},
		{"Date of birth", "unknown"},
		{"Patient", "Date of birth: 04/12/1961"},
		{"Patient name", "____________"},
	} {
		for _, l := range labels(lines(c[0], c[1])) {
			if l.Line.Idx == 1 && l.Label == c[0] {
				t.Errorf("%q above %q: read as %s = %q", c[0], c[1], l.Field, l.Value)
			}
		}
	}
}

// A title that starts with a label's word is no label: "PRESCRIPTION FOR
// MEDICAL MASSAGE". With a colon the word is the label of the order.
func TestTitleIsNoLabel(t *testing.T) {
	for _, line := range []string{"PRESCRIPTION FOR MEDICAL MASSAGE", "Referral for Medical Massage Therapy"} {
		for _, l := range labels([]textLine{{Text: line}}) {
			if l.Field == "treatment" {
				t.Errorf("%q: read as %s label %q = %q", line, l.Field, l.Label, l.Value)
			}
		}
	}
	ls := labels([]textLine{{Text: "Prescription: General massage"}})
	if len(ls) == 0 || ls[0].Field != "treatment" || ls[0].Value != "General massage" {
		t.Errorf("Prescription: labels %+v, want treatment = General massage", ls)
	}
}
