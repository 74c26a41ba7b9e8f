package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/config"
	"rxintake/extract"
	"rxintake/internal/childproc"
	"rxintake/internal/pg"
)

const (
	childEnv = "RXINTAKE_NOTIFY_TEST_CHILD" // configuration file of a child that delivers once
)

func TestMain(m *testing.M) {
	extract.ServeOCRWorker() // the integration test reads with OCR workers: this binary
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(childMain(path))
	}
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

func messageID(t *testing.T, b []byte) string {
	t.Helper()
	r, err := gomail.CreateReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	id, _ := r.Header.MessageID()
	return id
}

func TestDeliver(t *testing.T) {
	for _, mode := range []string{"implicit", "starttls"} {
		t.Run(mode, func(t *testing.T) {
			ca := newTestCA(t)
			srv := startSMTP(t, ca, mode)
			e := newEnv(t, srv.port, mode, ca.File, Options{})
			asOf := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
			id := e.decide(rxMissingSignature(asOf))
			other := rxComplete(asOf)
			other.Prescription.Patient = &extract.Patient{Name: "Mary Jones", DOB: "1961-04-02"}
			complete := e.decide(other)
			if err := e.cycle(); err != nil {
				t.Fatal(err)
			}
			got := srv.messages()
			if len(got) != 1 {
				t.Fatalf("%d messages delivered, want 1", len(got))
			}
			if got[0].From != testUser || !slices.Equal(got[0].To, []string{"rx@gulfcoastfm.example"}) {
				t.Errorf("envelope %s -> %v", got[0].From, got[0].To)
			}
			if mid := messageID(t, got[0].Data); mid != "rxintake."+id+".1@bayside.example" {
				t.Errorf("Message-ID %q", mid)
			}
			if s := e.outboxState(id, 1); s != "sent" {
				t.Errorf("outbox %q, want sent", s)
			}
			if s := e.outboxState(complete, 1); s != "" {
				t.Errorf("a complete case has an outbox row %q", s)
			}
			if ev := e.events(id); !slices.Equal(ev, []string{"correction-queued/queued", "correction-sent/sent"}) {
				t.Errorf("trail %v", ev)
			}
			// Running again sends nothing more.
			if err := e.cycle(); err != nil {
				t.Fatal(err)
			}
			if n := len(srv.messages()); n != 1 {
				t.Errorf("%d messages after a second run, want 1", n)
			}
		})
	}
}

// The server's certificate is verified: without the test CA nothing is
// sent, and the request waits in the outbox.
func TestDeliverUntrusted(t *testing.T) {
	ca := newTestCA(t)
	srv := startSMTP(t, ca, "implicit")
	e := newEnv(t, srv.port, "implicit", "", Options{})
	id := e.decide(rxMissingSignature(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)))
	err := e.cycle()
	var se *SendError
	if !errors.As(err, &se) || !se.Account {
		t.Fatalf("cycle: %v, want an account-wide SendError", err)
	}
	if s := e.outboxState(id, 1); s != "queued" || len(srv.messages()) != 0 {
		t.Errorf("outbox %q, %d delivered; want queued and none", s, len(srv.messages()))
	}
}

// 421, then accepted: one email, the same Message-ID on both attempts.
func TestDeliver421ThenAccept(t *testing.T) { eachBackend(t, testDeliver421ThenAccept) }

func testDeliver421ThenAccept(t *testing.T, backend string) {
	ca := newTestCA(t)
	srv := startSMTP(t, ca, "implicit")
	srv.script = []error{&smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "try later"}}
	e := newEnvOn(t, backend, srv.port, "implicit", ca.File, Options{})
	id := e.decide(rxMissingSignature(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)))
	if err := e.cycle(); err != nil {
		t.Fatal(err)
	}
	if s := e.outboxState(id, 1); s != "queued" || len(srv.messages()) != 0 {
		t.Fatalf("after 421: outbox %q, %d delivered", s, len(srv.messages()))
	}
	if err := e.cycle(); err != nil { // not due yet
		t.Fatal(err)
	}
	e.clock.add(5 * time.Minute)
	if err := e.cycle(); err != nil {
		t.Fatal(err)
	}
	got := srv.messages()
	if len(got) != 1 || messageID(t, got[0].Data) != "rxintake."+id+".1@bayside.example" {
		t.Fatalf("delivered %d, want 1 with the case's Message-ID", len(got))
	}
	if ev := e.events(id); !slices.Equal(ev, []string{"correction-queued/queued", "correction-failed/temporary-failure", "correction-sent/sent"}) {
		t.Errorf("trail %v", ev)
	}
	if st := e.caseStatus(id); st != "needs-correction" {
		t.Errorf("case %s", st)
	}
}

// 550: no retry; the case goes to review.
func TestDeliver550(t *testing.T) { eachBackend(t, testDeliver550) }

func testDeliver550(t *testing.T, backend string) {
	ca := newTestCA(t)
	srv := startSMTP(t, ca, "starttls")
	srv.rcptErr = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	e := newEnvOn(t, backend, srv.port, "starttls", ca.File, Options{})
	id := e.decide(rxMissingSignature(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)))
	if err := e.cycle(); err != nil {
		t.Fatal(err)
	}
	if s := e.outboxState(id, 1); s != "failed" {
		t.Errorf("outbox %q, want failed", s)
	}
	if st := e.caseStatus(id); st != "needs-review" {
		t.Errorf("case %q, want needs-review", st)
	}
	rec, err := e.store.Record(context.Background(), id)
	if err != nil || rec.Status != "needs-review" || !slices.Contains(rec.Rules(), RuleUndeliverable) {
		t.Errorf("record %v %v", rec, err)
	}
	if ev := e.events(id); !slices.Equal(ev, []string{"correction-queued/queued", "correction-failed/permanent-failure", "decision/needs-review"}) {
		t.Errorf("trail %v", ev)
	}
	srv.rcptErr = nil
	e.clock.add(24 * time.Hour)
	if err := e.cycle(); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.messages()); n != 0 {
		t.Errorf("%d sent after a 550, want none", n)
	}
}

