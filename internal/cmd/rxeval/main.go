// Command rxeval measures the prescription reader against a generated
// corpus: per-field accuracy, false accepts, false correction requests and
// the review rate, with the handwriting tier reported apart.
//
//	go run ./internal/cmd/rxcorpus -eval testdata/eval -n 240 -seed 1
//	go run ./internal/cmd/rxeval testdata/eval
//	go run ./internal/cmd/rxeval -llm-verify testdata/eval
//
// With -llm-verify every document that would get a correction request is
// put to the second reader (docs/llm.md) in verify mode, against a scripted
// model on the loopback interface that answers from the corpus truth; the
// report then compares false correction requests and false accepts with
// and without it.
//
// With -cache DIR the documents read (pages, words, images) are kept and
// reused, so that changes to the reader and the rules are measured in
// seconds; delete DIR after changing the OCR layer.
package main

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"rxintake/assist"
	"rxintake/casefile"
	"rxintake/casework"
	"rxintake/config"
	"rxintake/extract"
	"rxintake/internal/corpus"
	"rxintake/validate"
)

func main() {
	extract.ServeOCRWorker()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rxeval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "print every mismatch")
	only := fs.String("only", "", "evaluate only files whose name contains this")
	workers := fs.Int("workers", 0, "OCR workers (default: one per CPU)")
	show := fs.Bool("show", false, "print each document's text and what was read of it (with -only)")
	cache := fs.String("cache", "", "keep what was read of each document in this directory and reuse it (iterate on the reader without OCR)")
	llmVerify := fs.Bool("llm-verify", false, "ask the second reader in verify mode before each correction request, against a scripted model that answers from the corpus truth (docs/llm.md)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: rxeval [-v] [-only SUBSTR] [-llm-verify] DIR")
		return 2
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	truths, err := filepath.Glob(filepath.Join(fs.Arg(0), "*.truth.json"))
	if err != nil || len(truths) == 0 {
		fmt.Fprintf(stderr, "rxeval: no truth files in %s\n", fs.Arg(0))
		return 2
	}
	sort.Strings(truths)
	pool := extract.NewOCRPool(extract.OCROptions{Workers: *workers})
	defer pool.Close()
	reader := extract.NewReader(pool, extract.DefaultLimits)
	reader.KeepImages = true

	type job struct {
		truth *corpus.Truth
		got   *outcome
	}
	var jobs []*job
	for _, tp := range truths {
		if *only != "" && !strings.Contains(tp, *only) {
			continue
		}
		t, err := corpus.LoadTruth(tp)
		if err != nil {
			fmt.Fprintln(stderr, "rxeval:", err)
			return 2
		}
		jobs = append(jobs, &job{truth: t})
	}
	var second func(n int) casework.SecondReader
	if *llmVerify {
		truths := make([]*corpus.Truth, len(jobs))
		for i, j := range jobs {
			truths[i] = j.truth
		}
		or, err := startOracle(truths)
		if err != nil {
			fmt.Fprintln(stderr, "rxeval:", err)
			return 2
		}
		defer or.Close()
		second = func(n int) casework.SecondReader {
			a, err := assist.New(assist.Options{LLM: config.LLM{Mode: config.LLMVerify, BaseURL: or.BaseURL(n), Model: "oracle",
				Timeout: 30 * time.Second, MaxRequestsPerDay: 1}, Log: slog.Default()})
			if err != nil || a == nil {
				return nil
			}
			return a
		}
	}
	start := time.Now()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	var mu sync.Mutex
	done := 0
	for i, j := range jobs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			j.got = evaluate(ctx, reader, fs.Arg(0), *cache, j.truth)
			if second != nil {
				j.got.secondRead(ctx, second(i), i)
			}
			mu.Lock()
			done++
			fmt.Fprintf(stderr, "\r[%d/%d] %s", done, len(jobs), time.Since(start).Round(time.Second))
			mu.Unlock()
		})
	}
	wg.Wait()
	fmt.Fprintln(stderr)

	if *show {
		for _, j := range jobs {
			b, _ := json.MarshalIndent(struct {
				Rx       *extract.Prescription `json:"prescription"`
				Findings []validate.Finding    `json:"findings"`
			}{j.got.rec.Prescription, check(j.got, validate.DefaultPolicy).Findings}, "", "  ")
			fmt.Fprintf(stdout, "=== %s\n", j.truth.File)
			for _, p := range j.got.doc.Pages {
				if p.CoverSheet {
					fmt.Fprintf(stdout, "--- page %d: cover sheet (not read) ---\n%s\n--- end of cover sheet ---\n", p.Number, p.Text)
				}
			}
			fmt.Fprintf(stdout, "%s\n%s\n", j.got.doc.Text(), b)
		}
	}
	var own, held []*scored
	for _, j := range jobs {
		sc := &scored{truth: j.truth, got: j.got}
		if j.truth.HeldOut {
			held = append(held, sc)
		} else {
			own = append(own, sc)
		}
	}
	report(stdout, own, held, *verbose)
	if second != nil {
		var all []*scored
		all = append(append(all, own...), held...)
		verifyReport(stdout, all)
	}
	fmt.Fprintf(stdout, "\n%d documents in %s\n", len(jobs), time.Since(start).Round(time.Second))
	return 0
}

