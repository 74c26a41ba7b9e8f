package notify

// The integration test runs the whole worker against real servers it
// starts itself on loopback ports: Dovecot for the referrals mailbox (as
// intake/dovecot_test.go does) and mailpit as the SMTP server the requests
// go to (STARTTLS with the test's CA, AUTH PLAIN). Both skip the test when
// their binary is missing, except with CI=true, where that is a failure.
// mailpit: go install github.com/axllent/mailpit@v1.33.1 (make deps-test).

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2/imapclient"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/casework"
	"rxintake/config"
	"rxintake/extract"
	"rxintake/intake"
	testdovecot "rxintake/internal/dovecot"
	"rxintake/internal/pg"
	"rxintake/internal/testserver"
	"rxintake/validate"
)

// startMailpit starts mailpit with STARTTLS (the test CA's certificate)
// and AUTH accepting our account; it returns the SMTP and HTTP ports.
func startMailpit(t *testing.T, ca *testserver.CA) (smtpPort, httpPort int) {
	t.Helper()
	m := testserver.StartMailpit(t, ca, testUser, testPassword)
	return m.SMTPPort, m.HTTPPort
}

// captured is a message as mailpit's API lists it.
type captured = testserver.Captured

func mailpitMessages(t *testing.T, httpPort int) []captured {
	t.Helper()
	return (&testserver.Mailpit{HTTPPort: httpPort}).Messages(t)
}

// startDovecot starts Dovecot serving IMAPS for one account, as
// intake/dovecot_test.go does, and returns its port.
func startDovecot(t *testing.T, ca *testserver.CA, account string) int {
	t.Helper()
	certFile, keyFile := ca.CertFile, ca.KeyFile
	if os.Geteuid() == 0 {
		os.Chmod(keyFile, 0o644) // read by Dovecot's own processes
		os.Chmod(filepath.Dir(keyFile), 0o755)
	}
	return testdovecot.Start(t, certFile, keyFile, testPassword, account).IMAPSPort
}

