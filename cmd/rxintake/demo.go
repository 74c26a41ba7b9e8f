package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"gopkg.in/yaml.v3"

	"rxintake/audit"
	"rxintake/config"
	"rxintake/demo"
	"rxintake/intake"
	"rxintake/review"
	"rxintake/validate"
)

const demoUser = "demo"

// runDemo runs one intake cycle of the real worker against the sample
// mailbox (package demo): an IMAP server and an SMTP sink on loopback
// ports, a configuration and a data directory in a temporary folder. It
// prints what became of each sample, then serves the review page until
// interrupted.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	once := fs.Bool("once", false, "exit after the table of outcomes; do not serve the review page")
	out := fs.String("out", "demo-out", "`directory` the emails rxintake sends are written to, as .eml files")
	listen := fs.String("listen", "127.0.0.1:8080", "`address` of the review page (a loopback address)")
	keep := fs.Bool("keep", false, "keep the temporary folder (configuration, data directory) at exit")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rxintake demo [--once] [--out DIR] [--listen ADDR] [--keep]")
		fmt.Fprintln(stderr, "\nRuns rxintake on a dozen sample referrals in an embedded mailbox; no configuration, no network.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitBadConfig
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitBadConfig
	}
	if host, _, err := net.SplitHostPort(*listen); err != nil || !config.IsLoopback(host) {
		fmt.Fprintf(stderr, "rxintake demo: --listen %q: give a loopback host:port, such as 127.0.0.1:8081\n", *listen)
		return exitBadConfig
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "rxintake demo:", err)
		return exitErrors
	}

	samples, err := demo.Samples()
	if err != nil {
		return fail(err)
	}
	mb, err := demo.StartMailbox(samples)
	if err != nil {
		return fail(err)
	}
	defer mb.Close()
	sink, err := demo.StartSink(*out)
	if err != nil {
		return fail(err)
	}
	defer sink.Close()
	tmp, err := os.MkdirTemp("", "rxintake-demo-")
	if err != nil {
		return fail(err)
	}
	if *keep {
		defer fmt.Fprintln(stderr, "rxintake demo: kept", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	cfg, err := writeDemoConfig(tmp, mb, sink, *listen)
	if err != nil {
		return fail(err)
	}

	level := slog.LevelWarn
	if v := os.Getenv("RXINTAKE_LOG"); v != "" {
		level.UnmarshalText([]byte(v))
	}
	prog := newDemoProgress(stderr, level, samples, mb.UIDs)
	log := slog.New(prog)
	slog.SetDefault(log)

	kept := "removed at exit"
	if *keep {
		kept = "kept"
	}
	fmt.Fprintf(stderr, "rxintake demo: %d sample referrals in a mailbox at imap://127.0.0.1:%d; outgoing mail to %s/; data in %s (%s)\n",
		len(samples), mb.Port, *out, filepath.Join(tmp, "data"), kept)
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return fail(err)
	}
	defer a.close()
	prog.start()
	sum, cerr := a.cycle(ctx, log)
	code := exitOK
	if cerr != nil || sum.Errors > 0 {
		code = exitErrors
	}
	if cerr != nil {
		fmt.Fprintln(stderr, "rxintake demo:", cerr)
	}

	rows, err := demoOutcomes(ctx, a, mb, samples, sink.Sent())
	if err != nil {
		return fail(err)
	}
	fmt.Fprintln(stdout)
	printDemoTable(stdout, rows)
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, summaryLine(sum))
	switch n := len(sink.Sent()); {
	case n == 0:
		fmt.Fprintf(stdout, "Correction requests: none sent (%s/ is empty).\n", *out)
	default:
		fmt.Fprintf(stdout, "Correction requests: %d, written to %s/ as .eml files.\n", n, *out)
	}
	if *once || ctx.Err() != nil {
		return code
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(stderr, "rxintake demo: review page: %v (another program uses it? try --listen 127.0.0.1:8081)\n", err)
		return exitErrors
	}
	password := rand.Text()
	fmt.Fprintf(stdout, "\nReview page: http://%s/  user %q, password %q\nPress Ctrl-C to stop.\n", ln.Addr(), demoUser, password)
	if err := serveDemoReview(ctx, a, ln, demoUser, password, log); err != nil {
		return fail(err)
	}
	return code
}

