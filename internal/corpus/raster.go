package corpus

import (
	"image"
	"image/draw"
	"math"
	"math/rand/v2"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// canvas draws page items onto a white grayscale image at a resolution.
type canvas struct {
	img  *image.Gray
	dpi  float64
	fs   *fontSet
	rast *vector.Rasterizer
	mask *image.Alpha
}

// newCanvas returns a canvas that draws on img at dpi.
func newCanvas(fs *fontSet, dpi float64, img *image.Gray) *canvas {
	return &canvas{img: img, dpi: dpi, fs: fs, rast: vector.NewRasterizer(1, 1), mask: image.NewAlpha(image.Rect(0, 0, 1, 1))}
}

// whiteImage returns a white w by h image.
func whiteImage(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	return img
}

// renderPage draws a page at dpi onto a white w by h image.
func renderPage(fs *fontSet, p page, dpi float64, w, h int) *image.Gray {
	c := newCanvas(fs, dpi, whiteImage(w, h))
	c.draw(p)
	return c.img
}

func (c *canvas) draw(p page) {
	for _, it := range p.items {
		switch it.kind {
		case itemText:
			c.text(it)
		case itemLine:
			c.line(it.x, it.y, it.x2, it.y2, it.w)
		case itemInk:
			for _, s := range it.ink {
				c.fill(strokePolygons(s, it.w))
			}
		case itemBox:
			x, y, s := it.x, it.y, it.w
			c.line(x, y, x+s, y, 0.8)
			c.line(x, y+s, x+s, y+s, 0.8)
			c.line(x, y, x, y+s, 0.8)
			c.line(x+s, y, x+s, y+s, 0.8)
			if it.seed != 0 {
				r := rand.New(rand.NewPCG(it.seed, 7))
				j := func() float64 { return (r.Float64() - 0.5) * s * 0.2 }
				c.fill(strokePolygons([]point{{x + s*0.1 + j(), y + s*0.1 + j()}, {x + s*0.9 + j(), y + s*0.9 + j()}}, 1.3))
				c.fill(strokePolygons([]point{{x + s*0.9 + j(), y + s*0.1 + j()}, {x + s*0.1 + j(), y + s*0.9 + j()}}, 1.3))
			}
		}
	}
}

// px converts points to pixels.
func (c *canvas) px(v float64) float64 { return v * c.dpi / 72 }

// line draws a straight line of width w points.
func (c *canvas) line(x1, y1, x2, y2, w float64) {
	w = max(w, 72/c.dpi) // at least one pixel
	dx, dy := x2-x1, y2-y1
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	nx, ny := -dy/l*w/2, dx/l*w/2
	quad := []point{{x1 + nx, y1 + ny}, {x2 + nx, y2 + ny}, {x2 - nx, y2 - ny}, {x1 - nx, y1 - ny}}
	c.fill([][]point{quad})
}

// fill paints the union of polygons (in points) black.
func (c *canvas) fill(polys [][]point) {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, poly := range polys {
		for _, p := range poly {
			x, y := c.px(p.x), c.px(p.y)
			minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
		}
	}
	c.paint(minX, minY, maxX, maxY, func(ox, oy float64) {
		for _, poly := range polys {
			for i, p := range poly {
				x, y := float32(c.px(p.x)-ox), float32(c.px(p.y)-oy)
				if i == 0 {
					c.rast.MoveTo(x, y)
				} else {
					c.rast.LineTo(x, y)
				}
			}
			c.rast.ClosePath()
		}
	})
}

// paint rasterizes the path that add draws (in pixels, relative to the
// integer corner of the box) over the pixel box and darkens the image by its
// coverage.
func (c *canvas) paint(minX, minY, maxX, maxY float64, add func(ox, oy float64)) {
	x0, y0 := int(math.Floor(minX))-1, int(math.Floor(minY))-1
	x1, y1 := int(math.Ceil(maxX))+1, int(math.Ceil(maxY))+1
	b := c.img.Bounds()
	if x1 <= b.Min.X || y1 <= b.Min.Y || x0 >= b.Max.X || y0 >= b.Max.Y || x1-x0 > 4*b.Dx() || y1-y0 > 4*b.Dy() {
		return
	}
	w, h := x1-x0, y1-y0
	c.rast.Reset(w, h)
	c.rast.DrawOp = draw.Src
	add(float64(x0), float64(y0))
	if cap(c.mask.Pix) < w*h {
		c.mask.Pix = make([]uint8, w*h)
	}
	c.mask.Pix = c.mask.Pix[:w*h]
	c.mask.Stride = w
	c.mask.Rect = image.Rect(0, 0, w, h)
	c.rast.Draw(c.mask, c.mask.Rect, image.Opaque, image.Point{})
	for y := max(y0, b.Min.Y); y < min(y1, b.Max.Y); y++ {
		row := c.img.Pix[(y-b.Min.Y)*c.img.Stride:]
		mrow := c.mask.Pix[(y-y0)*w:]
		for x := max(x0, b.Min.X); x < min(x1, b.Max.X); x++ {
			a := int(mrow[x-x0])
			if a == 0 {
				continue
			}
			d := int(row[x-b.Min.X])
			row[x-b.Min.X] = uint8(d - d*a/255)
		}
	}
}

// affine is a 2x2 matrix applied to glyph outlines around the glyph origin.
type affine struct{ a, b, c, d float64 } // x' = a*x + b*y, y' = c*x + d*y

func (m affine) apply(x, y float64) (float64, float64) { return m.a*x + m.b*y, m.c*x + m.d*y }

// text draws a text item glyph by glyph from the font outlines. Hand roles
// get per-glyph jitter; the signature role is slanted.
func (c *canvas) text(it item) {
	fs := c.fs
	sizePx := c.px(it.size)
	r := rand.New(rand.NewPCG(it.seed, 3))
	base := affine{1, 0, 0, 1}
	if it.role == roleSign {
		st := fs.hand.signStretch
		if st == 0 {
			st = 1
		}
		sl := fs.hand.signSlant + 0.1
		base = affine{st, -sl, 0, 1}
	}
	penX, penY := c.px(it.x), c.px(it.y)
	var prevF *sfnt.Font
	var prev sfnt.GlyphIndex
	for _, ru := range it.text {
		f, gi := fs.glyph(it.role, ru)
		m := base
		scale := 1.0
		dy := 0.0
		if it.role == roleHand || it.role == roleSign {
			scale = 0.93 + r.Float64()*0.14
			dy = (r.Float64() - 0.5) * 0.07 * sizePx
			rot := (r.Float64() - 0.5) * 0.09
			cs, sn := math.Cos(rot), math.Sin(rot)
			m = affine{(base.a*cs - base.c*sn) * scale, (base.b*cs - base.d*sn) * scale, (base.a*sn + base.c*cs) * scale, (base.b*sn + base.d*cs) * scale}
		}
		ppem := fixed.Int26_6(sizePx * 64)
		if f == prevF {
			penX += float64(fs.kern(f, prev, gi, ppem)) / 64
		}
		segs, err := f.LoadGlyph(&fs.buf, gi, ppem, nil)
		if err == nil && len(segs) > 0 {
			ox, oy := penX, penY+dy
			// The outline, transformed, in absolute pixels.
			type seg struct {
				op  sfnt.SegmentOp
				pts [3][2]float64
			}
			tr := make([]seg, len(segs))
			minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
			for i, s := range segs {
				tr[i].op = s.Op
				for k := 0; k < segArgs(s.Op); k++ {
					x, y := m.apply(float64(s.Args[k].X)/64, float64(s.Args[k].Y)/64)
					x, y = x+ox, y+oy
					tr[i].pts[k] = [2]float64{x, y}
					minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
				}
			}
			c.paint(minX, minY, maxX, maxY, func(bx, by float64) {
				for _, s := range tr {
					p := func(k int) (float32, float32) { return float32(s.pts[k][0] - bx), float32(s.pts[k][1] - by) }
					switch s.op {
					case sfnt.SegmentOpMoveTo:
						c.rast.MoveTo(p(0))
					case sfnt.SegmentOpLineTo:
						c.rast.LineTo(p(0))
					case sfnt.SegmentOpQuadTo:
						x0, y0 := p(0)
						x1, y1 := p(1)
						c.rast.QuadTo(x0, y0, x1, y1)
					case sfnt.SegmentOpCubeTo:
						x0, y0 := p(0)
						x1, y1 := p(1)
						x2, y2 := p(2)
						c.rast.CubeTo(x0, y0, x1, y1, x2, y2)
					}
				}
			})
		}
		penX += float64(fs.advance(f, gi, ppem)) / 64 * base.a * scale
		prevF, prev = f, gi
	}
}

// segArgs is the number of points a segment op carries.
func segArgs(op sfnt.SegmentOp) int {
	switch op {
	case sfnt.SegmentOpQuadTo:
		return 2
	case sfnt.SegmentOpCubeTo:
		return 3
	}
	return 1
}
