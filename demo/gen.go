//go:build ignore

// gen copies the demo's sample documents from testdata/ and turns two of the
// fax TIFFs into image-only fax PDFs, the way fax services deliver them.
// Run it with `go generate ./demo` after the fixtures change.
package main

import (
	"bytes"
	"image"
	"log"
	"os"
	"path/filepath"

	"golang.org/x/image/tiff"

	"rxintake/corpus"
)

// copies are sent as they are.
var copies = []string{
	"rxpad-fine.tif", "missing-signature.tif", "faxmail-tiff.eml", "scan.png",
	"missing-frequency.jpg", "email-plain.eml", "ehr-order.pdf", "warnings-only.pdf",
}

// faxPDFs are single-page fax TIFFs sent again as fax PDFs, with the
// resolution of their fax mode.
var faxPDFs = []struct {
	tif        string
	xres, yres int
}{
	{"rxpad-standard.tif", 204, 98},
	{"expired-swedish.tif", 204, 98},
}

func main() {
	src, dst := filepath.Join("..", "testdata"), "samples"
	if err := os.MkdirAll(dst, 0o755); err != nil {
		log.Fatal(err)
	}
	for _, name := range copies {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			log.Fatal(err)
		}
		write(filepath.Join(dst, name), b)
	}
	for _, f := range faxPDFs {
		b, err := os.ReadFile(filepath.Join(src, f.tif))
		if err != nil {
			log.Fatal(err)
		}
		img, err := tiff.Decode(bytes.NewReader(b))
		if err != nil {
			log.Fatalf("%s: %v", f.tif, err)
		}
		gray, ok := img.(*image.Gray)
		if !ok {
			log.Fatalf("%s: a %T, not a bilevel page", f.tif, img)
		}
		base := f.tif[:len(f.tif)-len(".tif")]
		write(filepath.Join(dst, base+".pdf"), corpus.FaxPDF([]*image.Gray{gray}, f.xres, f.yres))
	}
}

func write(path string, b []byte) {
	if err := os.WriteFile(path, b, 0o644); err != nil {
		log.Fatal(err)
	}
}
