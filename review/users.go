package review

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"rxintake/internal/safeio"
)

// The users file holds one user a line: the name, the bcrypt hash of the
// password and when the user was added, separated by spaces. Lines starting
// with '#' are comments. The file is written with mode 0600 (temp file,
// fsync, rename) by `rxintake user add`, and read again by the page when it
// changes, so that a user added while the page runs can sign in, and a
// user taken out of it, or given a new password, is signed out.

var (
	// ErrBadUserName reports a user name the audit trail would not accept.
	ErrBadUserName = errors.New("review: a user name is 1-64 letters, digits or ._@- starting with a letter or digit")
	// ErrBadPassword reports a password too short or too long for bcrypt.
	ErrBadPassword = fmt.Errorf("review: a password has %d to 72 bytes", MinPasswordLen)
	// ErrUsersFile reports a users file that cannot be read or written.
	ErrUsersFile = errors.New("review: users file")
)

// MinPasswordLen is the shortest password `user add` accepts.
const MinPasswordLen = 12

// User is one line of the users file.
type User struct {
	Name  string
	Hash  string // bcrypt
	Added time.Time
}

// Users is the set of people who may sign in. It is safe for concurrent use.
type Users struct {
	path string // "" for users held in memory only (the demo, tests)
	cost int

	mu    sync.Mutex
	users map[string]User
	mtime time.Time
	size  int64
	dummy []byte // see dummyHash
}

// OpenUsers reads the users file at path. A missing file holds no users.
func OpenUsers(path string) (*Users, error) {
	u := &Users{path: path, cost: bcrypt.DefaultCost + 2, users: map[string]User{}}
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.reload(); err != nil {
		return nil, err
	}
	u.dummyHash()
	return u, nil
}

// NewUsers returns an empty set of users held in memory, for the demo and
// tests; Set adds to it.
func NewUsers() *Users {
	return &Users{cost: bcrypt.DefaultCost, users: map[string]User{}}
}

// reload reads the file again when its size or time changed. u.mu is held.
func (u *Users) reload() error {
	if u.path == "" {
		return nil
	}
	fi, err := os.Stat(u.path)
	if errors.Is(err, os.ErrNotExist) {
		u.users, u.mtime, u.size = map[string]User{}, time.Time{}, 0
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUsersFile, err)
	}
	if fi.ModTime().Equal(u.mtime) && fi.Size() == u.size && u.users != nil {
		return nil
	}
	b, err := os.ReadFile(u.path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUsersFile, err)
	}
	users, err := parseUsers(b)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrUsersFile, u.path, err)
	}
	u.users, u.mtime, u.size = users, fi.ModTime(), fi.Size()
	return nil
}

func parseUsers(b []byte) (map[string]User, error) {
	users := map[string]User{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 || !ValidUserName(f[0]) || !strings.HasPrefix(f[1], "$2") {
			return nil, fmt.Errorf("line %d is not NAME BCRYPT-HASH [ADDED]", n)
		}
		usr := User{Name: f[0], Hash: f[1]}
		if len(f) > 2 {
			usr.Added, _ = time.Parse(time.RFC3339, f[2])
		}
		users[usr.Name] = usr
	}
	return users, sc.Err()
}

// ValidUserName reports whether name can be a user's name: what the audit
// trail records as the actor.
func ValidUserName(name string) bool {
	if name == "" || len(name) > 64 || !isAlnum(name[0]) {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !isAlnum(name[i]) && !strings.ContainsRune("._@-", rune(name[i])) {
			return false
		}
	}
	return true
}

func isAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

func checkPassword(pw string) error {
	if len(pw) < MinPasswordLen || len(pw) > 72 {
		return ErrBadPassword
	}
	return nil
}

var compareHash = bcrypt.CompareHashAndPassword // replaced in tests

