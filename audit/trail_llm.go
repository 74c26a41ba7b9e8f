package audit

import (
	"context"
	"time"
)

// EventModelAsked records one request to the language model of the second
// reader (docs/llm.md): which elements of a case were asked about, of which
// model, how it ended and how long it took. Never the text sent or the
// answer: those hold patient information.
const EventModelAsked = "model-asked"

// ModelRequest is one request to the second reader's language model.
type ModelRequest struct {
	Fields  []string      // the elements asked about: "frequency", "session", ...
	Model   string        // the model as configured (llm.model)
	Outcome string        // a token such as "present", "absent", "timeout", "rate-limited"
	Latency time.Duration // from the request to its answer or failure
	// Discarded counts the values of the answer that were not found in the
	// prescription's text, or that failed the rules' validation.
	Discarded int
}

// ModelAsked records a request to the second reader's language model.
func (t *Trail) ModelAsked(ctx context.Context, caseID string, r ModelRequest) error {
	var c checker
	c.caseID("case id", caseID)
	if len(r.Fields) == 0 {
		c.fail("a request asks about at least one field")
	}
	for _, f := range r.Fields {
		c.ruleID("field", f)
	}
	// A model is named as its server names it: "qwen2.5:7b",
	// "Qwen/Qwen2.5-7B-Instruct", or llama.cpp's path of the file.
	if !isText(r.Model, 256) {
		c.fail("model must be 1-256 printable characters")
	}
	c.ruleID("outcome", r.Outcome)
	c.count("discarded", r.Discarded)
	if r.Latency < 0 {
		c.fail("latency must not be negative")
	}
	return t.write(ctx, c, record{
		actor: ActorWorker, caseID: caseID, event: EventModelAsked, outcome: r.Outcome,
		detail: struct {
			Fields    []string `json:"fields"`
			Model     string   `json:"model"`
			LatencyMS int64    `json:"latency_ms"`
			Discarded int      `json:"discarded"`
		}{r.Fields, r.Model, r.Latency.Milliseconds(), r.Discarded},
	})
}
