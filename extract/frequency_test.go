package extract

import (
	"strings"
	"testing"
)

func TestParseFrequency(t *testing.T) {
	tests := []struct {
		text          string
		visits, weeks int
		rng           bool
		evidence      string // "" means the whole text
	}{
		{"2x/week for 6 weeks", 12, 6, false, ""},
		// The visit described between its count and the week: its
		// length, its kind; or no word for it at all.
		{"two 45-minute visits weekly for five weeks", 10, 5, false, ""},
		{"THREE 1-HOUR SESSIONS PER WEEK X 2 WEEKS", 6, 2, false, ""},
		{"two one hour massage appointments each week for 3 weeks", 6, 3, false, ""},
		{"1-2 wkly x 6 wks", 12, 6, true, ""},
		{"8 weekly visits", 8, 8, false, ""},
		// Phases joined by words of tapering or an arrow.
		{"2 visits/week x 4 wks -> QW x 4 wks", 12, 8, false, ""},
		{"twice wkly for 4 wks, taper to weekly for 4 wks", 12, 8, false, ""},
		{"2 X/WEEK FOR 3 WKS, TAPER TO WEEKLY FOR 3 WKS", 9, 6, false, ""},
		{"three times weekly for one week, step down to twice weekly for two weeks, then weekly for three weeks", 10, 6, false, ""},
		// Rates in shorthand and hyphenated; numbers in capitals.
		{"thrice-weekly for six weeks", 18, 6, false, ""},
		{"THRICE -WEEKLY FOR A PERIOD OF SIX WEEKS", 18, 6, false, ""},
		{"q14d x 12 wks", 6, 12, false, ""},
		{"alternating weeks x 12 wks", 6, 12, false, ""},
		// A count of visits in a clause of its own beside the rate.
		{"weekly sessions, 6 total", 6, 6, false, ""},
		{"2x/week, 12 total", 12, 6, false, ""},
		{"three times per week 7 Total for a total of 4 weeks", 12, 4, false, ""},
		// Fortnights, and spans in the clinical notation N/52 and N/12.
		{"once a fortnight for two months", 4, 8, false, ""},
		{"once a fortnight for 12/52", 6, 12, false, ""},
		{"twice weekly for 6/52", 12, 6, false, ""},
		{"twice weekly for 4-6/52", 12, 6, true, ""},
		{"weekly for 3/12", 12, 12, false, ""},
		{"twice weekly for a fortnight, then weekly for 4 weeks", 8, 6, false, ""},
		// The span before the rate, a plan of care's label between.
		{"12 wk POC: 2 visits per week", 24, 12, false, ""},
		{"2x/wk x 6 wks", 12, 6, false, ""},
		{"2 times per week for 6 weeks", 12, 6, false, ""},
		{"twice a week x 6 weeks", 12, 6, false, ""},
		{"two times weekly for six weeks", 12, 6, false, ""},
		{"2X/WEEK FOR 6 WEEKS", 12, 6, false, ""},
		{"2x per week x 6 weeks", 12, 6, false, ""},
		{"2x week for 6 weeks", 12, 6, false, ""},
		{"2xwk x 6wks", 12, 6, false, ""},
		{"2/wk x 6 wks", 12, 6, false, ""},
		{"2 visits per week for 6 weeks", 12, 6, false, ""},
		{"3 days a week for 4 weeks", 12, 4, false, ""},
		{"2x/week × 6 weeks", 12, 6, false, ""},
		{"BIW x 4 weeks", 8, 4, false, ""},
		// The shorthand with its full stops, whatever the abbreviation.
		{"t.i.w. x 4 wks", 12, 4, false, ""},
		{"B.I.W. x 3 wk", 6, 3, false, ""},
		{"q.w. for 2 months", 8, 8, false, ""},
		{"q.o.w. x 8 wks", 4, 8, false, ""},
		{"q.2 wks x 12 wks", 6, 12, false, ""},
		{"b.i.w. x 1 mo", 8, 4, false, ""},
		// A rate glued to the x of its span.
		{"2-3 wklyx4wks", 12, 4, true, ""},
		{"TIW x 4 wks", 12, 4, false, ""},
		{"QW x 8 weeks", 8, 8, false, ""},
		{"1x wkly for 12 wk", 12, 12, false, ""},
		// A count, then the rate it comes at: the span is the weeks the
		// rate takes. A rate by the day. A rate inside the count.
		{"ten sessions at two per week", 10, 5, false, ""},
		{"9 visits, 3 a week", 9, 3, false, ""},
		{"every 10 days for 10 weeks", 7, 10, false, ""},
		{"every other day for 2 weeks", 7, 2, false, ""},
		{"every fourteen days x 8 weeks", 4, 8, false, ""},
		{"five weekly 45-minute visits", 5, 5, false, ""},
		{"eight twice-weekly sessions", 8, 4, false, ""},
		{"a six-week plan of care at 2 visits a week", 12, 6, false, "six-week plan of care at 2 visits a week"},
		{"8-week course of treatment, 1x/week", 8, 8, false, ""},
		{"twice weekly for a month and a half", 12, 6, false, ""},
		// "Biweekly" said which way.
		{"bi-weekly (every 2 wks) for 12 weeks", 6, 12, false, "every 2 wks) for 12 weeks"},
		{"biweekly, i.e. twice a week, for 4 weeks", 8, 4, false, "twice a week, for 4 weeks"},
		// A taper whose phases are named by their weeks' numbers.
		{"Wk 1-2: 3x/wk; Wk 3-6: 2x/wk", 14, 6, false, ""},
		{"weeks 1-4 twice weekly, weeks 5-8 once weekly", 12, 8, false, ""},
		{"once a week over the following month", 4, 4, false, ""},
		{"q week x 4 weeks", 4, 4, false, ""},
		{"weekly x 6 weeks", 6, 6, false, ""},
		{"once weekly for 6 weeks", 6, 6, false, ""},
		{"once a week for 6 weeks", 6, 6, false, ""},
		{"semi-weekly for 4 weeks", 8, 4, false, ""},
		{"Q2W x 6 weeks", 3, 6, false, ""},
		{"Q2W x 5 weeks", 3, 5, false, ""},
		{"every other week for 8 weeks", 4, 8, false, ""},
		{"every 2 weeks for 8 weeks", 4, 8, false, ""},
		{"every 3 weeks for 9 weeks", 3, 9, false, ""},
		{"QOW x 12 weeks", 6, 12, false, ""},
		{"3x/week for 1 week, 2x/week for 1 week, then 1x/week for 6 weeks", 11, 8, false, ""},
		{"3x/week for 1 week, 2x/week for 1 week, and then 1x/week thereafter for six weeks", 11, 8, false, ""},
		{"3x/wk x 2 wks followed by 2x/wk x 4 wks", 14, 6, false, ""},
		{"1) 3x/week x 2 weeks\n2) 2x/week x 2 weeks\n3) 1x/week x 4 weeks", 14, 8, false, "3x/week x 2 weeks\n2) 2x/week x 2 weeks\n3) 1x/week x 4 weeks"},
		{"12 treatments over 4 weeks", 12, 4, false, ""},
		{"12x 1-hour treatments over 4 weeks", 12, 4, false, ""},
		{"12 visits", 12, 0, false, ""},
		{"twelve visits", 12, 0, false, ""},
		{"8 sessions over 4 weeks", 8, 4, false, ""},
		{"12 visits / 6 weeks", 12, 6, false, ""},
		{"one visit every two weeks over an 8-week period", 4, 8, false, "every two weeks over an 8-week"},
		{"a 6-week course of 6 visits", 6, 6, false, "6-week course of 6 visits"},
		{"30 treatments to be completed within 10 weeks", 30, 10, false, ""},
		{"3 visits every week through week 6", 18, 6, false, ""},
		{"twice weekly until wk 10", 20, 10, false, ""},
		{"two to three (2-3) visits per week for four to six (4-6) weeks", 18, 6, true, "2-3) visits per week for four to six (4-6) weeks"},
		{"a 12 week treatment period of 24 sessions", 24, 12, false, "12 week treatment period of 24 sessions"},
		{"12 visits, re-evaluate in 4 weeks", 12, 0, false, "12 visits"},
		{"2 visits/week x 4 weeks", 8, 4, false, ""},
		{"a total of 12 visits within 6 weeks", 12, 6, false, "12 visits within 6 weeks"},
		{"Visits: 12", 12, 0, false, ""},
		{"2x/week for 12 visits", 12, 6, false, ""},
		{"3x/week, 12 visits over 4 weeks", 12, 4, false, ""},
		{"2x/week x 6 weeks (12 visits)", 12, 6, false, "2x/week x 6 weeks"},
		{"1-2x/week x 6-8 weeks", 16, 8, true, ""},
		{"two to three times per week for four to six weeks", 18, 6, true, ""},
		{"1 or 2 times a week for 6 weeks", 12, 6, true, ""},
		{"12-16 visits", 16, 0, true, ""},
		{"2x/week for 1 month", 8, 4, false, ""},
		{"twice weekly for a month", 8, 4, false, ""},
		{"2 sessions weekly over 6 wks", 12, 6, false, ""},
		{"three visits per week for 8 consecutive weeks", 24, 8, false, ""},
		{"2x/week for 4 more weeks", 8, 4, false, ""},
		{"3 visits weekly x 3 wks, then 1 visit weekly x 3 wks", 12, 6, false, ""},
		{"1-2 treatments weekly for 4 weeks", 8, 4, true, ""},
		{"1x/week for 3 months", 12, 12, false, ""},
		{"for 6 weeks at 2x/week", 12, 6, false, ""},
		{"6 weeks, 2x/week", 12, 6, false, ""},
		{"Frequency: 2x/week   Duration: 6 weeks", 12, 6, false, "2x/week   Duration: 6 weeks"},
		{"Duration: 6 weeks\nFrequency: 2x/week", 12, 6, false, ""},
		{"Frequency: 2x/week\nDiagnosis: M54.50 Low back pain\nPlease treat the lumbar region\nDuration: 6 weeks", 12, 6, false, "2x/week\nDiagnosis: M54.50 Low back pain\nPlease treat the lumbar region\nDuration: 6 weeks"},
		{"Duration of treatment: 8 weeks. Medical massage. Frequency: once weekly.", 8, 8, false, "8 weeks. Medical massage. Frequency: once weekly"},
		{"MFR 2x/week (60 min each) for 6 weeks", 12, 6, false, "2x/week (60 min each) for 6 weeks"},
		{"2x/wk. For 6 weeks", 12, 6, false, ""},
		{"97140 x 2/week x 6 weeks", 12, 6, false, "2/week x 6 weeks"},
		{"Rx: Myofascial release to low back, 60 min, 2x/week for 6 weeks. Medically necessary.", 12, 6, false, "2x/week for 6 weeks"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := ParseFrequency(tt.text)
			if !ok {
				t.Fatalf("ParseFrequency(%q): no plan (%+v)", tt.text, got)
			}
			ev := tt.evidence
			if ev == "" {
				ev = tt.text
			}
			want := Frequency{Visits: tt.visits, Weeks: tt.weeks, Range: tt.rng, Text: ev}
			if got != want {
				t.Errorf("ParseFrequency(%q) =\n %+v, want\n %+v", tt.text, got, want)
			}
		})
	}
}

