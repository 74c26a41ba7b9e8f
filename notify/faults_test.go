package notify

// Network faults between the notifier and a real SMTP server (mailpit,
// STARTTLS and AUTH), made by Toxiproxy (internal/toxiproxy) on loopback:
// the connection reset in the middle of DATA, 5 s of latency (more than
// smtp.timeout), a bandwidth limit, a connection that carries nothing and
// then closes, a server that stops answering. The referral comes through a
// real Dovecot and worker; the fault is put on the SMTP link only for the
// delivery after the cycle. After it the fault is taken away and the next
// delivery must send the request: one email in mailpit, never two, and the
// trail says what went wrong (correction-failed with the fault, or
// cycle-failed for a delivery stopped before any transaction began).

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"rxintake/audit"
	"rxintake/config"
	testdovecot "rxintake/internal/dovecot"
	"rxintake/internal/toxiproxy"
)

func deleteMailpit(t *testing.T, httpPort int) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, fmt.Sprintf("http://127.0.0.1:%d/api/v1/messages", httpPort), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// trailDetails lists the details of the trail's entries of one event, with
// the outcome under "outcome".
func trailDetails(t *testing.T, tr *audit.Trail, event string) []map[string]any {
	t.Helper()
	entries, err := tr.List(context.Background(), audit.Filter{Event: event})
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, e := range entries {
		d := map[string]any{}
		if err := json.Unmarshal(e.Detail, &d); err != nil {
			t.Fatal(err)
		}
		d["outcome"] = e.Outcome
		out = append(out, d)
	}
	return out
}

