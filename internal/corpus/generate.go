package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"strings"
	"time"
)

// Media is how a document travels: the file it arrives as and what the trip
// does to it.
type Media string

// The media.
const (
	MediaFaxFine     Media = "fax-tiff-fine"     // TIFF class F, G4, 204x196 dpi
	MediaFaxStandard Media = "fax-tiff-standard" // TIFF class F, G4, 204x98 dpi
	MediaFaxPDF      Media = "fax-pdf"           // image-only PDF of G4 fax pages
	MediaTextPDF     Media = "text-pdf"          // PDF with text (printed to PDF)
	MediaScanPNG     Media = "scan-png"          // flatbed scan, 300 dpi grayscale
	MediaScanPDF     Media = "scan-pdf"          // flatbed scan as a JPEG (DCTDecode) in a PDF
	MediaPhotoJPEG   Media = "photo-jpeg"        // phone photo, skewed, uneven light
	MediaFaxEmail    Media = "eml-fax"           // fax-to-email notification, fax attached as octet-stream
	MediaScanEmail   Media = "eml-scan"          // email with a phone photo attached
	MediaPlainEmail  Media = "eml-plain"         // text/plain body, quoted-printable
	MediaHTMLEmail   Media = "eml-html"          // text/html body only
	MediaText        Media = "txt"               // plain text file
)

// Ext is the file name extension of a medium.
func (m Media) Ext() string {
	switch m {
	case MediaFaxFine, MediaFaxStandard:
		return ".tif"
	case MediaFaxPDF, MediaTextPDF, MediaScanPDF:
		return ".pdf"
	case MediaScanPNG:
		return ".png"
	case MediaPhotoJPEG:
		return ".jpg"
	case MediaFaxEmail, MediaScanEmail, MediaPlainEmail, MediaHTMLEmail:
		return ".eml"
	}
	return ".txt"
}

// Spec says what document to generate. The content (names, codes, wording)
// follows from Seed; the rest fixes how it is laid out and delivered.
type Spec struct {
	Name    string // file name without extension; "" names it by layout, medium and seed
	Seed    uint64
	Layout  Layout
	Media   Media
	Font    string // printed typeface: a name of Fonts()
	Hand    string // handwriting font: a name of HandFonts()
	Tier    string // TierTyped (default) or TierHandwriting: values filled in by hand
	Family  string // wording family, a name of FamilyNames; "" is "house"
	Cover   bool   // faxes: a cover sheet first
	Defects []Defect
	Angle   float64 // scans and photos: rotation in degrees; 0 draws one
	Attach  string  // eml-fax: "pdf" or "tiff"; "" draws one
	Clean   bool    // faxes: no skew or speckle
	Quality int     // photos: JPEG quality; 0 draws one
}

// File is a generated document and its truth.
type File struct {
	Name  string // base name with extension
	Data  []byte
	Truth Truth
}

// Fonts returns the printed typefaces a Spec may name.
func Fonts() []string {
	var out []string
	for _, f := range families {
		out = append(out, f.name)
	}
	return out
}

// HandFonts returns the handwriting fonts a Spec may name.
func HandFonts() []string {
	var out []string
	for _, f := range handFamilies {
		out = append(out, f.name)
	}
	return out
}

// ErrSpec reports a spec that cannot be generated.
var ErrSpec = errors.New("corpus: bad spec")

// Generate makes one document.
func Generate(spec Spec) (*File, error) { return generate(spec, nil) }

