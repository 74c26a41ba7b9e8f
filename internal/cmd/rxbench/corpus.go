package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"sync"

	"golang.org/x/image/tiff"

	"rxintake/extract"
	"rxintake/internal/corpus"
	"rxintake/internal/safeio"
)

// corpusVersion changes whenever benchSpecs or the page extraction does:
// a corpus written by another version is written again.
const corpusVersion = 1

// share is how many documents of a medium the bench corpus holds, and how
// many of them are faxes sent with a cover sheet.
type share struct {
	media   corpus.Media
	n       int
	covers  int
	layouts []corpus.Layout
}

// benchMix is the bench corpus: what a clinic's referral inbox receives
// (docs/evaluation.md has the evaluation corpus's mix), with most faxes
// sent with a cover sheet so that the corpus has two pages a document on
// average: 78 documents, 120 pages.
var benchMix = []share{
	{corpus.MediaFaxFine, 18, 15, []corpus.Layout{corpus.LayoutRxPad, corpus.LayoutForm, corpus.LayoutLetter, corpus.LayoutEHR}},
	{corpus.MediaFaxStandard, 10, 8, []corpus.Layout{corpus.LayoutRxPad, corpus.LayoutForm}},
	{corpus.MediaFaxPDF, 14, 12, []corpus.Layout{corpus.LayoutRxPad, corpus.LayoutForm, corpus.LayoutLetter, corpus.LayoutEHR}},
	{corpus.MediaFaxEmail, 12, 11, []corpus.Layout{corpus.LayoutRxPad, corpus.LayoutForm, corpus.LayoutEHR}},
	{corpus.MediaScanPNG, 4, 0, []corpus.Layout{corpus.LayoutRxPad, corpus.LayoutForm, corpus.LayoutLetter}},
	{corpus.MediaScanPDF, 3, 0, []corpus.Layout{corpus.LayoutForm, corpus.LayoutEHR, corpus.LayoutLetter}},
	{corpus.MediaPhotoJPEG, 4, 0, []corpus.Layout{corpus.LayoutRxPad, corpus.LayoutForm, corpus.LayoutLetter}},
	{corpus.MediaScanEmail, 2, 0, []corpus.Layout{corpus.LayoutRxPad, corpus.LayoutForm}},
	{corpus.MediaTextPDF, 7, 0, []corpus.Layout{corpus.LayoutEHR, corpus.LayoutLetter}},
	{corpus.MediaPlainEmail, 2, 0, []corpus.Layout{corpus.LayoutEmail}},
	{corpus.MediaHTMLEmail, 1, 0, []corpus.Layout{corpus.LayoutEmail}},
	{corpus.MediaText, 1, 0, []corpus.Layout{corpus.LayoutLetter}},
}

// textPDFFonts are the families a text PDF may use (standard-font metrics).
var textPDFFonts = []string{"Liberation Sans", "Liberation Serif", "Liberation Mono"}

// benchSpecs draws the specs of the bench corpus; the same seed gives the
// same specs, in an order that mixes the media.
func benchSpecs(seed uint64) []corpus.Spec {
	r := rand.New(rand.NewPCG(seed, 0x62656e6368))
	var specs []corpus.Spec
	for _, sh := range benchMix {
		for i := range sh.n {
			s := corpus.Spec{Seed: r.Uint64(), Media: sh.media, Layout: sh.layouts[i%len(sh.layouts)],
				Cover: i < sh.covers, Font: pick(r, corpus.Fonts()), Hand: pick(r, corpus.HandFonts()),
				Family: pick(r, corpus.FamilyNames())}
			if s.Media == corpus.MediaTextPDF {
				s.Font = pick(r, textPDFFonts)
			}
			if s.Media != corpus.MediaTextPDF && (s.Layout == corpus.LayoutRxPad || s.Layout == corpus.LayoutForm) && r.IntN(6) == 0 {
				s.Tier = corpus.TierHandwriting
			}
			specs = append(specs, s)
		}
	}
	r.Shuffle(len(specs), func(i, j int) { specs[i], specs[j] = specs[j], specs[i] })
	for i := range specs {
		specs[i].Name = fmt.Sprintf("%03d-%s-%s", i+1, specs[i].Layout, specs[i].Media)
	}
	return specs
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// benchDoc is one document of the bench corpus and the page images made
// of it for the baseline.
type benchDoc struct {
	File      string   `json:"file"` // base name
	Media     string   `json:"media"`
	Pages     int      `json:"pages"`  // as the corpus truth counts them
	Status    string   `json:"status"` // as the corpus truth has it
	Cover     bool     `json:"cover,omitempty"`
	TextLayer bool     `json:"text_layer,omitempty"`
	Images    []string `json:"images"` // PNG page images, under pages/
}

// benchCorpus is what bench.json records of a written corpus.
type benchCorpus struct {
	Version int        `json:"version"`
	Seed    uint64     `json:"seed"`
	Docs    []benchDoc `json:"docs"`
}

const corpusIndex = "bench.json"

// loadOrWrite returns the corpus in dir, writing it first when dir holds
// none, or one of another seed or version.
func loadOrWrite(ctx context.Context, dir string, seed uint64, workers int, logf func(string, ...any)) (*benchCorpus, error) {
	if b, err := os.ReadFile(filepath.Join(dir, corpusIndex)); err == nil {
		var c benchCorpus
		if json.Unmarshal(b, &c) == nil && c.Version == corpusVersion && c.Seed == seed {
			return &c, nil
		}
	}
	logf("writing the bench corpus (seed %d) into %s", seed, dir)
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "pages"), 0o755); err != nil {
		return nil, err
	}
	specs := benchSpecs(seed)
	docs := make([]benchDoc, len(specs))
	errs := make([]error, len(specs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for i := range next {
				docs[i], errs[i] = writeDoc(ctx, dir, specs[i])
			}
		})
	}
	for i := range specs {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(append(errs, ctx.Err())...); err != nil {
		return nil, err
	}
	c := &benchCorpus{Version: corpusVersion, Seed: seed, Docs: docs}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return nil, err
	}
	return c, safeio.WriteFile(filepath.Join(dir, corpusIndex), append(b, '\n'), 0o644)
}

