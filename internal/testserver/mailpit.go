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

// MailpitModule is what `make deps-test` installs mailpit from.
const MailpitModule = "github.com/axllent/mailpit@v1.33.1"

// LookBinary finds a server binary on PATH, in extra or in ~/go/bin, or
// skips the test (fails it with CI=true) with how to install it.
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

// Mailpit starts mailpit, an SMTP capture server, with STARTTLS (ca's
// server certificate), required, and AUTH accepting user and password; it
// returns the SMTP port and the port of its HTTP API.
func Mailpit(t testing.TB, ca *CA, user, password string) (smtpPort, httpPort int) {
	t.Helper()
	bin := LookBinary(t, "mailpit", "go install "+MailpitModule)
	dir := t.TempDir()
	authFile := filepath.Join(dir, "auth")
	if err := os.WriteFile(authFile, []byte(user+":"+password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	smtpPort, httpPort = FreePort(t), FreePort(t)
	cmd := exec.Command(bin, "--smtp", fmt.Sprintf("127.0.0.1:%d", smtpPort), "--listen", fmt.Sprintf("127.0.0.1:%d", httpPort),
		"--database", filepath.Join(dir, "mailpit.db"), "--smtp-tls-cert", ca.CertFile, "--smtp-tls-key", ca.KeyFile,
		"--smtp-require-starttls", "--smtp-auth-file", authFile, "--smtp-disable-rdns", "--disable-version-check")
	Start(t, "mailpit", cmd, "[smtpd] starting on", "[http] accessible via")
	return smtpPort, httpPort
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

// MailpitMessages lists what mailpit has received, newest first.
func MailpitMessages(t testing.TB, httpPort int) []Captured {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/api/v1/messages?limit=500", httpPort))
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
