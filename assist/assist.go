// Package assist is the optional second reader (docs/llm.md): a language
// model behind an OpenAI-compatible chat-completions API, asked before a
// correction request is decided whether the elements the rules call missing
// are on the prescription after all. It sends the prescription pages' text
// only, accepts only what it can find in that text (grounding), and never
// changes what the rules read: a grounded answer sends the case to a person.
// Any failure of the endpoint leaves the rules' decision as it was.
package assist

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/config"
	"rxintake/extract"
	"rxintake/validate"
)

// Rule ids of the second reader's findings (docs/rules.md).
const (
	// RuleFound: the model found, in the prescription's text, an element
	// the rules call missing; the quote is the evidence. The case goes to
	// review instead of a correction request.
	RuleFound = "second-reader-found"
	// RuleDisagrees: in fallback mode, the model read an element the rules
	// read with low confidence, and read it otherwise.
	RuleDisagrees = "second-reader-disagrees"
)

// Outcomes of one request, as the audit trail records them.
const (
	OutcomePresent     = "present"      // a grounded element the rules call missing
	OutcomeDisagrees   = "disagrees"    // a grounded value other than the rules'
	OutcomeAbsent      = "absent"       // the model confirms the rules
	OutcomeUngrounded  = "ungrounded"   // every "present" answer was discarded
	OutcomeTimeout     = "timeout"      // llm.timeout ran out
	OutcomeRateLimited = "rate-limited" // 429, also after one retry
	OutcomeServerError = "server-error" // 5xx or another HTTP error
	OutcomeUnreachable = "unreachable"  // no connection
	OutcomeMalformed   = "malformed"    // the answer is not the JSON asked for
	OutcomeRefused     = "refused"      // the model declined to answer
	OutcomeDailyCap    = "daily-cap"    // llm.max_requests_per_day reached: nothing sent
)

// Trail is the part of the audit trail the second reader writes.
type Trail interface {
	ModelAsked(ctx context.Context, caseID string, r audit.ModelRequest) error
}

// Options configures an Assistant.
type Options struct {
	config.LLM
	APIKey string // read from api_key_env or api_key_file; "" for none
	// HTTPClient carries the requests; nil builds one that verifies the
	// server's certificate against the system roots and ca_file.
	HTTPClient *http.Client
	Trail      Trail // nil records nothing
	Log        *slog.Logger
	Now        func() time.Time // nil is time.Now
}

// Assistant asks the model. It is safe for concurrent use.
type Assistant struct {
	o      Options
	client *openai.Client
	log    *slog.Logger
	now    func() time.Time
	// plain is set once the server refused a structured-output request:
	// from then on the schema goes in the prompt.
	plain atomic.Bool

	mu   sync.Mutex
	day  string
	used int
}

// ErrConfig reports an llm configuration the assistant cannot start with.
var ErrConfig = errors.New("assist: configuration")

// New returns the assistant of o, or nil when o.Mode is off. It logs a
// warning when base_url is not a loopback or private address: the
// prescriptions' text then leaves the machine.
func New(o Options) (*Assistant, error) {
	if !o.On() {
		return nil, nil
	}
	if err := o.LLM.Check(); err != nil {
		return nil, err
	}
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	hc := o.HTTPClient
	if hc == nil {
		var err error
		if hc, err = httpClient(o.CAFile); err != nil {
			return nil, err
		}
	}
	cc := openai.DefaultConfig(o.APIKey)
	cc.BaseURL = strings.TrimRight(o.BaseURL, "/")
	cc.HTTPClient = hc
	now := o.Now
	if now == nil {
		now = time.Now
	}
	if o.LeavesMachine() {
		log.Warn("llm.base_url is not a loopback or private address: the text of every prescription asked about, "+
			"which is protected health information, leaves this machine for it; use it only under a business associate agreement with its operator",
			"base_url", o.BaseURL, "mode", o.Mode)
	}
	return &Assistant{o: o, client: openai.NewClientWithConfig(cc), log: log, now: now}, nil
}

// httpClient verifies the server's certificate against the system roots
// and, when given, the CA bundle in caFile, and follows no redirect.
func httpClient(caFile string) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("%w: llm.ca_file: %v", ErrConfig, err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: llm.ca_file: no certificate in %s", ErrConfig, caFile)
		}
		tr.TLSClientConfig.RootCAs = pool
	}
	// A redirect would send the prescription's text to wherever the
	// server points: it is not followed.
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, nil
}

// Answer is what came of asking about one case.
type Answer struct {
	Fields    []string // the elements asked about
	Outcome   string   // one of the Outcome constants
	Findings  []validate.Finding
	Discarded []Discard // values not found in the text, or not valid
	Latency   time.Duration
}

// Discard is a value of the model's answer that was not used, and why.
type Discard struct {
	Element string
	Reason  string
}

// SecondRead implements casework.SecondReader: it asks the model about
// rec's missing elements (and, in fallback mode, the ones read with low
// confidence), records the request in the audit trail, and returns the
// findings that send the case to review. It returns none when there is
// nothing to ask, and none when the model could not be asked.
func (a *Assistant) SecondRead(ctx context.Context, caseID string, doc *extract.Document, rec *casefile.Record) []validate.Finding {
	ans := a.Ask(ctx, caseID, doc, rec)
	if ans == nil {
		return nil
	}
	return ans.Findings
}

