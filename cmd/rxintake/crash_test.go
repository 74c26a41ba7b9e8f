package main

// The crash test builds rxintake with -tags crashpoint (internal/crashpoint)
// and runs `rxintake once` against a real Dovecot and mailpit, started on
// loopback, on three referrals: a complete emailed order, an incomplete
// one, and an emailed scan (a TIFF read by OCR) that is unsigned. The
// binary kills itself with SIGKILL at one point of the cycle (after the
// claim, while a page is with the OCR worker, after the decision, when the
// server has moved the message, after the SMTP server accepted a request);
// rxintake once is run again until a cycle finds nothing to do, and the end
// state is compared with that of a run that was not interrupted: the same
// folder for each message, none left in INBOX, a case per message with the
// same status, every correction request sent, at most one email more than
// without the crash, and that one flagged in the trail
// (duplicate-send-suspected); and `rxintake audit verify` finds the trail
// intact.

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"rxintake/internal/crashpoint"
	testdovecot "rxintake/internal/dovecot"
	"rxintake/internal/sqldb"
	"rxintake/internal/testserver"
)

const crashPassword = "s3cret-for-crash-tests" // mailpit's auth file takes no spaces

// buildCrashBinary builds rxintake with the crashpoint tag into dir.
func buildCrashBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "rxintake")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		gobin = "go"
	}
	cmd := exec.Command(gobin, "build", "-tags", "crashpoint", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags crashpoint: %v\n%s", err, out)
	}
	return bin
}

// startCrashMailpit starts mailpit with STARTTLS and AUTH, as
// notify/integration_test.go does; it returns the SMTP and HTTP ports.
func startCrashMailpit(t *testing.T, ca *testserver.CA, user string) (int, int) {
	t.Helper()
	bin, err := exec.LookPath("mailpit")
	if err != nil {
		home, _ := os.UserHomeDir()
		bin = filepath.Join(home, "go", "bin", "mailpit")
		if _, err := os.Stat(bin); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("mailpit is not installed (make deps-test)")
			}
			t.Skip("mailpit is not installed (make deps-test)")
		}
	}
	dir := t.TempDir()
	auth := filepath.Join(dir, "auth")
	os.WriteFile(auth, []byte(user+":"+crashPassword+"\n"), 0o600)
	smtpPort, httpPort := testserver.FreePort(t), testserver.FreePort(t)
	testserver.Start(t, "mailpit", exec.Command(bin, "--smtp", fmt.Sprintf("127.0.0.1:%d", smtpPort),
		"--listen", fmt.Sprintf("127.0.0.1:%d", httpPort), "--database", filepath.Join(dir, "mailpit.db"),
		"--smtp-tls-cert", ca.CertFile, "--smtp-tls-key", ca.KeyFile, "--smtp-require-starttls",
		"--smtp-auth-file", auth, "--smtp-disable-rdns", "--disable-version-check"),
		"[smtpd] starting on", "[http] accessible via")
	return smtpPort, httpPort
}

// sentRequests counts the emails mailpit holds, by the case their
// Message-ID names (rxintake.CASE.N@...).
func sentRequests(t *testing.T, httpPort int) map[string]int {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/api/v1/messages?limit=500", httpPort))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Messages []struct{ MessageID string } `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, m := range list.Messages {
		id := strings.TrimPrefix(m.MessageID, "rxintake.")
		id, _, _ = strings.Cut(id, ".")
		out[id]++
	}
	return out
}

