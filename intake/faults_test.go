package intake

// Network faults between the worker and a real Dovecot, made by Toxiproxy
// (internal/toxiproxy) on loopback: the connection reset in the middle of
// a FETCH, 5 s of latency, a bandwidth limit, a connection that carries
// nothing and then closes, a server that stops answering, and a cycle that
// outlives intake.cycle_timeout. After each, the faults are taken away and
// the next cycle must finish the work: every message filed once in its
// folder, none left in INBOX, none processed twice, one ledger entry each;
// and the trail must say what went wrong (cycle-failed, with the operation
// and the kind of fault).

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"rxintake/audit"
	"rxintake/internal/toxiproxy"
)

// bigEmail is rxEmail with a body of about size bytes: its FETCH takes
// many reads.
func bigEmail(n, size int) []byte {
	var b strings.Builder
	b.Write(rxEmail(n, ""))
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "Progress note line %06d: range of motion within normal limits, no change.\r\n", i)
	}
	return []byte(b.String())
}

// cycleFailed is a cycle-failed entry as the trail stores it.
type cycleFailed struct {
	Kind  string
	Stage string `json:"stage"`
	Op    string `json:"op"`
	UID   uint32 `json:"uid"`
}

func cycleFailures(t *testing.T, tr *audit.Trail) []cycleFailed {
	t.Helper()
	entries, err := tr.List(context.Background(), audit.Filter{Event: audit.EventCycleFailed})
	if err != nil {
		t.Fatal(err)
	}
	var out []cycleFailed
	for _, e := range entries {
		var f cycleFailed
		if err := json.Unmarshal(e.Detail, &f); err != nil {
			t.Fatal(err)
		}
		f.Kind = e.Outcome
		out = append(out, f)
	}
	return out
}

