package testserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// MailpitModule is what `make deps-test` installs with go install.
const MailpitModule = "github.com/axllent/mailpit@v1.33.1"

// LookBinary finds a server binary on PATH or in extra places and Go's bin
// directory, or skips the test (fails it with CI=true) saying how to
// install it.
func LookBinary(t testing.TB, name, install string, extra ...string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	home, _ := os.UserHomeDir()
	for _, p := range append(extra, filepath.Join(home, "go", "bin", name)) {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	why := name + " is not installed (" + install + ")"
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Skip(why)
	return ""
}

// Mailpit is an SMTP capture server: what is sent to it is listed by its
// HTTP API.
type Mailpit struct {
	SMTPPort, HTTPPort int
}

// StartMailpit starts mailpit on loopback ports with STARTTLS (the CA's
// server certificate, required) and AUTH accepting user and password.
func StartMailpit(t testing.TB, ca *CA, user, password string) *Mailpit {
	t.Helper()
	bin := LookBinary(t, "mailpit", "go install "+MailpitModule)
	dir := t.TempDir()
	authFile := filepath.Join(dir, "auth")
	if err := os.WriteFile(authFile, []byte(user+":"+password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := &Mailpit{SMTPPort: FreePort(t), HTTPPort: FreePort(t)}
	cmd := exec.Command(bin, "--smtp", fmt.Sprintf("127.0.0.1:%d", m.SMTPPort), "--listen", fmt.Sprintf("127.0.0.1:%d", m.HTTPPort),
		"--database", filepath.Join(dir, "mailpit.db"), "--smtp-tls-cert", ca.CertFile, "--smtp-tls-key", ca.KeyFile,
		"--smtp-require-starttls", "--smtp-auth-file", authFile, "--smtp-disable-rdns", "--disable-version-check")
	Start(t, "mailpit", cmd, "[smtpd] starting on", "[http] accessible via")
	return m
}

// Captured is a message as mailpit's API lists it.
type Captured struct {
	ID        string `json:"ID"`
	MessageID string `json:"MessageID"`
	Subject   string `json:"Subject"`
	To        []struct {
		Address string `json:"Address"`
	} `json:"To"`
}

// Messages lists what mailpit has received, newest first.
func (m *Mailpit) Messages(t testing.TB) []Captured {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/api/v1/messages?limit=500", m.HTTPPort))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Messages []Captured `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	return list.Messages
}

// Text returns the plain-text body of a captured message.
func (m *Mailpit) Text(t testing.TB, id string) string {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/api/v1/message/%s", m.HTTPPort, id))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var msg struct {
		Text string `json:"Text"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&msg); err != nil {
		t.Fatal(err)
	}
	return msg.Text
}
