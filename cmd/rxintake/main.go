// Command rxintake reads physicians' prescriptions for medical massage from
// a mailbox, checks them, and asks the physician's office for a corrected
// prescription when one is incomplete.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"syscall"

	"rxintake/extract"
)

// Exit codes (docs/interfaces.md).
const (
	exitOK        = 0
	exitErrors    = 1
	exitBadConfig = 2
)

type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{
	"config":  {"print the configuration with its defaults; secrets are named, never shown", runConfig},
	"demo":    {"run on an embedded sample mailbox: no configuration, no network", runDemo},
	"extract": {"read files and print what they contain (no mailbox, no email)", runExtract},
	"once":    {"run one intake cycle, then exit (0 ok, 1 errors, 2 bad config)", runOnce},
	"run":     {"the cron-driven worker (and the review page, if enabled)", runWorker},
	"status":  {"the health of intake: last cycle, mailbox, SMTP, audit trail, disk, queue (exit 0 healthy, 1 not)", runStatus},
	"version": {"print the version", runVersion},
	"audit":   {"verify (exit 0 intact, 1 tampered, 2 cannot read, 3 unanchored) or export the audit trail; keygen a checkpoint key", runAudit},
	"user":    {"add or list the users of the review page", runUser},
}

func main() {
	// Whatever rxintake and the tools it starts create (the database and its
	// journal, originals, page images, temporary pages) is for its own user
	// only, whatever umask it was started with (docs/architecture.md).
	syscall.Umask(0o077)
	// An OCR worker is this same binary started with a marker in its
	// environment: serve OCR requests and exit.
	extract.ServeOCRWorker()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	setupLogging(stderr)
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitBadConfig
		}
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "rxintake: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitBadConfig
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: rxintake COMMAND [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nrun 'rxintake COMMAND -h' for a command's flags")
}

// setupLogging logs to stderr at info, or at the level in RXINTAKE_LOG
// (debug shows identifiers and timings; never use it on shared terminals:
// debug lines may carry patient information).
func setupLogging(w io.Writer) {
	level := slog.LevelInfo
	if v := os.Getenv("RXINTAKE_LOG"); v != "" {
		level.UnmarshalText([]byte(v))
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})))
}

// version is set at build time with -ldflags "-X main.version=..."
var version = ""

func runVersion(_ context.Context, _ []string, stdout, _ io.Writer) int {
	fmt.Fprintf(stdout, "rxintake %s (tesseract %s)\n", versionString(), extract.TesseractVersion())
	return exitOK
}

func versionString() string {
	v := version
	if v == "" {
		v = "devel"
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					v = "devel+" + s.Value[:12]
				}
			}
		}
	}
	return v
}
