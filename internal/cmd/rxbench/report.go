package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"rxintake/extract"
)

// describe says what the corpus holds.
func describe(c *benchCorpus) string {
	var pages, fax, covers, images, text, none int
	for _, d := range c.Docs {
		pages += d.Pages
		switch {
		case d.Pages == 0:
			none++
		case d.TextLayer:
			text += d.Pages
		case strings.HasPrefix(d.Media, "fax-") || d.Media == "eml-fax":
			fax += d.Pages
			if d.Cover {
				covers++
			}
		default:
			images += d.Pages
		}
	}
	return fmt.Sprintf("%d documents, %d pages (seed %d): %d fax pages (%d cover sheets), %d scanned or photographed pages, "+
		"%d text-PDF pages; %d emails and text files without pages", len(c.Docs), pages, c.Seed, fax, covers, images, text, none)
}

// median is the middle value (the mean of the two middle ones for an even
// count); 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// medianOf is the median of f over the runs.
func medianOf(runs []measured, f func(measured) float64) float64 {
	xs := make([]float64, len(runs))
	for i, r := range runs {
		xs[i] = f(r)
	}
	return median(xs)
}

func mb(kb float64) string { return fmt.Sprintf("%.0f MB", kb/1024) }

// stages are the rows of the stage table.
var stages = []struct {
	name string
	of   func(extract.Timings) time.Duration
}{
	{"decode (MIME, PDF probe and text, TIFF, pixels)", func(t extract.Timings) time.Duration { return t.Decode }},
	{"render (pdftoppm)", func(t extract.Timings) time.Duration { return t.Render }},
	{"preprocess (resample, deskew, form lines)", func(t extract.Timings) time.Duration { return t.Preprocess }},
	{"OCR, first pass", func(t extract.Timings) time.Duration { return t.OCR }},
	{"rereads (codes, NPIs, doubtful words)", func(t extract.Timings) time.Duration { return t.Rereads }},
	{"orientation (OSD, turned readings)", func(t extract.Timings) time.Duration { return t.Orientation }},
	{"page image (PNG)", func(t extract.Timings) time.Duration { return t.Image }},
	{"fields", func(t extract.Timings) time.Duration { return t.Fields }},
	{"rules", func(t extract.Timings) time.Duration { return t.Rules }},
}

// report prints the medians of the rounds as Markdown tables: the
// contestants, then rxintake's stages (beside those of the build measured
// with -before, when there is one).
func report(w io.Writer, corpus string, jobs int, base, rx, before []measured, beforeName string) {
	n := max(len(base), len(rx))
	fmt.Fprintf(w, "corpus: %s\nmedian of %d round(s), OMP_THREAD_LIMIT=1\n\n", corpus, n)
	fmt.Fprintln(w, "| | pages | wall s | pages/s | CPU s | peak RSS, largest process | peak RSS, all processes |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	row := func(name string, runs []measured) float64 {
		if len(runs) == 0 {
			return 0
		}
		rate := medianOf(runs, func(m measured) float64 { return float64(m.Pages) / m.Wall.Seconds() })
		fmt.Fprintf(w, "| %s | %d | %.1f | %.2f | %.1f | %s | %s |\n", name, runs[0].Pages,
			medianOf(runs, func(m measured) float64 { return m.Wall.Seconds() }), rate,
			medianOf(runs, func(m measured) float64 { return m.CPU.Seconds() }),
			mb(medianOf(runs, func(m measured) float64 { return float64(m.MaxRSS) })),
			mb(medianOf(runs, func(m measured) float64 { return float64(m.TreeRSS) })))
		return rate
	}
	b := row(fmt.Sprintf("`tesseract PAGE -`, %d at a time", jobs), base)
	r := row("`rxintake extract --json`", rx)
	rb := row(fmt.Sprintf("`rxintake extract --json`, before (`%s`)", beforeName), before)
	if b > 0 && r > 0 {
		fmt.Fprintf(w, "\nrxintake / tesseract: %.2fx the pages per second\n", r/b)
	}
	if rb > 0 && r > 0 {
		fmt.Fprintf(w, "rxintake / before: %.2fx the pages per second\n", r/rb)
	}
	if len(rx) == 0 {
		return
	}
	ocrPages := max(rx[0].Timings.OCRPages, 1)
	stageSecs := func(runs []measured) ([]float64, float64) {
		secs := make([]float64, len(stages))
		var total float64
		for i, s := range stages {
			secs[i] = medianOf(runs, func(m measured) float64 { return s.of(m.Timings).Seconds() })
			total += secs[i]
		}
		return secs, total
	}
	secs, total := stageSecs(rx)
	bsecs, btotal := stageSecs(before)
	if len(before) > 0 {
		fmt.Fprintf(w, "\n| rxintake stage | before s | seconds | per OCR'd page | share |\n|---|---:|---:|---:|---:|\n")
	} else {
		fmt.Fprintf(w, "\n| rxintake stage | seconds | per OCR'd page | share |\n|---|---:|---:|---:|\n")
	}
	cell := func(i int) string {
		if len(before) == 0 {
			return ""
		}
		if i < 0 {
			return fmt.Sprintf(" %.1f |", btotal)
		}
		return fmt.Sprintf(" %.1f |", bsecs[i])
	}
	for i, s := range stages {
		fmt.Fprintf(w, "| %s |%s %.1f | %.3f | %.1f%% |\n", s.name, cell(i), secs[i], secs[i]/float64(ocrPages), 100*secs[i]/total)
	}
	fmt.Fprintf(w, "| all stages (the workers' run in parallel) |%s %.1f | %.3f | |\n", cell(-1), total, total/float64(ocrPages))
	passes := medianOf(rx, func(m measured) float64 { return float64(m.Timings.OCRPasses) })
	osd := medianOf(rx, func(m measured) float64 { return float64(m.Timings.OSDRuns) })
	fmt.Fprintf(w, "\nOCR: %d pages recognised (the others have a text layer), %.2f full-page passes per page (%.0f), %.0f orientation detections\n",
		ocrPages, passes/float64(ocrPages), passes, osd)
	last := rx[len(rx)-1]
	fmt.Fprintf(w, "statuses as the corpus truth has them: %d of %d documents", last.Statuses, last.Docs)
	if len(before) > 0 {
		fmt.Fprintf(w, " (before: %d)", before[len(before)-1].Statuses)
	}
	fmt.Fprintln(w)
}