// Ask is SecondRead with the whole answer; nil when nothing was asked.
func (a *Assistant) Ask(ctx context.Context, caseID string, doc *extract.Document, rec *casefile.Record) *Answer {
	if a == nil || doc == nil || rec == nil || rec.Prescription == nil {
		return nil
	}
	q := a.questions(rec)
	if len(q) == 0 {
		return nil
	}
	text := doc.Text()
	if strings.TrimSpace(text) == "" {
		return nil
	}
	ans := &Answer{}
	for _, e := range q {
		ans.Fields = append(ans.Fields, e.name)
	}
	if !a.take() {
		ans.Outcome = OutcomeDailyCap
		a.record(ctx, caseID, ans)
		return ans
	}
	ctx, cancel := context.WithTimeout(ctx, a.o.Timeout)
	defer cancel()
	start := a.now()
	replies, outcome := a.request(ctx, q, text)
	ans.Latency = a.now().Sub(start)
	if outcome != "" {
		ans.Outcome = outcome
	} else {
		ground(ans, q, replies, text, rec)
	}
	a.record(ctx, caseID, ans)
	return ans
}

// take counts one request against the day's allowance; false when none is
// left.
func (a *Assistant) take() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	day := a.now().UTC().Format(time.DateOnly)
	if day != a.day {
		a.day, a.used = day, 0
	}
	if a.used >= a.o.MaxRequestsPerDay {
		return false
	}
	a.used++
	return true
}

func (a *Assistant) record(ctx context.Context, caseID string, ans *Answer) {
	a.log.Info("second reader asked", "case", caseID, "fields", ans.Fields, "outcome", ans.Outcome,
		"latency_ms", ans.Latency.Milliseconds(), "discarded", len(ans.Discarded))
	for _, d := range ans.Discarded {
		a.log.Debug("second reader value discarded", "case", caseID, "element", d.Element, "reason", d.Reason)
	}
	if a.o.Trail == nil {
		return
	}
	// The trail is written even when the request used up the timeout.
	ctx = context.WithoutCancel(ctx)
	if err := a.o.Trail.ModelAsked(ctx, caseID, audit.ModelRequest{Fields: ans.Fields, Model: a.o.Model,
		Outcome: ans.Outcome, Latency: ans.Latency, Discarded: len(ans.Discarded)}); err != nil {
		a.log.Error("audit trail: model request not recorded", "case", caseID, "err", err)
	}
}

// request asks the model and returns its replies, or the outcome of a
// failure. A 429 or 5xx is tried once more while the timeout allows; a
// server that refuses structured output is asked again with the schema in
// the prompt.
func (a *Assistant) request(ctx context.Context, q []element, text string) ([]reply, string) {
	retried := false
	for {
		plain := a.plain.Load()
		resp, err := a.client.CreateChatCompletion(ctx, chatRequest(a.o.Model, q, text, plain))
		if err == nil {
			return parseResponse(resp)
		}
		status := httpStatus(err)
		switch {
		case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
			return nil, OutcomeTimeout
		case !plain && structuredRefused(status):
			a.plain.Store(true)
			a.log.Info("the llm server refused structured output: the schema goes in the prompt from now on", "status", status)
			continue
		case (status == http.StatusTooManyRequests || status >= 500) && !retried:
			retried = true
			if !wait(ctx, retryDelay) {
				return nil, OutcomeTimeout
			}
			continue
		case status == http.StatusTooManyRequests:
			return nil, OutcomeRateLimited
		case status != 0:
			return nil, OutcomeServerError
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, OutcomeTimeout
		}
		a.log.Debug("llm request failed", "err", err)
		if isMalformed(err) {
			return nil, OutcomeMalformed
		}
		return nil, OutcomeUnreachable
	}
}

// retryDelay is the pause before the one retry of a 429 or 5xx.
var retryDelay = 250 * time.Millisecond

func wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// httpStatus is the HTTP status of a failed request, 0 when none came back.
func httpStatus(err error) int {
	var ae *openai.APIError
	if errors.As(err, &ae) {
		return ae.HTTPStatusCode
	}
	var re *openai.RequestError
	if errors.As(err, &re) {
		return re.HTTPStatusCode
	}
	return 0
}

// structuredRefused: the statuses with which servers without structured
// output turn down a response_format.
func structuredRefused(status int) bool {
	return slices.Contains([]int{http.StatusBadRequest, http.StatusNotFound, http.StatusUnprocessableEntity,
		http.StatusNotImplemented}, status)
}

// isMalformed: a 200 (or a redirect, which is not followed) whose body did
// not decode as a completion.
func isMalformed(err error) bool {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "invalid character") || strings.Contains(s, "unexpected end of JSON") ||
		strings.Contains(s, "cannot unmarshal")
}

// FromConfig is New for the llm keys of a configuration: it reads the API
// key from api_key_env or api_key_file. It returns nil when the mode is off.
func FromConfig(l config.LLM, trail Trail, log *slog.Logger) (*Assistant, error) {
	if !l.On() {
		return nil, nil
	}
	o := Options{LLM: l, Trail: trail, Log: log}
	if l.APIKeyEnv != "" || l.APIKeyFile != "" {
		key, err := config.Secret("llm.api_key", l.APIKeyEnv, l.APIKeyFile)
		if err != nil {
			return nil, err
		}
		o.APIKey = key
	}
	return New(o)
}
