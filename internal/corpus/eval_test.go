package corpus

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestEvalSpecs(t *testing.T) {
	specs := EvalSpecs(240, 1)
	complete, hand := 0, 0
	layouts, media := map[Layout]int{}, map[Media]int{}
	for _, s := range specs {
		if len(s.Defects) == 0 {
			complete++
		}
		if s.Tier == TierHandwriting {
			hand++
		}
		layouts[s.Layout]++
		media[s.Media]++
		for _, d := range s.Defects {
			if conflicts(s.Defects, d) && len(s.Defects) > 1 && s.Defects[0] != s.Defects[1] {
				t.Errorf("%s: conflicting defects %v", s.Name, s.Defects)
			}
		}
	}
	if complete != 120 {
		t.Errorf("%d complete specs of 240, want half", complete)
	}
	if hand < 15 || hand > 60 {
		t.Errorf("%d handwritten specs of 240", hand)
	}
	if len(layouts) != len(Layouts) || len(media) < 12 {
		t.Errorf("layouts %v media %v: not every kind drawn", layouts, media)
	}
}

// TestWriteEvalDeterministic writes a small corpus twice: the same seed gives
// byte-identical files, whatever the number of workers.
func TestWriteEvalDeterministic(t *testing.T) {
	const n = 6
	dirs := []string{t.TempDir(), t.TempDir()}
	for i, dir := range dirs {
		if err := WriteEval(context.Background(), dir, n, 42, EvalOptions{Workers: i + 1}); err != nil {
			t.Fatal(err)
		}
	}
	truths, err := LoadManifest(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(truths) != n {
		t.Fatalf("manifest has %d truths, want %d", len(truths), n)
	}
	for _, tr := range truths {
		for _, name := range []string{tr.File, TruthPath(tr.File)} {
			a, err1 := os.ReadFile(filepath.Join(dirs[0], name))
			b, err2 := os.ReadFile(filepath.Join(dirs[1], name))
			if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
				t.Errorf("%s differs between runs (%v, %v)", name, err1, err2)
			}
		}
		if _, err := LoadTruth(filepath.Join(dirs[0], TruthPath(tr.File))); err != nil {
			t.Error(err)
		}
	}
	m1, _ := os.ReadFile(filepath.Join(dirs[0], ManifestName))
	m2, _ := os.ReadFile(filepath.Join(dirs[1], ManifestName))
	if !bytes.Equal(m1, m2) {
		t.Error("manifests differ")
	}
}
