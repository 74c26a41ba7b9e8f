// Package review owns the office manager's web page: the cases and what was
// read of them, the decisions to confirm or correct, and the audit trail.
// It is plain net/http and html/template with its style sheet embedded in
// every page: no JavaScript, nothing fetched from elsewhere.
//
// Every request but the sign-in page needs a session: pages redirect to the
// sign-in page, page images, exports and actions answer 401. Every action is
// a POST carrying the session's CSRF token, and is recorded in the audit
// trail with the user; so is every page viewed.
package review

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"database/sql"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"runtime"
	"strings"
	"time"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/config"
	"rxintake/notify"
	"rxintake/validate"
)

var timeNow = time.Now // replaced in tests

// Notifier is what the page needs of the correction-request stage
// (notify.Notifier): the emails of a case's request, and sending a request
// now, outside the worker's cycle. Without one the page shows no requests
// and offers no such button.
type Notifier interface {
	Requests(ctx context.Context, caseID string) ([]notify.Email, error)
	SendNow(ctx context.Context, caseID string) error
}

// Options are what the page is built from.
type Options struct {
	Trail  *audit.Trail
	Store  *casefile.Store
	Config *config.Config // data_dir, payers, review settings
	Users  *Users
	// DB keeps the sessions, so that a restart signs nobody out; nil
	// keeps them in memory.
	DB       *sql.DB
	Notifier Notifier // nil: no correction requests shown, no "send now"
	Log      *slog.Logger
	// Secure marks cookies Secure; Serve sets it when it serves TLS. Set
	// it when a TLS-terminating proxy in front serves the Handler; or
	// list the proxy in review.trusted_proxies and have it send
	// X-Forwarded-Proto.
	Secure bool
	// AfterAction, when set, is called after every action (a POST from a
	// signed-in user) has been answered: the worker takes a checkpoint of
	// the audit trail then (docs/audit.md).
	AfterAction func()
	// Health and Metrics, when set, are served as GET /healthz and GET
	// /metrics without a session: facts about intake, no patient
	// information (docs/operations.md).
	Health, Metrics http.Handler
	// Alerts, when set, gives the problems every signed-in page shows in
	// a banner: intake stopped, the disk filling (docs/operations.md).
	Alerts func() []string
}

// Server is the review page.
type Server struct {
	trail    *audit.Trail
	store    *casefile.Store
	cfg      *config.Config
	users    *Users
	notifier Notifier
	log      *slog.Logger
	secure   bool
	proxies  []netip.Prefix // review.trusted_proxies
	sessions *sessions
	limiter  *limiter
	handler  http.Handler
	after    func() // Options.AfterAction
	health   http.Handler
	metrics  http.Handler
	alerts   func() []string
	// Password checks run at most cap(hashSem) at once; a sign-in waits
	// up to hashWait for a slot and is then asked to try again.
	hashSem  chan struct{}
	hashWait time.Duration
}

// hashSlots is how many password checks run at once: bcrypt keeps a CPU
// busy for a quarter of a second, so more than the CPUs only makes each
// one slower, and a flood of sign-ins cannot take every CPU from the
// worker's OCR.
func hashSlots() int { return max(1, min(runtime.GOMAXPROCS(0)/2, 4)) }

//go:embed assets/style.css
var styleCSS string

// styleHash is the style sheet's CSP hash: pages inline it, so that the
// sign-in page is styled without serving anything to strangers.
var styleHash = func() string {
	h := sha256.Sum256([]byte(styleCSS))
	return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
}()

// New returns the review page. Trail, Store, Config and Users are
// required.
func New(o Options) (*Server, error) {
	if o.Trail == nil || o.Store == nil || o.Config == nil || o.Users == nil {
		return nil, errors.New("review: New needs Trail, Store, Config and Users")
	}
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	sessions, err := newSessions(context.Background(), o.Config.Review.SessionIdle, o.DB)
	if err != nil {
		return nil, err
	}
	s := &Server{trail: o.Trail, store: o.Store, cfg: o.Config, users: o.Users,
		notifier: o.Notifier, log: log, secure: o.Secure, proxies: o.Config.Review.Proxies(),
		sessions: sessions, limiter: newLimiter(),
		hashSem: make(chan struct{}, hashSlots()), hashWait: 5 * time.Second, after: o.AfterAction,
		health: o.Health, metrics: o.Metrics, alerts: o.Alerts}
	s.handler = s.routes()
	return s, nil
}

