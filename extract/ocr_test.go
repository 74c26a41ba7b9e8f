package extract

import (
	"context"
	"maps"
	"slices"
	"testing"
)

// Warm starts every worker, each with its models loaded; the documents
// read afterwards are read by those same processes.
func TestWarmStartsEveryWorker(t *testing.T) {
	pool := NewOCRPool(OCROptions{Workers: 2})
	defer pool.Close()
	if err := pool.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	pids := func() []int {
		pool.mu.Lock()
		defer pool.mu.Unlock()
		var out []int
		for w := range maps.Keys(pool.all) {
			if !w.dead() {
				out = append(out, w.cmd.Process.Pid)
			}
		}
		slices.Sort(out)
		return out
	}
	warm := pids()
	if len(warm) != 2 {
		t.Fatalf("%d workers running after Warm, want 2", len(warm))
	}
	r := NewReader(pool, DefaultLimits)
	if d := r.Read(context.Background(), "order.pdf", minimalPDF(612, 792, "")); len(d.Pages) != 1 || len(d.Problems) != 0 {
		t.Fatalf("pages %d, problems %v", len(d.Pages), d.Problems)
	}
	if after := pids(); !slices.Equal(after, warm) {
		t.Errorf("workers %v after a document, want the warm ones %v", after, warm)
	}
}
