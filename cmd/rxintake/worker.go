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
	if a.db, err = sqldb.Open(ctx, cfg.DataDir); err != nil {
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
		MaxPixels: cfg.Limits.PixelsPerPage, Language: cfg.OCR.Language})
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
	sum := sha256.Sum256(cfg.Raw())
	if err := a.trail.ConfigLoaded(ctx, hex.EncodeToString(sum[:]), versionString()); err != nil {
		log.Warn("audit trail: config loaded not recorded", "err", err)
	}
	return a, nil
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
func (a *app) cycle(ctx context.Context, log *slog.Logger) (intake.Summary, error) {
	a.anchorMu.Lock()
	defer a.anchorMu.Unlock()
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
	a.checkpoint(ctx, log)
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
	// One cycle at a time: a cycle that outlasts its slot makes the next
	// one wait for the following slot.
	job := cron.NewChain(cron.SkipIfStillRunning(cron.DiscardLogger)).Then(cron.FuncJob(func() {
		if ctx.Err() != nil {
			return
		}
		sum, err := a.cycle(ctx, log)
		if err == nil || !errors.Is(err, intake.ErrBusy) {
			log.Info(summaryLine(sum))
		}
	}))
	c := cron.New()
	c.Schedule(sched, job)
	log.Info("rxintake running", "schedule", a.cfg.Schedule, "next", sched.Next(time.Now()).Format(time.RFC3339))
	var first sync.WaitGroup
	first.Go(job.Run) // the first cycle at start
	c.Start()
	<-ctx.Done()
	log.Info("stopping: finishing the current message")
	<-c.Stop().Done()
	first.Wait()
	return exitOK
}