// Handler returns the page's handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve serves the page on ln until ctx is cancelled, then shuts down
// gracefully (in-flight requests get 10 seconds). It serves TLS when the
// configuration names a certificate and key.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	rc := s.cfg.Review
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if rc.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(rc.TLSCert, rc.TLSKey)
		if err != nil {
			return fmt.Errorf("review: config: review.tls_cert: %w", err)
		}
		hs.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
		ln = tls.NewListener(ln, hs.TLSConfig)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	err := hs.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		<-done
		return nil
	}
	return err
}

// TLS reports whether the configuration serves TLS; New's caller sets
// Options.Secure from it.
func TLS(cfg *config.Config) bool { return cfg.Review.TLSCert != "" }

// user is the signed-in user of a request, set by the auth middleware.
type ctxKey struct{}

type reqUser struct {
	name string
	csrf string
}

func userOf(r *http.Request) reqUser {
	u, _ := r.Context().Value(ctxKey{}).(reqUser)
	return u
}

func (s *Server) cookieName(r *http.Request) string {
	if s.isSecure(r) {
		return "__Host-rxreview"
	}
	return "rxreview"
}

// kinds of protected route, for what an unauthenticated request gets.
const (
	kindPage   = iota // redirect to the sign-in page
	kindAsset         // 401
	kindAction        // 401; the CSRF token is checked
)

// protect wraps h: a session is required, and for actions the CSRF token.
func (s *Server) protect(kind int, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var ss *session
		if c, err := r.Cookie(s.cookieName(r)); err == nil {
			ss, _ = s.sessions.get(c.Value)
			if ss != nil {
				if stamp, ok := s.users.passwordStamp(ss.user); !ok || stamp != ss.stamp {
					// A new password, or no such user any more.
					s.sessions.delete(c.Value)
					s.log.Info("review: session ended: the user was removed or their password changed", "user", ss.user)
					ss = nil
				}
			}
		}
		if ss == nil {
			if kind == kindPage && r.Method == http.MethodGet {
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			w.Header().Set("WWW-Authenticate", `Cookie realm="rxintake review"`)
			s.renderError(w, r, http.StatusUnauthorized, "Please sign in again: your session has ended.")
			return
		}
		if kind == kindAction {
			r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
			if err := r.ParseForm(); err != nil || !constantTimeEqual(r.PostFormValue("csrf"), ss.csrf) {
				s.renderError(w, r, http.StatusForbidden, "The form was out of date or did not come from this page. Go back, reload the page and try again.")
				return
			}
		}
		ctx := context.WithValue(r.Context(), ctxKey{}, reqUser{name: ss.user, csrf: ss.csrf})
		h(w, r.WithContext(ctx))
		if kind == kindAction && s.after != nil {
			s.after()
		}
	}
}

// routes is the page's URL space.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	// For monitoring: no session, no patient information.
	if s.health != nil {
		mux.Handle("GET /healthz", s.health)
	}
	if s.metrics != nil {
		mux.Handle("GET /metrics", s.metrics)
	}
	mux.HandleFunc("GET /signin", s.signinPage)
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("POST /signin", s.signin)
	mux.HandleFunc("POST /signout", s.protect(kindAction, s.signout))
	mux.HandleFunc("GET /{$}", s.protect(kindPage, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/cases", http.StatusSeeOther)
	}))
	mux.HandleFunc("GET /cases", s.protect(kindPage, s.casesPage))
	mux.HandleFunc("GET /cases/{id}", s.protect(kindPage, s.casePage))
	mux.HandleFunc("GET /cases/{id}/pages/{n}", s.protect(kindAsset, s.pageImage))
	mux.HandleFunc("POST /cases/{id}/accept", s.protect(kindAction, s.accept))
	mux.HandleFunc("POST /cases/{id}/not-rx", s.protect(kindAction, s.dismiss))
	mux.HandleFunc("POST /cases/{id}/edit", s.protect(kindAction, s.edit))
	mux.HandleFunc("POST /cases/{id}/send", s.protect(kindAction, s.sendNow))
	mux.HandleFunc("POST /cases/{id}/office", s.protect(kindAction, s.addOffice))
	mux.HandleFunc("GET /audit", s.protect(kindPage, s.auditPage))
	mux.HandleFunc("GET /audit/export.csv", s.protect(kindAsset, s.export("csv")))
	mux.HandleFunc("GET /audit/export.jsonl", s.protect(kindAsset, s.export("jsonl")))
	mux.HandleFunc("/", s.protect(kindPage, func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusNotFound, "There is no such page.")
	}))
	// Cross-origin POSTs are refused by the browser's own word
	// (Sec-Fetch-Site, Origin) before any token is looked at.
	cop := http.NewCrossOriginProtection()
	return s.headers(cop.Handler(mux))
}

