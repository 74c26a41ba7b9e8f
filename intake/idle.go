package intake

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"rxintake/config"
)

// ErrNoIdle reports a server that does not offer IDLE: the schedule alone
// starts the cycles.
var ErrNoIdle = errors.New("intake: the server does not offer IDLE")

// Reconnecting after a lost IDLE connection waits idleRetryFirst, doubling
// after each failure up to idleRetryMax, each wait drawn at random from its
// upper half so that workers cut off together do not come back together. A
// connection that stayed up idleRetryReset starts the waits over.
var (
	idleRetryFirst = time.Second // shortened in tests
	idleRetryMax   = 5 * time.Minute
	idleRetryReset = time.Minute
)

// idleRetry is the wait before the n-th reconnection (n from 1); rnd gives
// a number in [0, 1).
func idleRetry(n int, rnd func() float64) time.Duration {
	d := idleRetryFirst
	for i := 1; i < n && d < idleRetryMax; i++ {
		d *= 2
	}
	d = min(d, idleRetryMax)
	return d/2 + time.Duration(rnd()*float64(d/2))
}

// Watch keeps a connection of its own to the intake folder in IDLE and
// calls wake each time the server reports new mail there, and once each
// time IDLE begins (mail may have come while nobody watched). wake must not
// block; a cycle it starts runs on its own connection. A lost connection is
// made again with backoff (idleRetry), for as long as ctx lasts. Watch
// returns ErrNoIdle when the server does not offer IDLE, a configuration
// error (config.ErrInvalid) as soon as it is met, and otherwise ctx's error
// when ctx ends (docs/architecture.md, "When a cycle runs").
func (w *Worker) Watch(ctx context.Context, wake func()) error {
	failures := 0
	for {
		start := time.Now()
		err := w.watch(ctx, wake)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, ErrNoIdle) || errors.Is(err, config.ErrInvalid) || errors.Is(err, ErrInsecure) {
			return err
		}
		if time.Since(start) >= idleRetryReset {
			failures = 0
		}
		failures++
		wait := idleRetry(failures, rand.Float64)
		w.log.Warn("IDLE connection lost; reconnecting", "attempt", failures, "in", wait.Round(time.Millisecond), "error", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// watch is one IDLE connection, until it is lost or ctx ends.
func (w *Worker) watch(ctx context.Context, wake func()) error {
	password, err := config.Secret("mailbox.password", w.mb.PasswordEnv, w.mb.PasswordFile)
	if err != nil {
		return err
	}
	// The handler runs on the connection's reader: it only takes note.
	arrived := make(chan struct{}, 1)
	notice := &imapclient.UnilateralDataHandler{Mailbox: func(d *imapclient.UnilateralDataMailbox) {
		if d.NumMessages != nil {
			select {
			case arrived <- struct{}{}:
			default:
			}
		}
	}}
	s, err := dial(ctx, w.mb, password, w.tls, notice)
	if err != nil {
		return err
	}
	defer s.c.Close()
	if !s.caps.Has(imap.CapIdle) && !s.caps.Has(imap.CapIMAP4rev2) {
		s.close()
		return ErrNoIdle
	}
	if err := s.examine(w.mb.Folder); err != nil {
		return err
	}
	idle, err := s.c.Idle()
	if err != nil {
		return fmt.Errorf("intake: IDLE: %w", err)
	}
	w.log.Info("watching the mailbox with IDLE", "folder", w.mb.Folder)
	// What arrived before the folder was opened is not reported: look now.
	wake()
	for {
		select {
		case <-arrived:
			w.log.Debug("IDLE: new mail")
			wake()
		case <-s.c.Closed():
			idle.Close()
			return errors.New("intake: IDLE: the server closed the connection")
		case <-ctx.Done():
			stop := s.watch()
			defer stop()
			if err := idle.Close(); err == nil {
				idle.Wait()
			}
			s.c.Logout().Wait()
			return ctx.Err()
		}
	}
}

// examine opens name read-only: the IDLE connection only listens.
func (s *session) examine(name string) error {
	defer s.watch()()
	if _, err := s.c.Select(name, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return fmt.Errorf("intake: examine %s: %w", name, err)
	}
	return nil
}
