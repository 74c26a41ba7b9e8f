package main

// `rxintake run` against a real Dovecot and mailpit, both started by the
// test on loopback ports (internal/dovecot, internal/testserver): a faxed
// prescription that needs correcting is APPENDed to the mailbox, and the
// correction request is looked for in mailpit. With IDLE on, the schedule
// never comes due during the test, so the request can only come from the
// cycle IDLE started; with intake.idle false, from the schedule's.
// BenchmarkArrivalToRequest measures the time between the two
// (docs/performance.md, "Latency").

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"

	"rxintake/internal/corpus"
	testdovecot "rxintake/internal/dovecot"
	"rxintake/internal/testserver"
)

const (
	liveUser     = "referrals@bayside.example"
	livePassword = "correct-horse-battery-staple" // mailpit's auth file takes no spaces
	liveWait     = 2 * time.Minute                // for a line of the worker's log
)

// liveWorker is `rxintake run` with its mailbox and SMTP capture server.
type liveWorker struct {
	imapPort, httpPort int
	caFile             string
	log                *logLines
}

// startLive starts Dovecot, mailpit and `rxintake run` with the schedule
// and intake.idle given, and waits for the first cycle.
func startLive(t testing.TB, schedule string, idle bool) *liveWorker {
	t.Helper()
	ca := testserver.NewCA(t)
	mp := testserver.StartMailpit(t, ca, liveUser, livePassword)
	smtpPort, httpPort := mp.SMTPPort, mp.HTTPPort
	imapPort := testdovecot.Start(t, ca.CertFile, ca.KeyFile, livePassword, liveUser).IMAPSPort
	dir := t.TempDir()
	conf := fmt.Sprintf(`data_dir: %s
schedule: %q
mailbox:
  host: 127.0.0.1
  port: %d
  tls: implicit
  ca_file: %q
  username: %s
  password_env: RXINTAKE_TEST_IMAP_PASSWORD
smtp:
  host: 127.0.0.1
  port: %d
  tls: starttls
  ca_file: %q
  username: %s
  password_env: RXINTAKE_TEST_SMTP_PASSWORD
  from: "Bayside Medical Massage <%s>"
  reply_to: frontdesk@bayside.example
intake:
  idle: %v
offices:
  - name: Gulf Coast Family Medicine
    emails: [rx@gulfcoastfm.example]
    fax: ["941-555-0143"]
    npi: ["1234567893"]
practice:
  name: Bayside Medical Massage
  phone: "941-321-5311"
  fax: "941-321-5312"
review:
  listen: ""
`, filepath.Join(dir, "data"), schedule, imapPort, ca.File, liveUser, smtpPort, ca.File, liveUser, liveUser, idle)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "run", "--config", path)
	cmd.Env = append(os.Environ(), mainEnv+"=1", "RXINTAKE_LOG=info",
		"RXINTAKE_TEST_IMAP_PASSWORD="+livePassword, "RXINTAKE_TEST_SMTP_PASSWORD="+livePassword)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &liveWorker{imapPort: imapPort, httpPort: httpPort, caFile: ca.File, log: readLines(stderr)}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		if t.Failed() {
			t.Logf("rxintake run:\n%s", w.log.all())
		}
	})
	w.log.wait(t, "cycle: fetched 0", 0)
	return w
}

// logLines is a process's log as it is written, line by line.
type logLines struct {
	mu      sync.Mutex
	lines   []string
	changed chan struct{} // closed and replaced at each line
	ended   bool
}

func readLines(r interface{ Read([]byte) (int, error) }) *logLines {
	l := &logLines{changed: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			l.mu.Lock()
			l.lines = append(l.lines, sc.Text())
			close(l.changed)
			l.changed = make(chan struct{})
			l.mu.Unlock()
		}
		l.mu.Lock()
		l.ended = true
		close(l.changed)
		l.mu.Unlock()
	}()
	return l
}

// wait waits for a line from index from on that holds s, and returns the
// index after it.
func (l *logLines) wait(t testing.TB, s string, from int) int {
	t.Helper()
	deadline := time.After(liveWait)
	for {
		l.mu.Lock()
		for i := from; i < len(l.lines); i++ {
			if strings.Contains(l.lines[i], s) {
				l.mu.Unlock()
				return i + 1
			}
		}
		from = len(l.lines)
		ch, ended := l.changed, l.ended
		l.mu.Unlock()
		if ended {
			t.Fatalf("rxintake run ended before logging %q", s)
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("rxintake run did not log %q within %s", s, liveWait)
		}
	}
}

func (l *logLines) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.lines)
}

