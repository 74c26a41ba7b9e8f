package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// ErrMigrate reports that a package's tables could not be brought up to
// date.
var ErrMigrate = errors.New("cannot migrate the database")

// A package's migrations are files named NNN_what.sql (NNN its version, 1
// and up, each once) in the directory "migrations" of the fs.FS it embeds
// them in (//go:embed migrations/*.sql). Each file
// is run whole, in one transaction with the row that records it in
// schema_migrations; a version once recorded is never run again, so a file
// is never edited once released: a change is a new file.
//
// The statements are written to run on PostgreSQL as well as SQLite:
// standard types (TEXT, INTEGER, BIGINT), ON CONFLICT, no SQLite-only
// clauses; the few spellings that differ (INTEGER PRIMARY KEY
// AUTOINCREMENT, BLOB) are translated for PostgreSQL by migrationSQL, in
// postgres.go. The first migration of
// each package uses CREATE ... IF NOT EXISTS, so that it takes over the
// tables of a database made before versions were recorded.
var migrationName = regexp.MustCompile(`^(\d{3})_[a-z0-9_]+\.sql$`)

const migrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	package TEXT    NOT NULL,
	version INTEGER NOT NULL,
	name    TEXT    NOT NULL,
	applied TEXT    NOT NULL,
	PRIMARY KEY (package, version)
)`

type migration struct {
	version int
	name    string
	sql     string
}

func readMigrations(pkg string, fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, "migrations")
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrMigrate, pkg, err)
	}
	var out []migration
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if e.IsDir() || m == nil {
			return nil, fmt.Errorf("%w: %s: %q is not a migration (NNN_name.sql)", ErrMigrate, pkg, e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		b, err := fs.ReadFile(fsys, "migrations/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrMigrate, pkg, err)
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("%w: %s: %s: versions must run 1, 2, 3 … without gaps or repeats", ErrMigrate, pkg, m.name)
		}
	}
	return out, nil
}

// Migrate applies pkg's migrations in fsys that db has not recorded yet, in
// order. Processes starting together apply each version once: each runs in
// a write transaction (holding the database's write lock, on PostgreSQL as
// on SQLite) that checks the record first.
func Migrate(ctx context.Context, db *sql.DB, pkg string, fsys fs.FS) error {
	ms, err := readMigrations(pkg, fsys)
	if err != nil {
		return err
	}
	if err := createMigrationsTable(ctx, db); err != nil {
		return fmt.Errorf("%w: %v", ErrMigrate, err)
	}
	d := DialectOf(db)
	for _, m := range ms {
		m.sql = migrationSQL(d, m.sql)
		if err := apply(ctx, db, pkg, m); err != nil {
			return fmt.Errorf("%w: %s %s: %v", ErrMigrate, pkg, m.name, err)
		}
	}
	return nil
}

// createMigrationsTable creates schema_migrations in a write transaction:
// PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against another
// process creating the same table at the same moment.
func createMigrationsTable(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, migrationsTable); err != nil {
		return err
	}
	return tx.Commit()
}

func apply(ctx context.Context, db *sql.DB, pkg string, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE package = ? AND version = ?`,
		pkg, m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (package, version, name, applied) VALUES (?, ?, ?, ?)`,
		pkg, m.version, m.name, FormatTime(time.Now())); err != nil {
		return err
	}
	return tx.Commit()
}

// Versions returns the versions of pkg that db has recorded, in order.
func Versions(ctx context.Context, db *sql.DB, pkg string) ([]int, error) {
	rows, err := db.QueryContext(ctx, `SELECT version FROM schema_migrations WHERE package = ? ORDER BY version`, pkg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
