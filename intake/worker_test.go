package intake

import (
	"bufio"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"rxintake/audit"
	"rxintake/config"
)

func ownMail(n int) []byte {
	return []byte("From: " + testFrom + "\r\nTo: rx@gulfcoastfm.example\r\nSubject: RX-7K3QH2: please send a corrected prescription\r\n" +
		"Message-ID: <" + msgID("own", n) + ">\r\n\r\nThe prescription lacks a signature.\r\n")
}

func emptyMail(n int) []byte {
	return []byte("From: someone@example.org\r\nTo: " + testUser + "\r\nSubject: \r\nMessage-ID: <" + msgID("empty", n) + ">\r\n\r\n \r\n")
}

// hasFlag: keywords are case-insensitive (imapmemserver lowers them).
func hasFlag(flags []imap.Flag, f imap.Flag) bool {
	return slices.ContainsFunc(flags, func(x imap.Flag) bool { return strings.EqualFold(string(x), string(f)) })
}

// sameIDs fails unless folder holds exactly want (Message-IDs).
func sameIDs(t *testing.T, folder string, got, want []string) {
	t.Helper()
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s holds %v, want %v", folder, got, want)
	}
}

func TestCycleFilesByOutcome(t *testing.T) {
	srv, _ := memServer(t, memOpts{})
	cfg := testConfig(t, t.TempDir(), srv, "", "")
	h := newHarness(t, cfg, Options{})
	c := client(t, srv)
	deliver(t, c, "INBOX",
		rxEmail(1, ""), rxEmail(2, "fake:correction"), rxEmail(3, "fake:review"),
		faxEmail(4, "pdf"), faxEmail(5, "tiff"), faxEmail(6, "corrupt"),
		autoReply(7), bounce(8), listMail(9), ownMail(10), emptyMail(11))

	sum := h.cycle(t)
	want := Summary{Fetched: 11, Complete: 3, NeedsCorrection: 1, NeedsReview: 7, Filed: 11}
	sum.Elapsed = 0
	if sum != want {
		t.Errorf("summary = %+v, want %+v", sum, want)
	}

	inbox, _ := folderMail(t, c, "INBOX")
	sameIDs(t, "INBOX", inbox, nil)
	complete, flags := folderMail(t, c, "Rx/Complete")
	sameIDs(t, "Rx/Complete", complete, []string{msgID("rx", 1), msgID("faxpdf", 4), msgID("faxtiff", 5)})
	correction, _ := folderMail(t, c, "Rx/Needs-Correction")
	sameIDs(t, "Rx/Needs-Correction", correction, []string{msgID("rx", 2)})
	review, _ := folderMail(t, c, "Rx/Needs-Review")
	sameIDs(t, "Rx/Needs-Review", review, []string{msgID("rx", 3), msgID("faxcorrupt", 6),
		msgID("auto", 7), msgID("bounce", 8), msgID("list", 9), msgID("own", 10), msgID("empty", 11)})
	for id, f := range flags {
		if slices.Contains(f, imap.FlagSeen) {
			t.Errorf("%s was marked \\Seen: fetching must not touch flags", id)
		}
	}

	// Not referrals never reach the processor.
	for _, id := range []string{msgID("auto", 7), msgID("bounce", 8), msgID("list", 9), msgID("own", 10), msgID("empty", 11)} {
		if n := h.fake.count(id); n != 0 {
			t.Errorf("%s went to the processor %d times; it is not a referral", id, n)
		}
	}
	for _, id := range []string{msgID("rx", 1), msgID("rx", 2), msgID("faxpdf", 4), msgID("faxcorrupt", 6)} {
		if n := h.fake.count(id); n != 1 {
			t.Errorf("%s processed %d times, want 1", id, n)
		}
	}
	if m := h.fake.last[msgID("faxpdf", 4)]; m == nil || m.SenderFax != "9415550143" || m.Mail.Attachments() != 1 ||
		m.Mail.Parts[len(m.Mail.Parts)-1].Type != "application/octet-stream" || m.CaseID == "" || m.Attempt != 1 {
		t.Errorf("fax message as the processor saw it: %+v", m)
	}

	rows := h.ledgerRows(t)
	if len(rows) != 11 {
		t.Fatalf("ledger has %d messages, want 11", len(rows))
	}
	reasons := map[string]string{
		msgID("auto", 7):       "auto-submitted",
		msgID("bounce", 8):     "bounce",
		msgID("list", 9):       "not-a-referral: bulk mail",
		msgID("own", 10):       "our own message",
		msgID("empty", 11):     "no attachment and no body text",
		msgID("faxcorrupt", 6): "processing-failed",
		msgID("rx", 2):         "signature-missing",
		msgID("faxpdf", 4):     "[]",
		msgID("rx", 3):         "unknown-office",
		msgID("rx", 1):         "[]",
		msgID("faxtiff", 5):    "[]",
	}
	for id, rs := range rows {
		r := rs[0]
		if len(rs) != 1 || r.state != "filed" || r.filedBy != "move" || r.caseStatus != r.outcome || !strings.HasPrefix(r.caseID, "RX-") {
			t.Errorf("%s: ledger %+v", id, rs)
		}
		if !strings.Contains(r.reasons, reasons[id]) {
			t.Errorf("%s: reasons %s, want them to mention %q", id, r.reasons, reasons[id])
		}
		if strings.HasPrefix(id, "fax") && r.senderFax != "9415550143" {
			t.Errorf("%s: case sender fax %q, want 9415550143", id, r.senderFax)
		}
	}
	// The originals are stored, private, under their hash.
	var stored int
	filepath.WalkDir(filepath.Join(cfg.DataDir, "originals"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			stored++
			if fi, _ := d.Info(); fi.Mode().Perm() != 0o600 {
				t.Errorf("%s has mode %v, want 0600", p, fi.Mode().Perm())
			}
		}
		return nil
	})
	if stored != 11 {
		t.Errorf("%d originals stored, want 11", stored)
	}

	// Info logs name messages by ids only.
	logs := h.logs.String()
	for _, phi := range []string{"Mary Jones", "gulfcoastfm", "Prescription", "Out of office", "efax", "1961"} {
		if strings.Contains(logs, phi) {
			t.Errorf("info log shows %q:\n%s", phi, logs)
		}
	}
	if !strings.Contains(logs, "case=RX-") || !strings.Contains(logs, "msgid="+audit.MessageIDHash(msgID("rx", 1))) {
		t.Errorf("info log does not name messages by case id and Message-ID hash:\n%s", logs)
	}

	// A second cycle finds nothing new and changes nothing.
	before := h.ledgerRows(t)
	sum = h.cycle(t)
	sum.Elapsed = 0
	if sum != (Summary{}) {
		t.Errorf("second cycle: %+v, want nothing done", sum)
	}
	after := h.ledgerRows(t)
	for id := range before {
		if !slices.Equal(before[id], after[id]) {
			t.Errorf("second cycle changed %s: %+v -> %+v", id, before[id], after[id])
		}
	}
	again, _ := folderMail(t, c, "Rx/Complete")
	sameIDs(t, "Rx/Complete after a second cycle", again, complete)
}

