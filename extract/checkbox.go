package extract

import (
	"bytes"
	"image"
	"image/png"
	"regexp"
	"strings"
)

// boxState is what stands before an option on a form.
type boxState int

const (
	boxNone    boxState = iota // no checkbox
	boxEmpty                   // an empty checkbox: the option is not chosen
	boxChecked                 // a ticked or crossed checkbox
)

var (
	reTextBoxEmpty   = regexp.MustCompile(`(?:\[\s*\]|\(\s*\)|☐|□|(?:^|\s)(?:CJ|LJ|C\)|\[J|L\]|\[\]|\(\)))\s*$`)
	reTextBoxChecked = regexp.MustCompile(`(?:\[\s*[xX✓✔*]\s*\]|\(\s*[xX✓✔*]\s*\)|☒|☑|■|(?:^|\s)(?:&\]|Kl|\[x|\[X|X\]|x\]|Bd|\[\*))\s*$`)
)

// checkState tells whether the token at byte offset off of line l is
// preceded by a checkbox, and whether it is ticked: from the page image for
// an OCR'd page (OCR reads boxes as stray characters, so the pixels decide),
// from the characters for typed text.
func (r *rxReader) checkState(l textLine, off int) boxState {
	before := l.Text[:min(off, len(l.Text))]
	switch {
	case reTextBoxChecked.MatchString(before):
		return boxChecked
	case reTextBoxEmpty.MatchString(before):
		return boxEmpty
	}
	if l.Page == nil || len(l.Words) == 0 || l.Page.Image == nil {
		return boxNone
	}
	tok := strings.Count(before, " ")
	if strings.HasSuffix(before, " ") || before == "" {
		// off is the start of a token.
	} else {
		tok = strings.Count(strings.TrimRight(before, " "), " ")
	}
	if tok >= len(l.Words) {
		return boxNone
	}
	g := r.pageGray(l.Page)
	if g == nil {
		return boxNone
	}
	w := l.Words[tok]
	h := max(l.Box.Dy(), w.Box.Dy(), 12)
	// Look left of the option's first word; a box OCR turned into a short
	// "word" of its own ("&)", "(J", "C1") is in that strip too.
	region := image.Rect(w.Box.Min.X-2*h, w.Box.Min.Y-h/4, w.Box.Min.X-h/8, w.Box.Max.Y+h/4)
	if tok > 0 {
		prev := l.Words[tok-1]
		if len([]rune(prev.Text)) <= 3 && prev.Box.Max.X > region.Min.X {
			region.Min.X = max(region.Min.X, prev.Box.Min.X-h/4)
		} else if prev.Box.Max.X > region.Min.X {
			region.Min.X = prev.Box.Max.X + 1
		}
	}
	return boxAt(g, region.Intersect(g.Bounds()), h)
}

// boxAt finds a square outline in region and says whether it is filled.
func boxAt(g *image.Gray, region image.Rectangle, h int) boxState {
	if region.Dx() < h/3 || region.Dy() < h/3 {
		return boxNone
	}
	dark := func(x, y int) bool { return g.Pix[(y-g.Rect.Min.Y)*g.Stride+(x-g.Rect.Min.X)] < 128 }
	// The box is the rightmost cluster of dark columns in the region.
	x1 := -1
	for x := region.Max.X - 1; x >= region.Min.X && x1 < 0; x-- {
		for y := region.Min.Y; y < region.Max.Y; y++ {
			if dark(x, y) {
				x1 = x
				break
			}
		}
	}
	if x1 < 0 {
		return boxNone
	}
	bb := image.Rectangle{Min: image.Pt(x1, region.Max.Y), Max: image.Pt(x1+1, region.Min.Y)}
	gap := 0
	for x := x1; x >= region.Min.X; x-- {
		col := false
		for y := region.Min.Y; y < region.Max.Y; y++ {
			if dark(x, y) {
				col = true
				bb.Min.Y = min(bb.Min.Y, y)
				bb.Max.Y = max(bb.Max.Y, y+1)
			}
		}
		if col {
			bb.Min.X = x
			gap = 0
		} else if gap++; gap > h/6 {
			break
		}
	}
	w, ht := bb.Dx(), bb.Dy()
	if w < h/3 || ht < h/3 || w > 2*ht || ht > 2*w {
		return boxNone // not a square mark
	}
	// Density of ink inside the outline, away from its border.
	in := image.Rect(bb.Min.X+w/4, bb.Min.Y+ht/4, bb.Max.X-w/4, bb.Max.Y-ht/4)
	n, total := 0, 0
	for y := in.Min.Y; y < in.Max.Y; y++ {
		for x := in.Min.X; x < in.Max.X; x++ {
			total++
			if dark(x, y) {
				n++
			}
		}
	}
	if total == 0 {
		return boxNone
	}
	// An outline alone leaves the inside white; a border denser than the
	// inside and an inside with ink means a mark.
	if float64(n)/float64(total) > 0.08 {
		return boxChecked
	}
	return boxEmpty
}

func (r *rxReader) pageGray(p *Page) *image.Gray {
	if g, ok := r.pix[p]; ok {
		return g
	}
	var g *image.Gray
	if img, err := png.Decode(bytes.NewReader(p.Image)); err == nil {
		g = toGray(img)
	}
	r.pix[p] = g
	return g
}
