package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestLLMDefaultsOff(t *testing.T) {
	c, err := Parse([]byte("data_dir: /var/lib/rxintake\n"), "/etc/rxintake/config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.LLM.Mode != LLMOff || c.LLM.On() || c.LLM.Timeout != 30*time.Second || c.LLM.MaxRequestsPerDay != 1000 {
		t.Errorf("llm %+v, want off with a 30s timeout and 1000 requests a day", c.LLM)
	}
}

func TestLLMKeys(t *testing.T) {
	c, err := Parse([]byte(`data_dir: /d
llm:
  base_url: http://127.0.0.1:8000/v1
  model: qwen2.5-7b-instruct
  api_key_env: RXINTAKE_LLM_KEY
  mode: verify
  timeout: 20s
  max_requests_per_day: 300
`), "/etc/rxintake/config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	l := c.LLM
	if !l.On() || l.Mode != LLMVerify || l.BaseURL != "http://127.0.0.1:8000/v1" || l.Model != "qwen2.5-7b-instruct" ||
		l.APIKeyEnv != "RXINTAKE_LLM_KEY" || l.Timeout != 20*time.Second || l.MaxRequestsPerDay != 300 {
		t.Errorf("llm %+v", l)
	}
}

func TestLLMRefusesNamingTheKey(t *testing.T) {
	for _, tt := range []struct{ yaml, key string }{
		{"llm: {mode: always}", "llm.mode"},
		{"llm: {mode: verify, model: m}", "llm.base_url"},
		{"llm: {mode: verify, base_url: http://127.0.0.1:8000/v1}", "llm.model"},
		{"llm: {mode: fallback, model: m, base_url: 'http://llm.example/v1'}", "llm.base_url"},
		{"llm: {mode: verify, model: m, base_url: 'ftp://127.0.0.1/v1'}", "llm.base_url"},
		{"llm: {mode: verify, model: m, base_url: 'https://user:secret@llm.example/v1'}", "llm.base_url"},
		{"llm: {mode: verify, model: m, base_url: 'https://llm.example/v1', timeout: 0s}", "llm.timeout"},
		{"llm: {mode: verify, model: m, base_url: 'https://llm.example/v1', max_requests_per_day: 0}", "llm.max_requests_per_day"},
	} {
		_, err := Parse([]byte("data_dir: /d\n"+tt.yaml+"\n"), "c.yaml")
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.key+":") {
			t.Errorf("%s: err %v, want one naming %s", tt.yaml, err, tt.key)
		}
	}
}

func TestLLMLeavesMachine(t *testing.T) {
	for url, want := range map[string]bool{
		"http://127.0.0.1:8000/v1":     false,
		"http://localhost:11434/v1":    false,
		"http://[::1]:8080/v1":         false,
		"https://10.1.2.3/v1":          false,
		"https://192.168.4.20:8443/v1": false,
		"https://[fd00::5]/v1":         false,
		"https://api.example.com/v1":   true,
		"https://llm.clinic.lan/v1":    true,
		"https://203.0.113.7/v1":       true,
	} {
		if got := (LLM{BaseURL: url}).LeavesMachine(); got != want {
			t.Errorf("%s: leaves the machine %v, want %v", url, got, want)
		}
	}
}
