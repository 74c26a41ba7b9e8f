package extract

import (
	"strings"
	"testing"
)

func TestResolveName(t *testing.T) {
	line := func(i int) textLine { return textLine{Idx: i} }
	cases := []struct {
		name       string
		cands      []nameCand
		want, cred string
		source     string
	}{
		{"a label beats a name found by its title",
			[]nameCand{
				{name: "Ann Vu", source: "label", weight: wLabel, line: line(3)},
				{name: "Santa Fe", source: "title", weight: wTitle, line: line(1)},
			}, "Ann Vu", "", "label"},
		{"one person named on two lines beats a lone stronger reading",
			[]nameCand{
				{name: "Santa Fe", source: "title", weight: wTitle, line: line(1)},
				{name: "Ngozi McBride", creds: "PA-C", source: "credentialed", weight: wCredentialed, line: line(20)},
				{name: "Ngozi McBride", creds: "PA-C", source: "credentialed", weight: wCredentialed, line: line(6)},
			}, "Ngozi McBride", "PA-C", "credentialed"},
		{"two readings on one line are one reading",
			[]nameCand{
				{name: "Ann Vu", source: "title", weight: wTitle, line: line(9)},
				{name: "Mark Orr", source: "credentialed", weight: wCredentialed, line: line(4)},
				{name: "Mark Orr", source: "credentialed", weight: wCredentialed, line: line(4)},
			}, "Ann Vu", "", "title"},
		{"the credentials of the same person read elsewhere",
			[]nameCand{
				{name: "Anil Patel", source: "label", weight: wLabel, line: line(2)},
				{name: "Anil Patel", creds: "MD, FACP", source: "signature-block", weight: wSignBlock, line: line(30)},
			}, "Anil Patel", "MD, FACP", "label"},
		{"an OCR misread of the family name is the same person",
			[]nameCand{
				{name: "Dana Okafor", source: "title", weight: wTitle, line: line(1)},
				{name: "Ellison Ballentine", source: "prose", weight: wProse, line: line(5)},
				{name: "Ellison Bailentine", creds: "MD", source: "credentialed", weight: wCredentialed, line: line(8)},
			}, "Ellison Ballentine", "MD", "prose"},
	}
	for _, c := range cases {
		got, ok := resolveName(c.cands)
		if !ok || got.name != c.want || got.creds != c.cred || got.source != c.source {
			t.Errorf("%s: got %q %q from %s, want %q %q from %s", c.name, got.name, got.creds, got.source, c.want, c.cred, c.source)
		}
	}
	if _, ok := resolveName(nil); ok {
		t.Error("no candidates: a name was resolved")
	}
}

func TestSamePerson(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"Wei Chen", "Wei Chen", true},
		{"W. Chen", "Wei Chen", true},
		{"Wei A. Chen Jr.", "Wei Chen", true},
		{"Mary Chen", "Wei Chen", false},
		{"Ellison Ballentine", "Ellison Bailentine", true},
		{"Ann Vu", "Ann Wu", false}, // short names: one letter is another person
		{"Ann Vu", "", false},
	} {
		if got := samePerson(c.a, c.b); got != c.want {
			t.Errorf("samePerson(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestSplitCredentialsList(t *testing.T) {
	for _, c := range []struct{ in, name, creds string }{
		{"Anil Patel, MD, FACP", "Anil Patel", "MD, FACP"},
		{"Ellison Ballentine, MSN, FNP-C", "Ellison Ballentine", "MSN, FNP-C"},
		{"Ellison Ballentine MSN, FNP-C", "Ellison Ballentine", "MSN, FNP-C"},
		{"Mary Catherine O'Bannon, M.P.A.S., PA-C", "Mary Catherine O'Bannon", "MPAS, PA-C"},
		{"Dana Lee, DABXY, DO", "Dana Lee", "DABXY, DO"},
		{"MARY JONES, MD", "MARY JONES", "MD"},
		{"MARY ANN JONES, RNX, MD", "MARY ANN JONES", "RNX, MD"},
		{"Latrice Okoro-Pinckney, AGNP-C", "Latrice Okoro-Pinckney", "AGNP-C"},
		{"Tran Vu, MD", "Tran Vu", "MD"},
		{"Carmen Rosenthal III, MBBS", "Carmen Rosenthal III", "MBBS"},
	} {
		name, creds := splitCredentials(c.in)
		if name != c.name || creds != c.creds {
			t.Errorf("splitCredentials(%q) = %q, %q; want %q, %q", c.in, name, creds, c.name, c.creds)
		}
	}
}

func TestValueBelowLabel(t *testing.T) {
	lines := []textLine{
		{Text: "Request: neuromuscular therapy - hamstrings. Client:", Idx: 0},
		{Text: "Fitzgerald Levesque.", Idx: 1},
		{Text: "Pt: RUTH VAN BUREN", Idx: 2},
		{Text: "Patient:", Idx: 3},
		{Text: "DOB: 12/08/1991", Idx: 4},
	}
	r := &rxReader{lines: lines, labs: labels(lines), rx: &Prescription{}}
	var got []string
	for _, l := range r.field("patient") {
		v, at := r.valueOf(l)
		got = append(got, v+"@"+itoa(at.Idx))
	}
	want := []string{"Fitzgerald Levesque.@1", "RUTH VAN BUREN@2", "@3"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("patient values %q, want %q (a label that ends its line takes the next line, unless that is a label's)", got, want)
	}
}

func TestRomanSuffixMisread(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Dov Vu lll", "Dov Vu III"},
		{"Julian Abernathy ill", "Julian Abernathy III"},
		{"Seamus St Germain lV", "Seamus St Germain IV"},
		{"Yasmin O Macdonald Il", "Yasmin O Macdonald II"},
		{"Thanh St Onge III", "Thanh St Onge III"},
		{"Ann Li", "Ann Li"},       // two words: a family name, not a suffix
		{"Mai Vu Li", "Mai Vu Li"}, // "Li" is a name: L and i are not both strokes
	} {
		if got, _, _ := personName(c.in); got != c.want {
			t.Errorf("personName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
