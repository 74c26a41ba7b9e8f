package corpus

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"rxintake/internal/safeio"
)

// ManifestName is the file of an evaluation corpus that lists every truth,
// one JSON object a line, in file order.
const ManifestName = "manifest.jsonl"

// EvalOptions tunes WriteEval.
type EvalOptions struct {
	Workers  int                                // documents generated at once; 0 is 1
	Progress func(done, total int, file string) // called after each file, in order
	Families []string                           // wording families to draw from; nil is all of FamilyNames
}

var (
	evalLayouts = []weighted[Layout]{{LayoutRxPad, 28}, {LayoutForm, 24}, {LayoutEHR, 16}, {LayoutLetter, 16}, {LayoutEmail, 16}}
	evalMedia   = map[Layout][]weighted[Media]{
		LayoutRxPad:  {{MediaFaxFine, 22}, {MediaFaxStandard, 12}, {MediaFaxPDF, 18}, {MediaFaxEmail, 16}, {MediaPhotoJPEG, 14}, {MediaScanPNG, 8}, {MediaScanPDF, 5}, {MediaScanEmail, 8}},
		LayoutForm:   {{MediaFaxFine, 22}, {MediaFaxStandard, 12}, {MediaFaxPDF, 18}, {MediaFaxEmail, 16}, {MediaPhotoJPEG, 14}, {MediaScanPNG, 8}, {MediaScanPDF, 5}, {MediaScanEmail, 8}},
		LayoutEHR:    {{MediaTextPDF, 45}, {MediaFaxFine, 15}, {MediaFaxPDF, 15}, {MediaFaxEmail, 15}, {MediaScanPNG, 5}, {MediaScanPDF, 5}},
		LayoutLetter: {{MediaTextPDF, 15}, {MediaFaxFine, 15}, {MediaFaxPDF, 10}, {MediaFaxEmail, 10}, {MediaText, 20}, {MediaPhotoJPEG, 10}, {MediaScanPNG, 5}, {MediaScanPDF, 5}, {MediaPlainEmail, 10}},
		LayoutEmail:  {{MediaPlainEmail, 50}, {MediaHTMLEmail, 35}, {MediaText, 15}},
	}
	evalDefects = []weighted[Defect]{
		{DefectHeaderCode, 10}, {DefectSingleDiagnosis, 8}, {DefectBadNPI, 8}, {DefectNoSignature, 9}, {DefectNoFrequency, 5},
		{DefectOpenFrequency, 6}, {DefectNoSession, 8}, {DefectNoModality, 6}, {DefectUnspecific, 8}, {DefectNoAreas, 6},
		{DefectNoDiagnosis, 6}, {DefectNoNecessity, 7}, {DefectNoNPI, 5}, {DefectNoDate, 4}, {DefectExpired, 5},
		{DefectNoPatient, 3}, {DefectNoPrescriber, 2},
	}
	// defectConflicts are pairs a document cannot have together.
	defectConflicts = [][2]Defect{
		{DefectNoModality, DefectUnspecific}, {DefectNoDiagnosis, DefectHeaderCode}, {DefectNoDiagnosis, DefectSingleDiagnosis},
		{DefectHeaderCode, DefectSingleDiagnosis}, {DefectNoFrequency, DefectOpenFrequency}, {DefectNoDate, DefectExpired},
		{DefectNoPrescriber, DefectBadNPI}, {DefectNoPrescriber, DefectNoNPI}, {DefectBadNPI, DefectNoNPI},
	}
	pdfFamilies = []string{"Liberation Sans", "Liberation Serif", "Liberation Mono"}
)

// EvalSpecs draws the specs of an evaluation corpus of n documents: varied
// layouts, media and typefaces; every other document complete, the others
// missing or getting wrong one or two elements; about one in eight filled in
// by hand; each worded in a family drawn uniformly among all of them. The
// same seed gives the same specs.
func EvalSpecs(n int, seed uint64) []Spec {
	specs, _ := EvalSpecsOf(n, seed, nil)
	return specs
}

