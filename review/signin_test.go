package review

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"rxintake/audit"
)

// signinToken fetches the sign-in form from remote and returns its token.
func signinToken(t *testing.T, h http.Handler, remote string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/signin", nil)
	req.RemoteAddr = remote
	h.ServeHTTP(rec, req)
	return csrfOf(t, rec.Body.String())
}

// signinPost posts the sign-in form; it may run on any goroutine.
func signinPost(h http.Handler, remote, tok, user, password string) (int, string) {
	form := url.Values{"csrf": {tok}, "user": {user}, "password": {password}}
	req := httptest.NewRequest("POST", "/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: signinCookie, Value: tok})
	req.RemoteAddr = remote
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// gateHashes makes every password comparison report on entered and wait
// for release to be closed.
func gateHashes(t *testing.T) (entered chan struct{}, release chan struct{}) {
	entered, release = make(chan struct{}, 1000), make(chan struct{})
	old := compareHash
	compareHash = func(hash, pw []byte) error {
		entered <- struct{}{}
		<-release
		return old(hash, pw)
	}
	t.Cleanup(func() { compareHash = old })
	return entered, release
}

type result struct {
	code int
	body string
}

// TestParallelGuessesLocked: guesses sent all at once are counted before
// any password is checked, so no more than MaxFailures of them are checked
// and the rest are refused as locked.
func TestParallelGuessesLocked(t *testing.T) {
	e := newEnv(t, nil)
	h := e.srv.Handler()
	const n = 4 * MaxFailures
	toks := make([]string, n)
	for i := range toks {
		toks[i] = signinToken(t, h, fmt.Sprintf("192.0.2.%d:4000", i+1))
	}
	entered, release := gateHashes(t)
	results := make(chan result, n)
	for i := range n {
		go func() {
			code, body := signinPost(h, fmt.Sprintf("192.0.2.%d:4000", i+1), toks[i], testUser, "wrong password!")
			results <- result{code, body}
		}()
	}
	checked, done := 0, 0
	codes := map[int]int{}
	deadline := time.After(20 * time.Second)
	// Stop waiting when the refusals are in, or when one guess too many
	// reached the password check.
	for done < n-MaxFailures && checked <= MaxFailures {
		select {
		case <-entered:
			checked++
		case r := <-results:
			done++
			codes[r.code]++
		case <-deadline:
			t.Fatalf("after 20s: %d passwords checked, %d answers %v", checked, done, codes)
		}
	}
	close(release)
	for done < n {
		select {
		case <-entered:
			checked++
		case r := <-results:
			done++
			codes[r.code]++
		case <-deadline:
			t.Fatalf("after 20s: %d passwords checked, %d answers %v", checked, done, codes)
		}
	}
	if checked > MaxFailures || codes[http.StatusTooManyRequests] != n-MaxFailures || codes[http.StatusUnauthorized] != MaxFailures {
		t.Errorf("%d guesses at once: %d passwords checked, answers %v; want %d checked, %d refused 429 and %d 401",
			n, checked, codes, MaxFailures, n-MaxFailures, MaxFailures)
	}
	var bad, locked int
	for _, en := range e.entries(audit.Filter{Event: audit.EventUserSignInFailed}) {
		switch en.Outcome {
		case string(audit.SignInBadPassword):
			bad++
		case string(audit.SignInLocked):
			locked++
		}
	}
	if bad != MaxFailures || locked != n-MaxFailures {
		t.Errorf("trail: %d bad-password, %d locked; want %d and %d", bad, locked, MaxFailures, n-MaxFailures)
	}
	// The right password is refused too, until the lock ends.
	if code, _ := signinPost(h, "198.51.100.1:4000", signinToken(t, h, "198.51.100.1:4000"), testUser, testPassword); code != http.StatusTooManyRequests {
		t.Errorf("right password after the guesses: %d, want 429", code)
	}
}

// TestHashingBounded: no more password checks run at once than the page
// has slots for; a sign-in that finds none free in time is asked to try
// again, and nothing is checked for it.
func TestHashingBounded(t *testing.T) {
	e := newEnv(t, nil)
	e.srv.hashSem = make(chan struct{}, 2)
	e.srv.hashWait = 0
	h := e.srv.Handler()
	const n = 6
	toks := make([]string, n)
	for i := range toks {
		toks[i] = signinToken(t, h, fmt.Sprintf("10.0.0.%d:4000", i+1))
	}
	entered, release := gateHashes(t)
	results := make(chan result, n)
	for i := range n {
		go func() {
			code, body := signinPost(h, fmt.Sprintf("10.0.0.%d:4000", i+1), toks[i], fmt.Sprintf("nobody%d", i), "a guess of a password")
			results <- result{code, body}
		}()
	}
	var busy []result
	checked, done := 0, 0
	deadline := time.After(20 * time.Second)
	for done < n-2 && checked <= 2 {
		select {
		case <-entered:
			checked++
		case r := <-results:
			done++
			busy = append(busy, r)
		case <-deadline:
			t.Fatalf("after 20s: %d passwords being checked, %d answers", checked, done)
		}
	}
	close(release)
	if checked > 2 {
		t.Fatalf("%d passwords checked at once, want at most 2", checked)
	}
	for _, r := range busy {
		if r.code != http.StatusServiceUnavailable || !strings.Contains(alertOf(r.body), "Too many sign-ins at once") {
			t.Errorf("sign-in without a free slot: %d %q, want 503 saying too many sign-ins at once", r.code, alertOf(r.body))
		}
	}
	for done < n {
		select {
		case r := <-results:
			done++
			if r.code != http.StatusUnauthorized {
				t.Errorf("sign-in with a slot: %d, want 401", r.code)
			}
		case <-deadline:
			t.Fatal("the checked sign-ins did not finish")
		}
	}
}

// TestUnknownUserSameCost: an unknown user name is refused after a
// comparison with a hash of the users' own cost, so that it takes as long
// as a wrong password.
func TestUnknownUserSameCost(t *testing.T) {
	var costs []int
	old := compareHash
	compareHash = func(hash, pw []byte) error {
		c, err := bcrypt.Cost(hash)
		if err != nil {
			t.Errorf("compared with a hash that is not bcrypt: %v", err)
		}
		costs = append(costs, c)
		return old(hash, pw)
	}
	t.Cleanup(func() { compareHash = old })

	u := NewUsers()
	u.cost = bcrypt.MinCost + 1
	if _, err := u.Set(testUser, testPassword); err != nil {
		t.Fatal(err)
	}
	u.Authenticate(testUser, "wrong password!")
	u.Authenticate("carol", "wrong password!")
	if len(costs) != 2 || costs[0] != costs[1] {
		t.Errorf("in memory: compared at costs %v (known user, unknown user), want the same", costs)
	}

	// A users file written with another cost than the page's own.
	path := filepath.Join(t.TempDir(), "users")
	w, err := OpenUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	w.cost = bcrypt.MinCost
	if _, err := w.Set(testUser, testPassword); err != nil {
		t.Fatal(err)
	}
	r, err := OpenUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	costs = nil
	r.Authenticate(testUser, "wrong password!")
	r.Authenticate("carol", "wrong password!")
	if len(costs) != 2 || costs[0] != costs[1] {
		t.Errorf("from a file: compared at costs %v (known user, unknown user), want the same", costs)
	}
}

// TestSessionEndsWithPassword: a user whose password is changed, or who is
// taken out of the users file, is signed out at the next request; other
// users stay signed in.
func TestSessionEndsWithPassword(t *testing.T) {
	e := newEnv(t, nil)
	path := filepath.Join(e.dataDir, "users")
	users, err := OpenUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	users.cost = bcrypt.MinCost
	for name, pw := range map[string]string{testUser: testPassword, "bob": "bob's long password"} {
		if _, err := users.Set(name, pw); err != nil {
			t.Fatal(err)
		}
	}
	e.srv, err = New(Options{Trail: e.trail, Store: e.store, Config: e.cfg, Users: users, Log: e.srv.log})
	if err != nil {
		t.Fatal(err)
	}
	alice, bob := e.client(), e.client()
	alice.signIn(testUser, testPassword)
	bob.signIn("bob", "bob's long password")

	// `rxintake user add alice` in another process changes her password.
	other, err := OpenUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	other.cost = bcrypt.MinCost
	if _, err := other.Set(testUser, "a new long password"); err != nil {
		t.Fatal(err)
	}
	if resp, _ := alice.get("/cases"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
		t.Errorf("alice after her password changed: %s to %q, want 303 to the sign-in page", resp.Status, resp.Header.Get("Location"))
	}
	if resp, _ := bob.get("/cases"); resp.StatusCode != http.StatusOK {
		t.Errorf("bob after alice's password changed: %s, want 200", resp.Status)
	}
	alice.signIn(testUser, "a new long password")
	if resp, _ := alice.get("/cases"); resp.StatusCode != http.StatusOK {
		t.Errorf("alice with her new password: %s, want 200", resp.Status)
	}

	// Her line is taken out of the users file.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, l := range strings.SplitAfter(string(b), "\n") {
		if !strings.HasPrefix(l, testUser+" ") {
			kept = append(kept, l)
		}
	}
	if err := os.WriteFile(path, []byte(strings.Join(kept, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	if resp, _ := alice.get("/cases"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("alice after she was removed: %s, want 303 to the sign-in page", resp.Status)
	}
	if resp, _ := bob.get("/cases"); resp.StatusCode != http.StatusOK {
		t.Errorf("bob after alice was removed: %s, want 200", resp.Status)
	}
}
