package corpus

import (
	"bytes"
	"image"
	"math/rand/v2"
	"testing"

	"golang.org/x/image/ccitt"
)

// decodeG4 decodes T.6 data with golang.org/x/image/ccitt.
func decodeG4(t *testing.T, data []byte, w, h int) *image.Gray {
	t.Helper()
	got := image.NewGray(image.Rect(0, 0, w, h))
	if err := ccitt.DecodeIntoGray(got, bytes.NewReader(data), ccitt.MSB, ccitt.Group4, nil); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return got
}

// bilevel returns a w by h image drawn by f (true is black).
func bilevel(w, h int, f func(x, y int) bool) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if !f(x, y) {
				img.Pix[y*img.Stride+x] = 0xff
			}
		}
	}
	return img
}

func TestG4RoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name string
		img  *image.Gray
	}{
		{"white", bilevel(1728, 40, func(x, y int) bool { return false })},
		{"black", bilevel(1728, 40, func(x, y int) bool { return true })},
		{"first and last pixel", bilevel(1728, 10, func(x, y int) bool { return x == 0 || x == 1727 })},
		{"checkerboard", bilevel(64, 64, func(x, y int) bool { return (x+y)%2 == 0 })},
		{"stripes", bilevel(1728, 30, func(x, y int) bool { return (x/(y+1))%2 == 0 })},
		{"diagonal", bilevel(300, 300, func(x, y int) bool { return x >= y && x < y+5 })},
		{"long runs past 2560", bilevel(6000, 8, func(x, y int) bool { return y%2 == 0 && x > 2700 || y%2 == 1 && x < 5900 })},
		{"noise 1%", bilevel(1728, 50, func(x, y int) bool { return r.IntN(100) == 0 })},
		{"noise 50%", bilevel(517, 50, func(x, y int) bool { return r.IntN(2) == 0 })},
		{"blocks", bilevel(1728, 100, func(x, y int) bool { return (x/37+y/11)%3 == 0 })},
	}
	fs := testFontSet(t)
	page := flow([]sheet{{left: 72, right: 72, top: 72, bottom: 72, body: 11, blocks: []block{
		textBlock(roleBold, 18, "Gulf Coast Family Medicine"),
		textBlock(roleRegular, 11, "Dx: M54.50 Low back pain, unspecified; M62.830 Muscle spasm of back"),
		{kind: blockSign, sig: &sigBlock{kind: sigWet, name: "Anil Patel, MD", inkName: "Anil Patel", seed: 9}},
	}}}, fs)[0]
	tests = append(tests, struct {
		name string
		img  *image.Gray
	}{"fax page", faxPage(fs, page, "NOV-20-2026 14:32  FROM: GULF COAST FAMILY MED  9415550143  P. 1/2", faxOpts{skew: 0.7, speckle: 3e-5, jitter: 20}, r)})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.img.Bounds()
			data := EncodeG4(tc.img)
			got := decodeG4(t, data, b.Dx(), b.Dy())
			for y := 0; y < b.Dy(); y++ {
				for x := 0; x < b.Dx(); x++ {
					want := tc.img.Pix[y*tc.img.Stride+x] < 0x80
					if black := got.Pix[y*got.Stride+x] < 0x80; black != want {
						t.Fatalf("pixel (%d,%d): black %v, want %v", x, y, black, want)
					}
				}
			}
		})
	}
}

func testFontSet(t testing.TB) *fontSet {
	t.Helper()
	fs, err := newFontSet("Liberation Sans", "DkgHandwriting")
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func FuzzG4RoundTrip(f *testing.F) {
	f.Add(uint16(17), uint8(5), []byte{0x0f, 0xf0, 0x55})
	f.Fuzz(func(t *testing.T, w16 uint16, h8 uint8, seed []byte) {
		w, h := int(w16%3000)+1, int(h8%40)+1
		var s uint64
		for _, b := range seed {
			s = s*131 + uint64(b)
		}
		r := rand.New(rand.NewPCG(s, 1))
		p := r.Float64()
		img := bilevel(w, h, func(x, y int) bool { return r.Float64() < p })
		got := decodeG4(t, EncodeG4(img), w, h)
		if !bytes.Equal(normalize(got), normalize(img)) {
			t.Fatalf("round trip differs for %dx%d", w, h)
		}
	})
}

func normalize(img *image.Gray) []byte {
	b := img.Bounds()
	out := make([]byte, 0, b.Dx()*b.Dy())
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			out = append(out, img.Pix[y*img.Stride+x]>>7)
		}
	}
	return out
}
