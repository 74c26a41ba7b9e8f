package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseDefaults(t *testing.T) {
	c, err := Parse([]byte("data_dir: /var/lib/rxintake\n"), "/etc/rxintake/config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Limits.PagesPerDocument != 50 || c.Limits.PixelsPerPage != 60_000_000 ||
		c.Limits.OCRPerPage != 60*time.Second || c.Limits.BytesPerMessage != 40<<20 {
		t.Errorf("limits %+v", c.Limits)
	}
	if c.Payers["default"].RxValidDays != 90 || c.Payers["default"].Allow97124 {
		t.Errorf("default payer %+v", c.Payers["default"])
	}
	if c.Mailbox.Folders.Review != "Rx/Needs-Review" || c.Schedule != "*/5 * * * *" {
		t.Errorf("mailbox %+v schedule %q", c.Mailbox.Folders, c.Schedule)
	}
}

func TestParseDatabase(t *testing.T) {
	c, err := Parse([]byte("data_dir: /var/lib/rxintake\n"), "/etc/rxintake/config.yaml")
	if err != nil || c.Database != "" {
		t.Fatalf("default database %q, %v; want \"\" (SQLite in data_dir)", c.Database, err)
	}
	c, err = Parse([]byte("database: postgres://rxintake@db.example:5432/rxintake?sslmode=verify-full\ndatabase_password_env: RXINTAKE_TEST_DB_PASSWORD\n"), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("RXINTAKE_TEST_DB_PASSWORD", "pw")
	if p, err := c.DatabasePassword(); err != nil || p != "pw" {
		t.Errorf("DatabasePassword = %q, %v", p, err)
	}
}

func TestParseRelativeDataDir(t *testing.T) {
	c, err := Parse([]byte("data_dir: ./data\n"), "/etc/rxintake/config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "/etc/rxintake/data" {
		t.Errorf("data_dir %q, want it beside the file", c.DataDir)
	}
}

func TestParseRefusesNamingTheKey(t *testing.T) {
	tests := []struct {
		name, yaml, key string
	}{
		{"unknown key", "mailbx:\n  host: x\n", "mailbx"},
		{"plaintext to a remote host", "mailbox:\n  host: imap.example.com\n  tls: none\n  username: u\n  password_env: P\n", "mailbox.tls"},
		{"bad tls mode", "mailbox:\n  host: imap.example.com\n  tls: ssl\n  username: u\n  password_env: P\n", "mailbox.tls"},
		{"no password source", "mailbox:\n  host: imap.example.com\n  username: u\n", "mailbox.password_env"},
		{"bad office fax", "offices:\n  - name: A\n    fax: ['555']\n", "offices[0].fax"},
		{"office address", "offices:\n  - name: A\n    emails: [nobody]\n", "offices[0].emails"},
		{"negative validity", "payers:\n  pip: {rx_valid_days: -1}\n", "payers.pip.rx_valid_days"},
		{"zero page limit", "limits:\n  pages_per_document: 0\n", "limits.pages_per_document"},
		{"bad schedule", "schedule: every five minutes\n", "schedule"},
		{"smtp without from", "smtp:\n  host: smtp.example.com\n", "smtp.from"},
		{"database password in the URL", "database: postgres://rx:secret@db.example/rx\n", "database"},
		{"database password in the query", "database: postgres://rx@db.example/rx?password=secret\n", "database"},
		{"database not a URL", "database: /var/lib/rxintake/rx.db\n", "database"},
		{"database password for SQLite", "database_password_env: P\n", "database_password_env"},
		{"negative mailbox timeout", "mailbox:\n  timeout: -1s\n", "mailbox.timeout"},
		{"mailbox timeout of a day", "mailbox:\n  timeout: 24h\n", "mailbox.timeout"},
		{"smtp timeout too short", "smtp:\n  timeout: 10ms\n", "smtp.timeout"},
		{"negative cycle timeout", "intake:\n  cycle_timeout: -1m\n", "intake.cycle_timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), "c.yaml")
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.key) {
				t.Fatalf("err = %v, want one naming %s", err, tt.key)
			}
		})
	}
}

