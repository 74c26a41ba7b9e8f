package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"rxintake/audit"
	"rxintake/internal/sqldb"
)

// rxintake audit verify|export: the audit trail from the command line.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	usage := func() {
		fmt.Fprintln(stderr, "usage: rxintake audit verify --config FILE [--against CHECKPOINT_FILE]")
		fmt.Fprintln(stderr, "       rxintake audit export --config FILE --format csv|jsonl [--out FILE]")
	}
	if len(args) == 0 {
		usage()
		return exitBadConfig
	}
	switch args[0] {
	case "verify":
		return runAuditVerify(ctx, args[1:], stdout, stderr)
	case "export":
		return runAuditExport(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		usage()
		return exitOK
	}
	fmt.Fprintf(stderr, "rxintake audit: unknown command %q\n", args[0])
	usage()
	return exitBadConfig
}

// openTrail loads the configuration and opens the trail of its existing
// database, read for verifying or exporting: a data directory without one
// is an error, not a new trail. On failure it says why on stderr and
// returns the exit code.
func openTrail(ctx context.Context, fs *flag.FlagSet, cfgPath string, stderr io.Writer) (*audit.Trail, *sql.DB, int) {
	cfg, code := loadConfig(fs, cfgPath, stderr)
	if cfg == nil {
		return nil, nil, code
	}
	fail := func(err error) (*audit.Trail, *sql.DB, int) {
		fmt.Fprintln(stderr, "rxintake: audit trail cannot be read:", err)
		return nil, nil, exitBadConfig
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, sqldb.DBFile)); err != nil {
		return fail(fmt.Errorf("no audit trail: %w", err))
	}
	db, err := sqldb.Open(ctx, cfg.DataDir)
	if err != nil {
		return fail(err)
	}
	tr, err := audit.NewTrail(ctx, db, audit.TrailOptions{CheckpointDir: audit.CheckpointDir(cfg.DataDir),
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		db.Close()
		return fail(err)
	}
	return tr, db, exitOK
}

// runAuditVerify exits 0 when the trail is intact, 1 when it was tampered
// with, 2 when it cannot be read (or the configuration is bad).
func runAuditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "configuration `file`")
	against := fs.String("against", "", "also compare with the checkpoints in this `file` (a checkpoint file or a saved digest email)")
	if err := fs.Parse(args); err != nil {
		return exitBadConfig
	}
	tr, db, code := openTrail(ctx, fs, *cfgPath, stderr)
	if tr == nil {
		return code
	}
	defer db.Close()
	var rep audit.Report
	var err error
	if *against != "" {
		rep, err = tr.VerifyAgainst(ctx, *against)
	} else {
		rep, err = tr.Verify(ctx)
	}
	if err != nil {
		fmt.Fprintln(stderr, "rxintake: audit trail cannot be read:", err)
		return exitBadConfig
	}
	fmt.Fprintln(stdout, rep.String())
	if !rep.OK {
		return exitErrors
	}
	return exitOK
}

func runAuditExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "configuration `file`")
	format := fs.String("format", "csv", "csv or jsonl")
	out := fs.String("out", "", "write to this `file` instead of standard output")
	if err := fs.Parse(args); err != nil {
		return exitBadConfig
	}
	if *format != "csv" && *format != "jsonl" {
		fmt.Fprintf(stderr, "rxintake: --format %q: use csv or jsonl\n", *format)
		return exitBadConfig
	}
	tr, db, code := openTrail(ctx, fs, *cfgPath, stderr)
	if tr == nil {
		return code
	}
	defer db.Close()
	w := stdout
	var f *os.File
	var err error
	if *out != "" {
		if f, err = os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600); err != nil {
			fmt.Fprintln(stderr, "rxintake:", err)
			return exitErrors
		}
		w = f
	}
	bw := bufio.NewWriter(w)
	if *format == "csv" {
		err = tr.ExportCSV(ctx, bw)
	} else {
		err = tr.ExportJSONL(ctx, bw)
	}
	err = errors.Join(err, bw.Flush())
	if f != nil {
		err = errors.Join(err, f.Sync(), f.Close())
	}
	if err != nil {
		fmt.Fprintln(stderr, "rxintake: export:", err)
		return exitErrors
	}
	return exitOK
}
