package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// PostgreSQL holds rxintake's tables when `database:` names a postgres://
// URL (docs/postgres.md). The packages write their SQL once, in SQLite's
// spelling, against database/sql; what differs between the two databases is
// translated here and nowhere else:
//
//   - placeholders: ? becomes $1, $2, … (rebind);
//   - json_extract(col, '$.a.b') becomes (col::jsonb #>> '{a,b}') (rebind);
//   - a Go bool argument is written as 1 or 0, as SQLite stores it, into
//     the INTEGER columns that hold flags (CheckNamedValue);
//   - in migrations, INTEGER is BIGINT (SQLite's integers are 64-bit),
//     an INTEGER PRIMARY KEY [AUTOINCREMENT] is an identity column, BLOB is
//     BYTEA (migrationSQL);
//   - a transaction that may write takes the database's write lock first,
//     as SQLite's BEGIN IMMEDIATE does (sqldb.Open sets _txlock=immediate):
//     the stores were written for one writer at a time, and keep it
//     (beginTx). A read-only transaction reads a snapshot instead, without
//     the lock, as in SQLite's WAL mode.
//
// What cannot be translated by text (the append-only triggers, the
// catalogue of tables, sqlite_sequence) the package that needs it asks
// Dialect about.

// Dialect says which SQL database a *sql.DB talks to.
type Dialect int

const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// DialectOf returns the dialect of db: Postgres for a database opened by
// OpenURL with a postgres:// URL, SQLite otherwise.
func DialectOf(db *sql.DB) Dialect {
	if _, ok := db.Driver().(pgDriver); ok {
		return Postgres
	}
	return SQLite
}

// IsPostgresURL reports whether database names a PostgreSQL database.
func IsPostgresURL(database string) bool {
	return strings.HasPrefix(database, "postgres://") || strings.HasPrefix(database, "postgresql://")
}

// ErrPasswordInURL reports a database URL that holds a password: the
// configuration file is no place for secrets.
var ErrPasswordInURL = errors.New("the URL holds a password")

// CheckURL checks a postgres:// URL without connecting: it parses, and it
// holds no password.
func CheckURL(database string) error {
	u, err := url.Parse(database)
	if err != nil {
		return err
	}
	if _, ok := u.User.Password(); ok {
		return ErrPasswordInURL
	}
	if u.Query().Has("password") {
		return ErrPasswordInURL
	}
	if _, err := pgx.ParseConfig(database); err != nil {
		return err
	}
	return nil
}

// OpenURL opens the database configured by `database:`: "" is the SQLite
// database in dataDir (Open); a postgres:// URL is that PostgreSQL
// database, logged in to with password when it is not "" (otherwise
// libpq's PGPASSWORD or ~/.pgpass, which pgx reads as libpq does).
func OpenURL(ctx context.Context, database, dataDir, password string) (*sql.DB, error) {
	if database == "" {
		return Open(ctx, dataDir)
	}
	if !IsPostgresURL(database) {
		return nil, fmt.Errorf("%w: %q is neither empty (SQLite in data_dir) nor a postgres:// URL", ErrOpen, database)
	}
	if err := CheckURL(database); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOpen, err)
	}
	cfg, err := pgx.ParseConfig(database)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOpen, err)
	}
	if password != "" {
		cfg.Password = password
	}
	// A writer waits for the write lock as long as SQLite's busy_timeout
	// lets one wait (Open), then fails, rather than hanging.
	if _, set := cfg.RuntimeParams["lock_timeout"]; !set && !strings.Contains(cfg.RuntimeParams["options"], "lock_timeout") {
		cfg.RuntimeParams["lock_timeout"] = "10s"
	}
	db := sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg)})
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%w: %v", ErrOpen, err)
	}
	return db, nil
}

// writeLockKey is the pg_advisory_xact_lock key of the database's write
// lock: a number no other key of rxintake's takes ('rxin' 'writ').
const writeLockKey int64 = 0x7278696e_77726974

// LockKey returns an advisory lock key for name, one of the locks a
// package takes inside a transaction (Lock), distinct from the write lock.
func LockKey(name string) int64 {
	// FNV-1a, 64 bits: stable across versions and processes.
	h := uint64(14695981039346656037)
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	k := int64(h)
	if k == writeLockKey {
		k++
	}
	return k
}

// Lock takes the advisory lock called name for the rest of tx on
// PostgreSQL; it is released at commit or rollback. On SQLite it does
// nothing: a write transaction there already holds the only lock there is.
func Lock(ctx context.Context, tx *sql.Tx, d Dialect, name string) error {
	if d != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, LockKey(name))
	return err
}

type pgDriver struct{ driver.Driver }

type pgConnector struct{ c driver.Connector }

func (p pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := p.c.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{c.(*stdlib.Conn)}, nil
}

func (p pgConnector) Driver() driver.Driver { return pgDriver{p.c.Driver()} }

// pgConn is pgx's database/sql connection with the translations above.
type pgConn struct{ c *stdlib.Conn }

var (
	_ driver.ConnPrepareContext = (*pgConn)(nil)
	_ driver.ConnBeginTx        = (*pgConn)(nil)
	_ driver.ExecerContext      = (*pgConn)(nil)
	_ driver.QueryerContext     = (*pgConn)(nil)
	_ driver.Pinger             = (*pgConn)(nil)
	_ driver.NamedValueChecker  = (*pgConn)(nil)
	_ driver.SessionResetter    = (*pgConn)(nil)
)

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.c.Prepare(rebind(query))
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.c.PrepareContext(ctx, rebind(query))
}

func (c *pgConn) Close() error { return c.c.Close() }

