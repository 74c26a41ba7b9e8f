package main

// The operations integration test runs the worker as `rxintake run`
// assembles it against real servers it starts on loopback ports: Dovecot
// holds the referrals mailbox and mailpit captures what is sent through
// SMTP (the correction request and the alerts). Both skip the test when
// their binary is missing, except with CI=true, where that is a failure.

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"rxintake/audit"
	"rxintake/config"
	testdovecot "rxintake/internal/dovecot"
	"rxintake/internal/testserver"
)

const (
	opsUser     = "referrals@bayside.example"
	opsPassword = "horse-battery-staple-42"
	opsManager  = "manager@bayside.example"
)

// opsReferral is an emailed order of Gulf Coast Family Medicine (NPI
// 1234567893), signed or not.
func opsReferral(id, patient string, signed bool) string {
	sig := ""
	if signed {
		sig = "This order was electronically signed by Anil Patel MD on Nov 19, 2026 at 2:02 PM.\n"
	}
	return strings.ReplaceAll(fmt.Sprintf(`From: Amber <amber@gulfcoastfm.example>
To: %s
Subject: Order for your office
Date: Thu, 19 Nov 2026 16:03:00 -0500
Message-ID: <%s>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Anil Patel MD (NPI: 1234567893) is referring our patient %s, DOB 03/17/1964 to your office. The order is dated November 19, 2026.

Dr. Patel is referring our patient for myofascial release to the low back. The relevant diagnoses are M54.50 - Low back pain, unspecified and M62.830 - Muscle spasm of back.

Dr. Patel recommends 2x/week for 6 weeks, with sessions of 60 minutes. This therapy is medically necessary.
%s
Thank you,
Amber, MA
`, opsUser, id, patient, sig), "\n", "\r\n")
}

