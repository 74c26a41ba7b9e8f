package extract

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// tiffPage is what the header of one TIFF page says, read before any pixel
// is decoded so that a pixel bomb is refused cheaply.
type tiffPage struct {
	Width, Height int
	XRes, YRes    int // dots per inch, 0 when absent
	Compression   int
	BitsPerSample int
}

// compressionName names the TIFF compression schemes faxes and scanners use.
func compressionName(c int) string {
	switch c {
	case 1:
		return "uncompressed"
	case 2:
		return "CCITT modified Huffman"
	case 3:
		return "CCITT G3"
	case 4:
		return "CCITT G4"
	case 5:
		return "LZW"
	case 6:
		return "old-style JPEG"
	case 7:
		return "JPEG"
	case 8, 32946:
		return "Deflate"
	case 32773:
		return "PackBits"
	case 34661:
		return "JBIG"
	}
	return fmt.Sprintf("compression %d", c)
}

var errTIFF = errors.New("malformed TIFF")

// maxTIFFPages bounds the IFD walk whatever the configured page limit.
const maxTIFFPages = 10000

// readTIFFPages walks the IFD chain of a TIFF file and reports each page.
// It stops at maxPages+1 pages, so that the caller can report the limit.
func readTIFFPages(data []byte, maxPages int) ([]tiffPage, error) {
	if len(data) < 8 {
		return nil, fmt.Errorf("%w: file too short", errTIFF)
	}
	var bo binary.ByteOrder
	switch string(data[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return nil, fmt.Errorf("%w: bad byte order mark", errTIFF)
	}
	if bo.Uint16(data[2:]) != 42 {
		return nil, fmt.Errorf("%w: not a classic TIFF (BigTIFF is not supported)", errTIFF)
	}
	off := int64(bo.Uint32(data[4:]))
	seen := map[int64]bool{}
	var pages []tiffPage
	for off != 0 {
		if len(pages) > maxPages || len(pages) >= maxTIFFPages {
			break
		}
		if seen[off] {
			return nil, fmt.Errorf("%w: directory loop at page %d", errTIFF, len(pages)+1)
		}
		seen[off] = true
		if off < 8 || off+2 > int64(len(data)) {
			if len(pages) > 0 {
				break // a bad link after good pages: keep what is there
			}
			return nil, fmt.Errorf("%w: directory offset %d outside the file", errTIFF, off)
		}
		n := int64(bo.Uint16(data[off:]))
		end := off + 2 + n*12
		if end+4 > int64(len(data)) {
			if len(pages) > 0 {
				break
			}
			return nil, fmt.Errorf("%w: directory at %d runs past the end of the file", errTIFF, off)
		}
		p := tiffPage{Compression: 1, BitsPerSample: 1}
		var xr, yr float64
		unit := 2
		for i := int64(0); i < n; i++ {
			e := data[off+2+i*12 : off+2+i*12+12]
			tag, typ, count := bo.Uint16(e), bo.Uint16(e[2:]), bo.Uint32(e[4:])
			val := func() int {
				switch typ {
				case 3: // SHORT
					return int(bo.Uint16(e[8:]))
				case 4: // LONG
					return int(bo.Uint32(e[8:]))
				}
				return 0
			}
			rational := func() float64 {
				if typ != 5 || count < 1 {
					return 0
				}
				o := int64(bo.Uint32(e[8:]))
				if o < 0 || o+8 > int64(len(data)) {
					return 0
				}
				num, den := bo.Uint32(data[o:]), bo.Uint32(data[o+4:])
				if den == 0 {
					return 0
				}
				return float64(num) / float64(den)
			}
			switch tag {
			case 256:
				p.Width = val()
			case 257:
				p.Height = val()
			case 258:
				if count == 1 {
					p.BitsPerSample = val()
				} else {
					p.BitsPerSample = 8
				}
			case 259:
				p.Compression = val()
			case 282:
				xr = rational()
			case 283:
				yr = rational()
			case 296:
				unit = val()
			}
		}
		switch unit {
		case 3: // centimetre
			xr, yr = xr*2.54, yr*2.54
		case 1: // no absolute unit: the ratio is all there is
			if xr > 0 && yr > 0 && xr < 10 {
				xr, yr = 0, 0
			}
		}
		p.XRes, p.YRes = int(xr+0.5), int(yr+0.5)
		pages = append(pages, p)
		off = int64(bo.Uint32(data[end:]))
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("%w: no pages", errTIFF)
	}
	return pages, nil
}
