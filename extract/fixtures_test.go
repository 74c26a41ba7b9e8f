package extract

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/draw"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/tiff"

	"rxintake/internal/corpus"
)

// TestFixturesOCR reads every generated fixture: the page count is right and
// the text carries what the document prints: its ICD-10 codes, the NPI and
// the patient's and prescriber's names, exactly.
func TestFixturesOCR(t *testing.T) {
	truths, err := filepath.Glob("../testdata/*.truth.json")
	if err != nil || len(truths) < 15 {
		t.Fatalf("fixtures: %d truth files (%v); run go run ./internal/cmd/rxcorpus -fixtures testdata", len(truths), err)
	}
	r := testReader(t)
	for _, tp := range truths {
		truth, err := corpus.LoadTruth(tp)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(truth.File, func(t *testing.T) {
			t.Parallel()
			d := readFile(t, r, filepath.Join("../testdata", truth.File))
			if len(d.Pages) != truth.Pages {
				t.Fatalf("%d pages, want %d", len(d.Pages), truth.Pages)
			}
			if len(d.Problems) > 0 {
				t.Fatalf("problems: %v", d.Problems)
			}
			if truth.Tier == corpus.TierHandwriting {
				return // handwriting is not expected to read exactly
			}
			// A code's dot read as a comma still counts: the reader takes
			// either.
			text := reCodeComma.ReplaceAllString(d.Text(), "$1.$2")
			var want []string
			rx := truth.Prescription
			for _, dx := range rx.Diagnoses {
				want = append(want, dx.Code)
			}
			if rx.Prescriber != nil && rx.Prescriber.NPI != "" {
				want = append(want, rx.Prescriber.NPI)
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%q not read; text:\n%s", w, text)
				}
			}
			if rx.Patient != nil {
				last := strings.Fields(rx.Patient.Name)
				if l := last[len(last)-1]; !strings.Contains(strings.ToLower(text), strings.ToLower(l)) {
					t.Errorf("patient %q not read", l)
				}
			}
			// The transmit header is metadata, never prescription text.
			for _, p := range d.Pages {
				if p.Header != nil && strings.Contains(text, p.Header.Text) {
					t.Errorf("transmit header %q left in the text", p.Header.Text)
				}
			}
			if truth.Cover && !d.Pages[0].CoverSheet {
				t.Error("cover sheet not recognised")
			}
			if truth.Sender != nil && truth.Sender.Fax != "" && strings.HasPrefix(truth.Media, "fax") && d.FaxNumber != truth.Sender.Fax {
				t.Errorf("fax number %q, want %q", d.FaxNumber, truth.Sender.Fax)
			}
		})
	}
}

var reCodeComma = regexp.MustCompile(`\b([A-TV-Z][0-9][0-9A-Z]),([0-9A-Z])`)

// tiffPages decodes each page of a classic TIFF by pointing the header at
// each directory in turn.
func tiffPages(t testing.TB, data []byte) []*image.Gray {
	t.Helper()
	bo := binary.ByteOrder(binary.LittleEndian)
	if string(data[:2]) == "MM" {
		bo = binary.BigEndian
	}
	var out []*image.Gray
	for off := bo.Uint32(data[4:]); off != 0; {
		b := slices.Clone(data)
		bo.PutUint32(b[4:], off)
		img, err := tiff.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		g := image.NewGray(img.Bounds())
		draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
		out = append(out, g)
		n := bo.Uint16(data[off:])
		off = bo.Uint32(data[int(off)+2+int(n)*12:])
	}
	return out
}

// tenPageFax builds a ten-page fine-mode fax from the fixture's pages.
func tenPageFax(t testing.TB) []byte { return longFax(t, 10, false) }

