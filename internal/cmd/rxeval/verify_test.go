package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"rxintake/internal/corpus"
)

// planLetter orders a plan the rules cannot read (days of the week to a
// date): the rules alone would ask the office for a plan it has given.
const planLetter = `Gulf Coast Family Medicine
1200 S Tamiami Trail, Suite 300
Sarasota, FL 34236

November 20, 2026

Re: Mary Jones, DOB 4/2/1961

I am referring my patient, Mary Jones, date of birth 4/2/1961 for neuromuscular therapy to the neck. She has been diagnosed with cervicalgia (M54.2) and tension-type headache, unspecified, not intractable (G44.209).

Please see her on Mondays and Thursdays until the end of the year, with sessions of one hour. In my opinion this treatment is medically necessary.

Sincerely,
Electronically signed by Anil Patel MD on 11/20/2026 14:02
NPI 1234567893
`

var planTruth = corpus.Truth{File: "letter-plan.txt", Status: corpus.StatusComplete, AsOf: "2026-11-23", CodeSet: "FY2027",
	Tier: corpus.TierTyped, Layout: "letter", Media: string(corpus.MediaText), Findings: []corpus.Finding{},
	Prescription: corpus.Prescription{
		Patient:    &corpus.Patient{Name: "Mary Jones", DOB: "1961-04-02"},
		Prescriber: &corpus.Prescriber{Name: "Anil Patel", Credentials: "MD", NPI: "1234567893"},
		Date:       "2026-11-20",
		Procedures: []corpus.Procedure{{CPT: "97140", Text: "neuromuscular therapy"}},
		Diagnoses: []corpus.Diagnosis{{Code: "M54.2", Description: "cervicalgia", Billable: true},
			{Code: "G44.209", Description: "tension-type headache, unspecified, not intractable", Billable: true}},
		Areas: []string{"cervical"}, AreasText: []string{"neck"},
		Session:            &corpus.Session{Minutes: 60, Units: 4, Text: "one hour"},
		Frequency:          &corpus.Frequency{Visits: 12, Weeks: 6, Text: "on Mondays and Thursdays until the end of the year"},
		MedicallyNecessary: true,
		Signature:          corpus.Signature{Present: true, Kind: "electronic"},
	}}

// TestEvalVerify runs the evaluation with -llm-verify on a few generated
// documents and the plan letter: against a model that answers from the
// truth, verify mode asks before every correction request, sends no more
// complete prescriptions for correction than the rules alone (one fewer:
// the plan letter), and accepts nothing incomplete.
func TestEvalVerify(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte, truth corpus.Truth) {
		t.Helper()
		b, err := json.Marshal(truth)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, corpus.TruthPath(name)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	incomplete, n := 0, 0
	for _, s := range corpus.EvalSpecs(100, 3) {
		if s.Media != corpus.MediaText && s.Media != corpus.MediaPlainEmail {
			continue // no OCR in a unit test
		}
		f, err := corpus.Generate(s)
		if err != nil {
			t.Fatal(err)
		}
		write(f.Name, f.Data, f.Truth)
		if f.Truth.Status == corpus.StatusNeedsCorrection {
			incomplete++
		}
		if n++; n == 6 {
			break
		}
	}
	if incomplete == 0 || incomplete == n {
		t.Fatalf("%d of %d generated documents incomplete: want both kinds", incomplete, n)
	}
	write(planTruth.File, []byte(planLetter), planTruth)

	var out, errb bytes.Buffer
	if code := run(t.Context(), []string{"-llm-verify", "-workers", "1", dir}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	num := func(re string) []int {
		t.Helper()
		m := regexp.MustCompile(re).FindStringSubmatch(out.String())
		if m == nil {
			t.Fatalf("no %q in the report:\n%s", re, out.String())
		}
		var v []int
		for _, s := range m[1:] {
			i, _ := strconv.Atoi(s)
			v = append(v, i)
		}
		return v
	}
	asked := num(`asked before a correction request: (\d+); sent to review instead: (\d+)`)
	corr := num(`false correction reqs: +(\d+) without, (\d+) with`)
	acc := num(`false accepts: +(\d+) without, (\d+) with`)
	toReview := num(`incomplete sent to review instead of correction: (\d+)`)
	if corr[1] > corr[0] || corr[0] < 1 || corr[1] != corr[0]-1 {
		t.Errorf("false correction requests %d without, %d with: want one fewer with verify (the plan letter)", corr[0], corr[1])
	}
	if acc[1] != 0 || acc[1] > acc[0] {
		t.Errorf("false accepts %d without, %d with: want none with verify", acc[0], acc[1])
	}
	if asked[0] < incomplete || asked[1] != 1 || toReview[0] != 0 {
		t.Errorf("asked %d (%d of %d incomplete generated ones), %d sent to review, %d of them incomplete; want every correction asked, the plan letter alone to review",
			asked[0], incomplete, n, asked[1], toReview[0])
	}
}
