package intake

import (
	"testing"

	"github.com/emersion/go-imap/v2/imapclient"

	"rxintake/config"
)

// Test helpers shared with the external test package, which runs the
// whole pipeline (casework imports intake, so it cannot live here).

// DovecotConfig starts a Dovecot with one account and returns a
// configuration for it in dir.
func DovecotConfig(t *testing.T, dir, account, extra string) *config.Config {
	d := startDovecot(t, account)
	return testConfig(t, dir, d.user(account), "", extra)
}

// Deliver appends messages to a folder of the configured account.
func Deliver(t *testing.T, cfg *config.Config, folder string, msgs ...[]byte) *imapclient.Client {
	c := client(t, serverOf(t, cfg))
	deliver(t, c, folder, msgs...)
	return c
}

// FolderMail lists the Message-IDs in a folder.
func FolderMail(t *testing.T, c *imapclient.Client, folder string) []string {
	ids, _ := folderMail(t, c, folder)
	return ids
}

func serverOf(t *testing.T, cfg *config.Config) server {
	pw, err := config.Secret("mailbox.password", cfg.Mailbox.PasswordEnv, cfg.Mailbox.PasswordFile)
	if err != nil {
		t.Fatal(err)
	}
	return server{host: cfg.Mailbox.Host, port: cfg.Mailbox.Port, tlsMode: cfg.Mailbox.TLS,
		caFile: cfg.Mailbox.CAFile, user: cfg.Mailbox.Username, password: pw}
}

// Dovecot's maildir folder names for the outcomes.
const (
	DvComplete   = dvComplete
	DvCorrection = dvCorrection
	DvReview     = dvReview
)

// AutoReply, Bounce and CorruptFax are messages that are not referrals or
// cannot be read.
func AutoReply(n int) []byte  { return autoReply(n) }
func Bounce(n int) []byte     { return bounce(n) }
func CorruptFax(n int) []byte { return faxEmail(n, "corrupt") }
