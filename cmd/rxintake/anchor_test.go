package main

import (
	"database/sql"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"rxintake/audit"
	"rxintake/config"
)

func TestAuditKeygen(t *testing.T) {
	cfg, dataDir := writeConfig(t)
	out := filepath.Join(t.TempDir(), "checkpoint.key")
	code, stdout, stderr := runCmd(t, "audit", "keygen", "--out", out, "--config", cfg)
	if code != 0 || !strings.Contains(stdout, "checkpoint key written to "+out) {
		t.Fatalf("keygen: exit %d, %q %q", code, stdout, stderr)
	}
	pubText := strings.TrimSpace(stdout[strings.Index(stdout, "ed25519:"):])
	pub, err := audit.ParsePublicKey(pubText)
	if err != nil {
		t.Fatal(err)
	}
	k, err := audit.LoadSigningKey(out, dataDir)
	if err != nil || !pub.Equal(k.Public()) {
		t.Errorf("the key written does not match the public key printed: %v", err)
	}
	if code, _, stderr := runCmd(t, "audit", "keygen", "--out", out); code != 1 || !strings.Contains(stderr, "exists") {
		t.Errorf("keygen over an existing key: exit %d, %q; want 1", code, stderr)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCmd(t, "audit", "keygen", "--out", filepath.Join(dataDir, "k"), "--config", cfg); code != 2 || !strings.Contains(stderr, "is inside data_dir") {
		t.Errorf("keygen into data_dir: exit %d, %q; want 2", code, stderr)
	}
	if code, _, _ := runCmd(t, "audit", "keygen"); code != 2 {
		t.Errorf("keygen without --out: exit %d, want 2", code)
	}
}

// A key file that its group or others may read is refused, by the
// worker and by verify, with a message that names the key and the fix.
func TestCheckpointKeyPermissions(t *testing.T) {
	cfg, dataDir, keyFile := writeSignedConfig(t)
	seedTrail(t, dataDir)
	if err := os.Chmod(keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	want := "audit.checkpoint_key_file: audit: checkpoint key: " + keyFile + " has permissions 0644: its group and others must have none (chmod 600 " + keyFile + ")"
	for _, cmd := range [][]string{{"audit", "verify", "--config", cfg}, {"once", "--config", cfg}} {
		code, _, stderr := runCmd(t, cmd...)
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, %q\nwant 2 and %q", cmd[0], code, stderr, want)
		}
	}
}

// smtpCapture is an in-process SMTP server that keeps what it receives.
type smtpCapture struct {
	mu   sync.Mutex
	got  []string // message bodies
	rcpt []string
}

type captureSession struct{ c *smtpCapture }

func (s captureSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s captureSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	s.c.rcpt = append(s.c.rcpt, to)
	return nil
}
func (s captureSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	s.c.got = append(s.c.got, string(b))
	return err
}
func (s captureSession) Reset()        {}
func (s captureSession) Logout() error { return nil }

func startCapture(t *testing.T) (*smtpCapture, int, func()) {
	t.Helper()
	c := &smtpCapture{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return captureSession{c}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return c, ln.Addr().(*net.TCPAddr).Port, func() { srv.Close() }
}

// The office manager receives the checkpoints by email, and a file on
// another mount receives each one; a mail server that is down is recorded
// and retried, and verify says so.
func TestCheckpointSinks(t *testing.T) {
	capture, port, _ := startCapture(t)
	downPort := port + 1
	if ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(downPort)); err == nil {
		ln.Close() // nobody listens there
	} else {
		t.Skip("no free port beside the capture server")
	}
	_, dataDir, keyFile := writeSignedConfig(t)
	archive := filepath.Join(t.TempDir(), "checkpoints.txt")
	cfgText := func(port int) string {
		return "data_dir: " + dataDir + "\nsmtp:\n  host: 127.0.0.1\n  port: " + strconv.Itoa(port) + "\n  tls: none\n" +
			"  from: \"Bayside Medical Massage <referrals@bayside.example>\"\n" +
			"audit:\n  checkpoint_key_file: " + keyFile + "\n  checkpoint_file: " + archive + "\n" +
			"  checkpoint_email: manager@bayside.example\n  checkpoint_email_every: 1h\n"
	}
	cfg, err := config.Parse([]byte(cfgText(port)), filepath.Join(t.TempDir(), "rxintake.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	db := seedTrail(t, dataDir)
	opts, err := trailOptions(cfg, slog.New(slog.DiscardHandler), true)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := audit.NewTrail(t.Context(), db, opts)
	if err != nil {
		t.Fatal(err)
	}
	a := &app{cfg: cfg, db: db, trail: tr}
	a.checkpoint(t.Context(), slog.New(slog.DiscardHandler))

	b, err := os.ReadFile(archive)
	if err != nil || !strings.HasPrefix(string(b), "rxintake-audit-checkpoint v2 seq=4 ") {
		t.Fatalf("checkpoint file = %q, %v; want the signed checkpoint of entry 4", b, err)
	}
	capture.mu.Lock()
	rcpt := capture.rcpt
	capture.mu.Unlock()
	got := capture.messages()
	if len(got) != 1 || len(rcpt) != 1 || rcpt[0] != "manager@bayside.example" || !strings.Contains(got[0], strings.TrimSpace(string(b))) ||
		!strings.Contains(got[0], "Subject: rxintake audit checkpoint (1)") {
		t.Fatalf("emails = %q to %q; want one to the manager with the checkpoint line", got, rcpt)
	}
	// What the manager keeps verifies the trail.
	mail := filepath.Join(t.TempDir(), "saved.eml")
	os.WriteFile(mail, []byte(got[0]), 0o600)
	if rep, err := tr.VerifyAgainst(t.Context(), mail); err != nil || !rep.OK || rep.Unanchored {
		t.Errorf("verify against the saved email: %q, %v", rep, err)
	}

	// A second checkpoint within the hour: the file gets it, the email
	// waits.
	if err := tr.CaseOpened(t.Context(), "RX-8M4PJ3", "<a2@fax.example>"); err != nil {
		t.Fatal(err)
	}
	a.checkpoint(t.Context(), slog.New(slog.DiscardHandler))
	if b, _ := os.ReadFile(archive); strings.Count(string(b), "\n") != 2 {
		t.Errorf("checkpoint file after two checkpoints:\n%s", b)
	}
	if n := len(capture.messages()); n != 1 {
		t.Errorf("%d emails after two checkpoints within the hour; want 1", n)
	}

	// Later, with the mail server down: the failure is recorded, and
	// verify says so.
	cfgPath := filepath.Join(t.TempDir(), "rxintake.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfgText(downPort)), 0o600); err != nil {
		t.Fatal(err)
	}
	down := reopen(t, cfgPath, db, 0)
	if err := down.trail.CaseOpened(t.Context(), "RX-9N5QK4", "<a3@fax.example>"); err != nil {
		t.Fatal(err)
	}
	down.checkpoint(t.Context(), slog.New(slog.DiscardHandler))
	ds, err := down.trail.Deliveries(t.Context())
	if err != nil || len(ds) != 2 || ds[0].Sink != "email manager@bayside.example" || ds[0].Failures != 1 || !strings.Contains(ds[0].LastError, "connection refused") {
		t.Fatalf("deliveries = %+v, %v; want the email's failure recorded", ds, err)
	}
	code, stdout, _ := runCmd(t, "audit", "verify", "--config", cfgPath)
	if code != 0 || !strings.Contains(stdout, "\ncheckpoints not delivered to email manager@bayside.example since ") ||
		!strings.Contains(stdout, "(1 attempt failed): notify: send (temporary): dial tcp") {
		t.Errorf("verify: exit %d, %q; want intact, and the failed delivery reported", code, stdout)
	}

	// The server is back: the next delivery carries both checkpoints it
	// had not had.
	if err := os.WriteFile(cfgPath, []byte(cfgText(port)), 0o600); err != nil {
		t.Fatal(err)
	}
	up := reopen(t, cfgPath, db, 0)
	if err := up.trail.Deliver(t.Context()); err != nil {
		t.Fatal(err)
	}
	msgs := capture.messages()
	if len(msgs) != 2 || !strings.Contains(msgs[1], "Subject: rxintake audit checkpoint (2)") || !strings.Contains(msgs[1], "seq=6 ") {
		t.Errorf("emails = %d, last %q; want a second one with checkpoints 2 and 3", len(msgs), msgs[len(msgs)-1])
	}
	if ds, _ := up.trail.Deliveries(t.Context()); ds[0].Failures != 0 {
		t.Errorf("after the retry: %+v", ds[0])
	}
}

// reopen opens the trail in db with the configuration at cfgPath, the
// email sink spaced by every (0: none).
func reopen(t *testing.T, cfgPath string, db *sql.DB, every time.Duration) *app {
	t.Helper()
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Audit.CheckpointEmailEvery = every
	opts, err := trailOptions(cfg, slog.New(slog.DiscardHandler), true)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := audit.NewTrail(t.Context(), db, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &app{cfg: cfg, db: db, trail: tr}
}

func (c *smtpCapture) messages() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.got...)
}

// A review action's checkpoint waits for the cycle under way, without
// holding up the page, and actions that come meanwhile share it.
func TestCheckpointSoon(t *testing.T) {
	cfgPath, dataDir, _ := writeSignedConfig(t)
	db := seedTrail(t, dataDir)
	a := reopen(t, cfgPath, db, 0)
	log := slog.New(slog.DiscardHandler)

	a.anchorMu.Lock() // a cycle is running
	first := a.checkpointSoon(t.Context(), log)
	second := a.checkpointSoon(t.Context(), log)
	select {
	case <-second:
	case <-time.After(10 * time.Second):
		t.Fatal("a second action waited for the checkpoint already pending")
	}
	select {
	case <-first:
		t.Fatal("the checkpoint did not wait for the cycle")
	default:
	}
	a.anchorMu.Unlock()
	select {
	case <-first:
	case <-time.After(10 * time.Second):
		t.Fatal("no checkpoint after the cycle")
	}
	rep, err := a.trail.Verify(t.Context())
	if err != nil || !rep.OK || rep.Unanchored || rep.Anchor != 4 {
		t.Errorf("Verify = %q, %v; want intact through entry 4", rep, err)
	}
}