func TestFilingFallbacks(t *testing.T) {
	tests := []struct {
		name    string
		opts    memOpts
		by      string
		inPlace bool // the message stays in INBOX, marked
	}{
		{"copy and UID EXPUNGE without MOVE", memOpts{caps: imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapUIDPlus: {}}}, "copy", false},
		{"keyword without MOVE and UIDPLUS", memOpts{caps: imap.CapSet{imap.CapIMAP4rev1: {}}}, "keyword", true},
		{"keyword when the folder cannot be created", memOpts{noCreate: true}, "keyword", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := memServer(t, tt.opts)
			cfg := testConfig(t, t.TempDir(), srv, "", "")
			h := newHarness(t, cfg, Options{})
			c := client(t, srv)

			// Someone else's message, flagged \Deleted, which the worker
			// already knows: filing must not expunge it.
			deliver(t, c, "INBOX", rxEmail(1, ""))
			sel, err := c.Select("INBOX", nil).Wait()
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Store(imap.UIDSetNum(1), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
				t.Fatal(err)
			}
			c.Unselect().Wait()
			key := MessageKey{Account: testUser, Mailbox: "INBOX", UIDValidity: sel.UIDValidity, UID: 1}
			ctx := context.Background()
			h.l.Claim(ctx, Claim{Key: key, MessageID: msgID("rx", 1)})
			h.l.Decide(ctx, key, Decision{Outcome: "complete"})
			h.l.Filed(ctx, key, "$RxComplete", "keyword")

			deliver(t, c, "INBOX", rxEmail(2, ""), rxEmail(3, "fake:correction"))
			sum := h.cycle(t)
			if sum.Fetched != 2 || sum.Filed != 2 || sum.Errors != 0 {
				t.Errorf("summary %+v, want 2 fetched and filed", sum)
			}
			inbox, flags := folderMail(t, c, "INBOX")
			wantInbox := []string{msgID("rx", 1)}
			if tt.inPlace {
				wantInbox = append(wantInbox, msgID("rx", 2), msgID("rx", 3))
				if !hasFlag(flags[msgID("rx", 2)], "$RxComplete") || !hasFlag(flags[msgID("rx", 3)], "$RxNeedsCorrection") {
					t.Errorf("flags in INBOX: %v", flags)
				}
			} else {
				complete, _ := folderMail(t, c, "Rx/Complete")
				sameIDs(t, "Rx/Complete", complete, []string{msgID("rx", 2)})
			}
			sameIDs(t, "INBOX", inbox, wantInbox)
			if !slices.Contains(flags[msgID("rx", 1)], imap.FlagDeleted) {
				t.Errorf("the other \\Deleted message lost its flag: %v", flags)
			}
			for id, rs := range h.ledgerRows(t) {
				if id != msgID("rx", 1) && (rs[0].state != "filed" || rs[0].filedBy != tt.by) {
					t.Errorf("%s: %+v, want filed by %s", id, rs[0], tt.by)
				}
			}
			if sum := h.cycle(t); sum.Fetched != 0 || sum.Filed != 0 {
				t.Errorf("second cycle %+v, want nothing", sum)
			}
		})
	}
}

