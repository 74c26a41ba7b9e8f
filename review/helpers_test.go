package review

import (
	"bytes"
	"context"
	"database/sql"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/casework"
	"rxintake/config"
	"rxintake/extract"
	"rxintake/internal/sqldb"
	"rxintake/notify"
	"rxintake/validate"
)

const (
	testUser     = "alice"
	testPassword = "correct horse battery"
	testCase     = "RX-7K3QH2"
	testOffice   = "Gulf Coast Family Medicine"
)

// env is a review page over a fresh data directory.
type env struct {
	t       *testing.T
	dataDir string
	db      *sql.DB
	trail   *audit.Trail
	store   *casefile.Store
	srv     *Server
	users   *Users
	cfg     *config.Config
}

// fakeNotifier records the requests sent now and lists the emails given.
type fakeNotifier struct {
	sent   []string
	emails map[string][]notify.Email
}

func (f *fakeNotifier) SendNow(_ context.Context, caseID string) error {
	f.sent = append(f.sent, caseID)
	return nil
}

func (f *fakeNotifier) Requests(_ context.Context, caseID string) ([]notify.Email, error) {
	return f.emails[caseID], nil
}

func newEnv(t *testing.T, n Notifier) *env {
	t.Helper()
	dir := t.TempDir()
	ctx := t.Context()
	db, err := sqldb.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	trail, err := audit.NewTrail(ctx, db, audit.TrailOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	store, err := casefile.New(ctx, db, dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DataDir = dir
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	users := NewUsers()
	users.cost = bcrypt.MinCost
	if _, err := users.Set(testUser, testPassword); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Options{Trail: trail, Store: store, Config: &cfg, Users: users, DB: db, Notifier: n,
		Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, dataDir: dir, db: db, trail: trail, store: store, srv: srv, users: users, cfg: &cfg}
}

// seedRecord is a prescription read from a fax with its frequency missing
// and one diagnosis code read with low confidence: needs-review.
func seedRecord(id string) *casefile.Record {
	rec := &casefile.Record{
		CaseID: id, File: id + ".eml", AsOf: "2026-11-20", Payer: "default", CodeSet: "FY2027", Pages: 1,
		Office: testOffice,
		Sender: &casefile.Sender{Fax: "9415550143", Name: "GULF COAST FM"},
		Prescription: &extract.Prescription{
			Patient:    &extract.Patient{Name: "Mary Jones", DOB: "1961-04-02", Evidence: extract.Evidence{Text: "Patient: Mary Jones DOB 04/02/1961", Confidence: 0.91, Page: 1}},
			Prescriber: &extract.Prescriber{Name: "Anil Patel", Credentials: "MD", NPI: "1234567893", Evidence: extract.Evidence{Text: "Anil Patel, MD NPI 1234567893", Confidence: 0.88, Page: 1}},
			Date:       "2026-11-18",
			Procedures: []extract.Procedure{{CPT: "97140", Text: "myofascial release", Evidence: extract.Evidence{Text: "Myofascial release", Confidence: 0.93, Page: 1}}},
			Diagnoses: []extract.Diagnosis{
				{Code: "M54.50", Description: "Low back pain, unspecified", Billable: true, CodeSet: 2027, Evidence: extract.Evidence{Text: "M54.50 low back pain", Confidence: 0.9, Page: 1}},
				{Code: "M62.830", Description: "Muscle spasm of back", Billable: true, CodeSet: 2027, Evidence: extract.Evidence{Text: "M62.83O muscle spasm of back", Confidence: 0.25, Page: 1}},
			},
			Areas:              []string{"lumbar", "hip"},
			Session:            &extract.Session{Minutes: 60, Units: 4, Text: "60 minutes", Evidence: extract.Evidence{Text: "60 minutes per session", Confidence: 0.9, Page: 1}},
			MedicallyNecessary: true,
			Signature:          extract.Signature{Present: true, Kind: "wet", Evidence: extract.Evidence{Text: "(signature)", Confidence: 0.8, Page: 1}},
			Evidence: extract.EvidenceMap{
				"date":                {Text: "Date: 11/18/2026", Confidence: 0.92, Page: 1},
				"areas":               {Text: "low back and both hips", Confidence: 0.9, Page: 1},
				"medically_necessary": {Text: "Medically necessary", Confidence: 0.95, Page: 1},
			},
		},
		PageTexts: []casefile.PageText{{Page: 1, Text: "Rx: Myofascial release, low back and both hips, 60 minutes per session.\nDx: M54.50 low back pain; M62.83O muscle spasm of back\nMedically necessary", Confidence: 0.87}},
	}
	return casework.Recheck(rec, validate.DefaultProfile)
}

// seedCase opens a case and stores its record, as the worker would have,
// with pageImage (PNG) as its page when not nil.
func (e *env) seedCase(rec *casefile.Record, received time.Time, pageImage []byte) {
	e.t.Helper()
	ctx := e.t.Context()
	if pageImage != nil {
		sum, err := e.store.PutImage(pageImage)
		if err != nil {
			e.t.Fatal(err)
		}
		rec.PageImages = []string{sum}
	}
	tx, err := e.db.BeginTx(ctx, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := e.store.Open(ctx, tx, casefile.Opening{ID: rec.CaseID, MessageRef: "imap://referrals@clinic.example/INBOX;UIDVALIDITY=1/;UID=7",
		SenderFax: "9415550143", At: received}); err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.SetStatus(ctx, tx, rec.CaseID, rec.Status, "seeded"); err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.PutRecord(ctx, tx, rec); err != nil {
		e.t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		e.t.Fatal(err)
	}
}

// testPNG is a small page image.
func testPNG(t testing.TB) []byte {
	img := image.NewGray(image.Rect(0, 0, 170, 220))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y := 20; y < 200; y += 14 {
		for x := 15; x < 150-(y%40); x++ {
			img.Set(x, y, color.Gray{0x30})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// client is a browser: cookies kept, redirects not followed.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func (e *env) client() *client {
	ts := httptest.NewServer(e.srv.Handler())
	e.t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, base: ts.URL, hc: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	resp, err := c.hc.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	resp, err := c.hc.PostForm(c.base+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfOf returns the CSRF token of the first form in a page.
func csrfOf(t *testing.T, body string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in page:\n%.2000s", body)
	}
	return m[1]
}

// signIn signs in and returns the session's CSRF token.
func (c *client) signIn(user, password string) string {
	c.t.Helper()
	_, body := c.get("/signin")
	resp, body := c.post("/signin", url.Values{"csrf": {csrfOf(c.t, body)}, "user": {user}, "password": {password}, "next": {"/cases"}})
	if resp.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign in: %s\n%.2000s", resp.Status, body)
	}
	_, body = c.get("/cases")
	return csrfOf(c.t, body)
}

// entries returns the trail's entries matching f, oldest first.
func (e *env) entries(f audit.Filter) []audit.Entry {
	e.t.Helper()
	f.Limit = audit.MaxListLimit
	got, err := e.trail.List(e.t.Context(), f)
	if err != nil {
		e.t.Fatal(err)
	}
	for i, j := 0, len(got)-1; i < j; i, j = i+1, j-1 {
		got[i], got[j] = got[j], got[i]
	}
	return got
}

func (e *env) caseStatus(id string) casefile.Status {
	e.t.Helper()
	c, err := e.store.Case(e.t.Context(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return c.Status
}

// editForm is the case page's edit form as a browser would post it, with
// the given fields changed.
func editValues(rec *casefile.Record, csrf string, change map[string]string) url.Values {
	f := formFor(rec.Prescription)
	v := url.Values{"csrf": {csrf}, "frequency": {f.Frequency}, "session": {f.Session}, "diagnoses": {f.Diagnoses},
		"signature_kind": {f.SignatureKind}}
	for _, o := range f.Areas {
		if o.Checked {
			v.Add("area", o.Value)
		}
	}
	for _, o := range f.Modality {
		if o.Checked {
			v.Add("cpt", o.Value)
		}
	}
	if f.Signature {
		v.Set("signature", "on")
	}
	if f.Necessary {
		v.Set("necessary", "on")
	}
	for k, x := range change {
		v.Set(k, x)
	}
	return v
}

func artifactsDir(t *testing.T) string {
	if d := os.Getenv("RXINTAKE_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func hasRule(rec *casefile.Record, rule string) bool {
	return strings.Contains(strings.Join(rec.Rules(), " "), rule)
}

func recheck(rec *casefile.Record) *casefile.Record {
	return casework.Recheck(rec, validate.DefaultProfile)
}

var alertRE = regexp.MustCompile(`(?s)<p class="alert[^>]*>(.*?)</p>`)

// alertOf returns the messages shown on a page.
func alertOf(body string) string {
	var out []string
	for _, m := range alertRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return strings.Join(out, " / ")
}
