// Package rxintake holds the files of testdata/ that the program itself
// carries: the documents of the demo's sample mailbox (package demo). The
// tests read testdata/ from disk and `rxintake demo` reads the same files
// from the binary, so each document has one copy. Only this directory, the
// root of the module, can embed them: go:embed does not reach into a parent
// directory, and a directory named testdata holds no package.
package rxintake

import "embed"

// DemoFixtures are the fixtures of testdata/ the demo sends, under their
// path in the repository ("testdata/scan.png"). .dockerignore lets the
// same files into the image's build.
//
//go:embed testdata/rxpad-fine.tif testdata/rxpad-standard.tif testdata/missing-signature.tif
//go:embed testdata/expired-swedish.tif testdata/faxmail-tiff.eml testdata/scan.png
//go:embed testdata/missing-frequency.jpg testdata/email-plain.eml testdata/ehr-order.pdf
//go:embed testdata/warnings-only.pdf
var DemoFixtures embed.FS