// headers sets what every response carries.
func (s *Server) headers(h http.Handler) http.Handler {
	csp := "default-src 'none'; img-src 'self'; style-src " + styleHash +
		"; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cache-Control", "no-store")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		if s.isSecure(r) {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.ServeHTTP(w, r)
	})
}

// peerAddr is the address the request came from.
func peerAddr(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}

// fromProxy reports whether the request came from a trusted proxy
// (review.trusted_proxies).
func (s *Server) fromProxy(r *http.Request) bool {
	return s.trusted(peerAddr(r))
}

func (s *Server) trusted(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	for _, p := range s.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddr is the client's address, for the lock-out and the audit
// trail: the peer's, unless the peer is a trusted proxy. Then it is read
// from X-Forwarded-For right to left, each proxy having appended the
// address it received the request from: the first address that is not a
// trusted proxy's is the client's. What lies left of it was sent by the
// client and is not believed.
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	addr := peerAddr(r)
	if !s.trusted(addr) {
		return addr
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return addr // the nearest hop that is known
		}
		addr = a.Unmap()
		if !s.trusted(addr) {
			return addr
		}
	}
	return addr
}

// isSecure reports whether the browser's connection is TLS: the page
// serves TLS itself, or a trusted proxy says so (X-Forwarded-Proto:
// https). Cookies are Secure, and named __Host-, then.
func (s *Server) isSecure(r *http.Request) bool {
	if s.secure || r.TLS != nil {
		return true
	}
	if !s.fromProxy(r) {
		return false
	}
	protos := r.Header.Values("X-Forwarded-Proto")
	if len(protos) == 0 {
		return false
	}
	for _, v := range strings.Split(strings.Join(protos, ","), ",") {
		if !strings.EqualFold(strings.TrimSpace(v), "https") {
			return false
		}
	}
	return true
}

