package corpus

import (
	"image"
)

// EncodeG4 encodes a bilevel image as CCITT T.6 (Group 4) data, most
// significant bit first (TIFF FillOrder 1), ending with EOFB. A pixel darker
// than mid-gray is black. The result is what a TIFF with Compression 4 or a
// PDF CCITTFaxDecode filter with K -1 holds.
func EncodeG4(img *image.Gray) []byte {
	b := img.Bounds()
	width := b.Dx()
	e := &g4Encoder{}
	ref := []int{width, width, width} // the imaginary white line above the first row
	cur := make([]int, 0, 64)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[(y-b.Min.Y)*img.Stride : (y-b.Min.Y)*img.Stride+width]
		cur = changes(cur[:0], row)
		e.row(ref, cur, width)
		ref, cur = cur, ref
	}
	e.put(bitString{1, 12}) // EOFB: two EOLs
	e.put(bitString{1, 12})
	return e.flush()
}

// changes lists a row's changing elements: the positions whose color differs
// from the pixel on their left (the pixel left of the row is white), then
// three sentinels at width. Even entries turn black, odd ones turn white.
func changes(dst []int, row []uint8) []int {
	black := false
	for x, p := range row {
		if (p < 0x80) != black {
			black = !black
			dst = append(dst, x)
		}
	}
	w := len(row)
	return append(dst, w, w, w)
}

type g4Encoder struct {
	out   []byte
	acc   uint64
	nBits uint
}

func (e *g4Encoder) put(c bitString) {
	e.acc = e.acc<<c.nBits | uint64(c.bits)
	e.nBits += uint(c.nBits)
	for e.nBits >= 8 {
		e.nBits -= 8
		e.out = append(e.out, byte(e.acc>>e.nBits))
	}
}

func (e *g4Encoder) flush() []byte {
	if e.nBits > 0 {
		e.out = append(e.out, byte(e.acc<<(8-e.nBits)))
		e.nBits = 0
	}
	return e.out
}

// Indexes of modeEncodeTable.
const (
	g4Pass  = 0
	g4Horiz = 1
	g4V0    = 2 // VR1..VR3 follow, then VL1..VL3
)

// row codes one line against the reference line (T.6 section 2.2).
func (e *g4Encoder) row(ref, cur []int, width int) {
	a0, white := -1, true
	ai, bi := 0, 0 // first candidates for a1 in cur and b1 in ref
	for {
		for cur[ai] <= a0 && cur[ai] < width {
			ai++
		}
		a1 := cur[ai]
		// b1: first changing element on ref right of a0 of the color
		// opposite to a0's: it turns black (even index) when a0 is white.
		for ref[bi] <= a0 && ref[bi] < width {
			bi++
		}
		b := bi
		if (b%2 == 0) != white && ref[b] < width {
			b++
		}
		b1, b2 := ref[b], ref[min(b+1, len(ref)-1)]
		switch {
		case b2 < a1:
			e.put(modeEncodeTable[g4Pass])
			a0 = b2
		case a1-b1 >= -3 && a1-b1 <= 3:
			d := a1 - b1
			switch {
			case d == 0:
				e.put(modeEncodeTable[g4V0])
			case d > 0:
				e.put(modeEncodeTable[g4V0+d])
			default:
				e.put(modeEncodeTable[g4V0+3-d])
			}
			a0, white = a1, !white
		default:
			a2 := cur[min(ai+1, len(cur)-1)]
			start := max(a0, 0)
			e.put(modeEncodeTable[g4Horiz])
			e.run(a1-start, white)
			e.run(a2-a1, !white)
			a0 = a2
		}
		if a0 >= width {
			return
		}
	}
}

// run writes a run length in white or black codes: make-up codes for the
// multiples of 64 (extended ones past 1728), then a terminating code.
func (e *g4Encoder) run(n int, white bool) {
	term, makeup := blackEncodeTable2[:], blackEncodeTable3[:]
	if white {
		term, makeup = whiteEncodeTable2[:], whiteEncodeTable3[:]
	}
	for n >= 2560+64 {
		e.put(makeup[len(makeup)-1]) // 2560
		n -= 2560
	}
	if n >= 64 {
		e.put(makeup[n/64-1])
		n %= 64
	}
	e.put(term[n])
}
