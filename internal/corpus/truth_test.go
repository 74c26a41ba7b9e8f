package corpus

import (
	"bufio"
	"compress/gzip"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestUnits(t *testing.T) {
	tests := []struct{ minutes, units int }{
		{0, 0}, {7, 0}, {8, 1}, {22, 1}, {23, 2}, {37, 2}, {38, 3}, {52, 3}, {53, 4},
		{60, 4}, {67, 4}, {68, 5}, {82, 5}, {83, 6}, {90, 6}, {97, 6}, {98, 7}, {112, 7},
	}
	for _, tc := range tests {
		if got := Units(tc.minutes); got != tc.units {
			t.Errorf("Units(%d) = %d, want %d", tc.minutes, got, tc.units)
		}
	}
}

func TestValidNPI(t *testing.T) {
	tests := []struct {
		npi  string
		want bool
	}{
		{"1234567893", true},
		{"1234567890", false},
		{"1245319599", true}, // CMS's published example
		{"2234567891", true},
		{"2234567892", false},
		{"123456789", false},
		{"12345678931", false},
		{"3234567893", false},
		{"12345678a3", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := ValidNPI(tc.npi); got != tc.want {
			t.Errorf("ValidNPI(%q) = %v, want %v", tc.npi, got, tc.want)
		}
	}
	for _, d := range []*doctor{anilPatel, sarahChen, robertKim} {
		if !ValidNPI(d.npi) {
			t.Errorf("fixture prescriber %s has an invalid NPI %s", d.natural(), d.npi)
		}
	}
}

// TestICDTable checks the generator's codes against the CDC code files when
// the shared data folder is present: billable codes with their official
// descriptions exist in FY2027, headers do not but have billable children.
func TestICDTable(t *testing.T) {
	const path = "/work/shared/data/icd10cm/icd10cm-codes-2027.txt.gz"
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("no code file: %v", err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	sc := bufio.NewScanner(z)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if len(line) > 8 {
			codes[strings.TrimSpace(line[:8])] = line[8:]
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, c := range icdCodes {
		desc, ok := codes[undotted(c.code)]
		switch {
		case c.billable && !ok:
			t.Errorf("%s: not a billable FY2027 code", c.code)
		case c.billable && desc != c.desc:
			t.Errorf("%s: description %q, the code set says %q", c.code, c.desc, desc)
		case !c.billable && ok:
			t.Errorf("%s: marked a header but is billable", c.code)
		case !c.billable:
			children := 0
			for k := range codes {
				if strings.HasPrefix(k, undotted(c.code)) {
					children++
				}
			}
			if children == 0 {
				t.Errorf("%s: a header without billable children", c.code)
			}
		}
		if i := strings.IndexByte(c.code, '.'); i >= 0 && i != 3 {
			t.Errorf("%s: the dot belongs after the third character", c.code)
		}
	}
	for _, th := range themes {
		for _, code := range append(slices.Clone(th.codes), th.headers...) {
			if len(code) > 2 && code[1] == ':' {
				code = code[2:]
			}
			lookupICD(code) // panics on a code missing from the table
		}
	}
}

// TestTruthPrinted lays out many drawn documents and checks that what the
// truth says is printed is printed, and what it says is missing is not:
// the truth is only as good as this agreement.
func TestTruthPrinted(t *testing.T) { truthPrinted(t, EvalSpecs(400, 11)) }

// truthPrinted is TestTruthPrinted on the given specs.
func truthPrinted(t *testing.T, specs []Spec) {
	t.Helper()
	for _, s := range specs {
		g, sheets, err := compose(s, nil)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		c := g.c
		var text string
		ink := false
		if textOnly(s.Media) && s.Media != MediaTextPDF {
			text = sheetText(sheets)
		} else {
			var parts []string
			for _, p := range flow(sheets, g.fs) {
				for _, it := range p.items {
					if it.kind == itemText && it.role != roleSign {
						parts = append(parts, it.text)
					}
					ink = ink || it.kind == itemInk
				}
			}
			text = strings.Join(parts, " ")
		}
		norm := strings.ToLower(strings.Join(strings.Fields(text), " "))
		has := func(s string) bool {
			return strings.Contains(norm, strings.ToLower(strings.Join(strings.Fields(s), " ")))
		}
		word := func(s string) bool {
			return regexp.MustCompile(`\b` + regexp.QuoteMeta(strings.ToLower(s)) + `\b`).MatchString(norm)
		}
		p := c.prescription()
		fail := func(format string, args ...any) {
			t.Helper()
			t.Errorf("%s (seed %d): "+format+"\n%s", append([]any{s.Name, s.Seed}, append(args, text)...)...)
		}
		for _, pr := range p.Procedures {
			if !has(pr.Text) {
				fail("procedure %q not printed", pr.Text)
			}
		}
		for _, d := range p.Diagnoses {
			if !has(d.Code) || !has(d.Description) {
				fail("diagnosis %s %q not printed", d.Code, d.Description)
			}
		}
		for _, a := range p.AreasText {
			if !has(a) {
				fail("area %q not printed", a)
			}
		}
		if (p.Prescriber != nil && p.Prescriber.NPI != "") != has(c.doctor.npi) {
			fail("NPI %s printed: %v, truth %+v", c.doctor.npi, has(c.doctor.npi), p.Prescriber)
		}
		// A name is looked for when it is not also part of another name.
		others := strings.ToLower(strings.Join([]string{c.doctor.natural(), c.patient.natural(), c.practice.name, c.clinic.name, c.staff}, " "))
		if n := c.patient.last; (p.Patient != nil) != word(n) && (p.Patient != nil || strings.Count(others, strings.ToLower(n)) == 1) {
			fail("patient %s printed: %v, truth %+v", n, word(n), p.Patient)
		}
		if n := c.doctor.last; (p.Prescriber != nil) != word(n) && (p.Prescriber != nil || strings.Count(others, strings.ToLower(n)) == 1) {
			fail("prescriber %s printed: %v, truth %+v", n, word(n), p.Prescriber)
		}
		fmts := famDateFormats()
		if p.Patient != nil && p.Patient.DOB != "" && !slices.ContainsFunc(fmts, func(f string) bool { return has(formatDate(c.patient.dob, f)) }) {
			fail("date of birth not printed")
		}
		if p.Date != "" && c.datePlace != dateHeader && !slices.ContainsFunc(fmts, func(f string) bool { return has(formatDate(c.rxDate, f)) }) {
			fail("Rx date not printed")
		}
		if p.Date == "" && c.fam != houseFamily && slices.ContainsFunc(fmts, func(f string) bool { return has(formatDate(c.rxDate, f)) || has(formatDate(c.sigTime, f)) }) {
			fail("a date printed, truth has none")
		}
		if f := c.freq; f != nil && !has(f.text) && !(has(f.perWeek) && has(bareDuration(f.duration))) {
			fail("frequency %q not printed", f.text)
		}
		if p.Session != nil && !has(p.Session.Text) {
			fail("session %q not printed", p.Session.Text)
		}
		if p.MedicallyNecessary != (c.necessity == necPrinted) || (c.necessity == necAbsent) == has("necess") {
			fail("medical necessity %v printed %v", c.necessity, has("necess"))
		}
		switch p.Signature.Kind {
		case "electronic":
			if !has("signed") && !has("/es/") && !has("authenticated") {
				fail("electronic signature not printed")
			}
		case "wet":
			if !ink {
				fail("no ink for a wet signature")
			}
		default:
			if ink || has("signed by") {
				fail("a signature printed, truth %+v", p.Signature)
			}
		}
	}
}
