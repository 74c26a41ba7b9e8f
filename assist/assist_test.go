package assist

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/casework"
	"rxintake/config"
	"rxintake/extract"
	"rxintake/validate"
)

// letter is a prescription whose plan the rules cannot read: it names the
// days, not a count of visits.
const letter = `Gulf Coast Family Medicine
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

var received = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// build is what the worker decides of text by the rules alone.
func build(t *testing.T, doc *extract.Document) *casefile.Record {
	t.Helper()
	rec := casework.Build(doc, casework.Input{Profile: validate.DefaultProfile, Received: received})
	rec.CaseID = "C-20261123-0001"
	return rec
}

func textDoc(text string) *extract.Document {
	return &extract.Document{File: "letter.txt", Kind: extract.KindText, Body: text}
}

// chatServer speaks the chat-completions API as llama.cpp's and vLLM's
// servers do, answering each request by the test's script.
type chatServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []map[string]any
	script   func(n int, req map[string]any, w http.ResponseWriter, r *http.Request)
}

func newChatServer(t *testing.T, script func(n int, req map[string]any, w http.ResponseWriter, r *http.Request)) *chatServer {
	t.Helper()
	s := &chatServer{script: script}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
			http.NotFound(w, r)
			return
		}
		var req map[string]any
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, `{"error":{"code":400,"message":"bad json","type":"invalid_request_error"}}`, 400)
			return
		}
		s.mu.Lock()
		s.requests = append(s.requests, req)
		n := len(s.requests)
		s.mu.Unlock()
		s.script(n, req, w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *chatServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// prompt is the user message of request i (0-based).
func (s *chatServer) prompt(i int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	msgs, _ := s.requests[i]["messages"].([]any)
	var b strings.Builder
	for _, m := range msgs {
		if mm, ok := m.(map[string]any); ok && mm["role"] == "user" {
			b.WriteString(fmt.Sprint(mm["content"]))
		}
	}
	return b.String()
}

// answer writes a completion whose message content is content.
func answer(w http.ResponseWriter, content string) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 1764000000, "model": "local",
		"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": content}}},
		"usage": map[string]any{"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
	})
}

func elements(rs ...reply) string {
	b, _ := json.Marshal(map[string]any{"elements": rs})
	return string(b)
}

func apiError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"code":%d,"message":%q,"type":"server_error"}}`, status, msg)
}

type fakeTrail struct {
	mu   sync.Mutex
	reqs []audit.ModelRequest
	ids  []string
}

func (f *fakeTrail) ModelAsked(_ context.Context, caseID string, r audit.ModelRequest) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs, f.ids = append(f.reqs, r), append(f.ids, caseID)
	return nil
}

func newAssistant(t *testing.T, srv *chatServer, mode string, tr Trail) *Assistant {
	t.Helper()
	a, err := New(Options{LLM: config.LLM{BaseURL: srv.URL + "/v1", Model: "qwen2.5-7b-instruct", Mode: mode,
		Timeout: time.Second, MaxRequestsPerDay: 100}, Trail: tr, Log: slog.New(slog.DiscardHandler)})
	if err != nil || a == nil {
		t.Fatalf("New: %v %v", a, err)
	}
	return a
}

func hasRule(fs []validate.Finding, rule string) *validate.Finding {
	for i := range fs {
		if fs[i].Rule == rule {
			return &fs[i]
		}
	}
	return nil
}

// decide runs the second reader on doc as the worker does, and checks the
// rules alone called the frequency missing.
func decide(t *testing.T, a *Assistant, doc *extract.Document) *casefile.Record {
	t.Helper()
	rec := build(t, doc)
	if rec.Status != casefile.StatusNeedsCorrection || hasRule(rec.Findings, validate.RuleFrequencyMissing) == nil {
		t.Fatalf("the rules alone: %s %v, want needs-correction with frequency-missing", rec.Status, rec.Rules())
	}
	casework.SecondRead(t.Context(), a, rec.CaseID, doc, rec)
	return rec
}