func clearMailpit(t *testing.T, httpPort int) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, fmt.Sprintf("http://127.0.0.1:%d/api/v1/messages", httpPort), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// crashReferrals are the three messages of every run, by Message-ID.
func crashReferrals(t *testing.T) map[string]string {
	t.Helper()
	tif, err := os.ReadFile("../../testdata/missing-signature.tif")
	if err != nil {
		t.Fatal(err)
	}
	head := func(id, subject string) string {
		return "Authentication-Results: mx.bayside.example; dkim=pass header.d=gulfcoastfm.example; dmarc=pass header.from=gulfcoastfm.example\n" +
			"From: Amber <amber@gulfcoastfm.example>\nTo: referrals@bayside.example\nSubject: " + subject +
			"\nDate: Fri, 20 Nov 2026 16:03:00 -0500\nMessage-ID: <" + id + ">\nMIME-Version: 1.0\n"
	}
	order := func(id, patient, signed, dx string) string {
		return head(id, "Order for your office") + "Content-Type: text/plain; charset=utf-8\n\n" +
			"Anil Patel MD (NPI: 1234567893) is referring our patient " + patient + ", DOB 03/17/1964. The order is dated November 19, 2026.\n" +
			"Myofascial release to the low back. Diagnoses: " + dx + ".\n" +
			"2x/week for 6 weeks, sessions of 60 minutes. This therapy is medically necessary.\n" + signed + "\nThank you,\nAmber, MA\n"
	}
	var scan strings.Builder
	scan.WriteString(head("scan-3@gulfcoastfm.example", "Scanned order") +
		"Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\nThe scanned order is attached.\n" +
		"--b1\nContent-Type: image/tiff; name=\"order.tif\"\nContent-Disposition: attachment; filename=\"order.tif\"\nContent-Transfer-Encoding: base64\n\n")
	b64 := base64.StdEncoding.EncodeToString(tif)
	for len(b64) > 76 {
		scan.WriteString(b64[:76] + "\n")
		b64 = b64[76:]
	}
	scan.WriteString(b64 + "\n--b1--\n")
	return map[string]string{
		"order-1@gulfcoastfm.example": order("order-1@gulfcoastfm.example", "Paul Ortiz",
			"This order was electronically signed by Anil Patel MD on Nov 19, 2026 at 2:02 PM.",
			"M54.50 - Low back pain, unspecified and M62.830 - Muscle spasm of back"),
		"order-2@gulfcoastfm.example": order("order-2@gulfcoastfm.example", "Samantha Vasquez", "",
			"M54.5 - Low back pain and M62.830 - Muscle spasm of back"),
		"scan-3@gulfcoastfm.example": scan.String(),
	}
}

