package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig reads JPEG headers
	_ "image/png"  // DecodeConfig reads PNG headers
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Page is one page of a document as rxintake read it.
type Page struct {
	Number     int        `json:"page"`
	Source     string     `json:"source,omitempty"` // attachment the page came from
	Text       string     `json:"text"`             // page text without the transmit header
	TextLayer  bool       `json:"text_layer,omitempty"`
	Confidence float64    `json:"confidence"` // mean word confidence 0..1
	Resampled  bool       `json:"resampled,omitempty"`
	Rotation   int        `json:"rotation,omitempty"`
	Skew       float64    `json:"skew,omitempty"`
	Header     *FaxHeader `json:"fax_header,omitempty"`
	CoverSheet bool       `json:"cover_sheet,omitempty"`
	Unreadable string     `json:"unreadable,omitempty"` // why the page could not be read
	Width      int        `json:"width,omitempty"`
	Height     int        `json:"height,omitempty"`
	DPI        int        `json:"dpi,omitempty"`
	Seconds    float64    `json:"-"`
	Words      []Word     `json:"-"`
	Lines      []Line     `json:"-"`
	Image      []byte     `json:"-"` // the page as OCR saw it (PNG), when asked for
}

// Line is a line of recognised text with its box and mean confidence.
type Line struct {
	Text  string
	Box   image.Rectangle
	Conf  float64 // 0..100
	Words []Word
}

// Problem is something that kept part of a document from being read. A
// temporary problem (a timeout) may go away on a later attempt; the others
// are properties of the input.
type Problem struct {
	Part      string `json:"part,omitempty"`
	Reason    string `json:"reason"`
	Temporary bool   `json:"temporary,omitempty"`
}

// Document is everything read from one file or message.
type Document struct {
	File      string    `json:"file"`
	Kind      Kind      `json:"kind"`
	Pages     []*Page   `json:"pages"`
	Body      string    `json:"body,omitempty"` // email body or plain text: not a page
	Email     *Email    `json:"email,omitempty"`
	FaxNumber string    `json:"fax_number,omitempty"` // sender's number from the transmit headers
	Problems  []Problem `json:"problems,omitempty"`
	Notes     []string  `json:"notes,omitempty"`
	// Timings says where the time of reading went; casework.Build adds
	// the fields and the rules.
	Timings Timings `json:"-"`
}

// Text is the prescription text of the document: the body, then every page
// that is not a cover sheet, transmit headers removed.
func (d *Document) Text() string {
	var parts []string
	if strings.TrimSpace(d.Body) != "" {
		parts = append(parts, d.Body)
	}
	for _, p := range d.Pages {
		if !p.CoverSheet && strings.TrimSpace(p.Text) != "" {
			parts = append(parts, p.Text)
		}
	}
	return strings.Join(parts, "\n\n")
}

// Temporary reports whether every problem of the document may go away on a
// later attempt (and there is at least one).
func (d *Document) Temporary() bool {
	if len(d.Problems) == 0 {
		return false
	}
	for _, p := range d.Problems {
		if !p.Temporary {
			return false
		}
	}
	return true
}

// Limits protect the reader from hostile or broken input.
type Limits struct {
	PagesPerDocument int
	PixelsPerPage    int64 // as OCR reads the page: after resampling
	BytesPerMessage  int64
	// The poppler tools that read PDFs run under these (docs/architecture.md,
	// "Subprocesses"). PDFToolTime bounds each call: the page count, the
	// text layer, the list of images, the rendering of one page; PDFTime
	// all the calls for one PDF. A call also gets as many seconds of CPU.
	PDFToolTime   time.Duration
	PDFTime       time.Duration
	PDFToolMemory int64 // address space of one tool's process, bytes
	PDFToolOutput int64 // what a tool may print (text layer, image list), bytes
}

// DefaultLimits are the configuration's defaults.
var DefaultLimits = Limits{PagesPerDocument: 50, PixelsPerPage: 60_000_000, BytesPerMessage: 40 << 20,
	PDFToolTime: 60 * time.Second, PDFTime: 5 * time.Minute, PDFToolMemory: 1 << 30, PDFToolOutput: 8 << 20}

