package intake

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// ErrBusy reports that another cycle holds the lock.
var ErrBusy = errors.New("intake: another cycle is running")

// LockFile is the name of the lock file inside the data directory.
const LockFile = "rxintake.lock"

// cycleLock is an exclusive flock on data_dir/rxintake.lock, held for one
// cycle. The kernel drops it when the process dies, however it dies.
type cycleLock struct{ f *os.File }

// lockCycle takes the lock without waiting; when another process (or
// another cycle in this one) holds it, the error names its pid.
func lockCycle(dataDir string) (*cycleLock, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("intake: lock: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dataDir, LockFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("intake: lock: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			b := make([]byte, 32)
			n, _ := f.ReadAt(b, 0)
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b[:n]))); err == nil {
				return nil, fmt.Errorf("%w (pid %d)", ErrBusy, pid)
			}
			return nil, fmt.Errorf("%w (pid unknown)", ErrBusy)
		}
		return nil, fmt.Errorf("intake: lock: %w", err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &cycleLock{f: f}, nil
}

func (l *cycleLock) release() {
	l.f.Truncate(0)
	unix.Flock(int(l.f.Fd()), unix.LOCK_UN)
	l.f.Close()
}