func TestVerifyGroundedSendsToReview(t *testing.T) {
	srv := newChatServer(t, func(n int, req map[string]any, w http.ResponseWriter, r *http.Request) {
		answer(w, elements(reply{Element: "frequency", Present: true, Quote: "on Mondays and Thursdays until the end of the year"}))
	})
	tr := &fakeTrail{}
	rec := decide(t, newAssistant(t, srv, config.LLMVerify, tr), textDoc(letter))
	if rec.Status != casefile.StatusNeedsReview {
		t.Fatalf("status %s, want needs-review: no correction request for a plan the prescription has", rec.Status)
	}
	f := hasRule(rec.Findings, RuleFound)
	if f == nil || !strings.Contains(f.Message, "on Mondays and Thursdays until the end of the year") {
		t.Errorf("findings %+v: want %s quoting the plan", rec.Findings, RuleFound)
	}
	if hasRule(rec.Findings, validate.RuleFrequencyMissing) == nil {
		t.Error("the rules' finding is gone: the reviewer must see both")
	}
	if len(tr.reqs) != 1 || tr.ids[0] != rec.CaseID || tr.reqs[0].Outcome != OutcomePresent ||
		strings.Join(tr.reqs[0].Fields, ",") != "frequency" || tr.reqs[0].Model != "qwen2.5-7b-instruct" {
		t.Errorf("audit %v %+v", tr.ids, tr.reqs)
	}
	// Structured output: the schema goes as response_format.
	rf, _ := srv.requests[0]["response_format"].(map[string]any)
	if rf["type"] != "json_schema" {
		t.Errorf("response_format %v, want json_schema", srv.requests[0]["response_format"])
	}
}

// TestVerifyAbsentKeepsCorrection: the model agrees the plan is missing;
// the correction request goes out as the rules decided.
func TestVerifyAbsentKeepsCorrection(t *testing.T) {
	srv := newChatServer(t, func(n int, req map[string]any, w http.ResponseWriter, r *http.Request) {
		answer(w, elements(reply{Element: "frequency", Present: false}))
	})
	tr := &fakeTrail{}
	rec := decide(t, newAssistant(t, srv, config.LLMVerify, tr), textDoc(letter))
	if rec.Status != casefile.StatusNeedsCorrection || hasRule(rec.Findings, RuleFound) != nil {
		t.Errorf("status %s %v, want needs-correction unchanged", rec.Status, rec.Rules())
	}
	if len(tr.reqs) != 1 || tr.reqs[0].Outcome != OutcomeAbsent {
		t.Errorf("audit %+v", tr.reqs)
	}
}

// TestUngroundedDiscarded: values the prescription does not hold (an
// invented code, an invented date, a quote that is not in the text, a value
// taken from the cover sheet) are discarded and noted; the rules decide.
func TestUngroundedDiscarded(t *testing.T) {
	noCodes := strings.NewReplacer(" (M54.2)", "", " (G44.209)", "").Replace(letter)
	noDate := strings.NewReplacer("November 20, 2026\n", "", " on 11/20/2026 14:02", "").Replace(letter)
	cover := &extract.Document{File: "fax.pdf", Kind: extract.KindPDF, Pages: []*extract.Page{
		{Number: 1, CoverSheet: true, Text: "FAX COVER SHEET\nTo: Bayside Medical Massage\nNote: plan is 2x/week for 6 weeks\nPages: 2"},
		{Number: 2, Text: letter, TextLayer: true, Confidence: 1, Header: &extract.FaxHeader{Text: "NOV-20-2026 14:02 GULF COAST FM 9415550143 P.02/02"}},
	}}
	for _, tt := range []struct {
		name  string
		doc   *extract.Document
		rule  string
		reply reply
	}{
		{"an invented ICD-10 code", textDoc(noCodes), validate.RuleDiagnosisMissing,
			reply{Element: "diagnosis", Present: true, Quote: "cervicalgia", Values: []string{"M54.2"}}},
		{"a code in the quote that the text does not hold", textDoc(noCodes), validate.RuleDiagnosisMissing,
			reply{Element: "diagnosis", Present: true, Quote: "diagnosed with cervicalgia (M54.2)", Values: []string{"M54.2"}}},
		{"an invented date", textDoc(noDate), validate.RuleDateMissing,
			reply{Element: "date", Present: true, Quote: "Electronically signed by Anil Patel MD", Values: []string{"2026-11-20"}}},
		{"a date of birth as the Rx date, changed", textDoc(noDate), validate.RuleDateMissing,
			reply{Element: "date", Present: true, Quote: "date of birth 4/2/1961", Values: []string{"2026-04-02"}}},
		{"a quote in the text that states no plan", textDoc(letter), validate.RuleFrequencyMissing,
			reply{Element: "frequency", Present: true, Quote: "with sessions"}},
		{"a quote that is not in the text", textDoc(letter), validate.RuleFrequencyMissing,
			reply{Element: "frequency", Present: true, Quote: "2x/week for 6 weeks"}},
		{"a value from the cover sheet", cover, validate.RuleFrequencyMissing,
			reply{Element: "frequency", Present: true, Quote: "plan is 2x/week for 6 weeks"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newChatServer(t, func(n int, req map[string]any, w http.ResponseWriter, r *http.Request) {
				answer(w, elements(tt.reply))
			})
			tr := &fakeTrail{}
			a := newAssistant(t, srv, config.LLMVerify, tr)
			rec := build(t, tt.doc)
			if rec.Status != casefile.StatusNeedsCorrection || hasRule(rec.Findings, tt.rule) == nil {
				t.Fatalf("the rules alone: %s %v, want needs-correction with %s", rec.Status, rec.Rules(), tt.rule)
			}
			casework.SecondRead(t.Context(), a, rec.CaseID, tt.doc, rec)
			if rec.Status != casefile.StatusNeedsCorrection || hasRule(rec.Findings, RuleFound) != nil {
				t.Errorf("status %s %v: an ungrounded value changed the decision", rec.Status, rec.Rules())
			}
			if srv.count() != 1 || len(tr.reqs) != 1 || tr.reqs[0].Outcome != OutcomeUngrounded || tr.reqs[0].Discarded != 1 {
				t.Errorf("%d requests, audit %+v: want one, ungrounded, one value discarded", srv.count(), tr.reqs)
			}
			if p := srv.prompt(0); strings.Contains(p, "FAX COVER SHEET") || strings.Contains(p, "plan is") {
				t.Error("the cover sheet was sent to the model")
			} else if strings.Contains(p, "P.02/02") {
				t.Error("the fax transmit header was sent to the model")
			} else if !strings.Contains(p, "neuromuscular therapy to the neck") {
				t.Errorf("the prescription's text was not sent: %q", p)
			}
		})
	}
}

