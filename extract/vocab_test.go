package extract

import "testing"

func TestMendWord(t *testing.T) {
	for in, want := range map[string]string{
		"weck": "week", "2x/weck": "2x/week", "cach": "each", "WECKS": "WEEKS", "Sessions,": "",
		"rninutes": "minutes", "Thcrapy": "Therapy", "week": "", "wreck": "", "deck": "", "M54.50": "", "hack": "",
	} {
		got, ok := mendWord(in)
		if want == "" {
			if ok {
				t.Errorf("mendWord(%q) = %q, want it left alone", in, got)
			}
			continue
		}
		if !ok || got != want {
			t.Errorf("mendWord(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