// outcome is what the reader said about one document: the record the
// worker would build of it (casework.Build), and the document, for the
// rules again with other thresholds.
type outcome struct {
	doc  *extract.Document
	rec  *casefile.Record
	asOf time.Time
	// With -llm-verify: the status the rules alone gave, whether the
	// second reader was asked, and what it found.
	before casefile.Status
	asked  bool
	second []validate.Finding
}

// secondRead puts the outcome to sr before a correction request, as the
// worker does.
func (o *outcome) secondRead(ctx context.Context, sr casework.SecondReader, n int) {
	o.before = o.rec.Status
	if sr == nil || o.rec.Status != casefile.StatusNeedsCorrection {
		return
	}
	o.asked = true
	o.second = casework.SecondRead(ctx, sr, fmt.Sprintf("eval-%d", n), o.doc, o.rec)
}

func evaluate(ctx context.Context, r *extract.Reader, dir, cache string, t *corpus.Truth) *outcome {
	// The truth's as-of is the day the document came in, as --as-of is
	// for `rxintake extract`.
	received, err := time.Parse(time.DateOnly, t.AsOf)
	if err != nil {
		received = time.Now()
	}
	doc := cached(cache, t.File)
	if doc == nil {
		data, err := os.ReadFile(filepath.Join(dir, t.File))
		if err != nil {
			doc = &extract.Document{File: t.File, Problems: []extract.Problem{{Reason: err.Error()}}}
		} else {
			doc = r.Read(ctx, t.File, data)
			store(cache, t.File, doc)
		}
	}
	rec := casework.Build(doc, casework.Input{Profile: validate.DefaultProfile, Received: received})
	return &outcome{doc: doc, rec: rec, asOf: casework.RecordAsOf(rec, received)}
}