func TestTooLargeGoesToReviewUnfetched(t *testing.T) {
	srv, _ := memServer(t, memOpts{})
	cfg := testConfig(t, t.TempDir(), srv, "", "limits:\n  bytes_per_message: 2000\n")
	h := newHarness(t, cfg, Options{})
	c := client(t, srv)
	big := rxEmail(2, strings.Repeat("padding ", 400))
	deliver(t, c, "INBOX", rxEmail(1, ""), big)

	sum := h.cycle(t)
	if sum.Fetched != 2 || sum.Complete != 1 || sum.NeedsReview != 1 {
		t.Errorf("summary %+v", sum)
	}
	if h.fake.count(msgID("rx", 2)) != 0 {
		t.Error("the message above the limit reached the processor")
	}
	r := h.ledgerRows(t)[msgID("rx", 2)][0]
	if r.outcome != "needs-review" || !strings.Contains(r.reasons, "message-too-large") || !strings.Contains(r.reasons, "limits.bytes_per_message (2000)") {
		t.Errorf("too large message: %+v", r)
	}
	review, _ := folderMail(t, c, "Rx/Needs-Review")
	sameIDs(t, "Rx/Needs-Review", review, []string{msgID("rx", 2)})
	dirs, _ := os.ReadDir(filepath.Join(cfg.DataDir, "originals"))
	if len(dirs) != 1 {
		t.Errorf("%d originals stored, want only the small message's", len(dirs))
	}
}

