package extract

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tinyTIFF builds a little-endian TIFF whose every page header claims
// width x height, with no pixel data: enough for the header walk.
func tinyTIFF(pages, width, height int) []byte {
	le := binary.LittleEndian
	b := []byte("II*\x00\x08\x00\x00\x00")
	for i := range pages {
		entries := [][3]uint32{{256, 4, uint32(width)}, {257, 4, uint32(height)}, {259, 3, 4}}
		b = le.AppendUint16(b, uint16(len(entries)))
		for _, e := range entries {
			b = le.AppendUint16(b, uint16(e[0]))
			b = le.AppendUint16(b, uint16(e[1]))
			b = le.AppendUint32(b, 1)
			if e[1] == 3 {
				b = le.AppendUint16(b, uint16(e[2]))
				b = le.AppendUint16(b, 0)
			} else {
				b = le.AppendUint32(b, e[2])
			}
		}
		next := uint32(0)
		if i < pages-1 {
			next = uint32(len(b) + 4)
		}
		b = le.AppendUint32(b, next)
	}
	return b
}

func TestReadTIFFPagesRealFax(t *testing.T) {
	dir := sharedData(t, "realfax")
	want := map[string]struct {
		pages      int
		xres, yres int
		comp       int
	}{
		"received-fax-g3-2d-standard.tif":        {1, 204, 98, 3},
		"received-fax-testchart-g3.tif":          {1, 0, 0, 3},
		"ccitt1-letter-signature-g4.tif":         {1, 0, 0, 4},
		"ccitt3-invoice-form-g4.tif":             {1, 0, 0, 4},
		"ccitt8-handwritten-memo-rotated-g4.tif": {1, 0, 0, 4},
		"scanned-form-g4-300dpi.tif":             {1, 0, 0, 4},
		"g3-1d-no-eol.tif":                       {1, 300, 300, 3},
		"blank-page-modified-huffman.tif":        {1, 0, 0, 2},
		"office-scan-old-jpeg-600dpi.tif":        {1, 600, 600, 6},
		"two-page-jpeg-in-tiff.tif":              {2, 0, 0, 0},
	}
	for name, w := range want {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			pages, err := readTIFFPages(data, 50)
			if err != nil {
				t.Fatal(err)
			}
			if len(pages) != w.pages {
				t.Fatalf("%d pages, want %d", len(pages), w.pages)
			}
			p := pages[0]
			if w.xres != 0 && (p.XRes != w.xres || p.YRes != w.yres) {
				t.Errorf("resolution %dx%d, want %dx%d", p.XRes, p.YRes, w.xres, w.yres)
			}
			if w.comp != 0 && p.Compression != w.comp {
				t.Errorf("compression %d (%s), want %d", p.Compression, compressionName(p.Compression), w.comp)
			}
		})
	}
}

func TestReadTIFFPagesMalformed(t *testing.T) {
	loop := tinyTIFF(1, 10, 10)
	binary.LittleEndian.PutUint32(loop[len(loop)-4:], 8) // next IFD points back at the first
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"short", []byte("II*\x00"), "too short"},
		{"bigtiff", []byte("II+\x00\x08\x00\x00\x00\x00\x00\x00\x00"), "BigTIFF"},
		{"offset outside", []byte("II*\x00\xff\xff\x00\x00"), "outside the file"},
		{"directory loop", loop, "loop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readTIFFPages(tt.data, 50)
			if !errors.Is(err, errTIFF) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func FuzzReadTIFFPages(f *testing.F) {
	f.Add(tinyTIFF(2, 1728, 2200))
	f.Add([]byte("MM\x00*\x00\x00\x00\x08\x00\x01\x01\x00\x00\x04\x00\x00\x00\x01\x00\x00\x10\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pages, err := readTIFFPages(data, 50)
		if err == nil && (len(pages) == 0 || len(pages) > 51) {
			t.Fatalf("%d pages without error", len(pages))
		}
	})
}
