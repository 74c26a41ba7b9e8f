package casefile

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"rxintake/extract"
	"rxintake/internal/corpus"
	"rxintake/internal/pg"
	"rxintake/internal/sqldb"
	"rxintake/validate"
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

func newTestStore(t *testing.T, backend string) (*Store, *sql.DB) {
	t.Helper()
	dir := t.TempDir()
	db, _ := pg.OpenDB(t, backend, dir)
	s, err := New(t.Context(), db, dir)
	if err != nil {
		t.Fatal(err)
	}
	// A second open finds the tables and keeps them.
	if _, err := New(t.Context(), db, dir); err != nil {
		t.Fatal(err)
	}
	return s, db
}

// inTx runs f in a transaction and commits it.
func inTx(t *testing.T, db *sql.DB, f func(tx *sql.Tx) error) {
	t.Helper()
	tx, err := db.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestCaseIDShape(t *testing.T) {
	re := regexp.MustCompile(`^RX-[0-9A-HJKMNP-TV-Z]{6}$`)
	seen := map[string]bool{}
	for range 1000 {
		id := NewCaseID()
		if !re.MatchString(id) {
			t.Fatalf("case id %q is not RX- and six Crockford base-32 characters", id)
		}
		seen[id] = true
	}
	if len(seen) < 999 {
		t.Errorf("1000 case ids gave only %d distinct values", len(seen))
	}
}

// TestStatusValues: the corpus writes the statuses of its truth files with
// constants of its own (it depends on no package of the product it
// measures); they are the case statuses of the same names.
func TestStatusValues(t *testing.T) {
	for s, want := range map[string]Status{corpus.StatusComplete: StatusComplete,
		corpus.StatusNeedsCorrection: StatusNeedsCorrection, corpus.StatusNeedsReview: StatusNeedsReview} {
		if Status(s) != want {
			t.Errorf("the corpus's %q is not %q", s, want)
		}
	}
	for _, s := range []Status{StatusComplete, StatusNeedsCorrection, StatusNeedsReview} {
		if !s.Outcome() {
			t.Errorf("%s is not an outcome", s)
		}
	}
	for _, s := range []Status{StatusOpen, StatusCorrected, StatusNotPrescription, "x"} {
		if s.Outcome() {
			t.Errorf("%s is an outcome", s)
		}
	}
	for s, want := range map[Status]bool{StatusOpen: true, StatusNeedsReview: true, StatusNeedsCorrection: true,
		StatusComplete: false, StatusCorrected: false, StatusNotPrescription: false} {
		if s.Undecided() != want {
			t.Errorf("%s.Undecided() = %v", s, !want)
		}
	}
}

func TestCaseLife(t *testing.T) { eachBackend(t, testCaseLife) }

func testCaseLife(t *testing.T, backend string) {
	ctx := context.Background()
	s, db := newTestStore(t, backend)
	at := time.Date(2026, 11, 20, 14, 12, 0, 0, time.UTC)
	var id string
	inTx(t, db, func(tx *sql.Tx) (err error) {
		id, err = s.Open(ctx, tx, Opening{MessageRef: "imap://rx@clinic.example/INBOX;UIDVALIDITY=1/;UID=7", SenderFax: "9415550143", At: at})
		return err
	})
	c, err := s.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != StatusOpen || c.SenderFax != "9415550143" || !c.Created.Equal(at) || c.MessageSHA256 != "" {
		t.Errorf("opened case %+v", c)
	}
	if _, err := s.Record(ctx, id); !errors.Is(err, ErrNoRecord) {
		t.Errorf("record of a case not read: %v, want ErrNoRecord", err)
	}
	inTx(t, db, func(tx *sql.Tx) error {
		if err := s.SetMessage(ctx, tx, id, "", "abcd"); err != nil {
			return err
		}
		if err := s.SetSender(ctx, tx, id, "", "fax@svc.example"); err != nil {
			return err
		}
		if err := s.SetStatus(ctx, tx, id, StatusNeedsCorrection, "frequency-missing"); err != nil {
			return err
		}
		return s.PutRecord(ctx, tx, &Record{CaseID: id, Status: StatusNeedsCorrection, Office: "Gulf Coast FM",
			Prescription: &extract.Prescription{Patient: &extract.Patient{Name: "Mary Jones"}}})
	})
	c, _ = s.Case(ctx, strings.ToLower(id))
	if c.Status != StatusNeedsCorrection || c.MessageSHA256 != "abcd" || c.SenderFax != "9415550143" || c.SenderAddress != "fax@svc.example" ||
		c.MessageRef != "imap://rx@clinic.example/INBOX;UIDVALIDITY=1/;UID=7" {
		t.Errorf("case after the decision %+v", c)
	}
	rec, err := s.Record(ctx, id)
	if err != nil || rec.Office != "Gulf Coast FM" || rec.Status != StatusNeedsCorrection {
		t.Errorf("record %+v, %v", rec, err)
	}
	// A later stage moves the status; a person settles the case.
	inTx(t, db, func(tx *sql.Tx) error { return s.SetStatus(ctx, tx, id, StatusCorrected, "corrected by RX-000001") })
	if c, _ := s.Case(ctx, id); c.Status != StatusCorrected {
		t.Errorf("status %s, want corrected", c.Status)
	}
	rec.Findings = []validate.Finding{}
	if err := s.Settle(ctx, rec, StatusComplete, "review: accepted"); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Case(ctx, id); c.Status != StatusComplete {
		t.Errorf("status %s after Settle, want complete", c.Status)
	}
	if rec, _ := s.Record(ctx, id); rec.Status != StatusComplete {
		t.Errorf("record status %s after Settle, want complete", rec.Status)
	}
	if _, err := s.Case(ctx, "RX-000000"); !errors.Is(err, ErrNoCase) {
		t.Errorf("Case of an unknown id: %v, want ErrNoCase", err)
	}
	if err := s.Settle(ctx, &Record{CaseID: "RX-000000"}, StatusComplete, ""); !errors.Is(err, ErrNoCase) {
		t.Errorf("Settle of an unknown id: %v, want ErrNoCase", err)
	}
	tx, _ := db.BeginTx(ctx, nil)
	defer tx.Rollback()
	if _, err := s.Open(ctx, tx, Opening{ID: id, MessageRef: "x"}); err == nil {
		t.Error("Open with the id of an existing case succeeded")
	}
}

func TestList(t *testing.T) { eachBackend(t, testList) }

func testList(t *testing.T, backend string) {
	ctx := context.Background()
	s, db := newTestStore(t, backend)
	day := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	seed := []struct {
		id, patient, office string
		status              Status
		at                  time.Time
		record              bool
	}{
		{"RX-000001", "Mary Jones", "Gulf Coast FM", StatusNeedsReview, day, true},
		{"RX-000002", "Robert Chen", "Bayside Ortho", StatusComplete, day.AddDate(0, 0, 1), true},
		{"RX-000003", "Mary 100%_Smith", "Gulf Coast FM", StatusNeedsCorrection, day.AddDate(0, 0, 2), true},
		{"RX-000004", "", "", StatusOpen, day.AddDate(0, 0, 3), false},
	}
	for _, c := range seed {
		inTx(t, db, func(tx *sql.Tx) error {
			if _, err := s.Open(ctx, tx, Opening{ID: c.id, MessageRef: "m", At: c.at}); err != nil {
				return err
			}
			if err := s.SetStatus(ctx, tx, c.id, c.status, ""); err != nil {
				return err
			}
			if !c.record {
				return nil
			}
			return s.PutRecord(ctx, tx, &Record{CaseID: c.id, Status: c.status, Office: c.office,
				Prescription: &extract.Prescription{Patient: &extract.Patient{Name: c.patient}}})
		})
	}
	ids := func(f Filter) []string {
		t.Helper()
		l, _, err := s.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range l {
			out = append(out, c.ID)
		}
		return out
	}
	for _, tc := range []struct {
		f    Filter
		want []string
	}{
		{Filter{}, []string{"RX-000004", "RX-000003", "RX-000002", "RX-000001"}},
		{Filter{Status: StatusComplete}, []string{"RX-000002"}},
		{Filter{From: "2026-11-21", To: "2026-11-22"}, []string{"RX-000003", "RX-000002"}},
		{Filter{Office: "Gulf Coast FM"}, []string{"RX-000003", "RX-000001"}},
		{Filter{Patient: "  mary "}, []string{"RX-000003", "RX-000001"}},
		{Filter{Patient: "100%_"}, []string{"RX-000003"}},
		{Filter{Patient: "%"}, []string{"RX-000003"}},
		{Filter{Limit: 2, Offset: 1}, []string{"RX-000003", "RX-000002"}},
	} {
		if got := ids(tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("List(%+v) = %v, want %v", tc.f, got, tc.want)
		}
	}
	if _, more, _ := s.List(ctx, Filter{Limit: 3}); !more {
		t.Error("List of 3 of 4 says no more")
	}
	if _, more, _ := s.List(ctx, Filter{Limit: 4}); more {
		t.Error("List of 4 of 4 says more")
	}
	l, _, _ := s.List(ctx, Filter{Status: StatusOpen})
	if len(l) != 1 || l[0].Record != nil {
		t.Errorf("a case without a record: %+v", l)
	}
	counts, err := s.Counts(ctx)
	if err != nil || len(counts) != 4 || counts[StatusComplete] != 1 || counts[StatusOpen] != 1 {
		t.Errorf("Counts = %v, %v", counts, err)
	}
	offices, err := s.Offices(ctx)
	if err != nil || !slices.Equal(offices, []string{"Bayside Ortho", "Gulf Coast FM"}) {
		t.Errorf("Offices = %v, %v", offices, err)
	}
}

func TestPageImages(t *testing.T) {
	s, _ := newTestStore(t, "sqlite")
	sum, err := s.PutImage([]byte("png bytes"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.PutImage([]byte("png bytes"))
	if err != nil || again != sum {
		t.Errorf("storing the same image again: %s, %v; want %s", again, err, sum)
	}
	if len(sum) != 64 {
		t.Errorf("digest %q", sum)
	}
}

// TestDatabaseOfEarlierVersion: a database whose cases table was made
// before migrations were recorded (no status_reason, no
// schema_migrations) keeps its cases and gains the new column.
func TestDatabaseOfEarlierVersion(t *testing.T) { eachBackend(t, testDatabaseOfEarlierVersion) }

func testDatabaseOfEarlierVersion(t *testing.T, backend string) {
	ctx := context.Background()
	dir := t.TempDir()
	db, _ := pg.OpenDB(t, backend, dir)
	if _, err := db.Exec(`CREATE TABLE cases (
		id TEXT NOT NULL PRIMARY KEY, message_ref TEXT NOT NULL, message_sha256 TEXT NOT NULL DEFAULT '',
		status TEXT NOT NULL, sender_fax TEXT NOT NULL DEFAULT '', sender_address TEXT NOT NULL DEFAULT '',
		created TEXT NOT NULL, updated TEXT NOT NULL);
		CREATE TABLE case_records (case_id TEXT NOT NULL PRIMARY KEY, status TEXT NOT NULL, record TEXT NOT NULL, updated TEXT NOT NULL);
		INSERT INTO cases VALUES ('RX-7K3QH2', 'imap://rx@clinic.example/INBOX;UIDVALIDITY=1/;UID=7', 'ff', 'needs-review', '9415550143', '',
			'2026-11-20T14:12:00.000000000Z', '2026-11-20T14:12:00.000000000Z');
		INSERT INTO case_records VALUES ('RX-7K3QH2', 'needs-review', '{"case_id":"RX-7K3QH2","status":"needs-review","office":"Gulf Coast FM"}', '2026-11-20T14:12:01Z')`); err != nil {
		t.Fatal(err)
	}
	s, err := New(ctx, db, dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Case(ctx, "RX-7K3QH2")
	if err != nil || c.Status != StatusNeedsReview || c.SenderFax != "9415550143" || c.StatusReason != "" ||
		!c.Created.Equal(time.Date(2026, 11, 20, 14, 12, 0, 0, time.UTC)) {
		t.Fatalf("case of the earlier database: %+v, %v", c, err)
	}
	if rec, err := s.Record(ctx, c.ID); err != nil || rec.Office != "Gulf Coast FM" {
		t.Errorf("record of the earlier database: %+v, %v", rec, err)
	}
	if err := s.Settle(ctx, &Record{CaseID: c.ID}, StatusComplete, "review: accepted"); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Case(ctx, c.ID); c.Status != StatusComplete || c.StatusReason != "review: accepted" {
		t.Errorf("after Settle: %+v", c)
	}
	if vs, err := sqldb.Versions(ctx, db, "casefile"); err != nil || !slices.Equal(vs, []int{1, 2}) {
		t.Errorf("versions %v, %v", vs, err)
	}
}