func TestTemporaryFailureBacksOffThenReview(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	timeNow = func() time.Time { return now }
	t.Cleanup(func() { timeNow = time.Now })

	srv, _ := memServer(t, memOpts{})
	cfg := testConfig(t, t.TempDir(), srv, "", "")
	h := newHarness(t, cfg, Options{})
	c := client(t, srv)
	deliver(t, c, "INBOX", rxEmail(1, "fake:temporary"))
	id := msgID("rx", 1)

	wait := 5 * time.Minute
	for attempt := 1; attempt <= 4; attempt++ {
		sum := h.cycle(t)
		if sum.Retrying != 1 || sum.Errors != 1 || sum.Filed != 0 {
			t.Fatalf("attempt %d: summary %+v, want one retry", attempt, sum)
		}
		r := h.ledgerRows(t)[id][0]
		e, _ := h.l.Entry(context.Background(), MessageKey{Account: testUser, Mailbox: "INBOX", UIDValidity: r.uidValidity, UID: r.uid})
		if e.State != EntryRetry || e.Attempts != attempt || !e.NextAttempt.Equal(now.Add(wait)) || !strings.Contains(e.LastError, "OCR timed out") {
			t.Fatalf("attempt %d: entry %+v, want retry at +%v", attempt, e, wait)
		}
		// Not due yet: the next cycle leaves it alone.
		if sum := h.cycle(t); sum != (Summary{Elapsed: sum.Elapsed}) {
			t.Fatalf("attempt %d: a cycle before the retry is due did %+v", attempt, sum)
		}
		now = now.Add(wait)
		wait *= 2
	}
	sum := h.cycle(t)
	if sum.NeedsReview != 1 || sum.Filed != 1 {
		t.Fatalf("fifth attempt: summary %+v, want review", sum)
	}
	r := h.ledgerRows(t)[id][0]
	if r.attempts != 5 || r.outcome != "needs-review" || !strings.Contains(r.reasons, "retry-limit: gave up after 5 attempts") || !strings.Contains(r.reasons, "OCR timed out") {
		t.Errorf("after five attempts: %+v", r)
	}
	if n := h.fake.count(id); n != 5 {
		t.Errorf("processed %d times, want 5", n)
	}
	review, _ := folderMail(t, c, "Rx/Needs-Review")
	sameIDs(t, "Rx/Needs-Review", review, []string{id})
}

func TestPermanentFailureAndPanicGoToReview(t *testing.T) {
	srv, _ := memServer(t, memOpts{})
	cfg := testConfig(t, t.TempDir(), srv, "", "")
	h := newHarness(t, cfg, Options{})
	c := client(t, srv)
	deliver(t, c, "INBOX", rxEmail(1, "fake:permanent"), rxEmail(2, "fake:panic"), rxEmail(3, ""))
	sum := h.cycle(t)
	if sum.NeedsReview != 2 || sum.Complete != 1 || sum.Retrying != 0 {
		t.Errorf("summary %+v", sum)
	}
	rows := h.ledgerRows(t)
	for id, want := range map[string]string{msgID("rx", 1): "corrupt file", msgID("rx", 2): "processor panicked"} {
		if r := rows[id][0]; r.attempts != 1 || r.outcome != "needs-review" || !strings.Contains(r.reasons, want) {
			t.Errorf("%s: %+v, want review at once because %q", id, r, want)
		}
	}
}

// crash stops a cycle at a hook point as if the process had died there (the
// panic unwinds through RunCycle: the lock and the connection are released
// the way the kernel would).
type crash struct{ point string }

func crashAt(t *testing.T, h *harness, point string, uid uint32) {
	t.Helper()
	h.w.hook = func(p string, key MessageKey) {
		if p == point && key.UID == uid {
			panic(crash{p})
		}
	}
	defer func() {
		h.w.hook = nil
		if r := recover(); r != (crash{point}) {
			t.Fatalf("recovered %v, want a crash at %s", r, point)
		}
	}()
	h.w.RunCycle(context.Background())
}

