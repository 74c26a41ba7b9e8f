package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestReviewKeys(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rxintake.yaml")
	c, err := Parse([]byte("data_dir: ./data\n"), path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Review.UsersFile != filepath.Join(dir, "data", "users") || c.Review.SessionIdle.Minutes() != 30 || c.Review.Listen != "127.0.0.1:8080" {
		t.Errorf("defaults: %+v", c.Review)
	}
	c, err = Parse([]byte("review: {users_file: etc/users, listen: '[::1]:9000'}\n"), path)
	if err != nil || c.Review.UsersFile != filepath.Join(dir, "etc", "users") {
		t.Errorf("relative users_file: %+v %v", c.Review, err)
	}
	for yaml, key := range map[string]string{
		"review: {listen: '0.0.0.0:8080'}": "review.listen",
		"review: {listen: ':8080'}":        "review.listen",
		"review: {listen: 'localhost'}":    "review.listen",
		"review: {tls_cert: cert.pem}":     "review.tls_cert",
		"review: {session_idle: 30s}":      "review.session_idle",
		"review: {session_idle: 48h}":      "review.session_idle",
	} {
		_, err := Parse([]byte(yaml), path)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: %v, want an error naming %s", yaml, err, key)
		}
	}
	if _, err := Parse([]byte("review: {listen: '192.0.2.7:8443', tls_cert: c.pem, tls_key: k.pem}"), path); err != nil {
		t.Errorf("non-loopback with TLS: %v", err)
	}
	if c, err := Parse([]byte("review: {listen: ''}"), path); err != nil || c.Review.Listen != "" {
		t.Errorf("page off: %v", err)
	}
}

func TestReviewTrustedProxies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rxintake.yaml")
	c, err := Parse([]byte("review: {trusted_proxies: ['127.0.0.1/32', '::1', '10.1.2.3/8', 'fd00::/8']}\n"), path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range c.Review.Proxies() {
		got = append(got, p.String())
	}
	if want := "127.0.0.1/32 ::1/128 10.0.0.0/8 fd00::/8"; strings.Join(got, " ") != want {
		t.Errorf("trusted proxies %v, want %s", got, want)
	}
	if c, err := Parse([]byte("data_dir: ./data\n"), path); err != nil || len(c.Review.Proxies()) != 0 {
		t.Errorf("default: %v %v, want no trusted proxy", c.Review.Proxies(), err)
	}
	for _, bad := range []string{"['10.0.0.0/33']", "['nginx.internal']", "['']", "['0.0.0.0/0']", "['::/0']", "['127.0.0.1:8080']"} {
		_, err := Parse([]byte("review: {trusted_proxies: "+bad+"}\n"), path)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "review.trusted_proxies") {
			t.Errorf("trusted_proxies %s: %v, want an error naming review.trusted_proxies", bad, err)
		}
	}
}

func TestReviewAdmins(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rxintake.yaml")
	c, err := Parse([]byte("review: {admins: [alice, bob.smith@clinic.example]}\n"), path)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Review.IsAdmin("alice") || !c.Review.IsAdmin("bob.smith@clinic.example") || c.Review.IsAdmin("carol") || c.Review.IsAdmin("") {
		t.Errorf("admins %v: alice %v, bob %v, carol %v", c.Review.Admins, c.Review.IsAdmin("alice"), c.Review.IsAdmin("bob.smith@clinic.example"), c.Review.IsAdmin("carol"))
	}
	if c, err := Parse([]byte("data_dir: ./data\n"), path); err != nil || c.Review.IsAdmin("alice") {
		t.Errorf("default: %v %v, want no administrator", c.Review.Admins, err)
	}
	for _, bad := range []string{"['Mary Jones']", "['']", "['-alice']", "['" + strings.Repeat("a", 65) + "']"} {
		_, err := Parse([]byte("review: {admins: "+bad+"}\n"), path)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "review.admins") {
			t.Errorf("admins %s: %v, want an error naming review.admins", bad, err)
		}
	}
}
