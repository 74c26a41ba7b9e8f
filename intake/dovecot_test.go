package intake

// Integration tests against a real Dovecot that each test starts itself on
// loopback ports, with a throwaway configuration, passwd-file and maildirs
// in t.TempDir() and its own self-signed certificate, which the worker
// verifies through mailbox.ca_file. They need the dovecot binary
// (apt-get install dovecot-imapd). As root, Dovecot's processes run as the
// users its package creates (dovecot, dovenull) and mail is accessed as
// nobody; as anyone else, everything runs as that user. Without dovecot the
// tests skip, unless CI=true: then they fail.
//
// The crash tests re-execute the test binary as a child that runs one cycle
// and pauses at a named point, reporting it on a pipe; the test SIGKILLs it
// there and runs the next cycle itself.

import (
	"bufio"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"rxintake/casefile"
	"rxintake/config"
	"rxintake/extract"
	"rxintake/internal/childproc"
	testdovecot "rxintake/internal/dovecot"
	"rxintake/internal/pg"
	"rxintake/internal/sqldb"
	"rxintake/internal/testserver"
)

const (
	childEnv  = "RXINTAKE_TEST_CHILD" // path of the child's configuration file
	pauseEnv  = "RXINTAKE_TEST_PAUSE" // hook point the child pauses at
	waitLimit = 60 * time.Second      // for a signal from a child or Dovecot
)

func TestMain(m *testing.M) {
	extract.ServeOCRWorker() // the pipeline test's OCR workers are this binary
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(childMain(path))
	}
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// dovecot is a test Dovecot with the CA file that verifies it.
type dovecot struct {
	*testdovecot.Server
	caFile string
}

// startDovecot starts Dovecot with the mail accounts named.
func startDovecot(t *testing.T, users ...string) *dovecot {
	t.Helper()
	ca := testserver.NewCA(t)
	return &dovecot{testdovecot.Start(t, ca.CertFile, ca.KeyFile, testPassword, users...), ca.File}
}

// user returns how to reach an account with implicit TLS.
func (d *dovecot) user(name string) server {
	return server{host: "127.0.0.1", port: d.IMAPSPort, tlsMode: "implicit", caFile: d.caFile, user: name, password: testPassword}
}

// Dovecot's maildir namespace separates levels with ".".
const (
	dvComplete   = "Rx.Complete"
	dvCorrection = "Rx.Needs-Correction"
	dvReview     = "Rx.Needs-Review"
)

