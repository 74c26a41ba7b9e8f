// Package ops owns what whoever runs rxintake watches (docs/operations.md):
// the health of intake (the last cycle, the mailbox and SMTP at their last
// try, the audit trail, the disk under data_dir, the backlog), served as
// GET /healthz and printed by `rxintake status`; its Prometheus metrics
// (GET /metrics); and the alerts that tell the office manager, by email
// and on the review page, when intake stops and when it recovers.
//
// The worker calls three hooks: BeforeCycle, which refuses a cycle when the
// audit trail cannot be written; AfterCycle, with what the cycle did; and
// ObserveOCRPage. The facts are kept in data_dir/health.json, so that
// `rxintake once` run by cron counts failed cycles across processes and
// `rxintake status` reads what the worker last saw. Nothing here holds
// patient information: counts, times, and error messages about servers.
package ops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/robfig/cron/v3"

	"rxintake/config"
	"rxintake/internal/safeio"
)

var timeNow = time.Now // replaced in tests

// StateFile is the file in data_dir that holds the health facts.
const StateFile = "health.json"

// ErrAuditUnwritable is BeforeCycle's refusal: the audit trail's directory
// cannot be written, and intake does not run without its trail.
var ErrAuditUnwritable = errors.New("ops: the audit trail cannot be written")

// Check is one dependency at its last try.
type Check struct {
	OK    bool      `json:"ok"`
	At    time.Time `json:"at,omitzero"`
	Error string    `json:"error,omitempty"`
	// Failures counts the tries in a row that failed.
	Failures int `json:"failures,omitempty"`
	// Since is when the failures began.
	Since time.Time `json:"since,omitzero"`
}

func (c *Check) record(now time.Time, err error) {
	c.At = now
	if err == nil {
		*c = Check{OK: true, At: now}
		return
	}
	if c.OK || c.Failures == 0 {
		c.Since = now
	}
	c.OK, c.Error = false, err.Error()
	c.Failures++
}

// Cycle is the last intake cycle.
type Cycle struct {
	Started  time.Time `json:"started,omitzero"`
	Finished time.Time `json:"finished,omitzero"`
	OK       bool      `json:"ok"`
	Error    string    `json:"error,omitempty"`
	Fetched  int       `json:"fetched"`
	Errors   int       `json:"errors"`
	Seconds  float64   `json:"seconds"`
}

// State is what health.json holds.
type State struct {
	Cycle   Cycle             `json:"cycle"`
	Mailbox Check             `json:"mailbox"`
	SMTP    Check             `json:"smtp"`
	Audit   Check             `json:"audit"`
	Alerts  map[string]*Alert `json:"alerts,omitempty"`
	// Purged is when the retention purge last ran.
	Purged time.Time `json:"purged,omitzero"`
}

// Result is what a cycle reports to AfterCycle.
type Result struct {
	Started time.Time
	Elapsed time.Duration
	Err     error // the cycle's error; nil when it ran to its end
	// MailboxOK: the cycle logged in to the mailbox. A cycle that failed
	// without it could not reach the mailbox.
	MailboxOK bool
	// AuditErr is set when the audit trail could not be written.
	AuditErr error
	Fetched  int
	Errors   int
}

// Prober checks a server can be reached and logged in to
// (notify.SMTPSender.Probe).
type Prober interface {
	Probe(ctx context.Context) error
}

// Backlog reports what intake has taken in and not finished
// (intake.Ledger.Backlog).
type Backlog func(ctx context.Context) (n int, oldest time.Time, err error)

// Options are what a Monitor is built from.
type Options struct {
	Config *config.Config
	// SMTP is probed after every cycle when set (smtp.host configured).
	SMTP Prober
	// Mailer sends the alert emails; nil sends none (the banner remains).
	Mailer Mailer
	// Backlog, when set, gives the queue depth.
	Backlog Backlog
	// Sources feed the metrics read at each scrape.
	Sources Sources
	Log     *slog.Logger
	// ReadOnly monitors (rxintake status) never write health.json.
	ReadOnly bool
}

// Monitor keeps the health facts of one data_dir.
type Monitor struct {
	cfg      *config.Config
	path     string
	smtp     Prober
	mailer   Mailer
	backlog  Backlog
	log      *slog.Logger
	readOnly bool
	started  time.Time
	metrics  *Metrics

	mu    sync.Mutex
	state State
}