func TestResumeAfterCrash(t *testing.T) {
	for _, point := range []string{"fetched", "claimed", "committed"} {
		t.Run(point, func(t *testing.T) {
			srv, _ := memServer(t, memOpts{})
			cfg := testConfig(t, t.TempDir(), srv, "", "")
			h := newHarness(t, cfg, Options{})
			c := client(t, srv)
			deliver(t, c, "INBOX", rxEmail(1, ""), rxEmail(2, "fake:correction"), rxEmail(3, ""))
			crashAt(t, h, point, 2)

			sum := h.cycle(t)
			if sum.Filed != 2 {
				t.Errorf("the cycle after the crash filed %d, want 2 (%+v)", sum.Filed, sum)
			}
			for _, n := range []int{1, 2, 3} {
				if k := h.fake.count(msgID("rx", n)); k != 1 {
					t.Errorf("rx%d processed %d times, want once", n, k)
				}
			}
			if n := h.countCases(t); n != 3 {
				t.Errorf("%d cases, want 3", n)
			}
			complete, _ := folderMail(t, c, "Rx/Complete")
			sameIDs(t, "Rx/Complete", complete, []string{msgID("rx", 1), msgID("rx", 3)})
			correction, _ := folderMail(t, c, "Rx/Needs-Correction")
			sameIDs(t, "Rx/Needs-Correction", correction, []string{msgID("rx", 2)})
		})
	}
}

func TestUIDValidityChangeRecognisesMessages(t *testing.T) {
	srv, user := memServer(t, memOpts{})
	cfg := testConfig(t, t.TempDir(), srv, "", "")
	h := newHarness(t, cfg, Options{})
	c := client(t, srv)
	old := [][]byte{rxEmail(1, ""), rxEmail(2, "fake:correction"), rxEmail(3, "")}
	deliver(t, c, "INBOX", old...)
	crashAt(t, h, "committed", 3) // 3 is decided but still in INBOX

	// The mailbox is recreated with the same messages, and one new one.
	c.Unselect().Wait()
	if err := user.Delete("INBOX"); err != nil {
		t.Fatal(err)
	}
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	deliver(t, c, "INBOX", append(old, rxEmail(4, ""))...)

	sum := h.cycle(t)
	if sum.Fetched != 4 || sum.Complete != 1 || sum.Filed != 4 {
		t.Errorf("summary %+v, want 4 taken, only the new one decided, all filed", sum)
	}
	for n := 1; n <= 4; n++ {
		if k := h.fake.count(msgID("rx", n)); k != 1 {
			t.Errorf("rx%d processed %d times, want once", n, k)
		}
	}
	if n := h.countCases(t); n != 4 {
		t.Errorf("%d cases, want 4", n)
	}
	rows := h.ledgerRows(t)
	for n := 1; n <= 3; n++ {
		rs := rows[msgID("rx", n)]
		if len(rs) != 2 || rs[0].caseID != rs[1].caseID || rs[1].state != "filed" || rs[0].outcome != rs[1].outcome {
			t.Errorf("rx%d across UIDVALIDITY: %+v", n, rs)
		}
	}
	inbox, _ := folderMail(t, c, "INBOX")
	sameIDs(t, "INBOX", inbox, nil)
}

func TestStopBetweenMessages(t *testing.T) {
	srv, _ := memServer(t, memOpts{})
	cfg := testConfig(t, t.TempDir(), srv, "", "")
	h := newHarness(t, cfg, Options{})
	c := client(t, srv)
	deliver(t, c, "INBOX", rxEmail(1, ""), rxEmail(2, ""))
	ctx, cancel := context.WithCancel(context.Background())
	h.w.hook = func(p string, key MessageKey) {
		if p == "claimed" && key.UID == 1 {
			cancel() // SIGTERM in the middle of the first message
		}
	}
	sum, err := h.w.RunCycle(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("RunCycle = %v, want it stopped by the cancellation", err)
	}
	if sum.Fetched != 1 || sum.Filed != 1 {
		t.Errorf("summary %+v: the message at hand must be finished, the next not begun", sum)
	}
	if rows := h.ledgerRows(t); len(rows) != 1 {
		t.Errorf("ledger has %d messages, want 1", len(rows))
	}
}