// cached returns the document read earlier into the cache directory, or
// nil.
func cached(cache, file string) *extract.Document {
	if cache == "" {
		return nil
	}
	f, err := os.Open(filepath.Join(cache, file+".gob"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var c cachedDoc
	if gob.NewDecoder(f).Decode(&c) != nil {
		return nil
	}
	d := &extract.Document{File: c.File, Kind: c.Kind, Pages: c.Pages, Body: c.Body, FaxNumber: c.FaxNumber, Problems: c.Problems, Notes: c.Notes}
	extract.MarkCoverSheets(d) // the cover-sheet rules may have changed since
	if !c.EmailDate.IsZero() || c.Subject != "" {
		d.Email = &extract.Email{Date: c.EmailDate, Subject: c.Subject}
	}
	return d
}

// cachedDoc is a Document without the message headers, which gob cannot
// encode (the reader needs only the date).
type cachedDoc struct {
	File      string
	Kind      extract.Kind
	Pages     []*extract.Page
	Body      string
	FaxNumber string
	Problems  []extract.Problem
	Notes     []string
	EmailDate time.Time
	Subject   string
}

// store keeps a document in the cache directory; a document with a
// temporary problem is not kept.
func store(cache, file string, d *extract.Document) {
	if cache == "" || d.Temporary() {
		return
	}
	// The message headers do not encode; the reader needs only the date.
	c := cachedDoc{File: d.File, Kind: d.Kind, Pages: d.Pages, Body: d.Body, FaxNumber: d.FaxNumber, Problems: d.Problems, Notes: d.Notes}
	if d.Email != nil {
		c.EmailDate, c.Subject = d.Email.Date, d.Email.Subject
	}
	var b bytes.Buffer
	if gob.NewEncoder(&b).Encode(&c) != nil {
		return
	}
	if os.MkdirAll(cache, 0o755) == nil {
		_ = os.WriteFile(filepath.Join(cache, file+".gob"), b.Bytes(), 0o644)
	}
}

// tally counts one tier's results.
type tally struct {
	docs, review, falseAccept, falseCorrection, statusRight int
	requests, wrongRequests                                 int               // correction requests, and those that ask for an element the Rx has
	complete, incomplete                                    int               // by the truth
	handRightOrReview                                       int               // every field and the status right, or needs-review
	statusRightOrReview                                     int               // the status right, or needs-review
	fields                                                  map[string][2]int // right, total
}

func newTally() *tally { return &tally{fields: map[string][2]int{}} }

var fieldOrder = []string{"patient.name", "patient.dob", "prescriber.name", "prescriber.credentials", "prescriber.npi",
	"date", "procedures", "diagnoses", "areas", "session.minutes", "session.units", "frequency.visits",
	"frequency.weeks", "medically_necessary", "signature.present", "signature.kind", "pages"}

// sameAsk pairs rules whose correction requests ask the office for the
// same thing: a modality named as billed, whether none was named or only
// "massage".
var sameAsk = map[string]string{
	validate.RuleModalityUnspecific: validate.RuleModalityMissing,
	validate.RuleModalityMissing:    validate.RuleModalityUnspecific,
}

func (t *tally) add(truth *corpus.Truth, got *outcome, res validate.Result, verbose bool, w io.Writer) {
	t.docs++
	status := res.Status
	switch truth.Status {
	case corpus.StatusComplete:
		t.complete++
	case corpus.StatusNeedsCorrection:
		t.incomplete++
	}
	switch {
	case status == validate.StatusNeedsReview:
		t.review++
	case truth.Status == corpus.StatusNeedsCorrection && status == validate.StatusComplete:
		t.falseAccept++
	case truth.Status == corpus.StatusComplete && status == validate.StatusNeedsCorrection:
		t.falseCorrection++
	}
	if status == truth.Status {
		t.statusRight++
	}
	if status == validate.StatusNeedsCorrection {
		t.requests++
		want := truth.Rules()
		for _, f := range res.Findings {
			if f.Severity == validate.Error && !slices.Contains(want, f.Rule) && !slices.Contains(want, sameAsk[f.Rule]) {
				t.wrongRequests++
				if verbose {
					fmt.Fprintf(w, "%s: the correction request asks for %s, which the prescription has\n", truth.File, f.Rule)
				}
				break
			}
		}
	}
	want, have := truthFields(truth), gotFields(got)
	allRight := true
	for _, f := range fieldOrder {
		c := t.fields[f]
		c[1]++
		if want[f] == have[f] {
			c[0]++
		} else {
			allRight = false
			if verbose {
				fmt.Fprintf(w, "%s: %s = %q, want %q\n", truth.File, f, have[f], want[f])
			}
		}
		t.fields[f] = c
	}
	if status == validate.StatusNeedsReview || (allRight && status == truth.Status) {
		t.handRightOrReview++
	}
	if status == validate.StatusNeedsReview || status == truth.Status {
		t.statusRightOrReview++
	}
	if verbose && status != truth.Status {
		var rules []string
		for _, f := range res.Findings {
			rules = append(rules, f.Rule)
		}
		fmt.Fprintf(w, "%s: status %s, want %s (findings %v, want %v)\n", truth.File, status, truth.Status, rules, truth.Rules())
	}
}

func (t *tally) print(w io.Writer, tier string) {
	fmt.Fprintf(w, "\n== %s tier: %d documents\n", tier, t.docs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "field\tright\tof\taccuracy\t")
	right, total := 0, 0
	for _, f := range fieldOrder {
		c := t.fields[f]
		right += c[0]
		total += c[1]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t\n", f, c[0], c[1], ratio(c[0], c[1]))
	}
	fmt.Fprintf(tw, "all fields\t%d\t%d\t%.3f\t\n", right, total, ratio(right, total))
	tw.Flush()
	fmt.Fprintf(w, "status right:            %d/%d (%.3f)\n", t.statusRight, t.docs, ratio(t.statusRight, t.docs))
	fmt.Fprintf(w, "false accepts:           %d of %d incomplete\n", t.falseAccept, t.incomplete)
	fmt.Fprintf(w, "false correction reqs:   %d of %d complete (%.3f)\n", t.falseCorrection, t.complete, ratio(t.falseCorrection, t.complete))
	fmt.Fprintf(w, "requests asking for what is there: %d of %d correction requests\n", t.wrongRequests, t.requests)
	fmt.Fprintf(w, "review rate:             %d (%.3f)\n", t.review, ratio(t.review, t.docs))
	if tier == corpus.TierHandwriting {
		fmt.Fprintf(w, "status right or review:  %d/%d\n", t.statusRightOrReview, t.docs)
		fmt.Fprintf(w, "right or needs-review:   %d/%d (every field and the status right)\n", t.handRightOrReview, t.docs)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// apostrophes are the shapes of one mark: an okina printed ‘ and read '
// is the same letter of the same name.
var apostrophes = strings.NewReplacer("‘", "'", "’", "'", "ʻ", "'", "`", "'", "´", "'")

func norm(s string) string {
	s = strings.ToLower(apostrophes.Replace(strings.ReplaceAll(s, ".", "")))
	return strings.Join(strings.Fields(s), " ")
}

// credList compares credentials as the list they are: "MD CCFP" as printed
// and "MD, CCFP" as listed are the same two.
func credList(s string) string {
	return norm(strings.ReplaceAll(s, ",", " "))
}

func truthFields(t *corpus.Truth) map[string]string {
	return fields(&t.Prescription, t.Pages)
}

// gotFields compares what was read in the contract's shape: the reader's
// prescription, through its JSON, is the truth's type.
func gotFields(o *outcome) map[string]string {
	var p corpus.Prescription
	if b, err := json.Marshal(o.rec.Prescription); err == nil {
		json.Unmarshal(b, &p)
	}
	return fields(&p, o.rec.Pages)
}

// fields flattens a prescription into the values compared, by field name.
func fields(p *corpus.Prescription, pages int) map[string]string {
	m := map[string]string{"date": p.Date, "medically_necessary": fmt.Sprint(p.MedicallyNecessary),
		"signature.present": fmt.Sprint(p.Signature.Present), "signature.kind": p.Signature.Kind,
		"pages": fmt.Sprint(pages)}
	if p.Patient != nil {
		m["patient.name"], m["patient.dob"] = norm(p.Patient.Name), p.Patient.DOB
	}
	if p.Prescriber != nil {
		m["prescriber.name"], m["prescriber.credentials"], m["prescriber.npi"] = norm(p.Prescriber.Name), credList(p.Prescriber.Credentials), p.Prescriber.NPI
	}
	var cpts, codes []string
	for _, pr := range p.Procedures {
		cpts = append(cpts, pr.CPT)
	}
	for _, d := range p.Diagnoses {
		codes = append(codes, d.Code)
	}
	m["procedures"], m["diagnoses"], m["areas"] = set(cpts), set(codes), set(p.Areas)
	if p.Session != nil {
		m["session.minutes"], m["session.units"] = fmt.Sprint(p.Session.Minutes), fmt.Sprint(p.Session.Units)
	}
	if p.Frequency != nil {
		m["frequency.visits"], m["frequency.weeks"] = fmt.Sprint(p.Frequency.Visits), fmt.Sprint(p.Frequency.Weeks)
	}
	return m
}

func set(xs []string) string {
	ys := slices.Clone(xs)
	slices.Sort(ys)
	return strings.Join(slices.Compact(ys), ",")
}