// TestGroundedCodeAndDate: codes and dates the text holds, written
// otherwise than the model gives them, are kept. The record is as the rules
// would leave one that read neither.
func TestGroundedCodeAndDate(t *testing.T) {
	text := strings.NewReplacer("November 20, 2026\n", "", " on 11/20/2026 14:02", "", "(M54.2)", "(m54 .2)").Replace(letter)
	text += "Order written 11/20/26\n"
	doc := textDoc(text)
	rec := &casefile.Record{CaseID: "C-20261123-0002", Status: casefile.StatusNeedsCorrection, AsOf: "2026-11-23",
		Prescription: &extract.Prescription{}, Findings: []validate.Finding{
			{Rule: validate.RuleDateMissing, Severity: validate.Error}, {Rule: validate.RuleDiagnosisMissing, Severity: validate.Error}}}
	srv := newChatServer(t, func(n int, req map[string]any, w http.ResponseWriter, r *http.Request) {
		answer(w, elements(reply{Element: "date", Present: true, Quote: "Order written 11/20/26", Values: []string{"2026-11-20"}},
			reply{Element: "diagnosis", Present: true, Quote: "cervicalgia (m54 .2)", Values: []string{"M54.2"}}))
	})
	tr := &fakeTrail{}
	casework.SecondRead(t.Context(), newAssistant(t, srv, config.LLMVerify, tr), rec.CaseID, doc, rec)
	var found []string
	for _, f := range rec.Findings {
		if f.Rule == RuleFound {
			found = append(found, f.Message)
		}
	}
	if rec.Status != casefile.StatusNeedsReview || len(found) != 2 {
		t.Errorf("status %s, %d %s findings %q; want needs-review with two", rec.Status, len(found), RuleFound, found)
	}
	if len(tr.reqs) != 1 || strings.Join(tr.reqs[0].Fields, ",") != "date,diagnosis" || tr.reqs[0].Discarded != 0 {
		t.Errorf("audit %+v", tr.reqs)
	}
}

