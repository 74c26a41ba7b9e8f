package extract

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	ServeOCRWorker() // the OCR workers are this test binary, re-executed
	os.Exit(m.Run())
}

var (
	poolOnce   sync.Once
	sharedPool *OCRPool
)

// testReader returns a reader on a pool shared by the package's tests.
func testReader(t testing.TB) *Reader {
	t.Helper()
	poolOnce.Do(func() { sharedPool = NewOCRPool(OCROptions{}) })
	return NewReader(sharedPool, DefaultLimits)
}

func readFile(t testing.TB, r *Reader, path string) *Document {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	return r.Read(ctx, filepath.Base(path), data)
}

// sharedData is the folder of real fax files beside the repository.
func sharedData(t testing.TB, sub string) string {
	t.Helper()
	for _, dir := range []string{"../../shared/data", "../shared/data"} {
		p := filepath.Join(dir, sub)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("shared/data/%s not found beside the repository", sub)
	}
	t.Skipf("shared/data/%s not found beside the repository", sub)
	return ""
}
