package extract

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"
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

// toolLimits bound one poppler call (docs/architecture.md, "Subprocesses").
type toolLimits struct {
	Time     time.Duration // wall clock, and as many seconds of CPU
	Memory   int64         // address space of the process, bytes
	FileSize int64         // the largest file it may write, bytes
	Output   int64         // what it may print on its standard output, bytes
}

// ErrPDFLimit reports a poppler call stopped at one of its limits: a
// property of the PDF, so the document goes to review.
var ErrPDFLimit = errors.New("extract: a PDF tool exceeded its limit")

// limitError names the call that was stopped and the limit it hit.
type limitError struct {
	msg     string
	startup bool // the process failed before the tool ran: nothing is known of the PDF
}

func (e *limitError) Error() string { return e.msg }

func (e *limitError) Is(target error) bool { return target == ErrPDFLimit || target == ErrUnreadable }

// popplerTask says what a tool does, for the finding that names it.
func popplerTask(name string) string {
	if name == "pdftoppm" {
		return "PDF page render"
	}
	return "reading the PDF (" + name + ")"
}

// poppler runs a poppler tool under lim and returns its standard output.
// The tool runs in a process group of its own, with resource limits set by
// a re-execution of this binary (see ServeOCRWorker), so that its time
// limit kills whatever it started and a runaway cannot take the worker's
// memory, disk or CPU.
func poppler(ctx context.Context, lim toolLimits, name string, args ...string) ([]byte, error) {
	// A process that failed while it set the limits or loaded the tool
	// (the runtime of the re-executed binary, or the loader, short of
	// address space before the tool's own image replaced it) says nothing
	// about the PDF: it is started again, twice at most.
	for attempt := 0; ; attempt++ {
		out, err := popplerOnce(ctx, lim, name, args...)
		var le *limitError
		if attempt < 2 && errors.As(err, &le) && le.startup {
			continue
		}
		return out, err
	}
}

// startupFailure reports stderr of a process that failed before the tool
// ran: the re-executed binary's runtime or limits, or the loader.
func startupFailure(stderr string) bool {
	for _, s := range []string{"fatal error: runtime", "runtime: ", "rxintake: limits:", "error while loading shared libraries", "failed to map segment"} {
		if strings.Contains(stderr, s) {
			return true
		}
	}
	return false
}

func popplerOnce(ctx context.Context, lim toolLimits, name string, args ...string) ([]byte, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return nil, ErrPopplerMissing
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("extract: cannot find own executable for %s: %w", name, err)
	}
	tctx, cancel := context.WithTimeout(ctx, lim.Time)
	defer cancel()
	cmd := exec.CommandContext(tctx, exe, append([]string{path}, args...)...)
	cmd.Env = append(childEnv(), rlimitEnv+"="+formatRlimits(lim))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 2 * time.Second
	out := &cappedBuffer{max: lim.Output, exceeded: cancel}
	errb := &tailBuffer{max: 4096}
	cmd.Stdout, cmd.Stderr = out, errb
	err = cmd.Run()
	// The group may hold processes the tool started: none outlives the call.
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	task := popplerTask(name)
	switch {
	case out.over:
		return nil, &limitError{msg: fmt.Sprintf("%s printed more than its limit of %s", task, sizeOf(lim.Output))}
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case tctx.Err() != nil:
		return nil, &limitError{msg: fmt.Sprintf("%s exceeded its time limit of %s", task, lim.Time)}
	}
	// Poppler reports a failed allocation on stderr and may still exit 0.
	switch stderr := errb.String(); {
	case err != nil && startupFailure(stderr):
		return nil, &limitError{msg: task + " could not be started under its limits", startup: true}
	case strings.Contains(stderr, "Bogus memory allocation size"):
		return nil, &limitError{msg: fmt.Sprintf("%s refused a page too large to hold in memory", task)}
	case outOfMemory(stderr):
		return nil, &limitError{msg: fmt.Sprintf("%s exceeded its memory limit of %s", task, sizeOf(lim.Memory)), startup: startupFailure(stderr)}
	case err == nil:
		return out.b.Bytes(), nil
	}
	if ee, ok := errors.AsType[*exec.ExitError](err); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			switch ws.Signal() {
			case syscall.SIGXCPU:
				return nil, &limitError{msg: fmt.Sprintf("%s exceeded its time limit of %s", task, lim.Time)}
			case syscall.SIGXFSZ:
				return nil, &limitError{msg: fmt.Sprintf("%s exceeded its file size limit of %s", task, sizeOf(lim.FileSize))}
			}
		}
	}
	return nil, pdfError(errb.String(), err)
}

// sizeOf says a limit in bytes in the unit that reads best.
func sizeOf(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KB", n>>10)
	}
	return sizeMB(n)
}

