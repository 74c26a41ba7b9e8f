package main

import (
	"os"
	"testing"

	"rxintake/extract"
)

// TestMain lets the test binary serve as the OCR worker the commands start
// (the rxintake binary re-executed with a marker in its environment).
func TestMain(m *testing.M) {
	extract.ServeOCRWorker()
	os.Exit(m.Run())
}
