package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"rxintake/casefile"
	"rxintake/casework"
	"rxintake/internal/corpus"
	"rxintake/validate"
)

// scored is one document of the corpus and what the reader made of it.
type scored struct {
	truth *corpus.Truth
	got   *outcome
}

// check applies the rules to what was read of a document with the
// thresholds of pol, as casework.Build does with the worker's.
func check(o *outcome, pol validate.Policy) validate.Result {
	if pol == validate.DefaultPolicy {
		return validate.Result{Status: string(o.rec.Status), Findings: o.rec.Findings}
	}
	status, findings := casework.Check(o.doc, o.rec.Prescription, validate.DefaultProfile, pol, o.asOf)
	// What the second reader found applies before a correction request,
	// whatever the thresholds.
	if status == casefile.StatusNeedsCorrection {
		status, findings = casework.Reconsider(status, findings, o.second)
	}
	return validate.Result{Status: string(status), Findings: findings}
}

// policyGrid are the thresholds calibration chooses from; the worker's
// defaults come first, so that a tie keeps them.
func policyGrid() []validate.Policy {
	out := []validate.Policy{validate.DefaultPolicy}
	for _, lc := range []float64{0.2, 0.3, 0.4} {
		for _, lm := range []float64{0.7, 0.75, 0.8, 0.85} {
			for _, lp := range []float64{0.5, 0.6, 0.7} {
				p := validate.Policy{LowConfidence: lc, LowMeanConfidence: lm, LowPageConfidence: lp}
				if p != validate.DefaultPolicy {
					out = append(out, p)
				}
			}
		}
	}
	return out
}

// cost weighs a policy's mistakes as the office feels them: an incomplete
// Rx accepted is worst, then a complete one sent for correction, then a
// document a person must look at, then a wrong status that still reaches
// the right desk.
func cost(docs []*scored, pol validate.Policy) int {
	c := 0
	for _, d := range docs {
		st, want := check(d.got, pol).Status, d.truth.Status
		switch {
		case st == validate.StatusComplete && want == corpus.StatusNeedsCorrection:
			c += 1000
		case st == validate.StatusNeedsCorrection && want == corpus.StatusComplete:
			c += 100
		case st == validate.StatusNeedsReview:
			c += 3
		case st != want:
			c++
		}
	}
	return c
}

// calibrate picks the thresholds that cost least on docs.
func calibrate(docs []*scored) validate.Policy {
	best, bestCost := validate.DefaultPolicy, -1
	for _, p := range policyGrid() {
		if c := cost(docs, p); bestCost < 0 || c < bestCost {
			best, bestCost = p, c
		}
	}
	return best
}

// report prints the evaluation: on a corpus of wording families, the own
// families leave-one-family-out (thresholds calibrated on the others,
// measured on the one left out) and the held-out family (calibrated on all
// own families, never used to change the reader) apart; on a corpus
// without families, one report with the worker's thresholds.
func report(w io.Writer, own, held []*scored, verbose bool) {
	families := map[string][]*scored{}
	for _, d := range own {
		families[d.truth.Family] = append(families[d.truth.Family], d)
	}
	var names []string
	for f := range families {
		names = append(names, f)
	}
	slices.Sort(names)
	if len(names) < 2 || slices.Contains(names, "") {
		fmt.Fprintf(w, "\n##### all documents (the worker's thresholds)\n")
		printTiers(w, own, func(*scored) validate.Policy { return validate.DefaultPolicy }, verbose)
		return
	}
	lofo := map[string]validate.Policy{}
	for _, f := range names {
		var rest []*scored
		for _, g := range names {
			if g != f {
				rest = append(rest, families[g]...)
			}
		}
		lofo[f] = calibrate(rest)
	}
	fmt.Fprintf(w, "\n##### own families, leave-one-family-out (%d documents: %v)\n", len(own), names)
	printTiers(w, own, func(d *scored) validate.Policy { return lofo[d.truth.Family] }, verbose)
	fmt.Fprintln(w, "\nper family (thresholds calibrated on the other families):")
	summary(w, names, families, lofo)
	if len(held) > 0 {
		all := calibrate(own)
		hf := map[string][]*scored{}
		for _, d := range held {
			hf[d.truth.Family] = append(hf[d.truth.Family], d)
		}
		var hn []string
		pols := map[string]validate.Policy{}
		for f := range hf {
			hn = append(hn, f)
			pols[f] = all
		}
		slices.Sort(hn)
		fmt.Fprintf(w, "\n##### held-out family, never tuned on (%d documents: %v)\n", len(held), hn)
		printTiers(w, held, func(*scored) validate.Policy { return all }, verbose)
		fmt.Fprintln(w, "\nper family (thresholds calibrated on all own families):")
		summary(w, hn, hf, pols)
	}
}

func printTiers(w io.Writer, docs []*scored, pol func(*scored) validate.Policy, verbose bool) {
	tiers := map[string]*tally{}
	for _, d := range docs {
		tier := d.truth.Tier
		if tier == "" {
			tier = corpus.TierTyped
		}
		if tiers[tier] == nil {
			tiers[tier] = newTally()
		}
		tiers[tier].add(d.truth, d.got, check(d.got, pol(d)), verbose, w)
	}
	for _, name := range []string{corpus.TierTyped, corpus.TierHandwriting} {
		if t := tiers[name]; t != nil {
			t.print(w, name)
		}
	}
}

func summary(w io.Writer, names []string, families map[string][]*scored, pols map[string]validate.Policy) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "family\tdocs\tfields typed\tfalse accepts\tfalse corrections of complete\treview\thandwriting right or review\tthresholds (value, mean, page)\t")
	for _, f := range names {
		t := newTally()
		hand := newTally()
		for _, d := range families[f] {
			res := check(d.got, pols[f])
			if d.truth.Tier == corpus.TierHandwriting {
				hand.add(d.truth, d.got, res, false, io.Discard)
			} else {
				t.add(d.truth, d.got, res, false, io.Discard)
			}
		}
		right, total := 0, 0
		for _, c := range t.fields {
			right += c[0]
			total += c[1]
		}
		p := pols[f]
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%d\t%d/%d\t%d/%d\t%d/%d\t%.2f %.2f %.2f\t\n", f, t.docs+hand.docs, ratio(right, total),
			t.falseAccept+hand.falseAccept, t.falseCorrection+hand.falseCorrection, t.complete+hand.complete, t.review+hand.review, t.docs+hand.docs,
			hand.statusRightOrReview, hand.docs, p.LowConfidence, p.LowMeanConfidence, p.LowPageConfidence)
	}
	tw.Flush()
}