// serveDemoReview serves the review page on ln until ctx ends: one user,
// held in memory, and the data directory of the demo's cycle.
func serveDemoReview(ctx context.Context, a *app, ln net.Listener, user, password string, log *slog.Logger) error {
	users := review.NewUsers()
	if _, err := users.Set(user, password); err != nil {
		return err
	}
	srv, err := review.New(review.Options{Trail: a.trail, Store: a.store, Config: a.cfg,
		Users: users, Notifier: a.reviewNotifier(), Log: log,
		Health: a.mon.HealthHandler(), Metrics: a.mon.MetricsHandler(), Alerts: a.mon.Banner})
	if err != nil {
		return err
	}
	return srv.Serve(ctx, ln)
}

// writeDemoConfig writes the demo's configuration, and the password files
// it names, to dir and loads it.
func writeDemoConfig(dir string, mb *demo.Mailbox, sink *demo.Sink, listen string) (*config.Config, error) {
	imapPW, smtpPW := filepath.Join(dir, "imap-password"), filepath.Join(dir, "smtp-password")
	if err := os.WriteFile(imapPW, []byte(mb.Password+"\n"), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(smtpPW, []byte(sink.Password+"\n"), 0o600); err != nil {
		return nil, err
	}
	type endpoint struct {
		Host         string `yaml:"host"`
		Port         int    `yaml:"port"`
		TLS          string `yaml:"tls"`
		Username     string `yaml:"username"`
		PasswordFile string `yaml:"password_file"`
		Folder       string `yaml:"folder,omitempty"`
		From         string `yaml:"from,omitempty"`
		ReplyTo      string `yaml:"reply_to,omitempty"`
	}
	doc := struct {
		DataDir  string          `yaml:"data_dir"`
		Mailbox  endpoint        `yaml:"mailbox"`
		SMTP     endpoint        `yaml:"smtp"`
		Practice config.Practice `yaml:"practice"`
		Offices  []config.Office `yaml:"offices"`
		Intake   config.Intake   `yaml:"intake"`
		Review   map[string]any  `yaml:"review"`
		Audit    map[string]any  `yaml:"audit"`
	}{
		DataDir: "data",
		Mailbox: endpoint{Host: mb.Host, Port: mb.Port, TLS: "none", Username: mb.Username, PasswordFile: imapPW, Folder: mb.Folder},
		SMTP: endpoint{Host: sink.Host, Port: sink.Port, TLS: "none", Username: sink.Username, PasswordFile: smtpPW,
			From: demo.PracticeName + " <" + demo.PracticeAddress + ">", ReplyTo: "frontdesk@baysidemassage.example"},
		Practice: config.Practice{Name: demo.PracticeName, Phone: "(941) 555-0198", Fax: "(941) 555-0199"},
		Offices:  demo.Offices,
		Intake:   config.Intake{AuthservID: demo.AuthservID, FaxSenders: demo.FaxSenders},
		Review:   map[string]any{"listen": listen, "admins": []string{demoUser}},
		// The key that signs checkpoints sits beside data_dir, not in it.
		Audit: map[string]any{"checkpoint_key_file": "checkpoint.key"},
	}
	if _, err := audit.WriteSigningKey(filepath.Join(dir, "checkpoint.key")); err != nil {
		return nil, err
	}
	b, err := yaml.Marshal(doc)
	if err != nil {
		return nil, err
	}
	b = append([]byte("# Written by `rxintake demo` for its sample mailbox and mail sink.\n"), b...)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, err
	}
	return config.Load(path)
}

// demoOutcome is a line of the demo's table.
type demoOutcome struct {
	sample   demo.Sample
	caseID   string
	status   string
	folder   string
	findings string   // what was missing or wrong
	emailTo  []string // recipients of the correction request
}

