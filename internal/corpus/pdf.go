package corpus

import (
	"bytes"
	"fmt"
	"image"
	"strings"
	"time"
)

// pdfDoc assembles a PDF 1.4 file object by object and writes it with a
// cross-reference table.
type pdfDoc struct {
	objs [][]byte // object n is objs[n-1]
}

// reserve allocates an object number whose body is set later.
func (d *pdfDoc) reserve() int {
	d.objs = append(d.objs, nil)
	return len(d.objs)
}

func (d *pdfDoc) set(n int, body string) { d.objs[n-1] = []byte(body) }

func (d *pdfDoc) add(body string) int {
	n := d.reserve()
	d.set(n, body)
	return n
}

// addStream adds a stream object; dict holds the entries besides /Length.
func (d *pdfDoc) addStream(dict string, data []byte) int {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<< %s /Length %d >>\nstream\n", dict, len(data))
	b.Write(data)
	b.WriteString("\nendstream")
	n := d.reserve()
	d.objs[n-1] = b.Bytes()
	return n
}

// pdfInfo is the document information dictionary.
type pdfInfo struct {
	title, producer, creator string
	created                  time.Time
}

func (d *pdfDoc) bytes(root int, info pdfInfo) []byte {
	infoN := d.add(fmt.Sprintf("<< /Title %s /Producer %s /Creator %s /CreationDate (D:%s-05'00') >>",
		pdfString(info.title), pdfString(info.producer), pdfString(info.creator), info.created.Format("20060102150405")))
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(d.objs))
	for i, o := range d.objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", i+1)
		b.Write(o)
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(d.objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(d.objs)+1, root, infoN, xref)
	return b.Bytes()
}

// pages adds the catalog and page tree over page objects made by mk, which
// gets the page tree's object number.
func (d *pdfDoc) pages(n int, mk func(i, parent int) int) int {
	catalog := d.reserve()
	tree := d.reserve()
	var kids []string
	for i := 0; i < n; i++ {
		kids = append(kids, fmt.Sprintf("%d 0 R", mk(i, tree)))
	}
	d.set(tree, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n))
	d.set(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", tree))
	return catalog
}

// FaxPDF writes bilevel fax pages as an image-only PDF, the way fax services
// deliver faxes: one CCITT G4 image XObject (CCITTFaxDecode, K -1) per page,
// each page as large as its image at xres by yres dots per inch.
func FaxPDF(pages []*image.Gray, xres, yres int) []byte {
	return faxPDF(pages, xres, yres, pdfInfo{producer: "rxintake corpus"})
}

func faxPDF(pages []*image.Gray, xres, yres int, info pdfInfo) []byte {
	d := &pdfDoc{}
	root := d.pages(len(pages), func(i, parent int) int {
		img := pages[i]
		w, h := img.Bounds().Dx(), img.Bounds().Dy()
		im := d.addStream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1 "+
			"/Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns %d /Rows %d /BlackIs1 false >>", w, h, w, h), EncodeG4(img))
		pw, ph := float64(w)*72/float64(xres), float64(h)*72/float64(yres)
		content := d.addStream("", fmt.Appendf(nil, "q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", pw, ph))
		return d.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>",
			parent, pw, ph, im, content))
	})
	return d.bytes(root, info)
}

// ScanPDF writes a grayscale JPEG of w by h pixels at dpi as a one-page PDF
// (DCTDecode), the way a scanner emails a scan.
func ScanPDF(jpg []byte, w, h, dpi int) []byte {
	return scanPDF(jpg, w, h, dpi, pdfInfo{producer: "rxintake corpus"})
}

func scanPDF(jpg []byte, w, h, dpi int, info pdfInfo) []byte {
	d := &pdfDoc{}
	root := d.pages(1, func(_, parent int) int {
		im := d.addStream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", w, h), jpg)
		pw, ph := float64(w)*72/float64(dpi), float64(h)*72/float64(dpi)
		content := d.addStream("", fmt.Appendf(nil, "q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", pw, ph))
		return d.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>",
			parent, pw, ph, im, content))
	})
	return d.bytes(root, info)
}