// writeDoc generates one document into dir and its page images into
// dir/pages.
func writeDoc(ctx context.Context, dir string, s corpus.Spec) (benchDoc, error) {
	f, err := corpus.Generate(s)
	for try := 0; err != nil && errors.Is(err, corpus.ErrSpec) && try < 5; try++ {
		// Content that does not fit the layout: draw it again.
		s.Seed = s.Seed*6364136223846793005 + 1442695040888963407
		f, err = corpus.Generate(s)
	}
	if err != nil {
		return benchDoc{}, fmt.Errorf("%s: %w", s.Name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
		return benchDoc{}, err
	}
	d := benchDoc{File: f.Name, Media: string(s.Media), Pages: f.Truth.Pages, Status: f.Truth.Status, Cover: f.Truth.Cover, TextLayer: s.Media == corpus.MediaTextPDF}
	d.Images, err = pageImages(ctx, filepath.Join(dir, "pages"), f.Name, f.Data)
	if err != nil {
		return benchDoc{}, fmt.Errorf("%s: page images: %w", f.Name, err)
	}
	if len(d.Images) != d.Pages {
		return benchDoc{}, fmt.Errorf("%s: %d page images for %d pages", f.Name, len(d.Images), d.Pages)
	}
	return d, nil
}

// pageImages writes every page of a file as a PNG, the way one would
// before running tesseract by hand: PDF pages rendered at 300 dpi by
// pdftoppm, TIFF pages and photos converted at their own resolution, the
// attachments of an email likewise. It returns the images' names.
func pageImages(ctx context.Context, dir, name string, data []byte) ([]string, error) {
	stem := filepath.Join(dir, name)
	switch extract.Sniff(data) {
	case extract.KindPDF:
		in := stem + ".in.pdf"
		if err := os.WriteFile(in, data, 0o600); err != nil {
			return nil, err
		}
		defer os.Remove(in)
		if out, err := exec.CommandContext(ctx, "pdftoppm", "-r", "300", "-gray", "-png", in, stem).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("pdftoppm: %v: %s", err, out)
		}
		m, _ := filepath.Glob(stem + "-*.png")
		sort.Slice(m, func(i, j int) bool { return pdftoppmPage(m[i]) < pdftoppmPage(m[j]) })
		return baseNames(m), nil
	case extract.KindTIFF:
		return tiffPages(stem, data)
	case extract.KindPNG:
		out := stem + ".png"
		return baseNames([]string{out}), os.WriteFile(out, data, 0o644)
	case extract.KindJPEG:
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		out := stem + ".png"
		return baseNames([]string{out}), writePNG(out, img, 0, 0)
	case extract.KindEmail:
		m, err := extract.ParseMail(data)
		if err != nil {
			return nil, err
		}
		var out []string
		for i, p := range m.Parts {
			if p.Body {
				continue
			}
			switch extract.Sniff(p.Data) {
			case extract.KindPDF, extract.KindTIFF, extract.KindPNG, extract.KindJPEG:
				imgs, err := pageImages(ctx, dir, name+"."+strconv.Itoa(i+1), p.Data)
				if err != nil {
					return nil, err
				}
				out = append(out, imgs...)
			}
		}
		return out, nil
	}
	return nil, nil // text: no page
}

