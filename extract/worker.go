package extract

import (
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/otiai10/gosseract/v2"
)

// targetDPI is the resolution pages are brought to before recognition:
// Tesseract reads best with capital letters 20-40 pixels tall.
const targetDPI = 300

// serveWorker answers OCR requests on r/w until r closes.
func serveWorker(r io.Reader, w io.Writer) int {
	dec, enc := gob.NewDecoder(r), gob.NewEncoder(w)
	tess := gosseract.NewClient()
	defer tess.Close()
	lang := os.Getenv("RXINTAKE_OCR_LANG")
	if lang == "" {
		lang = "eng"
	}
	if err := tess.SetLanguage(lang); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	tess.SetPageSegMode(gosseract.PSM_AUTO)
	// Prescriptions carry no currency or legal signs; without them the
	// recogniser reads "S13.4XXA", not "$13.4XXA".
	tess.SetBlacklist("$¢£€¥§©®™¶")
	letters := newLetterReader(lang)
	defer letters.close()
	digits := newDigitReader(lang)
	defer digits.close()
	orient := &lazyOSD{}
	defer orient.close()
	for {
		var req ocrRequest
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return 0
			}
			return 1
		}
		if req.Warm {
			// Loads the page model; the rereaders and the orientation
			// model load when first needed.
			res := &ocrResult{}
			if err := tess.SetImageFromBytes(req.Image); err != nil {
				res.Err = err.Error()
			} else if _, err := tess.Text(); err != nil {
				res.Err = err.Error()
			}
			if err := enc.Encode(res); err != nil {
				return 1
			}
			continue
		}
		start := time.Now()
		res := recognise(tess, orient, letters, digits, &req)
		res.Seconds = time.Since(start).Seconds()
		if err := enc.Encode(res); err != nil {
			return 1
		}
	}
}

func recognise(tess *gosseract.Client, orient *lazyOSD, letters *letterReader, digits *digitReader, req *ocrRequest) *ocrResult {
	sw := startStopwatch()
	x, err := decodePix(req.Image, req.TIFFPage)
	if err != nil {
		return &ocrResult{Err: err.Error(), Timings: Timings{Decode: sw.lap()}}
	}
	defer x.free()
	w, h, _ := x.size()
	if int64(w)*int64(h) > req.MaxPixels {
		return &ocrResult{TooLarge: true, Err: fmt.Sprintf("page is %d x %d pixels, over the limit of %d megapixels", w, h, req.MaxPixels/1_000_000),
			Timings: Timings{Decode: sw.lap()}}
	}
	res := &ocrResult{}
	t := &res.Timings
	t.Decode = sw.lap()
	xres, yres := x.resolution()
	if xres <= 0 || yres <= 0 {
		xres, yres = req.XRes, req.YRes
	}
	if xres <= 0 && yres > 0 {
		xres = yres
	}
	if yres <= 0 && xres > 0 {
		yres = xres
	}
	if xres <= 0 {
		// No resolution anywhere: guess from the width of a letter page.
		xres = int(math.Round(float64(w) / 8.5))
		if xres < 100 {
			xres = targetDPI
		}
		yres = xres
	}
	// A standard-resolution fax has pixels twice as tall as wide: make them
	// square, and bring the page to the resolution Tesseract reads best.
	sx, sy := float64(targetDPI)/float64(xres), float64(targetDPI)/float64(yres)
	if math.Abs(float64(xres-yres)) > 0.1*float64(xres) {
		res.Resampled = true
	}
	if math.Abs(sx-1) > 0.1 || math.Abs(sy-1) > 0.1 {
		if sx > 2.5 || sy > 4.5 || sx < 0.2 || sy < 0.2 {
			// Tiny or odd resolution tags: keep the pixels, square them.
			sx, sy = 1, float64(xres)/float64(yres)
		}
		// The pixel limit is the page as OCR reads it: resampling may
		// enlarge a page up to 11 times (docs/architecture.md).
		if rw, rh := int64(math.Ceil(float64(w)*sx)), int64(math.Ceil(float64(h)*sy)); rw*rh > req.MaxPixels {
			res.TooLarge = true
			res.Err = fmt.Sprintf("page is %d x %d pixels, %d x %d once brought to %d dpi, over the limit of %d megapixels",
				w, h, rw, rh, targetDPI, req.MaxPixels/1_000_000)
			return res
		}
		if !x.scale(sx, sy) {
			return &ocrResult{Err: "cannot resample page"}
		}
	}
	x.setResolution(targetDPI, targetDPI)
	res.Skew = x.deskew()
	res.Width, res.Height, _ = x.size()
	res.DPI = targetDPI
	// Form lines (longer than a fifth of an inch, thinner than a
	// twentieth) touch the characters written on them; OCR reads the page
	// without them.
	x.removeLines(targetDPI/5, targetDPI/20)
	t.Preprocess = sw.lap()
	words, err := ocrPix(tess, x)
	t.OCR, t.OCRPages, t.OCRPasses = sw.lap(), 1, 1
	if err != nil {
		res.Err = err.Error()
		return res
	}
	// Most pages arrive upright: look for another orientation only when
	// the first reading is weak, and keep the rotated reading if better.
	if orient != nil && weak(words) {
		// A turned reading must also read better to be kept, so a
		// doubtful orientation costs time, never a wrong page.
		t.OSDRuns++
		if deg, conf, ok := orient.detect(x); ok && conf >= 1 && deg != 0 {
			// OSD is sure a page is turned but, on handwriting, not always
			// which way: read its answer and the opposite quarter turn, and
			// keep the best reading.
			tries := []int{4 - deg/90}
			if deg != 180 {
				tries = append(tries, deg/90)
			}
			best, bestQuads := quality(words)*1.2, 0
			for _, quads := range tries {
				if !x.rotateOrth(quads) {
					break
				}
				skew := x.deskew()
				t.OCRPasses++
				if rotated, err := ocrPix(tess, x); err == nil && quality(rotated) > best {
					words, res.Skew = rotated, skew
					best, bestQuads = quality(rotated), quads
				}
				x.rotateOrth(4 - quads)
			}
			if bestQuads != 0 {
				x.rotateOrth(bestQuads)
				res.Rotation = bestQuads * 90
				res.Width, res.Height, _ = x.size()
			}
		}
	}
	t.Orientation = sw.lap()
	letters.rereadCodes(x, words)
	digits.rereadNumbers(x, words)
	digits.rereadDoubtful(x, words)
	mendWords(words)
	t.Rereads = sw.lap()
	res.Words = words
	if req.WantImage {
		if res.Image, err = x.png(); err != nil {
			res.Err = err.Error()
		}
		t.Image = sw.lap()
	}
	return res
}

