package corpus

import (
	"strings"
)

// A sheet is a document page's content before it is placed: a list of
// blocks that flow top to bottom (onto more pages when they overflow). Every
// medium renders from sheets: images and PDFs place them with flow, text
// media write them with sheetText or sheetHTML.
type sheet struct {
	blocks                   []block
	left, right, top, bottom float64 // margins, points
	body                     float64 // default text size, points
	frame                    bool    // a printed frame around the content (Rx pad)
}

type blockKind uint8

const (
	blockText blockKind = iota // a paragraph, wrapped
	blockRow                   // cells on one line (form fields, two-column headers)
	blockRule                  // a horizontal line across the content
	blockSign                  // the signature place
)

type align uint8

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

type block struct {
	kind   blockKind
	text   string
	role   role
	size   float64 // points; 0 is the sheet's body size
	align  align
	indent float64 // points from the left margin
	before float64 // extra space above, points
	cells  []cell
	sig    *sigBlock
	para   bool // text media: a paragraph of prose (blank line around it)
}

// cell is one labelled slot of a row.
type cell struct {
	at        float64 // left edge as a fraction of the content width
	label     string
	labelRole role
	value     string
	valueRole role
	line      bool // underline the value slot up to the next cell
	box       int  // 1: an empty checkbox before the label, 2: a ticked one
}

type sigKind uint8

const (
	sigWet sigKind = iota
	sigElectronic
	sigTyped // a typed name where the signature goes: not a signature
	sigBlank
	sigStamp // "Signature on file": not accepted
)

// sigBlock is the signature place. Ink is drawn for sigWet; statement is the
// electronic-signature sentence; name is typed below the line.
type sigBlock struct {
	kind      sigKind
	label     string // "Signature:" before the line, or ""
	name      string // typed under (sigTyped: on) the line
	statement string
	inkName   string // what the prescriber writes
	seed      uint64 // shape of the ink
	date      string // "Date: ..." at the right of the line, or ""
}

func textBlock(ro role, size float64, s string) block {
	return block{kind: blockText, role: ro, size: size, text: s}
}

// item is a placed mark on a page, in points from the top-left corner.
type itemKind uint8

const (
	itemText itemKind = iota
	itemLine
	itemInk
	itemBox // a checkbox square, ticked when seed != 0
)

type point struct{ x, y float64 }

type item struct {
	kind   itemKind
	x, y   float64 // text: start of the baseline; line: one end; box: top-left
	x2, y2 float64 // line: the other end
	w      float64 // line width or ink pen width; box side
	text   string
	role   role
	size   float64
	ink    [][]point
	seed   uint64 // jitter of hand text, tick of a box
}

type page struct {
	items []item
}

// Letter paper in points.
const (
	pageW = 612.0
	pageH = 792.0
)

// flow places sheets onto pages.
func flow(sheets []sheet, fs *fontSet) []page {
	var pages []page
	for _, sh := range sheets {
		pages = append(pages, flowSheet(sh, fs)...)
	}
	return pages
}