// New loads the health facts kept in data_dir (none yet is no error).
func New(o Options) (*Monitor, error) {
	m := &Monitor{cfg: o.Config, path: filepath.Join(o.Config.DataDir, StateFile), smtp: o.SMTP,
		mailer: o.Mailer, backlog: o.Backlog, log: o.Log, readOnly: o.ReadOnly, started: timeNow()}
	if m.log == nil {
		m.log = slog.Default()
	}
	b, err := os.ReadFile(m.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		// BeforeCycle finds out whether data_dir can be written at all.
		m.log.Warn("health state unreadable; starting afresh", "file", m.path, "err", err)
	default:
		if err := json.Unmarshal(b, &m.state); err != nil {
			// A torn or foreign file: start afresh rather than stop intake.
			m.log.Warn("health state unreadable; starting afresh", "file", m.path, "err", err)
			m.state = State{}
		}
	}
	m.metrics = newMetrics(m, o.Sources)
	return m, nil
}

// State returns a copy of the facts.
func (m *Monitor) State() State {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.state
	s.Alerts = map[string]*Alert{}
	for k, a := range m.state.Alerts {
		c := *a
		s.Alerts[k] = &c
	}
	return s
}

func (m *Monitor) save() {
	if m.readOnly {
		return
	}
	b, err := json.MarshalIndent(m.state, "", "  ")
	if err == nil {
		err = safeio.WriteFile(m.path, append(b, '\n'), 0o600)
	}
	if err != nil {
		m.log.Warn("health state not saved", "file", m.path, "err", err)
	}
}

// BeforeCycle checks that the audit trail can be written (a file written,
// synced and removed where the trail's database lives) and returns
// ErrAuditUnwritable when it cannot: the cycle must not run.
func (m *Monitor) BeforeCycle(ctx context.Context) error {
	now := timeNow()
	err := probeWrite(m.cfg.DataDir)
	m.mu.Lock()
	m.state.Cycle.Started = now
	if err == nil {
		m.save() // `rxintake status` sees the first cycle under way
	}
	m.mu.Unlock()
	if err != nil {
		err = fmt.Errorf("%w: %v", ErrAuditUnwritable, err)
		m.AfterCycle(ctx, Result{Started: now, Err: err, AuditErr: err})
		return err
	}
	return nil
}

// probeWrite writes, syncs and removes a small file in dir: a full disk, a
// read-only mount or lost permissions fail it.
func probeWrite(dir string) error {
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return err
	}
	name := f.Name()
	defer os.Remove(name)
	if _, err := f.Write(make([]byte, 4096)); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// AfterCycle records what a cycle did, probes SMTP, raises or clears the
// alerts and sends their emails, and saves the facts.
func (m *Monitor) AfterCycle(ctx context.Context, r Result) {
	now := timeNow()
	var smtpErr error
	if m.smtp != nil {
		pctx, cancel := context.WithTimeout(ctx, time.Minute)
		smtpErr = m.smtp.Probe(pctx)
		cancel()
	}
	disk := m.disk()
	m.mu.Lock()
	m.state.Cycle = Cycle{Started: r.Started, Finished: now, OK: r.Err == nil, Fetched: r.Fetched,
		Errors: r.Errors, Seconds: r.Elapsed.Seconds()}
	if r.Err != nil {
		m.state.Cycle.Error = r.Err.Error()
	}
	switch {
	case r.MailboxOK:
		m.state.Mailbox.record(now, nil)
	case r.AuditErr == nil && r.Err != nil:
		m.state.Mailbox.record(now, r.Err)
	}
	m.state.Audit.record(now, r.AuditErr)
	if m.smtp != nil {
		m.state.SMTP.record(now, smtpErr)
	}
	m.raise(now, disk)
	m.mu.Unlock()
	m.metrics.cycleDone(r)
	m.notify(ctx)
	m.mu.Lock()
	m.save()
	m.mu.Unlock()
}

// Disk is how full the file system under data_dir is.
type Disk struct {
	UsedPercent  float64 `json:"used_percent"`
	LimitPercent float64 `json:"limit_percent"`
	Error        string  `json:"error,omitempty"`
}

// OK reports whether the disk is below the alert's limit.
func (d Disk) OK() bool { return d.Error == "" && d.UsedPercent < d.LimitPercent }

func (m *Monitor) disk() Disk {
	d := Disk{LimitPercent: m.cfg.Alerts.DiskPercent}
	var st syscall.Statfs_t
	if err := syscall.Statfs(m.cfg.DataDir, &st); err != nil {
		d.Error = err.Error()
		return d
	}
	used := float64(st.Blocks - st.Bfree)
	if total := used + float64(st.Bavail); total > 0 {
		d.UsedPercent = 100 * used / total // as df(1) counts it
	}
	return d
}