// longFax builds an n-page fine-mode fax from the fixture's pages, as a
// TIFF or, with pdf, as an image-only fax PDF.
func longFax(t testing.TB, n int, pdf bool) []byte {
	t.Helper()
	data, err := os.ReadFile("../testdata/rxpad-fine.tif")
	if err != nil {
		t.Fatal(err)
	}
	src := tiffPages(t, data)
	var pages []*image.Gray
	for i := range n {
		pages = append(pages, src[i%len(src)])
	}
	if pdf {
		return corpus.FaxPDF(pages, 204, 196)
	}
	out, err := corpus.FaxTIFF(pages, 204, 196)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// BenchmarkOCRPage reports seconds of OCR per page over the fixtures
// (median), the figure the README quotes.
func BenchmarkOCRPage(b *testing.B) {
	r := testReader(b)
	files, _ := filepath.Glob("../testdata/*")
	var secs []float64
	for b.Loop() {
		secs = secs[:0]
		for _, f := range files {
			if fi, err := os.Stat(f); err != nil || !fi.Mode().IsRegular() || strings.HasSuffix(f, ".json") || strings.HasSuffix(f, ".txt") {
				continue // truth and golden files, the corpus of `make eval`
			}
			d := readFile(b, r, f)
			for _, p := range d.Pages {
				if !p.TextLayer && p.Seconds > 0 {
					secs = append(secs, p.Seconds)
				}
			}
		}
	}
	slices.Sort(secs)
	if len(secs) > 0 {
		b.ReportMetric(secs[len(secs)/2], "s/page-median")
		b.ReportMetric(secs[len(secs)-1], "s/page-max")
		b.ReportMetric(float64(len(secs)), "pages")
	}
}

// BenchmarkRenderPDFPage reports poppler's render time for one fax PDF page
// at the OCR resolution.
func BenchmarkRenderPDFPage(b *testing.B) {
	dir := b.TempDir()
	data, err := os.ReadFile("../testdata/form-fax.pdf")
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "in.pdf")
	os.WriteFile(path, data, 0o600)
	for b.Loop() {
		if _, err := renderPDFPage(context.Background(), NewReader(nil, DefaultLimits).toolLimits(), dir, path, 1, pdfRenderDPI); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/page")
}

// BenchmarkTenPageFax reads a ten-page fax and reports the peak resident
// memory of the reading process and of the largest OCR worker.
func BenchmarkTenPageFax(b *testing.B) {
	fax := tenPageFax(b)
	pool := NewOCRPool(OCROptions{})
	defer pool.Close()
	r := NewReader(pool, DefaultLimits)
	start := time.Now()
	for b.Loop() {
		d := r.Read(context.Background(), "ten.tif", fax)
		if len(d.Pages) != 10 || len(d.Problems) > 0 {
			b.Fatalf("pages %d problems %v", len(d.Pages), d.Problems)
		}
	}
	b.ReportMetric(time.Since(start).Seconds()/float64(b.N)/10, "s/page")
	b.ReportMetric(float64(peakRSS("self"))/1024, "MB-peak-rss-reader")
	worst := 0
	pool.mu.Lock()
	for w := range pool.all {
		worst = max(worst, peakRSS(strconv.Itoa(w.cmd.Process.Pid)))
	}
	pool.mu.Unlock()
	b.ReportMetric(float64(worst)/1024, "MB-peak-rss-ocr-worker")
}

// BenchmarkFiftyPageFax reads a fifty-page fax, as a TIFF and as a fax
// PDF, as `rxintake run` does (page images kept), and reports the peak
// resident memory of the reading process, of the largest OCR worker, and
// their sum: the figures docs/performance.md gives for memory. Run each on
// its own (-bench 'FiftyPageFax/pdf'): the reader's peak is the process's.
func BenchmarkFiftyPageFax(b *testing.B) {
	for _, kind := range []string{"tiff", "pdf"} {
		b.Run(kind, func(b *testing.B) {
			fax := longFax(b, 50, kind == "pdf")
			pool := NewOCRPool(OCROptions{})
			defer pool.Close()
			r := NewReader(pool, DefaultLimits)
			r.KeepImages = true
			start := time.Now()
			for b.Loop() {
				d := r.Read(context.Background(), "fifty."+kind, fax)
				if len(d.Pages) != 50 || len(d.Problems) > 0 {
					b.Fatalf("pages %d problems %v", len(d.Pages), d.Problems)
				}
			}
			b.ReportMetric(time.Since(start).Seconds()/float64(b.N)/50, "s/page")
			reader := peakRSS("self")
			worst := 0
			pool.mu.Lock()
			for w := range pool.all {
				worst = max(worst, peakRSS(strconv.Itoa(w.cmd.Process.Pid)))
			}
			pool.mu.Unlock()
			b.ReportMetric(float64(reader)/1024, "MB-peak-rss-reader")
			b.ReportMetric(float64(worst)/1024, "MB-peak-rss-ocr-worker")
		})
	}
}

// peakRSS reads VmHWM (kB) of /proc/PID/status.
func peakRSS(pid string) int {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			n := 0
			for _, c := range f[1] {
				n = n*10 + int(c-'0')
			}
			return n
		}
	}
	return 0
}

func TestTenPageFax(t *testing.T) {
	fax := tenPageFax(t)
	pages, err := readTIFFPages(fax, 50)
	if err != nil || len(pages) != 10 {
		t.Fatalf("pages %d, err %v", len(pages), err)
	}
}