// dummyHash is the hash a password is compared with when the name is
// unknown: of the cost the users' hashes have (the highest, when they
// differ; the cost Set uses when there are none), so that an unknown name
// takes as long to refuse as a wrong password. u.mu is held.
func (u *Users) dummyHash() []byte {
	cost := 0
	for _, usr := range u.users {
		if c, err := bcrypt.Cost([]byte(usr.Hash)); err == nil && c > cost {
			cost = c
		}
	}
	if cost == 0 {
		cost = u.cost
	}
	if c, err := bcrypt.Cost(u.dummy); err != nil || c != cost {
		u.dummy, _ = bcrypt.GenerateFromPassword([]byte("rxintake: no such user"), cost)
	}
	return u.dummy
}

// Authenticate checks a password. known reports whether the name is a user
// (for the audit trail: an unknown name is never recorded).
func (u *Users) Authenticate(name, password string) (ok, known bool) {
	_, ok, known = u.authenticate(name, password)
	return ok, known
}

// authenticate is Authenticate, and returns the passwordStamp of the hash the
// password matched.
func (u *Users) authenticate(name, password string) (stamp string, ok, known bool) {
	u.mu.Lock()
	err := u.reload()
	usr, known := u.users[name]
	var dummy []byte
	if err != nil || !known {
		dummy = u.dummyHash()
	}
	u.mu.Unlock()
	if dummy != nil {
		compareHash(dummy, []byte(password))
		return "", false, known
	}
	if compareHash([]byte(usr.Hash), []byte(password)) != nil {
		return "", false, true
	}
	return hashStamp(usr.Hash), true, true
}

// passwordStamp identifies the current password of a user, without revealing its
// hash: a session records it at sign-in and ends when it changes (a new
// password) or the user is gone. ok is false for no such user, or when the
// users file cannot be read.
func (u *Users) passwordStamp(name string) (stamp string, ok bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.reload(); err != nil {
		return "", false
	}
	usr, ok := u.users[name]
	if !ok {
		return "", false
	}
	return hashStamp(usr.Hash), true
}

func hashStamp(hash string) string {
	h := sha256.Sum256([]byte(hash))
	return hex.EncodeToString(h[:16])
}

// Exists reports whether name is a user.
func (u *Users) Exists(name string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.reload()
	_, ok := u.users[name]
	return ok
}

// List returns the users by name.
func (u *Users) List() ([]User, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.reload(); err != nil {
		return nil, err
	}
	out := make([]User, 0, len(u.users))
	for _, usr := range u.users {
		out = append(out, usr)
	}
	slices.SortFunc(out, func(a, b User) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Set adds a user, or changes the password of one, and writes the file
// durably when the users come from one. It reports whether the user was new.
func (u *Users) Set(name, password string) (added bool, err error) {
	if !ValidUserName(name) {
		return false, ErrBadUserName
	}
	if err := checkPassword(password); err != nil {
		return false, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), u.cost)
	if err != nil {
		return false, fmt.Errorf("review: hash password: %w", err)
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.reload(); err != nil {
		return false, err
	}
	_, exists := u.users[name]
	users := maps.Clone(u.users)
	users[name] = User{Name: name, Hash: string(hash), Added: timeNow().UTC().Truncate(time.Second)}
	if u.path != "" {
		if err := writeUsers(u.path, users); err != nil {
			return false, err
		}
		u.mtime = time.Time{} // read it back on next use
	}
	u.users = users
	return !exists, nil
}

func writeUsers(path string, users map[string]User) error {
	var b bytes.Buffer
	b.WriteString("# rxintake review users: NAME BCRYPT-HASH ADDED. Managed with `rxintake user add`.\n")
	names := make([]string, 0, len(users))
	for n := range users {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		usr := users[n]
		added := "-"
		if !usr.Added.IsZero() {
			added = usr.Added.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(&b, "%s %s %s\n", usr.Name, usr.Hash, added)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("%w: %v", ErrUsersFile, err)
	}
	if err := safeio.WriteFile(path, b.Bytes(), 0o600); err != nil {
		return fmt.Errorf("%w: %v", ErrUsersFile, err)
	}
	return nil
}

// constantTimeEqual compares two tokens.
func constantTimeEqual(a, b string) bool {
	return len(a) == len(b) && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