// Reader reads documents. It is safe for concurrent use.
type Reader struct {
	ocr    *OCRPool
	limits Limits
	// KeepImages keeps each page's processed image on the Page.
	KeepImages bool
}

// NewReader returns a reader that OCRs with pool.
func NewReader(pool *OCRPool, limits Limits) *Reader {
	if limits.PagesPerDocument <= 0 {
		limits.PagesPerDocument = DefaultLimits.PagesPerDocument
	}
	if limits.PixelsPerPage <= 0 {
		limits.PixelsPerPage = DefaultLimits.PixelsPerPage
	}
	if limits.BytesPerMessage <= 0 {
		limits.BytesPerMessage = DefaultLimits.BytesPerMessage
	}
	if limits.PDFToolTime <= 0 {
		limits.PDFToolTime = DefaultLimits.PDFToolTime
	}
	if limits.PDFTime <= 0 {
		limits.PDFTime = DefaultLimits.PDFTime
	}
	if limits.PDFToolMemory <= 0 {
		limits.PDFToolMemory = DefaultLimits.PDFToolMemory
	}
	if limits.PDFToolOutput <= 0 {
		limits.PDFToolOutput = DefaultLimits.PDFToolOutput
	}
	return &Reader{ocr: pool, limits: limits}
}

// Read reads one file or message. It never fails: what cannot be read is
// reported as a Problem on the document.
func (r *Reader) Read(ctx context.Context, name string, data []byte) *Document {
	d := &Document{File: name, Kind: Sniff(data)}
	if r.tooLarge(d, len(data)) {
		return d
	}
	if d.Kind == KindEmail {
		r.readEmail(ctx, d, data)
	} else {
		r.readPart(ctx, d, Part{Name: filepath.Base(name), Data: data}, d.Kind)
	}
	d.FaxNumber = faxNumber(d.Pages)
	return d
}

// ReadMail reads a message whose parts ParseMail walked, as Read reads the
// message's bytes, without walking it again.
func (r *Reader) ReadMail(ctx context.Context, name string, m *Mail) *Document {
	d := &Document{File: name, Kind: KindEmail}
	if r.tooLarge(d, m.size) {
		return d
	}
	r.readMail(ctx, d, m)
	d.FaxNumber = faxNumber(d.Pages)
	return d
}

// tooLarge reports, as a problem of d, a file or message of n bytes over
// the limit.
func (r *Reader) tooLarge(d *Document, n int) bool {
	if int64(n) <= r.limits.BytesPerMessage {
		return false
	}
	d.problem("", false, "the file is %s, over the limit of %s per message", sizeMB(int64(n)), sizeMB(r.limits.BytesPerMessage))
	return true
}

func sizeMB(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

func (d *Document) problem(part string, temporary bool, format string, args ...any) {
	d.Problems = append(d.Problems, Problem{Part: part, Reason: fmt.Sprintf(format, args...), Temporary: temporary})
}

func (d *Document) problemErr(part string, err error) {
	temporary := errors.Is(err, ErrOCRTimeout) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrPopplerMissing)
	msg := err.Error()
	for _, prefix := range []string{ErrUnreadable.Error() + ": ", "extract: "} {
		msg = strings.TrimPrefix(msg, prefix)
	}
	d.Problems = append(d.Problems, Problem{Part: part, Reason: msg, Temporary: temporary})
}

func (r *Reader) readEmail(ctx context.Context, d *Document, data []byte) {
	sw := startStopwatch()
	m, err := ParseMail(data)
	d.Timings.Decode += sw.lap()
	if err != nil {
		d.problemErr("", err)
		return
	}
	r.readMail(ctx, d, m)
}

