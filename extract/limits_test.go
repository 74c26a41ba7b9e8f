package extract

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// pdfOf assembles a PDF from its objects, numbered from 1; the first is the
// catalog.
func pdfOf(objs ...string) []byte {
	var b bytes.Buffer
	var offs []int
	b.WriteString("%PDF-1.4\n")
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

func pdfStream(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// nestedFormsPDF is one letter page with no text that draws a form that
// draws the next one ten times, depth deep, the last filling the page: 10^depth
// fills of the whole page. A few hundred bytes that take poppler minutes to
// render at 300 dpi.
func nestedFormsPDF(depth int) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> >> >>",
		pdfStream("", "/X Do")}
	for k := range depth {
		objs = append(objs, pdfStream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X %d 0 R >> >>", 6+k),
			strings.Repeat("/X Do\n", 10)))
	}
	objs = append(objs, pdfStream("/Type /XObject /Subtype /Form /BBox [0 0 612 792]", "0.5 g 0 0 612 792 re f"))
	return pdfOf(objs...)
}

// writeTemp writes data to a file of its own and returns its path.
func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// pidsWith lists the processes whose command line mentions s.
func pidsWith(s string) []int {
	var pids []int
	files, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil && bytes.Contains(b, []byte(s)) {
			if pid, err := strconv.Atoi(filepath.Base(filepath.Dir(f))); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}

// TestPDFRenderTimeLimit: a page that would render for minutes is killed
// at the time limit of one call, with its process group, and the PDF goes
// to review with a finding that says so; the reader goes on with the next.
func TestPDFRenderTimeLimit(t *testing.T) {
	lim := toolLimits{Time: 2 * time.Second, Memory: 1 << 30, FileSize: 100 << 20, Output: 1 << 20}
	path := writeTemp(t, "slow.pdf", nestedFormsPDF(5))
	start := time.Now()
	_, err := renderPDFPage(context.Background(), lim, t.TempDir(), path, 1, pdfRenderDPI)
	if el := time.Since(start); el > lim.Time+3*time.Second {
		t.Errorf("render returned after %s, want about %s", el, lim.Time)
	}
	if !errors.Is(err, ErrPDFLimit) || !strings.Contains(err.Error(), "PDF page render exceeded its time limit of 2s") {
		t.Fatalf("render: %v, want the time limit", err)
	}
	if pids := pidsWith(path); len(pids) > 0 {
		t.Errorf("processes %v still running after the call", pids)
	}

	r := NewReader(testReader(t).ocr, Limits{PDFToolTime: 2 * time.Second})
	start = time.Now()
	d := r.Read(context.Background(), "slow.pdf", nestedFormsPDF(4))
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("reading took %s", el)
	}
	if len(d.Problems) != 1 || d.Problems[0].Reason != "page 1: PDF page render exceeded its time limit of 2s" || d.Temporary() {
		t.Fatalf("problems %+v, want one permanent: page 1: PDF page render exceeded its time limit of 2s", d.Problems)
	}
	if len(d.Pages) != 1 || d.Pages[0].Unreadable == "" {
		t.Fatalf("pages %+v, want the one page unreadable", d.Pages)
	}
	if d := r.Read(context.Background(), "order.pdf", textPDF("Rx: myofascial release 97140, 2x/week for 6 weeks, lumbar region")); len(d.Problems) != 0 || !strings.Contains(d.Text(), "97140") {
		t.Fatalf("the next PDF: problems %v, text %q", d.Problems, d.Text())
	}
}

// TestPDFDocumentTimeLimit: the calls for one PDF share a deadline; past
// it the pages left are not rendered.
func TestPDFDocumentTimeLimit(t *testing.T) {
	r := NewReader(testReader(t).ocr, Limits{PDFToolTime: time.Minute, PDFTime: 2 * time.Second})
	start := time.Now()
	d := r.Read(context.Background(), "slow.pdf", nestedFormsPDF(4))
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("reading took %s", el)
	}
	if len(d.Problems) != 1 || d.Problems[0].Reason != "page 1: reading the PDF exceeded its time limit of 2s per document" || d.Temporary() {
		t.Fatalf("problems %+v, want the time limit per document", d.Problems)
	}
}

