package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"rxintake/internal/corpus"
)

// oracle is a chat-completions server on the loopback interface that plays
// the second reader's language model (docs/llm.md) from the corpus: asked
// about document N (the path /doc/N/v1), it answers from N's truth, quoting
// the request's text where the truth's words are in it, and quoting the
// truth's words anyway where OCR lost them, as a model that knows more than
// the page would (the assistant must discard those). It never sees the
// document itself.
type oracle struct {
	srv    *http.Server
	ln     net.Listener
	truths []*corpus.Truth
}

func startOracle(truths []*corpus.Truth) (*oracle, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	o := &oracle{ln: ln, truths: truths}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /doc/{n}/v1/chat/completions", o.serve)
	o.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go o.srv.Serve(ln)
	return o, nil
}

// BaseURL is the API root of document n.
func (o *oracle) BaseURL(n int) string { return fmt.Sprintf("http://%s/doc/%d/v1", o.ln.Addr(), n) }

func (o *oracle) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := o.srv.Shutdown(ctx)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

type oracleReply struct {
	Element string   `json:"element"`
	Present bool     `json:"present"`
	Quote   string   `json:"quote"`
	Values  []string `json:"values"`
}

var askedRe = regexp.MustCompile(`(?m)^- ([a-z]+): `)

func (o *oracle) serve(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n >= len(o.truths) {
		http.NotFound(w, r)
		return
	}
	var req struct {
		Messages []struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"messages"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		http.Error(w, `{"error":{"message":"bad request","type":"invalid_request_error"}}`, http.StatusBadRequest)
		return
	}
	var prompt string
	for _, m := range req.Messages {
		if m.Role == "user" {
			prompt = m.Content
		}
	}
	text := prompt
	if i := strings.Index(prompt, "<<<\n"); i >= 0 {
		text = prompt[i+4:]
	}
	text = strings.TrimSuffix(strings.TrimSpace(text), ">>>")
	var out []oracleReply
	for _, m := range askedRe.FindAllStringSubmatch(strings.Split(prompt, "<<<")[0], -1) {
		out = append(out, answerFromTruth(m[1], &o.truths[n].Prescription, text))
	}
	content, _ := json.Marshal(map[string]any{"elements": out})
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"id": "chatcmpl-oracle", "object": "chat.completion", "created": time.Now().Unix(),
		"model": "oracle", "choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": string(content)}}}})
}

// answerFromTruth answers about one element as the truth has it.
func answerFromTruth(element string, p *corpus.Prescription, text string) oracleReply {
	absent := oracleReply{Element: element, Values: []string{}}
	present := func(values []string, words ...string) oracleReply {
		for _, w := range words {
			if q := findIn(text, w); q != "" {
				return oracleReply{Element: element, Present: true, Quote: q, Values: values}
			}
		}
		if len(words) == 0 {
			return absent
		}
		return oracleReply{Element: element, Present: true, Quote: words[0], Values: values}
	}
	switch element {
	case "patient":
		if p.Patient != nil && p.Patient.Name != "" {
			return present([]string{p.Patient.Name}, nameForms(p.Patient.Name)...)
		}
	case "prescriber":
		if p.Prescriber != nil && p.Prescriber.Name != "" {
			return present([]string{p.Prescriber.Name}, nameForms(p.Prescriber.Name)...)
		}
	case "date":
		if d, err := time.Parse(time.DateOnly, p.Date); err == nil {
			var forms []string
			for _, f := range []string{"January 2, 2006", "Jan 2, 2006", "1/2/2006", "01/02/2006", "2006-01-02", "1/2/06", "01/02/06", "2 January 2006", "02.01.2006", "2/1/2006"} {
				forms = append(forms, d.Format(f))
			}
			return present([]string{p.Date}, forms...)
		}
	case "modality":
		var words []string
		for _, pr := range p.Procedures {
			if pr.CPT != "97124" {
				words = append(words, pr.Text, pr.CPT)
			}
		}
		return present([]string{}, words...)
	case "areas":
		return present([]string{}, p.AreasText...)
	case "diagnosis":
		var codes []string
		for _, d := range p.Diagnoses {
			codes = append(codes, d.Code)
		}
		if len(codes) > 0 {
			return present(codes[:1], codes[0])
		}
	case "session":
		if p.Session != nil {
			return present([]string{}, p.Session.Text)
		}
	case "frequency":
		if p.Frequency != nil {
			return present([]string{}, p.Frequency.Text)
		}
	case "signature":
		if p.Signature.Present && p.Signature.Kind == "electronic" {
			for _, line := range strings.Split(text, "\n") {
				if l := strings.ToLower(line); strings.Contains(l, "signed") || strings.Contains(l, "e-sig") || strings.Contains(l, "signature") {
					return oracleReply{Element: element, Present: true, Quote: strings.TrimSpace(line), Values: []string{}}
				}
			}
		}
	}
	return absent
}

// nameForms are the ways a document prints a name in natural order.
func nameForms(name string) []string {
	f := strings.Fields(name)
	if len(f) < 2 {
		return []string{name}
	}
	last := f[len(f)-1]
	return []string{name, strings.ToUpper(last) + ", " + strings.ToUpper(strings.Join(f[:len(f)-1], " ")),
		last + ", " + strings.Join(f[:len(f)-1], " "), f[0] + " " + last}
}

// findIn returns s as text writes it (case and spacing aside), or "".
func findIn(text, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	words := strings.Fields(regexp.QuoteMeta(s))
	re, err := regexp.Compile(`(?i)` + strings.Join(words, `\s+`))
	if err != nil {
		return ""
	}
	return re.FindString(text)
}