// readMail reads the body texts and the attachments of m into d.
func (r *Reader) readMail(ctx context.Context, d *Document, m *Mail) {
	d.Email = m.Email
	d.Notes = append(d.Notes, m.Notes...)
	if m.Cut != "" {
		// What was not walked is unread, not absent: a person looks
		// (docs/architecture.md, "The path of one message").
		d.Problems = append(d.Problems, Problem{Reason: m.Cut})
	}
	var bodies []string
	for _, p := range m.Parts {
		if p.Body {
			if t := strings.TrimSpace(string(p.Data)); t != "" {
				bodies = append(bodies, t)
			}
			continue
		}
		k := Sniff(p.Data)
		switch {
		case k == KindText && strings.HasPrefix(p.Type, "text/"):
			if t := strings.TrimSpace(toUTF8(p.Data)); t != "" {
				bodies = append(bodies, t)
			}
		case k == KindText || k == KindEmail:
			// A text attachment that is not labelled text: read it as text.
			if t := strings.TrimSpace(toUTF8(p.Data)); t != "" {
				bodies = append(bodies, t)
			}
		case k == KindUnknown && isHarmlessType(p.Type):
			d.Notes = append(d.Notes, fmt.Sprintf("skipped %s (%s)", p.Name, p.Type))
		default:
			r.readPart(ctx, d, p, k)
		}
	}
	d.Body = strings.Join(bodies, "\n\n")
}

// isHarmlessType reports attachments that never carry a prescription:
// calendar invites, vCards, signatures.
func isHarmlessType(t string) bool {
	switch t {
	case "text/calendar", "text/vcard", "text/x-vcard", "application/pgp-signature",
		"application/pkcs7-signature", "application/x-pkcs7-signature", "message/delivery-status",
		"message/disposition-notification", "text/rfc822-headers":
		return true
	}
	return false
}

func toUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c) // Latin-1
	}
	return string(r)
}

// readPart reads one file or attachment of kind k into d.
func (r *Reader) readPart(ctx context.Context, d *Document, p Part, k Kind) {
	switch k {
	case KindPDF:
		r.readPDF(ctx, d, p)
	case KindTIFF:
		r.readTIFF(ctx, d, p)
	case KindPNG, KindJPEG:
		r.readImage(ctx, d, p)
	case KindText:
		d.Body = strings.TrimSpace(strings.Join([]string{d.Body, toUTF8(p.Data)}, "\n\n"))
	case KindEmail:
		r.readEmail(ctx, d, p.Data)
	case KindHEIC:
		d.problem(p.Name, false, "%s is an HEIC photo, which rxintake cannot read; ask for a PDF or JPEG", p.Name)
	default:
		d.problem(p.Name, false, "%s is not a PDF, TIFF, PNG, JPEG, email or text file", p.Name)
	}
}

// pageJob is one page waiting for OCR.
type pageJob struct {
	page *Page
	req  *ocrRequest
}

func (r *Reader) readTIFF(ctx context.Context, d *Document, p Part) {
	sw := startStopwatch()
	pages, err := readTIFFPages(p.Data, r.limits.PagesPerDocument)
	d.Timings.Decode += sw.lap()
	if err != nil {
		d.problem(p.Name, false, "%s cannot be read: %v", p.Name, err)
		return
	}
	if len(pages) > r.limits.PagesPerDocument {
		d.problem(p.Name, false, "%s has more than %d pages, the limit per document", p.Name, r.limits.PagesPerDocument)
		return
	}
	var jobs []pageJob
	for i, tp := range pages {
		pg := d.newPage(p.Name)
		px := int64(tp.Width) * int64(tp.Height)
		if tp.XRes > 0 && tp.YRes > 0 && tp.YRes < tp.XRes {
			px = px * int64(tp.XRes) / int64(tp.YRes) // after squaring the pixels
		}
		if px > r.limits.PixelsPerPage || tp.Width <= 0 || tp.Height <= 0 {
			d.pageProblem(pg, "page %d of %s is %d x %d pixels, over the limit of %d megapixels per page",
				i+1, p.Name, tp.Width, tp.Height, r.limits.PixelsPerPage/1_000_000)
			continue
		}
		jobs = append(jobs, pageJob{pg, &ocrRequest{Image: p.Data, TIFFPage: i, XRes: tp.XRes, YRes: tp.YRes}})
	}
	r.ocrPages(ctx, d, p.Name, jobs)
}