// TestPDFToolLimits: the output, address-space and file-size limits each
// stop a tool and name themselves; the same calls within the limits succeed.
func TestPDFToolLimits(t *testing.T) {
	ok := toolLimits{Time: time.Minute, Memory: 1 << 30, FileSize: 100 << 20, Output: 1 << 20}
	ctx := context.Background()

	t.Run("output", func(t *testing.T) {
		var lines []string
		for i := range 40 {
			lines = append(lines, fmt.Sprintf("line %d of a text layer longer than the output limit allows", i))
		}
		path := writeTemp(t, "text.pdf", textPDF(lines...))
		if _, err := pdfPageTexts(ctx, ok, path, 1); err != nil {
			t.Fatalf("within the limit: %v", err)
		}
		lim := ok
		lim.Output = 1 << 10
		_, err := pdfPageTexts(ctx, lim, path, 1)
		if !errors.Is(err, ErrPDFLimit) || err.Error() != "reading the PDF (pdftotext) printed more than its limit of 1 KB" {
			t.Fatalf("over the limit: %v", err)
		}
	})

	// A page of 1000 x 1000 pt is 17 megapixels at 300 dpi: poppler's
	// bitmap needs more than 32 MB.
	page := writeTemp(t, "big.pdf", minimalPDF(1000, 1000, "0.5 g 0 0 1000 1000 re f"))
	t.Run("memory", func(t *testing.T) {
		if _, err := renderPDFPage(ctx, ok, t.TempDir(), page, 1, pdfRenderDPI); err != nil {
			t.Fatalf("within the limit: %v", err)
		}
		lim := ok
		lim.Memory = 32 << 20
		_, err := renderPDFPage(ctx, lim, t.TempDir(), page, 1, pdfRenderDPI)
		if !errors.Is(err, ErrPDFLimit) || err.Error() != "PDF page render exceeded its memory limit of 32.0 MB" {
			t.Fatalf("over the limit: %v", err)
		}
	})
	t.Run("file size", func(t *testing.T) {
		lim := ok
		lim.FileSize = 1 << 20
		_, err := renderPDFPage(ctx, lim, t.TempDir(), page, 1, pdfRenderDPI)
		if !errors.Is(err, ErrPDFLimit) || err.Error() != "PDF page render exceeded its file size limit of 1.0 MB" {
			t.Fatalf("over the limit: %v", err)
		}
	})
	t.Run("huge media box", func(t *testing.T) {
		// 200000 pt square: refused before rendering, and poppler's own
		// refusal is one too.
		huge := minimalPDF(200000, 200000, "")
		d := testReader(t).Read(ctx, "huge.pdf", huge)
		if len(d.Problems) != 1 || !strings.Contains(d.Problems[0].Reason, "over the limit of 60 megapixels per page") {
			t.Fatalf("problems %v", d.Problems)
		}
		_, err := renderPDFPage(ctx, ok, t.TempDir(), writeTemp(t, "huge.pdf", huge), 1, pdfRenderDPI)
		if !errors.Is(err, ErrPDFLimit) {
			t.Fatalf("render: %v, want a limit", err)
		}
	})
}

// pngAt encodes a w x h grey page with a pHYs chunk claiming dpi.
func pngAt(t *testing.T, w, h, dpi int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for x := w / 10; x < w*9/10; x++ {
		img.SetGray(x, h/2, color.Gray{})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	ppm := uint32(float64(dpi)/0.0254 + 0.5)
	chunk := binary.BigEndian.AppendUint32(nil, 9)
	body := append([]byte("pHYs"), binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, ppm), ppm)...)
	body = append(body, 1) // per metre
	chunk = append(chunk, body...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(body))
	const ihdrEnd = 8 + 4 + 4 + 13 + 4 // signature, IHDR length, type, data, CRC
	return append(append(append([]byte{}, data[:ihdrEnd]...), chunk...), data[ihdrEnd:]...)
}

// TestPixelLimitAfterResampling: a page under the pixel limit as sent but
// over it once brought to 300 dpi is refused with a finding, not enlarged.
func TestPixelLimitAfterResampling(t *testing.T) {
	r := NewReader(testReader(t).ocr, Limits{PixelsPerPage: 2_000_000})
	// 1000 x 1000 at 150 dpi: 1 megapixel, 4 at 300 dpi.
	d := r.Read(context.Background(), "scan.png", pngAt(t, 1000, 1000, 150))
	want := "page 1 of scan.png cannot be read: page is 1000 x 1000 pixels, 2000 x 2000 once brought to 300 dpi, over the limit of 2 megapixels"
	if len(d.Problems) != 1 || d.Problems[0].Reason != want || d.Temporary() {
		t.Fatalf("problems %+v, want %q", d.Problems, want)
	}
	if len(d.Pages) != 1 || d.Pages[0].Unreadable == "" {
		t.Fatalf("pages %+v, want the page unreadable", d.Pages)
	}
	// The same page at 300 dpi needs no resampling and is read.
	if d := r.Read(context.Background(), "scan.png", pngAt(t, 1000, 1000, 300)); len(d.Problems) != 0 {
		t.Fatalf("at 300 dpi: %v", d.Problems)
	}
}

