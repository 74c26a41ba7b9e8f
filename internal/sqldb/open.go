package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // pure-Go SQLite: no cgo beyond Tesseract's, static builds
)

// ErrOpen reports that the database could not be opened or migrated.
var ErrOpen = errors.New("cannot open the database")

// DBFile is the name of the SQLite database inside the data directory.
const DBFile = "rxintake.db"

// Open opens (creating if needed) the SQLite database in dataDir with
// write-ahead logging, a busy timeout and foreign keys on. Each package
// creates its own tables in its constructor.
func Open(ctx context.Context, dataDir string) (*sql.DB, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOpen, err)
	}
	// The path is escaped for the URI: a data_dir holding '?', '#' or '%'
	// would otherwise open another file, or lose the parameters after it.
	path := (&url.URL{Path: filepath.ToSlash(filepath.Join(dataDir, DBFile))}).EscapedPath()
	dsn := "file:" + path +
		"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOpen, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%w: %v", ErrOpen, err)
	}
	return db, nil
}