func TestPlaintextToLoopbackIsAllowed(t *testing.T) {
	_, err := Parse([]byte("mailbox:\n  host: 127.0.0.1\n  port: 1143\n  tls: none\n  username: u\n  password_env: P\n"), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"941-555-0143": "9415550143", "(941) 555-0143": "9415550143", "+1 941 555 0143": "9415550143",
		"19415550143": "9415550143", "555-0143": "", "0415550143": "", "941.555.0143 x12": "",
	} {
		if got := NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSecret(t *testing.T) {
	t.Setenv("RX_TEST_SECRET", "s3cret")
	if v, err := Secret("mailbox.password", "RX_TEST_SECRET", ""); err != nil || v != "s3cret" {
		t.Errorf("env: %q %v", v, err)
	}
	f := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(f, []byte("from-file\n"), 0o600)
	if v, err := Secret("mailbox.password", "", f); err != nil || v != "from-file" {
		t.Errorf("file: %q %v", v, err)
	}
	if _, err := Secret("mailbox.password", "RX_TEST_UNSET_VAR", ""); err == nil || !strings.Contains(err.Error(), "mailbox.password_env") {
		t.Errorf("unset: %v", err)
	}
}

func TestIntakeKeys(t *testing.T) {
	in := Intake{FaxSenders: []string{"@faxmail.example", "Message@Inbound.eFax.example"}}
	for addr, want := range map[string]bool{
		"noreply@faxmail.example": true, "message@inbound.efax.example": true, "other@inbound.efax.example": false,
		"noreply@sub.faxmail.example": false, "noreply@faxmail.example.attacker.example": false, "": false,
	} {
		if got := in.IsFaxSender(addr); got != want {
			t.Errorf("IsFaxSender(%q) = %v, want %v", addr, got, want)
		}
	}
	for _, tt := range []struct{ yaml, key string }{
		{"intake:\n  authserv_id: \"mx.clinic.example; dkim=pass\"\n", "intake.authserv_id"},
		{"intake:\n  authserv_id: localhost\n", "intake.authserv_id"},
		{"intake:\n  fax_senders: [faxmail.example]\n", "intake.fax_senders[0]"},
		{"intake:\n  fax_senders: [\"@faxmail.example\", \"Fax <a@b.example>\"]\n", "intake.fax_senders[1]"},
		{"intake:\n  fax_senders: [\"@\"]\n", "intake.fax_senders[0]"},
	} {
		_, err := Parse([]byte(tt.yaml), "")
		if err == nil || !strings.Contains(err.Error(), tt.key) {
			t.Errorf("%q: %v, want an error naming %s", tt.yaml, err, tt.key)
		}
	}
	if c, err := Parse([]byte("mailbox:\n  timeout: 0s\n"), ""); err != nil || c.Mailbox.Timeout != 2*time.Minute || c.SMTP.Timeout != 2*time.Minute || c.Intake.CycleTimeout != 15*time.Minute {
		t.Errorf("timeouts by default: %v %v %v (%v), want 2m, 2m, 15m", c.Mailbox.Timeout, c.SMTP.Timeout, c.Intake.CycleTimeout, err)
	}
	c, err := Parse([]byte("intake:\n  authserv_id: mx.clinic.example\n  fax_senders: [\"@faxmail.example\", noreply@efax.example]\n"), "")
	if err != nil || c.Intake.AuthservID != "mx.clinic.example" || len(c.Intake.FaxSenders) != 2 || !c.Intake.Idle {
		t.Errorf("valid intake keys: %+v %v (intake.idle on when not named)", c, err)
	}
	if c, err := Parse([]byte("intake:\n  idle: false\n"), ""); err != nil || c.Intake.Idle {
		t.Errorf("intake.idle: false: %+v %v, want IDLE off", c.Intake, err)
	}
	if _, err := Parse([]byte("intake:\n  idle: sometimes\n"), ""); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("intake.idle: sometimes: %v, want an error naming its line", err)
	}
}