func (r *Reader) readImage(ctx context.Context, d *Document, p Part) {
	sw := startStopwatch()
	cfg, _, err := image.DecodeConfig(bytes.NewReader(p.Data))
	d.Timings.Decode += sw.lap()
	if err != nil {
		d.problem(p.Name, false, "%s cannot be read: %v", p.Name, err)
		return
	}
	if int64(cfg.Width)*int64(cfg.Height) > r.limits.PixelsPerPage {
		d.problem(p.Name, false, "%s is %d x %d pixels, over the limit of %d megapixels per page",
			p.Name, cfg.Width, cfg.Height, r.limits.PixelsPerPage/1_000_000)
		return
	}
	if d.Kind == KindEmail && cfg.Width < 300 && cfg.Height < 300 {
		// Logos and signature icons in an email are not documents.
		d.Notes = append(d.Notes, fmt.Sprintf("skipped %s: an image of %d x %d pixels is too small to be a page", p.Name, cfg.Width, cfg.Height))
		return
	}
	pg := d.newPage(p.Name)
	r.ocrPages(ctx, d, p.Name, []pageJob{{pg, &ocrRequest{Image: p.Data, TIFFPage: -1}}})
}

// pdfRenderDPI is the resolution image-only PDF pages are rendered at: the
// resolution OCR reads best at, which also squares a standard fax's pixels.
const pdfRenderDPI = targetDPI

func (r *Reader) readPDF(ctx context.Context, d *Document, p Part) {
	sw := startStopwatch()
	defer func() { d.Timings.Decode += sw.lap() }()
	dir, err := os.MkdirTemp("", "rxintake-pdf-")
	if err != nil {
		d.problemErr(p.Name, fmt.Errorf("%w: temporary directory: %v", ErrOCRTimeout, err))
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(path, p.Data, 0o600); err != nil {
		d.problemErr(p.Name, fmt.Errorf("%w: %v", ErrOCRTimeout, err))
		return
	}
	// The tools' deadline for the whole PDF; OCR has its own, per page.
	pctx, cancel := context.WithTimeout(ctx, r.limits.PDFTime)
	defer cancel()
	lim := r.toolLimits()
	info, err := probePDF(pctx, lim, path, r.limits.PagesPerDocument)
	if err != nil {
		d.problemErr(p.Name, r.pdfErr(ctx, pctx, err))
		return
	}
	if info.Pages > r.limits.PagesPerDocument {
		d.problem(p.Name, false, "%s has %d pages, over the limit of %d per document", p.Name, info.Pages, r.limits.PagesPerDocument)
		return
	}
	texts, err := pdfPageTexts(pctx, lim, path, info.Pages)
	if err != nil {
		d.problemErr(p.Name, r.pdfErr(ctx, pctx, err))
		return
	}
	ppi := pdfImagePPI(pctx, lim, path)
	d.Timings.Decode += sw.lap()
	type toRender struct {
		pg *Page
		n  int // the page's number in the PDF
	}
	var todo []toRender
	for i := range info.Pages {
		pg := d.newPage(p.Name)
		if hasTextLayer(texts[i]) {
			pg.TextLayer = true
			pg.Confidence = 1
			setPageText(pg, textLines(texts[i]))
			continue
		}
		w, h := info.Sizes[i][0], info.Sizes[i][1]
		px := int64(math.Ceil(w/72*float64(pdfRenderDPI))) * int64(math.Ceil(h/72*float64(pdfRenderDPI)))
		if w <= 0 || h <= 0 || math.IsNaN(w) || math.IsNaN(h) {
			d.pageProblem(pg, "page %d of %s has no size (its page box is damaged)", i+1, p.Name)
			continue
		}
		if px > r.limits.PixelsPerPage {
			d.pageProblem(pg, "page %d of %s is %.0f x %.0f inches, over the limit of %d megapixels per page at %d dpi",
				i+1, p.Name, w/72, h/72, r.limits.PixelsPerPage/1_000_000, pdfRenderDPI)
			continue
		}
		if res, ok := ppi[i+1]; ok && res[0] > 0 && res[1] > 0 && math.Abs(float64(res[0]-res[1])) > 0.1*float64(res[0]) {
			pg.Resampled = true // rendering squares the fax's pixels
		}
		todo = append(todo, toRender{pg, i + 1})
	}
	// Each page goes to OCR as soon as it is rendered: the next page
	// renders while a worker reads it.
	b := r.newBatch(ctx, d, p.Name)
	for k, t := range todo {
		pg, n := t.pg, t.n
		sw.lap()
		img, err := renderPDFPage(pctx, lim, dir, path, n, pdfRenderDPI)
		render := sw.lap()
		slog.Debug("pdf page rendered", "page", n, "seconds", render.Seconds())
		b.mu.Lock()
		d.Timings.Render += render
		if err != nil {
			d.problemErr(p.Name, fmt.Errorf("page %d: %w", n, r.pdfErr(ctx, pctx, err)))
			pg.Unreadable = d.Problems[len(d.Problems)-1].Reason
			if pctx.Err() != nil {
				// Out of time for this PDF: the pages left are not rendered.
				for _, t := range todo[k+1:] {
					t.pg.Unreadable = pg.Unreadable
				}
				b.mu.Unlock()
				break
			}
		}
		b.mu.Unlock()
		if err == nil {
			b.add(pageJob{pg, &ocrRequest{Image: img, TIFFPage: -1, XRes: pdfRenderDPI, YRes: pdfRenderDPI}})
		}
	}
	b.wait()
	sw.lap() // the OCR stages are the workers'
}

// toolLimits are the limits of one poppler call. A rendered page (PGM, a
// byte a pixel) is the largest file a tool writes.
func (r *Reader) toolLimits() toolLimits {
	return toolLimits{Time: r.limits.PDFToolTime, Memory: r.limits.PDFToolMemory,
		FileSize: r.limits.PixelsPerPage + 1<<20, Output: r.limits.PDFToolOutput}
}

// pdfErr reports a call cut short by the deadline of the whole PDF (pctx,
// under ctx) as that limit; a cancelled ctx stays what it is.
func (r *Reader) pdfErr(ctx, pctx context.Context, err error) error {
	if ctx.Err() == nil && pctx.Err() != nil && !errors.Is(err, ErrPDFLimit) {
		return &limitError{msg: fmt.Sprintf("reading the PDF exceeded its time limit of %s per document", r.limits.PDFTime)}
	}
	return err
}

// hasTextLayer reports whether a PDF page's text layer carries real text
// (an EHR order) rather than nothing or a stray mark (a scanned fax).
func hasTextLayer(s string) bool {
	n := 0
	for _, c := range s {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			n++
		}
	}
	return n >= 40
}

