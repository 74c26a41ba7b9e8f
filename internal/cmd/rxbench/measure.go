package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"rxintake/extract"
)

// measured is what one run of a contestant took.
type measured struct {
	Pages    int
	Wall     time.Duration
	CPU      time.Duration // user and system time of the processes, their children included
	MaxRSS   int64         // kB: the largest process's peak, from wait4 (ru_maxrss)
	TreeRSS  int64         // kB: the peak of the sum over the processes running together, sampled
	Timings  extract.Timings
	Docs     int
	Statuses int // documents whose status is the truth's
}

// baseline runs `tesseract IMAGE -` on every page image, j at a time, and
// measures the whole.
func baseline(ctx context.Context, dir string, c *benchCorpus, j int) (measured, error) {
	var images []string
	for _, d := range c.Docs {
		for _, img := range d.Images {
			images = append(images, filepath.Join(dir, "pages", img))
		}
	}
	var (
		mu     sync.Mutex
		maxRSS int64
		cpu    time.Duration
		first  error
	)
	next := make(chan string)
	sampler := startSampler(100 * time.Millisecond)
	start := time.Now()
	var wg sync.WaitGroup
	for range max(j, 1) {
		wg.Go(func() {
			for img := range next {
				cmd := exec.CommandContext(ctx, "tesseract", img, "-")
				cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
				var errb bytes.Buffer
				cmd.Stdout, cmd.Stderr = io.Discard, &errb
				err := cmd.Run()
				mu.Lock()
				if err != nil && first == nil {
					first = fmt.Errorf("tesseract %s: %v: %s", img, err, strings.TrimSpace(errb.String()))
				}
				maxRSS = max(maxRSS, maxrss(cmd.ProcessState))
				if ps := cmd.ProcessState; ps != nil {
					cpu += ps.UserTime() + ps.SystemTime()
				}
				mu.Unlock()
			}
		})
	}
	for _, img := range images {
		next <- img
	}
	close(next)
	wg.Wait()
	m := measured{Pages: len(images), Wall: time.Since(start), CPU: cpu, MaxRSS: maxRSS, TreeRSS: sampler.stop(), Docs: len(c.Docs)}
	return m, first
}

// rxintake runs `rxintake extract --json --timings` once over every
// document of the corpus and adds up what its lines say.
func rxintake(ctx context.Context, bin, dir string, c *benchCorpus, workers int) (measured, error) {
	args := []string{"extract", "--json", "--timings", "--quiet"}
	if workers > 0 {
		args = append(args, "--workers", strconv.Itoa(workers))
	}
	want := map[string]string{}
	for _, d := range c.Docs {
		args = append(args, d.File)
		want[d.File] = d.Status
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	sampler := startSampler(100 * time.Millisecond)
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	tree := sampler.stop()
	if err != nil {
		return measured{}, fmt.Errorf("%s: %v: %s", bin, err, strings.TrimSpace(errb.String()))
	}
	m, err := parseLines(&out, want)
	if err != nil {
		return measured{}, err
	}
	if m.Docs != len(c.Docs) {
		return measured{}, fmt.Errorf("%d lines for %d documents", m.Docs, len(c.Docs))
	}
	m.Wall, m.MaxRSS, m.TreeRSS = wall, maxrss(cmd.ProcessState), tree
	m.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return m, nil
}

// parseLines adds up the pages and timings of `extract --json --timings`
// lines, and counts the lines whose status is the one want gives their
// file.
func parseLines(r io.Reader, want map[string]string) (measured, error) {
	var m measured
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var line struct {
			File    string           `json:"file"`
			Status  string           `json:"status"`
			Pages   int              `json:"pages"`
			Timings *extract.Timings `json:"timings"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return m, fmt.Errorf("line %d: %w", m.Docs+1, err)
		}
		if line.Timings == nil {
			return m, fmt.Errorf("line %d (%s): no timings", m.Docs+1, line.File)
		}
		m.Docs++
		m.Pages += line.Pages
		m.Timings.Add(*line.Timings)
		if w, ok := want[line.File]; ok && w == line.Status {
			m.Statuses++
		}
	}
	return m, sc.Err()
}

func maxrss(ps *os.ProcessState) int64 {
	if ps == nil {
		return 0
	}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss // kB on Linux
	}
	return 0
}

// sampler follows the resident memory of this process's descendants: the
// peak of their sum, read from /proc at each tick.
type sampler struct {
	done chan struct{}
	peak chan int64
}

func startSampler(every time.Duration) *sampler {
	s := &sampler{done: make(chan struct{}), peak: make(chan int64)}
	go func() {
		var peak int64
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			peak = max(peak, treeRSS(os.Getpid()))
			select {
			case <-s.done:
				s.peak <- peak
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// stop ends the sampling and returns the peak in kB.
func (s *sampler) stop() int64 {
	close(s.done)
	return <-s.peak
}

var pageKB = int64(os.Getpagesize() / 1024)

// treeRSS is the resident memory (kB) of the descendants of pid.
func treeRSS(pid int) int64 {
	var sum int64
	for _, c := range children(pid) {
		sum += rss(c) + treeRSS(c)
	}
	return sum
}

// children lists the child processes of pid: those of each of its threads
// (/proc/PID/task/TID/children).
func children(pid int) []int {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	var out []int
	for _, t := range tasks {
		b, _ := os.ReadFile(t)
		for f := range strings.FieldsSeq(string(b)) {
			if n, err := strconv.Atoi(f); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

func rss(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/statm", pid))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.ParseInt(f[1], 10, 64)
	return n * pageKB
}