func TestDovecotNetworkFaults(t *testing.T) {
	const (
		big      = 600 << 10 // the first message: about 600 KB
		deadline = 30 * time.Second
	)
	type fault struct {
		name string
		// setup puts the fault in place before the cycle (on the proxy),
		// or from a hook point of the cycle.
		setup   func(t *testing.T, p *toxiproxy.Proxy, h *harness)
		timeout time.Duration // mailbox.timeout
		cycle   time.Duration // intake.cycle_timeout; 0 is deadline
		// want: how the faulty cycle ends; "" is a clean cycle.
		wantKind, wantOp string
		wantUID          uint32
		minElapsed       time.Duration // the fault really slowed the cycle
		decidedBefore    int           // messages decided (ledger) when the faulty cycle ended
	}
	at := func(h *harness, point string, uid uint32, do func()) {
		prev := h.w.hook
		h.w.hook = func(p string, key MessageKey) {
			if prev != nil {
				prev(p, key)
			}
			if p == point && key.UID == uid {
				do()
			}
		}
	}
	faults := []fault{{
		// The connection is reset (an RST) once 200 KB of the 600 KB
		// message have come through.
		name: "reset-mid-fetch",
		setup: func(t *testing.T, p *toxiproxy.Proxy, h *harness) {
			p.ResetOnClose(t)
			p.Add(t, toxiproxy.Toxic{Name: "cut", Type: "limit_data", Attributes: map[string]any{"bytes": 200 << 10}})
		},
		timeout: 10 * time.Second, wantKind: audit.FaultReset, wantOp: "fetch", wantUID: 1,
	}, {
		// Every byte of the second FETCH comes 5 s late: slower, not cut.
		name: "latency-5s",
		setup: func(t *testing.T, p *toxiproxy.Proxy, h *harness) {
			at(h, "filed", 1, func() {
				p.Add(t, toxiproxy.Toxic{Name: "slow", Type: "latency", Attributes: map[string]any{"latency": 5000}})
			})
			at(h, "fetched", 2, func() { p.Remove(t, "slow") })
		},
		timeout: 10 * time.Second, minElapsed: 5 * time.Second, decidedBefore: 2,
	}, {
		// 600 KB at 150 KB/s take 4 s, twice mailbox.timeout: the transfer
		// never stops long enough to be cut.
		name: "bandwidth-150kbps",
		setup: func(t *testing.T, p *toxiproxy.Proxy, h *harness) {
			p.Add(t, toxiproxy.Toxic{Name: "thin", Type: "bandwidth", Attributes: map[string]any{"rate": 150}})
		},
		timeout: 2 * time.Second, minElapsed: 3 * time.Second, decidedBefore: 2,
	}, {
		// After the first message is decided the connection carries
		// nothing and is closed 1 s later: the move is lost, the decision
		// is not, and the next cycle files it without reading it again.
		name: "timeout-then-close",
		setup: func(t *testing.T, p *toxiproxy.Proxy, h *harness) {
			at(h, "committed", 1, func() {
				p.Add(t, toxiproxy.Toxic{Name: "drop", Type: "timeout", Attributes: map[string]any{"timeout": 1000}})
			})
		},
		timeout: 10 * time.Second, wantKind: audit.FaultClosed, decidedBefore: 1,
	}, {
		// The server stops answering in the middle of the cycle and keeps
		// the connection open: mailbox.timeout (2 s) cuts the FETCH.
		name: "server-stops-answering",
		setup: func(t *testing.T, p *toxiproxy.Proxy, h *harness) {
			at(h, "filed", 1, func() {
				p.Add(t, toxiproxy.Toxic{Name: "mute", Type: "timeout", Attributes: map[string]any{"timeout": 0}})
			})
		},
		timeout: 2 * time.Second, wantKind: audit.FaultTimeout, wantOp: "fetch", wantUID: 2,
		minElapsed: 2 * time.Second, decidedBefore: 1,
	}, {
		// The same silence with a patient mailbox.timeout: the cycle's
		// own deadline (3 s) ends it.
		name: "cycle-deadline",
		setup: func(t *testing.T, p *toxiproxy.Proxy, h *harness) {
			at(h, "filed", 1, func() {
				p.Add(t, toxiproxy.Toxic{Name: "mute", Type: "timeout", Attributes: map[string]any{"timeout": 0}})
			})
		},
		timeout: time.Minute, cycle: 3 * time.Second, wantKind: audit.FaultDeadline, wantOp: "fetch", wantUID: 2,
		minElapsed: 3 * time.Second, decidedBefore: 1,
	}}

	var users []string
	for _, f := range faults {
		users = append(users, "fault-"+f.name+"@clinic.example")
	}
	d := startDovecot(t, users...)
	tp := toxiproxy.Start(t)

	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			// A proxy of its own, and the cycles after the fault go to
			// Dovecot directly: no toxic is taken off a connection that
			// is closing.
			proxy := tp.Proxy(t, "imap-"+f.name, net.JoinHostPort("127.0.0.1", strconv.Itoa(d.IMAPSPort)))
			direct := d.user("fault-" + f.name + "@clinic.example")
			c := client(t, direct)
			deliver(t, c, "INBOX", bigEmail(1, big), rxEmail(2, "fake:correction"), rxEmail(3, "fake:review"))
			c.Create(dvComplete, nil).Wait() // the folders exist: one LIST each, no CREATE
			c.Create(dvCorrection, nil).Wait()
			c.Create(dvReview, nil).Wait()

			viaProxy := direct
			viaProxy.port = proxy.Port
			cfg := testConfig(t, t.TempDir(), viaProxy, "", "")
			cfg.Mailbox.Timeout = f.timeout
			cfg.Intake.CycleTimeout = deadline
			if f.cycle > 0 {
				cfg.Intake.CycleTimeout = f.cycle
			}
			h := newHarness(t, cfg, Options{})
			trail, err := audit.NewTrail(context.Background(), h.db, audit.TrailOptions{})
			if err != nil {
				t.Fatal(err)
			}
			h.w.trail = trail
			f.setup(t, proxy, h)

			start := time.Now()
			sum, err := h.w.RunCycle(context.Background())
			elapsed := time.Since(start)
			t.Logf("faulty cycle: %+v, %v, in %.1f s", sum, err, elapsed.Seconds())
			h.w.hook = nil
			h.w.mb.Port = direct.port

			if elapsed < f.minElapsed {
				t.Errorf("the cycle took %v: the fault did not hold it %v", elapsed, f.minElapsed)
			}
			if limit := cfg.Intake.CycleTimeout + f.timeout; elapsed > limit {
				t.Errorf("the cycle took %v, past its deadline %v and one exchange's %v", elapsed, cfg.Intake.CycleTimeout, f.timeout)
			}
			got := cycleFailures(t, trail)
			if f.wantKind == "" {
				if err != nil || len(got) != 0 {
					t.Errorf("a slow but working server: %v, trail %+v; want a clean cycle", err, got)
				}
				if sum.Filed != 3 {
					t.Errorf("filed %d, want all 3 despite the fault", sum.Filed)
				}
			} else {
				if err == nil {
					t.Errorf("the cycle ended without error (%+v): the fault was not felt", sum)
				}
				if len(got) != 1 || got[0].Kind != f.wantKind || got[0].Stage != "mailbox" ||
					(f.wantOp != "" && got[0].Op != f.wantOp) || got[0].Op == "" || got[0].UID != f.wantUID && f.wantUID != 0 {
					t.Errorf("trail records %+v, want one cycle-failed %s during %q of UID %d", got, f.wantKind, f.wantOp, f.wantUID)
				}
			}
			decided := 0
			for _, rs := range h.ledgerRows(t) {
				for _, r := range rs {
					if r.state == "processed" || r.state == "filed" {
						decided++
					}
				}
			}
			if f.wantKind != "" && decided != f.decidedBefore {
				t.Errorf("the faulty cycle left %d messages decided, want %d", decided, f.decidedBefore)
			}

			// The fault is gone: the next cycle finishes the work.
			if f.wantKind != "" {
				sum = h.cycle(t)
				t.Logf("cycle after the fault: %+v", sum)
			}
			if sum := h.cycle(t); sum.Fetched != 0 || sum.Filed != 0 {
				t.Errorf("a cycle after that did %+v, want nothing", sum)
			}
			inbox, _ := folderMail(t, c, "INBOX")
			sameIDs(t, "INBOX", inbox, nil)
			complete, _ := folderMail(t, c, dvComplete)
			sameIDs(t, dvComplete, complete, []string{msgID("rx", 1)})
			correction, _ := folderMail(t, c, dvCorrection)
			sameIDs(t, dvCorrection, correction, []string{msgID("rx", 2)})
			review, _ := folderMail(t, c, dvReview)
			sameIDs(t, dvReview, review, []string{msgID("rx", 3)})
			rows := h.ledgerRows(t)
			for n := 1; n <= 3; n++ {
				id := msgID("rx", n)
				if rs := rows[id]; len(rs) != 1 || rs[0].state != "filed" {
					t.Errorf("%s: ledger %+v, want one entry, filed", id, rs)
				}
				if k := h.fake.count(id); k != 1 {
					t.Errorf("%s processed %d times, want once", id, k)
				}
			}
			if n := h.countCases(t); n != 3 {
				t.Errorf("%d cases, want 3", n)
			}
			filed, err := trail.List(context.Background(), audit.Filter{Event: audit.EventMessageFiled})
			if err != nil || len(filed) != 3 {
				t.Errorf("trail: %d message-filed entries (%v), want 3", len(filed), err)
			}
		})
	}
}