func TestSecondCycleReportsLock(t *testing.T) {
	dir := t.TempDir()
	l, err := lockCycle(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = lockCycle(dir)
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "another cycle is running (pid "+strconv.Itoa(os.Getpid())+")") {
		t.Fatalf("second lock: %v", err)
	}
	l.release()
	l, err = lockCycle(dir)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	l.release()
}

func TestTLS(t *testing.T) {
	for _, mode := range []string{"implicit", "starttls"} {
		t.Run(mode, func(t *testing.T) {
			srv, _ := memServer(t, memOpts{tlsMode: mode})
			cfg := testConfig(t, t.TempDir(), srv, "", "")
			h := newHarness(t, cfg, Options{})
			deliver(t, client(t, srv), "INBOX", rxEmail(1, ""))
			if sum := h.cycle(t); sum.Filed != 1 {
				t.Errorf("summary %+v", sum)
			}

			// Without the CA the server's certificate is not trusted.
			srv.caFile = ""
			cfg = testConfig(t, t.TempDir(), srv, "", "")
			h = newHarness(t, cfg, Options{})
			_, err := h.w.RunCycle(context.Background())
			var unknown x509.UnknownAuthorityError
			if !errors.As(err, &unknown) {
				t.Errorf("cycle against an untrusted certificate: %v, want x509.UnknownAuthorityError", err)
			}
		})
	}
}

func TestNewRefusesBadSettings(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("x"), 0o600)
	base := func() *config.Config {
		c := config.Default()
		c.DataDir = dir
		c.Mailbox.Host, c.Mailbox.Username, c.Mailbox.PasswordFile = "imap.example.com", "u", pw
		return &c
	}
	tests := []struct {
		name string
		edit func(*config.Config)
		want string
	}{
		{"plaintext to a remote host", func(c *config.Config) { c.Mailbox.TLS = "none" }, "loopback"},
		{"no password", func(c *config.Config) { c.Mailbox.PasswordFile = filepath.Join(dir, "missing") }, "mailbox.password_file"},
		{"CA file without certificates", func(c *config.Config) { c.Mailbox.CAFile = pw }, "mailbox.ca_file"},
		{"fax pattern without a group", func(c *config.Config) { c.Fax.SenderPatterns = []string{`\d{10}`} }, "fax.sender_patterns[0]"},
		{"no review folder", func(c *config.Config) { c.Mailbox.Folders.Review = "" }, "mailbox.folders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			tt.edit(c)
			_, err := New(c, nil, nil, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New = %v, want an error naming %q", err, tt.want)
			}
		})
	}
	if _, err := New(base(), nil, nil, Options{}); err != nil {
		t.Errorf("New with good settings: %v", err)
	}
}

func TestBackoff(t *testing.T) {
	w := &Worker{retryAfter: 5 * time.Minute, retryMax: time.Hour}
	want := []time.Duration{5 * time.Minute, 10 * time.Minute, 20 * time.Minute, 40 * time.Minute, time.Hour, time.Hour}
	for i, d := range want {
		if got := w.backoff(i + 1); got != d {
			t.Errorf("backoff(%d) = %v, want %v", i+1, got, d)
		}
	}
}