// demoOutcomes reads what became of each sample: its ledger entry, its case
// record, and the correction request the mail sink received for it.
func demoOutcomes(ctx context.Context, a *app, mb *demo.Mailbox, samples []demo.Sample, sent []demo.Sent) ([]demoOutcome, error) {
	rows := make([]demoOutcome, 0, len(samples))
	for i, s := range samples {
		row := demoOutcome{sample: s, status: "not taken"}
		key := intake.MessageKey{Account: mb.Username, Mailbox: mb.Folder, UIDValidity: mb.UIDValidity, UID: mb.UIDs[i]}
		e, err := a.ledger.Entry(ctx, key)
		if errors.Is(err, intake.ErrNoEntry) {
			rows = append(rows, row)
			continue
		}
		if err != nil {
			return nil, err
		}
		row.caseID, row.folder = e.CaseID, e.Folder
		row.status = string(e.Outcome)
		if row.status == "" {
			row.status = string(e.State)
		}
		if rec, err := a.store.Record(ctx, e.CaseID); err == nil {
			row.findings = describeFindings(rec.Findings)
		} else {
			row.findings = strings.Join(e.Reasons, "; ")
		}
		for _, m := range sent {
			if slices.Contains(m.InReplyTo, s.MessageID) || slices.Contains(m.References, s.MessageID) ||
				(e.CaseID != "" && strings.Contains(m.Subject, e.CaseID)) {
				row.emailTo = append(row.emailTo, m.To...)
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// describeFindings lists the rule ids of the errors, then of the warnings.
func describeFindings(fs []validate.Finding) string {
	var errs, warns []string
	for _, f := range fs {
		if f.Severity == validate.Error {
			errs = append(errs, f.Rule)
		} else {
			warns = append(warns, f.Rule)
		}
	}
	s := strings.Join(errs, ", ")
	if len(warns) > 0 {
		if s != "" {
			s += "; "
		}
		s += "warnings: " + strings.Join(warns, ", ")
	}
	return s
}

func printDemoTable(w io.Writer, rows []demoOutcome) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tSAMPLE\tARRIVED AS\tCASE\tSTATUS\tMISSING OR WRONG\tEMAIL SENT TO")
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	for i, r := range rows {
		lines := wrapList(dash(r.findings), 44)
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", i+1, r.sample.Name, r.sample.Kind, dash(r.caseID), r.status,
			lines[0], dash(strings.Join(r.emailTo, ", ")))
		for _, l := range lines[1:] {
			fmt.Fprintf(tw, "\t\t\t\t\t%s\t\n", l)
		}
	}
	tw.Flush()
}

// wrapList breaks a list of words at spaces into lines of at most width
// bytes (a longer word gets a line of its own).
func wrapList(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

// demoProgress is the demo's log handler: one line per message decided,
// and the records at or above level as the usual text log.
type demoProgress struct {
	*sharedProgress
	text  slog.Handler
	attrs []slog.Attr
}

type sharedProgress struct {
	mu    sync.Mutex
	w     io.Writer
	names map[uint64]string // sample name by UID
	total int
	done  int
	last  time.Time
}

func newDemoProgress(w io.Writer, level slog.Level, samples []demo.Sample, uids []uint32) *demoProgress {
	p := &sharedProgress{w: w, names: map[uint64]string{}, total: len(samples), last: time.Now()}
	for i, uid := range uids {
		p.names[uint64(uid)] = samples[i].Name
	}
	return &demoProgress{sharedProgress: p, text: slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})}
}

func (p *demoProgress) start() {
	p.mu.Lock()
	p.last = time.Now()
	p.mu.Unlock()
}

func (p *demoProgress) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelInfo || p.text.Enabled(ctx, l)
}

func (p *demoProgress) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "message decided" {
		var uid uint64
		var status, caseID string
		each := func(a slog.Attr) bool {
			switch a.Key {
			case "uid":
				if v := a.Value.Resolve(); v.Kind() == slog.KindUint64 {
					uid = v.Uint64()
				}
			case "status":
				status = a.Value.String()
			case "case":
				caseID = a.Value.String()
			}
			return true
		}
		for _, a := range p.attrs {
			each(a)
		}
		r.Attrs(each)
		p.mu.Lock()
		p.done++
		now := time.Now()
		fmt.Fprintf(p.w, "[%2d/%d] %-22s %-10s %-16s %5.1f s\n", p.done, p.total, p.names[uid], caseID, status, now.Sub(p.last).Seconds())
		p.last = now
		p.mu.Unlock()
	}
	if p.text.Enabled(ctx, r.Level) {
		return p.text.Handle(ctx, r)
	}
	return nil
}

func (p *demoProgress) WithAttrs(as []slog.Attr) slog.Handler {
	return &demoProgress{sharedProgress: p.sharedProgress, text: p.text.WithAttrs(as), attrs: append(slices.Clip(p.attrs), as...)}
}

func (p *demoProgress) WithGroup(name string) slog.Handler {
	return &demoProgress{sharedProgress: p.sharedProgress, text: p.text.WithGroup(name), attrs: p.attrs}
}