// standard14 names the base fonts of a family's regular, bold, italic faces.
var standard14 = map[string][3]string{
	"Helvetica": {"Helvetica", "Helvetica-Bold", "Helvetica-Oblique"},
	"Times":     {"Times-Roman", "Times-Bold", "Times-Italic"},
	"Courier":   {"Courier", "Courier-Bold", "Courier-Oblique"},
}

// textPDF writes placed pages as a text PDF (an EHR's "print to PDF"): the
// standard fonts of the family with WinAnsiEncoding, so that text
// extraction finds the words; ink as vector strokes.
func textPDF(pages []page, fam family, info pdfInfo) []byte {
	names, ok := standard14[fam.pdf]
	if !ok {
		names = standard14["Helvetica"]
	}
	d := &pdfDoc{}
	var fonts []int
	for _, n := range append(names[:], "Courier-Bold") {
		fonts = append(fonts, d.add(fmt.Sprintf("<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>", n)))
	}
	res := fmt.Sprintf("<< /Font << /F1 %d 0 R /F2 %d 0 R /F3 %d 0 R /F4 %d 0 R >> /ProcSet [/PDF /Text] >>", fonts[0], fonts[1], fonts[2], fonts[3])
	root := d.pages(len(pages), func(i, parent int) int {
		content := d.addStream("", pdfContent(pages[i]))
		return d.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %d 0 R >>", parent, res, content))
	})
	return d.bytes(root, info)
}

func pdfContent(p page) []byte {
	var b bytes.Buffer
	y := func(v float64) float64 { return pageH - v }
	for _, it := range p.items {
		switch it.kind {
		case itemText:
			f := pdfFont(it.role)
			fmt.Fprintf(&b, "BT /%s %.2f Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET\n", f, it.size, it.x, y(it.y), pdfString(it.text))
		case itemLine:
			fmt.Fprintf(&b, "%.2f w %.2f %.2f m %.2f %.2f l S\n", it.w, it.x, y(it.y), it.x2, y(it.y2))
		case itemBox:
			fmt.Fprintf(&b, "0.8 w %.2f %.2f %.2f %.2f re S\n", it.x, y(it.y+it.w), it.w, it.w)
			if it.seed != 0 {
				s := it.w
				fmt.Fprintf(&b, "1.2 w %.2f %.2f m %.2f %.2f l S %.2f %.2f m %.2f %.2f l S\n",
					it.x+s*0.15, y(it.y+s*0.15), it.x+s*0.85, y(it.y+s*0.85), it.x+s*0.85, y(it.y+s*0.15), it.x+s*0.15, y(it.y+s*0.85))
			}
		case itemInk:
			fmt.Fprintf(&b, "1 J 1 j %.2f w\n", it.w)
			for _, s := range it.ink {
				for k, pt := range s {
					op := "l"
					if k == 0 {
						op = "m"
					}
					fmt.Fprintf(&b, "%.2f %.2f %s ", pt.x, y(pt.y), op)
				}
				b.WriteString("S\n")
			}
		}
	}
	return b.Bytes()
}

// pdfFont names the font resource of a role in a text PDF; hand roles,
// which a text PDF does not carry, fall back to italic.
func pdfFont(ro role) string {
	switch ro {
	case roleBold:
		return "F2"
	case roleItalic, roleHand, roleSign:
		return "F3"
	case roleMono:
		return "F4"
	}
	return "F1"
}

// winAnsi maps the few non-Latin-1 runes the generator prints.
var winAnsi = map[rune]byte{'–': 0x96, '—': 0x97, '•': 0x95, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94}

// pdfString writes s as a literal string in WinAnsiEncoding.
func pdfString(s string) string {
	s = strings.ReplaceAll(s, "℞", "Rx")
	var b strings.Builder
	b.WriteByte('(')
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r >= 0xa0 && r <= 0xff:
			fmt.Fprintf(&b, "\\%03o", r)
		case winAnsi[r] != 0:
			fmt.Fprintf(&b, "\\%03o", winAnsi[r])
		default:
			b.WriteByte('?')
		}
	}
	b.WriteByte(')')
	return b.String()
}
