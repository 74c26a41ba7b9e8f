package assist

import (
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"rxintake/casefile"
	"rxintake/extract"
	"rxintake/validate"
)

// FuzzAnswer feeds the model's answer, untrusted input, through parsing and
// grounding: whatever it says, nothing panics, and a finding quotes only
// words of the text sent.
func FuzzAnswer(f *testing.F) {
	f.Add(elements(reply{Element: "frequency", Present: true, Quote: "on Mondays and Thursdays until the end of the year"}))
	f.Add(elements(reply{Element: "diagnosis", Present: true, Quote: "(M54.2)", Values: []string{"M54.2", "Z99.9999"}}))
	f.Add(elements(reply{Element: "date", Present: true, Quote: "11/20/2026", Values: []string{"2026-02-30"}}))
	f.Add(`{"elements":[{"element":"patient","present":true,"quote":"Mary Jones","values":["Mary Jones"]}]} trailing`)
	f.Add("```json\n{\"elements\": null}\n```")
	f.Add(`{"elements":[{"element":"signature","present":true,"quote":"Electronically signed by Anil Patel MD"}]}`)
	q := append([]element(nil), missing...)
	rec := &casefile.Record{Status: casefile.StatusNeedsCorrection, AsOf: "2026-11-23", Prescription: &extract.Prescription{}}
	ntext := " " + normText(letter) + " "
	f.Fuzz(func(t *testing.T, content string) {
		resp := openai.ChatCompletionResponse{Choices: []openai.ChatCompletionChoice{{Message: openai.ChatCompletionMessage{Content: content}}}}
		replies, outcome := parseResponse(resp)
		if outcome != "" {
			return
		}
		ans := &Answer{}
		ground(ans, q, replies, letter, rec)
		for _, fd := range ans.Findings {
			if fd.Rule != RuleFound || fd.Severity != validate.Warning {
				t.Fatalf("finding %+v", fd)
			}
		}
		grounded := 0
		for _, r := range replies {
			if nq := normText(r.Quote); r.Present && nq != "" && strings.Contains(ntext, " "+nq+" ") {
				grounded++
			}
		}
		if len(ans.Findings) > grounded {
			t.Fatalf("%d findings from %d answers whose quote is in the text", len(ans.Findings), grounded)
		}
	})
}
