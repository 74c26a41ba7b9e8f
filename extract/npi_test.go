package extract

import (
	"strconv"
	"testing"
)

func TestValidNPI(t *testing.T) {
	tests := []struct {
		npi  string
		want bool
	}{
		{"1234567893", true}, // the CMS example
		{"1234567890", false},
		{"1234567891", false},
		{"1234567892", false},
		{"1234567894", false},
		{"1234567899", false},
		{"1245319599", true},
		{"1003000126", true},
		{"1003000127", false},
		{"2000000002", true}, // first digit 2
		{"2000000008", false},
		{"3234567893", false}, // first digit must be 1 or 2
		{"0234567893", false},
		{"123456789", false},   // 9 digits
		{"12345678933", false}, // 11 digits
		{"123456789O", false},  // letter O
		{"1234-56789", false},
		{" 1234567893", false},
		{"", false},
		{"１２３４５６７８９３", false}, // full-width digits
	}
	for _, tt := range tests {
		t.Run(tt.npi, func(t *testing.T) {
			if got := ValidNPI(tt.npi); got != tt.want {
				t.Errorf("ValidNPI(%q) = %v, want %v", tt.npi, got, tt.want)
			}
		})
	}
}

// TestValidNPICheckDigit checks that exactly one check digit completes any
// nine-digit payload, and that a single changed digit is always caught.
func TestValidNPICheckDigit(t *testing.T) {
	for _, base := range []string{"123456789", "100300012", "199999999", "200000000", "176543210"} {
		valid := 0
		var good string
		for d := 0; d <= 9; d++ {
			s := base + strconv.Itoa(d)
			if ValidNPI(s) {
				valid++
				good = s
			}
		}
		if valid != 1 {
			t.Errorf("%s: %d valid check digits, want 1", base, valid)
			continue
		}
		for i := 1; i < 9; i++ {
			for d := byte('0'); d <= '9'; d++ {
				b := []byte(good)
				if b[i] == d {
					continue
				}
				b[i] = d
				if ValidNPI(string(b)) {
					t.Errorf("%s with digit %d changed to %c passes", good, i, d)
				}
			}
		}
	}
}

// An NPI is read between its label and the number whatever stands
// there: a dash, a bracket, a leader of dots OCR read as letters or as
// digits a space away; and the label nearest the number names it, even
// after a credential that begins like a telephone's cue.
func TestReadNPISeparators(t *testing.T) {
	const npi = "1234567893"
	for _, line := range []string{
		"Requested by: Ines Varga, M.D., Ph.D. NPI - " + npi,
		"Physician NPI..........-7 " + npi,
		"NPI no ...... 0oceeeeeca " + npi,
		"National Provider Identifier: (" + npi,
		"NPI [" + npi + "]",
	} {
		rx := readBody("Patient: Mary K. Jones  DOB: 04/02/1961\n" + line + "\n")
		if rx.Prescriber == nil || rx.Prescriber.NPI != npi {
			t.Errorf("%q: prescriber %+v, want NPI %s", line, rx.Prescriber, npi)
		}
	}
	// A telephone's number stays one.
	for _, line := range []string{"Ph: (123) 456-7893", "Phone 1234567893", "Fax: 123.456.7893"} {
		if rx := readBody("Patient: Mary K. Jones\n" + line + "\n"); rx.Prescriber != nil && rx.Prescriber.NPI != "" {
			t.Errorf("%q read as NPI %s", line, rx.Prescriber.NPI)
		}
	}
}
