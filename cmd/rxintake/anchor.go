package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"

	"rxintake/audit"
	"rxintake/config"
	"rxintake/notify"
)

// The audit trail's anchor (docs/audit.md): the key that signs checkpoints
// and the places their copies go, from the audit: section.

// deliverTimeout bounds one delivery of checkpoints to every sink: a sink
// that hangs never holds up the next cycle.
const deliverTimeout = 2 * time.Minute

// trailOptions reads the checkpoint key and builds the sinks. signing is
// false for the commands that only read the trail: they need no private
// key when audit.checkpoint_public_key is set.
func trailOptions(cfg *config.Config, log *slog.Logger, signing bool) (audit.TrailOptions, error) {
	opts := audit.TrailOptions{CheckpointDir: audit.CheckpointDir(cfg.DataDir), Logger: log}
	ac := cfg.Audit
	if ac.CheckpointPublicKey != "" {
		pub, err := audit.ParsePublicKey(ac.CheckpointPublicKey)
		if err != nil {
			return opts, fmt.Errorf("%w: audit.checkpoint_public_key: %v", config.ErrInvalid, err)
		}
		opts.PublicKey = pub
	}
	if ac.CheckpointKeyFile != "" && (signing || opts.PublicKey == nil) {
		k, err := audit.LoadSigningKey(ac.CheckpointKeyFile, cfg.DataDir)
		if err != nil {
			return opts, fmt.Errorf("%w: audit.checkpoint_key_file: %v", config.ErrInvalid, err)
		}
		if opts.PublicKey != nil && !opts.PublicKey.Equal(k.Public()) {
			return opts, fmt.Errorf("%w: audit.checkpoint_public_key: it is not the public half of audit.checkpoint_key_file", config.ErrInvalid)
		}
		if signing {
			opts.SigningKey = k
		} else {
			opts.PublicKey = k.Public().(ed25519.PublicKey)
		}
	}
	if !signing {
		return opts, nil
	}
	if ac.CheckpointFile != "" {
		if err := audit.CheckSinkFile(ac.CheckpointFile, cfg.DataDir); err != nil {
			return opts, fmt.Errorf("%w: audit.checkpoint_file: %v", config.ErrInvalid, err)
		}
		opts.Sinks = append(opts.Sinks, audit.FileSink{Path: ac.CheckpointFile})
	}
	if ac.CheckpointEmail != "" {
		s, err := newEmailSink(cfg)
		if err != nil {
			return opts, err
		}
		opts.Sinks = append(opts.Sinks, s)
	}
	if opts.SigningKey == nil {
		log.Warn("audit.checkpoint_key_file is not set: checkpoints are not signed, and audit verify reports the trail unanchored; make a key with rxintake audit keygen")
	}
	return opts, nil
}

// emailSink mails checkpoint lines to the office manager through smtp.
type emailSink struct {
	sender   notify.Sender
	from, to string
	domain   string // of smtp.from, for Message-ID
	every    time.Duration
}

func newEmailSink(cfg *config.Config) (*emailSink, error) {
	from, err := mail.ParseAddress(cfg.SMTP.From)
	if err != nil {
		return nil, fmt.Errorf("%w: smtp.from: %v", config.ErrInvalid, err)
	}
	to, err := mail.ParseAddress(cfg.Audit.CheckpointEmail)
	if err != nil {
		return nil, fmt.Errorf("%w: audit.checkpoint_email: %v", config.ErrInvalid, err)
	}
	_, domain, _ := strings.Cut(from.Address, "@")
	sender, err := notify.NewSMTPSender(cfg.SMTP, domain)
	if err != nil {
		return nil, err
	}
	return &emailSink{sender: sender, from: from.Address, to: to.Address, domain: domain, every: cfg.Audit.CheckpointEmailEvery}, nil
}

func (e *emailSink) Name() string           { return "email " + e.to }
func (e *emailSink) Spacing() time.Duration { return e.every }

// Send mails the lines in one plain-text message. Checkpoint lines carry
// no patient information: entry numbers, hashes, times, a signature.
func (e *emailSink) Send(ctx context.Context, lines []string) error {
	var id [12]byte
	rand.Read(id[:])
	msgID := hex.EncodeToString(id[:]) + ".checkpoint@" + e.domain
	var b bytes.Buffer
	w := func(s string) { b.WriteString(s + "\r\n") }
	w("From: " + (&mail.Address{Name: "rxintake", Address: e.from}).String())
	w("To: " + e.to)
	w(fmt.Sprintf("Subject: rxintake audit checkpoint (%d)", len(lines)))
	w("Date: " + time.Now().Format(time.RFC1123Z))
	w("Message-ID: <" + msgID + ">")
	w("Auto-Submitted: auto-generated")
	w("MIME-Version: 1.0")
	w("Content-Type: text/plain; charset=us-ascii")
	w("")
	w("Keep this email: it lets anyone check later that rxintake's audit trail")
	w("was not rewritten. `rxintake audit verify --against FILE` reads a saved")
	w("copy of it; the lines below are signed with the practice's checkpoint key.")
	w("")
	for _, l := range lines {
		w(l)
	}
	return e.sender.Send(ctx, &notify.Message{MessageID: msgID, From: e.from, To: []string{e.to}, Bytes: b.Bytes()})
}

// checkpoint takes a checkpoint of the trail and delivers it; failures are
// logged and retried with the next one, never returned: intake goes on.
// The caller holds a.anchorMu.
func (a *app) checkpoint(ctx context.Context, log *slog.Logger) {
	if _, err := a.trail.WriteCheckpointFile(ctx, audit.CheckpointDir(a.cfg.DataDir)); err != nil {
		log.Warn("audit checkpoint not written", "err", err)
		return
	}
	dctx, cancel := context.WithTimeout(ctx, deliverTimeout)
	defer cancel()
	_ = a.trail.Deliver(dctx) // logged and recorded by Deliver
}

// checkpointSoon takes a checkpoint after a review action, in the
// background: once the cycle under way (which holds a.anchorMu) is done,
// without holding up the page. Actions that come while one waits share it.
func (a *app) checkpointSoon(ctx context.Context, log *slog.Logger) <-chan struct{} {
	done := make(chan struct{})
	if !a.anchorPending.CompareAndSwap(false, true) {
		close(done)
		return done
	}
	go func() {
		defer close(done)
		a.anchorMu.Lock()
		defer a.anchorMu.Unlock()
		a.anchorPending.Store(false)
		a.checkpoint(context.WithoutCancel(ctx), log)
	}()
	return done
}