// EvalSpecsOf is EvalSpecs with the families drawn among the named ones (nil:
// all); it fails on an unknown name. The family comes from a stream of its
// own: the rest of each spec is what EvalSpecs draws for the same seed.
func EvalSpecsOf(n int, seed uint64, families []string) ([]Spec, error) {
	if len(families) == 0 {
		families = FamilyNames()
	}
	for _, f := range families {
		if _, ok := wordingFamilyByName(f); !ok || f == "" {
			return nil, fmt.Errorf("%w: no wording family %q (have %v)", ErrSpec, f, FamilyNames())
		}
	}
	r := rand.New(rand.NewPCG(seed, 0x6576616c))
	rf := rand.New(rand.NewPCG(seed, 0x66616d696c79))
	specs := make([]Spec, 0, n)
	for i := 0; i < n; i++ {
		s := Spec{Seed: r.Uint64(), Layout: pickWeighted(r, evalLayouts), Family: pick(rf, families)}
		s.Media = pickWeighted(r, evalMedia[s.Layout])
		s.Font = pick(r, Fonts())
		if s.Media == MediaTextPDF {
			s.Font = pick(r, pdfFamilies)
		}
		s.Hand = pick(r, HandFonts())
		images := !textOnly(s.Media)
		if images && (s.Layout == LayoutRxPad || s.Layout == LayoutForm) && chance(r, 0.3) {
			s.Tier = TierHandwriting
		}
		switch s.Media {
		case MediaFaxFine, MediaFaxStandard, MediaFaxPDF, MediaFaxEmail:
			s.Cover = chance(r, 0.4)
		}
		if i%2 == 1 {
			k := 1
			if chance(r, 0.35) {
				k = 2
			}
			for len(s.Defects) < k {
				d := pickWeighted(r, evalDefects)
				if d == DefectNoPrescriber && (!images || (s.Layout != LayoutRxPad && s.Layout != LayoutForm)) {
					continue
				}
				// An order in an email's body is dated by the message.
				if d == DefectNoDate && (s.Media == MediaPlainEmail || s.Media == MediaHTMLEmail) {
					continue
				}
				if slices.Contains(s.Defects, d) || conflicts(s.Defects, d) {
					continue
				}
				s.Defects = append(s.Defects, d)
			}
		}
		s.Name = fmt.Sprintf("%04d-%s-%s", i+1, s.Layout, s.Media)
		specs = append(specs, s)
	}
	return specs, nil
}

func conflicts(have []Defect, d Defect) bool {
	for _, h := range have {
		for _, c := range defectConflicts {
			if c == [2]Defect{h, d} || c == [2]Defect{d, h} {
				return true
			}
		}
	}
	return false
}

// WriteEval writes an evaluation corpus of n documents into dir: each FILE,
// its FILE.truth.json, and manifest.jsonl with every truth in order.
func WriteEval(ctx context.Context, dir string, n int, seed uint64, o EvalOptions) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	specs, err := EvalSpecsOf(n, seed, o.Families)
	if err != nil {
		return err
	}
	workers := max(o.Workers, 1)
	type result struct {
		f   *File
		err error
	}
	results := make([]chan result, len(specs))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f, err := generateRetry(specs[i])
				results[i] <- result{f, err}
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range specs {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer wg.Wait()

	var manifest bytes.Buffer
	for i := range specs {
		var res result
		select {
		case res = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if res.err != nil {
			return res.err
		}
		if err := writeFile(dir, res.f); err != nil {
			return err
		}
		line, err := json.Marshal(res.f.Truth)
		if err != nil {
			return fmt.Errorf("corpus: %w", err)
		}
		manifest.Write(append(line, '\n'))
		if o.Progress != nil {
			o.Progress(i+1, len(specs), res.f.Name)
		}
	}
	if err := safeio.WriteFile(filepath.Join(dir, ManifestName), manifest.Bytes(), 0o644); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	return nil
}

// generateRetry generates a spec; when its drawn content cannot be laid out
// (a letter too long for one photographed page), it draws the content again
// from a derived seed, keeping everything else.
func generateRetry(s Spec) (*File, error) {
	var err error
	for try := 0; try < 5; try++ {
		var f *File
		if f, err = Generate(s); err == nil || !errors.Is(err, ErrSpec) {
			return f, err
		}
		s.Seed = s.Seed*6364136223846793005 + 1442695040888963407
	}
	return nil, err
}

// LoadManifest reads the truths of an evaluation corpus.
func LoadManifest(dir string) ([]Truth, error) {
	f, err := os.Open(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	defer f.Close()
	var out []Truth
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var t Truth
		if err := json.Unmarshal(sc.Bytes(), &t); err != nil {
			return nil, fmt.Errorf("%w: %s line %d: %v", ErrBadTruth, ManifestName, len(out)+1, err)
		}
		if err := t.Check(); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", ManifestName, len(out)+1, err)
		}
		out = append(out, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	return out, nil
}
