package audit

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestModelAsked(t *testing.T) {
	tr, _, _ := newTestTrail(t)
	ctx := t.Context()
	err := tr.ModelAsked(ctx, "C-20261120-0007", ModelRequest{Fields: []string{"frequency", "session"},
		Model: "qwen2.5:7b-instruct", Outcome: "present", Latency: 1500 * time.Millisecond, Discarded: 1})
	if err != nil {
		t.Fatal(err)
	}
	// llama.cpp names a model by the path of its file.
	if err := tr.ModelAsked(ctx, "C-20261120-0008", ModelRequest{Fields: []string{"date"}, Model: "/models/qwen2.5-7b-instruct-q4_k_m.gguf",
		Outcome: "timeout", Latency: 30 * time.Second}); err != nil {
		t.Errorf("a model named by its path: %v", err)
	}
	// A value from the prescription in place of a field name is refused
	// and nothing is written.
	err = tr.ModelAsked(ctx, "C-20261120-0007", ModelRequest{Fields: []string{"2x/week for 6 weeks"},
		Model: "m", Outcome: "present"})
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("a field with text: err %v, want ErrInvalid", err)
	}
	entries, err := tr.List(ctx, Filter{Event: EventModelAsked, CaseID: "C-20261120-0007"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("%d entries, want 1", len(entries))
	}
	e := entries[0]
	var d struct {
		Fields    []string `json:"fields"`
		Model     string   `json:"model"`
		LatencyMS int64    `json:"latency_ms"`
		Discarded int      `json:"discarded"`
	}
	if err := json.Unmarshal(e.Detail, &d); err != nil {
		t.Fatal(err)
	}
	if e.CaseID != "C-20261120-0007" || e.Outcome != "present" || strings.Join(d.Fields, ",") != "frequency,session" ||
		d.Model != "qwen2.5:7b-instruct" || d.LatencyMS != 1500 || d.Discarded != 1 {
		t.Errorf("entry %+v detail %+v", e, d)
	}
	if rep, err := tr.Verify(ctx); err != nil || !rep.OK {
		t.Errorf("the trail does not verify after the event: %v %v", rep, err)
	}
}
