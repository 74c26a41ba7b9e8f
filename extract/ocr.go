package extract

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"time"

	"rxintake/internal/crashpoint"
)

// Errors of the OCR stage. A timeout is temporary (the worker may retry the
// message later); the others are properties of the input.
var (
	ErrOCRTimeout = errors.New("extract: OCR time limit exceeded")
	ErrOCRCrashed = errors.New("extract: OCR worker stopped")
	ErrTooLarge   = errors.New("extract: over a size limit")
	ErrUnreadable = errors.New("extract: unreadable")
)

// workerEnv marks a process started as an OCR worker.
const workerEnv = "RXINTAKE_OCR_WORKER"

// Word is one recognised word with its box in page pixels and Tesseract's
// confidence (0..100).
type Word struct {
	Text  string          `json:"text"`
	Conf  float64         `json:"conf"`
	Box   image.Rectangle `json:"box"`
	Block int             `json:"block"`
	Par   int             `json:"par"`
	Line  int             `json:"line"`
	// Read is the first reading of a word that was read again (see
	// rereadCodes); "" otherwise.
	Read string `json:"read,omitempty"`
}

// ocrRequest is what the parent sends a worker for one page.
type ocrRequest struct {
	Image     []byte
	TIFFPage  int // page index inside a TIFF, -1 otherwise
	XRes      int // resolution hints from the container, 0 when unknown
	YRes      int
	MaxPixels int64
	WantImage bool
	Warm      bool // load the models and read nothing (OCRPool.Warm)
}

// ocrResult is a worker's answer for one page.
type ocrResult struct {
	Err       string
	TooLarge  bool
	Width     int
	Height    int
	DPI       int
	Rotation  int
	Skew      float64
	Resampled bool
	Words     []Word
	Image     []byte // processed page as PNG, when asked for
	Seconds   float64
	Timings   Timings // the worker's stages: decode, preprocess, OCR, rereads, orientation, image
}

// OCRPool runs Tesseract in single-threaded worker processes, one
// Tesseract client each, reused for every page. A worker process isolates
// the C decoders from the rest of rxintake: a page that hangs is killed at
// its time limit and a page that crashes its worker costs only that page.
type OCRPool struct {
	timeout   time.Duration
	maxPixels int64
	language  string
	idle      chan *ocrWorker
	pageDone  func(time.Duration)
	closeOnce sync.Once
	mu        sync.Mutex
	all       map[*ocrWorker]struct{}
}

// OCROptions configure an OCRPool.
type OCROptions struct {
	Workers   int           // concurrent worker processes; 0 means one per CPU
	Timeout   time.Duration // per page; 0 means 60 s
	MaxPixels int64         // per page; 0 means 60 megapixels
	Language  string        // Tesseract language; "" means eng
	// PageDone, when set, is told how long each page read took, from the
	// request to the answer (the operator's metrics; docs/operations.md).
	PageDone func(time.Duration)
}

// NewOCRPool prepares a pool. Workers start on first use.
func NewOCRPool(o OCROptions) *OCRPool {
	if o.Workers <= 0 {
		o.Workers = runtime.NumCPU()
	}
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	if o.MaxPixels <= 0 {
		o.MaxPixels = 60_000_000
	}
	if o.Language == "" {
		o.Language = "eng"
	}
	p := &OCRPool{timeout: o.Timeout, maxPixels: o.MaxPixels, language: o.Language, pageDone: o.PageDone,
		idle: make(chan *ocrWorker, o.Workers), all: map[*ocrWorker]struct{}{}}
	for range o.Workers {
		p.idle <- nil // a slot; the process starts when first needed
	}
	return p
}

// Close stops every worker process.
func (p *OCRPool) Close() {
	p.closeOnce.Do(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		for w := range p.all {
			w.stop()
		}
	})
}