// ocrPix recognises the words of a page.
func ocrPix(tess *gosseract.Client, x *pix) ([]Word, error) {
	raw, err := x.raw()
	if err != nil {
		return nil, err
	}
	if err := tess.SetImageFromBytes(raw); err != nil {
		return nil, err
	}
	tess.SetVariable("user_defined_dpi", strconv.Itoa(targetDPI))
	boxes, err := tess.GetBoundingBoxesVerbose()
	if err != nil {
		return nil, err
	}
	words := make([]Word, 0, len(boxes))
	for _, b := range boxes {
		if strings.TrimSpace(b.Word) == "" {
			continue
		}
		words = append(words, Word{Text: b.Word, Conf: b.Confidence, Box: b.Box,
			Block: b.BlockNum, Par: b.ParNum, Line: b.LineNum})
	}
	return words, nil
}

// quality scores a reading: confident words count, doubtful ones do not.
func quality(words []Word) float64 {
	q := 0.0
	for _, w := range words {
		if w.Conf >= 60 && len(w.Text) > 1 {
			q += float64(len(w.Text))
		}
	}
	return q
}

// lazyOSD loads the orientation model on the first page that needs it: it
// is the largest model a worker holds (osd.traineddata, 10 MB on disk), and
// most workers never need it, since most pages read well upright
// (docs/performance.md, "Memory").
type lazyOSD struct {
	o     *osd
	tried bool
}

func (l *lazyOSD) detect(x *pix) (deg int, conf float64, ok bool) {
	if !l.tried {
		l.tried = true
		if o, err := newOSD(""); err == nil {
			l.o = o
		}
	}
	if l.o == nil {
		return 0, 0, false
	}
	return l.o.detect(x)
}

func (l *lazyOSD) close() {
	if l.o != nil {
		l.o.close()
	}
}

// weak reports a reading too poor to trust the page's orientation.
func weak(words []Word) bool {
	if len(words) < 8 {
		return true
	}
	var sum float64
	for _, w := range words {
		sum += w.Conf
	}
	return sum/float64(len(words)) < 70
}

// TesseractVersion reports the version of the linked Tesseract library.
func TesseractVersion() string { return gosseract.Version() }
