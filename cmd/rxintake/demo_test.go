package main

import (
	"bytes"
	"context"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"rxintake/demo"
)

// demoRow is a line of the demo's table as the user reads it.
type demoRow struct {
	sample, arrived, caseID, status, findings, emailTo string
}

var columns = regexp.MustCompile(`\s{2,}`)

// parseDemoTable reads the table `rxintake demo` prints, by sample name.
func parseDemoTable(t *testing.T, out string) map[string]*demoRow {
	t.Helper()
	rows := map[string]*demoRow{}
	var last *demoRow
	inTable := false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "#"):
			inTable = true
		case !inTable || strings.TrimSpace(line) == "":
			inTable = inTable && len(rows) == 0
		case strings.HasPrefix(line, " ") && last != nil: // the findings continued
			last.findings += " " + strings.TrimSpace(line)
		default:
			f := columns.Split(strings.TrimSpace(line), -1)
			if len(f) != 7 {
				t.Fatalf("table line %q has %d columns, want 7", line, len(f))
			}
			last = &demoRow{sample: f[1], arrived: f[2], caseID: f[3], status: f[4], findings: f[5], emailTo: f[6]}
			rows[last.sample] = last
		}
	}
	return rows
}

// TestDemo runs `rxintake demo --once` as `make demo` does and checks what
// the user sees: every sample in the table with the status a correct reading
// gives, and in the output folder exactly the correction requests expected.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("runs OCR on a dozen documents")
	}
	samples, err := demo.Samples()
	if err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(t.TempDir(), "demo-out")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	tmpBefore, _ := filepath.Glob(filepath.Join(os.TempDir(), "rxintake-demo-*"))
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := run(ctx, []string{"demo", "--once", "--out", outDir}, &stdout, &stderr)
	t.Logf("demo --once: %.1f s\n%s", time.Since(start).Seconds(), stdout.String())
	if code != exitOK {
		t.Fatalf("exit code %d, want 0; stderr:\n%s", code, stderr.String())
	}

	// One progress line per sample on stderr, and nothing else.
	progress := regexp.MustCompile(`^\[\s*\d+/12\] \S+\s+RX-\w+\s+\S+\s+\d+\.\d s$`)
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != len(samples)+1 {
		t.Errorf("stderr has %d lines, want a header and one per sample:\n%s", len(lines), stderr.String())
	}
	for _, l := range lines[1:] {
		if !progress.MatchString(l) {
			t.Errorf("stderr line %q is not a progress line", l)
		}
	}

	rows := parseDemoTable(t, stdout.String())
	if len(rows) != len(samples) {
		t.Errorf("table has %d samples, want %d", len(rows), len(samples))
	}
	var wantEmails []string
	for _, s := range samples {
		r := rows[s.Name]
		if r == nil {
			t.Errorf("%s is not in the table", s.Name)
			continue
		}
		want, wantTo := s.Want, s.WantTo
		if r.status != want {
			t.Errorf("%s: status %s, want %s (findings: %s)", s.Name, r.status, want, r.findings)
		}
		for _, rule := range s.Expect {
			if !strings.Contains(r.findings, rule) {
				t.Errorf("%s: findings %q do not mention %s", s.Name, r.findings, rule)
			}
		}
		if wantTo == "" {
			wantTo = "-"
		} else {
			wantEmails = append(wantEmails, wantTo)
		}
		if r.emailTo != wantTo {
			t.Errorf("%s: email sent to %s, want %s", s.Name, r.emailTo, wantTo)
		}
		if !strings.HasPrefix(r.caseID, "RX-") {
			t.Errorf("%s: case %q", s.Name, r.caseID)
		}
	}

	files, _ := filepath.Glob(filepath.Join(outDir, "*"))
	var gotEmails []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil || filepath.Ext(f) != ".eml" {
			t.Errorf("%s in the output folder: %v", f, err)
			continue
		}
		m, err := mail.ReadMessage(bytes.NewReader(b))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		to, err := m.Header.AddressList("To")
		if err != nil {
			t.Errorf("%s: To: %v", f, err)
		}
		for _, a := range to {
			gotEmails = append(gotEmails, a.Address)
		}
	}
	slices.Sort(wantEmails)
	slices.Sort(gotEmails)
	if len(files) != len(wantEmails) || !slices.Equal(gotEmails, wantEmails) {
		t.Errorf("output folder holds %d emails to %v, want one to each of %v", len(files), gotEmails, wantEmails)
	}

	// The temporary folder goes away.
	tmpAfter, _ := filepath.Glob(filepath.Join(os.TempDir(), "rxintake-demo-*"))
	if len(tmpAfter) > len(tmpBefore) {
		t.Errorf("temporary folders left: %v (before: %v)", tmpAfter, tmpBefore)
	}
}
