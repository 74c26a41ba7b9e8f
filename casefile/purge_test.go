package casefile

import (
	"database/sql"
	"os"
	"testing"
	"time"
)

// The page images of cases opened before the cutoff go; one a newer case
// shows too stays, and so do the newer case's own.
func TestPurgeImages(t *testing.T) { eachBackend(t, testPurgeImages) }

func testPurgeImages(t *testing.T, backend string) {
	s, db := newTestStore(t, backend)
	ctx := t.Context()
	put := func(b string) string {
		t.Helper()
		sum, err := s.PutImage([]byte(b))
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	oldOnly, shared, newOnly := put("old page"), put("shared page"), put("new page")
	cutoff := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		id     string
		at     time.Time
		images []string
	}{
		{"RX-0LD001", cutoff.AddDate(-1, 0, 0), []string{oldOnly, shared}},
		{"RX-NEW001", cutoff.AddDate(1, 0, 0), []string{shared, newOnly}},
	} {
		inTx(t, db, func(tx *sql.Tx) error {
			if _, err := s.Open(ctx, tx, Opening{ID: c.id, MessageRef: "INBOX/1", At: c.at}); err != nil {
				return err
			}
			return s.PutRecord(ctx, tx, &Record{CaseID: c.id, Status: StatusComplete, PageImages: c.images})
		})
	}
	n, err := s.PurgeImages(ctx, cutoff)
	if err != nil || n != 1 {
		t.Fatalf("PurgeImages: %d, %v; want 1", n, err)
	}
	for sum, want := range map[string]bool{oldOnly: false, shared: true, newOnly: true} {
		_, err := os.Stat(s.ImagePath(sum))
		if got := err == nil; got != want {
			t.Errorf("image %.8s present %v, want %v", sum, got, want)
		}
	}
}