func (d *Document) newPage(source string) *Page {
	pg := &Page{Number: len(d.Pages) + 1, Source: source}
	d.Pages = append(d.Pages, pg)
	return pg
}

// ocrPages recognises the pages of one part concurrently, as many at a time
// as the pool has workers.
func (r *Reader) ocrPages(ctx context.Context, d *Document, source string, jobs []pageJob) {
	b := r.newBatch(ctx, d, source)
	for _, j := range jobs {
		b.add(j)
	}
	b.wait()
}

// ocrBatch recognises the pages of one part as they are added, as many at
// a time as the pool has workers, and fills them in on the document. While
// a batch runs, whoever else changes the document holds mu.
//
// A batch holds at most one page more than the pool has workers: add waits
// for a page to be read before it takes another, so that a PDF's pages are
// rendered only as fast as they are read and the memory of a document does
// not grow with its page count (docs/performance.md, "Memory").
type ocrBatch struct {
	r        *Reader
	ctx      context.Context
	d        *Document
	source   string
	wg       sync.WaitGroup
	mu       sync.Mutex
	inFlight chan struct{} // a token per page added and not yet read
}

func (r *Reader) newBatch(ctx context.Context, d *Document, source string) *ocrBatch {
	return &ocrBatch{r: r, ctx: ctx, d: d, source: source, inFlight: make(chan struct{}, cap(r.ocr.idle)+1)}
}

