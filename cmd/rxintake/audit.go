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

// exitUnanchored is audit verify's exit status for a trail that is
// consistent but has entries no signed checkpoint covers.
const exitUnanchored = 3

// rxintake audit verify|export|keygen: the audit trail from the command line.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	usage := func() {
		fmt.Fprintln(stderr, "usage: rxintake audit verify --config FILE [--against CHECKPOINT_FILE]")
		fmt.Fprintln(stderr, "       rxintake audit export --config FILE --format csv|jsonl [--out FILE]")
		fmt.Fprintln(stderr, "       rxintake audit keygen --out FILE [--config FILE]")
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
	case "keygen":
		return runAuditKeygen(args[1:], stdout, stderr)
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
	if _, err := os.Stat(filepath.Join(cfg.DataDir, sqldb.DBFile)); err != nil && cfg.Database == "" {
		return fail(fmt.Errorf("no audit trail: %w", err))
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return fail(err)
	}
	if cfg.Database != "" {
		// A PostgreSQL database that never held rxintake's trail.
		if vs, err := sqldb.Versions(ctx, db, "audit"); err != nil || len(vs) == 0 {
			db.Close()
			return fail(errors.New("no audit trail in the database"))
		}
	}
	opts, err := trailOptions(cfg, slog.New(slog.DiscardHandler), false)
	if err != nil {
		db.Close()
		fmt.Fprintln(stderr, "rxintake:", err)
		return nil, nil, exitBadConfig
	}
	tr, err := audit.NewTrail(ctx, db, opts)
	if err != nil {
		db.Close()
		return fail(err)
	}
	return tr, db, exitOK
}

// runAuditVerify exits 0 when the trail is intact, 1 when it was tampered
// with, 2 when it cannot be read (or the configuration is bad), 3 when it is
// consistent but unanchored: entries follow the last signed checkpoint, or
// there is none.
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
	if ds, err := tr.Deliveries(ctx); err == nil {
		for _, d := range ds {
			if !d.FailingSince.IsZero() {
				tries := "1 attempt"
				if d.Failures != 1 {
					tries = fmt.Sprintf("%d attempts", d.Failures)
				}
				fmt.Fprintf(stdout, "checkpoints not delivered to %s since %s (%s failed): %s\n",
					d.Sink, d.FailingSince.Format("2006-01-02 15:04 UTC"), tries, d.LastError)
			}
		}
	}
	switch {
	case !rep.OK:
		return exitErrors
	case rep.Unanchored:
		return exitUnanchored
	}
	return exitOK
}

// runAuditKeygen writes a new checkpoint signing key and prints its public
// half, for audit.checkpoint_public_key.
func runAuditKeygen(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit keygen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "write the private key to this new `file` (outside data_dir)")
	cfgPath := fs.String("config", "", "configuration `file`, to refuse a key inside its data_dir")
	if err := fs.Parse(args); err != nil {
		return exitBadConfig
	}
	if *out == "" {
		fmt.Fprintln(stderr, "rxintake: --out FILE is required")
		fs.Usage()
		return exitBadConfig
	}
	if *cfgPath != "" {
		cfg, code := loadConfig(fs, *cfgPath, stderr)
		if cfg == nil {
			return code
		}
		if err := audit.CheckSinkFile(absPath(*out), cfg.DataDir); err != nil {
			fmt.Fprintln(stderr, "rxintake: --out:", err)
			return exitBadConfig
		}
	}
	pub, err := audit.WriteSigningKey(*out)
	if err != nil {
		fmt.Fprintln(stderr, "rxintake:", err)
		return exitErrors
	}
	fmt.Fprintf(stdout, "checkpoint key written to %s (readable by its owner only)\n", *out)
	fmt.Fprintf(stdout, "public key, for audit.checkpoint_public_key: %s\n", audit.FormatPublicKey(pub))
	return exitOK
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
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
