package confusion

import (
	"regexp"
	"testing"
)

func TestDefaultTable(t *testing.T) {
	m := Default
	for _, c := range []struct {
		a, b byte
		want bool
	}{{'0', 'O', true}, {'O', 'D', true}, {'1', 'I', true}, {'5', 'S', true}, {'8', 'B', true}, {'M', 'N', false}, {'5', '6', false}, {'A', 'A', true}} {
		if got := m.Plausible(c.a, c.b); got != c.want {
			t.Errorf("Plausible(%c, %c) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	if got := m.Digits("l2O4S|"); got != "120451" {
		t.Errorf("Digits = %q, want 120451", got)
	}
	if _, ok := m.Digit('x'); ok {
		t.Error("x is read as a digit")
	}
	re := regexp.MustCompile(`^[0-9` + m.DigitLetters() + `]+$`)
	if !re.MatchString("1O|l") || re.MatchString("1x") {
		t.Errorf("DigitLetters class %q", m.DigitLetters())
	}
	found := false
	for _, w := range m.WordSubs() {
		if w == [2]string{"rn", "m"} {
			found = true
		}
	}
	if !found {
		t.Error("rn for m is not in the table")
	}
}

func TestParseErrors(t *testing.T) {
	for _, bad := range []string{"group", "digit x O", "digit 0 O\ndigit 1 O", "spell a b"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func TestLetters(t *testing.T) {
	for in, want := range map[string]string{
		"Pau!": "Paul", "|saac": "Isaac", "O'Ma1ley": "O'Malley", "Ry0ko": "Ryoko", "Paul": "Paul",
		// Not words of letters: kept.
		"1D.": "1D.", "12": "12", "!": "!", "a1": "a1", "M1": "M1",
	} {
		if got := Default.Letters(in); got != want {
			t.Errorf("Letters(%q) = %q, want %q", in, got, want)
		}
	}
}