// add starts the recognition of one page, once fewer pages than the
// batch's bound are being read.
func (b *ocrBatch) add(j pageJob) {
	j.req.WantImage = b.r.KeepImages
	j.req.MaxPixels = b.r.limits.PixelsPerPage
	b.inFlight <- struct{}{}
	b.wg.Go(func() {
		defer func() { <-b.inFlight }()
		res, err := b.r.ocr.page(b.ctx, j.req)
		j.req = nil // the page's image goes with its request
		b.mu.Lock()
		defer b.mu.Unlock()
		d := b.d
		if res != nil {
			d.Timings.Add(res.Timings)
		}
		switch {
		case err != nil:
			d.problemErr(b.source, fmt.Errorf("page %d: %w", j.page.Number, err))
			j.page.Unreadable = d.Problems[len(d.Problems)-1].Reason
		case res.Err != "":
			d.pageProblem(j.page, "page %d of %s cannot be read: %s", j.page.Number, b.source, res.Err)
		default:
			fillPage(j.page, res)
		}
	})
}

// wait returns when every page added has been read.
func (b *ocrBatch) wait() { b.wg.Wait() }

// pageProblem records why a page could not be read, on the page and on the
// document.
func (d *Document) pageProblem(pg *Page, format string, args ...any) {
	d.problem(pg.Source, false, format, args...)
	pg.Unreadable = d.Problems[len(d.Problems)-1].Reason
}

func fillPage(pg *Page, res *ocrResult) {
	pg.Width, pg.Height, pg.DPI = res.Width, res.Height, res.DPI
	pg.Rotation, pg.Skew = res.Rotation, res.Skew
	pg.Resampled = pg.Resampled || res.Resampled
	pg.Words, pg.Image, pg.Seconds = res.Words, res.Image, res.Seconds
	lines := groupLines(res.Words)
	// The transmit header is the first line, printed in the top strip.
	if len(lines) > 0 && lines[0].Box.Min.Y < res.Height/12 {
		if h, ok := parseFaxHeader(lines[0].Text); ok {
			pg.Header = h
			lines = lines[1:]
		}
	}
	pg.Lines = lines
	var sum float64
	var n int
	for _, l := range lines {
		for _, w := range l.Words {
			sum += w.Conf
			n++
		}
	}
	if n > 0 {
		pg.Confidence = math.Round(sum/float64(n)) / 100
	}
	pg.Text = joinLines(lines)
	pg.CoverSheet = isCoverSheet(pg.Text)
}

// setPageText fills a text-layer page from its lines.
func setPageText(pg *Page, lines []Line) {
	if len(lines) > 0 {
		if h, ok := parseFaxHeader(lines[0].Text); ok {
			pg.Header = h
			lines = lines[1:]
		}
	}
	pg.Lines = lines
	pg.Text = joinLines(lines)
	pg.CoverSheet = isCoverSheet(pg.Text)
}

func textLines(s string) []Line {
	var out []Line
	for l := range strings.SplitSeq(s, "\n") {
		l = strings.TrimRight(l, " \t\r")
		if strings.TrimSpace(l) != "" {
			out = append(out, Line{Text: strings.TrimSpace(l), Conf: 100})
		}
	}
	return out
}

// groupLines assembles Tesseract's words into lines in reading order.
func groupLines(words []Word) []Line {
	type key struct{ b, p, l int }
	idx := map[key]int{}
	var lines []Line
	for _, w := range words {
		k := key{w.Block, w.Par, w.Line}
		i, ok := idx[k]
		if !ok {
			i = len(lines)
			idx[k] = i
			lines = append(lines, Line{Box: w.Box})
		}
		l := &lines[i]
		l.Words = append(l.Words, w)
		l.Box = l.Box.Union(w.Box)
	}
	for i := range lines {
		l := &lines[i]
		sort.SliceStable(l.Words, func(a, b int) bool { return l.Words[a].Box.Min.X < l.Words[b].Box.Min.X })
		var parts []string
		var sum float64
		for _, w := range l.Words {
			parts = append(parts, w.Text)
			sum += w.Conf
		}
		l.Text = strings.Join(parts, " ")
		l.Conf = sum / float64(len(l.Words))
	}
	return lines
}

func joinLines(lines []Line) string {
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = l.Text
	}
	return strings.Join(parts, "\n")
}

// faxNumber is the sender's number most pages' transmit headers agree on.
func faxNumber(pages []*Page) string {
	count := map[string]int{}
	best := ""
	for _, p := range pages {
		if p.Header != nil && p.Header.SenderNumber != "" {
			n := p.Header.SenderNumber
			count[n]++
			if count[n] > count[best] {
				best = n
			}
		}
	}
	return best
}
