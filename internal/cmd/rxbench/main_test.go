package main

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"rxintake/internal/corpus"
)

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0}, {[]float64{3}, 3}, {[]float64{9, 1, 5}, 5}, {[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	in := []float64{9, 1, 5}
	median(in)
	if in[0] != 9 {
		t.Errorf("median sorted its argument: %v", in)
	}
}

func TestParseLines(t *testing.T) {
	lines := `{"file":"a.tif","status":"complete","pages":2,"timings":{"decode_s":0.5,"ocr_s":2,"ocr_pages":2,"ocr_passes":3,"osd_runs":1,"wall_s":3}}
{"file":"b.eml","status":"needs-review","pages":0,"timings":{"fields_s":0.25,"wall_s":0.3}}
`
	m, err := parseLines(strings.NewReader(lines), map[string]string{"a.tif": "complete", "b.eml": "complete"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Docs != 2 || m.Pages != 2 || m.Statuses != 1 {
		t.Errorf("docs %d pages %d statuses %d; want 2, 2, 1", m.Docs, m.Pages, m.Statuses)
	}
	if m.Timings.OCR != 2*time.Second || m.Timings.Decode != 500*time.Millisecond || m.Timings.Fields != 250*time.Millisecond ||
		m.Timings.OCRPasses != 3 || m.Timings.OSDRuns != 1 {
		t.Errorf("timings %+v", m.Timings)
	}
	if _, err := parseLines(strings.NewReader(`{"file":"a.tif","pages":1}`), nil); err == nil {
		t.Error("a line without timings was accepted")
	}
}

func TestBenchSpecs(t *testing.T) {
	a, b := benchSpecs(1), benchSpecs(1)
	if len(a) < 60 {
		t.Fatalf("%d documents, want at least 60", len(a))
	}
	media := map[corpus.Media]int{}
	covers := 0
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Seed != b[i].Seed {
			t.Fatalf("spec %d differs between two draws of seed 1", i)
		}
		media[a[i].Media]++
		if a[i].Cover {
			covers++
		}
	}
	for _, m := range []corpus.Media{corpus.MediaFaxFine, corpus.MediaFaxStandard, corpus.MediaFaxPDF, corpus.MediaFaxEmail,
		corpus.MediaScanPNG, corpus.MediaPhotoJPEG, corpus.MediaTextPDF, corpus.MediaPlainEmail} {
		if media[m] == 0 {
			t.Errorf("no %s document", m)
		}
	}
	if covers < 30 {
		t.Errorf("%d faxes with a cover sheet", covers)
	}
}

func TestWithPHYs(t *testing.T) {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 2)))
	p := withPHYs(b.Bytes(), 204, 98)
	if _, err := png.Decode(bytes.NewReader(p)); err != nil {
		t.Fatalf("not a PNG any more: %v", err)
	}
	i := bytes.Index(p, []byte("pHYs"))
	if i < 0 {
		t.Fatal("no pHYs chunk")
	}
	x, y := binary.BigEndian.Uint32(p[i+4:]), binary.BigEndian.Uint32(p[i+8:])
	if x != 8031 || y != 3858 || p[i+12] != 1 {
		t.Errorf("pHYs %d x %d per unit %d; want 8031 x 3858 per metre", x, y, p[i+12])
	}
	if crc := binary.BigEndian.Uint32(p[i+13:]); crc != crc32.ChecksumIEEE(p[i:i+13]) {
		t.Error("bad CRC")
	}
}

func TestPdftoppmPage(t *testing.T) {
	for in, want := range map[string]int{"dir/a.pdf-1.png": 1, "x-12.png": 12, "b.pdf-07.png": 7} {
		if got := pdftoppmPage(in); got != want {
			t.Errorf("pdftoppmPage(%q) = %d, want %d", in, got, want)
		}
	}
}
