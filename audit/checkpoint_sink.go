package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Every checkpoint leaves the machine (docs/audit.md): Deliver hands the
// checkpoints a sink has not had yet to it, and records in
// audit_checkpoint_delivery how far each sink got. A sink that fails keeps
// its place and its error, and gets the same lines again at the next
// Deliver; nothing waits for it.

// Sink receives checkpoint lines off the machine.
type Sink interface {
	// Name identifies the sink in audit_checkpoint_delivery and in
	// messages: "file /mnt/archive/rxintake-checkpoints.txt".
	Name() string
	// Send delivers lines, oldest first, each a checkpoint line without a
	// newline. It returns only when they are stored or sent.
	Send(ctx context.Context, lines []string) error
}

// Spacer is a Sink that takes deliveries at most once per Spacing: the
// lines wait, and the next delivery carries them all.
type Spacer interface {
	Spacing() time.Duration
}

// deliverMax bounds the lines of one delivery: when more are pending, the
// newest go, since each signed checkpoint covers every entry before it.
const deliverMax = 500

// Delivery is where one sink stands.
type Delivery struct {
	Sink         string
	SentThrough  int64     // the last checkpoint record it has, 0 for none
	SentAt       time.Time // when it last took a delivery
	FailingSince time.Time // zero when its last attempt succeeded
	Failures     int       // attempts failed in a row
	LastError    string
}

// Deliver sends every sink the checkpoints it has not had yet. Failures are
// recorded and logged, and returned joined; the caller goes on regardless.
// A Deliver already running in this process makes this one return at once:
// what it leaves goes with the next.
func (t *Trail) Deliver(ctx context.Context) error {
	if len(t.opts.Sinks) == 0 || !t.deliverMu.TryLock() {
		return nil
	}
	defer t.deliverMu.Unlock()
	var errs []error
	for _, s := range t.opts.Sinks {
		if err := t.deliverTo(ctx, s); err != nil {
			t.log.WarnContext(ctx, "audit checkpoint not delivered; it will be sent again after the next checkpoint",
				"sink", s.Name(), "err", err)
			errs = append(errs, fmt.Errorf("audit: deliver checkpoints to %s: %w", s.Name(), err))
		}
	}
	return errors.Join(errs...)
}

func (t *Trail) deliverTo(ctx context.Context, s Sink) error {
	d, err := t.delivery(ctx, s.Name())
	if err != nil {
		return err
	}
	now := timeNow().UTC()
	if sp, ok := s.(Spacer); ok && !d.SentAt.IsZero() && now.Sub(d.SentAt) < sp.Spacing() {
		return nil
	}
	rows, err := t.db.QueryContext(ctx, `SELECT id, line FROM (SELECT id, line FROM audit_checkpoint WHERE id > ?
		ORDER BY id DESC LIMIT ?) AS recent ORDER BY id`, d.SentThrough, deliverMax)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrStore, err)
	}
	var lines []string
	var last int64
	for rows.Next() {
		var line string
		if err := rows.Scan(&last, &line); err != nil {
			rows.Close()
			return fmt.Errorf("%w: %v", ErrStore, err)
		}
		lines = append(lines, line)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%w: %v", ErrStore, err)
	}
	if len(lines) == 0 {
		return nil
	}
	sendErr := s.Send(ctx, lines)
	if sendErr != nil {
		if d.FailingSince.IsZero() {
			d.FailingSince = now
		}
		d.Failures++
		d.LastError = sendErr.Error()
	} else {
		d = Delivery{Sink: d.Sink, SentThrough: last, SentAt: now}
	}
	err = t.putDelivery(ctx, d)
	return errors.Join(sendErr, err)
}

const deliveryColumns = `sink, sent_through, sent_at, failing_since, failures, last_error`

func (t *Trail) delivery(ctx context.Context, sink string) (Delivery, error) {
	d := Delivery{Sink: sink}
	var sent, failing string
	err := t.db.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM audit_checkpoint_delivery WHERE sink = ?`, sink).
		Scan(&d.Sink, &d.SentThrough, &sent, &failing, &d.Failures, &d.LastError)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("%w: %v", ErrStore, err)
	}
	d.SentAt, _ = time.Parse(time.RFC3339, sent)
	d.FailingSince, _ = time.Parse(time.RFC3339, failing)
	return d, nil
}

func (t *Trail) putDelivery(ctx context.Context, d Delivery) error {
	stamp := func(at time.Time) string {
		if at.IsZero() {
			return ""
		}
		return at.UTC().Format(time.RFC3339)
	}
	_, err := t.db.ExecContext(ctx, `INSERT INTO audit_checkpoint_delivery (`+deliveryColumns+`) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (sink) DO UPDATE SET sent_through = excluded.sent_through, sent_at = excluded.sent_at,
		failing_since = excluded.failing_since, failures = excluded.failures, last_error = excluded.last_error`,
		d.Sink, d.SentThrough, stamp(d.SentAt), stamp(d.FailingSince), d.Failures, d.LastError)
	if err != nil {
		return fmt.Errorf("%w: record delivery: %v", ErrStore, err)
	}
	return nil
}

// Deliveries reports where every sink that was ever delivered to stands,
// configured now or not, in the order of their names.
func (t *Trail) Deliveries(ctx context.Context) ([]Delivery, error) {
	rows, err := t.db.QueryContext(ctx, `SELECT sink FROM audit_checkpoint_delivery ORDER BY sink`)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStore, err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%w: %v", ErrStore, err)
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStore, err)
	}
	var ds []Delivery
	for _, n := range names {
		d, err := t.delivery(ctx, n)
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return ds, nil
}

// FileSink appends checkpoint lines to a file, normally on another mount
// than data_dir (an NFS or USB archive, a file the backup system ships
// away, a file with chattr +a). It creates the file if needed.
type FileSink struct{ Path string }

// Name implements Sink.
func (f FileSink) Name() string { return "file " + f.Path }

// Send implements Sink: the lines are appended and synced to disk.
func (f FileSink) Send(ctx context.Context, lines []string) error {
	fh, err := os.OpenFile(f.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	_, err = fh.WriteString(strings.Join(lines, "\n") + "\n")
	return errors.Join(err, fh.Sync(), fh.Close())
}

// CheckSinkFile refuses a checkpoint file inside dataDir: a copy there
// goes wherever the database goes, to whoever can rewrite it.
func CheckSinkFile(path, dataDir string) error {
	inside, err := within(path, dataDir)
	if err != nil {
		return err
	}
	if inside {
		return fmt.Errorf("%s is inside data_dir %s: put it on another mount", path, dataDir)
	}
	if !filepath.IsAbs(path) {
		return fmt.Errorf("%s is not an absolute path", path)
	}
	return nil
}
