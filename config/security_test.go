package config

import (
	"errors"
	"strings"
	"testing"
)

// TestPlaintextOnlyToLoopback: tls: none, for the mailbox and for SMTP, is
// refused for every host but this machine, however the name is dressed.
func TestPlaintextOnlyToLoopback(t *testing.T) {
	for _, section := range []string{"mailbox", "smtp"} {
		yaml := func(host string) string {
			s := section + ":\n  host: '" + host + "'\n  port: 25\n  tls: none\n  username: u\n  password_env: P\n"
			if section == "smtp" {
				s += "  from: a@b.example\n"
			}
			return s
		}
		for _, host := range []string{"smtp.example.com", "10.0.0.5", "192.168.1.20", "localhost.evil.example",
			"127.0.0.1.nip.io", "0.0.0.0", "::ffff:8.8.8.8", "LOCALHOST.example"} {
			_, err := Parse([]byte(yaml(host)), "c.yaml")
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), section+".tls") {
				t.Errorf("%s.tls: none to %q: %v, want refused naming %s.tls", section, host, err, section)
			}
		}
		for _, host := range []string{"127.0.0.1", "127.0.0.53", "::1", "localhost"} {
			if _, err := Parse([]byte(yaml(host)), "c.yaml"); err != nil {
				t.Errorf("%s.tls: none to %q: %v, want allowed (this machine)", section, host, err)
			}
		}
	}
}
