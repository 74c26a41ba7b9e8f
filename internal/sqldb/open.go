package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
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
	// SQLite creates the database with mode 0644 and gives its journal
	// files (-wal, -shm) the database's mode: made 0600 here, they are all
	// the user's alone (docs/architecture.md, "Files").
	file := filepath.Join(dataDir, DBFile)
	f, err := os.OpenFile(file, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOpen, err)
	}
	err = f.Chmod(0o600)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOpen, err)
	}
	for _, journal := range []string{file + "-wal", file + "-shm"} {
		if err := os.Chmod(journal, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %v", ErrOpen, err)
		}
	}
	// The path is escaped for the URI: a data_dir holding '?', '#' or '%'
	// would otherwise open another file, or lose the parameters after it.
	path := (&url.URL{Path: filepath.ToSlash(file)}).EscapedPath()
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
