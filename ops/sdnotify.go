package ops

import (
	"context"
	"log/slog"
	"net"
	"os"
	"strconv"
	"time"
)

// The systemd service manager's notification protocol (sd_notify(3)): a
// datagram to the socket in $NOTIFY_SOCKET. deploy/rxintake.service runs
// the worker as Type=notify with WatchdogSec: READY=1 once it serves, then
// WATCHDOG=1 as long as cycles keep finishing on schedule. A worker stuck
// in a cycle stops pinging and systemd restarts it; a mailbox that cannot
// be reached is an alert, not a reason to restart (docs/operations.md).

// sdNotify sends state to the service manager; without $NOTIFY_SOCKET it
// does nothing.
func sdNotify(state string) error {
	path := os.Getenv("NOTIFY_SOCKET")
	if path == "" {
		return nil
	}
	if path[0] == '@' {
		path = "\x00" + path[1:] // an abstract socket
	}
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write([]byte(state))
	return err
}

// watchdogInterval is the service's WatchdogSec, when it is meant for this
// process; 0 when there is none.
func watchdogInterval() time.Duration {
	usec, err := strconv.ParseInt(os.Getenv("WATCHDOG_USEC"), 10, 64)
	if err != nil || usec <= 0 {
		return 0
	}
	if pid := os.Getenv("WATCHDOG_PID"); pid != "" && pid != strconv.Itoa(os.Getpid()) {
		return 0
	}
	return time.Duration(usec) * time.Microsecond
}

// Serve tells the service manager the worker is ready and, while ctx
// lasts, pings its watchdog at half its interval as long as the schedule
// is kept (Report.Overdue is false). It returns at once when systemd did
// not start the worker.
func (m *Monitor) Serve(ctx context.Context) {
	if err := sdNotify("READY=1"); err != nil {
		m.log.Warn("systemd notification failed", "err", err)
	}
	every := watchdogInterval() / 2
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			sdNotify("STOPPING=1")
			return
		case <-t.C:
		}
		if r := m.Report(ctx); r.Overdue() {
			m.log.Error("no intake cycle finished on schedule: the watchdog is not pinged, and systemd restarts the worker",
				slog.Time("due", r.NextCycleBy))
			continue
		}
		if err := sdNotify("WATCHDOG=1"); err != nil {
			m.log.Warn("systemd watchdog ping failed", "err", err)
		}
	}
}
