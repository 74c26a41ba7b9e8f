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
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"rxintake/internal/pg"
	"rxintake/internal/sqldb"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// eachBackend runs test on SQLite and on PostgreSQL.
func eachBackend(t *testing.T, test func(t *testing.T, backend string)) {
	for _, backend := range pg.Backends {
		t.Run(backend, func(t *testing.T) { test(t, backend) })
	}
}

const (
	testDocHash    = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" // sha256("test")
	testConfigHash = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae" // sha256("foo")
)

// testCorrection is the correction request of the event table.
func testCorrection(attempt int) Correction {
	return Correction{
		OfficeID:  "Gulf Coast Family Medicine",
		To:        []string{"rx@gulfcoastfm.example"},
		MessageID: "<req-1@clinic.example>",
		Rules:     []string{"signature-missing"},
		Attempt:   attempt,
	}
}

// trailEvents calls every event method once, with what it must store. The
// Message-ID hashes are sha256sum output, cut to 12 hex digits.
var trailEvents = []struct {
	call                                  func(context.Context, *Trail) error
	actor, caseID, event, outcome, detail string
}{
	{
		func(ctx context.Context, tr *Trail) error {
			return tr.MessageReceived(ctx, Message{MessageID: "<abc@fax.example>", Mailbox: "INBOX", UIDValidity: 7, UID: 42, Attachments: 1})
		},
		"worker", "", "message-received", "received",
		`{"message_id_hash":"6a9ac21bbba6","mailbox":"INBOX","uid_validity":7,"uid":42,"attachments":1}`,
	},
	{
		func(ctx context.Context, tr *Trail) error { return tr.CaseOpened(ctx, "C-1", "abc@fax.example") },
		"worker", "C-1", "case-opened", "opened",
		`{"message_id_hash":"6a9ac21bbba6"}`,
	},
	{
		func(ctx context.Context, tr *Trail) error {
			return tr.DocumentRead(ctx, "C-1", Document{SHA256: strings.ToUpper(testDocHash), Pages: 2, OCR: true, MeanConfidence: 0.91234})
		},
		"worker", "C-1", "document-read", "read",
		`{"document_sha256":"` + testDocHash + `","pages":2,"ocr":true,"ocr_mean_confidence":0.912}`,
	},
	{
		func(ctx context.Context, tr *Trail) error {
			return tr.Findings(ctx, "C-1", []FindingRef{{"diagnosis-single", "warning"}, {"signature-missing", "error"}})
		},
		"worker", "C-1", "findings", "errors",
		`{"findings":[{"rule":"diagnosis-single","severity":"warning"},{"rule":"signature-missing","severity":"error"}],"errors":1,"warnings":1}`,
	},
	{
		func(ctx context.Context, tr *Trail) error { return tr.Decision(ctx, "C-1", "needs-correction") },
		"worker", "C-1", "decision", "needs-correction", `{}`,
	},
	{
		func(ctx context.Context, tr *Trail) error { return tr.CorrectionQueued(ctx, "C-1", testCorrection(0)) },
		"worker", "C-1", "correction-queued", "queued",
		`{"message_id_hash":"ecada0595ad1","office":"Gulf Coast Family Medicine","rules":["signature-missing"],"to":["rx@gulfcoastfm.example"]}`,
	},
	{
		func(ctx context.Context, tr *Trail) error { return tr.CorrectionSent(ctx, "C-1", testCorrection(1)) },
		"worker", "C-1", "correction-sent", "sent",
		`{"attempt":1,"message_id_hash":"ecada0595ad1","office":"Gulf Coast Family Medicine","rules":["signature-missing"],"to":["rx@gulfcoastfm.example"]}`,
	},
	{
		func(ctx context.Context, tr *Trail) error {
			return tr.CorrectionFailed(ctx, "C-1", testCorrection(2), SendFailure{Code: 451, Enhanced: "4.3.0"})
		},
		"worker", "C-1", "correction-failed", "temporary-failure",
		`{"attempt":2,"enhanced_code":"4.3.0","message_id_hash":"ecada0595ad1","office":"Gulf Coast Family Medicine","permanent":false,"rules":["signature-missing"],"smtp_code":451,"to":["rx@gulfcoastfm.example"]}`,
	},
	{
		func(ctx context.Context, tr *Trail) error {
			return tr.CorrectionReminded(ctx, "C-1", testCorrection(0), 1)
		},
		"worker", "C-1", "correction-reminded", "sent",
		`{"message_id_hash":"ecada0595ad1","office":"Gulf Coast Family Medicine","reminder":1,"rules":["signature-missing"],"to":["rx@gulfcoastfm.example"]}`,
	},
	{
		func(ctx context.Context, tr *Trail) error {
			return tr.MessageFiled(ctx, "C-1", "<abc@fax.example>", "Rx/Needs-Correction")
		},
		"worker", "C-1", "message-filed", "filed",
		`{"message_id_hash":"6a9ac21bbba6","folder":"Rx/Needs-Correction"}`,
	},
	{
		func(ctx context.Context, tr *Trail) error {
			return tr.CorrectedRxLinked(ctx, "C-1", "C-2", "<rx-9@gulfcoastfm.example>")
		},
		"worker", "C-1", "corrected-rx-linked", "linked",
		`{"corrected_case_id":"C-2","message_id_hash":"d6cfb725735f"}`,
	},
	{
		func(ctx context.Context, tr *Trail) error {
			return tr.CaseOverridden(ctx, "maria", "C-2", Override{From: "needs-review", To: "complete", Rules: []string{"diagnosis-single"}})
		},
		"user:maria", "C-2", "case-overridden", "complete",
		`{"from":"needs-review","to":"complete","rules":["diagnosis-single"]}`,
	},
	{
		func(ctx context.Context, tr *Trail) error { return tr.PageViewed(ctx, "maria", "/cases/C-2", "C-2") },
		"user:maria", "C-2", "page-viewed", "viewed", `{"page":"/cases/C-2"}`,
	},
	{
		func(ctx context.Context, tr *Trail) error {
			return tr.UserSignedIn(ctx, "maria", netip.MustParseAddr("::ffff:192.0.2.10"))
		},
		"user:maria", "", "user-signed-in", "ok", `{"remote":"192.0.2.10"}`,
	},
	{
		func(ctx context.Context, tr *Trail) error {
			return tr.UserSignInFailed(ctx, "maria", netip.MustParseAddr("192.0.2.10"), SignInBadPassword)
		},
		"user:maria", "", "user-sign-in-failed", "bad-password", `{"remote":"192.0.2.10"}`,
	},
	{
		func(ctx context.Context, tr *Trail) error {
			return tr.UserSignInFailed(ctx, "", netip.MustParseAddr("198.51.100.7"), SignInUnknownUser)
		},
		"anonymous", "", "user-sign-in-failed", "unknown-user", `{"remote":"198.51.100.7"}`,
	},
	{
		func(ctx context.Context, tr *Trail) error { return tr.ConfigLoaded(ctx, testConfigHash, "v0.3.1") },
		"worker", "", "config-loaded", "loaded", `{"config_sha256":"` + testConfigHash + `","version":"v0.3.1"}`,
	},
	{
		func(ctx context.Context, tr *Trail) error {
			return tr.DuplicateSendSuspected(ctx, "C-1", testCorrection(0), "<req-0@clinic.example>", true)
		},
		"worker", "C-1", "duplicate-send-suspected", "held",
		`{"message_id_hash":"ecada0595ad1","office":"Gulf Coast Family Medicine","previous_message_id_hash":"34707b3ef8e3","rules":["signature-missing"],"to":["rx@gulfcoastfm.example"]}`,
	},
}