func TestParseFrequencyNotAPlan(t *testing.T) {
	tests := []struct {
		text, reason, evidence string
	}{
		{"PRN", FrequencyPRN, "PRN"},
		{"Massage as needed", FrequencyPRN, "as needed"},
		{"1x/week thereafter", FrequencyOpenEnded, "1x/week"},
		{"weekly, ongoing", FrequencyOpenEnded, "weekly"},
		{"3x/week for 2 weeks, then 1x/week thereafter", FrequencyOpenEnded, "3x/week for 2 weeks, then 1x/week"},
		{"2x/week for 6 weeks then PRN", FrequencyOpenEnded, "2x/week for 6 weeks then PRN"},
		{"2x/week", FrequencyNoDuration, "2x/week"},
		{"1x/wk x 6", FrequencyNoDuration, "1x/wk"},
		{"Massage 2x/week, pt has had LBP for 6 weeks", FrequencyNoDuration, "2x/week"},
		{"LBP x 6 weeks. Massage 2x/week.", FrequencyNoDuration, "2x/week"},
		{"Neck pain since 3 weeks; massage twice weekly", FrequencyNoDuration, "twice weekly"},
		{"biweekly x 6 weeks", FrequencyBiweekly, "biweekly"},
		{"2x/week x 6 weeks (10 visits)", FrequencyConflicting, "2x/week x 6 weeks"},
		{"3x/week, 10 visits over 4 weeks", FrequencyConflicting, "3x/week, 10 visits over 4 weeks"},
		{"", "", ""},
		{"Return in 4 weeks", "", ""},
		{"Follow up in 6 weeks. Medically necessary.", "", ""},
		{"20 visits over 2 weeks", "", ""}, // 10 a week: not a plausible massage plan
		{"DOB 4/12/1961", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := ParseFrequency(tt.text)
			if ok {
				t.Fatalf("ParseFrequency(%q) = %+v, want no plan", tt.text, got)
			}
			want := Frequency{Reason: tt.reason, Text: tt.evidence}
			if got != want {
				t.Errorf("ParseFrequency(%q) =\n %+v, want\n %+v", tt.text, got, want)
			}
		})
	}
}