// generate makes a document, letting tweak change the drawn content before
// it is laid out (the named fixtures fix their names and numbers this way).
func generate(spec Spec, tweak func(*content)) (*File, error) {
	spec = spec.withDefaults()
	if _, ok := wordingFamilyByName(spec.Family); !ok {
		return nil, fmt.Errorf("%w: no wording family %q", ErrSpec, spec.Family)
	}
	if spec.Media == MediaTextPDF {
		if f, _ := familyByName(spec.Font); f.pdf == "" {
			return nil, fmt.Errorf("%w: text PDFs use a family with standard-font metrics, not %q", ErrSpec, spec.Font)
		}
		if spec.Tier == TierHandwriting {
			return nil, fmt.Errorf("%w: a text PDF has no handwriting", ErrSpec)
		}
	}
	if textOnly(spec.Media) && spec.Layout != LayoutLetter && spec.Layout != LayoutEmail && spec.Media != MediaTextPDF {
		return nil, fmt.Errorf("%w: layout %s does not go in %s", ErrSpec, spec.Layout, spec.Media)
	}
	if spec.Layout == LayoutEmail && !textOnly(spec.Media) {
		return nil, fmt.Errorf("%w: an email body goes in a text medium, not %s", ErrSpec, spec.Media)
	}
	g, sheets, err := compose(spec, tweak)
	if err != nil {
		return nil, err
	}
	c, fs := g.c, g.fs
	data, pages, err := g.media(sheets)
	if err != nil {
		return nil, err
	}
	name := spec.Name
	if name == "" {
		name = fmt.Sprintf("%s-%s-%016x", spec.Layout, spec.Media, spec.Seed)
	}
	name += spec.Media.Ext()
	p := c.prescription()
	findings := c.findings(p)
	if findings == nil {
		findings = []Finding{}
	}
	t := Truth{
		File: name, Status: status(findings), Pages: pages, Prescription: p, Findings: findings,
		AsOf: c.received.Format(time.DateOnly), CodeSet: CodeSet, Tier: c.tier, Layout: string(spec.Layout), Media: string(spec.Media),
		Font: fs.name(), Cover: g.cover, Sender: g.sender, Seed: spec.Seed, Family: spec.Family, HeldOut: c.fam.heldOut,
	}
	if spec.Media == MediaTextPDF {
		t.Font = standard14[fs.family.pdf][0]
	}
	if !textOnly(spec.Media) && (c.tier == TierHandwriting || c.sig == sigWet) {
		t.Hand = fs.hand.name
	}
	if err := t.Check(); err != nil {
		return nil, fmt.Errorf("corpus: generated truth of %s: %w", name, err)
	}
	return &File{Name: name, Data: data, Truth: t}, nil
}

// withDefaults fills in the typefaces a spec leaves out.
func (s Spec) withDefaults() Spec {
	if s.Font == "" {
		s.Font = "Liberation Sans"
	}
	if s.Hand == "" {
		s.Hand = "DkgHandwriting"
	}
	return s
}

// compose draws the content of a spec and lays it out.
func compose(spec Spec, tweak func(*content)) (*render, []sheet, error) {
	spec = spec.withDefaults()
	r := rand.New(rand.NewPCG(spec.Seed, 0x7278636f72707573))
	c := newContent(r, spec)
	if tweak != nil {
		tweak(c)
	}
	fs, err := newFontSet(spec.Font, spec.Hand)
	if err != nil {
		return nil, nil, err
	}
	w := newWording(r, c)
	return &render{spec: spec, c: c, w: w, fs: fs, r: r}, w.sheets(spec.Layout), nil
}

// render delivers the sheets of one document in its medium.
type render struct {
	spec   Spec
	c      *content
	w      *wording
	fs     *fontSet
	r      *rand.Rand
	cover  bool
	sender *Sender
}

func (g *render) media(sheets []sheet) (data []byte, pages int, err error) {
	c, r, spec := g.c, g.r, g.spec
	info := pdfInfo{title: "", producer: "", creator: "", created: c.received}
	switch spec.Media {
	case MediaFaxFine, MediaFaxStandard:
		imgs := g.fax(sheets, spec.Media == MediaFaxStandard)
		yres := faxFineRes
		if spec.Media == MediaFaxStandard {
			yres = faxStdRes
		}
		data, err = FaxTIFF(imgs, faxXRes, yres)
		return data, len(imgs), err
	case MediaFaxPDF:
		imgs := g.fax(sheets, chance(r, 0.2))
		info.producer = pick(r, []string{"eFax Messenger", "RingCentral Fax", "HylaFAX", "SRFax PDF Generator"})
		info.title = "Fax"
		return faxPDF(imgs, faxXRes, faxYRes(imgs), info), len(imgs), nil
	case MediaTextPDF:
		pp := flow(sheets, g.fs)
		info.producer = pick(r, []string{"Microsoft: Print To PDF", "Skia/PDF m118", "EHR Document Services", "macOS Quartz PDFContext"})
		info.creator = pick(r, []string{"Ambulatory Orders", "Chart Print", "Order Requisition"})
		info.title = "Order"
		return textPDF(pp, g.fs.family, info), len(pp), nil
	case MediaScanPNG:
		img, err := g.scan(sheets, false)
		if err != nil {
			return nil, 0, err
		}
		var b bytes.Buffer
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, img)
		return b.Bytes(), 1, err
	case MediaScanPDF:
		img, err := g.scan(sheets, false)
		if err != nil {
			return nil, 0, err
		}
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
			return nil, 0, err
		}
		info.producer = pick(r, []string{"Canon iR-ADV C5535", "HP Scan", "Xerox WorkCentre", "Brother MFC-L2750DW"})
		return scanPDF(b.Bytes(), img.Bounds().Dx(), img.Bounds().Dy(), 300, info), 1, nil
	case MediaPhotoJPEG:
		b, err := g.photo(sheets)
		return b, 1, err
	case MediaFaxEmail:
		return g.faxEmail(sheets)
	case MediaScanEmail:
		jpg, err := g.photo(sheets)
		if err != nil {
			return nil, 0, err
		}
		m := g.officeMail(sheets)
		m.text = pick(r, []string{"Please see attached prescription.", "Attached is the Rx for our patient.", "Order attached, thank you.",
			"Sent from my iPhone"}) + "\n\n" + c.staff + "\n" + c.practice.name + "\n"
		name := pick(r, []string{"IMG_%04d.jpg", "Scan_%04d.jpg", "scan%04d.jpeg", "image%04d.JPG"})
		m.attach = &attachment{name: fmt.Sprintf(name, 1000+r.IntN(9000)), ctype: "image/jpeg", data: jpg}
		return m.bytes(), 1, nil
	case MediaPlainEmail:
		m := g.officeMail(sheets)
		m.text = sheetText(sheets)
		return m.bytes(), 0, nil
	case MediaHTMLEmail:
		m := g.officeMail(sheets)
		m.html = sheetHTML(sheets, pick(r, []string{"Calibri", "Arial", "Verdana", "Aptos"}))
		return m.bytes(), 0, nil
	case MediaText:
		return []byte(sheetText(sheets)), 0, nil
	}
	return nil, 0, fmt.Errorf("%w: unknown medium %q", ErrSpec, spec.Media)
}

