package intake

import (
	"bytes"
	"context"
	"crypto/tls"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"rxintake/casefile"
	"rxintake/config"
	"rxintake/internal/childproc"
	"rxintake/internal/sqldb"
	"rxintake/internal/testserver"
)

const (
	testUser     = "referrals@clinic.example"
	testPassword = "correct horse battery staple"
	testFrom     = "Bayside Medical Massage <referrals@clinic.example>"
)

// server is an IMAP server the tests talk to: imapmemserver in-process, or
// Dovecot.
type server struct {
	host     string
	port     int    // the port the worker uses
	tlsMode  string // implicit | starttls | none
	caFile   string
	user     string
	password string
}

func (s server) clientTLS(t *testing.T) *tls.Config {
	t.Helper()
	cfg, err := tlsConfig(s.host, s.caFile)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// memOpts shape the in-memory server.
type memOpts struct {
	caps     imap.CapSet // nil: IMAP4rev1 with MOVE, UIDPLUS and NAMESPACE
	tlsMode  string      // "" is none
	noCreate bool        // CREATE fails with NOPERM
	conns    *connList   // when set, records the connections accepted
	pollIdle bool        // IDLE looks at the folder every few milliseconds
}

// memServer runs go-imap's in-memory server on a loopback port. The user's
// mailboxes are reachable through the returned User.
func memServer(t *testing.T, o memOpts) (server, *imapmemserver.User) {
	t.Helper()
	caps, tlsMode := o.caps, o.tlsMode
	if caps == nil {
		caps = imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapMove: {}, imap.CapUIDPlus: {}, imap.CapNamespace: {}}
	}
	if tlsMode == "" {
		tlsMode = "none"
	}
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(testUser, testPassword)
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	srv := server{host: "127.0.0.1", tlsMode: tlsMode, user: testUser, password: testPassword}
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			if o.noCreate {
				return &noCreateSession{user: user}, nil, nil
			}
			if o.pollIdle {
				return &pollIdleSession{noCreateSession{user: user}}, nil, nil
			}
			return mem.NewSession(), nil, nil
		},
		Caps:         caps,
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	}
	var tlsCfg *tls.Config
	if tlsMode != "none" {
		ca := testserver.NewCA(t)
		srv.caFile = ca.File
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{ca.Server}}
		if tlsMode == "starttls" {
			opts.TLSConfig = tlsCfg
		}
	}
	s := imapserver.New(opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.port = ln.Addr().(*net.TCPAddr).Port
	if o.conns != nil {
		ln = &trackingListener{Listener: ln, conns: o.conns}
	}
	if tlsMode == "implicit" {
		ln = tls.NewListener(ln, tlsCfg)
	}
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return srv, user
}

// pollIdleSession answers IDLE by looking at the folder every 5 ms, as
// Dovecot does where it cannot be told of changes: go-imap's own IDLE
// misses a message appended between its continuation and its first wait.
type pollIdleSession struct{ noCreateSession }

func (s *pollIdleSession) Create(name string, o *imap.CreateOptions) error {
	return s.UserSession.Create(name, o)
}

func (s *pollIdleSession) Idle(w *imapserver.UpdateWriter, stop <-chan struct{}) error {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		if err := s.Poll(w, true); err != nil {
			return err
		}
		select {
		case <-stop:
			return nil
		case <-tick.C:
		}
	}
}

// connList is the connections a server accepted, to be cut.
type connList struct {
	mu    sync.Mutex
	conns []net.Conn
}

// cut closes every connection accepted so far, as a server restart or a
// dropped line would.
func (l *connList) cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.conns {
		c.Close()
	}
	l.conns = nil
}

type trackingListener struct {
	net.Listener
	conns *connList
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.conns.mu.Lock()
		l.conns.conns = append(l.conns.conns, c)
		l.conns.mu.Unlock()
	}
	return c, err
}

