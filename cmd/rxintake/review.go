package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"rxintake/review"
)

// reviewNotifier is the notifier as the review page uses it (the requests
// of a case, "send now"), or nil when there is none.
func (a *app) reviewNotifier() review.Notifier {
	if a.notifier == nil {
		return nil // not a nil *notify.Notifier in an interface
	}
	return a.notifier
}

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
	opts := review.Options{Trail: a.trail, Store: a.store, Config: a.cfg,
		Users: users, DB: a.db, Notifier: a.reviewNotifier(), Log: log, Secure: review.TLS(a.cfg),
		AfterAction: func() { a.checkpointSoon(ctx, log) }}
	if a.mon != nil {
		opts.Health, opts.Metrics, opts.Alerts = a.mon.HealthHandler(), a.mon.MetricsHandler(), a.mon.Banner
	}
	srv, err := review.New(opts)
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
