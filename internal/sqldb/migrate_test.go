package sqldb_test

import (
	"database/sql"
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"rxintake/internal/pg"
	. "rxintake/internal/sqldb"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

func TestMigrate(t *testing.T) {
	for _, backend := range pg.Backends {
		t.Run(backend, func(t *testing.T) { testMigrate(t, backend) })
	}
}

func testMigrate(t *testing.T, backend string) {
	ctx := t.Context()
	db, _ := pg.OpenDB(t, backend, t.TempDir())
	v1 := fstest.MapFS{"migrations/001_things.sql": {Data: []byte(`CREATE TABLE IF NOT EXISTS things (id TEXT NOT NULL PRIMARY KEY);
		CREATE INDEX IF NOT EXISTS things_id ON things (id);`)}}
	// A table made before versions were recorded, with a row in it.
	if _, err := db.Exec(`CREATE TABLE things (id TEXT NOT NULL PRIMARY KEY); INSERT INTO things VALUES ('old')`); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, db, "thing", v1); err != nil {
		t.Fatal(err)
	}
	v2 := fstest.MapFS{"migrations/001_things.sql": v1["migrations/001_things.sql"],
		"migrations/002_color.sql": {Data: []byte(`ALTER TABLE things ADD COLUMN color TEXT NOT NULL DEFAULT ''`)}}
	// Several processes start at once: each version runs once.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = Migrate(ctx, db, "thing", v2) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	var color string
	if err := db.QueryRow(`SELECT color FROM things WHERE id = 'old'`).Scan(&color); err != nil || color != "" {
		t.Errorf("old row after migrations: %q, %v", color, err)
	}
	if vs, err := Versions(ctx, db, "thing"); err != nil || !slices.Equal(vs, []int{1, 2}) {
		t.Errorf("versions %v, %v; want [1 2]", vs, err)
	}
	if vs, _ := Versions(ctx, db, "other"); len(vs) != 0 {
		t.Errorf("another package has versions %v", vs)
	}
	// A failing migration leaves nothing behind and is not recorded.
	bad := fstest.MapFS{"migrations/001_things.sql": v1["migrations/001_things.sql"], "migrations/002_color.sql": v2["migrations/002_color.sql"],
		"migrations/003_bad.sql": {Data: []byte(`CREATE TABLE more (id TEXT); SELECT nonsense FROM nowhere`)}}
	if err := Migrate(ctx, db, "thing", bad); !errors.Is(err, ErrMigrate) {
		t.Errorf("bad migration: %v, want ErrMigrate", err)
	}
	if vs, _ := Versions(ctx, db, "thing"); !slices.Equal(vs, []int{1, 2}) {
		t.Errorf("versions after a failed migration %v", vs)
	}
	if _, err := db.Exec(`SELECT * FROM more`); err == nil {
		t.Error("a failed migration left its table")
	}
	for name, fsys := range map[string]fstest.MapFS{
		"gap":      {"migrations/001_a.sql": {}, "migrations/003_b.sql": {}},
		"repeat":   {"migrations/001_a.sql": {}, "migrations/001_b.sql": {}},
		"bad name": {"migrations/1_a.sql": {}},
	} {
		if err := Migrate(ctx, db, "x", fsys); !errors.Is(err, ErrMigrate) {
			t.Errorf("%s: %v, want ErrMigrate", name, err)
		}
	}
}

// TestWriteLock: on PostgreSQL a transaction that may write holds the
// database's write lock, as BEGIN IMMEDIATE does in SQLite; a second writer
// waits for it no longer than lock_timeout, and a reader is not held up.
func TestWriteLock(t *testing.T) {
	ctx := t.Context()
	url := pg.Shared(t).NewDatabase(t)
	first, err := OpenURL(ctx, url, t.TempDir(), pg.Password)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	second, err := OpenURL(ctx, url+"&lock_timeout=200ms", t.TempDir(), pg.Password)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if DialectOf(first) != Postgres {
		t.Fatalf("dialect %v", DialectOf(first))
	}
	if _, err := first.Exec(`CREATE TABLE things (id TEXT NOT NULL PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	tx, err := first.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO things VALUES (?)`, "a"); err != nil {
		t.Fatal(err)
	}
	ro, err := second.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatalf("a reader while a writer holds the lock: %v", err)
	}
	var n int
	if err := ro.QueryRow(`SELECT COUNT(*) FROM things`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the reader sees %d rows, %v; want 0 (the writer has not committed)", n, err)
	}
	ro.Rollback()
	if _, err := second.BeginTx(ctx, nil); err == nil || !strings.Contains(err.Error(), "lock timeout") {
		t.Errorf("a second writer: %v, want a lock timeout", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	tx2, err := second.BeginTx(ctx, nil)
	if err != nil {
		t.Fatalf("the second writer after the first committed: %v", err)
	}
	tx2.Rollback()
}