func (c *pgConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx begins a transaction. One that may write takes the write lock,
// so that writers follow one another as they do in SQLite; one that only
// reads is REPEATABLE READ, a snapshot, like a read in SQLite's WAL mode.
func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if opts.ReadOnly && sql.IsolationLevel(opts.Isolation) == sql.LevelDefault {
		opts.Isolation = driver.IsolationLevel(sql.LevelRepeatableRead)
	}
	tx, err := c.c.BeginTx(ctx, opts)
	if err != nil || opts.ReadOnly {
		return tx, err
	}
	if _, err := c.c.Conn().Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, writeLockKey); err != nil {
		tx.Rollback()
		return nil, err
	}
	return tx, nil
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.c.ExecContext(ctx, rebind(query), args)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.c.QueryContext(ctx, rebind(query), args)
}

func (c *pgConn) Ping(ctx context.Context) error { return c.c.Ping(ctx) }

// CheckNamedValue writes a bool as SQLite does, 1 or 0: the flags are
// INTEGER columns in both databases.
func (c *pgConn) CheckNamedValue(v *driver.NamedValue) error {
	if b, ok := v.Value.(bool); ok {
		v.Value = int64(0)
		if b {
			v.Value = int64(1)
		}
	}
	return c.c.CheckNamedValue(v)
}

func (c *pgConn) ResetSession(ctx context.Context) error { return c.c.ResetSession(ctx) }

// rebind turns a statement in SQLite's spelling into PostgreSQL's: each ?
// outside quotes and comments becomes $1, $2, …, and json_extract(col,
// '$.a.b') becomes (col::jsonb #>> '{a,b}').
func rebind(q string) string {
	if !strings.ContainsAny(q, "?") && !strings.Contains(q, "json_extract(") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) {
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c { // '' or "" inside
						j += 2
						continue
					}
					break
				}
				j++
			}
			j = min(j+1, len(q))
			b.WriteString(q[i:j])
			i = j
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j
		case c == '/' && strings.HasPrefix(q[i:], "/*"):
			j := strings.Index(q[i+2:], "*/")
			if j < 0 {
				j = len(q) - i - 2
			} else {
				j += 2
			}
			b.WriteString(q[i : i+2+j])
			i += 2 + j
		case c == '$':
			// A dollar-quoted body ($$ … $$ or $tag$ … $tag$) is copied whole.
			if j := strings.IndexByte(q[i+1:], '$'); j >= 0 && isTag(q[i+1:i+1+j]) {
				tag := q[i : i+2+j]
				if k := strings.Index(q[i+len(tag):], tag); k >= 0 {
					end := i + len(tag) + k + len(tag)
					b.WriteString(q[i:end])
					i = end
					continue
				}
			}
			b.WriteByte(c)
			i++
		case c == '?':
			n++
			fmt.Fprintf(&b, "$%d", n)
			i++
		case c == 'j' && strings.HasPrefix(q[i:], "json_extract(") && (i == 0 || !isWord(q[i-1])):
			if s, w, ok := jsonExtract(q[i:]); ok {
				b.WriteString(s)
				i += w
				continue
			}
			b.WriteByte(c)
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func isWord(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isTag(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isWord(s[i]) || i == 0 && s[i] >= '0' && s[i] <= '9' {
			return false
		}
	}
	return true
}

// jsonExtract translates json_extract(col, '$.a.b') at the start of s,
// returning the translation and how many bytes of s it replaces.
func jsonExtract(s string) (string, int, bool) {
	const open = "json_extract("
	end := strings.IndexByte(s, ')')
	if end < 0 {
		return "", 0, false
	}
	col, path, ok := strings.Cut(s[len(open):end], ",")
	col, path = strings.TrimSpace(col), strings.TrimSpace(path)
	if !ok || col == "" || !strings.HasPrefix(path, "'$.") || !strings.HasSuffix(path, "'") {
		return "", 0, false
	}
	for i := 0; i < len(col); i++ {
		if !isWord(col[i]) && col[i] != '.' {
			return "", 0, false
		}
	}
	keys := strings.Split(path[3:len(path)-1], ".")
	for _, k := range keys {
		if k == "" || !isTag(k) {
			return "", 0, false
		}
	}
	return "(" + col + "::jsonb #>> '{" + strings.Join(keys, ",") + "}')", end + 1, true
}

// migrationSQL is a migration, written for SQLite, as PostgreSQL spells it.
func migrationSQL(d Dialect, s string) string {
	if d != Postgres {
		return s
	}
	return ddlReplacer.Replace(s)
}

// The migrations spell their types in capitals; these are all the forms
// they use that PostgreSQL spells otherwise.
var ddlReplacer = strings.NewReplacer(
	"INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	"INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	"INTEGER", "BIGINT",
	"BLOB", "BYTEA",
)

// TryLock takes the session advisory lock called name on PostgreSQL
// without waiting, on a connection of its own that it keeps until release
// is called; ok is false when another session holds it. The server drops
// the lock when that connection ends, however the process holding it
// dies. On SQLite it takes nothing and returns ok: a lock file in the data
// directory does that work there.
func TryLock(ctx context.Context, db *sql.DB, name string) (release func(), ok bool, err error) {
	if DialectOf(db) != Postgres {
		return func() {}, true, nil
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, false, err
	}
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(?)`, LockKey(name)).Scan(&ok); err != nil || !ok {
		conn.Close()
		return nil, false, err
	}
	return func() {
		// A lock the unlock failed to release goes with its connection,
		// which the pool then discards.
		if _, err := conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(?)`, LockKey(name)); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, true, nil
}
