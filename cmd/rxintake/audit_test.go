package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"rxintake/audit"
	"rxintake/config"
	"rxintake/internal/pg"
	"rxintake/internal/sqldb"
)

// writeConfig writes a minimal configuration with its data directory next
// to it and returns the file's path.
func writeConfig(t *testing.T) (cfgPath, dataDir string) {
	t.Helper()
	dir := t.TempDir()
	cfgPath = filepath.Join(dir, "rxintake.yaml")
	if err := os.WriteFile(cfgPath, []byte("data_dir: ./data\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath, filepath.Join(dir, "data")
}

// writeSignedConfig is writeConfig with a checkpoint key, made by
// `rxintake audit keygen` in a directory of its own, and returns the key's
// path too.
func writeSignedConfig(t *testing.T) (cfgPath, dataDir, keyFile string) {
	t.Helper()
	keyFile = filepath.Join(t.TempDir(), "checkpoint.key")
	code, stdout, stderr := runCmd(t, "audit", "keygen", "--out", keyFile)
	if code != 0 || !strings.Contains(stdout, "public key, for audit.checkpoint_public_key: ed25519:") {
		t.Fatalf("keygen: exit %d, %q %q", code, stdout, stderr)
	}
	dir := t.TempDir()
	cfgPath = filepath.Join(dir, "rxintake.yaml")
	if err := os.WriteFile(cfgPath, []byte("data_dir: ./data\naudit:\n  checkpoint_key_file: "+keyFile+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath, filepath.Join(dir, "data"), keyFile
}

// signedTrail opens the trail in db with the key in keyFile, as the worker
// does.
func signedTrail(t *testing.T, db *sql.DB, dataDir, keyFile string) *audit.Trail {
	t.Helper()
	k, err := audit.LoadSigningKey(keyFile, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := audit.NewTrail(t.Context(), db, audit.TrailOptions{CheckpointDir: audit.CheckpointDir(dataDir), SigningKey: k,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// seedTrail writes a few entries to the trail in dataDir.
func seedTrail(t *testing.T, dataDir string) *sql.DB {
	t.Helper()
	ctx := t.Context()
	db, err := sqldb.Open(ctx, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tr, err := audit.NewTrail(ctx, db, audit.TrailOptions{CheckpointDir: audit.CheckpointDir(dataDir), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		tr.CaseOpened(ctx, "RX-7K3QH2", "<a1@fax.example>"),
		tr.Decision(ctx, "RX-7K3QH2", "needs-review"),
		tr.PageViewed(ctx, "alice", "/cases/RX-7K3QH2", "RX-7K3QH2"),
		tr.CaseOverridden(ctx, "alice", "RX-7K3QH2", audit.Override{From: "needs-review", To: "complete", Rules: []string{"low-confidence"}}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestAuditVerify(t *testing.T) {
	cfg, dataDir, keyFile := writeSignedConfig(t)

	code, _, stderr := runCmd(t, "audit", "verify", "--config", cfg)
	if code != 2 || !strings.Contains(stderr, "cannot be read") {
		t.Fatalf("no database: exit %d, %q; want 2", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dataDir, sqldb.DBFile)); err == nil {
		t.Error("verify created a database")
	}

	db := seedTrail(t, dataDir)
	// No checkpoint yet: nothing shows the entries are as written.
	code, stdout, _ := runCmd(t, "audit", "verify", "--config", cfg)
	unanchored := regexp.MustCompile(`^audit trail unanchored since \d{4}-\d\d-\d\d \d\d:\d\d UTC: no signed checkpoint covers entries 1 to 4; 4 entries, last entry 4 `)
	if code != 3 || !unanchored.MatchString(stdout) {
		t.Fatalf("no checkpoint: exit %d, %q; want 3 and %s", code, stdout, unanchored)
	}
	t.Logf("unanchored: %s", stdout)

	if _, err := signedTrail(t, db, dataDir, keyFile).Checkpoint(t.Context(), io.Discard); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = runCmd(t, "audit", "verify", "--config", cfg)
	if code != 0 || !strings.HasPrefix(stdout, "audit trail intact: 4 entries, last entry 4") {
		t.Fatalf("intact: exit %d, %q; want 0", code, stdout)
	}
	t.Logf("intact: %s", stdout)

	// A checkpoint kept elsewhere, then entries removed from the end.
	cpDir := t.TempDir()
	code, stdout, stderr = runCmd(t, "audit", "verify", "--config", cfg, "--against", filepath.Join(cpDir, "none.txt"))
	if code != 2 {
		t.Errorf("missing checkpoint file: exit %d, %q %q; want 2", code, stdout, stderr)
	}

	// Edited by raw SQL: the triggers are dropped first, as someone with
	// the sqlite3 shell would.
	for _, q := range []string{`DROP TRIGGER audit_trail_no_update`, `UPDATE audit_trail SET outcome = 'needs-correction' WHERE seq = 2`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, _ = runCmd(t, "audit", "verify", "--config", cfg)
	if code != 1 || !strings.Contains(stdout, "audit trail NOT intact: entry 2 was changed after it was written") || !strings.Contains(stdout, "event decision") {
		t.Fatalf("tampered: exit %d, %q; want 1 naming entry 2", code, stdout)
	}
	t.Logf("tampered: %s", stdout)
}

const appendChildEnv = "RXINTAKE_TEST_APPEND" // config file, entries, case id of an appending child

// TestAuditVerifyPostgresConcurrent: three processes append to one trail
// in PostgreSQL at once, taking checkpoints as they go, as three workers
// sharing the database do; `rxintake audit verify` then finds one intact
// chain holding every entry.
func TestAuditVerifyPostgresConcurrent(t *testing.T) {
	const perWriter = 60
	database := pg.Shared(t).NewDatabase(t)
	t.Setenv("RXINTAKE_TEST_DB_PASSWORD", pg.Password)
	_, _, keyFile := writeSignedConfig(t)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "rxintake.yaml")
	if err := os.WriteFile(cfgPath, []byte("data_dir: ./data\ndatabase: "+database+
		"\ndatabase_password_env: RXINTAKE_TEST_DB_PASSWORD\naudit:\n  checkpoint_key_file: "+keyFile+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCmd(t, "audit", "verify", "--config", cfgPath)
	if code != 2 || !strings.Contains(stderr, "no audit trail in the database") {
		t.Fatalf("empty database: exit %d, %q; want 2", code, stderr)
	}

	var children []*exec.Cmd
	outputs := make([]bytes.Buffer, 3)
	for i := range outputs {
		cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestAuditAppendChild$")
		cmd.Env = append(os.Environ(), appendChildEnv+"="+cfgPath+","+strconv.Itoa(perWriter)+",RX-00000"+strconv.Itoa(i))
		cmd.Stdout, cmd.Stderr = &outputs[i], &outputs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children = append(children, cmd)
	}
	for i, c := range children {
		if err := c.Wait(); err != nil {
			t.Fatalf("appending process %d: %v\n%s", i, err, outputs[i].Bytes())
		}
	}

	code, stdout, stderr := runCmd(t, "audit", "verify", "--config", cfgPath)
	want := "audit trail intact: " + strconv.Itoa(3*perWriter) + " entries, last entry " + strconv.Itoa(3*perWriter) + " "
	if code != 0 || !strings.HasPrefix(stdout, want) {
		t.Fatalf("after concurrent appends: exit %d, %q %q; want 0 and %q", code, stdout, stderr, want)
	}
	t.Logf("%s", stdout)
}

// TestAuditAppendChild is a process of TestAuditVerifyPostgresConcurrent:
// it appends decisions for one case, with a signed checkpoint every ten.
func TestAuditAppendChild(t *testing.T) {
	arg := os.Getenv(appendChildEnv)
	if arg == "" {
		t.Skip("run by TestAuditVerifyPostgresConcurrent")
	}
	parts := strings.Split(arg, ",")
	n, _ := strconv.Atoi(parts[1])
	cfg, err := config.Load(parts[0])
	if err != nil {
		t.Fatal(err)
	}
	db, err := openDB(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tr := signedTrail(t, db, cfg.DataDir, cfg.Audit.CheckpointKeyFile)
	for i := range n {
		if err := tr.Decision(t.Context(), parts[2], "complete"); err != nil {
			t.Fatal(err)
		}
		if i%10 == 9 {
			if _, err := tr.Checkpoint(t.Context(), io.Discard); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestAuditVerifyAgainst(t *testing.T) {
	cfg, dataDir, keyFile := writeSignedConfig(t)
	db := seedTrail(t, dataDir)
	ctx := t.Context()
	tr := signedTrail(t, db, dataDir, keyFile)
	cpFile, err := tr.WriteCheckpointFile(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if code, stdout, _ := runCmd(t, "audit", "verify", "--config", cfg, "--against", cpFile); code != 0 {
		t.Fatalf("against a matching checkpoint: exit %d, %q", code, stdout)
	}
	// The whole trail and its in-database checkpoints rewritten: only the
	// checkpoint kept elsewhere tells.
	for _, q := range []string{`DROP TRIGGER audit_trail_no_delete`, `DROP TRIGGER audit_checkpoint_no_delete`,
		`DELETE FROM audit_trail WHERE seq = 4`, `DELETE FROM audit_checkpoint`, `UPDATE sqlite_sequence SET seq = 3 WHERE name = 'audit_trail'`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.RemoveAll(audit.CheckpointDir(dataDir)); err != nil {
		t.Fatal(err)
	}
	if code, stdout, _ := runCmd(t, "audit", "verify", "--config", cfg); code != 3 || !strings.Contains(stdout, "unanchored since") {
		t.Fatalf("without the checkpoint: exit %d, %q; want 3 (the cut cannot be seen, but nothing anchors the trail)", code, stdout)
	}
	code, stdout, _ := runCmd(t, "audit", "verify", "--config", cfg, "--against", cpFile)
	if code != 1 || !strings.Contains(stdout, "entry 4 was removed from the end") {
		t.Fatalf("against the checkpoint: exit %d, %q; want 1", code, stdout)
	}
}

func TestAuditExport(t *testing.T) {
	cfg, dataDir := writeConfig(t)
	seedTrail(t, dataDir)
	code, stdout, _ := runCmd(t, "audit", "export", "--config", cfg, "--format", "csv")
	if code != 0 || !strings.HasPrefix(stdout, "seq,at,actor,case_id,event,outcome,detail,prev_hash,hash\n") || strings.Count(stdout, "\n") != 5 {
		t.Fatalf("csv: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = runCmd(t, "audit", "export", "--config", cfg, "--format", "jsonl")
	if code != 0 || strings.Count(stdout, "\n") != 4 || !strings.Contains(stdout, `"event":"case-overridden"`) {
		t.Fatalf("jsonl: exit %d\n%s", code, stdout)
	}
	if code, _, _ := runCmd(t, "audit", "export", "--config", cfg, "--format", "xml"); code != 2 {
		t.Errorf("bad format: exit %d, want 2", code)
	}
}

func TestUserAdd(t *testing.T) {
	cfg, dataDir := writeConfig(t)
	t.Setenv(newPasswordEnv, "correct horse battery")
	code, stdout, stderr := runCmd(t, "user", "add", "alice", "--config", cfg)
	if code != 0 || !strings.Contains(stdout, "user alice added") {
		t.Fatalf("user add: exit %d, %q %q", code, stdout, stderr)
	}
	fi, err := os.Stat(filepath.Join(dataDir, "users"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("users file: %v, %v; want mode 0600 in data_dir", err, fi)
	}
	t.Setenv(newPasswordEnv, "short")
	if code, _, stderr := runCmd(t, "user", "add", "--config", cfg, "bob"); code != 2 || !strings.Contains(stderr, "password") {
		t.Errorf("short password: exit %d %q; want 2", code, stderr)
	}
	os.Unsetenv(newPasswordEnv)
	stdin = strings.NewReader("bob's long password\nbob's long passwore\n")
	t.Cleanup(func() { stdin = os.Stdin })
	if code, _, stderr := runCmd(t, "user", "add", "--config", cfg, "bob"); code != 1 || !strings.Contains(stderr, "differ") {
		t.Errorf("passwords differ: exit %d %q; want 1", code, stderr)
	}
	stdin = strings.NewReader("bob's long password\nbob's long password\n")
	if code, _, stderr := runCmd(t, "user", "add", "--config", cfg, "bob"); code != 0 {
		t.Errorf("stdin: exit %d %q", code, stderr)
	}
	if code, _, _ := runCmd(t, "user", "add", "--config", cfg, "Mary Jones"); code != 2 {
		t.Errorf("bad name: exit %d, want 2", code)
	}
	code, stdout, _ = runCmd(t, "user", "list", "--config", cfg)
	if code != 0 || !strings.HasPrefix(stdout, "alice\t") || !strings.Contains(stdout, "\nbob\t") || strings.Contains(stdout, "$2") {
		t.Errorf("user list: exit %d\n%s", code, stdout)
	}
}
