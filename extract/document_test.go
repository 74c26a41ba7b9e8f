package extract

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// minimalPDF writes a one-page PDF with the given media box and page
// content stream (Helvetica available as /F1).
func minimalPDF(w, h int, content string) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	b.WriteString("%PDF-1.4\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>", w, h))
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

func textPDF(lines ...string) []byte {
	var c strings.Builder
	c.WriteString("BT /F1 12 Tf 72 720 Td 14 TL\n")
	for _, l := range lines {
		fmt.Fprintf(&c, "(%s) Tj T*\n", l)
	}
	c.WriteString("ET")
	return minimalPDF(612, 792, c.String())
}

func TestReadRealFax(t *testing.T) {
	dir := sharedData(t, "realfax")
	r := testReader(t)
	tests := []struct {
		file       string
		pages      int
		words      []string // each must appear in the text (case-insensitive)
		unreadable string   // expected reason, for the one file no decoder reads
		resampled  bool
		header     bool
		rotated    bool
	}{
		{file: "received-fax-g3-2d-standard.tif", pages: 1, words: []string{"backup", "recover", "directories"}, resampled: true, header: true},
		{file: "received-fax-testchart-g3.tif", pages: 1},
		{file: "ccitt1-letter-signature-g4.tif", pages: 1, words: []string{"facsimile", "registered"}},
		{file: "ccitt3-invoice-form-g4.tif", pages: 1},
		{file: "ccitt8-handwritten-memo-rotated-g4.tif", pages: 1, words: []string{"communication"}, rotated: true},
		{file: "scanned-form-g4-300dpi.tif", pages: 1},
		{file: "g3-1d-no-eol.tif", pages: 1, unreadable: "Premature EOL"},
		{file: "blank-page-modified-huffman.tif", pages: 1},
		{file: "office-scan-old-jpeg-600dpi.tif", pages: 1, words: []string{"gutschrift"}},
		{file: "two-page-jpeg-in-tiff.tif", pages: 2},
		{file: "g4-image-in-pdf.pdf", pages: 1, words: []string{"LinnSequencer", "polyphonic"}},
		{file: "jbig2-four-rotations.pdf", pages: 4, words: []string{"LinnSequencer"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			d := readFile(t, r, filepath.Join(dir, tt.file))
			if len(d.Pages) != tt.pages {
				t.Fatalf("%d pages, want %d (problems %v)", len(d.Pages), tt.pages, d.Problems)
			}
			if tt.unreadable != "" {
				if len(d.Problems) != 1 || !strings.Contains(d.Problems[0].Reason, tt.unreadable) || d.Pages[0].Unreadable == "" {
					t.Fatalf("problems %v, want one naming %q", d.Problems, tt.unreadable)
				}
				return
			}
			if len(d.Problems) != 0 {
				t.Fatalf("problems: %v", d.Problems)
			}
			for i, p := range d.Pages {
				text := strings.ToLower(p.Text)
				for _, w := range tt.words {
					if !strings.Contains(text, strings.ToLower(w)) {
						t.Errorf("page %d: %q not read; text starts %q", i+1, w, firstN(p.Text, 200))
					}
				}
			}
			if tt.resampled && !d.Pages[0].Resampled {
				t.Error("standard-resolution page not resampled")
			}
			if tt.rotated && d.Pages[0].Rotation == 0 {
				t.Error("sideways page not turned upright")
			}
			if tt.header && d.Pages[0].Header == nil {
				t.Errorf("transmit header not recognised; text starts %q", firstN(d.Pages[0].Text, 120))
			}
		})
	}
}

