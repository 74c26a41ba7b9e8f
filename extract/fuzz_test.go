package extract

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Fuzz targets for the text a sender controls: the field reader over a
// whole prescription, the dates in it, and the HTML of an email body. The
// seeds are the fixtures' texts and the shapes each reader knows.

var isoDay = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// FuzzReadPrescription: reading any text finishes, and what it reports
// keeps the forms of docs/interfaces.md: ISO dates, a ten-digit NPI that
// passes its check digit, diagnosis codes with their dot.
//
// Inputs are kept to 512 bytes: a whole letter takes the reader up to a
// second (far longer under the fuzzer's instrumentation), and the shapes
// that matter fit in a few lines.
func FuzzReadPrescription(f *testing.F) {
	f.Add("Re: Mary Jones, DOB 4/2/1961\nI am referring my patient for neuromuscular therapy to the neck (M54.2).\n" +
		"I recommend 3 times a week for 2 weeks, with sessions of one hour. Medically necessary.\n" +
		"Electronically signed by Anil Patel MD on 11/20/2026 14:02\nNPI 1234567893")
	f.Add("Patient: Mary Jones DOB 04/02/1961\nRx: myofascial release 97140 x4, lumbar\nDx: M54.50, M62.830\n2x/week x 6 weeks\nNPI 1234567893\nSigned electronically by Anil Patel MD 11/19/2026")
	f.Add("Frequency: PRN\nSession: halfhourpersession\nDate: 10/27/76\n(33.5XXA) 189.0 - Lymphedema")
	asOf := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 512 {
			return
		}
		rx := ReadPrescription(&Document{Kind: KindText, Body: text}, asOf)
		if rx == nil {
			t.Fatal("no prescription")
		}
		if rx.Date != "" && !isoDay.MatchString(rx.Date) {
			t.Errorf("date %q is not YYYY-MM-DD", rx.Date)
		}
		if rx.Patient != nil && rx.Patient.DOB != "" && !isoDay.MatchString(rx.Patient.DOB) {
			t.Errorf("date of birth %q is not YYYY-MM-DD", rx.Patient.DOB)
		}
		if rx.Prescriber != nil && rx.Prescriber.NPI != "" && !ValidNPI(rx.Prescriber.NPI) {
			t.Errorf("NPI %q fails its check digit", rx.Prescriber.NPI)
		}
		for _, d := range rx.Diagnoses {
			if len(d.Code) > 3 && !strings.Contains(d.Code, ".") {
				t.Errorf("diagnosis code %q without its dot", d.Code)
			}
		}
	})
}

// FuzzFindDates: every date found is a real day, inside the text, in
// order.
func FuzzFindDates(f *testing.F) {
	for _, s := range []string{"11/19/2026", "Nov 19, 2026", "19 November 2026", "2026-11-19", "10/27/76", "25/10/2026",
		"DOB: 4/2/61 Date: 11-19-26", "the 3rd of March, 2025", "1/1/1 99/99/9999 0/0/0000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := -1
		for _, m := range findDates(s) {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End || m.Start < last {
				t.Fatalf("match [%d,%d) in %d bytes after %d", m.Start, m.End, len(s), last)
			}
			last = m.Start
			if m.Date.IsZero() || m.Date.Year() < 1000 || m.Date.Year() > 9999 {
				t.Errorf("date %v from %q", m.Date, s[m.Start:m.End])
			}
		}
	})
}

// FuzzHTMLText: HTML reduces to text without its scripts and styles, and
// valid UTF-8 stays valid.
func FuzzHTMLText(f *testing.F) {
	if b, err := os.ReadFile("../testdata/email-html.eml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("<html><head><style>p{}</style><script>alert(1)</script></head><body><p>Rx: 97140</p><br><div>lumbar</div></body></html>"))
	f.Add([]byte("<table><tr><td>Patient</td><td>Mary Jones</td></tr></table><!-- comment --><![CDATA[x]]>"))
	f.Add([]byte("<script><script>x</script></script><p onload=\"x\">&amp;&lt;&#x41;&#0;"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<16 {
			return
		}
		out := htmlText(b)
		if utf8.Valid(b) && !utf8.ValidString(out) {
			t.Errorf("valid UTF-8 in, invalid out: %q", out)
		}
		const marker = "SCRIPTBODY"
		if !strings.Contains(string(b), marker) && strings.Contains(out, marker) {
			t.Errorf("text appeared from nowhere: %q", out)
		}
	})
}