func flowSheet(sh sheet, fs *fontSet) []page {
	f := &flower{sh: sh, fs: fs, y: sh.top}
	f.pages = []page{{}}
	width := pageW - sh.left - sh.right
	for _, b := range sh.blocks {
		size := b.size
		if size == 0 {
			size = sh.body
		}
		f.y += b.before
		switch b.kind {
		case blockText:
			x0 := sh.left + b.indent
			for _, line := range wrap(fs, b.role, size, b.text, width-b.indent) {
				f.need(size * 1.3)
				w := fs.measure(b.role, size, line)
				x := x0
				switch b.align {
				case alignCenter:
					x = sh.left + (width-w)/2
				case alignRight:
					x = pageW - sh.right - w
				}
				f.add(item{kind: itemText, x: x, y: f.y + size, text: line, role: b.role, size: size, seed: hashString(line)})
				f.y += size * 1.3
			}
		case blockRow:
			f.need(size * 1.7)
			f.row(b, size, width)
			f.y += size * 1.7
		case blockRule:
			f.need(size * 0.8)
			f.add(item{kind: itemLine, x: sh.left, y: f.y + size*0.4, x2: pageW - sh.right, y2: f.y + size*0.4, w: 1})
			f.y += size * 0.8
		case blockSign:
			f.need(size * 5)
			f.sign(b, size)
		}
	}
	if sh.frame {
		for i := range f.pages {
			x0, y0, x1, y1 := sh.left-14, sh.top-14, pageW-sh.right+14, pageH-sh.bottom+14
			if i == len(f.pages)-1 {
				y1 = min(y1, f.y+18)
			}
			f.pages[i].items = append(f.pages[i].items,
				item{kind: itemLine, x: x0, y: y0, x2: x1, y2: y0, w: 1.2},
				item{kind: itemLine, x: x0, y: y1, x2: x1, y2: y1, w: 1.2},
				item{kind: itemLine, x: x0, y: y0, x2: x0, y2: y1, w: 1.2},
				item{kind: itemLine, x: x1, y: y0, x2: x1, y2: y1, w: 1.2})
		}
	}
	return f.pages
}

type flower struct {
	sh    sheet
	fs    *fontSet
	pages []page
	y     float64
}

func (f *flower) add(it item) {
	p := &f.pages[len(f.pages)-1]
	p.items = append(p.items, it)
}

// need starts a new page when h points do not fit.
func (f *flower) need(h float64) {
	if f.y+h > pageH-f.sh.bottom && f.y > f.sh.top {
		f.pages = append(f.pages, page{})
		f.y = f.sh.top
	}
}

func (f *flower) row(b block, size, width float64) {
	base := f.y + size
	for i, c := range b.cells {
		x := f.sh.left + c.at*width
		end := pageW - f.sh.right
		if i+1 < len(b.cells) {
			end = f.sh.left + b.cells[i+1].at*width - size*0.8
		}
		if c.box > 0 {
			side := size * 0.75
			var tick uint64
			if c.box == 2 {
				tick = hashString(c.label) | 1
			}
			f.add(item{kind: itemBox, x: x, y: base - side, w: side, seed: tick})
			x += side + size*0.4
		}
		if c.label != "" {
			f.add(item{kind: itemText, x: x, y: base, text: c.label, role: c.labelRole, size: size, seed: hashString(c.label)})
			x += f.fs.measure(c.labelRole, size, c.label) + size*0.4
		}
		if c.line && end > x {
			f.add(item{kind: itemLine, x: x, y: base + size*0.28, x2: end, y2: base + size*0.28, w: 0.9})
		}
		if c.value != "" {
			vs := size
			if c.valueRole == roleHand {
				vs = size * 1.15
			}
			if w := f.fs.measure(c.valueRole, vs, c.value); end > x && w > end-x-2 {
				vs = max(vs*(end-x-2)/w, size*0.7)
			}
			f.add(item{kind: itemText, x: x + size*0.2, y: base - size*0.05, text: c.value, role: c.valueRole, size: vs, seed: hashString(c.value)})
		}
	}
}

