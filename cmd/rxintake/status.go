package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"rxintake/casefile"
	"rxintake/intake"
	"rxintake/internal/sqldb"
	"rxintake/notify"
	"rxintake/ops"
)

// newMonitor builds a's monitor: SMTP probed after each cycle and alert
// emails sent through it (alerts.to), the backlog and the metrics' counts
// read from the database. A read-only one (rxintake status) probes and
// sends nothing, and writes no state.
func newMonitor(a *app, log *slog.Logger, readOnly bool) (*ops.Monitor, error) {
	o := ops.Options{Config: a.cfg, Log: log, ReadOnly: readOnly}
	if a.cfg.SMTP.Host != "" && !readOnly {
		from, err := mail.ParseAddress(a.cfg.SMTP.From)
		if err != nil {
			return nil, fmt.Errorf("config: smtp.from: %w", err)
		}
		_, domain, _ := strings.Cut(from.Address, "@")
		s, err := notify.NewSMTPSender(a.cfg.SMTP, domain)
		if err != nil {
			return nil, err
		}
		o.SMTP = s
		if a.cfg.Alerts.To != "" {
			o.Mailer = s
		}
	}
	if a.ledger != nil {
		o.Backlog = a.ledger.Backlog
		o.Sources.Messages = a.ledger.Outcomes
	}
	if a.store != nil {
		o.Sources.Documents = func(ctx context.Context) (map[string]int, error) {
			c, err := a.store.Counts(ctx)
			out := map[string]int{}
			for s, n := range c {
				out[string(s)] = n
			}
			return out, err
		}
	}
	if a.notifier != nil {
		o.Sources.Corrections = a.notifier.Outbox
	}
	if a.trail != nil {
		o.Sources.AuditEntries = a.trail.Written
	}
	return ops.New(o)
}

// runStatus prints the health of intake from what the worker last saw
// (data_dir/health.json) and the database: the facts GET /healthz serves.
// Exit 0 healthy, 1 not, 2 bad configuration.
func runStatus(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "configuration `file`")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	quiet := fs.Bool("quiet", false, "print nothing; the exit code says it (for health checks)")
	if err := fs.Parse(args); err != nil {
		return exitBadConfig
	}
	cfg, code := loadConfig(fs, *cfgPath, stderr)
	if cfg == nil {
		return code
	}
	a := &app{cfg: cfg}
	defer a.close()
	// The database is read only when it is there: status creates nothing.
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "rxintake.db")); err == nil {
		db, err := sqldb.Open(ctx, cfg.DataDir)
		if err != nil {
			fmt.Fprintln(stderr, "rxintake:", err)
			return exitErrors
		}
		a.db = db
		if a.store, err = casefile.New(ctx, db, cfg.DataDir); err == nil {
			a.ledger, err = intake.NewLedger(ctx, db, a.store)
		}
		if err != nil {
			fmt.Fprintln(stderr, "rxintake:", err)
			return exitErrors
		}
	}
	mon, err := newMonitor(a, slog.Default(), true)
	if err != nil {
		fmt.Fprintln(stderr, "rxintake:", err)
		return exitErrors
	}
	rep := mon.Report(ctx)
	switch {
	case *quiet:
	case *asJSON:
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
	default:
		printStatus(stdout, rep, cfg.SMTP.Host != "")
	}
	if !rep.Healthy {
		return exitErrors
	}
	return exitOK
}

func printStatus(w io.Writer, r ops.Report, smtp bool) {
	when := func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return t.Local().Format("2006-01-02 15:04:05 MST")
	}
	check := func(c ops.Check, good string) string {
		switch {
		case c.At.IsZero():
			return "not tried yet"
		case c.OK:
			return good + " at " + when(c.At)
		}
		return fmt.Sprintf("FAILING since %s, %d in a row: %s", when(c.Since), c.Failures, c.Error)
	}
	verdict := "healthy"
	if !r.Healthy {
		verdict = "FAILING"
	}
	fmt.Fprintf(w, "rxintake status: %s\n", verdict)
	c := r.State.Cycle
	line := "never"
	if !c.Finished.IsZero() {
		res := "ok"
		if !c.OK {
			res = "failed: " + c.Error
		}
		line = fmt.Sprintf("%s, %.1f s, fetched %d, errors %d, %s", when(c.Finished), c.Seconds, c.Fetched, c.Errors, res)
	}
	fmt.Fprintf(w, "  %-12s %s\n", "last cycle", line)
	if !r.NextCycleBy.IsZero() {
		fmt.Fprintf(w, "  %-12s %s\n", "next by", when(r.NextCycleBy))
	}
	fmt.Fprintf(w, "  %-12s %s\n", "mailbox", check(r.State.Mailbox, "logged in"))
	if smtp {
		fmt.Fprintf(w, "  %-12s %s\n", "smtp", check(r.State.SMTP, "logged in"))
	} else {
		fmt.Fprintf(w, "  %-12s %s\n", "smtp", "not configured (smtp.host)")
	}
	fmt.Fprintf(w, "  %-12s %s\n", "audit trail", check(r.State.Audit, "writable"))
	if r.Disk.Error != "" {
		fmt.Fprintf(w, "  %-12s cannot be checked: %s\n", "disk", r.Disk.Error)
	} else {
		fmt.Fprintf(w, "  %-12s %.1f%% used (alert at %.0f%%)\n", "disk", r.Disk.UsedPercent, r.Disk.LimitPercent)
	}
	q := fmt.Sprintf("%d messages taken in and not yet filed", r.Queue.Unfinished)
	if !r.Queue.Oldest.IsZero() {
		q += fmt.Sprintf(", the oldest since %s", when(r.Queue.Oldest))
	}
	fmt.Fprintf(w, "  %-12s %s\n", "queue", q)
	var alerts []string
	for _, a := range r.State.Alerts {
		s := fmt.Sprintf("%s since %s", a.Kind, when(a.Since))
		switch {
		case !a.Cleared.IsZero():
			s += ", over, recovery email pending"
		case a.Notified:
			s += ", email sent"
		}
		alerts = append(alerts, s)
	}
	sort.Strings(alerts)
	if len(alerts) == 0 {
		alerts = []string{"none"}
	}
	fmt.Fprintf(w, "  %-12s %s\n", "alerts", strings.Join(alerts, "; "))
	if !r.State.Purged.IsZero() {
		fmt.Fprintf(w, "  %-12s %s\n", "last purge", when(r.State.Purged))
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "problem: %s\n", p)
	}
}
