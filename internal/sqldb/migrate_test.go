package sqldb_test

import (
	"errors"
	"os"
	"slices"
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
