package ops

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"rxintake/config"
	"rxintake/notify"
)

// fakeMailer keeps the alert emails' subjects.
type fakeMailer struct {
	mu   sync.Mutex
	subj []string
	fail bool
}

func (f *fakeMailer) Send(_ context.Context, m *notify.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return errors.New("smtp: 421 try later")
	}
	for _, l := range strings.Split(string(m.Bytes), "\r\n") {
		if s, ok := strings.CutPrefix(l, "Subject: "); ok {
			f.subj = append(f.subj, s)
		}
	}
	return nil
}

func (f *fakeMailer) subjects() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.subj...)
}

func testConfig(t *testing.T, dataDir string) *config.Config {
	t.Helper()
	c := config.Default()
	c.DataDir = dataDir
	c.SMTP = config.SMTP{Host: "127.0.0.1", Port: 2525, TLS: "none", From: "Bayside Medical Massage <referrals@bayside.example>"}
	c.Alerts.To = "manager@bayside.example"
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return &c
}

// An audit trail that cannot be written stops intake at once (no cycle
// runs), tells the office manager once, and once more when it can be
// written again.
func TestAuditUnwritableFailsClosed(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data")
	// A file where data_dir should be: nothing can be created in it,
	// whoever runs the test (root ignores permissions).
	if err := os.WriteFile(dataDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	mailer := &fakeMailer{}
	m, err := New(Options{Config: testConfig(t, dataDir), Mailer: mailer})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for range 2 {
		if err := m.BeforeCycle(ctx); !errors.Is(err, ErrAuditUnwritable) {
			t.Fatalf("BeforeCycle with data_dir unwritable: %v, want ErrAuditUnwritable", err)
		}
	}
	if got := mailer.subjects(); len(got) != 1 || got[0] != "rxintake: intake stopped: the audit trail cannot be written" {
		t.Errorf("alert emails: %q", got)
	}
	r := m.Report(ctx)
	if r.Healthy || !strings.Contains(strings.Join(r.Problems, "\n"), "the audit trail cannot be written, so intake is stopped") {
		t.Errorf("report: healthy %v, problems %q", r.Healthy, r.Problems)
	}
	if b := m.Banner(); len(b) != 1 || !strings.HasPrefix(b[0], "Intake stopped: the audit trail cannot be written") {
		t.Errorf("banner: %q", b)
	}

	os.Remove(dataDir)
	if err := os.Mkdir(dataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	start := timeNow()
	if err := m.BeforeCycle(ctx); err != nil {
		t.Fatalf("BeforeCycle with data_dir writable again: %v", err)
	}
	m.AfterCycle(ctx, Result{Started: start, Elapsed: time.Second, MailboxOK: true})
	got := mailer.subjects()
	if len(got) != 2 || got[1] != "rxintake: resolved: the audit trail can be written again; intake runs" {
		t.Errorf("alert emails after recovery: %q", got)
	}
	if r := m.Report(ctx); !r.Healthy {
		t.Errorf("report after recovery: %q", r.Problems)
	}
	// The facts outlive the process: a monitor opened afresh reads them.
	m2, err := New(Options{Config: m.cfg, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if s := m2.State(); !s.Audit.OK || s.Cycle.Finished.IsZero() || len(s.Alerts) != 0 {
		t.Errorf("health.json read back: %+v", s)
	}
}

// A disk past alerts.disk_percent raises the alert; an email that cannot
// be sent is tried again after the next cycle, and goes once.
func TestDiskAlertRetriesItsEmail(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.Alerts.DiskPercent = 0.0001 // every disk is fuller than that
	mailer := &fakeMailer{fail: true}
	m, err := New(Options{Config: cfg, Mailer: mailer})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	cycle := func() {
		t.Helper()
		if err := m.BeforeCycle(ctx); err != nil {
			t.Fatal(err)
		}
		m.AfterCycle(ctx, Result{Started: timeNow(), MailboxOK: true})
	}
	cycle()
	if got := mailer.subjects(); len(got) != 0 {
		t.Fatalf("sent while SMTP fails: %q", got)
	}
	if a := m.State().Alerts[AlertDisk]; a == nil || a.Notified {
		t.Fatalf("disk alert after a failed send: %+v, want raised and not notified", a)
	}
	mailer.mu.Lock()
	mailer.fail = false
	mailer.mu.Unlock()
	cycle()
	cycle()
	if got := mailer.subjects(); len(got) != 1 || got[0] != "rxintake: the disk of rxintake's data is nearly full" {
		t.Errorf("alert emails: %q, want the disk's, once", got)
	}
	cfg.Alerts.DiskPercent = 100
	cycle()
	cycle()
	if got := mailer.subjects(); len(got) != 2 || got[1] != "rxintake: resolved: the disk of rxintake's data has room again" {
		t.Errorf("alert emails after room was made: %q", got)
	}
}

// The mailbox failing fewer than alerts.after_failures cycles in a row is
// unhealthy at once but sends nothing; a good cycle in between starts the
// count again.
func TestMailboxFailuresCountInARow(t *testing.T) {
	mailer := &fakeMailer{}
	m, err := New(Options{Config: testConfig(t, t.TempDir()), Mailer: mailer})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	down := errors.New("intake: connect imap.example.com:993: connection refused")
	for _, ok := range []bool{false, false, true, false, false} {
		r := Result{Started: timeNow(), MailboxOK: ok}
		if !ok {
			r.Err = down
		}
		m.AfterCycle(ctx, r)
	}
	if got := mailer.subjects(); len(got) != 0 {
		t.Errorf("alert emails after 2 failures, a success and 2 failures: %q, want none", got)
	}
	if r := m.Report(ctx); r.Healthy || r.State.Mailbox.Failures != 2 {
		t.Errorf("report: healthy %v, failures %d", r.Healthy, r.State.Mailbox.Failures)
	}
	m.AfterCycle(ctx, Result{Started: timeNow(), Err: down})
	if got := mailer.subjects(); len(got) != 1 || got[0] != "rxintake: intake stopped: the mailbox cannot be reached" {
		t.Errorf("alert emails after 3 failures in a row: %q", got)
	}
}

// A schedule not kept makes the report overdue and unhealthy.
func TestReportOverdue(t *testing.T) {
	m, err := New(Options{Config: testConfig(t, t.TempDir())})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	m.AfterCycle(ctx, Result{Started: timeNow(), MailboxOK: true})
	if r := m.Report(ctx); !r.Healthy || r.Overdue() {
		t.Fatalf("report right after a cycle: %q", r.Problems)
	}
	defer func(f func() time.Time) { timeNow = f }(timeNow)
	later := time.Now().Add(2 * time.Hour)
	timeNow = func() time.Time { return later }
	r := m.Report(ctx)
	if r.Healthy || !r.Overdue() || !strings.Contains(r.Problems[0], "no intake cycle has finished since") {
		t.Errorf("report two hours later (schedule every 5 minutes): healthy %v, %q", r.Healthy, r.Problems)
	}
}

// Under systemd the worker says READY=1, then pings the watchdog.
func TestServeNotifiesSystemd(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "notify")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	t.Setenv("NOTIFY_SOCKET", sock)
	t.Setenv("WATCHDOG_USEC", "100000")
	t.Setenv("WATCHDOG_PID", "")
	m, err := New(Options{Config: testConfig(t, t.TempDir())})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { m.Serve(ctx); close(done) }()
	buf := make([]byte, 64)
	for _, want := range []string{"READY=1", "WATCHDOG=1", "WATCHDOG=1"} {
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := conn.Read(buf)
		if err != nil || string(buf[:n]) != want {
			t.Fatalf("notification %q, %v; want %q", buf[:n], err, want)
		}
	}
	cancel()
	<-done
}