func FuzzParseFrequency(f *testing.F) {
	for _, s := range []string{
		"2x/week for 6 weeks", "3x/week for 1 week, 2x/week for 1 week, then 1x/week for 6 weeks",
		"12x 1-hour treatments over 4 weeks", "1-2x/week x 6-8 weeks", "Q2W x 6 weeks", "PRN",
		"1x/week thereafter", "Frequency: 2x/week Duration: 6 weeks", "2x/week for 12 visits", "twice weekly for a month",
		"3 times a week xlwk; 2 limes per week x 2 weeks", "then | x/week for two weeks", "cvery 2 weeks tor 12 weeks", "16 treatments within eight: weeks",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fr, ok := ParseFrequency(text)
		if fr.Text != "" && !strings.Contains(text, fr.Text) {
			t.Fatalf("evidence %q not in text", fr.Text)
		}
		if !ok {
			if fr.Visits != 0 || fr.Weeks != 0 || fr.Range {
				t.Fatalf("no plan but %+v", fr)
			}
			if fr.Reason != "" && fr.Text == "" {
				t.Fatalf("reason without evidence: %+v", fr)
			}
			return
		}
		if fr.Reason != "" || fr.Text == "" {
			t.Fatalf("plan %+v: reason or no evidence", fr)
		}
		if fr.Visits < 1 || fr.Weeks < 0 {
			t.Fatalf("plan %+v: bad totals", fr)
		}
		if fr.Weeks > 0 && fr.Visits > freqMaxPerWeek*fr.Weeks {
			t.Fatalf("plan %+v: more than %d visits a week", fr, freqMaxPerWeek)
		}
	})
}