func firstN(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func TestReadTextPDF(t *testing.T) {
	r := testReader(t)
	d := r.Read(context.Background(), "order.pdf", textPDF(
		"11/20/2026 14:02 FROM: GULF COAST FM 9415550143 P. 1/1",
		"Procedure: Myofascial release (97140)",
		"Diagnoses: 1. M54.50 Low back pain, unspecified"))
	if len(d.Problems) != 0 || len(d.Pages) != 1 {
		t.Fatalf("pages %d problems %v", len(d.Pages), d.Problems)
	}
	p := d.Pages[0]
	if !p.TextLayer || p.Words != nil {
		t.Errorf("text-layer page was OCR'd (text layer %v)", p.TextLayer)
	}
	if !strings.Contains(p.Text, "M54.50 Low back pain") {
		t.Errorf("text %q", p.Text)
	}
	if p.Header == nil || strings.Contains(p.Text, "9415550143") || d.FaxNumber != "9415550143" {
		t.Errorf("transmit header not set aside: header %+v, fax %q, text %q", p.Header, d.FaxNumber, p.Text)
	}
}

func TestReadLimits(t *testing.T) {
	r := testReader(t)
	bomb := tinyTIFF(1, 100000, 100000)
	tests := []struct {
		name string
		data []byte
		lim  Limits
		want string
	}{
		{"pixel bomb TIFF", bomb, DefaultLimits, "over the limit of 60 megapixels"},
		{"too many TIFF pages", tinyTIFF(51, 100, 100), DefaultLimits, "more than 50 pages"},
		{"huge PDF page", minimalPDF(14400, 14400, ""), DefaultLimits, "over the limit of 60 megapixels"},
		{"too many bytes", textPDF("x"), Limits{BytesPerMessage: 100}, "over the limit of 0.0 MB per message"},
		{"corrupt PDF", []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage"), DefaultLimits, "damaged"},
		{"truncated TIFF", bomb[:20], DefaultLimits, "cannot be read"},
		{"not a document", []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00"), DefaultLimits, "is not a PDF, TIFF, PNG, JPEG"},
		{"HEIC photo", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), DefaultLimits, "HEIC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rr := NewReader(r.ocr, tt.lim)
			start := time.Now()
			d := rr.Read(context.Background(), "input", tt.data)
			if len(d.Problems) == 0 || !strings.Contains(d.Problems[0].Reason, tt.want) {
				t.Fatalf("problems %v, want one containing %q", d.Problems, tt.want)
			}
			if d.Temporary() {
				t.Error("a property of the input was reported as temporary")
			}
			if el := time.Since(start); el > 10*time.Second {
				t.Errorf("refusing took %s", el)
			}
		})
	}
}

func TestOCRTimeoutIsTemporary(t *testing.T) {
	pool := NewOCRPool(OCROptions{Workers: 1, Timeout: time.Millisecond})
	defer pool.Close()
	r := NewReader(pool, DefaultLimits)
	data, err := os.ReadFile(filepath.Join(sharedData(t, "realfax"), "ccitt1-letter-signature-g4.tif"))
	if err != nil {
		t.Fatal(err)
	}
	d := r.Read(context.Background(), "letter.tif", data)
	if len(d.Pages) != 1 || d.Pages[0].Unreadable == "" {
		t.Fatalf("pages %+v", d.Pages)
	}
	if !d.Temporary() || !strings.Contains(d.Problems[0].Reason, "time limit") {
		t.Fatalf("problems %v: want a temporary time-limit problem", d.Problems)
	}
	// The pool replaces the killed worker: the next page is read.
	pool.timeout = time.Minute
	if d := r.Read(context.Background(), "letter.tif", data); len(d.Problems) != 0 {
		t.Fatalf("after a timeout: %v", d.Problems)
	}
}

func TestWorkersAreSingleThreaded(t *testing.T) {
	pool := NewOCRPool(OCROptions{Workers: 1})
	defer pool.Close()
	r := NewReader(pool, DefaultLimits)
	if d := r.Read(context.Background(), "order.pdf", minimalPDF(612, 792, "")); len(d.Pages) != 1 {
		t.Fatalf("pages %d, problems %v", len(d.Pages), d.Problems)
	}
	pool.mu.Lock()
	defer pool.mu.Unlock()
	if len(pool.all) != 1 {
		t.Fatalf("%d workers", len(pool.all))
	}
	for w := range pool.all {
		env, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", w.cmd.Process.Pid))
		if err != nil {
			t.Skip("no /proc:", err)
		}
		if !bytes.Contains(env, []byte("\x00OMP_THREAD_LIMIT=1\x00")) && !bytes.HasPrefix(env, []byte("OMP_THREAD_LIMIT=1\x00")) {
			t.Fatal("OCR worker started without OMP_THREAD_LIMIT=1")
		}
	}
}

func TestDocumentTextSkipsCoverAndHeader(t *testing.T) {
	d := &Document{Body: "see attached", Pages: []*Page{
		{Number: 1, Text: "FAX\nTo: Bayside\nPages: 2", CoverSheet: true},
		{Number: 2, Text: "Rx: 97140", Header: &FaxHeader{Text: "11/20/2026 FROM 9415550143 P.2/2"}},
	}}
	if got := d.Text(); got != "see attached\n\nRx: 97140" {
		t.Fatalf("Text() = %q", got)
	}
}
