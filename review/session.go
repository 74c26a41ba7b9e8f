package review

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Sessions are held in memory: a restart signs everyone out, which for one
// office manager is a small price for keeping no session secrets on disk.
// The cookie carries a random id; the server keeps only its SHA-256, so the
// map's contents cannot be replayed as cookies.

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
	mu   sync.Mutex
	m    map[string]*session // by sha256 of the id
}

func newSessions(idle time.Duration) *sessions {
	if idle <= 0 {
		idle = DefaultIdleTimeout
	}
	return &sessions{idle: idle, m: map[string]*session{}}
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
	s.mu.Lock()
	defer s.mu.Unlock()
	k := sessionKey(id)
	ss, ok := s.m[k]
	if !ok {
		return nil, false
	}
	if now.Sub(ss.lastSeen) > s.idle || now.Sub(ss.created) > maxSessionAge {
		delete(s.m, k)
		return nil, false
	}
	ss.lastSeen = now
	cp := *ss
	return &cp, true
}

func (s *sessions) delete(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, sessionKey(id))
}

// prune drops expired sessions; s.mu is held.
func (s *sessions) prune(now time.Time) {
	for k, ss := range s.m {
		if now.Sub(ss.lastSeen) > s.idle || now.Sub(ss.created) > maxSessionAge {
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
