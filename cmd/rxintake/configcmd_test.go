package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestConfigDumpMasksSecrets: `rxintake config` shows the settings and
// where each secret comes from, never a secret's value.
func TestConfigDumpMasksSecrets(t *testing.T) {
	dir := t.TempDir()
	const imapSecret, smtpSecret, llmSecret = "imap-Secret-4f1c", "smtp-Secret-9b2e", "llm-Secret-77aa"
	smtpFile := filepath.Join(dir, "smtp-password")
	if err := os.WriteFile(smtpFile, []byte(smtpSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("RXINTAKE_TEST_IMAP_PW", imapSecret)
	t.Setenv("RXINTAKE_TEST_LLM_KEY", llmSecret)
	path := filepath.Join(dir, "rxintake.yaml")
	if err := os.WriteFile(path, []byte(`data_dir: `+filepath.Join(dir, "data")+`
mailbox:
  host: imap.example.com
  username: referrals@clinic.example
  password_env: RXINTAKE_TEST_IMAP_PW
smtp:
  host: smtp.example.com
  username: referrals@clinic.example
  password_file: `+smtpFile+`
  from: "Bayside <referrals@clinic.example>"
llm:
  mode: verify
  base_url: http://127.0.0.1:8000/v1
  model: m
  api_key_env: RXINTAKE_TEST_MISSING_KEY
`), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"config", "--config", path}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	got := out.String()
	for _, secret := range []string{imapSecret, smtpSecret, llmSecret} {
		if strings.Contains(got, secret) || strings.Contains(errb.String(), secret) {
			t.Errorf("the dump shows the secret %q:\n%s", secret, got)
		}
	}
	for _, want := range []string{"host: imap.example.com", "password_env: RXINTAKE_TEST_IMAP_PW", "session_idle: 30m0s",
		"#   mailbox.password: $RXINTAKE_TEST_IMAP_PW: set", "#   smtp.password: " + smtpFile + ": set",
		"#   llm.api_key: $RXINTAKE_TEST_MISSING_KEY: NOT SET"} {
		if !strings.Contains(got, want) {
			t.Errorf("the dump lacks %q:\n%s", want, got)
		}
	}
	var back map[string]any
	if err := yaml.Unmarshal(out.Bytes(), &back); err != nil || back["mailbox"] == nil {
		t.Errorf("the dump is not YAML: %v", err)
	}
}

// TestMaskNode: a key that would hold a secret, and a URL's credentials,
// are masked wherever they stand.
func TestMaskNode(t *testing.T) {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte("a:\n  password: hunter2\n  api_key: sk-123\n  token_file: /etc/t\n  url: https://user:pw@llm.example/v1\n  list: [{secret: s}]\n"), &n); err != nil {
		t.Fatal(err)
	}
	maskNode(&n, "")
	b, _ := yaml.Marshal(&n)
	for _, leak := range []string{"hunter2", "sk-123", "user:pw", "secret: s\n"} {
		if strings.Contains(string(b), leak) {
			t.Errorf("%q not masked:\n%s", leak, b)
		}
	}
	if !strings.Contains(string(b), "token_file: /etc/t") {
		t.Errorf("a *_file key was masked:\n%s", b)
	}
}