func TestDovecotMixed50(t *testing.T) {
	d := startDovecot(t, "mixed@clinic.example")
	srv := d.user("mixed@clinic.example")

	// The certificate is really checked: without the CA file it is refused.
	untrusted := srv
	untrusted.caFile = ""
	h := newHarness(t, testConfig(t, t.TempDir(), untrusted, "", ""), Options{})
	var unknown x509.UnknownAuthorityError
	if _, err := h.w.RunCycle(context.Background()); !errors.As(err, &unknown) {
		t.Fatalf("cycle without the CA: %v, want x509.UnknownAuthorityError", err)
	}

	cfg := testConfig(t, t.TempDir(), srv, "", "")
	h = newHarness(t, cfg, Options{})
	c := client(t, srv)
	var msgs [][]byte
	want := map[string][]string{}
	wantSum := Summary{Fetched: 50, Filed: 50}
	add := func(m []byte, id, folder string) {
		msgs = append(msgs, m)
		want[folder] = append(want[folder], id)
		switch folder {
		case dvComplete:
			wantSum.Complete++
		case dvCorrection:
			wantSum.NeedsCorrection++
		default:
			wantSum.NeedsReview++
		}
	}
	for i := 1; i <= 50; i++ {
		switch i % 10 {
		case 0, 1, 2:
			add(rxEmail(i, ""), msgID("rx", i), dvComplete)
		case 3:
			add(rxEmail(i, "fake:correction"), msgID("rx", i), dvCorrection)
		case 4:
			add(rxEmail(i, "fake:review"), msgID("rx", i), dvReview)
		case 5:
			add(faxEmail(i, "pdf"), msgID("faxpdf", i), dvComplete)
		case 6:
			add(faxEmail(i, "tiff"), msgID("faxtiff", i), dvComplete)
		case 7:
			add(faxEmail(i, "corrupt"), msgID("faxcorrupt", i), dvReview)
		case 8:
			add([][]byte{autoReply(i), bounce(i), listMail(i), autoReply(i), bounce(i)}[i/10],
				msgID([]string{"auto", "bounce", "list", "auto", "bounce"}[i/10], i), dvReview)
		case 9:
			add(faxEmail(i, "pdf"), msgID("faxpdf", i), dvComplete)
		}
	}
	deliver(t, c, "INBOX", msgs...)

	sum := h.cycle(t)
	sum.Elapsed = 0
	if sum != wantSum {
		t.Errorf("summary %+v, want %+v", sum, wantSum)
	}
	check := func(when string) {
		t.Helper()
		inbox, _ := folderMail(t, c, "INBOX")
		sameIDs(t, when+": INBOX", inbox, nil)
		for _, folder := range []string{dvComplete, dvCorrection, dvReview} {
			got, flags := folderMail(t, c, folder)
			sameIDs(t, when+": "+folder, got, want[folder])
			for id, f := range flags {
				if slices.Contains(f, imap.FlagSeen) {
					t.Errorf("%s: %s is \\Seen", when, id)
				}
			}
		}
	}
	check("first cycle")
	rows := h.ledgerRows(t)
	if len(rows) != 50 {
		t.Errorf("ledger has %d messages, want 50", len(rows))
	}
	for folder, ids := range want {
		for _, id := range ids {
			rs := rows[id]
			if len(rs) != 1 || rs[0].state != "filed" || rs[0].folder != folder || rs[0].filedBy != "move" {
				t.Errorf("%s: ledger %+v, want filed to %s by move", id, rs, folder)
			}
			if strings.HasPrefix(id, "fax") && rs[0].senderFax != "9415550143" {
				t.Errorf("%s: sender fax %q", id, rs[0].senderFax)
			}
		}
	}

	sum = h.cycle(t)
	if sum != (Summary{Elapsed: sum.Elapsed}) {
		t.Errorf("second cycle did %+v, want nothing", sum)
	}
	after := h.ledgerRows(t)
	for id := range rows {
		if !slices.Equal(rows[id], after[id]) {
			t.Errorf("second cycle changed %s: %+v -> %+v", id, rows[id], after[id])
		}
	}
	check("second cycle")
}

