package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"rxintake/review"
)

// reviewSender, when set (by the notify stage's wiring), gives the review
// page its "send the correction request now" button.
var reviewSender func(a *app) review.Notifier

func init() { serveHooks = append(serveHooks, serveReview) }

// serveReview starts the review page of `run` when review.listen is set.
// It listens before returning, so that a port in use stops the worker at
// start, and shuts down gracefully when ctx is cancelled.
func serveReview(ctx context.Context, a *app, log *slog.Logger) error {
	rc := a.cfg.Review
	if rc.Listen == "" {
		return nil
	}
	users, err := review.OpenUsers(rc.UsersFile)
	if err != nil {
		return err
	}
	if list, err := users.List(); err == nil && len(list) == 0 {
		log.Warn("review page: no users yet; add one with rxintake user add --config FILE NAME", "users_file", rc.UsersFile)
	}
	var sender review.Notifier
	if reviewSender != nil {
		sender = reviewSender(a)
	}
	srv, err := review.New(review.Options{Trail: a.trail, Store: a.store, Config: a.cfg,
		Users: users, Notifier: sender, Log: log, Secure: review.TLS(a.cfg)})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", rc.Listen)
	if err != nil {
		return fmt.Errorf("review page: config: review.listen: %w", err)
	}
	scheme := "http"
	if review.TLS(a.cfg) {
		scheme = "https"
	}
	log.Info("review page listening", "url", scheme+"://"+ln.Addr().String()+"/")
	go func() {
		if err := srv.Serve(ctx, ln); err != nil {
			log.Error("review page stopped", "err", err)
			return
		}
		log.Info("review page stopped")
	}()
	return nil
}