// environOf reads the environment of process pid.
func environOf(t *testing.T, pid int) []string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
	if err != nil {
		t.Fatalf("environment of %d: %v", pid, err)
	}
	return strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
}

// checkChildEnv fails unless env holds only what a child may have.
func checkChildEnv(t *testing.T, who string, env []string, secret string) {
	t.Helper()
	allowed := map[string]bool{"PATH": true, "HOME": true, "TMPDIR": true, "TESSDATA_PREFIX": true,
		"LANG": true, "LC_ALL": true, "OMP_THREAD_LIMIT": true, workerEnv: true, "RXINTAKE_OCR_LANG": true, "MALLOC_ARENA_MAX": true}
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if strings.Contains(kv, secret) || !allowed[k] {
			t.Errorf("%s's environment holds %q", who, kv)
		}
	}
	for _, want := range []string{"OMP_THREAD_LIMIT=1", "LC_ALL=C", "PATH=" + os.Getenv("PATH")} {
		if !slices.Contains(env, want) {
			t.Errorf("%s's environment lacks %s", who, want)
		}
	}
}

// TestChildrenGetNoSecrets: the OCR workers and poppler's tools get a
// minimal environment, never the passwords the worker reads from its own.
func TestChildrenGetNoSecrets(t *testing.T) {
	const secret = "imap-password-7Hq2"
	t.Setenv("RXINTAKE_IMAP_PASSWORD", secret)
	t.Setenv("RXINTAKE_SMTP_PASSWORD", secret)
	pool := NewOCRPool(OCROptions{Workers: 1})
	defer pool.Close()
	r := NewReader(pool, DefaultLimits)
	if d := r.Read(context.Background(), "scan.png", pngAt(t, 1000, 1000, 300)); len(d.Pages) != 1 || len(d.Problems) != 0 {
		t.Fatalf("pages %d, problems %v", len(d.Pages), d.Problems)
	}
	pool.mu.Lock()
	for w := range pool.all {
		checkChildEnv(t, "OCR worker", environOf(t, w.cmd.Process.Pid), secret)
	}
	if len(pool.all) != 1 {
		t.Errorf("%d workers", len(pool.all))
	}
	pool.mu.Unlock()

	// A tool is seen while it renders a page that takes minutes.
	path := writeTemp(t, "slow.pdf", nestedFormsPDF(5))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		renderPDFPage(ctx, toolLimits{Time: time.Minute, Memory: 1 << 30, FileSize: 100 << 20, Output: 1 << 20}, t.TempDir(), path, 1, pdfRenderDPI)
	}()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if time.Now().After(deadline) {
			t.Fatal("pdftoppm not seen running")
		}
		if pids := pidsWith(path); len(pids) > 0 {
			env := environOf(t, pids[0])
			// Until it becomes the tool, the process is this binary
			// setting its limits.
			if !slices.ContainsFunc(env, func(kv string) bool { return strings.HasPrefix(kv, rlimitEnv+"=") }) {
				checkChildEnv(t, "pdftoppm", env, secret)
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A process that failed while it set the limits or loaded the tool says
// nothing about the PDF and is started again; the tool's own failures are
// the PDF's.
func TestPopplerStartupFailure(t *testing.T) {
	for _, tc := range []struct {
		stderr string
		want   bool
	}{
		{"fatal error: runtime: cannot allocate memory", true},
		{"runtime: failed to create new OS thread (have 7 already; errno=12)", true},
		{"rxintake: limits: cannot allocate memory", true},
		{"pdfinfo: error while loading shared libraries: libpoppler.so.126: failed to map segment from shared object", true},
		{"Syntax Error: Couldn't read xref table\nOut of memory", false},
		{"Bogus memory allocation size", false},
	} {
		if got := startupFailure(tc.stderr); got != tc.want {
			t.Errorf("startupFailure(%q) = %v, want %v", tc.stderr, got, tc.want)
		}
	}
}
