// Package pg starts a throwaway PostgreSQL server for integration tests:
// Debian's postgresql binaries, initdb into a temporary directory, the
// server on a loopback port with password (SCRAM) authentication, and a
// fresh database for each test that asks. As root the server runs as the
// postgres user the package creates (PostgreSQL refuses to run as root); as
// anyone else, as that user. Without the binaries the test is skipped,
// unless CI=true: then it fails.
//
// One server serves a whole test binary (Shared): the package's TestMain
// calls Stop after m.Run.
package pg

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for the admin connection

	"rxintake/internal/sqldb"
)

// User and Password log in to every test server; tests pass Password the
// way rxintake is given one (database_password_env), never in a URL.
const (
	User     = "rxintake"
	Password = "test-password-not-secret"
)

// waitLimit bounds the wait for the server to start or stop.
const waitLimit = 60 * time.Second

// Server is a running PostgreSQL server.
type Server struct {
	Dir  string
	Port int
	cmd  *exec.Cmd
	done chan struct{}
	mu   sync.Mutex
	log  strings.Builder
	n    atomic.Int64
}

// BinDir returns the directory of initdb and postgres, or "" when they are
// missing.
func BinDir() string {
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("postgres"); err == nil {
			return filepath.Dir(p)
		}
	}
	// Debian keeps them out of PATH, one directory per major version.
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i]
		}
	}
	return ""
}

var (
	sharedMu  sync.Mutex
	shared    *Server
	sharedErr error
)

// Shared returns the test binary's server, starting it on first use. Stop
// stops it.
func Shared(t testing.TB) *Server {
	t.Helper()
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if shared == nil && sharedErr == nil {
		if BinDir() == "" {
			const why = "PostgreSQL is not installed (apt-get install postgresql)"
			if os.Getenv("CI") == "true" {
				t.Fatal(why)
			}
			t.Skip(why)
		}
		shared, sharedErr = start()
	}
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

// Stop stops the shared server, if one was started, and removes its
// directory. A package's TestMain calls it after m.Run.
func Stop() {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if shared != nil {
		shared.stop()
		shared = nil
	}
}

// credential is who the server runs as: nil for the current user, the
// postgres user when root.
func credential() (*syscall.Credential, int, int, error) {
	if os.Geteuid() != 0 {
		return nil, -1, -1, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, 0, 0, fmt.Errorf("pg: running as root needs the postgres user of Debian's postgresql package: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, uid, gid, nil
}

func start() (*Server, error) {
	bin := BinDir()
	cred, uid, gid, err := credential()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "rxintake-pg-")
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*Server, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, uid, gid); err != nil {
			return fail(err)
		}
	}
	pwfile := filepath.Join(dir, "pwfile")
	if err := os.WriteFile(pwfile, []byte(Password+"\n"), 0o600); err != nil {
		return fail(err)
	}
	if cred != nil {
		os.Chown(pwfile, uid, gid)
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", User, "--pwfile", pwfile,
		"--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Env = append(os.Environ(), "LC_ALL=C")
	if out, err := initdb.CombinedOutput(); err != nil {
		return fail(fmt.Errorf("pg: initdb: %v\n%s", err, out))
	}
	port, err := freePort()
	if err != nil {
		return fail(err)
	}
	s := &Server{Dir: dir, Port: port, done: make(chan struct{})}
	// Durability is not what these tests are about: no fsync. Sockets only
	// on loopback TCP, in the test's own directory.
	s.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", data,
		"-c", "listen_addresses=127.0.0.1", "-c", "port="+strconv.Itoa(port),
		"-c", "unix_socket_directories="+dir, "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=200", "-c", "shared_buffers=32MB",
		"-c", "log_min_messages=warning", "-c", "logging_collector=off")
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true, Pdeathsig: syscall.SIGQUIT}
	pr, pw, err := os.Pipe()
	if err != nil {
		return fail(err)
	}
	s.cmd.Stdout, s.cmd.Stderr = pw, pw
	if err := s.cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		return fail(err)
	}
	pw.Close()
	up := make(chan struct{})
	go func() {
		defer close(s.done)
		defer pr.Close()
		sc := bufio.NewScanner(pr)
		once := sync.OnceFunc(func() { close(up) })
		for sc.Scan() {
			s.mu.Lock()
			fmt.Fprintln(&s.log, sc.Text())
			s.mu.Unlock()
			if strings.Contains(sc.Text(), "ready to accept connections") {
				once()
			}
		}
		s.cmd.Wait()
	}()
	select {
	case <-up:
	case <-s.done:
		return fail(fmt.Errorf("pg: postgres exited at start:\n%s", s.output()))
	case <-time.After(waitLimit):
		s.stop()
		return nil, fmt.Errorf("pg: postgres did not start:\n%s", s.output())
	}
	return s, nil
}

func (s *Server) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// stop shuts the server down fast (SIGINT: clients are disconnected) and
// removes its directory.
func (s *Server) stop() {
	s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-s.done:
	case <-time.After(waitLimit):
		s.cmd.Process.Kill()
		<-s.done
	}
	os.RemoveAll(s.Dir)
}

// URL returns the URL of database name, without the password.
func (s *Server) URL(name string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", User, s.Port, name)
}

// NewDatabase creates an empty database for the test and returns its URL;
// the database is dropped when the test ends.
func (s *Server) NewDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), s.n.Add(1))
	admin, err := s.admin()
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("pg: create database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := s.admin()
		if err != nil {
			t.Error(err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("pg: drop database: %v", err)
		}
		if t.Failed() {
			t.Logf("postgres log:\n%s", s.output())
		}
	})
	return s.URL(name)
}

func (s *Server) admin() (*sql.DB, error) {
	db, err := sql.Open("pgx", fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/postgres?sslmode=disable", User, Password, s.Port))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("pg: %v", err)
	}
	return db, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Backends are the databases the store tests run over, by the name
// OpenDB takes.
var Backends = []string{"sqlite", "postgres"}

// OpenDB opens a database of backend for the test: SQLite in dataDir, or a
// fresh database on the shared server. It returns the database and the
// value of `database:` that names it ("" for SQLite); the database is
// closed when the test ends.
func OpenDB(t testing.TB, backend, dataDir string) (*sql.DB, string) {
	t.Helper()
	var database string
	if backend == "postgres" {
		database = Shared(t).NewDatabase(t)
	}
	db, err := sqldb.OpenURL(t.Context(), database, dataDir, Password)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, database
}
