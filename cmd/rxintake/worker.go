package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"rxintake/assist"
	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/casework"
	"rxintake/config"
	"rxintake/extract"
	"rxintake/intake"
	"rxintake/internal/sqldb"
	"rxintake/notify"
	"rxintake/ops"
	"rxintake/validate"
)

// app is everything a cycle needs, opened once per process.
type app struct {
	cfg      *config.Config
	db       *sql.DB
	ledger   *intake.Ledger
	trail    *audit.Trail
	store    *casefile.Store
	pool     *extract.OCRPool
	notifier *notify.Notifier // nil without smtp.host: no correction requests
	proc     *casework.Processor
	worker   *intake.Worker
	mon      *ops.Monitor // health, metrics, alerts (docs/operations.md)
	// anchorMu is held by a cycle and by a checkpoint: a checkpoint sees
	// the cases as a whole cycle or review action left them.
	anchorMu      sync.Mutex
	anchorPending atomic.Bool // a review action's checkpoint is waiting
}

// openApp opens the database and builds the stages, each given what it
// uses: the case store and the trail, the notifier (when smtp.host is set),
// the processor that reads and decides, and the intake worker over the
// ledger.
func openApp(ctx context.Context, cfg *config.Config, log *slog.Logger) (*app, error) {
	a := &app{cfg: cfg}
	var err error
	if a.db, err = openDB(ctx, cfg); err != nil {
		return nil, err
	}
	topts, err := trailOptions(cfg, log, true)
	if err != nil {
		a.close()
		return nil, err
	}
	if a.trail, err = audit.NewTrail(ctx, a.db, topts); err != nil {
		a.close()
		return nil, err
	}
	if a.store, err = casefile.New(ctx, a.db, cfg.DataDir); err != nil {
		a.close()
		return nil, err
	}
	if a.ledger, err = intake.NewLedger(ctx, a.db, a.store); err != nil {
		a.close()
		return nil, err
	}
	profile, err := validate.ProfileFor(cfg, "")
	if err != nil {
		a.close()
		return nil, err
	}
	a.pool = extract.NewOCRPool(extract.OCROptions{Workers: cfg.OCR.Workers, Timeout: cfg.Limits.OCRPerPage,
		MaxPixels: cfg.Limits.PixelsPerPage, Language: cfg.OCR.Language,
		PageDone: func(d time.Duration) { a.mon.ObserveOCRPage(d) }})
	reader := extract.NewReader(a.pool, extract.Limits{PagesPerDocument: cfg.Limits.PagesPerDocument,
		PixelsPerPage: cfg.Limits.PixelsPerPage, BytesPerMessage: cfg.Limits.BytesPerMessage})
	reader.KeepImages = true
	if a.notifier, err = newNotifier(ctx, a, log); err != nil {
		a.close()
		return nil, err
	}
	a.proc = &casework.Processor{Reader: reader, Profile: profile, Store: a.store, Log: log, Trail: a.trail}
	if a.notifier != nil {
		a.proc.Notifier = a.notifier
	}
	if sr, err := assist.FromConfig(cfg.LLM, a.trail, log); err != nil {
		a.close()
		return nil, err
	} else if sr != nil {
		a.proc.SecondReader = sr
	}
	if a.worker, err = intake.New(cfg, a.ledger, a.proc, intake.Options{Logger: log, Trail: a.trail}); err != nil {
		a.close()
		return nil, err
	}
	if a.mon, err = newMonitor(a, log, false); err != nil {
		a.close()
		return nil, err
	}
	sum := sha256.Sum256(cfg.Raw())
	if err := a.trail.ConfigLoaded(ctx, hex.EncodeToString(sum[:]), versionString()); err != nil {
		log.Warn("audit trail: config loaded not recorded", "err", err)
	}
	return a, nil
}

// cycleLock names the database's cycle lock (sqldb.TryLock).
const cycleLock = "rxintake cycle"

// openDB opens the database `database:` names: SQLite in data_dir by
// default, or PostgreSQL with the password its keys name.
func openDB(ctx context.Context, cfg *config.Config) (*sql.DB, error) {
	password, err := cfg.DatabasePassword()
	if err != nil {
		return nil, err
	}
	return sqldb.OpenURL(ctx, cfg.Database, cfg.DataDir, password)
}

func (a *app) close() {
	if a.pool != nil {
		a.pool.Close()
	}
	if a.db != nil {
		a.db.Close()
	}
}

// cycle runs one intake cycle and the work that follows it, then takes a
// checkpoint of the trail.
//
// With PostgreSQL, workers on other hosts may share the database: the
// cycle lock of the database makes them take turns, as the lock file of
// data_dir does for the processes of one host. A worker that finds it
// held skips the cycle, as for intake.ErrBusy.
//
// Around it the monitor (docs/operations.md): no cycle runs while the audit
// trail cannot be written, and what the cycle did goes into the health
// facts, the metrics and the alerts.
func (a *app) cycle(ctx context.Context, log *slog.Logger) (intake.Summary, error) {
	a.anchorMu.Lock()
	defer a.anchorMu.Unlock()
	release, ok, err := sqldb.TryLock(ctx, a.db, cycleLock)
	if err != nil {
		return intake.Summary{}, fmt.Errorf("cycle lock: %w", err)
	}
	if !ok {
		err := fmt.Errorf("%w: a worker sharing the database holds its cycle lock", intake.ErrBusy)
		log.Warn("skipped: " + err.Error())
		return intake.Summary{}, err
	}
	defer release()
	start := time.Now()
	if err := a.mon.BeforeCycle(ctx); err != nil {
		log.Error("intake cycle not run", "err", err)
		return intake.Summary{}, err
	}
	// intake.cycle_timeout covers the intake cycle and the delivery after
	// it; the checkpoint is taken whatever time is left.
	cctx, cancel := ctx, context.CancelFunc(func() {})
	if d := a.cfg.Intake.CycleTimeout; d > 0 {
		cctx, cancel = context.WithTimeout(ctx, d)
	}
	defer cancel()
	sum, err := a.worker.RunCycle(cctx)
	if errors.Is(err, intake.ErrBusy) {
		log.Warn("skipped: " + err.Error())
		return sum, err
	}
	if a.notifier != nil {
		if nerr := a.notifier.AfterCycle(cctx); nerr != nil {
			log.Error("after cycle", "err", nerr)
			err = errors.Join(err, nerr)
		}
	}
	if ctx.Err() == nil && a.mon.PurgeDue() {
		a.purge(ctx, log)
	}
	a.checkpoint(ctx, log)
	if ctx.Err() == nil {
		r := ops.Result{Started: start, Elapsed: time.Since(start), Err: err,
			MailboxOK: !errors.As(err, new(*intake.MailboxError)), Fetched: sum.Fetched, Errors: sum.Errors}
		if errors.Is(err, intake.ErrAuditTrail) {
			r.AuditErr = err
		}
		a.mon.AfterCycle(ctx, r)
	}
	return sum, err
}