func TestSMTPNetworkFaults(t *testing.T) {
	const deadline = 20 * time.Second // the cycle's, for the delivery
	type fault struct {
		name    string
		toxics  func(t *testing.T, p *toxiproxy.Proxy)
		timeout time.Duration // smtp.timeout
		// What the faulty delivery leaves: the failure recorded for the
		// request (correction-failed's fault), or for the delivery
		// (cycle-failed's outcome), and whether it was sent anyway.
		requestFault, deliveryFault string
		sent                        bool
		minElapsed                  time.Duration
		// mayDuplicate: the reset can come after the whole message was
		// written into the socket, before the server's reply; rxintake
		// cannot tell that the server never took it, so the resend is
		// flagged duplicate-send-suspected (the office gets it once:
		// mailpit never saw the final dot).
		mayDuplicate bool
	}
	faults := []fault{{
		// The connection is reset (an RST) when 60 KB of the 200 KB
		// request have gone up: mid-DATA, before the final dot.
		name: "reset-mid-data",
		toxics: func(t *testing.T, p *toxiproxy.Proxy) {
			p.ResetOnClose(t)
			p.Add(t, toxiproxy.Toxic{Name: "cut", Type: "limit_data", Stream: "upstream", Attributes: map[string]any{"bytes": 60 << 10}})
		},
		timeout: 10 * time.Second, requestFault: audit.FaultReset, mayDuplicate: true,
	}, {
		// Every reply comes 5 s late, past smtp.timeout (3 s): the
		// greeting never comes in time, and delivery stops.
		name: "latency-5s",
		toxics: func(t *testing.T, p *toxiproxy.Proxy) {
			p.Add(t, toxiproxy.Toxic{Name: "slow", Type: "latency", Attributes: map[string]any{"latency": 5000}})
		},
		timeout: 3 * time.Second, deliveryFault: audit.FaultTimeout, minElapsed: 3 * time.Second,
	}, {
		// 280 KB up (the attachment in base64) at 100 KB/s: slow, and
		// sent.
		name: "bandwidth-100kbps",
		toxics: func(t *testing.T, p *toxiproxy.Proxy) {
			p.Add(t, toxiproxy.Toxic{Name: "thin", Type: "bandwidth", Stream: "upstream", Attributes: map[string]any{"rate": 100}})
		},
		timeout: 15 * time.Second, sent: true, minElapsed: 2 * time.Second,
	}, {
		// Nothing comes through, and the connection is closed after 1 s.
		name: "timeout-then-close",
		toxics: func(t *testing.T, p *toxiproxy.Proxy) {
			p.Add(t, toxiproxy.Toxic{Name: "drop", Type: "timeout", Attributes: map[string]any{"timeout": 1000}})
		},
		timeout: 10 * time.Second, deliveryFault: audit.FaultClosed, minElapsed: time.Second,
	}, {
		// The server accepts the connection and never says a word:
		// smtp.timeout (2 s) ends the wait.
		name: "server-stops-answering",
		toxics: func(t *testing.T, p *toxiproxy.Proxy) {
			p.Add(t, toxiproxy.Toxic{Name: "mute", Type: "timeout", Attributes: map[string]any{"timeout": 0}})
		},
		timeout: 2 * time.Second, deliveryFault: audit.FaultTimeout, minElapsed: 2 * time.Second,
	}}

	ca := newTestCA(t)
	smtpPort, httpPort := startMailpit(t, ca)
	var accounts []string
	for _, f := range faults {
		accounts = append(accounts, "smtp-"+f.name+"@bayside.example")
	}
	if os.Geteuid() == 0 {
		os.Chmod(ca.KeyFile, 0o644) // read by Dovecot's own processes
		os.Chmod(filepath.Dir(ca.KeyFile), 0o755)
	}
	imapPort := testdovecot.Start(t, ca.CertFile, ca.KeyFile, testPassword, accounts...).IMAPSPort
	tp := toxiproxy.Start(t)
	t.Setenv("RXINTAKE_TEST_SMTP_PASSWORD", testPassword)
	t.Setenv("RXINTAKE_TEST_IMAP_PASSWORD", testPassword)

	// An unsigned order from a verified office address: the request
	// attaches it, about 200 KB with the relay's trace header (a header,
	// so that reading the order stays quick).
	trace := "X-Relay-Trace: " + strings.Repeat("hop.relay.example\n ", 10000) + "end\n"
	order := authResults("dkim=pass header.d=gulfcoastfm.example; dmarc=pass header.from=gulfcoastfm.example") +
		referral("faults-1@gulfcoastfm.example", "Amber <amber@gulfcoastfm.example>", "Samantha Vasquez", "03/17/1964",
			"1234567893", false, dxGood, trace)

	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			// A proxy of its own, and the deliveries after the fault go to
			// mailpit directly: no toxic is taken off a connection that is
			// closing.
			proxy := tp.Proxy(t, "smtp-"+f.name, net.JoinHostPort("127.0.0.1", strconv.Itoa(smtpPort)))
			deleteMailpit(t, httpPort)
			account := "smtp-" + f.name + "@bayside.example"
			dir := t.TempDir()
			yaml := testYAML(filepath.Join(dir, "data"), proxy.Port, "starttls", ca.File) + fmt.Sprintf(`mailbox:
  host: 127.0.0.1
  port: %d
  tls: implicit
  ca_file: %q
  username: %s
  password_env: RXINTAKE_TEST_IMAP_PASSWORD
intake:
  authserv_id: mx.bayside.example
`, imapPort, ca.File, account)
			path := filepath.Join(dir, "rxintake.yaml")
			if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			cfg.SMTP.Timeout = f.timeout
			// A request that failed is due again at once: the next
			// delivery is the retry.
			p := newPipeline(t, cfg, Options{RetryAfter: time.Millisecond, RetryMax: time.Millisecond})
			appendMail(t, imapPort, ca.File, account, order)
			ctx := context.Background()
			if sum, err := p.worker.RunCycle(ctx); err != nil || sum.NeedsCorrection != 1 {
				t.Fatalf("intake cycle: %+v, %v; want the order needing correction", sum, err)
			}

			f.toxics(t, proxy)
			dctx, cancel := context.WithTimeout(ctx, deadline)
			start := time.Now()
			derr := p.n.AfterCycle(dctx)
			elapsed := time.Since(start)
			cancel()
			direct := cfg.SMTP
			direct.Port = smtpPort
			if p.n.sender, err = NewSMTPSender(direct, "bayside.example"); err != nil {
				t.Fatal(err)
			}
			t.Logf("faulty delivery: %v in %.1f s", derr, elapsed.Seconds())
			if elapsed < f.minElapsed {
				t.Errorf("the delivery took %v: the fault did not hold it %v", elapsed, f.minElapsed)
			}
			if elapsed > deadline {
				t.Errorf("the delivery took %v, past the cycle's deadline %v", elapsed, deadline)
			}
			failed := trailDetails(t, p.trail, audit.EventCorrectionFailed)
			stopped := trailDetails(t, p.trail, audit.EventCycleFailed)
			switch {
			case f.requestFault != "":
				if len(failed) != 1 || failed[0]["fault"] != f.requestFault || failed[0]["outcome"] != "temporary-failure" || len(stopped) != 0 {
					t.Errorf("trail: correction-failed %v, cycle-failed %v; want one temporary failure of the request, fault %s", failed, stopped, f.requestFault)
				}
			case f.deliveryFault != "":
				if len(stopped) != 1 || stopped[0]["outcome"] != f.deliveryFault || stopped[0]["stage"] != "delivery" || len(failed) != 0 {
					t.Errorf("trail: correction-failed %v, cycle-failed %v; want delivery stopped for %s, the request untouched", failed, stopped, f.deliveryFault)
				}
				if derr == nil {
					t.Errorf("a delivery stopped by the fault returned no error")
				}
				if limit := f.timeout + 5*time.Second; elapsed > limit {
					t.Errorf("the delivery took %v: smtp.timeout (%v) did not end the wait", elapsed, f.timeout)
				}
			default:
				if derr != nil || len(failed)+len(stopped) != 0 {
					t.Errorf("a slow but working server: %v, trail %v %v; want the request sent", derr, failed, stopped)
				}
			}
			want := 0
			if f.sent {
				want = 1
			}
			if n := len(mailpitMessages(t, httpPort)); n != want {
				t.Errorf("after the faulty delivery mailpit holds %d messages, want %d", n, want)
			}

			// The fault is gone: the next delivery sends what is left, and
			// nothing twice.
			for range 2 {
				if err := p.n.AfterCycle(ctx); err != nil {
					t.Errorf("delivery after the fault: %v", err)
				}
			}
			got := mailpitMessages(t, httpPort)
			if len(got) != 1 {
				t.Errorf("mailpit holds %d messages, want the one request", len(got))
			} else if !strings.HasPrefix(got[0].MessageID, "rxintake.RX-") || len(got[0].To) != 1 || got[0].To[0].Address != "rx@gulfcoastfm.example" {
				t.Errorf("mailpit holds %+v, want the request to Gulf Coast", got[0])
			}
			if sent := trailDetails(t, p.trail, audit.EventCorrectionSent); len(sent) != 1 {
				t.Errorf("trail: %d correction-sent entries, want 1", len(sent))
			}
			dup := trailDetails(t, p.trail, audit.EventDuplicateSendSuspected)
			if len(dup) > 1 || len(dup) == 1 && !f.mayDuplicate {
				t.Errorf("trail: %v, want no duplicate suspected", dup)
			}
			t.Logf("trail: correction-failed %v, cycle-failed %v, duplicate-send-suspected %d", failed, stopped, len(dup))
		})
	}
}
