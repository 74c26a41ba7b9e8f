package corpus

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"slices"
)

// ErrTIFF reports pages a fax TIFF cannot hold.
var ErrTIFF = errors.New("corpus: tiff")

// FaxTIFF writes bilevel pages as a TIFF class F file: little-endian, one
// IFD per page, CCITT T.6 (Compression 4), PhotometricInterpretation 0
// (WhiteIsZero), FillOrder 1, one strip per page, XResolution xres and
// YResolution yres dots per inch (204 by 196 "fine", 204 by 98 "standard").
func FaxTIFF(pages []*image.Gray, xres, yres int) ([]byte, error) {
	if len(pages) == 0 {
		return nil, fmt.Errorf("%w: no pages", ErrTIFF)
	}
	if len(pages) > 0xffff {
		return nil, fmt.Errorf("%w: %d pages", ErrTIFF, len(pages))
	}
	le := binary.LittleEndian
	out := []byte{'I', 'I', 42, 0, 0, 0, 0, 0}
	nextIFD := 4 // where the offset of the next IFD goes
	for i, img := range pages {
		data := EncodeG4(img)
		stripOff := len(out)
		out = append(out, data...)
		if len(out)%2 == 1 {
			out = append(out, 0)
		}
		// The two resolutions (RATIONAL) sit before the IFD.
		xOff := len(out)
		out = le.AppendUint32(out, uint32(xres))
		out = le.AppendUint32(out, 1)
		yOff := len(out)
		out = le.AppendUint32(out, uint32(yres))
		out = le.AppendUint32(out, 1)

		const (
			tShort    = 3
			tLong     = 4
			tRational = 5
		)
		type entry struct {
			tag, typ uint16
			count    uint32
			value    uint32 // value or offset; SHORT pairs packed low first
		}
		b := img.Bounds()
		entries := []entry{
			{254, tLong, 1, 2}, // NewSubfileType: a page of a multi-page document
			{256, tLong, 1, uint32(b.Dx())},
			{257, tLong, 1, uint32(b.Dy())},
			{258, tShort, 1, 1}, // BitsPerSample
			{259, tShort, 1, 4}, // Compression: CCITT T.6
			{262, tShort, 1, 0}, // PhotometricInterpretation: WhiteIsZero
			{266, tShort, 1, 1}, // FillOrder: most significant bit first
			{273, tLong, 1, uint32(stripOff)},
			{274, tShort, 1, 1}, // Orientation
			{277, tShort, 1, 1}, // SamplesPerPixel
			{278, tLong, 1, uint32(b.Dy())},
			{279, tLong, 1, uint32(len(data))},
			{282, tRational, 1, uint32(xOff)},
			{283, tRational, 1, uint32(yOff)},
			{293, tLong, 1, 0},                                   // T6Options
			{296, tShort, 1, 2},                                  // ResolutionUnit: inch
			{297, tShort, 2, uint32(i) | uint32(len(pages))<<16}, // PageNumber: n (from 0), total
		}
		slices.SortFunc(entries, func(a, b entry) int { return int(a.tag) - int(b.tag) })
		ifd := len(out)
		le.PutUint32(out[nextIFD:], uint32(ifd))
		out = le.AppendUint16(out, uint16(len(entries)))
		for _, e := range entries {
			out = le.AppendUint16(out, e.tag)
			out = le.AppendUint16(out, e.typ)
			out = le.AppendUint32(out, e.count)
			if e.typ == tShort && e.count == 1 {
				out = le.AppendUint16(out, uint16(e.value))
				out = le.AppendUint16(out, 0)
				continue
			}
			out = le.AppendUint32(out, e.value)
		}
		nextIFD = len(out)
		out = le.AppendUint32(out, 0)
	}
	return out, nil
}