// Queue is the backlog.
type Queue struct {
	Unfinished int       `json:"unfinished"`
	Oldest     time.Time `json:"oldest,omitzero"`
	Error      string    `json:"error,omitempty"`
}

// Report is the health of intake at one moment: the facts, and the
// problems they add up to. Healthy is no problem at all.
type Report struct {
	Healthy bool      `json:"healthy"`
	At      time.Time `json:"at"`
	State   State     `json:"state"`
	Disk    Disk      `json:"disk"`
	Queue   Queue     `json:"queue"`
	// Problems say what is wrong, with the servers' error messages;
	// Summary says the same without them, for /healthz.
	Problems []string `json:"problems"`
	Summary  []string `json:"-"`
	// NextCycleBy is when a cycle should have finished at the latest.
	NextCycleBy time.Time `json:"next_cycle_by,omitzero"`
}

// overdueGrace is how long past its second slot a cycle may run before
// the schedule counts as missed: a long backlog of faxes takes a while.
const overdueGrace = 30 * time.Minute

// Report gathers the health of intake now.
func (m *Monitor) Report(ctx context.Context) Report {
	now := timeNow()
	r := Report{At: now, State: m.State(), Disk: m.disk()}
	if m.backlog != nil {
		n, oldest, err := m.backlog(ctx)
		r.Queue = Queue{Unfinished: n, Oldest: oldest}
		if err != nil {
			r.Queue.Error = err.Error()
		}
	}
	s := r.State
	problem := func(format string, args ...any) {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
		r.Summary = append(r.Summary, fmt.Sprintf(format, args...))
	}
	failed := func(summary, detail string) {
		r.Problems = append(r.Problems, summary+": "+detail)
		r.Summary = append(r.Summary, summary)
	}
	ref := s.Cycle.Finished
	if ref.IsZero() {
		ref = s.Cycle.Started // the first cycle, under way
	}
	if ref.IsZero() && !m.readOnly {
		ref = m.started
	}
	if sched, err := cron.ParseStandard(m.cfg.Schedule); err == nil && !ref.IsZero() {
		r.NextCycleBy = sched.Next(sched.Next(ref)).Add(overdueGrace)
	}
	switch {
	case ref.IsZero():
		problem("no intake cycle has run yet")
	case now.After(r.NextCycleBy) && !r.NextCycleBy.IsZero():
		problem("no intake cycle has finished since %s (schedule %q)", ref.UTC().Format(time.RFC3339), m.cfg.Schedule)
	}
	if !s.Mailbox.OK && !s.Mailbox.At.IsZero() {
		failed(fmt.Sprintf("the mailbox could not be reached at the last cycle (%d in a row)", s.Mailbox.Failures), s.Mailbox.Error)
	}
	if m.cfg.SMTP.Host != "" && !s.SMTP.OK && !s.SMTP.At.IsZero() {
		failed(fmt.Sprintf("SMTP could not be reached or logged in to at the last try (%d in a row)", s.SMTP.Failures), s.SMTP.Error)
	}
	if !s.Audit.OK && !s.Audit.At.IsZero() {
		failed("the audit trail cannot be written, so intake is stopped", s.Audit.Error)
	}
	if r.Disk.Error != "" {
		failed("the disk under data_dir cannot be checked", r.Disk.Error)
	} else if !r.Disk.OK() {
		problem("the disk under data_dir is %.0f%% full (the limit is %.0f%%)", r.Disk.UsedPercent, r.Disk.LimitPercent)
	}
	if r.Queue.Error != "" {
		failed("the backlog cannot be read", r.Queue.Error)
	}
	r.Healthy = len(r.Problems) == 0
	if r.Problems == nil {
		r.Problems, r.Summary = []string{}, []string{}
	}
	return r
}

// Overdue reports whether cycles have stopped finishing on schedule: the
// worker is stuck, which the systemd watchdog restarts (docs/operations.md).
func (r Report) Overdue() bool {
	return !r.NextCycleBy.IsZero() && r.At.After(r.NextCycleBy)
}

// purgeEvery is how often the retention purge runs.
const purgeEvery = 24 * time.Hour

// PurgeDue reports whether the daily retention purge is due.
func (m *Monitor) PurgeDue() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.state.Purged.IsZero() || timeNow().Sub(m.state.Purged) >= purgeEvery
}

// Purged records that the retention purge ran.
func (m *Monitor) Purged() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.state.Purged = timeNow()
	m.save()
}
