package review

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestSessionSurvivesRestart: a signed-in user is still signed in after the
// worker restarts (a new Server over the same database), with the same CSRF
// token; the database holds the SHA-256 of the cookie's id, never the id.
// Signing out ends the session for good.
func TestSessionSurvivesRestart(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client()
	csrf := c.signIn(testUser, testPassword)
	old, _ := url.Parse(c.base)
	cookies := c.hc.Jar.Cookies(old)
	if len(cookies) == 0 {
		t.Fatal("no session cookie after sign-in")
	}
	for _, ck := range cookies {
		var raw, hashed int
		if err := e.db.QueryRow(`SELECT count(*) FILTER (WHERE key = ?), count(*) FILTER (WHERE key = ?) FROM review_sessions`,
			ck.Value, sessionKey(ck.Value)).Scan(&raw, &hashed); err != nil || raw != 0 || hashed != 1 {
			t.Errorf("sessions stored by the cookie's value: %d, by its SHA-256: %d (%v); want 0 and 1", raw, hashed, err)
		}
	}

	restarted, err := New(Options{Trail: e.trail, Store: e.store, Config: e.cfg, Users: e.users, DB: e.db,
		Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(restarted.Handler())
	t.Cleanup(ts.Close)
	c.base = ts.URL
	now, _ := url.Parse(ts.URL)
	c.hc.Jar.SetCookies(now, cookies)
	resp, body := c.get("/cases")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, testUser) {
		t.Fatalf("after the restart: %s, want the case list, still signed in", resp.Status)
	}
	if got := csrfOf(t, body); got != csrf {
		t.Errorf("CSRF token %q after the restart, want the session's %q", got, csrf)
	}
	if resp, _ := c.post("/signout", url.Values{"csrf": {csrf}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %s", resp.Status)
	}
	if resp, _ := c.get("/cases"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after signing out: %s, want 303 to sign in", resp.Status)
	}
	var n int
	if err := e.db.QueryRow(`SELECT count(*) FROM review_sessions`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d sessions left after signing out (%v)", n, err)
	}
}
