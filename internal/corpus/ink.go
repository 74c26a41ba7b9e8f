package corpus

import (
	"math"
	"math/rand/v2"
)

// signatureItems draws a wet-ink signature whose baseline sits on the
// signature line at (x, lineY): the name in a handwriting font, slanted, with
// a pen flourish, or an illegible scribble, as s.seed chooses.
func signatureItems(s *sigBlock, x, lineY, size float64) []item {
	r := rand.New(rand.NewPCG(s.seed, 0x5161))
	base := lineY - size*0.25
	pen := 0.9 + r.Float64()*0.7
	variant := r.IntN(3)
	if s.inkName == "" {
		variant = 2
	}
	switch variant {
	case 0: // legible name with an underline flourish
		w := float64(len(s.inkName)) * size * 0.95
		return []item{
			{kind: itemText, x: x, y: base, text: s.inkName, role: roleSign, size: size * 2.2, seed: s.seed},
			{kind: itemInk, w: pen, ink: [][]point{flourish(r, x+w*0.1, base+size*0.35, w*0.9)}},
		}
	case 1: // initial, then a scribble
		init := s.inkName
		if len(init) > 0 {
			init = init[:1]
		}
		return []item{
			{kind: itemText, x: x, y: base, text: init, role: roleSign, size: size * 3, seed: s.seed},
			{kind: itemInk, w: pen, ink: [][]point{scribble(r, x+size*1.6, base, size, 90+r.Float64()*60)}},
		}
	default: // scribble only
		strokes := [][]point{scribble(r, x, base, size, 120+r.Float64()*60)}
		if r.IntN(2) == 0 {
			strokes = append(strokes, flourish(r, x, base+size*0.4, 140))
		}
		return []item{{kind: itemInk, w: pen, ink: strokes}}
	}
}

// scribble returns a cursive-looking pen path: a tall opening capital, then
// letter shapes (arches, small and tall loops, descenders) joined on a
// slightly sloping baseline, smoothed.
func scribble(r *rand.Rand, x, base, size, width float64) []point {
	h := size * (0.75 + r.Float64()*0.35) // x-height of the hand
	slope := (r.Float64() - 0.6) * 0.12
	slant := 0.15 + r.Float64()*0.25
	var ctrl []point
	add := func(cx float64, rel [][2]float64, w float64) {
		for _, p := range rel {
			px := cx + p[0]*w
			py := p[1] * h
			ctrl = append(ctrl, point{px - py*slant, base + (px-x)*slope + py})
		}
	}
	// Opening capital: a tall stem with a loop.
	capW := h * (1 + r.Float64()*0.6)
	add(x, [][2]float64{{0, 0.2}, {0.3, -2.4}, {0.9, -2.2}, {0.6, -1.2}, {0.1, -0.9}, {0.8, -0.6}, {1, 0}}, capW)
	cx := x + capW
	shapes := [][][2]float64{
		{{0.1, -0.55}, {0.45, -0.6}, {0.6, 0}, {1, 0}},                               // arch
		{{0.5, -0.5}, {0.2, -0.55}, {0.15, -0.15}, {1, 0}},                           // small loop
		{{0.55, -1.6}, {0.3, -1.7}, {0.2, -0.6}, {1, 0}},                             // tall loop
		{{0.4, -0.5}, {0.45, 0.7}, {0.1, 0.8}, {0.3, 0.1}, {1, 0}},                   // descender
		{{0.35, -0.5}, {0.6, 0}, {1, -0.1}},                                          // short stroke
		{{0.2, -0.5}, {0.4, -0.1}, {0.55, -0.55}, {0.75, -0.1}, {0.9, -0.5}, {1, 0}}, // m-like
	}
	for cx < x+width {
		w := h * (0.45 + r.Float64()*0.5)
		sh := shapes[r.IntN(len(shapes))]
		if r.IntN(3) == 0 {
			sh = shapes[r.IntN(2)]
		}
		add(cx, sh, w)
		cx += w
	}
	return catmullRom(ctrl, 6)
}

// flourish is a long shallow stroke under a name, drawn right to left.
func flourish(r *rand.Rand, x, y, width float64) []point {
	dip := 3 + r.Float64()*5
	return catmullRom([]point{
		{x + width, y - dip},
		{x + width*0.7, y + dip*0.5},
		{x + width*0.3, y + dip*0.3},
		{x - 4, y - dip*0.6},
	}, 10)
}

// catmullRom samples a Catmull-Rom spline through pts, steps points a span.
func catmullRom(pts []point, steps int) []point {
	if len(pts) < 2 {
		return pts
	}
	ext := append(append([]point{pts[0]}, pts...), pts[len(pts)-1])
	var out []point
	for i := 1; i+2 < len(ext); i++ {
		p0, p1, p2, p3 := ext[i-1], ext[i], ext[i+1], ext[i+2]
		for s := 0; s < steps; s++ {
			t := float64(s) / float64(steps)
			t2, t3 := t*t, t*t*t
			f := func(a, b, c, d float64) float64 {
				return 0.5 * (2*b + (-a+c)*t + (2*a-5*b+4*c-d)*t2 + (-a+3*b-3*c+d)*t3)
			}
			out = append(out, point{f(p0.x, p1.x, p2.x, p3.x), f(p0.y, p1.y, p2.y, p3.y)})
		}
	}
	return append(out, pts[len(pts)-1])
}

// strokePolygons turns a polyline of pen width w into polygons of one
// orientation (quads for segments, octagons for joints), so that a nonzero
// fill of all of them is the stroke.
func strokePolygons(pts []point, w float64) [][]point {
	var polys [][]point
	hw := w / 2
	for i, p := range pts {
		// A pen with a slightly varying pressure.
		pw := hw * (0.8 + 0.35*math.Sin(float64(i)*0.37))
		oct := make([]point, 8)
		for k := range oct {
			a := float64(k) * math.Pi / 4
			oct[k] = point{p.x + pw*math.Cos(a), p.y + pw*math.Sin(a)}
		}
		polys = append(polys, oct)
		if i == 0 {
			continue
		}
		q := pts[i-1]
		dx, dy := p.x-q.x, p.y-q.y
		l := math.Hypot(dx, dy)
		if l == 0 {
			continue
		}
		nx, ny := -dy/l*pw, dx/l*pw
		quad := []point{{q.x + nx, q.y + ny}, {p.x + nx, p.y + ny}, {p.x - nx, p.y - ny}, {q.x - nx, q.y - ny}}
		if signedArea(quad) < 0 {
			quad[1], quad[3] = quad[3], quad[1]
		}
		polys = append(polys, quad)
	}
	return polys
}

func signedArea(poly []point) float64 {
	a := 0.0
	for i, p := range poly {
		q := poly[(i+1)%len(poly)]
		a += p.x*q.y - q.x*p.y
	}
	return a / 2
}
