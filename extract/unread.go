package extract

import (
	"bytes"
	"image"
	"image/png"
	"slices"
)

// unreadPrint finds lines of print on a page image that OCR turned into no
// words: a line printed over a dotted rule, a faint line, a line the
// segmenter dropped. Absence is proven only where the page holds nothing
// unread (docs/reading.md, "Absence must be proven"), so such a line is a
// reason to look, whatever it says.
//
// Dark pixels outside every word box and outside rules are gathered into
// connected marks; specks and pieces of dotted rules are too small or too
// flat to count. Marks of a letter's size that line up in a band as wide as
// a few words are a line of print. Bands where skip says the prescriber
// signs count only when they are print (printLike): a signature is ink no
// word accounts for, a date typed beside it is not.
func unreadPrint(p *Page, skip func(y0, y1 int) bandRule) []image.Rectangle {
	if p.Image == nil || len(p.Lines) == 0 {
		return nil
	}
	img, err := png.Decode(bytes.NewReader(p.Image))
	if err != nil {
		return nil
	}
	g := toGray(img)
	b := g.Bounds()
	w, h := b.Dx(), b.Dy()
	lineH := medianLineHeight(p.Lines)
	printedH := medianWordHeight(p.Words)
	// Word boxes, grown by a little: OCR boxes hug the glyphs.
	pad := max(2, lineH/8)
	covered := make([]bool, w*h)
	for _, wd := range p.Words {
		r := wd.Box.Inset(-pad).Intersect(b)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			row := covered[(y-b.Min.Y)*w:]
			for x := r.Min.X; x < r.Max.X; x++ {
				row[x-b.Min.X] = true
			}
		}
	}
	ink := make([]bool, w*h)
	for y := 0; y < h; y++ {
		pix := g.Pix[y*g.Stride:]
		run := 0
		for x := 0; x < w; x++ {
			if pix[x] < 128 {
				run++
				continue
			}
			if run > 0 && run <= 3*lineH {
				for i := x - run; i < x; i++ {
					ink[y*w+i] = !covered[y*w+i]
				}
			}
			run = 0
		}
		if run > 0 && run <= 3*lineH {
			for i := w - run; i < w; i++ {
				ink[y*w+i] = !covered[y*w+i]
			}
		}
	}
	// Marks of a letter's size: taller than a speck or a dot of a dotted
	// rule, no taller than twice the print (a logo, a signature flourish).
	minH, maxH := max(4, printedH/3), 2*max(printedH, lineH/2)
	minSize := max(8, printedH*printedH/20)
	type mark struct{ r image.Rectangle }
	var marks []mark
	seen := make([]bool, w*h)
	var stack []int
	for start := range ink {
		if !ink[start] || seen[start] {
			continue
		}
		stack = append(stack[:0], start)
		seen[start] = true
		n := 0
		r := image.Rectangle{Min: image.Pt(start%w, start/w), Max: image.Pt(start%w+1, start/w+1)}
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n++
			x, y := i%w, i/w
			r = r.Union(image.Rect(x, y, x+1, y+1))
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					if j := ny*w + nx; ink[j] && !seen[j] {
						seen[j] = true
						stack = append(stack, j)
					}
				}
			}
		}
		if n < minSize || r.Dy() < minH || r.Dy() > maxH || r.Dx() > 3*lineH {
			continue
		}
		marks = append(marks, mark{r.Add(b.Min)})
	}
	// Bands: marks whose vertical middles lie within half a line of each
	// other, left to right, no more than two letters' widths apart.
	slices.SortFunc(marks, func(a, c mark) int {
		if d := (a.r.Min.Y + a.r.Max.Y) - (c.r.Min.Y + c.r.Max.Y); d != 0 {
			return d
		}
		return a.r.Min.X - c.r.Min.X
	})
	used := make([]bool, len(marks))
	var bands []image.Rectangle
	for i := range marks {
		if used[i] {
			continue
		}
		used[i] = true
		mid := (marks[i].r.Min.Y + marks[i].r.Max.Y) / 2
		group := []image.Rectangle{marks[i].r}
		for j := i + 1; j < len(marks); j++ {
			mj := (marks[j].r.Min.Y + marks[j].r.Max.Y) / 2
			if mj-mid > lineH/2 {
				break
			}
			if !used[j] {
				used[j] = true
				group = append(group, marks[j].r)
			}
		}
		slices.SortFunc(group, func(a, c image.Rectangle) int { return a.Min.X - c.Min.X })
		// Split the row into runs of marks close enough to be words.
		for k := 0; k < len(group); {
			run := group[k]
			n := 1
			for k+n < len(group) && group[k+n].Min.X-run.Max.X <= 2*printedH {
				run = run.Union(group[k+n])
				n++
			}
			// A heading ("Referral", "Rx Order") is print set larger than
			// the body's: it names the document, it holds no field.
			if n >= 5 && run.Dx() >= 4*printedH && !headingLike(group[k:k+n], printedH) {
				switch skip(run.Min.Y, run.Max.Y) {
				case bandKeep:
					bands = append(bands, run)
				case bandIfPrint:
					if printLike(group[k:k+n], printedH) {
						bands = append(bands, run)
					}
				}
			}
			k += n
		}
	}
	return bands
}

// bandRule says what to do with a band of unread marks by where it lies.
type bandRule int

const (
	bandKeep    bandRule = iota
	bandSkip             // the transmit header's band
	bandIfPrint          // where the prescriber signs: print beside the ink ("Date: ..."), not the ink
)

// headingLike reports marks of print set larger than the body's: most of
// them stand on one baseline, and the middle one is taller than the body's
// words with their ascenders and descenders (printedH). Handwriting is as
// tall, but its strokes rise and fall.
func headingLike(marks []image.Rectangle, printedH int) bool {
	if len(marks) < 3 {
		return false
	}
	heights := make([]int, len(marks))
	bottoms := make([]int, len(marks))
	for i, m := range marks {
		heights[i], bottoms[i] = m.Dy(), m.Max.Y
	}
	slices.Sort(heights)
	slices.Sort(bottoms)
	mh, base := heights[len(heights)/2], bottoms[len(bottoms)/2]
	if mh*10 < printedH*11 {
		return false
	}
	tol := max(2, mh/6)
	on := 0
	for _, m := range marks {
		if d := m.Max.Y - base; d <= tol && -d <= tol {
			on++
		}
	}
	return on*10 >= len(marks)*8
}

// printLike reports marks that are print, not handwriting: most of them
// stand on one baseline and are of the print's height. A signature's
// strokes rise and fall; a date typed beside it does not.
func printLike(marks []image.Rectangle, printedH int) bool {
	if len(marks) < 5 {
		return false
	}
	bottoms := make([]int, len(marks))
	for i, m := range marks {
		bottoms[i] = m.Max.Y
	}
	slices.Sort(bottoms)
	base := bottoms[len(bottoms)/2]
	tol := max(2, printedH/5)
	on := 0
	for _, m := range marks {
		h := m.Dy()
		if d := m.Max.Y - base; d <= tol && -d <= tol && h*10 >= printedH*4 && h*10 <= printedH*13 {
			on++
		}
	}
	return on*10 >= len(marks)*8
}
