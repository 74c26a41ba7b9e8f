package main

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"rxintake/extract"
	"rxintake/internal/pg"
)

// mainEnv marks the test binary started to be rxintake itself: main, with
// the arguments it was given.
const mainEnv = "RXINTAKE_TEST_MAIN"

// TestMain lets the test binary serve as the OCR worker the commands start
// (the rxintake binary re-executed with a marker in its environment), and
// as the rxintake process.
func TestMain(m *testing.M) {
	extract.ServeOCRWorker()
	if os.Getenv(mainEnv) == "1" {
		os.Unsetenv(mainEnv)
		main()
	}
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// TestRunFilesPrivate starts `rxintake run` under the common umask 022 and
// checks the files it creates: each its user's alone, in directories only
// its user may enter, and the process's own umask 077.
func TestRunFilesPrivate(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	cfg := filepath.Join(dir, "config.yaml")
	// A mailbox nobody answers at: the cycle fails, the worker runs on.
	conf := fmt.Sprintf("data_dir: %s\nmailbox:\n  host: 127.0.0.1\n  port: 9\n  tls: none\n  username: rx\n  password_env: TEST_IMAP_PASSWORD\nschedule: \"@every 1h\"\nreview:\n  listen: \"\"\n", data)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "run", "--config", cfg)
	cmd.Env = append(os.Environ(), mainEnv+"=1", "TEST_IMAP_PASSWORD=x", "RXINTAKE_LOG=info")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	old := syscall.Umask(0o022)
	err = cmd.Start()
	syscall.Umask(old)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	// The first cycle's summary says the database, the trail and the
	// checkpoint are there.
	cycled := make(chan string, 1)
	go func() {
		var log strings.Builder
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "cycle:") {
				cycled <- ""
				break
			}
		}
		cycled <- log.String()
		for sc.Scan() {
		}
	}()
	select {
	case log := <-cycled:
		if log != "" {
			t.Fatalf("rxintake run ended before a cycle:\n%s", log)
		}
	case <-time.After(time.Minute):
		t.Fatal("no cycle within a minute")
	}

	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	umask := "none"
	for l := range strings.SplitSeq(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "Umask:"); ok {
			umask = strings.TrimSpace(v)
		}
	}
	if umask != "0077" {
		t.Errorf("rxintake run's umask is %s, want 0077", umask)
	}
	var files int
	filepath.WalkDir(data, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Error(err)
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil // gone since: a lock or a temporary file
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		} else {
			files++
		}
		if fi.Mode().Perm() != want {
			rel, _ := filepath.Rel(dir, path)
			t.Errorf("%s: mode %v, want %v", rel, fi.Mode().Perm(), want)
		}
		return nil
	})
	if files < 3 {
		t.Errorf("%d files in the data directory, want the database, its journal and more", files)
	}
}
