package assist

import (
	"encoding/json"
	"fmt"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"rxintake/casefile"
	"rxintake/config"
	"rxintake/validate"
)

// kind says how a value of an element is grounded in the text.
type kind int

const (
	kindText      kind = iota // the quote alone
	kindCode                  // ICD-10-CM codes: in the text after normalisation, and billable
	kindDate                  // an ISO date that a date in the quote gives
	kindName                  // a person's name: its words in the quote, by fuzzy match
	kindSignature             // an electronic-signature statement
	kindModality              // a modality phrase, or a CPT code in the text
)

// element is one thing asked about.
type element struct {
	name string // as asked and recorded: "frequency"
	rule string // the rule that calls it missing; "" when asked for a low-confidence reading
	kind kind
	ask  string   // what it is, for the model
	have []string // fallback: what the rules read, to compare
}

// missing maps the rules that call an element missing to the element.
var missing = []element{
	{name: "patient", rule: validate.RulePatientMissing, kind: kindName, ask: "the patient's name"},
	{name: "prescriber", rule: validate.RulePrescriberMissing, kind: kindName, ask: "the name of the physician or practitioner who orders"},
	{name: "date", rule: validate.RuleDateMissing, kind: kindDate, ask: "the date the prescription was written (not a date of birth, not a fax or print time); value as YYYY-MM-DD"},
	{name: "modality", rule: validate.RuleModalityMissing, kind: kindModality, ask: "the treatment ordered, e.g. myofascial release, neuromuscular therapy, manual therapy or CPT 97140"},
	{name: "areas", rule: validate.RuleAreasMissing, kind: kindText, ask: "the body regions to be treated"},
	{name: "diagnosis", rule: validate.RuleDiagnosisMissing, kind: kindCode, ask: "ICD-10-CM diagnosis codes as printed, e.g. M54.50; values are the codes"},
	{name: "session", rule: validate.RuleSessionMissing, kind: kindText, ask: "the length of each treatment, in minutes or units (e.g. 60 minutes, 4 units, one hour)"},
	{name: "frequency", rule: validate.RuleFrequencyMissing, kind: kindText, ask: "how often and for how long, e.g. 2x/week for 6 weeks or 12 visits over 4 weeks"},
	{name: "signature", rule: validate.RuleSignatureMissing, kind: kindSignature, ask: "an electronic-signature statement by the prescriber (e.g. Electronically signed by ...); a typed name or a stamp is not a signature"},
}

// lowConfidence is the confidence below which fallback mode asks about an
// element the rules did read.
const lowConfidence = 0.6

// questions are the elements to ask about for rec: in verify mode those
// the rules call missing when the case would get a correction request; in
// fallback mode also those read with low confidence.
func (a *Assistant) questions(rec *casefile.Record) []element {
	var out []element
	seen := map[string]bool{}
	if rec.Status == casefile.StatusNeedsCorrection {
		for _, f := range rec.Findings {
			if f.Severity != validate.Error {
				continue
			}
			for _, e := range missing {
				if e.rule == f.Rule && !seen[e.name] {
					seen[e.name] = true
					out = append(out, e)
				}
			}
		}
	}
	if a.o.Mode != config.LLMFallback || (rec.Status != casefile.StatusNeedsCorrection && rec.Status != casefile.StatusComplete) {
		return out
	}
	rx := rec.Prescription
	low := func(c float64) bool { return c > 0 && c < lowConfidence }
	add := func(name string, have ...string) {
		if seen[name] {
			return
		}
		for _, e := range missing {
			if e.name == name {
				seen[name] = true
				e.rule, e.have = "", have
				out = append(out, e)
			}
		}
	}
	if rx.Patient != nil && rx.Patient.Name != "" && low(rx.Patient.Confidence) {
		add("patient", rx.Patient.Name)
	}
	if rx.Prescriber != nil && rx.Prescriber.Name != "" && low(rx.Prescriber.Confidence) {
		add("prescriber", rx.Prescriber.Name)
	}
	if ev, ok := rx.Evidence["date"]; ok && rx.Date != "" && low(ev.Confidence) {
		add("date", rx.Date)
	}
	var codes []string
	lowCode := false
	for _, d := range rx.Diagnoses {
		codes = append(codes, d.Code)
		lowCode = lowCode || low(d.Confidence)
	}
	if lowCode {
		add("diagnosis", codes...)
	}
	return out
}