// localPath returns next when it is a path on this site, else "/cases".
// Browsers drop tabs and line ends from a URL and read a backslash as a
// slash, so that "/<TAB>/x" and "/<BACKSLASH>x" lead to the host x. next is
// refused when it, or its path once percent-decoded, holds a control byte
// or a backslash, when it has a scheme or a host, and when its path does
// not start with exactly one "/".
func localPath(next string) string {
	const home = "/cases"
	if next == "" || hasControlOrBackslash(next) {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return home
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || hasControlOrBackslash(p) {
		return home
	}
	if path.Clean(p) == "/signin" {
		return home
	}
	return next
}

func hasControlOrBackslash(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' })
}

const signinCookie = "rxreview-signin"

func (s *Server) signinPage(w http.ResponseWriter, r *http.Request) {
	s.renderSignin(w, r, http.StatusOK, "")
}

// renderSignin shows the sign-in form with the pre-session CSRF token (a
// double-submitted cookie: a session does not exist yet). A token the
// browser holds is kept, so that a second tab, or a request the browser
// makes by itself and is sent here, does not make the first form stale.
func (s *Server) renderSignin(w http.ResponseWriter, r *http.Request, status int, msg string) {
	tok := randomToken()
	if c, err := r.Cookie(signinCookie); err == nil && len(c.Value) == len(tok) {
		tok = c.Value
	}
	http.SetCookie(w, &http.Cookie{Name: signinCookie, Value: tok, Path: "/signin", HttpOnly: true,
		Secure: s.isSecure(r), SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	s.render(w, r, status, "signin", "Sign in", struct {
		Next, Token, Error string
	}{localPath(r.FormValue("next")), tok, msg})
}

func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.renderSignin(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	c, err := r.Cookie(signinCookie)
	if err != nil || !constantTimeEqual(r.PostFormValue("csrf"), c.Value) {
		s.renderSignin(w, r, http.StatusForbidden, "The sign-in form was out of date. Please try again.")
		return
	}
	ctx := r.Context()
	name := strings.TrimSpace(r.PostFormValue("user"))
	password := r.PostFormValue("password")
	addr := s.clientAddr(r)
	known := ValidUserName(name) && s.users.Exists(name)
	keys := []string{addrKey(addr)}
	if known {
		keys = append(keys, userKey(name))
	}
	if !s.limiter.attempt(keys...) {
		if known {
			s.auditErr(s.trail.UserSignInFailed(ctx, name, addr, audit.SignInLocked))
		} else {
			s.auditErr(s.trail.UserSignInFailed(ctx, "", addr, audit.SignInUnknownUser))
		}
		s.renderSignin(w, r, http.StatusTooManyRequests,
			fmt.Sprintf("Too many failed sign-ins. Sign-in is locked for %d minutes.", int(LockoutPeriod.Minutes())))
		return
	}
	release, free := s.hashSlot(ctx)
	if !free {
		s.log.Warn("review: sign-in refused: too many at once")
		w.Header().Set("Retry-After", "5")
		s.renderSignin(w, r, http.StatusServiceUnavailable, "Too many sign-ins at once. Please try again in a moment.")
		return
	}
	stamp, ok, known := s.users.authenticate(name, password)
	release()
	if !ok {
		if known {
			s.auditErr(s.trail.UserSignInFailed(ctx, name, addr, audit.SignInBadPassword))
		} else {
			s.auditErr(s.trail.UserSignInFailed(ctx, "", addr, audit.SignInUnknownUser))
		}
		s.renderSignin(w, r, http.StatusUnauthorized, "Wrong user name or password.")
		return
	}
	if err := s.trail.UserSignedIn(ctx, name, addr); err != nil {
		s.log.Error("review: sign-in not recorded in the audit trail; refused", "err", err)
		s.renderSignin(w, r, http.StatusServiceUnavailable, "The audit trail cannot be written: sign-in is refused until it can.")
		return
	}
	s.limiter.succeed(keys...)
	id, _ := s.sessions.create(name, stamp)
	secure := s.isSecure(r)
	http.SetCookie(w, &http.Cookie{Name: signinCookie, Value: "", Path: "/signin", MaxAge: -1, HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(r), Value: id, Path: "/", HttpOnly: true, Secure: secure,
		SameSite: http.SameSiteStrictMode})
	s.log.Info("review: signed in", "user", name)
	http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
}

// hashSlot waits for a free password-check slot, up to s.hashWait or
// until ctx ends; ok is false when none came free.
func (s *Server) hashSlot(ctx context.Context) (release func(), ok bool) {
	release = func() { <-s.hashSem }
	select {
	case s.hashSem <- struct{}{}:
		return release, true
	default:
	}
	if s.hashWait <= 0 {
		return nil, false
	}
	t := time.NewTimer(s.hashWait)
	defer t.Stop()
	select {
	case s.hashSem <- struct{}{}:
		return release, true
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, false
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(s.cookieName(r)); err == nil {
		s.sessions.delete(c.Value)
	}
	s.auditErr(s.trail.UserSignedOut(r.Context(), userOf(r).name))
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(r), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.isSecure(r), SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// auditErr logs an audit trail write that failed where the request can go on.
func (s *Server) auditErr(err error) {
	if err != nil {
		s.log.Error("review: audit trail not written", "err", err)
	}
}

// profileFor is the payer profile a record was checked against.
func (s *Server) profileFor(rec *casefile.Record) validate.Profile {
	p, err := validate.ProfileFor(s.cfg, rec.Payer)
	if err != nil {
		p, err = validate.ProfileFor(s.cfg, "")
		if err != nil {
			return validate.DefaultProfile
		}
	}
	return p
}