func TestDovecotCrash(t *testing.T) {
	points := []string{"fetched", "processing", "committed"}
	var users []string
	for _, p := range points {
		users = append(users, "crash-"+p+"@clinic.example")
	}
	d := startDovecot(t, users...)
	for _, point := range points {
		t.Run(point, func(t *testing.T) {
			srv := d.user("crash-" + point + "@clinic.example")
			srv.port, srv.tlsMode = d.IMAPPort, "starttls"
			dir := t.TempDir()
			cfg := testConfig(t, dir, srv, "", "")
			c := client(t, srv)
			deliver(t, c, "INBOX", rxEmail(1, ""), rxEmail(2, "fake:correction"), faxEmail(3, "pdf"))

			ch := startChild(t, filepath.Join(dir, "rxintake.yaml"), point)
			if got := ch.WaitPaused(t); got != point+" 1" {
				t.Fatalf("child paused at %q, want %q", got, point+" 1")
			}
			ch.Kill(t)

			h := newHarness(t, cfg, Options{})
			// Where the kill left the first message.
			rows := h.ledgerRows(t)
			inbox, _ := folderMail(t, c, "INBOX")
			switch point {
			case "fetched":
				if len(rows) != 0 {
					t.Errorf("killed after the fetch, the ledger holds %v", rows)
				}
			case "processing":
				if r := rows[msgID("rx", 1)]; len(r) != 1 || r[0].state != "processing" || r[0].attempts != 1 {
					t.Errorf("killed while processing: %+v", r)
				}
			case "committed":
				if r := rows[msgID("rx", 1)]; len(r) != 1 || r[0].state != "processed" || r[0].outcome != "complete" {
					t.Errorf("killed after the commit: %+v", r)
				}
			}
			if len(inbox) != 3 {
				t.Errorf("after the kill INBOX holds %v, want all three", inbox)
			}

			sum := h.cycle(t)
			if sum.Filed != 3 || sum.Errors != 0 {
				t.Errorf("the cycle after the kill: %+v, want 3 filed", sum)
			}
			calls := filepath.Join(cfg.DataDir, "calls")
			for id, n := range map[string]int{msgID("rx", 1): 1, msgID("rx", 2): 1, msgID("faxpdf", 3): 1} {
				if point == "processing" && id == msgID("rx", 1) {
					n = 2 // the attempt that was killed, and the one that finished
				}
				if got := callsInLog(t, calls, id); got != n {
					t.Errorf("%s: processor called %d times, want %d", id, got, n)
				}
			}
			rows = h.ledgerRows(t)
			if len(rows) != 3 || h.countCases(t) != 3 {
				t.Errorf("ledger %d messages, %d cases; want 3 and 3", len(rows), h.countCases(t))
			}
			for id, rs := range rows {
				if len(rs) != 1 || rs[0].state != "filed" {
					t.Errorf("%s: %+v", id, rs)
				}
			}
			inbox, _ = folderMail(t, c, "INBOX")
			sameIDs(t, "INBOX", inbox, nil)
			complete, _ := folderMail(t, c, dvComplete)
			sameIDs(t, dvComplete, complete, []string{msgID("rx", 1), msgID("faxpdf", 3)})
			correction, _ := folderMail(t, c, dvCorrection)
			sameIDs(t, dvCorrection, correction, []string{msgID("rx", 2)})
		})
	}
}

func TestDovecotOverlap(t *testing.T) {
	d := startDovecot(t, "overlap@clinic.example")
	srv := d.user("overlap@clinic.example")
	dir := t.TempDir()
	cfg := testConfig(t, dir, srv, "", "")
	c := client(t, srv)
	deliver(t, c, "INBOX", rxEmail(1, ""), rxEmail(2, ""))

	ch := startChild(t, filepath.Join(dir, "rxintake.yaml"), "claimed")
	ch.WaitPaused(t)
	h := newHarness(t, cfg, Options{})
	sum, err := h.w.RunCycle(context.Background())
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), fmt.Sprintf("another cycle is running (pid %d)", ch.Cmd.Process.Pid)) {
		t.Fatalf("second cycle: %v, want ErrBusy naming pid %d", err, ch.Cmd.Process.Pid)
	}
	if sum.Fetched != 0 {
		t.Errorf("the refused cycle fetched %d", sum.Fetched)
	}
	got := resumeChild(t, ch)
	if got.Fetched != 2 || got.Filed != 2 {
		t.Errorf("the running cycle: %+v, want 2 fetched and filed", got)
	}
	if sum := h.cycle(t); sum.Fetched != 0 || sum.Filed != 0 {
		t.Errorf("a later cycle: %+v, want nothing", sum)
	}
	for _, id := range []string{msgID("rx", 1), msgID("rx", 2)} {
		if n := callsInLog(t, filepath.Join(cfg.DataDir, "calls"), id); n != 1 {
			t.Errorf("%s processed %d times, want once", id, n)
		}
	}
}

