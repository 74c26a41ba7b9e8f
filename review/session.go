package review

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"net/netip"
	"strings"
	"sync"
	"time"

	"rxintake/internal/sqldb"
)

// Sessions are kept in the database (Options.DB), so that a restart of the
// worker signs nobody out, or in memory without one. The cookie carries a
// random id; the server keeps only its SHA-256, so what is stored cannot be
// replayed as a cookie. A session ends when idle for review.session_idle,
// after maxSessionAge in any case, at sign-out, and at its next request once
// the user's password changed or the user is gone.

//go:embed migrations/*.sql
var migrations embed.FS

// Session limits.
const (
	DefaultIdleTimeout = 30 * time.Minute
	maxSessionAge      = 12 * time.Hour // signed out at the end of a working day, idle or not
)

type session struct {
	user     string
	stamp    string // Users.passwordStamp at sign-in
	csrf     string
	created  time.Time
	lastSeen time.Time
}

type sessions struct {
	idle time.Duration
	db   *sql.DB // nil: in memory
	mu   sync.Mutex
	m    map[string]*session // by sha256 of the id, without db
}

// newSessions keeps sessions in db, creating its table, or in memory when
// db is nil.
func newSessions(ctx context.Context, idle time.Duration, db *sql.DB) (*sessions, error) {
	if idle <= 0 {
		idle = DefaultIdleTimeout
	}
	if db != nil {
		if err := sqldb.Migrate(ctx, db, "review", migrations); err != nil {
			return nil, err
		}
	}
	return &sessions{idle: idle, db: db, m: map[string]*session{}}, nil
}

func (s *sessions) expired(ss *session, now time.Time) bool {
	return now.Sub(ss.lastSeen) > s.idle || now.Sub(ss.created) > maxSessionAge
}

// randomToken is 32 random bytes, base64url.
func randomToken() string {
	var b [32]byte
	rand.Read(b[:]) // never fails
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func sessionKey(id string) string {
	h := sha256.Sum256([]byte(id))
	return hex.EncodeToString(h[:])
}

// create starts a session for user, signed in with the password of
// stamp, and returns its id (for the cookie).
func (s *sessions) create(user, stamp string) (string, *session) {
	id := randomToken()
	now := timeNow()
	ss := &session{user: user, stamp: stamp, csrf: randomToken(), created: now, lastSeen: now}
	if s.db != nil {
		ctx := context.Background()
		s.db.ExecContext(ctx, `DELETE FROM review_sessions WHERE last_seen < ? OR created < ?`,
			sqldb.FormatTime(now.Add(-s.idle)), sqldb.FormatTime(now.Add(-maxSessionAge)))
		if _, err := s.db.ExecContext(ctx, `INSERT INTO review_sessions (key, user, stamp, csrf, created, last_seen) VALUES (?, ?, ?, ?, ?, ?)`,
			sessionKey(id), user, stamp, ss.csrf, sqldb.FormatTime(now), sqldb.FormatTime(now)); err != nil {
			return "", ss // no cookie that works: the user is asked to sign in again
		}
		return id, ss
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prune(now)
	s.m[sessionKey(id)] = ss
	return id, ss
}

// get returns the live session for id and marks it used.
func (s *sessions) get(id string) (*session, bool) {
	if id == "" {
		return nil, false
	}
	now := timeNow()
	k := sessionKey(id)
	if s.db != nil {
		return s.getStored(k, now)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.m[k]
	if !ok {
		return nil, false
	}
	if s.expired(ss, now) {
		delete(s.m, k)
		return nil, false
	}
	ss.lastSeen = now
	cp := *ss
	return &cp, true
}

// getStored is get for sessions in the database.
func (s *sessions) getStored(k string, now time.Time) (*session, bool) {
	ctx := context.Background()
	var ss session
	var created, seen string
	err := s.db.QueryRowContext(ctx, `SELECT user, stamp, csrf, created, last_seen FROM review_sessions WHERE key = ?`, k).
		Scan(&ss.user, &ss.stamp, &ss.csrf, &created, &seen)
	if err != nil {
		return nil, false
	}
	ss.created, ss.lastSeen = sqldb.ParseTime(created), sqldb.ParseTime(seen)
	if s.expired(&ss, now) {
		s.db.ExecContext(ctx, `DELETE FROM review_sessions WHERE key = ?`, k)
		return nil, false
	}
	ss.lastSeen = now
	if _, err := s.db.ExecContext(ctx, `UPDATE review_sessions SET last_seen = ? WHERE key = ?`, sqldb.FormatTime(now), k); err != nil {
		return nil, false
	}
	return &ss, true
}

func (s *sessions) delete(id string) {
	if s.db != nil {
		s.db.ExecContext(context.Background(), `DELETE FROM review_sessions WHERE key = ?`, sessionKey(id))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, sessionKey(id))
}

// prune drops expired sessions; s.mu is held.
func (s *sessions) prune(now time.Time) {
	for k, ss := range s.m {
		if s.expired(ss, now) {
			delete(s.m, k)
		}
	}
}

// Lock-out: MaxFailures failed sign-ins within LockoutPeriod lock a user
// name, and separately an address, for LockoutPeriod: every sign-in is
// refused then, whatever the password.
const (
	MaxFailures   = 5
	LockoutPeriod = 15 * time.Minute
	maxTracked    = 10000 // keys kept at most; beyond, new keys are not tracked
)

type attempts struct {
	fails []time.Time // within LockoutPeriod
	until time.Time   // locked until
}

type limiter struct {
	mu sync.Mutex
	m  map[string]*attempts // "u:name" or "a:addr"
}

func newLimiter() *limiter { return &limiter{m: map[string]*attempts{}} }

func userKey(name string) string  { return "u:" + name }
func addrKey(a netip.Addr) string { return "a:" + a.Unmap().String() }

// get returns the live record of k, dropping what has expired; l.mu is held.
func (l *limiter) get(k string, now time.Time) *attempts {
	a := l.m[k]
	if a == nil {
		return nil
	}
	fails := a.fails[:0]
	for _, t := range a.fails {
		if now.Sub(t) < LockoutPeriod {
			fails = append(fails, t)
		}
	}
	a.fails = fails
	if len(a.fails) == 0 && !now.Before(a.until) {
		delete(l.m, k)
		return nil
	}
	return a
}

// attempt counts a sign-in against each of keys, as a failure until
// succeed clears it, and reports whether it may go on: false when one of
// keys is locked out. The attempt is counted before its password is
// checked, so that guesses sent all at once lock as they arrive, not as
// their checks finish: no more than MaxFailures are ever checked.
func (l *limiter) attempt(keys ...string) bool {
	now := timeNow()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		if a := l.get(k, now); a != nil && now.Before(a.until) {
			return false
		}
	}
	if len(l.m) >= maxTracked {
		for k := range l.m {
			l.get(k, now)
		}
	}
	for _, k := range keys {
		a := l.get(k, now)
		if a == nil {
			// Addresses are bounded; user names are known users only.
			if len(l.m) >= maxTracked && !strings.HasPrefix(k, "u:") {
				continue
			}
			a = &attempts{}
			l.m[k] = a
		}
		a.fails = append(a.fails, now)
		if len(a.fails) >= MaxFailures {
			a.until, a.fails = now.Add(LockoutPeriod), nil
		}
	}
	return true
}

// succeed clears the failures of keys.
func (l *limiter) succeed(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		delete(l.m, k)
	}
}