// outOfMemory reports poppler's (and the C++ runtime's) words for a failed
// allocation, which under an address-space limit is the limit.
func outOfMemory(stderr string) bool {
	for _, s := range []string{"Out of memory", "bad_alloc", "cannot allocate memory", "failed to map segment"} {
		if strings.Contains(stderr, s) {
			return true
		}
	}
	return false
}

// cappedBuffer keeps what a tool prints up to max bytes; past it the call
// fails: a PDF whose text or image list is that long is not a prescription.
type cappedBuffer struct {
	b        bytes.Buffer
	max      int64
	over     bool
	exceeded func()
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if int64(c.b.Len()+len(p)) > c.max {
		c.over = true
		c.exceeded()
		return 0, ErrPDFLimit
	}
	return c.b.Write(p)
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

func probePDF(ctx context.Context, lim toolLimits, path string, maxPages int) (*pdfInfo, error) {
	out, err := poppler(ctx, lim, "pdfinfo", path)
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
	out, err = poppler(ctx, lim, "pdfinfo", "-f", "1", "-l", strconv.Itoa(info.Pages), path)
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
func pdfPageTexts(ctx context.Context, lim toolLimits, path string, pages int) ([]string, error) {
	out, err := poppler(ctx, lim, "pdftotext", "-layout", "-enc", "UTF-8", path, "-")
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
func pdfImagePPI(ctx context.Context, lim toolLimits, path string) map[int][2]int {
	out, err := poppler(ctx, lim, "pdfimages", "-list", path)
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
func renderPDFPage(ctx context.Context, lim toolLimits, dir, path string, page, dpi int) ([]byte, error) {
	prefix := filepath.Join(dir, "page")
	p := strconv.Itoa(page)
	if _, err := poppler(ctx, lim, "pdftoppm", "-f", p, "-l", p, "-r", strconv.Itoa(dpi), "-gray", "-singlefile", path, prefix); err != nil {
		return nil, err
	}
	defer os.Remove(prefix + ".pgm")
	return os.ReadFile(prefix + ".pgm")
}

// rlimitEnv carries the limits of a poppler call to the re-executed binary
// that sets them and becomes the tool.
const rlimitEnv = "RXINTAKE_RLIMITS"

func formatRlimits(lim toolLimits) string {
	cpu := int64(math.Ceil(lim.Time.Seconds()))
	return fmt.Sprintf("%d,%d,%d", cpu, lim.Memory, lim.FileSize)
}

// serveLimited, in a process started by poppler, sets the limits rlimitEnv
// carries and executes the tool named by the first argument in place of
// this binary, with the environment it was given less the marker. The
// limits are set in the child before the tool runs, so there is no moment
// when the tool runs without them, and nothing beyond this binary is
// needed (docs/architecture.md, "Subprocesses").
func serveLimited() {
	spec, ok := os.LookupEnv(rlimitEnv)
	if !ok {
		return
	}
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "rxintake: limits:", err)
		os.Exit(127)
	}
	var cpu, as, fsize uint64
	if _, err := fmt.Sscanf(spec, "%d,%d,%d", &cpu, &as, &fsize); err != nil || len(os.Args) < 2 {
		fail(fmt.Errorf("bad %s %q", rlimitEnv, spec))
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, rlimitEnv+"=") {
			env = append(env, kv)
		}
	}
	// Everything execve needs is built before the limits are set, and the
	// collector is stopped: once the address space is limited this process
	// must not map memory (a span the runtime maps then fails, and the call
	// would be reported as the tool running out of memory).
	argv0, err := syscall.BytePtrFromString(os.Args[1])
	if err != nil {
		fail(err)
	}
	argv, err := syscall.SlicePtrFromStrings(os.Args[1:])
	if err != nil {
		fail(err)
	}
	envv, err := syscall.SlicePtrFromStrings(env)
	if err != nil {
		fail(err)
	}
	debug.SetGCPercent(-1)
	limits := []struct {
		res        int
		soft, hard uint64
	}{
		{syscall.RLIMIT_CORE, 0, 0},
		{syscall.RLIMIT_CPU, cpu, cpu + 1},
		{syscall.RLIMIT_FSIZE, fsize, fsize},
		{syscall.RLIMIT_AS, as, as},
	}
	// CPU: SIGXCPU at the soft limit, SIGKILL a second later. The address
	// space is limited last.
	for i := range limits {
		l := &limits[i]
		rl := syscall.Rlimit{Cur: l.soft, Max: l.hard}
		if _, _, e := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, 0, uintptr(l.res), uintptr(unsafe.Pointer(&rl)), 0, 0, 0); e != 0 {
			fail(e)
		}
	}
	_, _, e := syscall.RawSyscall(syscall.SYS_EXECVE, uintptr(unsafe.Pointer(argv0)), uintptr(unsafe.Pointer(&argv[0])), uintptr(unsafe.Pointer(&envv[0])))
	fail(e)
}