func TestDovecotUIDValidity(t *testing.T) {
	d := startDovecot(t, "uidvalidity@clinic.example")
	srv := d.user("uidvalidity@clinic.example")
	cfg := testConfig(t, t.TempDir(), srv, "Referrals", "")
	h := newHarness(t, cfg, Options{})
	c := client(t, srv)
	a, b, cc, dd := rxEmail(1, ""), rxEmail(2, "fake:correction"), rxEmail(3, ""), rxEmail(4, "")
	deliver(t, c, "Referrals", a, b, cc)
	crashAt(t, h, "committed", 3) // 1 and 2 filed; 3 decided, still in Referrals

	before, err := c.Status("Referrals", &imap.StatusOptions{UIDValidity: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Delete("Referrals").Wait(); err != nil {
		t.Fatal(err)
	}
	deliver(t, c, "Referrals", a, b, cc, dd)
	now, err := c.Status("Referrals", &imap.StatusOptions{UIDValidity: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if now.UIDValidity == before.UIDValidity {
		t.Fatalf("Dovecot kept UIDVALIDITY %d for the recreated folder", now.UIDValidity)
	}

	sum := h.cycle(t)
	if sum.Fetched != 4 || sum.Complete != 1 || sum.NeedsCorrection != 0 || sum.Filed != 4 {
		t.Errorf("summary %+v, want 4 taken, only the new one decided, 4 filed", sum)
	}
	for n := 1; n <= 4; n++ {
		if k := h.fake.count(msgID("rx", n)); k != 1 {
			t.Errorf("rx%d processed %d times, want once", n, k)
		}
	}
	if n := h.countCases(t); n != 4 {
		t.Errorf("%d cases, want 4", n)
	}
	referrals, _ := folderMail(t, c, "Referrals")
	sameIDs(t, "Referrals", referrals, nil)
	// 1 and 2 were filed before and came back with the recreated folder:
	// filed again, as decided then.
	complete, _ := folderMail(t, c, dvComplete)
	sameIDs(t, dvComplete, complete, []string{msgID("rx", 1), msgID("rx", 1), msgID("rx", 3), msgID("rx", 4)})
	correction, _ := folderMail(t, c, dvCorrection)
	sameIDs(t, dvCorrection, correction, []string{msgID("rx", 2), msgID("rx", 2)})
}

// child is the test binary re-executed to run one cycle in its own process.
// startChild runs one cycle in a child process that pauses at the hook
// point named.
func startChild(t *testing.T, configFile, pause string) *childproc.Child {
	t.Helper()
	return childproc.Start(t, childEnv+"="+configFile, pauseEnv+"="+pause)
}

// resumeChild lets a paused child go on and returns its cycle's summary.
func resumeChild(t *testing.T, ch *childproc.Child) Summary {
	t.Helper()
	out := ch.Resume(t)
	var sum Summary
	if err := json.Unmarshal(out, &sum); err != nil {
		t.Fatalf("child summary %q: %v", out, err)
	}
	return sum
}

// childMain runs one cycle with the configuration at path, pausing at the
// first hook point named in pauseEnv ("processing": inside the processor):
// it reports "POINT UID" on fd 3 and waits for a line on stdin.
func childMain(path string) int {
	cfg, err := config.Load(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx := context.Background()
	db, err := sqldb.Open(ctx, cfg.DataDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer db.Close()
	cases, err := casefile.New(ctx, db, cfg.DataDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	l, err := NewLedger(ctx, db, cases)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	fake := &fakeProcessor{callLog: filepath.Join(cfg.DataDir, "calls")}
	w, err := New(cfg, l, fake, Options{Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	pause, signal, paused := os.Getenv(pauseEnv), os.NewFile(3, "signal"), false
	wait := func(point string, uid uint32) {
		if paused || point != pause {
			return
		}
		paused = true
		fmt.Fprintf(signal, "%s %d\n", point, uid)
		bufio.NewReader(os.Stdin).ReadString('\n') // until told to go on, or killed
	}
	fake.pause = func(m *Message) { wait("processing", m.Key.UID) }
	w.hook = func(point string, key MessageKey) { wait(point, key.UID) }
	sum, err := w.RunCycle(ctx)
	json.NewEncoder(os.Stdout).Encode(sum)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
