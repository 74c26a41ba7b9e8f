package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rxintake/internal/corpus"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestExtractGolden")

// TestExtractGolden pins the whole `extract --json` line of every fixture:
// testdata/NAME.want.json beside testdata/NAME. A change in what is read
// shows as a diff; `go test ./cmd/rxintake -run TestExtractGolden -update`
// rewrites them after review. NAME.got.json is left beside a mismatch.
func TestExtractGolden(t *testing.T) {
	truths, _ := filepath.Glob("../../testdata/*.truth.json")
	if len(truths) < 15 {
		t.Fatalf("%d fixtures", len(truths))
	}
	var files []string
	asOf := map[string]string{}
	for _, tp := range truths {
		truth, err := corpus.LoadTruth(tp)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join("../../testdata", truth.File)
		files = append(files, f)
		asOf[f] = truth.AsOf
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(context.Background(), []string{"extract", "--json", "--quiet", "--as-of", asOf[f], f}, &out, &errb); code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			// Indent for readable diffs; the line itself is compact.
			var v any
			if err := json.Unmarshal(out.Bytes(), &v); err != nil {
				t.Fatalf("not one JSON line: %v\n%s", err, out.String())
			}
			if strings.Count(strings.TrimSpace(out.String()), "\n") != 0 {
				t.Fatalf("more than one line:\n%s", out.String())
			}
			got, _ := json.MarshalIndent(v, "", "  ")
			got = append(got, '\n')
			want := strings.TrimSuffix(f, "") + ".want.json"
			if *update {
				if err := os.WriteFile(want, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			exp, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(exp, got) {
				os.WriteFile(strings.TrimSuffix(want, ".want.json")+".got.json", got, 0o644)
				t.Errorf("%s differs from %s: diff %s %s", filepath.Base(f), filepath.Base(want), want, strings.TrimSuffix(want, ".want.json")+".got.json")
			}
		})
	}
}

// TestRealFaxNeedsReview reads every file of shared/data/realfax (faxes
// and scans from the wild, none of them a prescription; one no decoder
// reads): each must come out needs-review, none complete, with the reason
// a person needs.
func TestRealFaxNeedsReview(t *testing.T) {
	var dir string
	for _, d := range []string{"../../../shared/data/realfax", "../../shared/data/realfax"} {
		if _, err := os.Stat(d); err == nil {
			dir = d
			break
		}
	}
	if dir == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("shared/data/realfax not found beside the repository")
		}
		t.Skip("shared/data/realfax not found beside the repository")
	}
	var files []string
	for _, pat := range []string{"*.tif", "*.pdf"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("%d files in %s", len(files), dir)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), append([]string{"extract", "--json", "--quiet"}, files...), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(files) {
		t.Fatalf("%d lines for %d files", len(lines), len(files))
	}
	for _, line := range lines {
		var res struct {
			File     string `json:"file"`
			Status   string `json:"status"`
			Findings []struct {
				Rule string `json:"rule"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(line), &res); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		reason := false
		for _, f := range res.Findings {
			reason = reason || f.Rule == "not-a-prescription" || f.Rule == "unreadable"
		}
		if res.Status != "needs-review" || !reason {
			t.Errorf("%s: status %s, findings %+v; want needs-review as not a prescription or unreadable", res.File, res.Status, res.Findings)
		}
	}
}

// TestExtractTimings checks that --timings adds the stages of each file
// under "timings" and changes nothing else of the line.
func TestExtractTimings(t *testing.T) {
	f := "../../testdata/form-fax.pdf" // an image-only PDF: rendered, then OCR
	lineOf := func(args ...string) map[string]any {
		t.Helper()
		var out, errb bytes.Buffer
		args = append([]string{"extract", "--json", "--quiet", "--as-of", "2026-11-20"}, append(args, f)...)
		if code := run(context.Background(), args, &out, &errb); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		var v map[string]any
		if err := json.Unmarshal(out.Bytes(), &v); err != nil {
			t.Fatalf("not a JSON line: %v\n%s", err, out.String())
		}
		return v
	}
	plain, timed := lineOf(), lineOf("--timings")
	tm, ok := timed["timings"].(map[string]any)
	if !ok {
		t.Fatalf("no timings object: %v", timed)
	}
	for _, k := range []string{"decode_s", "render_s", "preprocess_s", "ocr_s", "fields_s", "wall_s"} {
		if s, _ := tm[k].(float64); s <= 0 {
			t.Errorf("timings.%s = %v, want > 0", k, tm[k])
		}
	}
	if tm["ocr_pages"] != 1.0 || tm["ocr_passes"].(float64) < 1 {
		t.Errorf("ocr_pages %v, ocr_passes %v; want 1 page read at least once", tm["ocr_pages"], tm["ocr_passes"])
	}
	delete(timed, "timings")
	a, _ := json.Marshal(plain)
	b, _ := json.Marshal(timed)
	if !bytes.Equal(a, b) {
		t.Errorf("--timings changed the line:\n%s\n%s", a, b)
	}
}