// pdftoppmPage is the page number pdftoppm put in a file name (NAME-07.png).
func pdftoppmPage(path string) int {
	base := filepath.Base(path)
	i := len(base) - len(".png")
	j := i
	for j > 0 && base[j-1] >= '0' && base[j-1] <= '9' {
		j--
	}
	n, _ := strconv.Atoi(base[j:i])
	return n
}

func baseNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.Base(p)
	}
	return out
}

// tiffPages writes each page of a TIFF as STEM-N.png with its resolution.
// golang.org/x/image/tiff decodes the first directory only: each page is
// decoded from a copy of the file whose header points at that page's
// directory (the offsets of a classic TIFF are absolute).
func tiffPages(stem string, data []byte) ([]string, error) {
	offs, bo, err := tiffDirectories(data)
	if err != nil {
		return nil, err
	}
	var out []string
	for i, off := range offs {
		b := slices.Clone(data)
		bo.PutUint32(b[4:], off)
		img, err := tiff.Decode(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", i+1, err)
		}
		xres, yres := tiffResolution(b, bo, off)
		name := fmt.Sprintf("%s-%d.png", stem, i+1)
		if err := writePNG(name, img, xres, yres); err != nil {
			return nil, err
		}
		out = append(out, filepath.Base(name))
	}
	return out, nil
}

// tiffDirectories returns the offsets of the directories (pages) of a
// classic TIFF.
func tiffDirectories(data []byte) ([]uint32, binary.ByteOrder, error) {
	if len(data) < 8 {
		return nil, nil, errors.New("TIFF too short")
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if string(data[:2]) == "MM" {
		bo = binary.BigEndian
	}
	var offs []uint32
	seen := map[uint32]bool{}
	for off := bo.Uint32(data[4:]); off != 0; {
		if seen[off] || int(off)+2 > len(data) {
			return nil, nil, fmt.Errorf("bad directory offset %d", off)
		}
		seen[off] = true
		offs = append(offs, off)
		n := int(bo.Uint16(data[off:]))
		next := int(off) + 2 + 12*n
		if next+4 > len(data) {
			return nil, nil, fmt.Errorf("directory at %d runs past the end", off)
		}
		off = bo.Uint32(data[next:])
	}
	return offs, bo, nil
}

// tiffResolution reads the X and Y resolution (dots per inch) of the
// directory at off; 0 when absent.
func tiffResolution(data []byte, bo binary.ByteOrder, off uint32) (xres, yres int) {
	n := int(bo.Uint16(data[off:]))
	for i := range n {
		e := data[int(off)+2+12*i:]
		tag, typ := bo.Uint16(e), bo.Uint16(e[2:])
		if typ != 5 || (tag != 282 && tag != 283) {
			continue
		}
		at := bo.Uint32(e[8:])
		if int(at)+8 > len(data) {
			continue
		}
		num, den := bo.Uint32(data[at:]), bo.Uint32(data[at+4:])
		if den == 0 {
			continue
		}
		v := int((num + den/2) / den)
		if tag == 282 {
			xres = v
		} else {
			yres = v
		}
	}
	return xres, yres
}

// writePNG writes img as a PNG with a pHYs chunk for the resolution, when
// known, so that tesseract sees the page's dots per inch.
func writePNG(path string, img image.Image, xres, yres int) error {
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, img); err != nil {
		return err
	}
	out := b.Bytes()
	if xres > 0 && yres > 0 {
		out = withPHYs(out, xres, yres)
	}
	return os.WriteFile(path, out, 0o644)
}

// withPHYs inserts a pHYs chunk (pixels per metre) after a PNG's IHDR.
func withPHYs(p []byte, xres, yres int) []byte {
	const ihdrEnd = 8 + 8 + 13 + 4 // signature, IHDR length+type, data, CRC
	if len(p) < ihdrEnd {
		return p
	}
	chunk := make([]byte, 4+4+9+4)
	binary.BigEndian.PutUint32(chunk, 9)
	copy(chunk[4:], "pHYs")
	binary.BigEndian.PutUint32(chunk[8:], uint32(float64(xres)/0.0254+0.5))
	binary.BigEndian.PutUint32(chunk[12:], uint32(float64(yres)/0.0254+0.5))
	chunk[16] = 1 // unit: metre
	binary.BigEndian.PutUint32(chunk[17:], crc32.ChecksumIEEE(chunk[4:17]))
	return slices.Concat(p[:ihdrEnd], chunk, p[ihdrEnd:])
}
