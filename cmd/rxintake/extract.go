package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"rxintake/assist"
	"rxintake/casefile"
	"rxintake/casework"
	"rxintake/config"
	"rxintake/extract"
	"rxintake/validate"
)

func runExtract(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Bool("json", true, "print one JSON object per file (docs/interfaces.md); the default")
	asText := fs.Bool("text", false, "print each page's text with page markers")
	cfgPath := fs.String("config", "", "configuration `file` (limits, payers); optional")
	asOfFlag := fs.String("as-of", "", "`date` (YYYY-MM-DD) validity windows are measured at (default: today; an email's Date header wins)")
	payer := fs.String("payer", "", "payer profile `name` from the configuration (default: default)")
	withText := fs.Bool("with-text", false, "add each page's text to the JSON line")
	workers := fs.Int("workers", 0, "OCR worker processes (default: one per CPU)")
	quiet := fs.Bool("quiet", false, "no progress lines on stderr")
	timings := fs.Bool("timings", false, "add where the time went (stages, OCR passes, wall time) to each JSON line, under \"timings\"")
	llmMode := fs.String("llm-mode", "", "`mode` of the language-model second reader: off, verify or fallback (default: llm.mode of --config, off); docs/llm.md")
	preview := fs.Bool("email-preview", false, "print the correction request that would be sent for each file (nothing is sent); the office comes from --config's directory, else a placeholder")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rxintake extract [--json | --text] [--config FILE] FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitBadConfig
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitBadConfig
	}
	cfg := config.Default()
	if *cfgPath != "" {
		c, err := config.Load(*cfgPath)
		if err != nil {
			fmt.Fprintln(stderr, "rxintake:", err)
			return exitBadConfig
		}
		cfg = *c
	}
	if *llmMode != "" {
		cfg.LLM.Mode = *llmMode
		if err := cfg.LLM.Check(); err != nil {
			fmt.Fprintln(stderr, "rxintake: --llm-mode:", err)
			return exitBadConfig
		}
	}
	var second casework.SecondReader
	if a, err := assist.FromConfig(cfg.LLM, nil, slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))); err != nil {
		fmt.Fprintln(stderr, "rxintake:", err)
		return exitBadConfig
	} else if a != nil {
		second = a
	}
	profile, err := validate.ProfileFor(&cfg, *payer)
	if err != nil {
		fmt.Fprintln(stderr, "rxintake:", err)
		return exitBadConfig
	}
	received := timeNow() // casework.AsOf makes the day of it
	if *asOfFlag != "" {
		t, err := time.Parse(time.DateOnly, *asOfFlag)
		if err != nil {
			fmt.Fprintf(stderr, "rxintake: --as-of %q is not a YYYY-MM-DD date\n", *asOfFlag)
			return exitBadConfig
		}
		received = t
	}
	if *workers == 0 {
		*workers = cfg.OCR.Workers
	}
	var reader *extract.Reader
	pool := extract.NewOCRPool(extract.OCROptions{Workers: *workers, Timeout: cfg.Limits.OCRPerPage,
		MaxPixels: cfg.Limits.PixelsPerPage, Language: cfg.OCR.Language})
	defer pool.Close()
	reader = extract.NewReader(pool, extract.Limits{PagesPerDocument: cfg.Limits.PagesPerDocument,
		PixelsPerPage: cfg.Limits.PixelsPerPage, BytesPerMessage: cfg.Limits.BytesPerMessage})
	reader.KeepImages = true // signature detection looks at the ink

	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	for i, name := range fs.Args() {
		if ctx.Err() != nil {
			return exitErrors
		}
		start := time.Now()
		doc := readFile(ctx, reader, name, cfg.Limits.BytesPerMessage)
		line := casework.Build(doc, casework.Input{Profile: profile, Received: received})
		casework.SecondRead(ctx, second, fmt.Sprintf("file-%d", i+1), doc, line)
		if !*quiet {
			fmt.Fprintf(stderr, "[%d/%d] %s: %d page(s), %.1f s\n", i+1, fs.NArg(), name, len(doc.Pages), time.Since(start).Seconds())
		}
		switch {
		case *preview:
			if err := printEmailPreview(stdout, &cfg, *cfgPath != "", line); err != nil {
				fmt.Fprintln(stderr, "rxintake:", err)
				failed++
			}
		case *asText:
			printText(stdout, doc)
		default:
			if !*withText {
				line.PageTexts = nil
			}
			var v any = line
			if *timings {
				v = timedLine{line, timedDocument{doc.Timings, time.Since(start).Seconds()}}
			}
			if err := enc.Encode(v); err != nil {
				failed++
			}
		}
	}
	if failed > 0 {
		return exitErrors
	}
	return exitOK
}

// timedLine is a JSON line with the timings of its document
// (docs/interfaces.md).
type timedLine struct {
	*casefile.Record
	Timings timedDocument `json:"timings"`
}

type timedDocument struct {
	extract.Timings
	Wall float64 `json:"wall_s"` // reading, fields and rules of the file, end to end
}

// MarshalJSON adds the wall time to the stages.
func (t timedDocument) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(t.Timings)
	if err != nil || len(b) < 2 {
		return b, err
	}
	return fmt.Appendf(b[:len(b)-1], `,"wall_s":%.6f}`, t.Wall), nil
}

// readFile reads name, refusing files over the size limit before loading
// them into memory.
func readFile(ctx context.Context, r *extract.Reader, name string, maxBytes int64) *extract.Document {
	f, err := os.Open(name)
	if err != nil {
		return &extract.Document{File: name, Kind: extract.KindUnknown,
			Problems: []extract.Problem{{Reason: "cannot open the file: " + pathErr(err)}}}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxBytes+1))
	if err != nil {
		return &extract.Document{File: name, Kind: extract.KindUnknown,
			Problems: []extract.Problem{{Reason: "cannot read the file: " + pathErr(err)}}}
	}
	return r.Read(ctx, name, data)
}

func pathErr(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// timeNow is the clock; tests replace it.
var timeNow = time.Now

func printText(w io.Writer, doc *extract.Document) {
	fmt.Fprintf(w, "=== %s (%s, %d page(s))\n", doc.File, doc.Kind, len(doc.Pages))
	if doc.Email != nil {
		fmt.Fprintf(w, "--- email from %s, subject %q\n", doc.Email.From, doc.Email.Subject)
	}
	if doc.Body != "" {
		fmt.Fprintf(w, "--- body\n%s\n", doc.Body)
	}
	for _, p := range doc.Pages {
		var notes []string
		if p.Source != "" {
			notes = append(notes, p.Source)
		}
		if p.TextLayer {
			notes = append(notes, "text layer")
		} else {
			notes = append(notes, fmt.Sprintf("OCR confidence %.2f", p.Confidence))
		}
		if p.Resampled {
			notes = append(notes, "resampled to square pixels")
		}
		if p.Rotation != 0 {
			notes = append(notes, fmt.Sprintf("rotated %d°", p.Rotation))
		}
		if p.CoverSheet {
			notes = append(notes, "cover sheet")
		}
		fmt.Fprintf(w, "--- page %d/%d (%s)\n", p.Number, len(doc.Pages), strings.Join(notes, ", "))
		if p.Header != nil {
			fmt.Fprintf(w, "[fax header: %s]\n", p.Header.Text)
		}
		fmt.Fprintln(w, p.Text)
	}
	for _, p := range doc.Problems {
		fmt.Fprintf(w, "!!! unreadable: %s\n", p.Reason)
	}
}
