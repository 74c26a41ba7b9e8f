package corpus

import (
	"image"
	"math"
	"math/rand/v2"
)

// Fax geometry: 1728 pixels across at 204 dpi; Letter is 11 inches long.
const (
	faxWidth     = 1728
	faxXRes      = 204
	faxFineRes   = 196
	faxStdRes    = 98
	faxRowsFine  = 11 * faxFineRes // 2156
	faxRenderDPI = 204.0
	faxRowsDraw  = 11 * 204 // rows of the square-pixel drawing
)

// faxOpts is how a fax machine degrades a page.
type faxOpts struct {
	skew     float64 // degrees, the page fed crooked
	speckle  float64 // black specks per pixel
	jitter   int     // threshold noise, levels
	standard bool    // 98 lines per inch
}

// faxPage draws a page as a fax machine sends it: rendered at 204 dpi,
// skewed, resampled to 196 lines per inch, thresholded, speckled, with the
// transmit header line drawn by the machine at the top; standard resolution
// keeps every other line.
func faxPage(fs *fontSet, p page, header string, o faxOpts, r *rand.Rand) *image.Gray {
	img := renderPage(fs, p, faxRenderDPI, faxWidth, faxRowsDraw)
	if o.skew != 0 {
		img = warp(img, o.skew, 1, 0xff)
	}
	if header != "" {
		newCanvas(fs, faxRenderDPI, img).text(item{kind: itemText, x: 10 + r.Float64()*14, y: 11, text: header, role: roleMono, size: 8 + r.Float64()*1.5})
	}
	fine := image.NewGray(image.Rect(0, 0, faxWidth, faxRowsFine))
	for y := 0; y < faxRowsFine; y++ {
		sy := (float64(y)+0.5)*faxRowsDraw/faxRowsFine - 0.5
		y0 := int(sy)
		f := sy - float64(y0)
		y1 := min(y0+1, faxRowsDraw-1)
		src0 := img.Pix[y0*img.Stride:]
		src1 := img.Pix[y1*img.Stride:]
		dst := fine.Pix[y*fine.Stride:]
		for x := 0; x < faxWidth; x++ {
			v := float64(src0[x])*(1-f) + float64(src1[x])*f
			t := 150.0
			if o.jitter > 0 {
				t += float64(r.IntN(2*o.jitter+1) - o.jitter)
			}
			if v < t {
				dst[x] = 0
			} else {
				dst[x] = 0xff
			}
		}
	}
	if o.speckle > 0 {
		n := int(o.speckle * faxWidth * faxRowsFine)
		for i := 0; i < n; i++ {
			x, y := r.IntN(faxWidth-2), r.IntN(faxRowsFine-2)
			fine.Pix[y*fine.Stride+x] = 0
			if r.IntN(4) == 0 {
				fine.Pix[y*fine.Stride+x+1] = 0
				fine.Pix[(y+1)*fine.Stride+x] = 0
			}
		}
	}
	if !o.standard {
		return fine
	}
	std := image.NewGray(image.Rect(0, 0, faxWidth, faxRowsFine/2))
	for y := 0; y < faxRowsFine/2; y++ {
		copy(std.Pix[y*std.Stride:(y+1)*std.Stride], fine.Pix[2*y*fine.Stride:])
	}
	return std
}

// warp rotates an image by deg degrees about its center and scales it,
// bilinearly, filling what falls outside with bg.
func warp(src *image.Gray, deg, scale float64, bg uint8) *image.Gray {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	dst := image.NewGray(image.Rect(0, 0, w, h))
	sin, cos := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	for y := 0; y < h; y++ {
		dy := float64(y) - cy
		row := dst.Pix[y*dst.Stride:]
		for x := 0; x < w; x++ {
			dx := float64(x) - cx
			sx := (cos*dx+sin*dy)/scale + cx
			sy := (-sin*dx+cos*dy)/scale + cy
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			if x0 < 0 || y0 < 0 || x0+1 >= w || y0+1 >= h {
				row[x] = bg
				continue
			}
			fx, fy := sx-float64(x0), sy-float64(y0)
			i := y0*src.Stride + x0
			p00, p01 := float64(src.Pix[i]), float64(src.Pix[i+1])
			p10, p11 := float64(src.Pix[i+src.Stride]), float64(src.Pix[i+src.Stride+1])
			v := (p00*(1-fx)+p01*fx)*(1-fy) + (p10*(1-fx)+p11*fx)*fy
			row[x] = uint8(v + 0.5)
		}
	}
	return dst
}

// scanOpts is how a flatbed scanner or a phone camera degrades a page.
type scanOpts struct {
	angle     float64 // degrees
	scale     float64 // the page's share of the frame
	bg        uint8   // what lies around the page
	paper     float64 // brightness of the paper
	ink       float64 // brightness of the ink
	light     float64 // strength of uneven lighting, 0..1
	noise     float64 // standard deviation of sensor noise, levels
	blur      bool
	quantize  int // gray levels kept (0: all), keeps PNG scans small
	dustSpecs int
}

// scanPage degrades a 300-dpi page as a scan or a phone photo.
func scanPage(img *image.Gray, o scanOpts, r *rand.Rand) *image.Gray {
	if o.blur {
		img = boxBlur(img)
	}
	scale := o.scale
	if scale == 0 {
		scale = 1
	}
	img = warp(img, o.angle, scale, 0xff)
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	// Where the page is, to paint the background around it.
	sin, cos := math.Sincos(o.angle * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	// Lighting: a linear falloff from a random side and a vignette.
	gx, gy := r.Float64()*2-1, r.Float64()*2-1
	for y := 0; y < h; y++ {
		dy := float64(y) - cy
		row := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			dx := float64(x) - cx
			sx := (cos*dx+sin*dy)/scale + cx
			sy := (-sin*dx+cos*dy)/scale + cy
			var v float64
			if sx < 0 || sy < 0 || sx >= float64(w) || sy >= float64(h) {
				v = float64(o.bg)
			} else {
				t := float64(row[x]) / 255
				v = o.ink + (o.paper-o.ink)*t
			}
			nx, ny := dx/cx, dy/cy
			v *= 1 - o.light*(0.12*(gx*nx+gy*ny+1)+0.1*(nx*nx+ny*ny))
			if o.noise > 0 {
				v += (r.Float64() + r.Float64() + r.Float64() - 1.5) * 2 * o.noise
			}
			if o.quantize > 0 {
				q := 255 / float64(o.quantize-1)
				v = math.Round(v/q) * q
			}
			row[x] = uint8(max(0, min(255, v)))
		}
	}
	for i := 0; i < o.dustSpecs; i++ {
		x, y := r.IntN(w-3), r.IntN(h-3)
		sz := 1 + r.IntN(3)
		for yy := y; yy < y+sz; yy++ {
			for xx := x; xx < x+sz; xx++ {
				img.Pix[yy*img.Stride+xx] = uint8(o.ink)
			}
		}
	}
	return img
}

// boxBlur softens an image with a 3x3 box filter, as a camera lens does.
func boxBlur(src *image.Gray) *image.Gray {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	dst := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s, n := 0, 0
			for yy := max(0, y-1); yy <= min(h-1, y+1); yy++ {
				i := yy * src.Stride
				for xx := max(0, x-1); xx <= min(w-1, x+1); xx++ {
					s += int(src.Pix[i+xx])
					n++
				}
			}
			dst.Pix[y*dst.Stride+x] = uint8(s / n)
		}
	}
	return dst
}
