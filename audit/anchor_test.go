package audit

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rxintake/casefile"
	"rxintake/validate"
)

// rewriteCheckpoints rewrites every checkpoint the server keeps, in the
// table and in the checkpoint directory, so that each records the hash now
// stored at its seq, as an attacker who rewrote the chain would. Signed
// lines keep their signature (the key is not on the server); unsigned lines
// get a fresh check value.
func rewriteCheckpoints(t *testing.T, db *sql.DB, dir string) {
	t.Helper()
	redo := func(line string) string {
		cps, err := parseCheckpoints(line, "x")
		if err != nil || len(cps) != 1 {
			t.Fatalf("checkpoint line %q: %v", line, err)
		}
		cp := cps[0]
		if err := db.QueryRow(`SELECT hash FROM audit_trail WHERE seq = ?`, cp.Seq).Scan(&cp.Hash); err != nil {
			t.Fatal(err)
		}
		return cp.Line()
	}
	rows, err := db.Query(`SELECT id, line FROM audit_checkpoint`)
	if err != nil {
		t.Fatal(err)
	}
	var stmts []string
	for rows.Next() {
		var id int64
		var line string
		if err := rows.Scan(&id, &line); err != nil {
			t.Fatal(err)
		}
		stmts = append(stmts, fmt.Sprintf(`UPDATE audit_checkpoint SET line = '%s' WHERE id = %d`, redo(line), id))
	}
	rows.Close()
	tamper(t, db, stmts...)
	files, _ := filepath.Glob(filepath.Join(CheckpointDir(dir), "checkpoint-*.txt"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(redo(strings.TrimSpace(string(b)))+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestVerifyRootRewrite: someone with the database and the data directory
// edits an entry and recomputes every hash after it and every checkpoint
// kept on the server. The chain is consistent again; the signatures are not.
func TestVerifyRootRewrite(t *testing.T) {
	tr, db, dir := verifyFixture(t)
	rewrite(t, db, 5, 20, func(r *row) { r.outcome = "edited" })
	rewriteCheckpoints(t, db, dir)

	rep, err := tr.Verify(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK || !strings.Contains(rep.String(), "audit trail NOT intact: the checkpoint taken 2026-11-20 14:10 UTC") ||
		!strings.Contains(rep.Problem, "does not match its signature: it was forged or altered") {
		t.Errorf("Verify after a rewrite with recomputed hashes = %q; want NOT intact, a forged checkpoint", rep)
	}

	// Without a key the same rewrite passes the chain and the checkpoints:
	// only a signature tells.
	plain, err := NewTrail(t.Context(), db, TrailOptions{CheckpointDir: CheckpointDir(dir), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if rep, _ := plain.Verify(t.Context()); !rep.OK || !rep.Unanchored {
		t.Errorf("Verify without a key = %q; want consistent but unanchored", rep)
	}
}

// TestVerifyRootRewriteUnsigned: the same rewrite with the signed
// checkpoints replaced by unsigned ones, or removed, leaves nothing that
// anchors the trail: Verify does not say intact, and the copy kept off the
// machine names the rewrite.
func TestVerifyRootRewriteUnsigned(t *testing.T) {
	tr, db, dir := verifyFixture(t)
	sink := filepath.Join(t.TempDir(), "checkpoints.txt")
	tr.opts.Sinks = []Sink{FileSink{Path: sink}}
	if err := tr.Deliver(t.Context()); err != nil {
		t.Fatal(err)
	}
	rewrite(t, db, 5, 20, func(r *row) { r.outcome = "edited" })
	tamper(t, db, `DELETE FROM audit_checkpoint`)
	if err := os.RemoveAll(CheckpointDir(dir)); err != nil {
		t.Fatal(err)
	}

	rep, err := tr.Verify(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := "audit trail unanchored since 2026-11-20 14:00 UTC: no signed checkpoint covers entries 1 to 20;"
	if !rep.OK || !strings.HasPrefix(rep.String(), want) {
		t.Errorf("Verify = %q\nwant it to start %q", rep, want)
	}
	rep, err = tr.VerifyAgainst(t.Context(), sink)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK || !strings.Contains(rep.Problem, "the trail was rewritten at or before entry 10") {
		t.Errorf("VerifyAgainst the file sink = %q; want the rewrite named", rep)
	}
}

func TestVerifyUnanchored(t *testing.T) {
	testClock(t)
	tr, _, _ := newTestTrail(t)
	fillTrail(t, tr, 3) // 14:00, 14:01, 14:02
	rep, err := tr.Verify(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := "audit trail unanchored since 2026-11-20 14:00 UTC: no signed checkpoint covers entries 1 to 3; 3 entries, last entry 3"
	if !rep.OK || !rep.Unanchored || !strings.HasPrefix(rep.String(), want) {
		t.Errorf("no checkpoint: Verify = %q\nwant %q...", rep, want)
	}

	if _, err := tr.Checkpoint(t.Context(), io.Discard); err != nil { // 14:03
		t.Fatal(err)
	}
	if rep, _ := tr.Verify(t.Context()); !rep.OK || rep.Unanchored || !strings.HasPrefix(rep.String(), "audit trail intact: 3 entries") {
		t.Errorf("after a checkpoint: Verify = %q; want intact", rep)
	}

	fillTrail(t, tr, 2) // 14:04, 14:05
	rep, _ = tr.Verify(t.Context())
	want = "audit trail unanchored since 2026-11-20 14:04 UTC: entries 4 to 5 written after the last signed checkpoint (entry 3);"
	if !rep.OK || !strings.HasPrefix(rep.String(), want) {
		t.Errorf("entries after the checkpoint: Verify = %q\nwant %q...", rep, want)
	}
}

func TestVerifyForeignKey(t *testing.T) {
	tr, db, dir := verifyFixture(t)
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))
	forger, err := NewTrail(t.Context(), db, TrailOptions{CheckpointDir: CheckpointDir(dir), SigningKey: other,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	fillTrail(t, tr, 1)
	if _, err := forger.Checkpoint(t.Context(), io.Discard); err != nil {
		t.Fatal(err)
	}
	rep, _ := tr.Verify(t.Context())
	if rep.OK || !strings.Contains(rep.Problem, "was signed with another key ("+keyID(other.Public().(ed25519.PublicKey))+")") {
		t.Errorf("Verify = %q; want a checkpoint signed with another key", rep)
	}
}

// caseFixture is a trail with the case tables beside it and one case,
// RX-CASE01, opened, decided and filed, then checkpointed.
func caseFixture(t *testing.T) (*Trail, *sql.DB, *casefile.Store) {
	t.Helper()
	return caseFixtureOn(t, "sqlite")
}

func caseFixtureOn(t *testing.T, backend string) (*Trail, *sql.DB, *casefile.Store) {
	t.Helper()
	testClock(t)
	tr, db, dir := newTestTrailOn(t, backend)
	ctx := t.Context()
	store, err := casefile.New(ctx, db, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE ledger (case_id TEXT NOT NULL, state TEXT NOT NULL, folder TEXT NOT NULL DEFAULT '')`); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := store.Open(ctx, tx, casefile.Opening{ID: "RX-CASE01", MessageRef: "INBOX/1"}); err != nil {
		t.Fatal(err)
	}
	rec := &casefile.Record{CaseID: "RX-CASE01", Status: casefile.StatusNeedsCorrection, Office: "Gulf Coast Family Medicine",
		Findings: []validate.Finding{{Rule: "signature-missing", Severity: validate.Error, Message: "No signature."}}}
	if err := store.PutRecord(ctx, tx, rec); err != nil {
		t.Fatal(err)
	}
	if err := store.SetStatus(ctx, tx, "RX-CASE01", casefile.StatusNeedsCorrection, "signature-missing"); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO ledger VALUES ('RX-CASE01', 'filed', 'Rx/Needs-Correction')`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		tr.CaseOpened(ctx, "RX-CASE01", "<a1@fax.example>"),
		tr.Decision(ctx, "RX-CASE01", "needs-correction"),
		tr.MessageFiled(ctx, "RX-CASE01", "<a1@fax.example>", "Rx/Needs-Correction"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tr.Checkpoint(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	return tr, db, store
}

func TestVerifyCaseRecords(t *testing.T) { eachBackend(t, testVerifyCaseRecords) }

func testVerifyCaseRecords(t *testing.T, backend string) {
	ctx := t.Context()
	t.Run("as recorded", func(t *testing.T) {
		tr, db, _ := caseFixtureOn(t, backend)
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM audit_trail WHERE event = 'case-state' AND case_id = 'RX-CASE01' AND outcome = 'recorded'`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("case-state entries = %d, %v; want 1", n, err)
		}
		if rep, _ := tr.Verify(ctx); !rep.OK || rep.Unanchored {
			t.Errorf("Verify = %q; want intact", rep)
		}
	})
	t.Run("changed by rxintake", func(t *testing.T) {
		tr, _, store := caseFixtureOn(t, backend)
		rec, err := store.Record(ctx, "RX-CASE01")
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.CaseOverridden(ctx, "alice", "RX-CASE01", Override{From: "needs-correction", To: "complete", Rules: []string{"signature-missing"}}); err != nil {
			t.Fatal(err)
		}
		if err := store.Settle(ctx, rec, casefile.StatusComplete, "review: accepted"); err != nil {
			t.Fatal(err)
		}
		if rep, _ := tr.Verify(ctx); !rep.OK || !rep.Unanchored {
			t.Errorf("before the next checkpoint: Verify = %q; want unanchored", rep)
		}
		if _, err := tr.Checkpoint(ctx, io.Discard); err != nil {
			t.Fatal(err)
		}
		if rep, _ := tr.Verify(ctx); !rep.OK || rep.Unanchored {
			t.Errorf("after it: Verify = %q; want intact", rep)
		}
	})
	edits := map[string]string{
		"status":   `UPDATE cases SET status = 'complete', status_reason = 'review: accepted' WHERE id = 'RX-CASE01'`,
		"findings": `UPDATE case_records SET record = replace(record, 'signature-missing', 'signature-present') WHERE case_id = 'RX-CASE01'`,
		"office":   `UPDATE case_records SET record = replace(record, 'Gulf Coast Family Medicine', 'Other Office') WHERE case_id = 'RX-CASE01'`,
		"filing":   `UPDATE ledger SET folder = 'Rx/Complete' WHERE case_id = 'RX-CASE01'`,
	}
	for what, stmt := range edits {
		t.Run(what+" edited in SQLite", func(t *testing.T) {
			tr, db, _ := caseFixtureOn(t, backend)
			tamper(t, db, stmt)
			want := "audit trail NOT intact: case RX-CASE01 was changed outside the audit trail after 2026-11-20 14:03 UTC: its status, findings, office or filing differ from what entry 4 recorded"
			if rep, _ := tr.Verify(ctx); rep.OK || rep.String() != want {
				t.Errorf("Verify = %q\nwant %q", rep, want)
			}
			// The next checkpoint does not absorb the change: it records
			// it as made outside the trail, for good.
			if _, err := tr.Checkpoint(ctx, io.Discard); err != nil {
				t.Fatal(err)
			}
			want = "audit trail NOT intact: case RX-CASE01 was changed outside the audit trail: its record no longer matched the trail when checked 2026-11-20 14:05 UTC (entry 5)"
			if rep, _ := tr.Verify(ctx); rep.OK || rep.String() != want {
				t.Errorf("after a checkpoint: Verify = %q\nwant %q", rep, want)
			}
		})
	}
	t.Run("removed", func(t *testing.T) {
		tr, db, _ := caseFixtureOn(t, backend)
		tamper(t, db, `DELETE FROM case_records`, `DELETE FROM cases`)
		if rep, _ := tr.Verify(ctx); rep.OK || !strings.Contains(rep.Problem, "case RX-CASE01 was removed outside the audit trail after 2026-11-20 14:03 UTC") {
			t.Errorf("Verify = %q; want the case removed", rep)
		}
	})
	t.Run("added", func(t *testing.T) {
		tr, db, _ := caseFixtureOn(t, backend)
		tamper(t, db, `INSERT INTO cases (id, message_ref, status, created, updated) VALUES ('RX-GHOST1', 'x', 'complete', '', '')`)
		if rep, _ := tr.Verify(ctx); rep.OK || !strings.Contains(rep.Problem, "case RX-GHOST1 was added outside the audit trail") {
			t.Errorf("Verify = %q; want the case added", rep)
		}
	})
}

// failingSink fails while fail is set, and keeps what it was sent.
type failingSink struct {
	fail bool
	got  [][]string
}

func (s *failingSink) Name() string { return "test" }
func (s *failingSink) Send(_ context.Context, lines []string) error {
	if s.fail {
		return errors.New("connection refused")
	}
	s.got = append(s.got, lines)
	return nil
}

func TestDeliver(t *testing.T) { eachBackend(t, testDeliver) }

func testDeliver(t *testing.T, backend string) {
	testClock(t)
	tr, _, _ := newTestTrailOn(t, backend)
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "archive", "checkpoints.txt")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	flaky := &failingSink{fail: true}
	tr.opts.Sinks = []Sink{FileSink{Path: path}, flaky}

	fillTrail(t, tr, 2)
	cp1, err := tr.Checkpoint(ctx, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	err = tr.Deliver(ctx)
	if err == nil || !strings.Contains(err.Error(), "deliver checkpoints to test: connection refused") {
		t.Errorf("Deliver = %v; want the failing sink named", err)
	}
	fillTrail(t, tr, 1)
	cp2, err := tr.Checkpoint(ctx, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := tr.Deliveries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := ds[1]; d.Failures != 1 || d.LastError != "connection refused" || d.FailingSince.IsZero() || d.SentThrough != 0 {
		t.Errorf("failing sink's delivery = %+v; want one failure recorded", d)
	}
	flaky.fail = false
	if err := tr.Deliver(ctx); err != nil {
		t.Fatal(err)
	}

	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := cp1.Line() + "\n" + cp2.Line() + "\n"; string(b) != want {
		t.Errorf("file sink holds\n%s\nwant\n%s", b, want)
	}
	// The sink that failed gets both at its next try, and nothing twice.
	if len(flaky.got) != 1 || strings.Join(flaky.got[0], "\n") != cp1.Line()+"\n"+cp2.Line() {
		t.Errorf("retried sink got %q; want both checkpoints once", flaky.got)
	}
	if ds, _ := tr.Deliveries(ctx); ds[1].Failures != 0 || ds[1].LastError != "" {
		t.Errorf("after a success: %+v; want the failure cleared", ds[1])
	}
	// What the sink received verifies the trail.
	if rep, err := tr.VerifyAgainst(ctx, path); err != nil || !rep.OK || rep.Unanchored {
		t.Errorf("VerifyAgainst the file sink = %q, %v", rep, err)
	}
}

func TestSigningKeyFile(t *testing.T) {
	dataDir := t.TempDir()
	keyDir := t.TempDir()
	path := filepath.Join(keyDir, "checkpoint.key")
	pub, err := WriteSigningKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteSigningKey(path); err == nil {
		t.Error("WriteSigningKey overwrote an existing key")
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, %v; want 0600", fi.Mode(), err)
	}
	k, err := LoadSigningKey(path, dataDir)
	if err != nil || !k.Public().(ed25519.PublicKey).Equal(pub) {
		t.Fatalf("LoadSigningKey = %v; want the key written", err)
	}
	if p, err := ParsePublicKey(FormatPublicKey(pub)); err != nil || !p.Equal(pub) {
		t.Errorf("ParsePublicKey(FormatPublicKey) = %v, %v", p, err)
	}

	for _, mode := range []os.FileMode{0o640, 0o604, 0o660} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := LoadSigningKey(path, dataDir)
		want := fmt.Sprintf("has permissions %04o: its group and others must have none (chmod 600 %s)", mode, path)
		if !errors.Is(err, ErrKey) || !strings.Contains(err.Error(), want) {
			t.Errorf("mode %04o: err = %v; want %q", mode, err, want)
		}
	}
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSigningKey(path, dataDir); err != nil {
		t.Errorf("mode 0400: %v", err)
	}

	inside := filepath.Join(dataDir, "keys", "checkpoint.key")
	if err := os.MkdirAll(filepath.Dir(inside), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteSigningKey(inside); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(keyDir, "link")
	if err := os.Symlink(filepath.Join(dataDir, "keys"), link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{inside, filepath.Join(link, "checkpoint.key")} {
		if _, err := LoadSigningKey(p, dataDir); !errors.Is(err, ErrKey) || !strings.Contains(err.Error(), "is inside data_dir") {
			t.Errorf("%s: err = %v; want a key inside data_dir refused", p, err)
		}
	}
}

// TestCheckpointNeverBlocksOnSinks: a sink that hangs holds up Deliver
// only until its context ends; the checkpoint is already taken.
func TestCheckpointNeverBlocksOnSinks(t *testing.T) {
	tr, _, _ := newTestTrail(t)
	tr.opts.Sinks = []Sink{hangingSink{}}
	fillTrail(t, tr, 1)
	if _, err := tr.Checkpoint(t.Context(), io.Discard); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if err := tr.Deliver(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Deliver = %v; want the deadline", err)
	}
	if rep, _ := tr.Verify(t.Context()); !rep.OK || rep.Unanchored {
		t.Errorf("Verify = %q; want intact", rep)
	}
}

type hangingSink struct{}

func (hangingSink) Name() string { return "hanging" }
func (hangingSink) Send(ctx context.Context, _ []string) error {
	<-ctx.Done()
	return ctx.Err()
}