// Killed after the server accepted the message and before it was marked
// sent: the restart sends it again, once, and the trail says so. Killed
// again at the same point: the third run holds it back.
func TestDeliverCrashAfterAccept(t *testing.T) { eachBackend(t, testDeliverCrashAfterAccept) }

func testDeliverCrashAfterAccept(t *testing.T, backend string) {
	ca := newTestCA(t)
	srv := startSMTP(t, ca, "implicit")
	e := newEnvOn(t, backend, srv.port, "implicit", ca.File, Options{})
	id := e.decide(rxMissingSignature(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)))
	path := e.cfg.Path()

	crash := func(want int) {
		t.Helper()
		ch := startChild(t, path)
		if got := ch.WaitPaused(t); got != "accepted "+id {
			t.Fatalf("child paused at %q", got)
		}
		ch.Kill(t)
		if n := len(srv.messages()); n != want {
			t.Fatalf("server holds %d messages after the kill, want %d", n, want)
		}
		if s := e.outboxState(id, 1); s != "sending" {
			t.Fatalf("outbox %q after the kill, want sending", s)
		}
	}
	crash(1)
	if err := e.cycle(); err != nil {
		t.Fatal(err)
	}
	got := srv.messages()
	if len(got) != 2 || messageID(t, got[0].Data) != messageID(t, got[1].Data) {
		t.Fatalf("%d delivered, want the request and one duplicate with the same Message-ID", len(got))
	}
	if s := e.outboxState(id, 1); s != "sent" {
		t.Errorf("outbox %q, want sent", s)
	}
	if ev := e.events(id); !slices.Equal(ev, []string{"correction-queued/queued", "duplicate-send-suspected/sent", "correction-sent/sent"}) {
		t.Errorf("trail %v", ev)
	}
	if err := e.cycle(); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.messages()); n != 2 {
		t.Errorf("%d delivered after another run, want 2", n)
	}

	// Twice interrupted: held, never a second duplicate.
	id2 := e.decide(rxMissingSignature(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)))
	id = id2
	crash(3)
	crash(4) // the resend after the first crash, interrupted too
	if err := e.cycle(); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.messages()); n != 4 {
		t.Errorf("%d delivered, want 4 (at most one duplicate per request)", n)
	}
	if s, st := e.outboxState(id2, 1), e.caseStatus(id2); s != "held" || st != "needs-review" {
		t.Errorf("outbox %q, case %q; want held, needs-review", s, st)
	}
	if ev := e.events(id2); !slices.Contains(ev, "duplicate-send-suspected/held") {
		t.Errorf("trail %v", ev)
	}
}

// startChild re-executes the test binary to deliver once, pausing when
// the server has accepted a message; it waits there until killed.
func startChild(t *testing.T, configFile string) *childproc.Child {
	t.Helper()
	return childproc.Start(t, childEnv+"="+configFile)
}

// childMain delivers once with the configuration at path and pauses at the
// first "accepted" point: it reports "accepted CASE" on fd 3 and waits on
// stdin until killed.
func childMain(path string) int {
	cfg, err := config.Load(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx := context.Background()
	e, err := openChild(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	signal := os.NewFile(3, "signal")
	e.hook = func(point, caseID string) {
		fmt.Fprintf(signal, "%s %s\n", point, caseID)
		io.ReadAll(os.Stdin) // until killed, or the test ends
		os.Exit(3)
	}
	if err := e.AfterCycle(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func openChild(ctx context.Context, cfg *config.Config) (*Notifier, error) {
	db, err := openDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	trail, err := audit.NewTrail(ctx, db, audit.TrailOptions{})
	if err != nil {
		return nil, err
	}
	store, err := casefile.New(ctx, db, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	return New(ctx, cfg, db, trail, store, Options{Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
}

// TestRequests: the emails of a case's request as the review page shows
// them, before and after delivery.
func TestRequests(t *testing.T) { eachBackend(t, testRequests) }

func testRequests(t *testing.T, backend string) {
	ca := newTestCA(t)
	srv := startSMTP(t, ca, "implicit")
	e := newEnvOn(t, backend, srv.port, "implicit", ca.File, Options{})
	asOf := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	id := e.decide(rxMissingSignature(asOf))
	other := rxComplete(asOf) // another patient: not a corrected Rx of the first
	other.Prescription.Patient = &extract.Patient{Name: "Mary Jones", DOB: "1961-04-02"}
	complete := e.decide(other)
	ctx := context.Background()
	got, err := e.n.Requests(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].N != 1 || got[0].Kind != "request" || got[0].State != "queued" ||
		!slices.Equal(got[0].To, []string{"rx@gulfcoastfm.example"}) || got[0].MessageID != "rxintake."+id+".1@bayside.example" ||
		!slices.Contains(got[0].Rules, "signature-missing") || !got[0].SentAt.IsZero() || got[0].Created.IsZero() {
		t.Fatalf("queued request %+v", got)
	}
	if err := e.cycle(); err != nil {
		t.Fatal(err)
	}
	got, _ = e.n.Requests(ctx, id)
	if len(got) != 1 || got[0].State != "sent" || got[0].Attempts != 1 || got[0].SentAt.IsZero() || got[0].FirstTry.IsZero() {
		t.Errorf("sent request %+v", got)
	}
	if got, err := e.n.Requests(ctx, complete); err != nil || len(got) != 0 {
		t.Errorf("a complete case has requests %+v, %v", got, err)
	}
}