// Warm starts every worker process now and has each load Tesseract's page
// model (on a blank page), so that both are ready before the first document
// comes: the
// long-running worker calls it at start, and a referral that arrives later
// does not wait for them (docs/performance.md, "Latency"). It returns when
// every worker is ready, with the first failure.
func (p *OCRPool) Warm(ctx context.Context) error {
	white := image.NewGray(image.Rect(0, 0, 200, 100))
	for i := range white.Pix {
		white.Pix[i] = 0xff
	}
	var blank bytes.Buffer
	if err := png.Encode(&blank, white); err != nil {
		return err
	}
	n := cap(p.idle)
	errs := make(chan error, n)
	for range n {
		go func() {
			res, err := p.page(ctx, &ocrRequest{Image: blank.Bytes(), TIFFPage: -1, Warm: true})
			if err == nil && res.Err != "" {
				err = fmt.Errorf("extract: warming an OCR worker: %s", res.Err)
			}
			errs <- err
		}()
	}
	var first error
	for range n {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (p *OCRPool) page(ctx context.Context, req *ocrRequest) (*ocrResult, error) {
	var w *ocrWorker
	select {
	case w = <-p.idle:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { p.idle <- w }()
	if w == nil || w.dead() {
		var err error
		if w, err = p.start(); err != nil {
			return nil, err
		}
	}
	if req.MaxPixels <= 0 || req.MaxPixels > p.maxPixels {
		req.MaxPixels = p.maxPixels // the lower of the reader's and the pool's
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	start := time.Now()
	res, err := w.do(ctx, req)
	if err == nil && p.pageDone != nil {
		p.pageDone(time.Since(start))
	}
	if err != nil {
		p.mu.Lock()
		delete(p.all, w)
		p.mu.Unlock()
		w.stop()
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w (%s per page)", ErrOCRTimeout, p.timeout)
		}
		return nil, err
	}
	return res, nil
}

func (p *OCRPool) start() (*ocrWorker, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("extract: cannot find own executable for OCR worker: %w", err)
	}
	cmd := exec.Command(exe)
	// OpenMP reads OMP_THREAD_LIMIT when libgomp loads, before main runs:
	// only a fresh process can be made single-threaded (childEnv sets it).
	// glibc gives each thread that calls into Tesseract a malloc arena of
	// its own, and the Go runtime moves cgo calls between threads: two
	// arenas keep a worker's peak near what one page needs (over a
	// fifty-page fax PDF, 307 MB with the default, 211 MB with two;
	// docs/performance.md, "Memory").
	cmd.Env = append(childEnv(), workerEnv+"=1", "RXINTAKE_OCR_LANG="+p.language, "MALLOC_ARENA_MAX=2")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = &tailBuffer{max: 2048}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("extract: starting OCR worker: %w", err)
	}
	w := &ocrWorker{cmd: cmd, enc: gob.NewEncoder(stdin), dec: gob.NewDecoder(stdout), stdin: stdin, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(w.exited) }()
	p.mu.Lock()
	p.all[w] = struct{}{}
	p.mu.Unlock()
	slog.Debug("ocr worker started", "pid", cmd.Process.Pid)
	return w, nil
}

type ocrWorker struct {
	cmd    *exec.Cmd
	enc    *gob.Encoder
	dec    *gob.Decoder
	stdin  io.Closer
	exited chan struct{}
}

func (w *ocrWorker) dead() bool {
	select {
	case <-w.exited:
		return true
	default:
		return false
	}
}

func (w *ocrWorker) stop() {
	w.stdin.Close()
	select {
	case <-w.exited:
	case <-time.After(2 * time.Second):
		w.cmd.Process.Kill()
		<-w.exited
	}
}

func (w *ocrWorker) do(ctx context.Context, req *ocrRequest) (*ocrResult, error) {
	done := make(chan error, 1)
	var res ocrResult
	go func() {
		if err := w.enc.Encode(req); err != nil {
			done <- err
			return
		}
		crashpoint.At("mid-ocr") // the crash tests' (internal/crashpoint)
		done <- w.dec.Decode(&res)
	}()
	select {
	case err := <-done:
		if err != nil {
			w.cmd.Process.Kill()
			<-w.exited
			slog.Debug("ocr worker failed", "err", err, "stderr", w.cmd.Stderr.(*tailBuffer).String())
			return nil, fmt.Errorf("%w: %s", ErrOCRCrashed, exitReason(w.cmd))
		}
		return &res, nil
	case <-ctx.Done():
		w.cmd.Process.Kill()
		<-w.exited
		<-done
		return nil, ctx.Err()
	}
}

func exitReason(cmd *exec.Cmd) string {
	if cmd.ProcessState == nil {
		return "no answer"
	}
	return cmd.ProcessState.String()
}

// tailBuffer keeps the last bytes a worker wrote on stderr, for debugging.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

// childEnv is the whole environment of the processes rxintake starts (OCR
// workers, poppler's tools): what they need to run and nothing else, so
// that the passwords of the mailbox and the submission server, which the
// worker itself reads from its environment, never reach the code that
// parses untrusted documents (docs/architecture.md, "Subprocesses").
func childEnv() []string {
	env := []string{"LANG=C", "LC_ALL=C", "OMP_THREAD_LIMIT=1"}
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "TESSDATA_PREFIX"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// ServeOCRWorker turns the process into an OCR worker when it was started
// as one, and then exits; started by poppler to run a PDF tool under its
// limits, it becomes that tool; otherwise it returns at once. Call it first
// thing in main and in TestMain of packages whose tests read documents.
func ServeOCRWorker() {
	serveLimited()
	if os.Getenv(workerEnv) != "1" {
		return
	}
	os.Exit(serveWorker(os.Stdin, os.Stdout))
}