func TestOriginalsStore(t *testing.T) {
	o := originals{dir: t.TempDir()}
	raw := []byte("Subject: x\r\n\r\nbody\r\n")
	sum := digest(raw)
	p, err := o.put(sum, raw)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(o.dir, sum[:2], sum[2:]+".eml"); p != want {
		t.Errorf("stored at %s, want %s", p, want)
	}
	if got, err := o.get(sum); err != nil || string(got) != string(raw) {
		t.Errorf("get = %q, %v", got, err)
	}
	if _, err := o.put(sum, raw); err != nil {
		t.Errorf("storing the same message again: %v", err)
	}
	os.WriteFile(p, []byte("damaged"), 0o600)
	if _, err := o.get(sum); !errors.Is(err, ErrOriginalMissing) {
		t.Errorf("get of a damaged original: %v", err)
	}
	if _, err := o.get(digest([]byte("never stored"))); !errors.Is(err, ErrOriginalMissing) {
		t.Errorf("get of a missing original: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("temp files left behind: %v", entries)
	}
}

// A server that stops answering ends the cycle instead of holding it, and
// its lock, forever.
func TestHungServerEndsTheCycle(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprint(conn, "* OK [CAPABILITY IMAP4rev1] hello\r\n")
		sc := bufio.NewScanner(conn)
		for sc.Scan() {
			tag, cmd, _ := strings.Cut(sc.Text(), " ")
			switch {
			case strings.HasPrefix(cmd, "LOGIN"):
				fmt.Fprintf(conn, "%s OK logged in\r\n", tag)
			case strings.HasPrefix(cmd, "CAPABILITY"):
				fmt.Fprintf(conn, "* CAPABILITY IMAP4rev1\r\n%s OK done\r\n", tag)
			case strings.HasPrefix(cmd, "LIST"):
				fmt.Fprintf(conn, "* LIST () \"/\" \"\"\r\n%s OK done\r\n", tag)
			} // SELECT, and anything after it, gets no answer
		}
	}()
	srv := server{host: "127.0.0.1", port: ln.Addr().(*net.TCPAddr).Port, tlsMode: "none", user: testUser, password: testPassword}
	cfg := testConfig(t, t.TempDir(), srv, "", "")
	cfg.Mailbox.Timeout = 200 * time.Millisecond
	h := newHarness(t, cfg, Options{})
	done := make(chan error, 1)
	go func() {
		_, err := h.w.RunCycle(context.Background())
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrSilent) || !strings.Contains(err.Error(), "select INBOX") {
			t.Errorf("cycle against a hung server: %v, want a SELECT cut for silence", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("cycle against a hung server did not end")
	}
	if l, err := lockCycle(h.cfg.DataDir); err != nil {
		t.Errorf("the lock is still held: %v", err)
	} else {
		l.release()
	}
}

// A message whose reading kills the process every time is claimed before it
// is read, so its attempts are counted; after Options.MaxAttempts it goes to
// review, and the messages after it are processed.
func TestPoisonMessageIsQuarantined(t *testing.T) {
	srv, _ := memServer(t, memOpts{})
	cfg := testConfig(t, t.TempDir(), srv, "", "")
	h := newHarness(t, cfg, Options{MaxAttempts: 3})
	c := client(t, srv)
	deliver(t, c, "INBOX", rxEmail(1, ""), rxEmail(2, ""), rxEmail(3, "fake:correction"))
	h.w.hook = func(p string, key MessageKey) {
		if p == "walk" && key.UID == 1 {
			panic(crash{p})
		}
	}
	crashes := 0
	for range 6 {
		func() {
			defer func() {
				if r := recover(); r != nil {
					if r != (crash{"walk"}) {
						panic(r)
					}
					crashes++
				}
			}()
			h.w.RunCycle(context.Background())
		}()
	}
	if crashes != 3 {
		t.Errorf("reading the poison message crashed %d cycles, want 3 (Options.MaxAttempts)", crashes)
	}
	rows := h.ledgerRows(t)
	poison := rows[msgID("rx", 1)]
	if len(poison) != 1 || poison[0].attempts != 3 || poison[0].outcome != "needs-review" || poison[0].caseStatus != "needs-review" ||
		!strings.Contains(poison[0].reasons, "retry-limit: gave up after 3 attempts: the last attempt did not finish") {
		t.Errorf("poison message on the ledger: %+v, want its case in review after 3 attempts", poison)
	}
	review, _ := folderMail(t, c, "Rx/Needs-Review")
	sameIDs(t, "Rx/Needs-Review", review, []string{msgID("rx", 1)})
	complete, _ := folderMail(t, c, "Rx/Complete")
	sameIDs(t, "Rx/Complete", complete, []string{msgID("rx", 2)})
	correction, _ := folderMail(t, c, "Rx/Needs-Correction")
	sameIDs(t, "Rx/Needs-Correction", correction, []string{msgID("rx", 3)})
	if n := h.fake.count(msgID("rx", 1)); n != 0 {
		t.Errorf("the poison message reached the processor %d times", n)
	}
}