func (f *flower) sign(b block, size float64) {
	s := b.sig
	x := f.sh.left + b.indent
	lineY := f.y + size*3
	switch s.kind {
	case sigElectronic:
		ro := roleItalic
		for _, line := range wrap(f.fs, ro, size, s.statement, pageW-f.sh.right-x) {
			f.add(item{kind: itemText, x: x, y: f.y + size*1.2, text: line, role: ro, size: size})
			f.y += size * 1.3
		}
		f.y += size * 0.8
		return
	}
	if s.label != "" {
		f.add(item{kind: itemText, x: x, y: lineY - size*0.2, text: s.label, role: roleRegular, size: size})
		x += f.fs.measure(roleRegular, size, s.label) + size*0.5
	}
	lineW := 200.0
	// The date beside the line stays on the paper: a shorter line makes room
	// for it, or it goes under the line when even that is not enough.
	dateBelow := false
	if s.date != "" {
		const edge = pageW - 24
		if end := x + lineW + size + f.fs.measure(roleRegular, size, s.date); end > edge {
			lineW = max(110, lineW-(end-edge))
			dateBelow = x+lineW+size+f.fs.measure(roleRegular, size, s.date) > edge
		}
	}
	f.add(item{kind: itemLine, x: x, y: lineY, x2: x + lineW, y2: lineY, w: 0.9})
	if s.date != "" && !dateBelow {
		f.add(item{kind: itemText, x: x + lineW + size, y: lineY - size*0.2, text: s.date, role: roleRegular, size: size})
	}
	switch s.kind {
	case sigWet:
		for _, it := range signatureItems(s, x+8, lineY, size) {
			f.add(it)
		}
	case sigTyped:
		f.add(item{kind: itemText, x: x + 6, y: lineY - size*0.3, text: s.name, role: roleRegular, size: size})
	case sigStamp:
		const stamp = "SIGNATURE ON FILE"
		bw, bh := f.fs.measure(roleBold, size, stamp)+size*1.2, size*1.9
		bx, by := x+12, lineY-size*2.4
		for _, l := range [][4]float64{{bx, by, bx + bw, by}, {bx, by + bh, bx + bw, by + bh}, {bx, by, bx, by + bh}, {bx + bw, by, bx + bw, by + bh}} {
			f.add(item{kind: itemLine, x: l[0], y: l[1], x2: l[2], y2: l[3], w: 1.4})
		}
		f.add(item{kind: itemText, x: bx + size*0.6, y: by + size*1.35, text: stamp, role: roleBold, size: size})
	}
	f.y = lineY
	if s.name != "" && s.kind != sigTyped {
		f.add(item{kind: itemText, x: x, y: lineY + size*1.3, text: s.name, role: roleRegular, size: size})
		f.y += size * 1.5
	}
	if dateBelow {
		f.add(item{kind: itemText, x: f.sh.left + b.indent, y: f.y + size*1.3, text: s.date, role: roleRegular, size: size})
		f.y += size * 1.5
	}
	f.y += size * 0.8
}

// wrap breaks s into lines no wider than width points; explicit newlines
// break too.
func wrap(fs *fontSet, ro role, size float64, s string, width float64) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			out = append(out, "")
			continue
		}
		line := words[0]
		for _, w := range words[1:] {
			if fs.measure(ro, size, line+" "+w) > width {
				out = append(out, line)
				line = w
				continue
			}
			line += " " + w
		}
		out = append(out, line)
	}
	return out
}

// sheetText writes sheets as plain text, the way an email body or a .txt
// file carries them: paragraphs on one line each, rows as "Label: value".
func sheetText(sheets []sheet) string {
	var sb strings.Builder
	for i, sh := range sheets {
		if i > 0 {
			sb.WriteString("\n")
		}
		for j, b := range sh.blocks {
			if b.para && j > 0 {
				sb.WriteString("\n")
			}
			switch b.kind {
			case blockText:
				sb.WriteString(b.text)
				sb.WriteString("\n")
			case blockRow:
				var parts []string
				for _, c := range b.cells {
					p := c.label
					switch c.box {
					case 1:
						p = "[ ] " + p
					case 2:
						p = "[X] " + p
					}
					if c.value != "" {
						p = strings.TrimSpace(p + " " + c.value)
					}
					if p != "" {
						parts = append(parts, p)
					}
				}
				sb.WriteString(strings.Join(parts, "    "))
				sb.WriteString("\n")
			case blockRule:
				sb.WriteString("\n")
			case blockSign:
				sb.WriteString(signText(b.sig))
			}
		}
	}
	return sb.String()
}

func signText(s *sigBlock) string {
	switch s.kind {
	case sigElectronic:
		return s.statement + "\n"
	case sigTyped:
		return s.name + "\n"
	case sigStamp:
		return "SIGNATURE ON FILE\n" + s.name + "\n"
	}
	t := s.label
	if s.name != "" {
		t = strings.TrimSpace(t + " " + s.name)
	}
	if t == "" {
		return ""
	}
	return t + "\n"
}

// hashString is FNV-1a: a stable seed from text.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
