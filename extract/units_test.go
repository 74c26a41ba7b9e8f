package extract

import (
	"strings"
	"testing"
)

func TestUnitsForMinutes(t *testing.T) {
	tests := []struct{ min, units int }{
		{-5, 0}, {0, 0}, {1, 0}, {7, 0},
		{8, 1}, {15, 1}, {22, 1},
		{23, 2}, {30, 2}, {37, 2},
		{38, 3}, {45, 3}, {52, 3},
		{53, 4}, {60, 4}, {67, 4},
		{68, 5}, {75, 5}, {82, 5},
		{83, 6}, {90, 6}, {97, 6},
		{98, 7}, {112, 7},
		{113, 8}, {120, 8},
	}
	for _, tt := range tests {
		if got := UnitsForMinutes(tt.min); got != tt.units {
			t.Errorf("UnitsForMinutes(%d) = %d, want %d", tt.min, got, tt.units)
		}
	}
	// The CMS table, row by row: 8-22 = 1, 23-37 = 2, ... 98-112 = 7.
	for units := 1; units <= 7; units++ {
		lo, hi := 15*units-7, 15*units+7
		for m := lo; m <= hi; m++ {
			if got := UnitsForMinutes(m); got != units {
				t.Errorf("UnitsForMinutes(%d) = %d, want %d (CMS %d-%d)", m, got, units, lo, hi)
			}
		}
	}
}

func TestParseSession(t *testing.T) {
	tests := []struct {
		text string
		want Session
	}{
		{"4 units", Session{Units: 4, Text: "4 units"}},
		// The count after a label that says what the units are of.
		{"units per visit: 3", Session{Units: 3, Text: "units per visit: 3"}},
		{"Units/session 2", Session{Units: 2, Text: "Units/session 2"}},
		// A decimal comma; a bracket OCR left after the figure.
		{"1,0-hr each", Session{Minutes: 60, Units: 4, Text: "1,0-hr"}},
		{"(0.5) hr", Session{Minutes: 30, Units: 2, Text: "0.5) hr"}},
		// A one read as a bar before its hour; a prime read doubled.
		{"Each appointment: | h per visit", Session{Minutes: 60, Units: 4, Text: "| h"}},
		{"each visit 60\" ", Session{Minutes: 60, Units: 4, Text: "60\""}},
		{"4 billable units", Session{Units: 4, Text: "4 billable units"}},
		{"3 fifteen-minute units each", Session{Units: 3, Text: "3 fifteen-minute units"}},
		{"4 timed (15 min) units per visit", Session{Units: 4, Text: "4 timed (15 min) units"}},
		{"4u", Session{Units: 4, Text: "4u"}},
		{"sixty (60) minutes per visit", Session{Minutes: 60, Units: 4, Text: "60) minutes"}},
		{"Time 60'", Session{Minutes: 60, Units: 4, Text: "60'"}},
		{"45′ sessions", Session{Minutes: 45, Units: 3, Text: "45′"}},
		{"4 U", Session{Units: 4, Text: "4 U"}},
		{"x4 units", Session{Units: 4, Text: "x4 units"}},
		{"97140 x 4 units", Session{Units: 4, Text: "x 4 units"}},
		{"four units of 97140", Session{Units: 4, Text: "four units"}},
		{"(4) units", Session{Units: 4, Text: "(4) units"}},
		{"1 unit", Session{Units: 1, Text: "1 unit"}},
		{"Units: 4", Session{Units: 4, Text: "Units: 4"}},
		{"units x 4", Session{Units: 4, Text: "units x 4"}},
		{"2-4 units", Session{Units: 4, Range: true, Text: "2-4 units"}},
		{"4 x 15 min", Session{Units: 4, Text: "4 x 15 min"}},
		{"15 min x 4", Session{Units: 4, Text: "15 min x 4"}},
		{"4 15-minute units", Session{Units: 4, Text: "4 15-minute units"}},
		{"one hour", Session{Minutes: 60, Units: 4, Text: "one hour"}},
		{"One Hour sessions", Session{Minutes: 60, Units: 4, Text: "One Hour"}},
		{"an hour", Session{Minutes: 60, Units: 4, Text: "an hour"}},
		{"1 hr", Session{Minutes: 60, Units: 4, Text: "1 hr"}},
		{"1 hour", Session{Minutes: 60, Units: 4, Text: "1 hour"}},
		{"1h", Session{Minutes: 60, Units: 4, Text: "1h"}},
		{"60 min", Session{Minutes: 60, Units: 4, Text: "60 min"}},
		{"60min", Session{Minutes: 60, Units: 4, Text: "60min"}},
		{"60 minutes", Session{Minutes: 60, Units: 4, Text: "60 minutes"}},
		{"sixty minutes", Session{Minutes: 60, Units: 4, Text: "sixty minutes"}},
		{"45 minutes", Session{Minutes: 45, Units: 3, Text: "45 minutes"}},
		{"forty-five minutes", Session{Minutes: 45, Units: 3, Text: "forty-five minutes"}},
		{"30 mins", Session{Minutes: 30, Units: 2, Text: "30 mins"}},
		{"30 min.", Session{Minutes: 30, Units: 2, Text: "30 min"}},
		{"1.5 hours", Session{Minutes: 90, Units: 6, Text: "1.5 hours"}},
		{"1.5 hrs", Session{Minutes: 90, Units: 6, Text: "1.5 hrs"}},
		{".5 hr", Session{Minutes: 30, Units: 2, Text: ".5 hr"}},
		{"90-minute sessions", Session{Minutes: 90, Units: 6, Text: "90-minute"}},
		{"an hour and a half", Session{Minutes: 90, Units: 6, Text: "an hour and a half"}},
		{"one and a half hours", Session{Minutes: 90, Units: 6, Text: "one and a half hours"}},
		{"1 1/2 hours", Session{Minutes: 90, Units: 6, Text: "1 1/2 hours"}},
		{"1½ hr", Session{Minutes: 90, Units: 6, Text: "1½ hr"}},
		{"half an hour", Session{Minutes: 30, Units: 2, Text: "half an hour"}},
		{"three-quarters of an hour", Session{Minutes: 45, Units: 3, Text: "three-quarters of an hour"}},
		{"a quarter hour each", Session{Minutes: 15, Units: 1, Text: "a quarter hour"}},
		{"one full hour", Session{Minutes: 60, Units: 4, Text: "one full hour"}},
		{"half-hour", Session{Minutes: 30, Units: 2, Text: "half-hour"}},
		{"1 hr 30 min", Session{Minutes: 90, Units: 6, Text: "1 hr 30 min"}},
		{"1 hour and 15 minutes", Session{Minutes: 75, Units: 5, Text: "1 hour and 15 minutes"}},
		{"2 hours", Session{Minutes: 120, Units: 8, Text: "2 hours"}},
		{"hour-long sessions", Session{Minutes: 60, Units: 4, Text: "hour-long"}},
		{"45-60 minutes", Session{Minutes: 60, Units: 4, Range: true, Text: "45-60 minutes"}},
		{"12x 1-hour treatments over 4 weeks", Session{Minutes: 60, Units: 4, Text: "1-hour"}},
		{"60 min (4 units)", Session{Minutes: 60, Units: 4, Text: "60 min"}},
		{"4 units (one hour)", Session{Minutes: 60, Units: 4, Text: "4 units"}},
		{"MFR 60 min 2x/week for 6 weeks", Session{Minutes: 60, Units: 4, Text: "60 min"}},
		{"97140 x4 units, 2x/week", Session{Units: 4, Text: "x4 units"}},
		{"4 units per visit, 48 units total", Session{Units: 4, Text: "4 units"}},
		{"total of 24 units; 4 units each", Session{Units: 4, Text: "4 units"}},
		{"8 min", Session{Minutes: 8, Units: 1, Text: "8 min"}},

		// Ambiguous: a person decides.
		{"97140 x4", Session{Ambiguous: true, Count: 4, Text: "97140 x4"}},
		{"97140 X 4", Session{Ambiguous: true, Count: 4, Text: "97140 X 4"}},
		{"97140-GP x 4", Session{Ambiguous: true, Count: 4, Text: "97140-GP x 4"}},
		{"97140 (4)", Session{Ambiguous: true, Count: 4, Text: "97140 (4)"}},
		{"MFR x 4", Session{Ambiguous: true, Count: 4, Text: "MFR x 4"}},
		{"myofascial release x4, twice a week", Session{Ambiguous: true, Count: 4, Text: "myofascial release x4"}},
		{"4 units and 45 minutes", Session{Ambiguous: true, Text: "4 units; 45 minutes"}},
		{"97140 x4 and 60 min", Session{Minutes: 60, Units: 4, Text: "60 min"}}, // the explicit length settles it
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := ParseSession(tt.text)
			if !ok {
				t.Fatalf("ParseSession(%q): not found", tt.text)
			}
			if got != tt.want {
				t.Errorf("ParseSession(%q) =\n %+v, want\n %+v", tt.text, got, tt.want)
			}
		})
	}
}