func loadConfig(fs *flag.FlagSet, path string, stderr io.Writer) (*config.Config, int) {
	if path == "" {
		fmt.Fprintln(stderr, "rxintake: --config FILE is required")
		fs.Usage()
		return nil, exitBadConfig
	}
	cfg, err := config.Load(path)
	if err != nil {
		fmt.Fprintln(stderr, "rxintake:", err)
		return nil, exitBadConfig
	}
	return cfg, exitOK
}

// startApp parses a worker command's flags, loads the configuration and
// opens the app; on failure it returns the exit code.
func startApp(ctx context.Context, name string, args []string, stderr io.Writer, log *slog.Logger) (*app, int) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "configuration `file`")
	if err := fs.Parse(args); err != nil {
		return nil, exitBadConfig
	}
	cfg, code := loadConfig(fs, *cfgPath, stderr)
	if cfg == nil {
		return nil, code
	}
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		fmt.Fprintln(stderr, "rxintake:", err)
		if errors.Is(err, config.ErrInvalid) {
			return nil, exitBadConfig
		}
		return nil, exitErrors
	}
	return a, exitOK
}

func runOnce(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	log := slog.Default()
	a, code := startApp(ctx, "once", args, stderr, log)
	if a == nil {
		return code
	}
	defer a.close()
	sum, err := a.cycle(ctx, log)
	if errors.Is(err, intake.ErrBusy) {
		fmt.Fprintln(stderr, "rxintake:", err)
		return exitOK
	}
	fmt.Fprintln(stdout, summaryLine(sum))
	if err != nil || sum.Errors > 0 {
		if err != nil {
			fmt.Fprintln(stderr, "rxintake:", err)
		}
		return exitErrors
	}
	return exitOK
}

func summaryLine(s intake.Summary) string {
	return fmt.Sprintf("cycle: fetched %d, complete %d, needs-correction %d, needs-review %d, errors %d, %.1f s",
		s.Fetched, s.Complete, s.NeedsCorrection, s.NeedsReview, s.Errors, s.Elapsed.Seconds())
}

func runWorker(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	log := slog.Default()
	a, code := startApp(ctx, "run", args, stderr, log)
	if a == nil {
		return code
	}
	defer a.close()
	sched, _ := cron.ParseStandard(a.cfg.Schedule) // checked at load
	if err := serveReview(ctx, a, log); err != nil {
		fmt.Fprintln(stderr, "rxintake:", err)
		return exitErrors
	}
	// One cycle at a time, run by one loop. A schedule slot that comes
	// while a cycle runs is skipped (the next slot will do); new mail that
	// IDLE reports while a cycle runs starts one more cycle after it, since
	// the running one may have listed the folder already.
	kick := make(chan struct{}, 1)
	wake := func() {
		select {
		case kick <- struct{}{}:
		default: // a cycle is due already
		}
	}
	var running atomic.Bool
	var loops sync.WaitGroup
	// The OCR workers start, and load their models, before the first
	// referral arrives; the first cycle runs meanwhile.
	loops.Go(func() {
		if err := a.pool.Warm(ctx); err != nil && ctx.Err() == nil {
			log.Warn("OCR workers could not be started ahead: they start with the first page", "error", err)
		}
	})
	loops.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-kick:
			}
			running.Store(true)
			sum, err := a.cycle(ctx, log)
			running.Store(false)
			if err == nil || !errors.Is(err, intake.ErrBusy) {
				log.Info(summaryLine(sum))
			}
		}
	})
	c := cron.New()
	c.Schedule(sched, cron.FuncJob(func() {
		if !running.Load() {
			wake()
		}
	}))
	log.Info("rxintake running", "schedule", a.cfg.Schedule, "idle", a.cfg.Intake.Idle, "next", sched.Next(time.Now()).Format(time.RFC3339))
	wake() // the first cycle at start
	c.Start()
	go a.mon.Serve(ctx) // systemd's READY=1 and watchdog
	if a.cfg.Intake.Idle {
		loops.Go(func() {
			err := a.worker.Watch(ctx, wake)
			switch {
			case errors.Is(err, intake.ErrNoIdle):
				log.Info("the mail server does not offer IDLE: cycles run on the schedule alone")
			case err != nil && ctx.Err() == nil:
				log.Error("IDLE watch stopped: cycles run on the schedule alone", "error", err)
			}
		})
	}
	<-ctx.Done()
	log.Info("stopping: finishing the current message")
	<-c.Stop().Done()
	loops.Wait()
	return exitOK
}
