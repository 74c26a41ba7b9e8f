package review

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"rxintake/config"
)

func TestUsersFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users")
	u, err := OpenUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	u.cost = bcrypt.MinCost
	if list, _ := u.List(); len(list) != 0 {
		t.Fatalf("missing file: %d users", len(list))
	}
	if added, err := u.Set("alice", testPassword); err != nil || !added {
		t.Fatalf("Set: %v %v", added, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("users file: %v %v, want mode 0600", fi.Mode(), err)
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), testPassword) || !strings.Contains(string(b), "alice $2") {
		t.Fatalf("users file holds:\n%s", b)
	}

	// Another process (rxintake user add) adds a user: the page sees it.
	other, _ := OpenUsers(path)
	other.cost = bcrypt.MinCost
	if _, err := other.Set("bob", "bob's long password"); err != nil {
		t.Fatal(err)
	}
	if ok, known := u.Authenticate("bob", "bob's long password"); !ok || !known {
		t.Errorf("bob added elsewhere: ok %v known %v", ok, known)
	}
	if ok, known := u.Authenticate("alice", "wrong password"); ok || !known {
		t.Errorf("wrong password: ok %v known %v", ok, known)
	}
	if ok, known := u.Authenticate("carol", testPassword); ok || known {
		t.Errorf("unknown user: ok %v known %v", ok, known)
	}
	if added, err := other.Set("alice", "a new long password"); err != nil || added {
		t.Fatalf("change password: %v %v", added, err)
	}
	if ok, _ := u.Authenticate("alice", "a new long password"); !ok {
		t.Error("changed password refused")
	}
	if list, _ := u.List(); len(list) != 2 || list[0].Name != "alice" || list[1].Name != "bob" || list[0].Added.IsZero() {
		t.Errorf("List: %+v", list)
	}

	for _, tc := range []struct {
		name, pw string
		want     error
	}{
		{"Mary Jones", testPassword, ErrBadUserName},
		{"-x", testPassword, ErrBadUserName},
		{"carol", "short", ErrBadPassword},
		{"carol", strings.Repeat("x", 73), ErrBadPassword},
	} {
		if _, err := u.Set(tc.name, tc.pw); !errors.Is(err, tc.want) {
			t.Errorf("Set(%q, %d bytes) = %v, want %v", tc.name, len(tc.pw), err, tc.want)
		}
	}

	if err := os.WriteFile(path, []byte("alice notahash\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenUsers(path); !errors.Is(err, ErrUsersFile) {
		t.Errorf("damaged file: %v, want ErrUsersFile", err)
	}
}

// TestAdminNamesAreUserNames: review.admins accepts exactly the names a
// user can have.
func TestAdminNamesAreUserNames(t *testing.T) {
	for _, name := range []string{"alice", "bob.smith@clinic.example", "a", "A-1_x", "9lives", strings.Repeat("a", 64),
		"", "Mary Jones", "-alice", ".alice", "_x", strings.Repeat("a", 65), "al/ice", "al\tice", "élise"} {
		cfg := config.Default()
		cfg.Review.Admins = []string{name}
		err := cfg.Validate()
		if (err == nil) != ValidUserName(name) {
			t.Errorf("%q: review.admins %v, ValidUserName %v", name, err, ValidUserName(name))
		}
	}
}