func TestParseSessionNone(t *testing.T) {
	for _, text := range []string{
		"",
		"Myofascial release 2x/week for 6 weeks",
		"97140 x 2/week",
		"97140 x 12 visits",
		"97140 x 6 weeks",
		"units 2x/week",
		"within 24 hours",
		"48 units total",
		"Ice 5 minutes",
		"Page 1 of 2",
		"DOB 4/5/1961 Phone 941-555-0143 NPI 1234567893",
		"Suite 400, Sarasota FL 34236",
		"Thursday, 10:45 AM",
		"Medically necessary.",
		"minimum 2 visits",
		"a hunter",
	} {
		t.Run(text, func(t *testing.T) {
			if got, ok := ParseSession(text); ok {
				t.Errorf("ParseSession(%q) = %+v, want nothing", text, got)
			}
		})
	}
}

func FuzzParseSession(f *testing.F) {
	for _, s := range []string{"4 units", "one hour", "1.5 hours", "97140 x4", "45-60 minutes", "an hour and a half", "4 x 15 min", "60 min (4 units)", "Units: 4", "x4u", "1½ hr"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, ok := ParseSession(text)
		if !ok {
			if s != (Session{}) {
				t.Fatalf("not found but %+v", s)
			}
			return
		}
		if s.Text == "" {
			t.Fatalf("%+v: no evidence", s)
		}
		for _, part := range strings.Split(s.Text, "; ") {
			if !strings.Contains(text, part) {
				t.Fatalf("evidence %q not in text", part)
			}
		}
		if s.Ambiguous {
			if s.Minutes != 0 || s.Units != 0 {
				t.Fatalf("ambiguous session with a length: %+v", s)
			}
			return
		}
		if s.Units < 1 || s.Units > sessionMaxUnits {
			t.Fatalf("units out of range: %+v", s)
		}
		if s.Minutes > 0 {
			if s.Minutes < sessionMinMinutes || s.Minutes > sessionMaxMinutes {
				t.Fatalf("minutes out of range: %+v", s)
			}
			if s.Units != UnitsForMinutes(s.Minutes) {
				t.Fatalf("units %d != UnitsForMinutes(%d)", s.Units, s.Minutes)
			}
		}
	})
}