// maxText bounds the text sent for one case.
const maxText = 24000

const instructions = `You check a prescription for medical massage whose text was read by OCR.
For each element asked about, say whether the prescription states it, and quote the words of the text that state it, exactly as they appear.
Quote only words that are in the text. Never infer, complete, correct or translate a value; never take a value from outside the text.
If the element is not stated, answer present false with an empty quote and no values.`

// schema is the JSON schema of the answer, for the asked elements.
func schema(q []element) json.RawMessage {
	names := make([]string, len(q))
	for i, e := range q {
		names[i] = e.name
	}
	enum, _ := json.Marshal(names)
	return json.RawMessage(fmt.Sprintf(`{"type":"object","properties":{"elements":{"type":"array","items":{"type":"object",`+
		`"properties":{"element":{"type":"string","enum":%s},"present":{"type":"boolean"},"quote":{"type":"string"},`+
		`"values":{"type":"array","items":{"type":"string"}}},"required":["element","present","quote","values"],"additionalProperties":false}}},`+
		`"required":["elements"],"additionalProperties":false}`, enum))
}

// chatRequest is the request for q about text. With plain the schema is
// in the prompt, for servers without structured output.
func chatRequest(model string, q []element, text string, plain bool) openai.ChatCompletionRequest {
	if len(text) > maxText {
		text = text[:maxText]
	}
	var b strings.Builder
	b.WriteString("Elements to check:\n")
	for _, e := range q {
		fmt.Fprintf(&b, "- %s: %s\n", e.name, e.ask)
	}
	if plain {
		fmt.Fprintf(&b, "\nAnswer with one JSON object only, no other text, that follows this JSON schema:\n%s\n", schema(q))
	}
	b.WriteString("\nPrescription text:\n<<<\n")
	b.WriteString(text)
	b.WriteString("\n>>>\n")
	req := openai.ChatCompletionRequest{
		Model: model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: instructions},
			{Role: openai.ChatMessageRoleUser, Content: b.String()},
		},
		Temperature: 0,
		MaxTokens:   1024,
	}
	if !plain {
		req.ResponseFormat = &openai.ChatCompletionResponseFormat{
			Type:       openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{Name: "prescription_elements", Schema: schema(q), Strict: true},
		}
	}
	return req
}

// reply is the model's answer about one element.
type reply struct {
	Element string   `json:"element"`
	Present bool     `json:"present"`
	Quote   string   `json:"quote"`
	Values  []string `json:"values"`
}

// parseResponse reads the replies of a chat completion, or says why not.
func parseResponse(resp openai.ChatCompletionResponse) ([]reply, string) {
	if len(resp.Choices) == 0 {
		return nil, OutcomeMalformed
	}
	c := resp.Choices[0]
	if c.Message.Refusal != "" || c.FinishReason == openai.FinishReasonContentFilter {
		return nil, OutcomeRefused
	}
	s := c.Message.Content
	// A server without structured output may wrap the object in prose or
	// a code fence.
	i, j := strings.IndexByte(s, '{'), strings.LastIndexByte(s, '}')
	if i < 0 || j < i {
		return nil, OutcomeMalformed
	}
	var out struct {
		Elements []reply `json:"elements"`
	}
	if err := json.Unmarshal([]byte(s[i:j+1]), &out); err != nil {
		return nil, OutcomeMalformed
	}
	return out.Elements, ""
}
