package notify

import (
	"context"
	"crypto/tls"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/casework"
	"rxintake/config"
	"rxintake/extract"
	"rxintake/icd10cm"
	"rxintake/intake"
	"rxintake/internal/pg"
	"rxintake/internal/sqldb"
	"rxintake/internal/testserver"
	"rxintake/validate"
)

const (
	testUser     = "referrals@bayside.example"
	testPassword = "s3cret-for-tests"
	waitLimit    = 60 * time.Second
)

// newTestCA makes the test's certificate authority and server certificate.
func newTestCA(t *testing.T) *testserver.CA { return testserver.NewCA(t) }

// received is a message the test server accepted.
type received struct {
	From string
	To   []string
	Data []byte
}

// smtpServer is an in-process go-smtp server on loopback that requires TLS
// and AUTH PLAIN, and answers DATA as its script says.
type smtpServer struct {
	port int
	mode string // implicit | starttls
	mu   sync.Mutex
	got  []received
	// script answers successive DATA commands: nil accepts; an
	// *smtp.SMTPError refuses. After the script runs out, all are accepted.
	script  []error
	rcptErr error // returned to every RCPT when not nil
	data    chan struct{}
}

func startSMTP(t *testing.T, ca *testserver.CA, mode string) *smtpServer {
	t.Helper()
	srv := &smtpServer{mode: mode, data: make(chan struct{}, 100)}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{srv: srv}, nil }))
	s.Domain = "localhost"
	s.ReadTimeout, s.WriteTimeout = waitLimit, waitLimit
	s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{ca.Server}}
	var (
		ln  net.Listener
		err error
	)
	if mode == "implicit" {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", s.TLSConfig)
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	srv.port = ln.Addr().(*net.TCPAddr).Port
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return srv
}

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

type session struct {
	srv  *smtpServer
	auth bool
	from string
	to   []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != testUser || password != testPassword {
			return errors.New("invalid credentials")
		}
		s.auth = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if !s.auth {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.srv.rcptErr != nil {
		return s.srv.rcptErr
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	if len(s.srv.script) > 0 {
		answer := s.srv.script[0]
		s.srv.script = s.srv.script[1:]
		if answer != nil {
			return answer
		}
	}
	s.srv.got = append(s.srv.got, received{From: s.from, To: s.to, Data: b})
	s.srv.data <- struct{}{}
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// env is a notifier on a fresh database, with the ledger, the trail and
// the case store beside it, and a clock the test moves.
type env struct {
	t      *testing.T
	cfg    *config.Config
	db     *sql.DB
	ledger *intake.Ledger
	trail  *audit.Trail
	store  *casefile.Store
	n      *Notifier
	clock  *clock
	uid    uint32
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// eastern is the practice's zone in the tests (Sarasota, Florida).
var eastern = time.FixedZone("EST", -5*3600)

// testYAML is a configuration for an SMTP server on port with tls mode.
func testYAML(dataDir string, port int, mode, caFile string) string {
	return fmt.Sprintf(`data_dir: %s
smtp:
  host: 127.0.0.1
  port: %d
  tls: %s
  ca_file: %q
  username: %s
  password_env: RXINTAKE_TEST_SMTP_PASSWORD
  from: "Bayside Medical Massage <%s>"
  reply_to: frontdesk@bayside.example
offices:
  - name: Gulf Coast Family Medicine
    emails: [rx@gulfcoastfm.example]
    fax: ["941-555-0143"]
    npi: ["1234567893"]
  - name: Lakewood Ranch Orthopedics
    emails: [orders@lwrortho.example, frontdesk@lwrortho.example]
    fax: ["9415550188"]
    npi: ["1245319599"]
practice:
  name: Bayside Medical Massage
  phone: "941-321-5311"
  fax: "941-321-5312"
  signature: "Lizz Pugh, LMT"
notify:
  reminder_after_business_days: 3
  daily_cap_per_office: 5
  daily_cap: 8
`, dataDir, port, mode, caFile, testUser, testUser)
}

func newEnv(t *testing.T, port int, mode, caFile string, opts Options) *env {
	t.Helper()
	return newEnvOn(t, "sqlite", port, mode, caFile, opts)
}

// eachBackend runs test on SQLite and on PostgreSQL.
func eachBackend(t *testing.T, test func(t *testing.T, backend string)) {
	for _, backend := range pg.Backends {
		t.Run(backend, func(t *testing.T) { test(t, backend) })
	}
}

// newEnvOn is newEnv on backend (pg.Backends): for PostgreSQL, the
// configuration names a fresh database and the password's variable.
func newEnvOn(t *testing.T, backend string, port int, mode, caFile string, opts Options) *env {
	t.Helper()
	t.Setenv("RXINTAKE_TEST_SMTP_PASSWORD", testPassword)
	dir := t.TempDir()
	path := filepath.Join(dir, "rxintake.yaml")
	yaml := testYAML(filepath.Join(dir, "data"), port, mode, caFile)
	if backend == "postgres" {
		t.Setenv("RXINTAKE_TEST_DB_PASSWORD", pg.Password)
		yaml += "database: " + pg.Shared(t).NewDatabase(t) + "\ndatabase_password_env: RXINTAKE_TEST_DB_PASSWORD\n"
	}
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return openEnv(t, cfg, opts, &clock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, eastern)})
}

func openEnv(t *testing.T, cfg *config.Config, opts Options, c *clock) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, cfg: cfg, clock: c}
	var err error
	if e.db, err = openDB(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.db.Close() })
	if e.trail, err = audit.NewTrail(ctx, e.db, audit.TrailOptions{}); err != nil {
		t.Fatal(err)
	}
	if e.store, err = casefile.New(ctx, e.db, cfg.DataDir); err != nil {
		t.Fatal(err)
	}
	if e.ledger, err = intake.NewLedger(ctx, e.db, e.store); err != nil {
		t.Fatal(err)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	}
	opts.Now = e.clock.now
	if e.n, err = New(ctx, cfg, e.db, e.trail, e.store, opts); err != nil {
		t.Fatal(err)
	}
	return e
}

