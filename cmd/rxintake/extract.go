package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"rxintake/config"
	"rxintake/extract"
)

// extractLine is one line of `extract --json` (CONTRACTS.md).
type extractLine struct {
	File      string     `json:"file"`
	Status    string     `json:"status"`
	Pages     int        `json:"pages"`
	PageTexts []pageText `json:"page_texts,omitempty"`
	Body      string     `json:"body,omitempty"`
	FaxNumber string     `json:"fax_number,omitempty"`
	Findings  []finding  `json:"findings"`
}

type pageText struct {
	Page       int                `json:"page"`
	Source     string             `json:"source,omitempty"`
	Text       string             `json:"text"`
	Confidence float64            `json:"confidence"`
	TextLayer  bool               `json:"text_layer,omitempty"`
	Resampled  bool               `json:"resampled,omitempty"`
	Rotation   int                `json:"rotation,omitempty"`
	CoverSheet bool               `json:"cover_sheet,omitempty"`
	FaxHeader  *extract.FaxHeader `json:"fax_header,omitempty"`
}

type finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

func runExtract(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Bool("json", true, "print one JSON object per file (CONTRACTS.md); the default")
	asText := fs.Bool("text", false, "print each page's text with page markers")
	cfgPath := fs.String("config", "", "configuration `file` (limits, payers); optional")
	workers := fs.Int("workers", 0, "OCR worker processes (default: one per CPU)")
	quiet := fs.Bool("quiet", false, "no progress lines on stderr")
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
	if *workers == 0 {
		*workers = cfg.OCR.Workers
	}
	pool := extract.NewOCRPool(extract.OCROptions{Workers: *workers, Timeout: cfg.Limits.OCRPerPage,
		MaxPixels: cfg.Limits.PixelsPerPage, Language: cfg.OCR.Language})
	defer pool.Close()
	reader := extract.NewReader(pool, extract.Limits{PagesPerDocument: cfg.Limits.PagesPerDocument,
		PixelsPerPage: cfg.Limits.PixelsPerPage, BytesPerMessage: cfg.Limits.BytesPerMessage})

	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	for i, name := range fs.Args() {
		if ctx.Err() != nil {
			return exitErrors
		}
		start := time.Now()
		doc := readFile(ctx, reader, name, cfg.Limits.BytesPerMessage)
		if !*quiet {
			fmt.Fprintf(stderr, "[%d/%d] %s: %d page(s), %.1f s\n", i+1, fs.NArg(), name, len(doc.Pages), time.Since(start).Seconds())
		}
		switch {
		case *asText:
			printText(stdout, doc)
		default:
			if err := enc.Encode(lineFor(doc)); err != nil {
				failed++
			}
		}
	}
	if failed > 0 {
		return exitErrors
	}
	return exitOK
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

func lineFor(doc *extract.Document) extractLine {
	l := extractLine{File: doc.File, Status: "needs-review", Pages: len(doc.Pages), Body: doc.Body,
		FaxNumber: doc.FaxNumber, Findings: []finding{}}
	for _, p := range doc.Pages {
		l.PageTexts = append(l.PageTexts, pageText{Page: p.Number, Source: p.Source, Text: p.Text,
			Confidence: p.Confidence, TextLayer: p.TextLayer, Resampled: p.Resampled, Rotation: p.Rotation,
			CoverSheet: p.CoverSheet, FaxHeader: p.Header})
	}
	for _, p := range doc.Problems {
		l.Findings = append(l.Findings, finding{Rule: "unreadable", Severity: "error", Message: p.Reason})
	}
	return l
}

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