func (l *logLines) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// coveredFax is the fixture missing-signature.tif behind a cover sheet:
// a two-page fax whose prescription is not signed, from an office of the
// directory (its prescriber's NPI).
var coveredFax = sync.OnceValues(func() ([]byte, error) {
	f, err := corpus.GenerateFixtureCovered("missing-signature.tif")
	if err != nil {
		return nil, err
	}
	if f.Truth.Pages != 2 || f.Truth.Status != "needs-correction" {
		return nil, fmt.Errorf("covered missing-signature.tif: %d pages, %s", f.Truth.Pages, f.Truth.Status)
	}
	return f.Data, nil
})

// faxMail is a fax service's notification with the fax attached.
func faxMail(t testing.TB, n int) []byte {
	t.Helper()
	tif, err := coveredFax()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: Fax Service <noreply@faxmail.example>\r\nTo: %s\r\n"+
		"Subject: New fax received from 9415550143\r\nDate: Fri, 20 Nov 2026 10:00:00 -0500\r\n"+
		"Message-ID: <latency%d.%d@faxmail.example>\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"+
		"You have received a 2 page fax from 941-555-0143.\r\n--b\r\nContent-Type: application/octet-stream\r\n"+
		"Content-Disposition: attachment; filename=\"fax%d.tif\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		liveUser, n, time.Now().UnixNano(), n)
	enc := base64.StdEncoding.EncodeToString(tif)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--b--\r\n")
	return b.Bytes()
}

// deliver APPENDs msg to the INBOX as the mail server's delivery would.
func (w *liveWorker) deliver(t testing.TB, msg []byte) {
	t.Helper()
	pem, err := os.ReadFile(w.caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c, err := imapclient.DialTLS(fmt.Sprintf("127.0.0.1:%d", w.imapPort), &imapclient.Options{TLSConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(liveUser, livePassword).Wait(); err != nil {
		t.Fatal(err)
	}
	cmd := c.Append("INBOX", int64(len(msg)), nil)
	if _, err := cmd.Write(msg); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	c.Logout().Wait()
}

// requests are the correction requests mailpit holds for Gulf Coast.
func (w *liveWorker) requests(t testing.TB) int {
	t.Helper()
	n := 0
	for _, m := range (&testserver.Mailpit{HTTPPort: w.httpPort}).Messages(t) {
		if len(m.To) == 1 && m.To[0].Address == "rx@gulfcoastfm.example" && strings.HasPrefix(m.Subject, "Corrected prescription needed") {
			n++
		}
	}
	return n
}

// arrive delivers fax n and waits for the cycle that sends its request.
func (w *liveWorker) arrive(t testing.TB, n int) time.Duration {
	t.Helper()
	from := w.log.count()
	start := time.Now()
	w.deliver(t, faxMail(t, n))
	w.log.wait(t, "cycle: fetched 1, complete 0, needs-correction 1", from)
	return time.Since(start)
}

// With IDLE, a fax that arrives between two slots of the schedule has its
// correction request sent without waiting for the next slot.
func TestRunIdleSendsRequestOnArrival(t *testing.T) {
	w := startLive(t, "@every 24h", true)
	w.log.wait(t, "watching the mailbox with IDLE", 0)
	took := w.arrive(t, 1)
	if n := w.requests(t); n != 1 {
		t.Fatalf("mailpit holds %d correction requests to Gulf Coast, want 1", n)
	}
	t.Logf("arrival to correction request: %.1f s", took.Seconds())
}

// With intake.idle false the worker opens no IDLE connection, and the
// schedule's cycles still take the fax and send its request.
func TestRunCronOnly(t *testing.T) {
	w := startLive(t, "@every 1s", false)
	w.arrive(t, 1)
	if n := w.requests(t); n != 1 {
		t.Fatalf("mailpit holds %d correction requests to Gulf Coast, want 1", n)
	}
	if strings.Contains(w.log.all(), "IDLE") {
		t.Errorf("intake.idle false, yet the log speaks of IDLE:\n%s", w.log.all())
	}
}

// BenchmarkArrivalToRequest prints the time from the APPEND of a two-page
// fax that needs correcting to the correction request sent through mailpit
// (s/request), with IDLE and a schedule that never comes due: `make
// bench-latency`.
func BenchmarkArrivalToRequest(b *testing.B) {
	w := startLive(b, "@every 24h", true)
	w.log.wait(b, "watching the mailbox with IDLE", 0)
	coveredFax() // generated before the clock runs
	var total time.Duration
	n := 0
	for b.Loop() {
		n++
		total += w.arrive(b, n)
	}
	if got := w.requests(b); got != n {
		b.Fatalf("mailpit holds %d correction requests, want %d", got, n)
	}
	b.ReportMetric(total.Seconds()/float64(n), "s/request")
}
