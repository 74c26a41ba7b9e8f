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

	"rxintake/corpus"
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
