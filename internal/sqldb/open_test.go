package sqldb

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestOpenFilesPrivate: the database and its journal files are the user's
// alone, even under the common umask 022, and so is a database an older
// version left readable.
func TestOpenFilesPrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "data")
	db, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE t (x); INSERT INTO t VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := map[string]os.FileMode{"": 0o700, DBFile: 0o600, DBFile + "-wal": 0o600, DBFile + "-shm": 0o600}
	for name, mode := range want {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, want %v", filepath.Join("data", name), fi.Mode().Perm(), mode)
		}
	}

	db.Close()
	for name := range want {
		if name != "" {
			os.Chmod(filepath.Join(dir, name), 0o644)
		}
	}
	db, err = Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name := range want {
		if fi, err := os.Stat(filepath.Join(dir, name)); err == nil && name != "" && fi.Mode().Perm() != 0o600 {
			t.Errorf("reopened: %s mode %v, want 0600", name, fi.Mode().Perm())
		}
	}
}
