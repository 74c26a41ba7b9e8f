// Command rxbench measures rxintake's throughput, memory and time per
// stage against running Tesseract by hand, on a fixed corpus it generates
// with internal/corpus (`make bench`; docs/performance.md).
//
// Each round runs the baseline, `tesseract PAGE -` on every page image of
// the corpus (converted to PNG beforehand), two at a time, and then
// `rxintake extract --json --timings` over the same documents with its
// default workers; OMP_THREAD_LIMIT=1 for both. The table gives the median
// of the rounds.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
)

func main() {
	dir := flag.String("dir", "testdata/bench", "the corpus `directory` (written when missing or of another seed)")
	bin := flag.String("bin", "bin/rxintake", "the rxintake `binary` to measure")
	seed := flag.Uint64("seed", 1, "seed of the corpus")
	runs := flag.Int("runs", 3, "rounds; the table gives their median")
	jobs := flag.Int("j", 2, "tesseract processes at once in the baseline")
	workers := flag.Int("workers", 0, "rxintake's OCR workers (0: its default, one per CPU)")
	before := flag.String("before", "", "another rxintake `binary` (an earlier build) to measure in the same rounds, for a before/after comparison")
	only := flag.String("only", "", "run only `rxintake` or only `tesseract` (default: both)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: rxbench [-dir DIR] [-bin FILE] [-before FILE] [-seed S] [-runs N] [-j N] [-workers N] [-only rxintake|tesseract]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 || *runs < 1 || (*only != "" && *only != "rxintake" && *only != "tesseract") {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *dir, *bin, *before, *seed, *runs, *jobs, *workers, *only); err != nil {
		fmt.Fprintln(os.Stderr, "rxbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dir, bin, before string, seed uint64, runs, jobs, workers int, only string) error {
	logf := func(format string, args ...any) { fmt.Fprintf(os.Stderr, "rxbench: "+format+"\n", args...) }
	if os.Getenv("OMP_THREAD_LIMIT") != "1" {
		// Set for the children too: tesseract's OpenMP threads make it
		// several times slower on small machines.
		os.Setenv("OMP_THREAD_LIMIT", "1")
	}
	abs, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	if only != "rxintake" {
		if _, err := exec.LookPath("tesseract"); err != nil {
			return fmt.Errorf("the baseline needs the tesseract command (Debian: tesseract-ocr): %w", err)
		}
	}
	var absBefore string
	if before != "" {
		if absBefore, err = filepath.Abs(before); err != nil {
			return err
		}
	}
	for _, b := range []string{abs, absBefore} {
		if b != "" && only != "tesseract" {
			if _, err := os.Stat(b); err != nil {
				return fmt.Errorf("%w (make build)", err)
			}
		}
	}
	c, err := loadOrWrite(ctx, dir, seed, 2, logf)
	if err != nil {
		return err
	}
	var base, rx, rxBefore []measured
	for i := range runs {
		if only != "rxintake" {
			logf("round %d/%d: tesseract, %d at a time", i+1, runs, jobs)
			m, err := baseline(ctx, dir, c, jobs)
			if err != nil {
				return err
			}
			logf("  %d pages in %.1f s", m.Pages, m.Wall.Seconds())
			base = append(base, m)
		}
		if only != "tesseract" {
			logf("round %d/%d: rxintake extract --json", i+1, runs)
			m, err := rxintake(ctx, abs, dir, c, workers)
			if err != nil {
				return err
			}
			logf("  %d pages in %.1f s", m.Pages, m.Wall.Seconds())
			rx = append(rx, m)
		}
		if absBefore != "" && only != "tesseract" {
			logf("round %d/%d: %s extract --json", i+1, runs, before)
			m, err := rxintake(ctx, absBefore, dir, c, workers)
			if err != nil {
				return err
			}
			logf("  %d pages in %.1f s", m.Pages, m.Wall.Seconds())
			rxBefore = append(rxBefore, m)
		}
	}
	report(os.Stdout, describe(c), jobs, base, rx, rxBefore, before)
	return nil
}
