package intake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"rxintake/internal/safeio"
)

// originals keeps every message as fetched, content-addressed:
// DIR/ab/cdef….eml where abcdef… is the SHA-256 of the bytes.
type originals struct{ dir string }

// ErrOriginalMissing reports that a stored original is absent or does not
// match its name.
var ErrOriginalMissing = errors.New("intake: stored original missing or damaged")

func digest(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

func (o originals) path(sum string) string {
	return filepath.Join(o.dir, sum[:2], sum[2:]+".eml")
}

// put stores raw durably (temp file, fsync, rename, fsync the directory)
// unless an intact copy is already there, and returns its path.
func (o originals) put(sum string, raw []byte) (string, error) {
	p := o.path(sum)
	if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, raw) {
		return p, nil
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("intake: store original: %w", err)
	}
	if err := safeio.WriteFile(p, raw, 0o600); err != nil {
		return "", fmt.Errorf("intake: store original: %w", err)
	}
	return p, nil
}

// get reads the original with digest sum and checks it.
func (o originals) get(sum string) ([]byte, error) {
	raw, err := os.ReadFile(o.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrOriginalMissing
	}
	if err != nil {
		return nil, fmt.Errorf("intake: read original: %w", err)
	}
	if digest(raw) != sum {
		return nil, ErrOriginalMissing
	}
	return raw, nil
}

// PurgeOriginals removes the stored originals of the messages taken in
// before before and filed since (retention.originals, docs/operations.md),
// and returns how many files went. An original also received later stays.
func (w *Worker) PurgeOriginals(ctx context.Context, before time.Time) (int, error) {
	sums, err := w.ledger.oldOriginals(ctx, before)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, sum := range sums {
		if len(sum) < 3 {
			continue
		}
		err := os.Remove(w.originals.path(sum))
		switch {
		case err == nil:
			n++
		case !errors.Is(err, fs.ErrNotExist):
			return n, fmt.Errorf("intake: purge original: %w", err)
		}
	}
	return n, nil
}