// mailbox is the test's own IMAP connection to one account.
func mailbox(t *testing.T, port int, caFile, user string) *imapclient.Client {
	t.Helper()
	pem, _ := os.ReadFile(caFile)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c, err := imapclient.DialTLS(fmt.Sprintf("127.0.0.1:%d", port), &imapclient.Options{TLSConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(user, crashPassword).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

// folders lists where each Message-ID is, folder by folder; a message in
// two folders, or twice in one, shows as many times.
func folders(t *testing.T, c *imapclient.Client) map[string][]string {
	t.Helper()
	list, err := c.List("", "*", nil).Collect()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, mb := range list {
		sel, err := c.Select(mb.Mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
		if err != nil {
			continue // \Noselect
		}
		if sel.NumMessages > 0 {
			msgs, err := c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}, &imap.FetchOptions{Envelope: true}).Collect()
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range msgs {
				out[m.Envelope.MessageID] = append(out[m.Envelope.MessageID], mb.Mailbox)
			}
		}
		c.Unselect().Wait()
	}
	for _, v := range out {
		slices.Sort(v)
	}
	return out
}

// state is what a run left: where each message is, its case's status, the
// emails sent for it.
type state struct {
	folder  map[string][]string // by Message-ID
	status  map[string]string   // by Message-ID: ledger state / case status
	emails  map[string]int      // by Message-ID
	flagged map[string]int      // duplicate-send-suspected entries, by Message-ID
	cases   int
}

func readState(t *testing.T, c *imapclient.Client, dataDir string, httpPort int) state {
	t.Helper()
	db, err := sqldb.Open(context.Background(), dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := state{folder: folders(t, c), status: map[string]string{}, emails: map[string]int{}, flagged: map[string]int{}}
	sent := sentRequests(t, httpPort)
	rows, err := db.Query(`SELECT l.message_id, l.state, c.status, c.id,
		(SELECT COUNT(*) FROM audit_trail a WHERE a.case_id = c.id AND a.event = 'duplicate-send-suspected')
		FROM ledger l JOIN cases c ON c.id = l.case_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, ledger, status, caseID string
		var flagged int
		if err := rows.Scan(&id, &ledger, &status, &caseID, &flagged); err != nil {
			t.Fatal(err)
		}
		s.status[id] += ledger + "/" + status + " "
		s.emails[id] += sent[caseID]
		s.flagged[id] += flagged
	}
	if err := db.QueryRow(`SELECT COUNT(*) FROM cases`).Scan(&s.cases); err != nil && !errors.Is(err, sql.ErrNoRows) {
		t.Fatal(err)
	}
	return s
}

func TestCrashAtEveryStep(t *testing.T) {
	points := []string{"after-claim", "mid-ocr", "after-decision", "mid-move", "after-smtp"}
	accounts := []string{"baseline@bayside.example"}
	for _, p := range points {
		accounts = append(accounts, "crash-"+p+"@bayside.example")
	}
	ca := testserver.NewCA(t)
	if os.Geteuid() == 0 {
		os.Chmod(ca.KeyFile, 0o644) // read by Dovecot's own processes
		os.Chmod(filepath.Dir(ca.KeyFile), 0o755)
	}
	dv := testdovecot.Start(t, ca.CertFile, ca.KeyFile, crashPassword, accounts...)
	smtpPort, httpPort := startCrashMailpit(t, ca, "referrals@bayside.example")
	bin := buildCrashBinary(t, t.TempDir())
	referrals := crashReferrals(t)

	// run starts `rxintake once`; crashAt, when set, is the point it kills
	// itself at.
	run := func(t *testing.T, cfgFile, crashAt string) (*os.ProcessState, string) {
		t.Helper()
		cmd := exec.Command(bin, "once", "--config", cfgFile)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "OMP_THREAD_LIMIT=1",
			"RXINTAKE_IMAP_PASSWORD=" + crashPassword, "RXINTAKE_SMTP_PASSWORD=" + crashPassword}
		if crashAt != "" {
			cmd.Env = append(cmd.Env, crashpoint.Env+"="+crashAt)
		}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		done := make(chan error, 1)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(2 * time.Minute):
			cmd.Process.Kill()
			<-done
			t.Fatalf("rxintake once did not end:\n%s", out.String())
		}
		return cmd.ProcessState, out.String()
	}
	// scenario delivers the referrals to account, runs rxintake, killed
	// at crashAt ("" for none), then again until a cycle does nothing,
	// and returns the state it left.
	scenario := func(t *testing.T, account, crashAt string, ids []string) state {
		clearMailpit(t, httpPort)
		dir := t.TempDir()
		cfgFile := filepath.Join(dir, "rxintake.yaml")
		os.WriteFile(cfgFile, []byte(fmt.Sprintf(`data_dir: ./data
mailbox:
  host: 127.0.0.1
  port: %d
  tls: implicit
  ca_file: %q
  username: %s
  password_env: RXINTAKE_IMAP_PASSWORD
smtp:
  host: 127.0.0.1
  port: %d
  tls: starttls
  ca_file: %q
  username: referrals@bayside.example
  password_env: RXINTAKE_SMTP_PASSWORD
  from: "Bayside Medical Massage <referrals@bayside.example>"
  reply_to: frontdesk@bayside.example
intake:
  authserv_id: mx.bayside.example
ocr:
  workers: 1
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
audit:
  checkpoint_key_file: ./checkpoint.key
`, dv.IMAPSPort, ca.File, account, smtpPort, ca.File)), 0o600)
		if out, err := exec.Command(bin, "audit", "keygen", "--out", filepath.Join(dir, "checkpoint.key"), "--config", cfgFile).CombinedOutput(); err != nil {
			t.Fatalf("audit keygen: %v\n%s", err, out)
		}
		c := mailbox(t, dv.IMAPSPort, ca.File, account)
		for _, id := range ids {
			m := strings.ReplaceAll(referrals[id], "\n", "\r\n")
			cmd := c.Append("INBOX", int64(len(m)), nil)
			cmd.Write([]byte(m))
			cmd.Close()
			if _, err := cmd.Wait(); err != nil {
				t.Fatal(err)
			}
		}
		if crashAt != "" {
			ps, out := run(t, cfgFile, crashAt)
			ws, _ := ps.Sys().(syscall.WaitStatus)
			if !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("rxintake once with %s=%s: %v, want killed at the point:\n%s", crashpoint.Env, crashAt, ps, out)
			}
		}
		for i := 0; ; i++ {
			ps, out := run(t, cfgFile, "")
			if ps.ExitCode() != exitOK {
				t.Fatalf("rxintake once (run %d): %v\n%s", i+1, ps, out)
			}
			if strings.Contains(out, "cycle: fetched 0,") && i > 0 {
				break
			}
			if i == 3 {
				t.Fatalf("rxintake once still finds work after %d runs:\n%s", i+1, out)
			}
		}
		// The trail the crash cut into still verifies, anchored by the
		// last cycle's signed checkpoint.
		if out, err := exec.Command(bin, "audit", "verify", "--config", cfgFile).CombinedOutput(); err != nil {
			t.Errorf("audit verify after the runs: %v\n%s", err, out)
		}
		return readState(t, c, filepath.Join(dir, "data"), httpPort)
	}

	// OCR is the slow part: only the crash in the middle of it needs the
	// scan; the other points are passed by the emailed orders, and their
	// state is compared with the uninterrupted run's for those.
	all := slices.Sorted(maps.Keys(referrals))
	orders := []string{"order-1@gulfcoastfm.example", "order-2@gulfcoastfm.example"}
	base := scenario(t, "baseline@bayside.example", "", all)
	t.Logf("uninterrupted: folders %v, cases %v, emails %v", base.folder, base.status, base.emails)
	if base.cases != 3 || len(base.folder) != 3 || base.emails["order-2@gulfcoastfm.example"] != 1 || base.emails["scan-3@gulfcoastfm.example"] != 1 {
		t.Fatalf("the uninterrupted run: %+v; want 3 cases, a request each for the incomplete order and the scan", base)
	}
	for _, point := range points {
		t.Run(point, func(t *testing.T) {
			ids := orders
			if point == "mid-ocr" {
				ids = all
			}
			got := scenario(t, "crash-"+point+"@bayside.example", point, ids)
			t.Logf("after the crash: folders %v, cases %v, emails %v, flagged %v", got.folder, got.status, got.emails, got.flagged)
			if len(got.folder) != len(ids) {
				t.Errorf("the mailbox holds %v, want the %d messages delivered", got.folder, len(ids))
			}
			for _, id := range ids {
				want := base.folder[id]
				if !slices.Equal(got.folder[id], want) {
					t.Errorf("%s is in %v, want %v as without the crash", id, got.folder[id], want)
				}
				if got.status[id] != base.status[id] {
					t.Errorf("%s: ledger/case %q, want %q as without the crash", id, got.status[id], base.status[id])
				}
			}
			if got.cases != len(ids) {
				t.Errorf("%d cases, want %d", got.cases, len(ids))
			}
			extra := 0
			for _, id := range ids {
				want, n := base.emails[id], got.emails[id]
				if n < want {
					t.Errorf("%s: %d correction emails, want %d: a request was lost", id, n, want)
				}
				if n > want {
					extra += n - want
					if got.flagged[id] == 0 {
						t.Errorf("%s: %d correction emails, one more than without the crash, and no duplicate-send-suspected in the trail", id, n)
					}
				}
			}
			if extra > 1 {
				t.Errorf("%d emails more than without the crash, want at most one", extra)
			}
		})
	}
}