func faxYRes(imgs []*image.Gray) int {
	if len(imgs) > 0 && imgs[0].Bounds().Dy() < faxRowsFine {
		return faxStdRes
	}
	return faxFineRes
}

// fax sends the sheets: an optional cover sheet, then the pages, each with
// the machine's transmit header.
func (g *render) fax(sheets []sheet, standard bool) []*image.Gray {
	c, r := g.c, g.r
	pages := flow(sheets, g.fs)
	if g.spec.Cover {
		pages = append(flow([]sheet{g.w.cover(len(pages) + 1)}, g.fs), pages...)
		g.cover = true
	}
	style := r.IntN(6)
	o := faxOpts{standard: standard}
	if !g.spec.Clean {
		o.skew = (r.Float64()*2 - 1) * 1.2
		o.speckle = r.Float64() * 4e-5
		o.jitter = r.IntN(30)
	}
	g.sender = &Sender{Fax: c.fax, Name: c.practice.csid}
	var imgs []*image.Gray
	for i, p := range pages {
		t := c.received.Add(time.Duration(i*(20+r.IntN(20))) * time.Second)
		h := faxHeader(style, t, c.practice.csid, c.fax, c.clinic.fax, i+1, len(pages))
		imgs = append(imgs, faxPage(g.fs, p, h, o, r))
	}
	return imgs
}

// fitOnePage flows the sheets onto one page, shrinking the type when they
// overflow: a scan or photo shows a single page.
func (g *render) fitOnePage(sheets []sheet) (page, error) {
	for try := 0; try < 6; try++ {
		pages := flow(sheets, g.fs)
		if len(pages) == 1 {
			return pages[0], nil
		}
		for i := range sheets {
			sh := &sheets[i]
			sh.body *= 0.9
			sh.top *= 0.85
			sh.bottom *= 0.85
			for j := range sh.blocks {
				sh.blocks[j].size *= 0.9
				sh.blocks[j].before *= 0.8
			}
		}
	}
	return page{}, fmt.Errorf("%w: %s does not fit one page", ErrSpec, g.spec.Layout)
}

// scan renders the sheets at 300 dpi, as a flatbed scanner (photo false) or
// a phone camera sees them.
func (g *render) scan(sheets []sheet, photo bool) (*image.Gray, error) {
	r := g.r
	p, err := g.fitOnePage(sheets)
	if err != nil {
		return nil, err
	}
	img := renderPage(g.fs, p, 300, 2550, 3300)
	sign := 1.0
	if r.IntN(2) == 0 {
		sign = -1
	}
	o := scanOpts{angle: sign * (0.2 + r.Float64()*0.8), scale: 1, bg: 0xff, paper: 244 + r.Float64()*8, ink: 15 + r.Float64()*20,
		light: r.Float64() * 0.15, quantize: 16, dustSpecs: 20 + r.IntN(60)}
	if photo {
		o = scanOpts{angle: sign * (1 + r.Float64()*3), scale: 0.9 + r.Float64()*0.07, bg: uint8(40 + r.IntN(60)), paper: 205 + r.Float64()*30,
			ink: 30 + r.Float64()*30, light: 0.3 + r.Float64()*0.7, noise: 1.5 + r.Float64()*1.5, blur: true}
	}
	if g.spec.Angle != 0 {
		o.angle = g.spec.Angle
	}
	return scanPage(img, o, r), nil
}