func opsAppend(t *testing.T, port int, caFile string, msgs ...string) {
	t.Helper()
	pem, _ := os.ReadFile(caFile)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c, err := imapclient.DialTLS(fmt.Sprintf("127.0.0.1:%d", port), &imapclient.Options{TLSConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(opsUser, opsPassword).Wait(); err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		cmd := c.Append("INBOX", int64(len(m)), nil)
		if _, err := cmd.Write([]byte(m)); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	}
}

// opsWorld is the worker with its review listener, Dovecot and mailpit.
type opsWorld struct {
	a       *app
	cfgPath string
	url     string // the review listener, ending in /
	dovecot *testdovecot.Server
	mailpit *testserver.Mailpit
	log     *bytes.Buffer
}

func newOpsWorld(t *testing.T, extra string) *opsWorld {
	t.Helper()
	ca := testserver.NewCA(t)
	if os.Geteuid() == 0 {
		os.Chmod(ca.KeyFile, 0o644) // read by Dovecot's own processes
		os.Chmod(filepath.Dir(ca.KeyFile), 0o755)
	}
	w := &opsWorld{mailpit: testserver.StartMailpit(t, ca, opsUser, opsPassword),
		dovecot: testdovecot.Start(t, ca.CertFile, ca.KeyFile, opsPassword, opsUser)}
	dir := t.TempDir()
	pw := filepath.Join(dir, "password")
	if err := os.WriteFile(pw, []byte(opsPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	w.cfgPath = filepath.Join(dir, "rxintake.yaml")
	yaml := fmt.Sprintf(`data_dir: ./data
mailbox:
  host: 127.0.0.1
  port: %d
  tls: implicit
  ca_file: %q
  username: %s
  password_file: %s
smtp:
  host: 127.0.0.1
  port: %d
  tls: starttls
  ca_file: %q
  username: %s
  password_file: %s
  from: "Bayside Medical Massage <%s>"
offices:
  - name: Gulf Coast Family Medicine
    emails: [rx@gulfcoastfm.example]
    npi: ["1234567893"]
practice:
  name: Bayside Medical Massage
  fax: "941-321-5312"
review:
  listen: 127.0.0.1:0
alerts:
  to: %s
%s`, w.dovecot.IMAPSPort, ca.File, opsUser, pw, w.mailpit.SMTPPort, ca.File, opsUser, pw, opsUser, opsManager, extra)
	if err := os.WriteFile(w.cfgPath, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(w.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	w.log = &bytes.Buffer{}
	log := slog.New(slog.NewTextHandler(io.MultiWriter(w.log, testLog{t}), nil))
	if w.a, err = openApp(t.Context(), cfg, log); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.a.close)
	lines := make(logWriter, 100)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := serveReview(ctx, w.a, slog.New(slog.NewTextHandler(lines, nil))); err != nil {
		t.Fatal(err)
	}
	for w.url == "" {
		select {
		case l := <-lines:
			if m := regexp.MustCompile(`url=(\S+)`).FindStringSubmatch(l); m != nil {
				w.url = m[1]
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the review page logged no listening line")
		}
	}
	return w
}

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (w *opsWorld) cycle(t *testing.T) {
	t.Helper()
	sum, err := w.a.cycle(t.Context(), slog.New(slog.NewTextHandler(testLog{t}, nil)))
	t.Logf("cycle: %+v, err %v", sum, err)
}

// healthz is GET /healthz: the status code and the body.
func (w *opsWorld) healthz(t *testing.T) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get(w.url + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("GET /healthz: %s, body not JSON: %v", resp.Status, err)
	}
	return resp.StatusCode, body
}

// scrape is GET /metrics, parsed with Prometheus' own text parser.
func (w *opsWorld) scrape(t *testing.T) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(w.url + "metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	raw, _ := io.ReadAll(resp.Body)
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the scrape does not parse: %v\n%s", err, raw)
	}
	if os.Getenv("RXINTAKE_PRINT_SCRAPE") != "" {
		for _, l := range strings.Split(string(raw), "\n") {
			if strings.HasPrefix(l, "rxintake_") || strings.HasPrefix(l, "# HELP rxintake_") || strings.HasPrefix(l, "# TYPE rxintake_") {
				fmt.Println(l)
			}
		}
	}
	return fams
}

// value is the value of the metric of family name whose labels include
// labels ("k=v" each); -1 when there is none.
func value(fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	f := fams[name]
	if f == nil {
		return -1
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for _, kv := range labels {
			k, v, _ := strings.Cut(kv, "=")
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return -1
}

// alertMails are the alert emails mailpit holds, oldest first, by subject.
func (w *opsWorld) alertMails(t *testing.T) []string {
	t.Helper()
	var out []string
	msgs := w.mailpit.Messages(t)
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if len(m.To) == 1 && m.To[0].Address == opsManager {
			out = append(out, m.Subject)
		}
	}
	return out
}

// A healthy cycle counts what it took in; with the mailbox server down,
// /healthz answers 503 at once, and after alerts.after_failures cycles the
// office manager gets one email, and one more when the mailbox is back.
func TestOperationsDovecotMailpit(t *testing.T) {
	w := newOpsWorld(t, "")
	opsAppend(t, w.dovecot.IMAPSPort, w.a.cfg.Mailbox.CAFile,
		opsReferral("ok-1@gulfcoastfm.example", "Paul Ortiz", true),
		opsReferral("unsigned-1@gulfcoastfm.example", "Samantha Vasquez", false))

	w.cycle(t)
	code, body := w.healthz(t)
	if code != http.StatusOK || body["status"] != "ok" {
		t.Fatalf("GET /healthz after a good cycle: %d %v, want 200 ok", code, body)
	}
	fams := w.scrape(t)
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"rxintake_messages_total", []string{"outcome=complete"}, 1},
		{"rxintake_messages_total", []string{"outcome=needs-correction"}, 1},
		{"rxintake_messages_total", []string{"outcome=needs-review"}, 0},
		{"rxintake_documents", []string{"status=complete"}, 1},
		{"rxintake_documents", []string{"status=needs-correction"}, 1},
		{"rxintake_correction_emails_total", []string{"result=sent"}, 1},
		{"rxintake_correction_emails_total", []string{"result=failed"}, 0},
		{"rxintake_correction_emails_deferred", nil, 0},
		{"rxintake_unfinished_messages", nil, 0},
		{"rxintake_oldest_unprocessed_message_age_seconds", nil, 0},
		{"rxintake_cycles_total", []string{"outcome=ok"}, 1},
		{"rxintake_cycle_duration_seconds", nil, 1},
		{"rxintake_check_ok", []string{"check=mailbox"}, 1},
		{"rxintake_check_ok", []string{"check=smtp"}, 1},
		{"rxintake_alert_active", []string{"alert=mailbox"}, 0},
	} {
		if got := value(fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if n := value(fams, "rxintake_audit_entries_total"); n < 10 {
		t.Errorf("rxintake_audit_entries_total = %v, want the entries of two cases (at least 10)", n)
	}
	if f := fams["rxintake_ocr_page_seconds"]; f == nil || f.GetType() != dto.MetricType_HISTOGRAM {
		t.Errorf("rxintake_ocr_page_seconds is not a histogram: %v", f)
	}
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if strings.Contains(l.GetValue(), "Ortiz") || strings.Contains(l.GetValue(), "Vasquez") {
					t.Errorf("%s has a patient's name in a label", name)
				}
			}
		}
	}
	if n := len(w.mailpit.Messages(t)); n != 1 {
		t.Fatalf("mailpit holds %d messages after the first cycle, want the correction request", n)
	}

	w.dovecot.Stop()
	w.cycle(t)
	code, body = w.healthz(t)
	if code != http.StatusServiceUnavailable || body["status"] != "failing" {
		t.Errorf("GET /healthz with Dovecot stopped: %d %v, want 503 failing", code, body)
	}
	if mb, _ := body["mailbox"].(map[string]any); mb["ok"] != false {
		t.Errorf("healthz mailbox = %v, want ok false", body["mailbox"])
	}
	if b, _ := json.Marshal(body); strings.Contains(string(b), "connection refused") {
		t.Errorf("healthz shows the server's error message: %s", b)
	}
	if got := w.alertMails(t); len(got) != 0 {
		t.Errorf("alert emails after one failed cycle: %q, want none before alerts.after_failures (3)", got)
	}
	code, out, _ := runCmd(t, "status", "--config", w.cfgPath)
	if code != exitErrors || !strings.Contains(out, "rxintake status: FAILING") || !strings.Contains(out, "mailbox      FAILING since") {
		t.Errorf("rxintake status with Dovecot stopped: exit %d\n%s", code, out)
	}

	w.cycle(t)
	w.cycle(t)
	got := w.alertMails(t)
	if len(got) != 1 || got[0] != "rxintake: intake stopped: the mailbox cannot be reached" {
		t.Fatalf("alert emails after 3 failed cycles: %q, want one saying intake stopped", got)
	}
	if banner := w.a.mon.Banner(); len(banner) != 1 || !strings.HasPrefix(banner[0], "Intake stopped: the mailbox cannot be reached") {
		t.Errorf("review page banner: %q", banner)
	}
	w.cycle(t)
	if got := w.alertMails(t); len(got) != 1 {
		t.Errorf("alert emails after 4 failed cycles: %q, want still one", got)
	}
	if fams := w.scrape(t); value(fams, "rxintake_alert_active", "alert=mailbox") != 1 ||
		value(fams, "rxintake_cycles_total", "outcome=failed") != 4 || value(fams, "rxintake_check_ok", "check=mailbox") != 0 {
		t.Errorf("metrics with the mailbox down: alert %v, failed cycles %v, mailbox check %v",
			value(fams, "rxintake_alert_active", "alert=mailbox"), value(fams, "rxintake_cycles_total", "outcome=failed"),
			value(fams, "rxintake_check_ok", "check=mailbox"))
	}

	w.dovecot.Restart(t)
	w.cycle(t)
	code, body = w.healthz(t)
	if code != http.StatusOK {
		t.Errorf("GET /healthz with Dovecot back: %d %v, want 200", code, body)
	}
	got = w.alertMails(t)
	if len(got) != 2 || got[1] != "rxintake: resolved: the mailbox can be reached again" {
		t.Errorf("alert emails after recovery: %q, want the alert and one saying it is resolved", got)
	}
	if banner := w.a.mon.Banner(); len(banner) != 0 {
		t.Errorf("review page banner after recovery: %q, want none", banner)
	}
	w.cycle(t)
	if got := w.alertMails(t); len(got) != 2 {
		t.Errorf("alert emails after another good cycle: %q, want still two", got)
	}
	code, out, _ = runCmd(t, "status", "--config", w.cfgPath)
	if code != exitOK || !strings.Contains(out, "rxintake status: healthy") {
		t.Errorf("rxintake status with Dovecot back: exit %d\n%s", code, out)
	}
	t.Logf("rxintake status:\n%s", out)
}

// The daily purge removes what is past retention, records it, and leaves a
// trail `rxintake audit verify` finds intact and anchored.
func TestRetentionPurgeKeepsAuditVerify(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "checkpoint.key")
	if code, _, stderr := runCmd(t, "audit", "keygen", "--out", keyFile); code != 0 {
		t.Fatalf("keygen: %s", stderr)
	}
	w := newOpsWorld(t, "audit:\n  checkpoint_key_file: "+keyFile+"\n")
	opsAppend(t, w.dovecot.IMAPSPort, w.a.cfg.Mailbox.CAFile,
		opsReferral("ok-1@gulfcoastfm.example", "Paul Ortiz", true),
		opsReferral("unsigned-1@gulfcoastfm.example", "Samantha Vasquez", false))
	w.cycle(t) // its purge, with the default retention, removes nothing
	w.cycle(t)
	originals := func() int {
		n := 0
		filepath.WalkDir(filepath.Join(w.a.cfg.DataDir, "originals"), func(_ string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				n++
			}
			return nil
		})
		return n
	}
	if n := originals(); n != 2 {
		t.Fatalf("%d originals stored, want 2", n)
	}
	code, before, _ := runCmd(t, "audit", "verify", "--config", w.cfgPath)
	if code != 0 {
		t.Fatalf("audit verify before the purge: exit %d: %s", code, before)
	}

	// Everything so far is past retention as of an hour from now.
	w.a.cfg.Retention.Originals.D = -time.Hour
	w.a.cfg.Retention.Audit.D = -time.Hour
	log := slog.New(slog.NewTextHandler(testLog{t}, nil))
	w.a.purge(t.Context(), log)
	w.a.checkpoint(t.Context(), log)

	if n := originals(); n != 0 {
		t.Errorf("%d originals left after the purge, want none", n)
	}
	code, out, stderr := runCmd(t, "audit", "verify", "--config", w.cfgPath)
	if code != 0 || !strings.Contains(out, "audit trail intact") || !strings.Contains(out, "purged for retention") {
		t.Errorf("audit verify after the purge: exit %d\n%s%s", code, out, stderr)
	}
	t.Logf("before: %safter: %s", before, out)
	list, err := w.a.trail.List(t.Context(), audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	for _, e := range list {
		events = append(events, e.Event)
	}
	if j := strings.Join(events, " "); !strings.Contains(j, "retention-purged") || !strings.Contains(j, "audit-purged") {
		t.Errorf("entries after the purge: %s", j)
	}
	if !w.a.mon.State().Purged.After(time.Now().Add(-time.Minute)) {
		t.Error("the purge is not recorded in the health facts")
	}
}
