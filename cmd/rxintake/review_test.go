package main

import (
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"testing"
	"time"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/config"
)

// logWriter hands the log lines to a channel.
type logWriter chan string

func (w logWriter) Write(p []byte) (int, error) { w <- string(p); return len(p), nil }

func TestServeReview(t *testing.T) {
	_, dataDir := writeConfig(t)
	db := seedTrail(t, dataDir)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	cfg := config.Default()
	cfg.DataDir = dataDir
	cfg.Review.Listen = "127.0.0.1:0"
	cfg.Review.UsersFile = dataDir + "/users"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a := &app{cfg: &cfg, db: db}
	var err error
	if a.trail, err = audit.NewTrail(ctx, db, audit.TrailOptions{}); err != nil {
		t.Fatal(err)
	}
	if a.store, err = casefile.New(ctx, db, dataDir); err != nil {
		t.Fatal(err)
	}
	lines := make(logWriter, 10)
	if err := serveReview(ctx, a, slog.New(slog.NewTextHandler(lines, nil))); err != nil {
		t.Fatal(err)
	}
	var url string
	for url == "" {
		select {
		case l := <-lines:
			if m := regexp.MustCompile(`url=(\S+)`).FindStringSubmatch(l); m != nil {
				url = m[1]
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no listening line logged")
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(url + "cases")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("GET /cases: %s, want 303 to sign in", resp.Status)
	}
	cancel()
	for {
		select {
		case l := <-lines:
			if regexp.MustCompile(`msg="review page stopped"`).MatchString(l) {
				if _, err := client.Get(url + "signin"); err == nil {
					t.Error("the review page still answers after it stopped")
				}
				return
			}
		case <-time.After(15 * time.Second):
			t.Fatal("the review page did not stop after cancel")
		}
	}
}
