package extract

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// PDFs are read with poppler's command-line tools (pdfinfo, pdftotext,
// pdfimages, pdftoppm) in subprocesses: the PDF parser, the largest attack
// surface of the product, runs outside the worker's memory, under a time
// limit, and a crash in it costs one document.

// ErrPopplerMissing reports that poppler-utils is not installed.
var ErrPopplerMissing = errors.New("extract: poppler-utils (pdfinfo, pdftoppm) not found")

type pdfInfo struct {
	Pages     int
	Encrypted bool
	Sizes     [][2]float64 // points, per page
}

var (
	rePDFPages = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)
	rePDFEnc   = regexp.MustCompile(`(?m)^Encrypted:\s+(\w+)`)
	rePDFSize  = regexp.MustCompile(`(?m)^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts`)
)

func poppler(ctx context.Context, name string, args ...string) ([]byte, error) {
	if _, err := exec.LookPath(name); err != nil {
		return nil, ErrPopplerMissing
	}
	cmd := exec.CommandContext(ctx, name, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = []string{"LC_ALL=C", "PATH=" + os.Getenv("PATH")}
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w (%s)", ErrOCRTimeout, name)
		}
		return nil, pdfError(errb.String(), err)
	}
	return out.Bytes(), nil
}

// pdfError turns poppler's complaint into a sentence for the review folder.
func pdfError(stderr string, err error) error {
	msg := strings.TrimSpace(stderr)
	switch {
	case strings.Contains(msg, "Incorrect password"):
		return fmt.Errorf("%w: the PDF is password-protected", ErrUnreadable)
	case msg == "":
		return fmt.Errorf("%w: the PDF could not be read (%v)", ErrUnreadable, err)
	}
	// Keep the last line: poppler puts its verdict there.
	lines := strings.Split(msg, "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	return fmt.Errorf("%w: the PDF is damaged (%s)", ErrUnreadable, last)
}

func probePDF(ctx context.Context, path string, maxPages int) (*pdfInfo, error) {
	out, err := poppler(ctx, "pdfinfo", path)
	if err != nil {
		return nil, err
	}
	info := &pdfInfo{}
	m := rePDFPages.FindSubmatch(out)
	if m == nil {
		return nil, fmt.Errorf("%w: the PDF has no page count", ErrUnreadable)
	}
	info.Pages, _ = strconv.Atoi(string(m[1]))
	if m := rePDFEnc.FindSubmatch(out); m != nil && string(m[1]) != "no" {
		info.Encrypted = true
	}
	if info.Pages == 0 {
		return nil, fmt.Errorf("%w: the PDF has no pages", ErrUnreadable)
	}
	if info.Pages > maxPages {
		return info, nil
	}
	out, err = poppler(ctx, "pdfinfo", "-f", "1", "-l", strconv.Itoa(info.Pages), path)
	if err != nil {
		return nil, err
	}
	info.Sizes = make([][2]float64, info.Pages)
	for _, m := range rePDFSize.FindAllSubmatch(out, -1) {
		n, _ := strconv.Atoi(string(m[1]))
		w, _ := strconv.ParseFloat(string(m[2]), 64)
		h, _ := strconv.ParseFloat(string(m[3]), 64)
		if n >= 1 && n <= info.Pages {
			info.Sizes[n-1] = [2]float64{w, h}
		}
	}
	return info, nil
}

// pdfPageTexts returns the text layer of each page ("" for image-only pages).
func pdfPageTexts(ctx context.Context, path string, pages int) ([]string, error) {
	out, err := poppler(ctx, "pdftotext", "-layout", "-enc", "UTF-8", path, "-")
	if err != nil {
		return nil, err
	}
	texts := strings.Split(string(out), "\f")
	if len(texts) > pages {
		texts = texts[:pages]
	}
	for len(texts) < pages {
		texts = append(texts, "")
	}
	return texts, nil
}

// pdfImagePPI reports, per page, the resolution of the largest image on it.
func pdfImagePPI(ctx context.Context, path string) map[int][2]int {
	out, err := poppler(ctx, "pdfimages", "-list", path)
	if err != nil {
		return nil
	}
	res := map[int][2]int{}
	area := map[int]int{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 14 || f[2] != "image" {
			continue
		}
		page, _ := strconv.Atoi(f[0])
		w, _ := strconv.Atoi(f[3])
		h, _ := strconv.Atoi(f[4])
		xp, _ := strconv.Atoi(f[12])
		yp, _ := strconv.Atoi(f[13])
		if w*h > area[page] {
			area[page] = w * h
			res[page] = [2]int{xp, yp}
		}
	}
	return res
}

// renderPDFPage rasterises one page (1-based) to a grayscale PGM: four
// times quicker than PNG, whose compression nobody needs on the way to OCR.
func renderPDFPage(ctx context.Context, dir, path string, page, dpi int) ([]byte, error) {
	prefix := filepath.Join(dir, "page")
	p := strconv.Itoa(page)
	if _, err := poppler(ctx, "pdftoppm", "-f", p, "-l", p, "-r", strconv.Itoa(dpi), "-gray", "-singlefile", path, prefix); err != nil {
		return nil, err
	}
	defer os.Remove(prefix + ".pgm")
	return os.ReadFile(prefix + ".pgm")
}