// appendMail puts messages into the account's INBOX over IMAP.
func appendMail(t *testing.T, port int, caFile, account string, msgs ...string) {
	t.Helper()
	pem, _ := os.ReadFile(caFile)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c, err := imapclient.DialTLS(fmt.Sprintf("127.0.0.1:%d", port), &imapclient.Options{TLSConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(account, testPassword).Wait(); err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		m = strings.ReplaceAll(m, "\n", "\r\n")
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

// referral is an emailed prescription: signed or not, with the diagnosis
// codes given.
func referral(id, from, patient, dob, npi string, signed bool, dx, headers string) string {
	sig := ""
	if signed {
		sig = "\nThis order was electronically signed by Anil Patel MD on Nov 19, 2026 at 2:02 PM.\n"
	}
	return fmt.Sprintf(`From: %s
To: %s
Subject: Order for your office
Date: Thu, 19 Nov 2026 16:03:00 -0500
Message-ID: <%s>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
%s
Hello Bayside Medical Massage team,

Anil Patel MD (NPI: %s) is referring our patient %s, DOB %s to your office. The order is dated November 19, 2026.

Dr. Patel is referring our patient for myofascial release to the low back. The relevant diagnoses are %s.

Dr. Patel recommends 2x/week for 6 weeks, with sessions of 60 minutes. This therapy is medically necessary.
%s
Thank you,
Amber, MA
`, from, testUser, id, headers, npi, patient, dob, dx, sig)
}

const (
	dxHeader = "M54.5 - Low back pain and M62.830 - Muscle spasm of back"
	dxGood   = "M54.50 - Low back pain, unspecified and M62.830 - Muscle spasm of back"
)

// pipeline is the worker as `rxintake run` assembles it.
type pipeline struct {
	worker *intake.Worker
	n      *Notifier
	ledger *intake.Ledger
	store  *casefile.Store
	pool   *extract.OCRPool
	db     *sql.DB
	trail  *audit.Trail
}

// opts, when given, are the notifier's (its logger is the test's).
func newPipeline(t *testing.T, cfg *config.Config, opts ...Options) *pipeline {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(testWriter{t}, nil))
	db, err := openDB(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p := &pipeline{db: db}
	trail, err := audit.NewTrail(ctx, db, audit.TrailOptions{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	p.trail = trail
	if p.store, err = casefile.New(ctx, db, cfg.DataDir); err != nil {
		t.Fatal(err)
	}
	if p.ledger, err = intake.NewLedger(ctx, db, p.store); err != nil {
		t.Fatal(err)
	}
	p.pool = extract.NewOCRPool(extract.OCROptions{Workers: 1})
	t.Cleanup(p.pool.Close)
	var nopts Options
	if len(opts) > 0 {
		nopts = opts[0]
	}
	nopts.Logger = log
	if p.n, err = New(ctx, cfg, db, trail, p.store, nopts); err != nil {
		t.Fatal(err)
	}
	proc := &casework.Processor{Reader: extract.NewReader(p.pool, extract.Limits{}), Profile: validate.DefaultProfile,
		Store: p.store, Notifier: p.n, Trail: trail, Log: log}
	if p.worker, err = intake.New(cfg, p.ledger, proc, intake.Options{Logger: log}); err != nil {
		t.Fatal(err)
	}
	return p
}

// caseOf is the case of the message with Message-ID id.
func (p *pipeline) caseOf(t *testing.T, id string) *casefile.Case {
	t.Helper()
	var caseID string
	if err := p.db.QueryRow(`SELECT case_id FROM ledger WHERE message_id = ?`, id).Scan(&caseID); err != nil {
		t.Fatalf("case of %s: %v", id, err)
	}
	c, err := p.store.Case(context.Background(), caseID)
	if err != nil {
		t.Fatalf("case of %s: %v", id, err)
	}
	return c
}

func (p *pipeline) cycle(t *testing.T) intake.Summary {
	t.Helper()
	sum, err := p.worker.RunCycle(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := p.n.AfterCycle(context.Background()); err != nil {
		t.Fatal(err)
	}
	return sum
}

// TestIntegrationDovecotMailpit runs the worker as `rxintake run` does,
// with its database in SQLite and in PostgreSQL.
func TestIntegrationDovecotMailpit(t *testing.T) { eachBackend(t, testIntegrationDovecotMailpit) }

func testIntegrationDovecotMailpit(t *testing.T, backend string) {
	ca := newTestCA(t)
	smtpPort, httpPort := startMailpit(t, ca)
	imapPort := startDovecot(t, ca, testUser)

	dir := t.TempDir()
	t.Setenv("RXINTAKE_TEST_SMTP_PASSWORD", testPassword)
	t.Setenv("RXINTAKE_TEST_IMAP_PASSWORD", testPassword)
	yaml := testYAML(filepath.Join(dir, "data"), smtpPort, "starttls", ca.File) + fmt.Sprintf(`mailbox:
  host: 127.0.0.1
  port: %d
  tls: implicit
  ca_file: %q
  username: %s
  password_env: RXINTAKE_TEST_IMAP_PASSWORD
intake:
  authserv_id: mx.bayside.example
`, imapPort, ca.File, testUser)
	if backend == "postgres" {
		t.Setenv("RXINTAKE_TEST_DB_PASSWORD", pg.Password)
		yaml += "database: " + pg.Shared(t).NewDatabase(t) + "\ndatabase_password_env: RXINTAKE_TEST_DB_PASSWORD\n"
	}
	path := filepath.Join(dir, "rxintake.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	p := newPipeline(t, cfg)

	gulf, ortho := "Amber <amber@gulfcoastfm.example>", "Front desk <desk@lwrortho.example>"
	appendMail(t, imapPort, ca.File, testUser,
		referral("inc-1@gulfcoastfm.example", gulf, "Samantha Vasquez", "03/17/1964", "1234567893", false, dxHeader, ""),
		referral("inc-2@lwrortho.example", ortho, "Mary Jones", "04/02/1961", "1245319599", true, dxHeader, ""),
		referral("inc-3@gulfcoastfm.example", gulf, "Brittany Nguyen", "05/14/1948", "1234567893", false, dxGood, ""),
		referral("ok-1@gulfcoastfm.example", gulf, "Paul Ortiz", "01/02/1950", "1234567893", true, dxGood, ""),
		referral("auto-1@gulfcoastfm.example", gulf, "Out Of Office", "01/01/1970", "1234567893", false, dxHeader, "Auto-Submitted: auto-replied\n"),
		referral("stranger-1@elsewhere.example", "Dr Who <who@elsewhere.example>", "Ann Other", "06/06/1966", "1000000004", false, dxHeader, ""),
	)
	sum := p.cycle(t)
	t.Logf("first cycle: %+v", sum)
	if sum.Fetched != 6 || sum.NeedsCorrection != 3 || sum.Complete != 1 || sum.NeedsReview != 2 {
		t.Errorf("summary %+v, want 6 fetched: 3 needs-correction, 1 complete, 2 review (auto-reply, unknown office)", sum)
	}
	got := mailpitMessages(t, httpPort)
	to := map[string][]string{}
	for _, m := range got {
		var addrs []string
		for _, a := range m.To {
			addrs = append(addrs, a.Address)
		}
		sort.Strings(addrs)
		to[m.MessageID] = addrs
	}
	t.Logf("mailpit holds %d messages: %v", len(got), to)
	if len(got) != 3 {
		t.Fatalf("mailpit holds %d messages, want 3 (one per incomplete referral of a known office)", len(got))
	}
	wantTo := map[string][]string{
		"gulf": {"rx@gulfcoastfm.example"}, "ortho": {"frontdesk@lwrortho.example", "orders@lwrortho.example"},
	}
	nGulf, nOrtho := 0, 0
	for id, addrs := range to {
		if !strings.HasPrefix(id, "rxintake.RX-") || !strings.HasSuffix(id, ".1@bayside.example") {
			t.Errorf("Message-ID %q", id)
		}
		switch {
		case slices.Equal(addrs, wantTo["gulf"]):
			nGulf++
		case slices.Equal(addrs, wantTo["ortho"]):
			nOrtho++
		default:
			t.Errorf("%s went to %v: not a directory address", id, addrs)
		}
	}
	if nGulf != 2 || nOrtho != 1 {
		t.Errorf("%d to Gulf Coast, %d to Lakewood Ranch; want 2 and 1", nGulf, nOrtho)
	}
	for _, m := range got {
		if strings.Contains(m.Subject, "Vasquez") || strings.Contains(m.Subject, "Jones") || strings.Contains(m.Subject, "Nguyen") {
			t.Errorf("subject %q names the patient", m.Subject)
		}
	}

	// The office replies to the request for Samantha Vasquez with a
	// corrected, complete Rx.
	var requestID, caseID string
	for _, m := range got {
		if strings.Contains(m.Subject, "(patient S.V.)") {
			requestID = m.MessageID
			caseID = strings.TrimSuffix(strings.TrimPrefix(m.MessageID, "rxintake."), ".1@bayside.example")
		}
	}
	if requestID == "" {
		t.Fatalf("no request for S.V. among %v", to)
	}
	reply := authResults("dkim=pass header.d=gulfcoastfm.example; dmarc=pass header.from=gulfcoastfm.example") +
		referral("fixed-1@gulfcoastfm.example", gulf, "Samantha Vasquez", "03/17/1964", "1234567893", true, dxGood,
			"In-Reply-To: <"+requestID+">\nReferences: <inc-1@gulfcoastfm.example> <"+requestID+">\n")
	reply = strings.Replace(reply, "Subject: Order for your office", "Subject: Re: Corrected prescription needed: "+caseID+" (patient S.V.)", 1)
	appendMail(t, imapPort, ca.File, testUser, reply)
	sum = p.cycle(t)
	t.Logf("second cycle: %+v", sum)
	if sum.Fetched != 1 || sum.Complete != 1 {
		t.Errorf("summary %+v, want the corrected Rx complete", sum)
	}
	c, err := p.store.Case(context.Background(), caseID)
	if err != nil || c.Status != casefile.StatusCorrected {
		t.Errorf("case %s: %v %v, want status %s", caseID, c, err, casefile.StatusCorrected)
	}
	if n := len(mailpitMessages(t, httpPort)); n != 3 {
		t.Errorf("mailpit holds %d messages after the corrected Rx, want still 3", n)
	}
	sum = p.cycle(t)
	if n := len(mailpitMessages(t, httpPort)); sum.Fetched != 0 || n != 3 {
		t.Errorf("a third cycle fetched %d and mailpit holds %d; want nothing new", sum.Fetched, n)
	}
}

// authResults is the Authentication-Results header the practice's own
// mail server (authserv-id mx.bayside.example) puts on top of a message.
func authResults(results string) string {
	return "Authentication-Results: mx.bayside.example; " + results + "\n"
}

// A sender's fax number or address finds an office only when our mail
// server verified the sender: a spoofed fax notification, a spoofed office
// address and a stranger naming an open case send no correction request
// and close no case; they go to review, with findings that say why.
func TestIntegrationSpoofedSender(t *testing.T) {
	ca := newTestCA(t)
	smtpPort, httpPort := startMailpit(t, ca)
	imapPort := startDovecot(t, ca, testUser)

	dir := t.TempDir()
	t.Setenv("RXINTAKE_TEST_SMTP_PASSWORD", testPassword)
	t.Setenv("RXINTAKE_TEST_IMAP_PASSWORD", testPassword)
	yaml := testYAML(filepath.Join(dir, "data"), smtpPort, "starttls", ca.File) + fmt.Sprintf(`mailbox:
  host: 127.0.0.1
  port: %d
  tls: implicit
  ca_file: %q
  username: %s
  password_env: RXINTAKE_TEST_IMAP_PASSWORD
intake:
  authserv_id: mx.bayside.example
  fax_senders: ["@faxmail.example"]
`, imapPort, ca.File, testUser)
	path := filepath.Join(dir, "rxintake.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	p := newPipeline(t, cfg)

	// The prescriber's NPI is in no office of the directory: only the fax
	// number or the address could name one.
	const unknownNPI = "1000000004"
	faxService := `"Fax Service" <noreply@faxmail.example>`
	faxFrom := func(number string, m string) string {
		return strings.Replace(m, "Subject: Order for your office", "Subject: New fax received from "+number, 1)
	}
	spoofedFax := authResults("spf=fail smtp.mailfrom=faxmail.example; dkim=none; dmarc=fail header.from=faxmail.example") +
		faxFrom("941-555-0143", referral("spoof-fax@attacker.example", faxService, "Ann Other", "06/06/1966", unknownNPI, false, dxHeader,
			"Authentication-Results: mx.bayside.example; dkim=pass header.d=faxmail.example; dmarc=pass header.from=faxmail.example\n"))
	spoofedOffice := authResults("dkim=fail header.d=gulfcoastfm.example; dmarc=fail header.from=gulfcoastfm.example") +
		referral("spoof-mail@attacker.example", "Amber <amber@gulfcoastfm.example>", "Bea Other", "07/07/1967", unknownNPI, false, dxHeader, "")
	realFax := authResults("dkim=pass header.d=faxmail.example; dmarc=pass header.from=faxmail.example") +
		faxFrom("941-555-0188", referral("fax-1@faxmail.example", faxService, "Mary Jones", "04/02/1961", unknownNPI, false, dxHeader, ""))
	appendMail(t, imapPort, ca.File, testUser, spoofedFax, spoofedOffice, realFax)

	sum := p.cycle(t)
	t.Logf("first cycle: %+v", sum)
	got := mailpitMessages(t, httpPort)
	if len(got) != 1 || len(got[0].To) != 2 || !strings.HasSuffix(got[0].To[0].Address, "@lwrortho.example") {
		t.Errorf("mailpit holds %+v, want only the request for the fax the fax service verifiably sent (to Lakewood Ranch)", got)
	}
	ctx := context.Background()
	cases := map[string]*casefile.Case{}
	for _, id := range []string{"spoof-fax@attacker.example", "spoof-mail@attacker.example", "fax-1@faxmail.example"} {
		cases[id] = p.caseOf(t, id)
	}
	for _, id := range []string{"spoof-fax@attacker.example", "spoof-mail@attacker.example"} {
		c := cases[id]
		if c.Status != casefile.StatusNeedsReview || !strings.Contains(c.StatusReason, casework.RuleSenderUnverified) ||
			!strings.Contains(c.StatusReason, casework.RuleOfficeUnknown) {
			t.Errorf("%s: case %s %q, want needs-review for %s and %s", id, c.Status, c.StatusReason, casework.RuleSenderUnverified, casework.RuleOfficeUnknown)
		}
	}
	for _, id := range []string{"spoof-fax@attacker.example", "spoof-mail@attacker.example"} {
		entries, err := p.trail.List(ctx, audit.Filter{CaseID: cases[id].ID, Event: audit.EventFindings})
		if err != nil || len(entries) != 1 || !strings.Contains(string(entries[0].Detail), casework.RuleSenderUnverified) {
			t.Errorf("%s: findings in the audit trail %+v %v, want %s among them", id, entries, err, casework.RuleSenderUnverified)
		}
	}
	if c := cases["spoof-fax@attacker.example"]; c.SenderFax != "9415550143" {
		t.Errorf("the spoofed fax's claimed number %q is not kept for the review page", c.SenderFax)
	}
	real := cases["fax-1@faxmail.example"]
	if real.Status != casefile.StatusNeedsCorrection || strings.Contains(real.StatusReason, casework.RuleSenderUnverified) {
		t.Errorf("the fax service's fax: case %s %q, want needs-correction, sender trusted", real.Status, real.StatusReason)
	}

	// A stranger whose own domain passes DMARC sends a complete Rx that
	// names the open case in its subject: it answers nothing.
	stranger := authResults("dkim=pass header.d=elsewhere.example; dmarc=pass header.from=elsewhere.example") +
		strings.Replace(referral("stranger-2@elsewhere.example", "Dr Who <who@elsewhere.example>", "Mary Jones", "04/02/1961", unknownNPI, true, dxGood, ""),
			"Subject: Order for your office", "Subject: Re: Corrected prescription needed: "+real.ID, 1)
	appendMail(t, imapPort, ca.File, testUser, stranger)
	sum = p.cycle(t)
	t.Logf("second cycle: %+v", sum)
	if c, err := p.store.Case(ctx, real.ID); err != nil || c.Status != casefile.StatusNeedsCorrection {
		t.Errorf("case %s after a stranger named it: %+v %v, want still needs-correction", real.ID, c, err)
	}
	if c := p.caseOf(t, "stranger-2@elsewhere.example"); c.Status != casefile.StatusNeedsReview || !strings.Contains(c.StatusReason, casework.RuleReplyUnverified) {
		t.Errorf("the stranger's Rx: %+v, want needs-review for %s", c, casework.RuleReplyUnverified)
	}
	if n := len(mailpitMessages(t, httpPort)); n != 1 {
		t.Errorf("mailpit holds %d messages, want still 1", n)
	}
}