// TestEndpointFailures: whatever goes wrong at the endpoint, the rules'
// decision stands, within the timeout.
func TestEndpointFailures(t *testing.T) {
	for _, tt := range []struct {
		name    string
		script  func(n int, req map[string]any, w http.ResponseWriter, r *http.Request)
		outcome string
		calls   int
	}{
		{"malformed JSON in the answer", func(n int, _ map[string]any, w http.ResponseWriter, _ *http.Request) {
			answer(w, `{"elements": [{"element": "frequency", "present": tru`)
		}, OutcomeMalformed, 1},
		{"prose instead of JSON", func(n int, _ map[string]any, w http.ResponseWriter, _ *http.Request) {
			answer(w, "The frequency is present.")
		}, OutcomeMalformed, 1},
		{"a body that is not JSON", func(n int, _ map[string]any, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"id": "chatcmpl-1", "choices": [`)
		}, OutcomeMalformed, 1},
		{"a refusal", func(n int, _ map[string]any, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"id":"c","object":"chat.completion","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"","refusal":"I cannot help with medical records."}}]}`)
		}, OutcomeRefused, 1},
		{"429 twice", func(n int, _ map[string]any, w http.ResponseWriter, _ *http.Request) {
			apiError(w, 429, "too many requests")
		}, OutcomeRateLimited, 2},
		{"5xx twice", func(n int, _ map[string]any, w http.ResponseWriter, _ *http.Request) {
			apiError(w, 503, "loading model")
		}, OutcomeServerError, 2},
		{"a slow response", func(n int, _ map[string]any, w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
			answer(w, elements(reply{Element: "frequency", Present: true, Quote: "on Mondays and Thursdays until the end of the year"}))
		}, OutcomeTimeout, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newChatServer(t, tt.script)
			tr := &fakeTrail{}
			start := time.Now()
			rec := decide(t, newAssistant(t, srv, config.LLMVerify, tr), textDoc(letter))
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("the case took %s: more than the 1s timeout allows", took)
			}
			if rec.Status != casefile.StatusNeedsCorrection || hasRule(rec.Findings, RuleFound) != nil {
				t.Errorf("status %s %v, want the rules' needs-correction", rec.Status, rec.Rules())
			}
			if srv.count() != tt.calls || len(tr.reqs) != 1 || tr.reqs[0].Outcome != tt.outcome {
				t.Errorf("%d requests, audit %+v: want %d, outcome %s", srv.count(), tr.reqs, tt.calls, tt.outcome)
			}
		})
	}
}

func TestRateLimitedThenAnswers(t *testing.T) {
	srv := newChatServer(t, func(n int, _ map[string]any, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			apiError(w, 429, "slow down")
			return
		}
		answer(w, elements(reply{Element: "frequency", Present: true, Quote: "on Mondays and Thursdays until the end of the year"}))
	})
	tr := &fakeTrail{}
	rec := decide(t, newAssistant(t, srv, config.LLMVerify, tr), textDoc(letter))
	if rec.Status != casefile.StatusNeedsReview || srv.count() != 2 || tr.reqs[0].Outcome != OutcomePresent {
		t.Errorf("status %s after %d requests, audit %+v: want needs-review after 2", rec.Status, srv.count(), tr.reqs)
	}
}

// TestPlainPromptFallback: a server that refuses response_format is asked
// again with the schema in the prompt, and so is every later request.
func TestPlainPromptFallback(t *testing.T) {
	srv := newChatServer(t, func(n int, req map[string]any, w http.ResponseWriter, _ *http.Request) {
		if req["response_format"] != nil {
			apiError(w, 400, "response_format is not supported")
			return
		}
		answer(w, "Here is the JSON:\n```json\n"+elements(reply{Element: "frequency", Present: true, Quote: "Mondays and Thursdays"})+"\n```")
	})
	a := newAssistant(t, srv, config.LLMVerify, nil)
	for i := range 2 {
		rec := decide(t, a, textDoc(letter))
		if rec.Status != casefile.StatusNeedsReview {
			t.Errorf("case %d: status %s, want needs-review", i+1, rec.Status)
		}
	}
	if srv.count() != 3 || !strings.Contains(srv.prompt(1), `"required":["element","present","quote","values"]`) {
		t.Errorf("%d requests (want 3: structured, plain, plain); plain prompt %q", srv.count(), srv.prompt(1))
	}
}

func TestDailyCap(t *testing.T) {
	srv := newChatServer(t, func(n int, _ map[string]any, w http.ResponseWriter, _ *http.Request) {
		answer(w, elements(reply{Element: "frequency", Present: false}))
	})
	tr := &fakeTrail{}
	a, err := New(Options{LLM: config.LLM{BaseURL: srv.URL + "/v1", Model: "m", Mode: config.LLMVerify,
		Timeout: time.Second, MaxRequestsPerDay: 1}, Trail: tr, Log: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return received }})
	if err != nil {
		t.Fatal(err)
	}
	decide(t, a, textDoc(letter))
	rec := decide(t, a, textDoc(letter))
	if srv.count() != 1 || len(tr.reqs) != 2 || tr.reqs[1].Outcome != OutcomeDailyCap || rec.Status != casefile.StatusNeedsCorrection {
		t.Errorf("%d requests, audit %+v, status %s: want one request, the second case decided by the rules", srv.count(), tr.reqs, rec.Status)
	}
}

