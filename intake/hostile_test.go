package intake_test

// The hostile-input corpus (internal/hostile) and the logs of a run over the
// fixtures, through the worker as `rxintake run` assembles it: a real
// Dovecot for the mailbox, mailpit as the SMTP server, SQLite, poppler and
// Tesseract (docs/security-tests.md).

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/casework"
	"rxintake/config"
	"rxintake/extract"
	"rxintake/intake"
	"rxintake/internal/childproc"
	"rxintake/internal/hostile"
	"rxintake/internal/sqldb"
	"rxintake/internal/testserver"
	"rxintake/notify"
	"rxintake/validate"
)

// Bounds for one hostile document (docs/security-tests.md).
const (
	hostileMaxTime   = 60 * time.Second
	hostileMaxMemory = 500 << 20
)

const secAccount = "referrals@clinic.example"

// secPipeline is the worker, its notifier and its stores, as openApp in
// cmd/rxintake wires them, over a Dovecot and a mailpit of its own.
type secPipeline struct {
	cfg      *config.Config
	dir      string // the test's directory: configuration, data_dir, TMPDIR
	db       *sql.DB
	store    *casefile.Store
	trail    *audit.Trail
	notifier *notify.Notifier
	worker   *intake.Worker
	logs     *childproc.Buffer // everything logged, at info level
	mailpit  int               // mailpit's HTTP port
}

// lookMailpit finds mailpit, or skips (fails with CI=true).
func lookMailpit(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", "mailpit")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	why := "mailpit is not installed (make deps-test)"
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Skip(why)
	return ""
}