// openDB opens the database cfg names, as rxintake does.
func openDB(ctx context.Context, cfg *config.Config) (*sql.DB, error) {
	password, err := cfg.DatabasePassword()
	if err != nil {
		return nil, err
	}
	return sqldb.OpenURL(ctx, cfg.Database, cfg.DataDir, password)
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// decide opens a case on the ledger for rec and commits its decision the way
// the intake worker does, with the processor's effects: the record stored,
// then Decided in the same transaction. It returns the case id.
func (e *env) decide(rec *casefile.Record) string {
	e.t.Helper()
	ctx := context.Background()
	e.uid++
	key := intake.MessageKey{Account: testUser, Mailbox: "INBOX", UIDValidity: 1, UID: e.uid}
	entry, _, err := e.ledger.Claim(ctx, intake.Claim{Key: key, MessageID: fmt.Sprintf("m%d@test", e.uid)})
	if err != nil {
		e.t.Fatal(err)
	}
	rec.CaseID = entry.CaseID
	rec.File = entry.CaseID + ".eml"
	if _, err := e.ledger.Begin(ctx, key); err != nil {
		e.t.Fatal(err)
	}
	if rec.Status == casefile.StatusNeedsCorrection || rec.Corrects == "" {
		// What casework.Processor asks before deciding.
		npi := ""
		if rec.Prescription != nil && rec.Prescription.Prescriber != nil {
			npi = rec.Prescription.Prescriber.NPI
		}
		fax, from := casework.TrustedTransport(rec.Sender)
		if name, ok := e.n.Office(npi, fax, from); ok {
			rec.Office = name
		}
	}
	if id, ok, err := e.n.Correcting(ctx, rec); errors.Is(err, casework.ErrReplyUnverified) {
		rec.Status = casefile.StatusNeedsReview
		rec.Findings = append(rec.Findings, validate.Finding{Rule: casework.RuleReplyUnverified, Severity: validate.Warning})
	} else if err != nil {
		e.t.Fatal(err)
	} else if ok && rec.Corrects == "" {
		rec.Corrects = id
	}
	err = e.ledger.Decide(ctx, key, intake.Decision{Outcome: rec.Status, Effects: func(ctx context.Context, tx *sql.Tx) error {
		if err := e.store.PutRecord(ctx, tx, rec); err != nil {
			return err
		}
		return e.n.Decided(ctx, tx, rec)
	}})
	if err != nil {
		e.t.Fatal(err)
	}
	return rec.CaseID
}

// cycle runs what the worker runs after an intake cycle.
func (e *env) cycle() error {
	e.t.Helper()
	return e.n.AfterCycle(context.Background())
}

func (e *env) caseStatus(id string) casefile.Status {
	e.t.Helper()
	c, err := e.store.Case(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return c.Status
}

func (e *env) outboxState(id string, n int) string {
	e.t.Helper()
	var s string
	err := e.db.QueryRow(`SELECT state FROM notify_outbox WHERE case_id = ? AND n = ?`, id, n).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return ""
	}
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// events returns the trail's events for a case as "event/outcome".
func (e *env) events(caseID string) []string {
	e.t.Helper()
	entries, err := e.trail.List(context.Background(), audit.Filter{CaseID: caseID})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for i := len(entries) - 1; i >= 0; i-- { // List is newest first
		out = append(out, entries[i].Event+"/"+entries[i].Outcome)
	}
	return out
}

// rxMissingSignature is the example of the issue: an emailed Rx, not
// signed, with the header code M54.5 and no "medically necessary".
func rxMissingSignature(asOf time.Time) *casefile.Record {
	set := icd10cm.For(asOf)
	rx := &extract.Prescription{
		Patient:    &extract.Patient{Name: "Samantha Vasquez", DOB: "1964-03-17"},
		Prescriber: &extract.Prescriber{Name: "Anil Patel", Credentials: "MD", NPI: "1234567893"},
		Date:       "2026-11-17",
		Procedures: []extract.Procedure{{CPT: "97140", Text: "myofascial release"}},
		Diagnoses: []extract.Diagnosis{{Code: "M54.5", Description: "Low back pain", Header: true},
			{Code: "M62.830", Description: "Muscle spasm of back", Billable: true}},
		Areas:     []string{"lumbar"},
		Session:   &extract.Session{Minutes: 60, Units: 4, Text: "one hour"},
		Frequency: &extract.Frequency{Visits: 12, Weeks: 6, Text: "2x/week for 6 weeks"},
		Signature: extract.Signature{Printed: "typed-name"},
	}
	res, err := validate.Check(&extract.Document{Pages: []*extract.Page{{Number: 1, Text: "x", TextLayer: true}}}, rx, validate.DefaultProfile, asOf)
	if err != nil {
		panic(err)
	}
	if len(set.Children("M54.5")) == 0 {
		panic("no children of M54.5 in the code set")
	}
	return &casefile.Record{Status: casefile.Status(res.Status), Pages: 1, Prescription: rx, Findings: res.Findings,
		AsOf: asOf.Format("2006-01-02"), Payer: "default",
		Sender: &casefile.Sender{Email: "amber@gulfcoastfm.example", Verified: true},
		Email: &casefile.EmailRef{MessageID: "000000000000006c.1795122180@gulfcoastfm.example",
			Subject: "Order for your office"}}
}

// rxComplete is the corrected Rx of rxMissingSignature: signed, billable
// codes.
func rxComplete(asOf time.Time) *casefile.Record {
	r := rxMissingSignature(asOf)
	rx := r.Prescription
	rx.Diagnoses[0] = extract.Diagnosis{Code: "M54.50", Description: "Low back pain, unspecified", Billable: true}
	rx.Signature = extract.Signature{Present: true, Kind: "wet"}
	rx.MedicallyNecessary = true
	res, err := validate.Check(&extract.Document{Pages: []*extract.Page{{Number: 1, Text: "x", TextLayer: true}}}, rx, validate.DefaultProfile, asOf)
	if err != nil {
		panic(err)
	}
	r.Status, r.Findings = casefile.Status(res.Status), res.Findings
	return r
}