func TestMendCounts(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"twice a week for | month", "twice a week for 1 month"},
		{"2x/wk x lOwks", "2x/wk x 10wks"},
		{"2x/wk xlOwks", "2x/wk x10wks"},
		{"| x/week for 6 weeks", "1 x/week for 6 weeks"},
		{"lx/wk x 4 wks", "1x/wk x 4 wks"},
		{"S units per visit", "5 units per visit"},
		{"| Session length: 3 units", "| Session length: 3 units"},
		{"| Units: 4", "| Units: 4"},
		{"continue for 8 | weeks", "continue for 8 | weeks"},
		{"three times weekly | Weeks of care: six", "three times weekly | Weeks of care: six"},
		{"| HOUR EACH VISIT", "1 HOUR EACH VISIT"},
		{"i lX", "i lX"},
		{"lx weekly x 6 weeks", "1x weekly x 6 weeks"},
		{"for l month", "for 1 month"},
		// Words stay words.
		{"I will see her weekly", "I will see her weekly"},
		{"Illinois 6 weeks", "Illinois 6 weeks"},
		{"lower back 2x/wk", "lower back 2x/wk"},
		{"So 2 visits", "So 2 visits"},
	} {
		if got := mendCounts(tc.in); got != tc.want {
			t.Errorf("mendCounts(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A plan whose span stands under a label of its own on the rate's line.
func TestPlanSpanUnderItsLabel(t *testing.T) {
	rx := ReadPrescription(ocrDoc("Programme: twice weekly Over a period of: a fortnight"), readAsOf)
	if rx.Frequency == nil || rx.Frequency.Visits != 4 || rx.Frequency.Weeks != 2 {
		t.Errorf("frequency %+v, want 4 visits over 2 weeks", rx.Frequency)
	}
}