// newSecPipeline starts Dovecot and mailpit and assembles the worker. The
// office directory knows none of the senders of the corpus.
func newSecPipeline(t *testing.T) *secPipeline {
	t.Helper()
	p := &secPipeline{dir: t.TempDir(), logs: &childproc.Buffer{}}
	tmp := filepath.Join(p.dir, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", tmp) // the OCR workers' and poppler's temporary files

	dv := intake.DovecotConfig(t, t.TempDir(), secAccount, "")
	ca := testserver.NewCA(t)
	mp := lookMailpit(t)
	mpDir := t.TempDir()
	auth := filepath.Join(mpDir, "auth")
	if err := os.WriteFile(auth, []byte(secAccount+":mailpit-password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	smtpPort, httpPort := testserver.FreePort(t), testserver.FreePort(t)
	testserver.Start(t, "mailpit", exec.Command(mp, "--smtp", fmt.Sprintf("127.0.0.1:%d", smtpPort),
		"--listen", fmt.Sprintf("127.0.0.1:%d", httpPort), "--database", filepath.Join(mpDir, "mailpit.db"),
		"--smtp-tls-cert", ca.CertFile, "--smtp-tls-key", ca.KeyFile, "--smtp-require-starttls",
		"--smtp-auth-file", auth, "--smtp-disable-rdns", "--disable-version-check"),
		"[smtpd] starting on", "[http] accessible via")
	p.mailpit = httpPort
	t.Setenv("RXINTAKE_TEST_SMTP_PASSWORD", "mailpit-password")

	yaml := fmt.Sprintf(`data_dir: %s
mailbox:
  host: %s
  port: %d
  tls: %s
  ca_file: %q
  username: %s
  password_file: %s
smtp:
  host: 127.0.0.1
  port: %d
  tls: starttls
  ca_file: %q
  username: %s
  password_env: RXINTAKE_TEST_SMTP_PASSWORD
  from: "Bayside Medical Massage <%s>"
  reply_to: frontdesk@clinic.example
intake:
  authserv_id: mx.clinic.example
  fax_senders: ["@faxmail.example"]
offices:
  - name: Gulf Coast Family Medicine
    emails: [rx@gulfcoastfm.example]
    fax: ["941-555-0143"]
    npi: ["1234567893"]
practice:
  name: Bayside Medical Massage
  phone: "941-321-5311"
`, filepath.Join(p.dir, "data"), dv.Mailbox.Host, dv.Mailbox.Port, dv.Mailbox.TLS, dv.Mailbox.CAFile,
		dv.Mailbox.Username, dv.Mailbox.PasswordFile, smtpPort, ca.File, secAccount, secAccount)
	path := filepath.Join(p.dir, "rxintake.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	p.cfg = cfg

	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(p.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if p.db, err = sqldb.Open(ctx, cfg.DataDir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.db.Close() })
	if p.trail, err = audit.NewTrail(ctx, p.db, audit.TrailOptions{Logger: log}); err != nil {
		t.Fatal(err)
	}
	if p.store, err = casefile.New(ctx, p.db, cfg.DataDir); err != nil {
		t.Fatal(err)
	}
	ledger, err := intake.NewLedger(ctx, p.db, p.store)
	if err != nil {
		t.Fatal(err)
	}
	pool := extract.NewOCRPool(extract.OCROptions{Workers: cfg.OCR.Workers, Timeout: cfg.Limits.OCRPerPage,
		MaxPixels: cfg.Limits.PixelsPerPage, Language: cfg.OCR.Language})
	t.Cleanup(pool.Close)
	reader := extract.NewReader(pool, extract.Limits{PagesPerDocument: cfg.Limits.PagesPerDocument,
		PixelsPerPage: cfg.Limits.PixelsPerPage, BytesPerMessage: cfg.Limits.BytesPerMessage})
	reader.KeepImages = true
	if p.notifier, err = notify.New(ctx, cfg, p.db, p.trail, p.store, notify.Options{Logger: log}); err != nil {
		t.Fatal(err)
	}
	proc := &casework.Processor{Reader: reader, Profile: validate.DefaultProfile, Store: p.store,
		Notifier: p.notifier, Trail: p.trail, Log: log}
	if p.worker, err = intake.New(cfg, ledger, proc, intake.Options{Logger: log, Trail: p.trail}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("log:\n%s", p.logs.String())
		}
	})
	return p
}

// cycle runs one cycle and what follows it, as the app's cycle does.
func (p *secPipeline) cycle(t *testing.T) intake.Summary {
	t.Helper()
	ctx := context.Background()
	sum, err := p.worker.RunCycle(ctx)
	if err != nil {
		t.Fatalf("cycle: %v", err)
	}
	if err := p.notifier.AfterCycle(ctx); err != nil {
		t.Fatalf("after the cycle: %v", err)
	}
	return sum
}

// caseOf is the case of the message with Message-ID id.
func (p *secPipeline) caseOf(t *testing.T, id string) *casefile.Case {
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

// lastCase is the case of the message claimed last (a message with no
// Message-ID, or no header that can be read, has none to find it by).
func (p *secPipeline) lastCase(t *testing.T) *casefile.Case {
	t.Helper()
	var caseID string
	if err := p.db.QueryRow(`SELECT case_id FROM ledger ORDER BY rowid DESC LIMIT 1`).Scan(&caseID); err != nil {
		t.Fatalf("last case: %v", err)
	}
	c, err := p.store.Case(context.Background(), caseID)
	if err != nil {
		t.Fatalf("case %s: %v", caseID, err)
	}
	return c
}

// sent counts the messages mailpit accepted.
func (p *secPipeline) sent(t *testing.T) int {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/api/v1/messages?limit=1", p.mailpit))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Total int `json:"total"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	return list.Total
}

// outsideData lists the files under the test's directory that are not in
// data_dir, with their sizes.
func (p *secPipeline) outsideData(t *testing.T) map[string]int64 {
	t.Helper()
	files := map[string]int64{}
	err := filepath.WalkDir(p.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path == p.cfg.DataDir {
			return filepath.SkipDir
		}
		if fi, err := d.Info(); err == nil && !d.IsDir() {
			files[path] = fi.Size()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// memMeter measures the peak resident memory of the worker's own process
// and of its OCR workers and poppler calls while a cycle runs: the kernel's
// high-water marks (VmHWM), reset before the cycle (clear_refs) and
// sampled every 10 ms for the short-lived poppler calls. (getrusage's
// largest child is no help: a child started with vfork carries its
// parent's high-water mark.) Dovecot and mailpit, children of the test
// too, are not counted.
type memMeter struct {
	exe      string
	mu       sync.Mutex
	children int64 // bytes
	stop     chan struct{}
	done     chan struct{}
}

func procStat(pid int) (ppid int, comm string, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, "", false
	}
	open, close := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 0 || close < open {
		return 0, "", false
	}
	f := strings.Fields(string(b[close+1:]))
	if len(f) < 2 {
		return 0, "", false
	}
	ppid, _ = strconv.Atoi(f[1])
	return ppid, string(b[open+1 : close]), true
}

// hwm is a process's VmHWM in bytes.
func hwm(proc string) int64 {
	f, err := os.Open("/proc/" + proc + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// workers lists the descendants of this process that read documents: this
// binary started as an OCR worker or a poppler wrapper, and poppler's tools.
func (m *memMeter) workers() []int {
	entries, _ := os.ReadDir("/proc")
	parent := map[int]int{}
	comm := map[int]string{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pp, c, ok := procStat(pid); ok {
			parent[pid], comm[pid] = pp, c
		}
	}
	self := os.Getpid()
	var out []int
	for pid := range parent {
		under := false
		for p, n := parent[pid], 0; p > 1 && n < 10; p, n = parent[p], n+1 {
			if p == self {
				under = true
				break
			}
		}
		if !under {
			continue
		}
		exe, _ := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe")
		if exe == m.exe || strings.HasPrefix(comm[pid], "pdf") {
			out = append(out, pid)
		}
	}
	return out
}

func startMeter(t *testing.T) *memMeter {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	m := &memMeter{exe: exe, stop: make(chan struct{}), done: make(chan struct{})}
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	for _, pid := range m.workers() {
		os.WriteFile("/proc/"+strconv.Itoa(pid)+"/clear_refs", []byte("5"), 0)
	}
	go func() {
		defer close(m.done)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			m.sample()
			select {
			case <-m.stop:
				m.sample()
				return
			case <-tick.C:
			}
		}
	}()
	return m
}

func (m *memMeter) sample() {
	var peak int64
	for _, pid := range m.workers() {
		peak = max(peak, hwm(strconv.Itoa(pid)))
	}
	m.mu.Lock()
	m.children = max(m.children, peak)
	m.mu.Unlock()
}

// end stops the meter and returns the peaks: the worker's own process and
// the largest document-reading child.
func (m *memMeter) end() (self, children int64) {
	close(m.stop)
	<-m.done
	return hwm("self"), m.children
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

// TestDovecotHostileCorpus delivers each hostile input to the mailbox and
// runs a cycle: each goes to review with the finding that says what is
// wrong with it and the trail's decision, in under a minute and 500 MB,
// nothing is emailed, nothing is written outside data_dir, and the worker
// decides an ordinary referral after them all.
func TestDovecotHostileCorpus(t *testing.T) {
	fx, err := hostile.ReadFixtures("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	corpus := hostile.Corpus(fx)
	p := newSecPipeline(t)
	before := p.outsideData(t)
	ctx := context.Background()
	t.Logf("%-22s %-13s %-44s %7s %9s %9s", "INPUT", "STATUS", "FINDING", "TIME", "WORKER", "CHILDREN")
	for _, in := range corpus {
		c := intake.Deliver(t, p.cfg, "INBOX", in.Message)
		c.Close()
		meter := startMeter(t)
		start := time.Now()
		sum := p.cycle(t)
		elapsed := time.Since(start)
		self, children := meter.end()
		if sum.Fetched != 1 || sum.Filed != 1 || sum.NeedsReview != 1 || sum.Errors != 0 {
			t.Errorf("%s: cycle %+v, want one message fetched, filed to review", in.Name, sum)
		}
		cs := p.lastCase(t)
		t.Logf("%-22s %-13s %-44.44s %5.1f s %6.0f MB %6.0f MB", in.Name, cs.Status, cs.StatusReason, elapsed.Seconds(), mb(self), mb(children))
		if cs.Status != casefile.StatusNeedsReview || !slices.ContainsFunc(in.Want, func(r string) bool { return strings.Contains(cs.StatusReason, r) }) {
			t.Errorf("%s (%s): case %s %q, want needs-review for %s", in.Name, in.What, cs.Status, cs.StatusReason, strings.Join(in.Want, " or "))
		}
		if in.Patient != "" {
			rec, err := p.store.Record(ctx, cs.ID)
			if err != nil || rec.Prescription == nil || rec.Prescription.Patient == nil || rec.Prescription.Patient.Name != in.Patient {
				t.Errorf("%s: the reader did not read the patient %q (%v)", in.Name, in.Patient, err)
			}
			if rec != nil && rec.Office != "" {
				t.Errorf("%s: filed under the office %q; the sender is in no office of the directory", in.Name, rec.Office)
			}
		}
		entries, err := p.trail.List(ctx, audit.Filter{CaseID: cs.ID, Event: audit.EventDecision})
		if err != nil || len(entries) != 1 || entries[0].Outcome != string(casefile.StatusNeedsReview) && !strings.Contains(string(entries[0].Detail), "needs-review") {
			t.Errorf("%s: decisions in the audit trail %+v %v, want one, needs-review", in.Name, entries, err)
		}
		if elapsed > hostileMaxTime {
			t.Errorf("%s: %.1f s, over the %v a document may take", in.Name, elapsed.Seconds(), hostileMaxTime)
		}
		if self > hostileMaxMemory || children > hostileMaxMemory {
			t.Errorf("%s: peak memory %.0f MB (worker), %.0f MB (a child), over %d MB", in.Name, mb(self), mb(children), hostileMaxMemory>>20)
		}
		if n := p.sent(t); n != 0 {
			t.Fatalf("%s: mailpit holds %d messages, want none", in.Name, n)
		}
	}

	// The worker goes on: an ordinary referral after them all is decided.
	plain, err := os.ReadFile("../testdata/email-plain.eml")
	if err != nil {
		t.Fatal(err)
	}
	c := intake.Deliver(t, p.cfg, "INBOX", plain)
	if sum := p.cycle(t); sum.Fetched != 1 || sum.Complete != 1 {
		t.Errorf("the ordinary referral after the corpus: %+v, want it complete", sum)
	}
	review := intake.FolderMail(t, c, intake.DvReview)
	for i, in := range corpus {
		if !slices.Contains(review, hostile.MessageID(i+1)) {
			t.Errorf("%s is not in %s", in.Name, intake.DvReview)
		}
	}
	if left := intake.FolderMail(t, c, "INBOX"); len(left) != 0 {
		t.Errorf("INBOX still holds %v", left)
	}
	if n := p.sent(t); n != 0 {
		t.Errorf("mailpit holds %d messages, want none", n)
	}

	// Nothing was written outside data_dir: no temporary file left, no
	// attachment's name followed out of the directory.
	after := p.outsideData(t)
	for f, size := range after {
		if _, ok := before[f]; !ok {
			t.Errorf("%s (%d bytes) was written outside data_dir", f, size)
		}
	}
	if _, err := os.Stat("/tmp/rxhostile"); err == nil {
		t.Errorf("/tmp/rxhostile exists: an attachment's name was followed out of data_dir")
	}
	// Inside data_dir, files are the worker's only: 0600 in 0700
	// directories, and none is named after an attachment.
	filepath.WalkDir(p.cfg.DataDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Error(err)
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil // a journal file gone since
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		rel, _ := filepath.Rel(p.cfg.DataDir, path)
		if fi.Mode().Perm() != want {
			t.Errorf("data_dir/%s: mode %v, want %v", rel, fi.Mode().Perm(), want)
		}
		if strings.Contains(rel, "evil") || strings.ContainsAny(rel, "\r\n\a") {
			t.Errorf("data_dir/%s is named after an attachment", rel)
		}
		return nil
	})
}

// truth is what a fixture's truth file says of its patient.
type truth struct {
	Prescription struct {
		Patient struct{ Name, DOB string }
	}
}

// phiPatterns are the ways a fixture's patient may show in a log: the name,
// the surname alone, the date of birth as stored and as printed.
func phiPatterns(t *testing.T, file string) []*regexp.Regexp {
	t.Helper()
	b, err := os.ReadFile(file + ".truth.json")
	if err != nil {
		t.Fatal(err)
	}
	var tr truth
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatalf("%s.truth.json: %v", file, err)
	}
	var pats []*regexp.Regexp
	if n := tr.Prescription.Patient.Name; n != "" {
		pats = append(pats, regexp.MustCompile(`(?i)\b`+regexp.QuoteMeta(n)+`\b`))
		if f := strings.Fields(n); len(f) > 1 && len(f[len(f)-1]) > 3 {
			pats = append(pats, regexp.MustCompile(`(?i)\b`+regexp.QuoteMeta(f[len(f)-1])+`\b`))
		}
	}
	if d, err := time.Parse(time.DateOnly, tr.Prescription.Patient.DOB); err == nil {
		for _, layout := range []string{"2006-01-02", "01/02/2006", "1/2/2006", "01-02-2006", "01/02/06", "Jan 2, 2006", "January 2, 2006"} {
			pats = append(pats, regexp.MustCompile(`\b`+regexp.QuoteMeta(d.Format(layout))+`\b`))
		}
	}
	return pats
}

// TestDovecotLogsCarryNoPHI runs the worker over every fixture with
// logging at info level, as rxintake logs by default: no line names a
// patient, gives a date of birth, or repeats the text read off a page.
func TestDovecotLogsCarryNoPHI(t *testing.T) {
	p := newSecPipeline(t)
	files, _ := filepath.Glob("../testdata/*.truth.json")
	var msgs [][]byte
	docs := map[string]string{} // Message-ID: fixture
	for n, tf := range files {
		f := strings.TrimSuffix(tf, ".truth.json")
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprintf("pipeline%d@test.example", n)
		if strings.HasSuffix(f, ".eml") {
			msgs = append(msgs, withMessageID(data, n))
		} else {
			msgs = append(msgs, faxMessage(n, filepath.Base(f), data))
			id = fmt.Sprintf("pipeline%d@faxmail.example", n)
		}
		docs[id] = f
	}
	if len(docs) < 15 {
		t.Fatalf("%d fixtures with truth files", len(docs))
	}
	intake.Deliver(t, p.cfg, "INBOX", msgs...)
	sum := p.cycle(t)
	if sum.Fetched != len(docs) || sum.Filed != len(docs) || sum.Errors != 0 {
		t.Fatalf("cycle %+v, want all %d fixtures decided and filed", sum, len(docs))
	}
	logs := p.logs.String()
	if lines := strings.Count(logs, "\n"); lines < len(docs) {
		t.Fatalf("%d log lines for %d messages: nothing to check", lines, len(docs))
	}
	ctx := context.Background()
	checked := 0
	for id, f := range docs {
		for _, re := range phiPatterns(t, f) {
			if loc := re.FindStringIndex(logs); loc != nil {
				t.Errorf("%s: the log carries %q: %s", filepath.Base(f), logs[loc[0]:loc[1]], lineAt(logs, loc[0]))
			}
		}
		rec, err := p.store.Record(ctx, p.caseOf(t, id).ID)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(f), err)
		}
		for _, pt := range rec.PageTexts {
			for l := range strings.Lines(pt.Text) {
				if l = strings.TrimSpace(l); len(l) >= 16 {
					checked++
					if i := strings.Index(logs, l); i >= 0 {
						t.Errorf("%s: the log repeats the page's text %q: %s", filepath.Base(f), l, lineAt(logs, i))
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d lines of page text to look for", checked)
	}
	t.Logf("%d messages, %d log lines, %d lines of page text: none in the log", len(docs), strings.Count(logs, "\n"), checked)
}

func lineAt(s string, i int) string {
	start := strings.LastIndexByte(s[:i], '\n') + 1
	end := strings.IndexByte(s[i:], '\n')
	if end < 0 {
		return s[start:]
	}
	return s[start : i+end]
}
