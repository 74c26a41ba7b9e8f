package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"rxintake/audit"
	"rxintake/config"
	"rxintake/demo"
)

// planLetter is a prescription whose plan the rules cannot read (it names
// days, not a count of visits): the rules alone ask the office for one.
const planLetter = `Gulf Coast Family Medicine
1200 S Tamiami Trail, Suite 300
Sarasota, FL 34236

November 20, 2026

Re: Mary Jones, DOB 4/2/1961

I am referring my patient, Mary Jones, date of birth 4/2/1961 for neuromuscular therapy to the neck. She has been diagnosed with cervicalgia (M54.2) and tension-type headache, unspecified, not intractable (G44.209).

Please see her on Mondays and Thursdays until the end of the year, with sessions of one hour. In my opinion this treatment is medically necessary.

Sincerely,
Electronically signed by Anil Patel MD on 11/20/2026 14:02
NPI 1234567893
`

// llmServer is a chat-completions endpoint on the loopback interface that
// counts the connections made to it and finds the plan in every request.
type llmServer struct {
	*httptest.Server
	conns, requests atomic.Int32
}

func newLLMServer(t *testing.T) *llmServer {
	t.Helper()
	s := &llmServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		content, _ := json.Marshal(map[string]any{"elements": []any{map[string]any{
			"element": "frequency", "present": true, "quote": "on Mondays and Thursdays until the end of the year", "values": []string{}}}})
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": "chatcmpl-1", "object": "chat.completion", "model": "local",
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": string(content)}}}})
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func llmYAML(srv *llmServer, mode string) string {
	return fmt.Sprintf("llm:\n  mode: %s\n  base_url: %s/v1\n  model: qwen2.5-7b-instruct\n  timeout: 5s\n", mode, srv.URL)
}

// TestExtractLLMMode: `extract --config FILE` with llm.mode off opens no
// connection to the configured endpoint; --llm-mode verify asks it, and the
// plan it finds in the text sends the file to review instead of correction.
func TestExtractLLMMode(t *testing.T) {
	srv := newLLMServer(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("data_dir: data\n"+llmYAML(srv, "off")), 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "letter.txt")
	if err := os.WriteFile(file, []byte(planLetter), 0o600); err != nil {
		t.Fatal(err)
	}
	status := func(args ...string) (string, string) {
		t.Helper()
		var out, errb bytes.Buffer
		args = append([]string{"extract", "--json", "--quiet", "--as-of", "2026-11-23", "--config", cfg}, append(args, file)...)
		if code := run(context.Background(), args, &out, &errb); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		var line struct {
			Status   string `json:"status"`
			Findings []struct {
				Rule string `json:"rule"`
			} `json:"findings"`
		}
		if err := json.Unmarshal(out.Bytes(), &line); err != nil {
			t.Fatalf("%v: %s", err, out.String())
		}
		var rules []string
		for _, f := range line.Findings {
			rules = append(rules, f.Rule)
		}
		return line.Status, strings.Join(rules, ",")
	}
	if st, rules := status(); st != "needs-correction" || srv.conns.Load() != 0 {
		t.Errorf("mode off: %s (%s) with %d connections to the model's endpoint; want needs-correction and none", st, rules, srv.conns.Load())
	}
	st, rules := status("--llm-mode", "verify")
	if st != "needs-review" || !strings.Contains(rules, "second-reader-found") || srv.requests.Load() != 1 {
		t.Errorf("--llm-mode verify: %s (%s) after %d requests; want needs-review with second-reader-found after 1", st, rules, srv.requests.Load())
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"extract", "--llm-mode", "always", "--config", cfg, file}, &out, &errb); code != exitBadConfig ||
		!strings.Contains(errb.String(), "llm.mode") {
		t.Errorf("--llm-mode always: exit %d %q, want %d naming llm.mode", code, errb.String(), exitBadConfig)
	}
}

// TestWorkerLLMOffOpensNoConnection runs one intake cycle of the worker on
// an emailed order whose plan the rules cannot read: with llm.mode off the
// worker talks to the mailbox and the SMTP server only, and the office gets
// a correction request; with verify the model is asked, the case goes to
// review, no request goes out, and the audit trail records the request. An
// order from an office not in the directory goes to review without the
// model: its text is not sent.
func TestWorkerLLMOffOpensNoConnection(t *testing.T) {
	message := func(from, npi string) []byte {
		return []byte(strings.ReplaceAll("From: "+from+"\n"+
			"To: "+demo.PracticeAddress+"\nSubject: Referral order\nDate: Fri, 20 Nov 2026 15:04:00 -0500\n"+
			"Message-ID: <order-1@example>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"+
			strings.ReplaceAll(planLetter, "NPI 1234567893", "NPI "+npi), "\n", "\r\n"))
	}
	known := message(`"Gulf Coast Family Medicine" <rx@gulfcoastfm.example>`, "1234567893")
	unknown := message(`"Sunrise Clinic" <orders@sunrise-clinic.example>`, "1000000004")
	for _, tt := range []struct {
		name, mode     string
		raw            []byte
		requests, sent int
		asked          string // outcome of the model-asked event, "" for none
		status         string
	}{
		{"off", "off", known, 0, 1, "", "needs-correction"},
		{"verify", "verify", known, 1, 0, "present", "needs-review"},
		{"verify, office unknown", "verify", unknown, 0, 0, "", "needs-review"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newLLMServer(t)
			mb, err := demo.StartMailbox([]demo.Sample{{Name: "order.eml", MessageID: "order-1@example", Raw: tt.raw}})
			if err != nil {
				t.Fatal(err)
			}
			defer mb.Close()
			sink, err := demo.StartSink(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer sink.Close()
			dir := t.TempDir()
			cfg, err := writeDemoConfig(dir, mb, sink, "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "config.yaml")
			b, _ := os.ReadFile(path)
			if err := os.WriteFile(path, append(b, llmYAML(srv, tt.mode)...), 0o600); err != nil {
				t.Fatal(err)
			}
			if cfg, err = config.Load(path); err != nil {
				t.Fatal(err)
			}
			log := slog.New(slog.DiscardHandler)
			a, err := openApp(t.Context(), cfg, log)
			if err != nil {
				t.Fatal(err)
			}
			defer a.close()
			sum, err := a.cycle(t.Context(), log)
			if err != nil || sum.Errors > 0 {
				t.Fatalf("cycle: %+v %v", sum, err)
			}
			decided, _ := a.trail.List(t.Context(), audit.Filter{Event: audit.EventDecision})
			asked, _ := a.trail.List(t.Context(), audit.Filter{Event: audit.EventModelAsked})
			if len(decided) != 1 || decided[0].Outcome != tt.status {
				t.Errorf("decisions %+v, want one %s", decided, tt.status)
			}
			if tt.requests == 0 && srv.conns.Load() != 0 {
				t.Errorf("%d connections to the model's endpoint, want none", srv.conns.Load())
			}
			if int(srv.requests.Load()) != tt.requests || len(sink.Sent()) != tt.sent {
				t.Errorf("%d requests to the model, %d correction requests; want %d, %d", srv.requests.Load(), len(sink.Sent()), tt.requests, tt.sent)
			}
			switch {
			case tt.asked == "" && len(asked) != 0, tt.asked != "" && (len(asked) != 1 || asked[0].Outcome != tt.asked):
				t.Errorf("model-asked events %+v, want %q", asked, tt.asked)
			}
			for _, e := range asked {
				if strings.Contains(string(e.Detail), "Mondays") {
					t.Errorf("the audit trail holds the prescription's text: %s", e.Detail)
				}
			}
		})
	}
}