// noCreateSession is an in-memory session whose CREATE is refused.
type noCreateSession struct {
	*imapmemserver.UserSession
	user *imapmemserver.User
}

func (s *noCreateSession) Login(username, password string) error {
	if err := s.user.Login(username, password); err != nil {
		return err
	}
	s.UserSession = imapmemserver.NewUserSession(s.user)
	return nil
}

func (s *noCreateSession) Close() error {
	if s.UserSession == nil {
		return nil
	}
	return s.UserSession.Close()
}

func (s *noCreateSession) Create(string, *imap.CreateOptions) error {
	return &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeNoPerm, Text: "not allowed here"}
}

// testConfig writes a configuration file for srv and returns it loaded.
// extra is YAML appended at the top level.
func testConfig(t *testing.T, dir string, srv server, folder, extra string) *config.Config {
	t.Helper()
	pwFile := filepath.Join(dir, "password")
	if err := os.WriteFile(pwFile, []byte(srv.password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if folder == "" {
		folder = "INBOX"
	}
	y := fmt.Sprintf(`data_dir: %s
mailbox:
  host: %s
  port: %d
  tls: %s
  ca_file: %q
  username: %s
  password_file: %s
  folder: %s
smtp:
  from: %q
%s`, filepath.Join(dir, "data"), srv.host, srv.port, srv.tlsMode, srv.caFile, srv.user, pwFile, folder, testFrom, extra)
	path := filepath.Join(dir, "rxintake.yaml")
	if err := os.WriteFile(path, []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// harness is a worker with its ledger and fake processor.
type harness struct {
	w     *Worker
	db    *sql.DB
	l     *Ledger
	cases *casefile.Store
	fake  *fakeProcessor
	cfg   *config.Config
	logs  *syncBuffer
}

func newHarness(t *testing.T, cfg *config.Config, opts Options) *harness {
	t.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cases, err := casefile.New(ctx, db, cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewLedger(ctx, db, cases)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{db: db, l: l, cases: cases, cfg: cfg, logs: &syncBuffer{},
		fake: &fakeProcessor{callLog: filepath.Join(cfg.DataDir, "calls")}}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	h.w, err = New(cfg, l, h.fake, opts)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *harness) cycle(t *testing.T) Summary {
	t.Helper()
	sum, err := h.w.RunCycle(context.Background())
	if err != nil {
		t.Fatalf("RunCycle: %v\nlog:\n%s", err, h.logs.String())
	}
	return sum
}

// syncBuffer collects log lines written while a test reads them.
type syncBuffer = childproc.Buffer

// row is a ledger entry joined with its case, as the tests check them.
type row struct {
	messageID, state, outcome, folder, filedBy, caseID, caseStatus, senderFax, reasons string
	uidValidity, uid                                                                   uint32
	attempts                                                                           int
}

func (h *harness) ledgerRows(t *testing.T) map[string][]row {
	t.Helper()
	rows, err := h.db.Query(`SELECT message_id, state, outcome, folder, filed_by, case_id, reasons, uidvalidity, uid, attempts
		FROM ledger ORDER BY uidvalidity, uid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var list []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.messageID, &r.state, &r.outcome, &r.folder, &r.filedBy, &r.caseID,
			&r.reasons, &r.uidValidity, &r.uid, &r.attempts); err != nil {
			t.Fatal(err)
		}
		list = append(list, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	out := map[string][]row{}
	for _, r := range list {
		c, err := h.cases.Case(context.Background(), r.caseID)
		if err != nil {
			t.Fatal(err)
		}
		r.caseStatus, r.senderFax = string(c.Status), c.SenderFax
		out[r.messageID] = append(out[r.messageID], r)
	}
	return out
}

func (h *harness) countCases(t *testing.T) int {
	t.Helper()
	cases, _, err := h.cases.List(context.Background(), casefile.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(cases)
}

// client is the tests' own IMAP connection, to deliver and inspect mail.
func client(t *testing.T, srv server) *imapclient.Client {
	t.Helper()
	mb := config.Mailbox{Host: srv.host, Port: srv.port, TLS: srv.tlsMode, Username: srv.user}
	s, err := dial(context.Background(), mb, srv.password, srv.clientTLS(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.c.Close() })
	return s.c
}

// deliver APPENDs messages to folder, creating it if needed.
func deliver(t *testing.T, c *imapclient.Client, folder string, msgs ...[]byte) {
	t.Helper()
	c.Create(folder, nil).Wait() // may exist
	for _, m := range msgs {
		cmd := c.Append(folder, int64(len(m)), nil)
		if _, err := cmd.Write(m); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := cmd.Wait(); err != nil {
			t.Fatalf("append to %s: %v", folder, err)
		}
	}
}

// folderMail lists the Message-IDs in a folder (nil when it does not exist)
// and the flags of each.
func folderMail(t *testing.T, c *imapclient.Client, folder string) (ids []string, flags map[string][]imap.Flag) {
	t.Helper()
	sel, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return nil, nil
	}
	defer func() { c.Unselect().Wait() }()
	flags = map[string][]imap.Flag{}
	if sel.NumMessages == 0 {
		return nil, flags
	}
	msgs, err := c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}, &imap.FetchOptions{Envelope: true, Flags: true}).Collect()
	if err != nil {
		t.Fatalf("fetch %s: %v", folder, err)
	}
	for _, m := range msgs {
		ids = append(ids, m.Envelope.MessageID)
		flags[m.Envelope.MessageID] = m.Flags
	}
	slices.Sort(ids)
	return ids, flags
}

// fakeProcessor decides by markers in the text and by sniffing attachments:
// "fake:correction", "fake:review", "fake:temporary", "fake:permanent",
// "fake:panic"; an attachment that is neither PDF nor TIFF is a permanent
// failure; anything else is complete.
type fakeProcessor struct {
	mu      sync.Mutex
	calls   map[string]int // by Message-ID
	last    map[string]*Message
	callLog string           // appended "msgid\n" per call, across processes
	pause   func(m *Message) // called at the start of Process, in crash tests
}

func (f *fakeProcessor) Process(ctx context.Context, m *Message) (Outcome, error) {
	f.mu.Lock()
	if f.calls == nil {
		f.calls, f.last = map[string]int{}, map[string]*Message{}
	}
	f.calls[m.MessageID]++
	f.last[m.MessageID] = m
	f.mu.Unlock()
	if f.callLog != "" {
		fl, err := os.OpenFile(f.callLog, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			return Outcome{}, err
		}
		fmt.Fprintln(fl, m.MessageID)
		fl.Sync()
		fl.Close()
	}
	if f.pause != nil {
		f.pause(m)
	}
	text := m.Mail.Body()
	switch {
	case strings.Contains(text, "fake:panic"):
		panic("fake processor told to panic")
	case strings.Contains(text, "fake:temporary"):
		return Outcome{}, TemporaryError(fmt.Errorf("OCR timed out"))
	case strings.Contains(text, "fake:permanent"):
		return Outcome{}, PermanentError(fmt.Errorf("corrupt file"))
	case strings.Contains(text, "fake:correction"):
		return Outcome{Status: casefile.StatusNeedsCorrection, Reasons: []string{"signature-missing"}}, nil
	case strings.Contains(text, "fake:review"):
		return Outcome{Status: casefile.StatusNeedsReview, Reasons: []string{"unknown-office"}}, nil
	}
	for _, a := range m.Mail.Parts {
		if a.Body {
			continue
		}
		if !bytes.HasPrefix(a.Data, []byte("%PDF-")) && !bytes.HasPrefix(a.Data, []byte("II*\x00")) && !bytes.HasPrefix(a.Data, []byte("MM\x00*")) {
			return Outcome{}, PermanentError(fmt.Errorf("attachment %d is neither PDF nor TIFF", len(a.Data)))
		}
	}
	return Outcome{Status: casefile.StatusComplete}, nil
}

func (f *fakeProcessor) count(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[id]
}

// callsInLog counts the calls for id recorded in a call log.
func callsInLog(t *testing.T, path, id string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	n := 0
	for _, l := range strings.Split(string(b), "\n") {
		if l == id {
			n++
		}
	}
	return n
}

// Messages the tests deliver. Each has a unique Message-ID <kindN@…>.

func msgID(kind string, n int) string { return fmt.Sprintf("%s%d@test.example", kind, n) }

func rxEmail(n int, marker string) []byte {
	return []byte(fmt.Sprintf("From: Gulf Coast Family Medicine <rx@gulfcoastfm.example>\r\n"+
		"To: %s\r\nSubject: Prescription for Mary Jones %d\r\nDate: Mon, 23 Nov 2026 10:00:00 -0500\r\n"+
		"Message-ID: <%s>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+
		"Patient: Mary Jones, DOB 1961-04-02.\r\nMyofascial release (97140), lumbar, 4 units, 2x/week for 6 weeks.\r\n%s\r\n",
		testUser, n, msgID("rx", n), marker))
}

var (
	tinyPDF  = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	tinyTIFF = append([]byte("II*\x00\x08\x00\x00\x00"), make([]byte, 64)...)
)

// faxEmail is a fax-to-email notification with the fax attached as
// application/octet-stream. kind: pdf, tiff or corrupt.
func faxEmail(n int, kind string) []byte {
	data, name := tinyPDF, "fax.pdf"
	switch kind {
	case "tiff":
		data, name = tinyTIFF, "fax.tif"
	case "corrupt":
		data = []byte("this is not a PDF at all, just some bytes that came through the fax gateway broken")
	}
	b64 := base64.StdEncoding.EncodeToString(data)
	return []byte(fmt.Sprintf("From: eFax <message@inbound.efax.example>\r\nTo: %s\r\n"+
		"Subject: eFax message from \"GULF COAST FM\" - 1 page(s), Caller-ID: 941-555-0143\r\n"+
		"Date: Mon, 23 Nov 2026 10:00:00 -0500\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"+
		"--b1\r\nContent-Type: text/plain\r\n\r\nYou have received a 1 page fax.\r\n"+
		"--b1\r\nContent-Type: application/octet-stream; name=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n"+
		"Content-Disposition: attachment; filename=\"%s\"\r\n\r\n%s\r\n--b1--\r\n",
		testUser, msgID("fax"+kind, n), name, name, b64))
}

func autoReply(n int) []byte {
	return []byte(fmt.Sprintf("From: Dr. Patel <apatel@gulfcoastfm.example>\r\nTo: %s\r\nSubject: Out of office\r\n"+
		"Auto-Submitted: auto-replied\r\nMessage-ID: <%s>\r\n\r\nI am away until Monday.\r\n", testUser, msgID("auto", n)))
}

func bounce(n int) []byte {
	return []byte(fmt.Sprintf("From: Mail Delivery System <MAILER-DAEMON@mx.clinic.example>\r\nTo: %s\r\n"+
		"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\r\n\r\n"+
		"--r\r\nContent-Type: text/plain\r\n\r\nThis is the mail system at host mx.clinic.example.\r\n"+
		"--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.clinic.example\r\n\r\n"+
		"Final-Recipient: rfc822; rx@gone.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--r--\r\n", testUser, msgID("bounce", n)))
}

func listMail(n int) []byte {
	return []byte(fmt.Sprintf("From: Massage Therapy News <news@amta.example>\r\nTo: %s\r\nSubject: This week in massage\r\n"+
		"List-Id: <news.amta.example>\r\nPrecedence: list\r\nMessage-ID: <%s>\r\n\r\nNews.\r\n", testUser, msgID("list", n)))
}