func (g *render) photo(sheets []sheet) ([]byte, error) {
	img, err := g.scan(sheets, true)
	if err != nil {
		return nil, err
	}
	q := g.spec.Quality
	if q == 0 {
		q = 72 + g.r.IntN(14)
	}
	var b bytes.Buffer
	err = jpeg.Encode(&b, img, &jpeg.Options{Quality: q})
	return b.Bytes(), err
}

// officeMail is an email from the practice's staff to the clinic.
func (g *render) officeMail(sheets []sheet) message {
	c, r := g.c, g.r
	addr := fmt.Sprintf("%s@%s", pick(r, []string{"referrals", "frontdesk", "orders", "nurse", "office"}), c.practice.domain)
	g.sender = &Sender{Email: addr}
	subjects := []string{"Referral", "Therapy order", "Prescription", "New referral", "Order for your office"}
	if len(c.fam.subjects) > 0 {
		subjects = c.fam.subjects
	}
	subject := pick(r, subjects)
	if !c.noPatient && r.IntN(2) == 0 {
		subject += pick(r, []string{" - ", " for ", ": "}) + c.patient.first + " " + c.patient.last
	}
	if c.mailSubject != "" {
		subject = c.mailSubject
	}
	return message{
		from:    fmt.Sprintf("\"%s - %s\" <%s>", c.staff, c.practice.name, addr),
		to:      fmt.Sprintf("\"%s\" <%s>", c.clinic.name, c.clinic.email),
		subject: subject,
		date:    c.received,
		id:      fmt.Sprintf("%016x.%d@%s", g.spec.Seed, c.received.Unix(), c.practice.domain),
	}
}

// faxEmail is a fax-to-email notification with the fax attached as
// application/octet-stream under a misleading or missing file name.
func (g *render) faxEmail(sheets []sheet) ([]byte, int, error) {
	c, r, spec := g.c, g.r, g.spec
	imgs := g.fax(sheets, chance(r, 0.25))
	attach := spec.Attach
	if attach == "" {
		attach = pick(r, []string{"pdf", "pdf", "pdf", "tiff"})
	}
	stamp := c.received.Format("20060102_150405")
	var a attachment
	a.ctype = "application/octet-stream"
	switch attach {
	case "pdf":
		a.data = faxPDF(imgs, faxXRes, faxYRes(imgs), pdfInfo{title: "Fax", producer: "Fax to Email Gateway", created: c.received})
		a.name = pick(r, []string{"fax_" + stamp + ".tif", "", "FAX" + stamp[9:], "document.bin", stamp + ".dat"})
	case "tiff":
		var err error
		if a.data, err = FaxTIFF(imgs, faxXRes, faxYRes(imgs)); err != nil {
			return nil, 0, err
		}
		a.name = pick(r, []string{"fax_" + stamp + ".pdf", "", "image001", "fax.dat"})
	default:
		return nil, 0, fmt.Errorf("%w: attachment %q", ErrSpec, attach)
	}
	if c.attachName != nil {
		a.name = *c.attachName
	}
	n := len(imgs)
	from := c.fax
	dashed := from[:3] + "-" + from[3:6] + "-" + from[6:]
	svc := pick(r, []struct{ name, addr string }{
		{"eFax", "message@inbound.efax.example"}, {"RingCentral", "service@ringcentral.example"},
		{"Fax Service", "noreply@faxmail.example"}, {"SRFax", "faxes@srfax.example"},
	})
	subject := pick(r, []string{
		"New fax received from " + from,
		fmt.Sprintf("eFax from %s - %d page(s), caller ID: %s", c.practice.csid, n, dashed),
		"Fax received from " + c.practice.csid,
		"Fax Message [Caller-ID: " + from + "]",
		fmt.Sprintf("[Fax] %d page(s) from (%s) %s-%s", n, from[:3], from[3:6], from[6:]),
	})
	if c.mailSubject != "" {
		subject = c.mailSubject
	}
	text := fmt.Sprintf("You have received a %d page fax from %s.\n\nReceived: %s\nPages: %d\nCaller ID: %s\nRemote CSID: %s\n\n"+
		"The fax is attached to this message.\n\n--\nThis message was sent by %s. Please do not reply.\n",
		n, dashed, c.received.Format("01/02/2006 3:04 PM"), n, from, c.practice.csid, svc.name)
	m := message{
		from:    fmt.Sprintf("\"%s\" <%s>", svc.name, svc.addr),
		to:      c.clinic.email,
		subject: subject,
		date:    c.received.Add(time.Minute),
		id:      fmt.Sprintf("fax.%016x@%s", spec.Seed, svc.addr[strings.IndexByte(svc.addr, '@')+1:]),
		text:    text,
		attach:  &a,
	}
	g.sender = &Sender{Fax: from, Name: c.practice.csid, Email: svc.addr}
	return m.bytes(), n, nil
}