// testClock makes timeNow return 2026-11-20 14:00 UTC and one minute more
// at every call.
func testClock(t *testing.T) {
	t.Helper()
	var mu sync.Mutex
	now := time.Date(2026, 11, 20, 14, 0, 0, 0, time.UTC)
	old := timeNow
	timeNow = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		n := now
		now = now.Add(time.Minute)
		return n
	}
	t.Cleanup(func() { timeNow = old })
}

// testKey signs the checkpoints of test trails.
var testKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))

// newTestTrail opens a trail in a fresh data directory, checkpoints signed
// with testKey, returning it, its
// database and the data directory.
func newTestTrail(t testing.TB) (*Trail, *sql.DB, string) {
	t.Helper()
	return newTestTrailOn(t, "sqlite")
}

// newTestTrailOn is newTestTrail on backend (pg.Backends).
func newTestTrailOn(t testing.TB, backend string) (*Trail, *sql.DB, string) {
	t.Helper()
	dir := t.TempDir()
	db, _ := pg.OpenDB(t, backend, dir)
	tr, err := NewTrail(t.Context(), db, TrailOptions{
		CheckpointDir: CheckpointDir(dir),
		SigningKey:    testKey,
		Logger:        slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	return tr, db, dir
}

// fillTrail appends n entries, cycling through trailEvents.
func fillTrail(t testing.TB, tr *Trail, n int) {
	t.Helper()
	for i := range n {
		if err := trailEvents[i%len(trailEvents)].call(t.Context(), tr); err != nil {
			t.Fatalf("appending entry %d: %v", i+1, err)
		}
	}
}

// tamper runs statements in one transaction, after dropping the triggers
// that refuse changes, as someone with the sqlite3 shell (or psql) would.
func tamper(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	tx, err := db.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	drops := []string{
		"DROP TRIGGER IF EXISTS audit_trail_no_update", "DROP TRIGGER IF EXISTS audit_trail_no_delete",
		"DROP TRIGGER IF EXISTS audit_checkpoint_no_update", "DROP TRIGGER IF EXISTS audit_checkpoint_no_delete",
	}
	if sqldb.DialectOf(db) == sqldb.Postgres {
		drops = []string{"ALTER TABLE audit_trail DISABLE TRIGGER USER", "ALTER TABLE audit_checkpoint DISABLE TRIGGER USER"}
	}
	for _, s := range append(drops, stmts...) {
		if _, err := tx.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// rewrite changes entry from with change and recomputes the hashes of
// entries from..through so that each still chains to the one before, as an
// attacker who knows the hash would.
func rewrite(t *testing.T, db *sql.DB, from, through int64, change func(*row)) {
	t.Helper()
	rows, err := db.Query(`SELECT `+rowColumns+` FROM audit_trail WHERE seq BETWEEN ? AND ? ORDER BY seq`, from, through)
	if err != nil {
		t.Fatal(err)
	}
	var rs []row
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	rows.Close()
	change(&rs[0])
	var stmts []string
	prev := rs[0].prev
	for _, r := range rs {
		r.prev = prev
		r.hash = r.computeHash(r.seq, r.prev)
		prev = r.hash
		stmts = append(stmts, fmt.Sprintf(`UPDATE audit_trail SET outcome = '%s', prev_hash = '%s', hash = '%s' WHERE seq = %d`,
			r.outcome, r.prev, r.hash, r.seq))
	}
	tamper(t, db, stmts...)
}

func TestTrailEvents(t *testing.T) { eachBackend(t, testTrailEvents) }

func testTrailEvents(t *testing.T, backend string) {
	testClock(t)
	tr, _, _ := newTestTrailOn(t, backend)
	for i, ev := range trailEvents {
		t.Run(ev.event, func(t *testing.T) {
			if err := ev.call(t.Context(), tr); err != nil {
				t.Fatal(err)
			}
			got, err := tr.List(t.Context(), Filter{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			e := got[0]
			want := time.Date(2026, 11, 20, 14, i, 0, 0, time.UTC)
			if e.Seq != int64(i+1) || !e.At.Equal(want) || e.Actor != ev.actor || e.CaseID != ev.caseID ||
				e.Event != ev.event || e.Outcome != ev.outcome || string(e.Detail) != ev.detail {
				t.Errorf("stored\n  %d %s %q %q %q %q %s\nwant\n  %d %s %q %q %q %q %s",
					e.Seq, e.At.Format(time.RFC3339), e.Actor, e.CaseID, e.Event, e.Outcome, e.Detail,
					i+1, want.Format(time.RFC3339), ev.actor, ev.caseID, ev.event, ev.outcome, ev.detail)
			}
		})
	}
	rep, err := tr.Verify(t.Context())
	if err != nil || !rep.OK || rep.Entries != len(trailEvents) {
		t.Errorf("Verify = %+v, %v; want OK with %d entries", rep, err, len(trailEvents))
	}
}

// TestTrailEventRefusesPHI: arguments that could carry PHI, or are not what
// their names say, are refused without writing, and the error does not
// repeat them (errors end up in logs).
func TestTrailEventRefusesPHI(t *testing.T) {
	tr, _, _ := newTestTrail(t)
	ip := netip.MustParseAddr("192.0.2.1")
	withTo := func(to ...string) Correction { c := testCorrection(1); c.To = to; return c }
	tests := []struct {
		name string
		call func(context.Context) error
	}{
		{"patient name as case id", func(ctx context.Context) error { return tr.CaseOpened(ctx, "Mary Jones", "<a@b>") }},
		{"date of birth in case id", func(ctx context.Context) error { return tr.Decision(ctx, "Jones 1961/04/02", "complete") }},
		{"free text as status", func(ctx context.Context) error { return tr.Decision(ctx, "C-1", "ok, Mary Jones called") }},
		{"OCR text as rule id", func(ctx context.Context) error {
			return tr.Findings(ctx, "C-1", []FindingRef{{"Mary Jones DOB 04/02/1961", "error"}})
		}},
		{"unknown severity", func(ctx context.Context) error {
			return tr.Findings(ctx, "C-1", []FindingRef{{"signature-missing", "fatal"}})
		}},
		{"address with display name", func(ctx context.Context) error {
			return tr.CorrectionSent(ctx, "C-1", withTo("Mary Jones <mary@example.com>"))
		}},
		{"no address", func(ctx context.Context) error { return tr.CorrectionSent(ctx, "C-1", withTo()) }},
		{"not an address", func(ctx context.Context) error { return tr.CorrectionSent(ctx, "C-1", withTo("Mary Jones")) }},
		{"page with query", func(ctx context.Context) error {
			return tr.PageViewed(ctx, "maria", "/search?q=Mary+Jones", "")
		}},
		{"page with space", func(ctx context.Context) error { return tr.PageViewed(ctx, "maria", "/search/Mary Jones", "") }},
		{"typed user name of unknown user", func(ctx context.Context) error {
			return tr.UserSignInFailed(ctx, "hunter2", ip, SignInUnknownUser)
		}},
		{"unknown sign-in reason", func(ctx context.Context) error { return tr.UserSignInFailed(ctx, "maria", ip, "because") }},
		{"document hash not a hash", func(ctx context.Context) error {
			return tr.DocumentRead(ctx, "C-1", Document{SHA256: "jones-referral.pdf", Pages: 1})
		}},
		{"confidence out of range", func(ctx context.Context) error {
			return tr.DocumentRead(ctx, "C-1", Document{SHA256: testDocHash, Pages: 1, OCR: true, MeanConfidence: 91})
		}},
		{"negative pages", func(ctx context.Context) error {
			return tr.DocumentRead(ctx, "C-1", Document{SHA256: testDocHash, Pages: -1})
		}},
		{"formula as folder", func(ctx context.Context) error { return tr.MessageFiled(ctx, "C-1", "<a@b>", "=HYPERLINK(1)") }},
		{"empty message id", func(ctx context.Context) error { return tr.CaseOpened(ctx, "C-1", "<>") }},
		{"bad smtp code", func(ctx context.Context) error {
			return tr.CorrectionFailed(ctx, "C-1", testCorrection(1), SendFailure{Code: 42})
		}},
		{"bad enhanced code", func(ctx context.Context) error {
			return tr.CorrectionFailed(ctx, "C-1", testCorrection(1), SendFailure{Code: 550, Enhanced: "user unknown"})
		}},
		{"reminder zero", func(ctx context.Context) error { return tr.CorrectionReminded(ctx, "C-1", testCorrection(1), 0) }},
		{"override to unknown status", func(ctx context.Context) error {
			return tr.CaseOverridden(ctx, "maria", "C-1", Override{From: "needs-review", To: "fine"})
		}},
		{"config hash not a hash", func(ctx context.Context) error { return tr.ConfigLoaded(ctx, "abc", "") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(t.Context())
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			for _, phi := range []string{"Mary", "Jones", "1961", "hunter2"} {
				if strings.Contains(err.Error(), phi) {
					t.Errorf("error %q repeats %q", err, phi)
				}
			}
		})
	}
	if got, _ := tr.List(t.Context(), Filter{}); len(got) != 0 {
		t.Errorf("refused events wrote %d entries", len(got))
	}
}

func TestTrailRefusesUpdateAndDelete(t *testing.T) { eachBackend(t, testTrailRefusesUpdateAndDelete) }

func testTrailRefusesUpdateAndDelete(t *testing.T, backend string) {
	tr, db, _ := newTestTrailOn(t, backend)
	fillTrail(t, tr, 3)
	if _, err := tr.Checkpoint(t.Context(), io.Discard); err != nil {
		t.Fatal(err)
	}
	stmts := []string{
		`UPDATE audit_trail SET outcome = 'complete' WHERE seq = 2`,
		`DELETE FROM audit_trail WHERE seq = 3`,
		`UPDATE audit_checkpoint SET seq = 1`,
		`DELETE FROM audit_checkpoint`,
	}
	if backend == "postgres" {
		stmts = append(stmts, `TRUNCATE audit_trail`, `TRUNCATE audit_checkpoint`)
	}
	for _, stmt := range stmts {
		_, err := db.Exec(stmt)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want the append-only refusal", stmt, err)
		}
	}
}

// verifyFixture is a trail of 20 entries, with checkpoints after entry 10
// (taken 14:10) and entry 20 (taken 14:21). Entry k was written at
// 14:(k-1) up to entry 10 and at 14:k after.
func verifyFixture(t *testing.T) (*Trail, *sql.DB, string) {
	t.Helper()
	return verifyFixtureOn(t, "sqlite")
}

func verifyFixtureOn(t *testing.T, backend string) (*Trail, *sql.DB, string) {
	t.Helper()
	testClock(t)
	tr, db, dir := newTestTrailOn(t, backend)
	fillTrail(t, tr, 10)
	if _, err := tr.Checkpoint(t.Context(), io.Discard); err != nil {
		t.Fatal(err)
	}
	fillTrail(t, tr, 10)
	if _, err := tr.Checkpoint(t.Context(), io.Discard); err != nil {
		t.Fatal(err)
	}
	return tr, db, dir
}

func TestTrailVerify(t *testing.T) { eachBackend(t, testTrailVerify) }

func testTrailVerify(t *testing.T, backend string) {
	swap := func(cols string) []string {
		return []string{
			`CREATE TEMP TABLE orig AS SELECT * FROM audit_trail WHERE seq IN (4, 8)`,
			`UPDATE audit_trail SET (` + cols + `) = (SELECT ` + cols + ` FROM orig WHERE orig.seq = 12 - audit_trail.seq) WHERE seq IN (4, 8)`,
		}
	}
	tests := []struct {
		name     string
		tamper   func(t *testing.T, tr *Trail, db *sql.DB, dir string)
		firstBad int64
		problem  string
	}{
		{"intact", func(*testing.T, *Trail, *sql.DB, string) {}, 0, ""},
		{
			"outcome edited",
			func(t *testing.T, _ *Trail, db *sql.DB, _ string) {
				tamper(t, db, `UPDATE audit_trail SET outcome = 'queued' WHERE seq = 7`)
			},
			7, "entry 7 was changed after it was written (recorded 2026-11-20 14:06 UTC, event correction-sent)",
		},
		{
			"outcome edited and hash recomputed",
			func(t *testing.T, _ *Trail, db *sql.DB, _ string) {
				rewrite(t, db, 7, 7, func(r *row) { r.outcome = "queued" })
			},
			7, "entry 7 was changed after it was written (recorded 2026-11-20 14:06 UTC, event correction-sent): entry 8, written after it, no longer matches it",
		},
		{
			"middle entry deleted",
			func(t *testing.T, _ *Trail, db *sql.DB, _ string) {
				tamper(t, db, `DELETE FROM audit_trail WHERE seq = 5`)
			},
			5, "entry 5 was removed (it was written between 2026-11-20 14:03 UTC and 2026-11-20 14:05 UTC)",
		},
		{
			"three middle entries deleted",
			func(t *testing.T, _ *Trail, db *sql.DB, _ string) {
				tamper(t, db, `DELETE FROM audit_trail WHERE seq BETWEEN 4 AND 6`)
			},
			4, "entries 4 to 6 were removed (they were written between 2026-11-20 14:02 UTC and 2026-11-20 14:06 UTC)",
		},
		{
			"first entry deleted",
			func(t *testing.T, _ *Trail, db *sql.DB, _ string) {
				tamper(t, db, `DELETE FROM audit_trail WHERE seq = 1`)
			},
			1, "entry 1, the first of the trail, was removed (it was written before 2026-11-20 14:01 UTC)",
		},
		{
			"entry inserted before the first",
			func(t *testing.T, _ *Trail, db *sql.DB, _ string) {
				tamper(t, db, `INSERT INTO audit_trail SELECT 0, at, actor, case_id, event, outcome, detail, prev_hash, hash FROM audit_trail WHERE seq = 1`)
			},
			0, "an entry numbered 0 was added to the trail by something other than rxintake (recorded 2026-11-20 14:00 UTC, event message-received)",
		},
		{
			"two entries swapped, hashes and all",
			func(t *testing.T, _ *Trail, db *sql.DB, _ string) {
				tamper(t, db, swap("at, actor, case_id, event, outcome, detail, prev_hash, hash")...)
			},
			4, "the entries were reordered after they were written: entry 8 (recorded 2026-11-20 14:07 UTC, event correction-failed) now sits where entry 4 was",
		},
		{
			"two entries' contents swapped",
			func(t *testing.T, _ *Trail, db *sql.DB, _ string) {
				tamper(t, db, swap("at, actor, case_id, event, outcome, detail")...)
			},
			4, "the entries were reordered after they were written: entry 4 (recorded 2026-11-20 14:03 UTC, event findings) now sits where entry 8 was",
		},
		{
			"last entries deleted, sequence and checkpoint table cleaned",
			func(t *testing.T, _ *Trail, db *sql.DB, _ string) {
				tamper(t, db, `DELETE FROM audit_trail WHERE seq > 17`,
					`UPDATE sqlite_sequence SET seq = 17 WHERE name = 'audit_trail'`,
					`DELETE FROM audit_checkpoint`)
			},
			18, "entries 18 to 20 were removed from the end of the trail: it now ends at entry 17 (recorded 2026-11-20 14:17 UTC), but the checkpoint taken 2026-11-20 14:21 UTC recorded entry 20",
		},
		{
			"last entries deleted, sequence and checkpoint files cleaned",
			func(t *testing.T, _ *Trail, db *sql.DB, dir string) {
				tamper(t, db, `DELETE FROM audit_trail WHERE seq > 17`,
					`UPDATE sqlite_sequence SET seq = 17 WHERE name = 'audit_trail'`)
				if err := os.RemoveAll(CheckpointDir(dir)); err != nil {
					t.Fatal(err)
				}
			},
			18, "entries 18 to 20 were removed from the end of the trail: it now ends at entry 17 (recorded 2026-11-20 14:17 UTC), but the checkpoint taken 2026-11-20 14:21 UTC recorded entry 20",
		},
		{
			"last entry deleted, checkpoints destroyed",
			func(t *testing.T, _ *Trail, db *sql.DB, dir string) {
				tamper(t, db, `DELETE FROM audit_trail WHERE seq = 20`, `DELETE FROM audit_checkpoint`)
				if err := os.RemoveAll(CheckpointDir(dir)); err != nil {
					t.Fatal(err)
				}
			},
			20, "entry 20 was removed from the end of the trail: it now ends at entry 19 (recorded 2026-11-20 14:19 UTC), but the database had numbered entries up to 20",
		},
		{
			"last entries deleted, then the worker appended",
			func(t *testing.T, tr *Trail, db *sql.DB, _ string) {
				tamper(t, db, `DELETE FROM audit_trail WHERE seq > 17`)
				if err := tr.Decision(t.Context(), "C-3", "complete"); err != nil {
					t.Fatal(err)
				}
			},
			18, "entries 18 to 20 were removed (they were written between 2026-11-20 14:17 UTC and 2026-11-20 14:22 UTC)",
		},
		{
			"tail rewritten with recomputed hashes",
			func(t *testing.T, _ *Trail, db *sql.DB, _ string) {
				rewrite(t, db, 15, 20, func(r *row) { r.outcome = "ok" })
			},
			11, "the trail was rewritten between entries 11 and 20: it no longer matches the checkpoint taken 2026-11-20 14:21 UTC",
		},
		{
			"checkpoint file altered",
			func(t *testing.T, _ *Trail, _ *sql.DB, dir string) {
				path := filepath.Join(CheckpointDir(dir), "checkpoint-20261120T141000Z-seq10.txt")
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(strings.Replace(string(b), "seq=10", "seq=9", 1)), 0o600); err != nil {
					t.Fatal(err)
				}
			},
			0, "the checkpoint taken 2026-11-20 14:10 UTC (in checkpoint-20261120T141000Z-seq10.txt) does not match its signature: it was forged or altered",
		},
		{
			"checkpoint record altered",
			func(t *testing.T, _ *Trail, db *sql.DB, _ string) {
				tamper(t, db, `UPDATE audit_checkpoint SET line = replace(line, 'seq=20', 'seq=17') WHERE seq = 20`)
			},
			0, "the checkpoint taken 2026-11-20 14:21 UTC (in the database (record 2)) does not match its signature: it was forged or altered",
		},
	}
	// These cases need sqlite_sequence, which remembers the highest seq
	// after the rows are gone; PostgreSQL has none (highestSeq).
	sqliteOnly := map[string]bool{
		"last entries deleted, sequence and checkpoint table cleaned": true,
		"last entries deleted, sequence and checkpoint files cleaned": true,
		"last entry deleted, checkpoints destroyed":                   true,
		"last entries deleted, then the worker appended":              true,
	}
	for _, tc := range tests {
		if sqliteOnly[tc.name] && backend != "sqlite" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			tr, db, dir := verifyFixtureOn(t, backend)
			tc.tamper(t, tr, db, dir)
			rep, err := tr.Verify(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s", rep)
			if rep.OK != (tc.problem == "") || rep.FirstBad != tc.firstBad || rep.Problem != tc.problem {
				t.Errorf("Verify = OK %v, FirstBad %d, Problem\n  %q\nwant FirstBad %d, Problem\n  %q",
					rep.OK, rep.FirstBad, rep.Problem, tc.firstBad, tc.problem)
			}
		})
	}
}

func TestTrailVerifyIntact(t *testing.T) { eachBackend(t, testTrailVerifyIntact) }

func testTrailVerifyIntact(t *testing.T, backend string) {
	tr, _, _ := verifyFixtureOn(t, backend)
	rep, err := tr.Verify(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	head, err := tr.List(t.Context(), Filter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Two checkpoints, each in the table and in a file.
	want := Report{OK: true, Entries: 20, HeadSeq: 20, Head: head[0].Hash, Checkpoints: 4, Anchor: 20}
	if rep != want {
		t.Errorf("Verify = %+v\nwant %+v", rep, want)
	}
	if s := rep.String(); !strings.HasPrefix(s, "audit trail intact: 20 entries, last entry 20 (hash ") {
		t.Errorf("String = %q", s)
	}
}

func TestTrailVerifyEmpty(t *testing.T) { eachBackend(t, testTrailVerifyEmpty) }

func testTrailVerifyEmpty(t *testing.T, backend string) {
	tr, _, _ := newTestTrailOn(t, backend)
	rep, err := tr.Verify(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := (Report{OK: true, Head: genesisHash}); rep != want {
		t.Errorf("Verify = %+v, want %+v", rep, want)
	}
}

const appendChildEnv = "RXINTAKE_AUDIT_TEST_APPEND"

// TestTrailConcurrentAppend appends from two goroutines on one Trail, one on
// a second database handle, and two child processes, all at once; the chain
// must stay linear with nothing lost.
func TestTrailConcurrentAppend(t *testing.T) { eachBackend(t, testTrailConcurrentAppend) }

func testTrailConcurrentAppend(t *testing.T, backend string) {
	const perWriter = 40
	dir := t.TempDir()
	db, database := pg.OpenDB(t, backend, dir)
	tr, err := NewTrail(t.Context(), db, TrailOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	db2, err := sqldb.OpenURL(t.Context(), database, dir, pg.Password)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	tr2, err := NewTrail(t.Context(), db2, TrailOptions{})
	if err != nil {
		t.Fatal(err)
	}

	var children []*exec.Cmd
	var outputs [2]bytes.Buffer
	for i := range 2 {
		cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestTrailAppendChild$")
		cmd.Env = append(os.Environ(), appendChildEnv+"="+dir+","+strconv.Itoa(perWriter)+",P-"+strconv.Itoa(i)+","+database)
		cmd.Stdout, cmd.Stderr = &outputs[i], &outputs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children = append(children, cmd)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3*perWriter)
	for i, w := range []*Trail{tr, tr, tr2} {
		wg.Go(func() {
			for range perWriter {
				errs <- w.Decision(t.Context(), "G-"+strconv.Itoa(i), "complete")
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range children {
		if err := c.Wait(); err != nil {
			t.Fatalf("child process: %v\n%s", err, outputs[i].Bytes())
		}
	}

	rep, err := tr.Verify(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK || rep.Entries != 5*perWriter || rep.HeadSeq != 5*perWriter {
		t.Errorf("Verify = %+v, want OK with %d entries", rep, 5*perWriter)
	}
	for _, c := range []string{"G-0", "G-1", "G-2", "P-0", "P-1"} {
		got, err := tr.List(t.Context(), Filter{CaseID: c, Limit: MaxListLimit})
		if err != nil || len(got) != perWriter {
			t.Errorf("writer %s: %d entries (%v), want %d", c, len(got), err, perWriter)
		}
	}
}

// TestTrailAppendChild is the child process of TestTrailConcurrentAppend.
func TestTrailAppendChild(t *testing.T) {
	arg := os.Getenv(appendChildEnv)
	if arg == "" {
		t.Skip("run by TestTrailConcurrentAppend")
	}
	parts := strings.Split(arg, ",")
	n, _ := strconv.Atoi(parts[1])
	db, err := sqldb.OpenURL(t.Context(), parts[3], parts[0], pg.Password)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tr, err := NewTrail(t.Context(), db, TrailOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		if err := tr.Decision(t.Context(), parts[2], "complete"); err != nil {
			t.Fatal(err)
		}
	}
}

func TestEntryHashUnambiguous(t *testing.T) {
	// Moving bytes from one field to the next must change the hash.
	a := entryHash(1, "t", "worker", "C-1", "decision", "complete", "{}", genesisHash)
	for _, b := range []string{
		entryHash(1, "t", "worke", "rC-1", "decision", "complete", "{}", genesisHash),
		entryHash(1, "t", "worker", "C-1decision", "", "complete", "{}", genesisHash),
		entryHash(2, "t", "worker", "C-1", "decision", "complete", "{}", genesisHash),
	} {
		if a == b {
			t.Errorf("different entries hash alike: %s", a)
		}
	}
	if got := MessageIDHash(" <abc@fax.example> "); got != MessageIDHash("abc@fax.example") || got != "6a9ac21bbba6" {
		t.Errorf("MessageIDHash = %s", got)
	}
}

func BenchmarkTrailAppend(b *testing.B) {
	tr, _, _ := newTestTrail(b)
	ctx := b.Context()
	n := 0
	for b.Loop() {
		if err := tr.Decision(ctx, "C-1", "complete"); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "entries/s")
}

// TestTrailDataDirWithURICharacters: sqldb.Open builds a URI; a data directory
// holding '?', '#' or '%' once opened another file and, for '?', dropped the
// parameters (WAL, _txlock=immediate) the trail's linear chain relies on.
func TestTrailDataDirWithURICharacters(t *testing.T) {
	for _, name := range []string{"rx#1", "rx?1", "rx%201", "rx 1"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), name)
			db, err := sqldb.Open(t.Context(), dir)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := NewTrail(t.Context(), db, TrailOptions{}); err != nil {
				t.Fatal(err)
			}
			var mode string
			if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
				t.Errorf("journal_mode = %q, %v; want wal", mode, err)
			}
			if _, err := os.Stat(filepath.Join(dir, sqldb.DBFile)); err != nil {
				t.Errorf("database not where it belongs: %v", err)
			}
		})
	}
}