// TestFallbackLowConfidence: fallback mode asks about a value the rules
// read with low confidence; another reading sends the case to review.
// Verify mode does not ask.
func TestFallbackLowConfidence(t *testing.T) {
	text := strings.ReplaceAll(letter, "Please see her on Mondays and Thursdays until the end of the year", "Twice a week for six weeks")
	doc := textDoc(text)
	srv := newChatServer(t, func(n int, _ map[string]any, w http.ResponseWriter, _ *http.Request) {
		answer(w, elements(reply{Element: "patient", Present: true, Quote: "my patient, Mary Jones", Values: []string{"Mary Jones"}}))
	})
	for _, mode := range []string{config.LLMVerify, config.LLMFallback} {
		rec := build(t, doc)
		if rec.Status != casefile.StatusComplete || rec.Prescription.Patient == nil {
			t.Fatalf("the rules alone: %s %v", rec.Status, rec.Rules())
		}
		rec.Prescription.Patient.Name, rec.Prescription.Patient.Confidence = "Mary Jonas", 0.4
		before := srv.count()
		casework.SecondRead(t.Context(), newAssistant(t, srv, mode, nil), rec.CaseID, doc, rec)
		asked := srv.count() - before
		switch mode {
		case config.LLMVerify:
			if asked != 0 || rec.Status != casefile.StatusComplete {
				t.Errorf("verify: %d requests, status %s; want none, complete", asked, rec.Status)
			}
		case config.LLMFallback:
			if asked != 1 || rec.Status != casefile.StatusNeedsReview || hasRule(rec.Findings, RuleDisagrees) == nil {
				t.Errorf("fallback: %d requests, status %s %v; want one, needs-review with %s", asked, rec.Status, rec.Rules(), RuleDisagrees)
			}
			if rec.Prescription.Patient.Name != "Mary Jonas" {
				t.Errorf("the model's value replaced the rules': %q", rec.Prescription.Patient.Name)
			}
		}
	}
}

func TestPrivacyWarning(t *testing.T) {
	for url, warn := range map[string]bool{
		"http://127.0.0.1:8000/v1":   false,
		"https://10.0.0.5/v1":        false,
		"https://api.example.com/v1": true,
	} {
		var logs bytes.Buffer
		_, err := New(Options{LLM: config.LLM{BaseURL: url, Model: "m", Mode: config.LLMVerify, Timeout: time.Second,
			MaxRequestsPerDay: 1}, Log: slog.New(slog.NewTextHandler(&logs, nil))})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(logs.String(), "level=WARN") && strings.Contains(logs.String(), "leaves this machine"); got != warn {
			t.Errorf("%s: warning %v, want %v (log %q)", url, got, warn, logs.String())
		}
	}
	if a, err := New(Options{LLM: config.LLM{Mode: config.LLMOff}}); a != nil || err != nil {
		t.Errorf("mode off: %v %v, want no assistant", a, err)
	}
}

// TestNoRedirect: a server that redirects the request elsewhere does not
// get the text sent there; the rules decide.
func TestNoRedirect(t *testing.T) {
	elsewhere := newChatServer(t, func(n int, _ map[string]any, w http.ResponseWriter, _ *http.Request) {
		answer(w, elements(reply{Element: "frequency", Present: true, Quote: "Mondays and Thursdays"}))
	})
	srv := newChatServer(t, func(n int, _ map[string]any, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/v1/chat/completions", http.StatusTemporaryRedirect)
	})
	tr := &fakeTrail{}
	rec := decide(t, newAssistant(t, srv, config.LLMVerify, tr), textDoc(letter))
	if elsewhere.count() != 0 || rec.Status != casefile.StatusNeedsCorrection || len(tr.reqs) != 1 || tr.reqs[0].Outcome == OutcomePresent {
		t.Errorf("%d requests elsewhere, status %s, audit %+v; want none, the rules' needs-correction, a failure", elsewhere.count(), rec.Status, tr.reqs)
	}
}
