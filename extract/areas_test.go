package extract

import (
	"slices"
	"strings"
	"testing"
)

func TestAreas(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		// docs/rules.md, region by region.
		{"scalp, face, TMJ, jaw", []string{"head"}},
		{"neck; cervical spine", []string{"cervical"}},
		{"c-spine", []string{"cervical"}},
		{"C spine", []string{"cervical"}},
		{"Cervicalgia", []string{"cervical"}},
		{"upper back, mid back, thoracic spine, rhomboids", []string{"thoracic"}},
		{"mid-back", []string{"thoracic"}},
		{"low back", []string{"lumbar"}},
		{"lower back", []string{"lumbar"}},
		{"LBP", []string{"lumbar"}},
		{"L-spine", []string{"lumbar"}},
		{"lumbar spine", []string{"lumbar"}},
		{"lumbosacral", []string{"lumbar", "sacral"}},
		{"lumbo-sacral spine", []string{"lumbar", "sacral"}},
		{"sacrum, SI joint, sacroiliac, coccyx", []string{"sacral"}},
		{"R SI joint", []string{"sacral"}},
		{"SIJ", []string{"sacral"}},
		{"shoulder, rotator cuff", []string{"shoulder"}},
		{"bilateral shoulders", []string{"shoulder"}},
		{"upper arm, elbow, forearm", []string{"arm"}},
		{"wrist and hand", []string{"wrist-hand"}},
		{"carpal tunnel", []string{"wrist-hand"}},
		{"chest", []string{"chest"}},
		{"pectoralis minor", []string{"chest"}},
		{"abdomen", []string{"abdomen"}},
		{"hip, gluteals, piriformis", []string{"hip"}},
		{"thigh, knee, hamstrings, quadriceps, IT band, calf", []string{"leg"}},
		{"R knee", []string{"leg"}},
		{"ankle", []string{"ankle-foot"}},
		{"plantar fascia", []string{"ankle-foot"}},
		{"plantar fasciitis", []string{"ankle-foot"}},
		{"feet", []string{"ankle-foot"}},
		{"whole body", []string{"full-body"}},
		{"full-body", []string{"full-body"}},

		// Choices documented on Areas.
		{"upper trapezius", []string{"cervical"}},
		{"upper traps", []string{"cervical"}},
		{"lower trapezius", []string{"thoracic"}},
		{"trapezius", []string{"cervical", "thoracic"}},
		{"levator scapulae", []string{"cervical"}},
		{"thoracolumbar", []string{"thoracic", "lumbar"}},
		{"cervicothoracic junction", []string{"cervical", "thoracic"}},
		{"upper and lower back", []string{"thoracic", "lumbar"}},
		{"mid/low back", []string{"thoracic", "lumbar"}},
		{"entire spine", []string{"cervical", "thoracic", "lumbar"}},
		{"armpit", []string{"shoulder"}},
		{"UE and LE", []string{"arm", "leg"}},
		{"bilateral upper and lower extremities", []string{"arm", "leg"}},

		// The fixed order, whatever the order of the text.
		{"feet, hips, neck and low back", []string{"cervical", "lumbar", "hip", "ankle-foot"}},
		{"Treat: L shoulder, neck, R hip, low back (lumbosacral)", []string{"cervical", "lumbar", "sacral", "shoulder", "hip"}},

		// Nothing.
		{"back", nil},
		{"spine", nil},
		{"legal guardian", nil},
		{"pharmacy", nil},
		{"armistice", nil},
		{"hippocampus", nil},
		{"shipping", nil},
		{"footnote", nil},
		{"headache", nil},
		{"hands-on treatment", nil},
		{"face-to-face visit", nil},
		{"face sheet attached", nil},
		{"Hand & Stone", nil},
		{"fracture of neck of femur", nil},
		{"on the other hand", nil},
		{"le", nil},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := Areas(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("Areas(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestAreaMentions(t *testing.T) {
	tests := []struct {
		text string
		want []AreaMention
	}{
		{"R knee", []AreaMention{{"leg", "right", "R knee"}}},
		{"bilateral shoulders", []AreaMention{{"shoulder", "bilateral", "bilateral shoulders"}}},
		{"neck, L shoulder and rt hip", []AreaMention{{"cervical", "", "neck"}, {"shoulder", "left", "L shoulder"}, {"hip", "right", "rt hip"}}},
		{"shoulder (L)", []AreaMention{{"shoulder", "left", "shoulder (L)"}}},
		{"knees bilaterally", []AreaMention{{"leg", "bilateral", "knees bilaterally"}}},
		{"R/L hips", []AreaMention{{"hip", "bilateral", "R/L hips"}}},
		{"right and left wrists", []AreaMention{{"wrist-hand", "bilateral", "right and left wrists"}}},
		{"Left-sided SI joint", []AreaMention{{"sacral", "left", "Left-sided SI joint"}}},
		{"L-spine and L hip", []AreaMention{{"lumbar", "", "L-spine"}, {"hip", "left", "L hip"}}},
		{"left low back", []AreaMention{{"lumbar", "", "low back"}}}, // no side for the spine
		{"lumbosacral", []AreaMention{{"lumbar", "", "lumbosacral"}, {"sacral", "", "lumbosacral"}}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := AreaMentions(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("AreaMentions(%q) =\n %+v, want\n %+v", tt.text, got, tt.want)
			}
		})
	}
}

func TestAreaNames(t *testing.T) {
	want := []string{"head", "cervical", "thoracic", "lumbar", "sacral", "shoulder", "arm", "wrist-hand", "chest", "abdomen", "hip", "leg", "ankle-foot", "full-body"}
	got := AreaNames()
	if !slices.Equal(got, want) {
		t.Fatalf("AreaNames() = %q", got)
	}
	got[0] = "changed"
	if AreaNames()[0] != "head" {
		t.Error("AreaNames returned its own slice")
	}
	// Every term maps to known regions only.
	for _, term := range areaTerms {
		for _, r := range term.regions {
			if !slices.Contains(want, r) {
				t.Errorf("term %q maps to unknown region %q", term.pattern, r)
			}
		}
	}
}

func FuzzAreas(f *testing.F) {
	for _, s := range []string{"R knee", "low back and neck", "lumbosacral", "bilateral shoulders", "upper and lower back", "shoulder (L)", "legal", "hands-on", "UE LE", "tumbosacral", "fumbar spine", "levator scapulae"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		areas := Areas(text)
		// Canonical names only, each once, in the fixed order.
		last := -1
		for _, a := range areas {
			i := slices.Index(areaRegions, a)
			if i < 0 {
				t.Fatalf("unknown region %q", a)
			}
			if i <= last {
				t.Fatalf("areas %q not in the fixed order or repeated", areas)
			}
			last = i
		}
		mentions := AreaMentions(text)
		for _, m := range mentions {
			if !slices.Contains(areas, m.Area) {
				t.Fatalf("mention %+v missing from Areas %q", m, areas)
			}
			if m.Text == "" || !strings.Contains(text, m.Text) {
				t.Fatalf("mention %+v: evidence not in text", m)
			}
			if m.Side != "" && (!areaPaired[m.Area] || !slices.Contains([]string{"left", "right", "bilateral"}, m.Side)) {
				t.Fatalf("mention %+v: bad side", m)
			}
		}
		if len(areas) > 0 && len(mentions) == 0 {
			t.Fatal("areas without mentions")
		}
	})
}
