package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rxintake/internal/pg"
	"rxintake/internal/sqldb"
)

// TestCycleLockPostgres: workers sharing a PostgreSQL database take turns.
// While another holds the database's cycle lock, `rxintake once` skips its
// cycle and says why; once it is released, the cycle runs (and fails here
// on a mailbox nobody answers at).
func TestCycleLockPostgres(t *testing.T) {
	database := pg.Shared(t).NewDatabase(t)
	t.Setenv("RXINTAKE_TEST_DB_PASSWORD", pg.Password)
	t.Setenv("TEST_IMAP_PASSWORD", "x")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "rxintake.yaml")
	conf := "data_dir: ./data\ndatabase: " + database + "\ndatabase_password_env: RXINTAKE_TEST_DB_PASSWORD\n" +
		"mailbox:\n  host: 127.0.0.1\n  port: 9\n  tls: none\n  username: rx\n  password_env: TEST_IMAP_PASSWORD\n"
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	other, err := sqldb.OpenURL(t.Context(), database, dir, pg.Password)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	release, ok, err := sqldb.TryLock(t.Context(), other, cycleLock)
	if err != nil || !ok {
		t.Fatalf("TryLock = %v, %v", ok, err)
	}
	code, stdout, stderr := runCmd(t, "once", "--config", cfg)
	if code != exitOK || !strings.Contains(stderr, "a worker sharing the database holds its cycle lock") || stdout != "" {
		t.Fatalf("lock held elsewhere: exit %d, %q %q; want 0 and the cycle skipped", code, stdout, stderr)
	}
	release()
	code, stdout, stderr = runCmd(t, "once", "--config", cfg)
	if code != exitErrors || strings.Contains(stderr, "cycle lock") || !strings.HasPrefix(stdout, "cycle:") {
		t.Fatalf("lock free: exit %d, %q %q; want 1 and a cycle that could not reach the mailbox", code, stdout, stderr)
	}
}
