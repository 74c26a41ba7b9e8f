package review

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"rxintake/audit"
)

// via is a request as a reverse proxy, or a client, sends it: from remote,
// with the given headers.
type via struct {
	remote string
	header map[string]string
}

func (v via) do(h http.Handler, method, path string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.RemoteAddr = v.remote
	for k, x := range v.header {
		req.Header.Set(k, x)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// signIn signs in through v and returns the answer to the form's POST.
func (v via) signIn(t *testing.T, h http.Handler, user, password string) *httptest.ResponseRecorder {
	t.Helper()
	rec := v.do(h, "GET", "/signin", nil)
	tok := csrfOf(t, rec.Body.String())
	return v.do(h, "POST", "/signin", url.Values{"csrf": {tok}, "user": {user}, "password": {password}},
		&http.Cookie{Name: signinCookie, Value: tok})
}

func cookieNamed(rec *httptest.ResponseRecorder, name string) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// withProxies rebuilds the page with review.trusted_proxies set.
func (e *env) withProxies(prefixes ...string) http.Handler {
	e.t.Helper()
	e.cfg.Review.TrustedProxies = prefixes
	if err := e.cfg.Validate(); err != nil {
		e.t.Fatal(err)
	}
	srv, err := New(Options{Trail: e.trail, Store: e.store, Config: e.cfg, Users: e.users, Log: e.srv.log})
	if err != nil {
		e.t.Fatal(err)
	}
	e.srv = srv
	return srv.Handler()
}

// TestTrustedProxyClientAddress: behind a trusted proxy the client's
// address is the one the proxy gives (X-Forwarded-For), for the lock-out
// and for the audit trail; from anyone else the header is not believed.
func TestTrustedProxyClientAddress(t *testing.T) {
	e := newEnv(t, nil)
	h := e.withProxies("127.0.0.1/32", "10.0.0.0/8")
	proxied := func(xff string) via {
		return via{remote: "127.0.0.1:40000", header: map[string]string{"X-Forwarded-For": xff}}
	}

	// Five failures of one client through the proxy lock that client...
	for i := range MaxFailures {
		if code := proxied("203.0.113.7").signIn(t, h, fmt.Sprintf("nobody%d", i), "a guess").Code; code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, code)
		}
	}
	if code := proxied("203.0.113.7").signIn(t, h, testUser, testPassword).Code; code != http.StatusTooManyRequests {
		t.Errorf("the locked client through the proxy: %d, want 429", code)
	}
	// ... and not the proxy: another client signs in. A client's own
	// X-Forwarded-For is not believed: the proxy (and a second one, 10.x)
	// appends the address it saw, and that one is the client.
	rec := proxied("203.0.113.7, 198.51.100.2, 10.1.1.1").signIn(t, h, testUser, testPassword)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("another client through the proxy: %d, want 303\n%s", rec.Code, alertOf(rec.Body.String()))
	}
	in := e.entries(audit.Filter{Event: audit.EventUserSignedIn})
	if len(in) != 1 || string(in[0].Detail) != `{"remote":"198.51.100.2"}` {
		t.Errorf("user-signed-in: %+v, want the client's address 198.51.100.2", in)
	}

	// A client that is not a trusted proxy cannot name another address.
	for i := range MaxFailures {
		v := via{remote: "192.0.2.50:5000", header: map[string]string{"X-Forwarded-For": fmt.Sprintf("198.51.100.%d", 100+i)}}
		if code := v.signIn(t, h, fmt.Sprintf("guess%d", i), "a guess").Code; code != http.StatusUnauthorized {
			t.Fatalf("direct failure %d: %d, want 401", i+1, code)
		}
	}
	v := via{remote: "192.0.2.50:5001", header: map[string]string{"X-Forwarded-For": "198.51.100.200"}}
	if code := v.signIn(t, h, testUser, testPassword).Code; code != http.StatusTooManyRequests {
		t.Errorf("the locked address with a made-up X-Forwarded-For: %d, want 429", code)
	}
}

// TestTrustedProxySecureCookies: behind a TLS proxy (X-Forwarded-Proto:
// https from a trusted proxy) the cookies are Secure and __Host-, and the
// page sends HSTS; the same header from anyone else changes nothing.
func TestTrustedProxySecureCookies(t *testing.T) {
	e := newEnv(t, nil)
	h := e.withProxies("127.0.0.1")
	tlsProxy := via{remote: "127.0.0.1:40000", header: map[string]string{"X-Forwarded-For": "198.51.100.2", "X-Forwarded-Proto": "https"}}

	rec := tlsProxy.do(h, "GET", "/signin", nil)
	if c := cookieNamed(rec, signinCookie); c == nil || !c.Secure {
		t.Errorf("sign-in form cookie behind the TLS proxy: %+v, want Secure", c)
	}
	rec = tlsProxy.signIn(t, h, testUser, testPassword)
	sess := cookieNamed(rec, "__Host-rxreview")
	if rec.Code != http.StatusSeeOther || sess == nil || !sess.Secure || !sess.HttpOnly || sess.Path != "/" {
		t.Fatalf("sign-in behind the TLS proxy: %d, session cookie %+v; want 303 and a Secure __Host- cookie", rec.Code, sess)
	}
	if !strings.Contains(rec.Header().Get("Strict-Transport-Security"), "max-age") {
		t.Error("no HSTS behind the TLS proxy")
	}
	if rec := tlsProxy.do(h, "GET", "/cases", nil, sess); rec.Code != http.StatusOK {
		t.Errorf("the case list with the session cookie: %d, want 200", rec.Code)
	}

	// Not from the proxy: the header is the client's word only.
	direct := via{remote: "192.0.2.50:5000", header: map[string]string{"X-Forwarded-Proto": "https"}}
	rec = direct.signIn(t, h, testUser, testPassword)
	if c := cookieNamed(rec, "rxreview"); rec.Code != http.StatusSeeOther || c == nil || c.Secure || cookieNamed(rec, "__Host-rxreview") != nil {
		t.Errorf("direct sign-in claiming https: %d, cookies %v; want 303 and a plain rxreview cookie", rec.Code, rec.Result().Cookies())
	}
	if rec.Header().Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent on a client's own claim of https")
	}
	// The proxy without TLS: plain cookies.
	plain := via{remote: "127.0.0.1:40001", header: map[string]string{"X-Forwarded-For": "198.51.100.3", "X-Forwarded-Proto": "http"}}
	rec = plain.signIn(t, h, testUser, testPassword)
	if c := cookieNamed(rec, "rxreview"); c == nil || c.Secure {
		t.Errorf("sign-in through the proxy over http: cookies %v, want a plain rxreview cookie", rec.Result().Cookies())
	}
}
