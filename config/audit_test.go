package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAuditKeys(t *testing.T) {
	const smtp = "smtp: {host: smtp.example.com, from: rx@clinic.example}\n"
	c, err := Parse([]byte("data_dir: /var/lib/rxintake\naudit:\n  checkpoint_key_file: ../keys/checkpoint.key\n  checkpoint_file: /mnt/archive/rx.txt\n"), "/etc/rxintake/config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Audit.CheckpointKeyFile != "/etc/keys/checkpoint.key" || c.Audit.CheckpointFile != "/mnt/archive/rx.txt" || c.Audit.CheckpointEmailEvery != 24*time.Hour {
		t.Errorf("audit = %+v", c.Audit)
	}
	tests := []struct{ yaml, want string }{
		{"audit: {checkpoint_key_file: /var/lib/rxintake/checkpoint.key}", "config: audit.checkpoint_key_file: /var/lib/rxintake/checkpoint.key is inside data_dir (/var/lib/rxintake)"},
		{"audit: {checkpoint_key_file: ./data/k}", "config: audit.checkpoint_key_file: /etc/rxintake/data/k is inside data_dir"},
		{"audit: {checkpoint_file: /var/lib/rxintake/sub/../cp.txt}", "config: audit.checkpoint_file: /var/lib/rxintake/cp.txt is inside data_dir"},
		{"audit: {checkpoint_public_key: ed25519:short}", "config: audit.checkpoint_public_key: \"ed25519:short\" is not an Ed25519 public key"},
		{"audit: {checkpoint_email: manager@clinic.example}", "config: audit.checkpoint_email: needs smtp.host"},
		{smtp + "audit: {checkpoint_email: manager}", "config: audit.checkpoint_email: \"manager\" is not an email address"},
		{smtp + "audit: {checkpoint_email: m@clinic.example, checkpoint_email_every: 10s}", "config: audit.checkpoint_email_every: 10s is less than 1m"},
	}
	for _, tc := range tests {
		dataDir := "data_dir: /var/lib/rxintake\n"
		if strings.Contains(tc.yaml, "./data") {
			dataDir = "data_dir: ./data\n"
		}
		_, err := Parse([]byte(dataDir+tc.yaml+"\n"), "/etc/rxintake/config.yaml")
		if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s:\n  err = %v\n want %s…", tc.yaml, err, tc.want)
		}
	}
	if _, err := Parse([]byte("data_dir: /var/lib/rxintake\n"+smtp+"audit: {checkpoint_email: manager@clinic.example, checkpoint_public_key: \"ed25519:"+strings.Repeat("A", 43)+"=\"}\n"), "/etc/rxintake/config.yaml"); err != nil {
		t.Errorf("a good audit section: %v", err)
	}
}
