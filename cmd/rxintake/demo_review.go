package main

import (
	"context"
	"log/slog"
	"net"

	"rxintake/review"
)

func init() { demoReview = serveDemoReview }

// serveDemoReview serves the review page of the demo: one user, held in
// memory, and the data directory of the demo's cycle.
func serveDemoReview(ctx context.Context, a *app, ln net.Listener, user, password string, log *slog.Logger) error {
	users := review.NewUsers()
	if _, err := users.Set(user, password); err != nil {
		return err
	}
	var sender review.Sender
	if reviewSender != nil {
		sender = reviewSender(a)
	}
	srv, err := review.New(ctx, review.Options{DB: a.db, Trail: a.trail, Store: a.store, Config: a.cfg,
		Users: users, Sender: sender, Log: log})
	if err != nil {
		return err
	}
	return srv.Serve(ctx, ln)
}
