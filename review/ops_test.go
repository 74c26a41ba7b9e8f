package review

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// The monitoring routes answer without a session; the alerts' banner is
// shown on every page to a signed-in user, and to no one else.
func TestHealthMetricsAndBanner(t *testing.T) {
	e := newEnv(t, nil)
	var alerts []string
	srv, err := New(Options{Trail: e.trail, Store: e.store, Config: e.cfg, Users: e.users, Log: slog.New(slog.DiscardHandler),
		Health: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"status":"failing"}`))
		}),
		Metrics: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("rxintake_up 1\n")) }),
		Alerts:  func() []string { return alerts },
	})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	c := e.client()
	if resp, body := c.get("/healthz"); resp.StatusCode != http.StatusServiceUnavailable || body != `{"status":"failing"}` {
		t.Errorf("GET /healthz without a session: %s %q", resp.Status, body)
	}
	if resp, body := c.get("/metrics"); resp.StatusCode != http.StatusOK || body != "rxintake_up 1\n" {
		t.Errorf("GET /metrics without a session: %s %q", resp.Status, body)
	}
	alerts = []string{"Intake stopped: the mailbox cannot be reached (since Dec 7, 22:50)."}
	if _, body := c.get("/signin"); strings.Contains(body, `class="alert-banner"`) {
		t.Error("the sign-in page shows the banner to someone not signed in")
	}
	c.signIn(testUser, testPassword)
	for _, page := range []string{"/cases", "/audit"} {
		_, body := c.get(page)
		if !strings.Contains(body, `<p class="alert-banner" role="alert"><strong>Intake problem:</strong> Intake stopped: the mailbox cannot be reached (since Dec 7, 22:50).</p>`) {
			t.Errorf("%s lacks the banner:\n%.1500s", page, body)
		}
	}
	alerts = nil
	if _, body := c.get("/cases"); strings.Contains(body, `class="alert-banner"`) {
		t.Error("the banner stays after the problem is over")
	}
}
