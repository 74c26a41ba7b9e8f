package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

func TestFaultKind(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("intake: fetch UID 1: %w", &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}), FaultReset},
		{fmt.Errorf("notify: send: %w", &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}), FaultTimeout},
		{fmt.Errorf("intake: list: %w", io.ErrUnexpectedEOF), FaultClosed},
		{fmt.Errorf("intake: connect: %w", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), FaultRefused},
		{fmt.Errorf("cycle: %w", context.DeadlineExceeded), FaultDeadline},
		{fmt.Errorf("cycle: %w", context.Canceled), FaultStopped},
		{errors.New("imap: NO [SERVERBUG] internal error"), FaultOther},
		{nil, ""},
	} {
		if got := FaultKind(c.err); got != c.want {
			t.Errorf("FaultKind(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

// A cycle-failed entry holds tokens only: a stage, an operation, a kind.
func TestCycleFailed(t *testing.T) {
	tr, _, _ := newTestTrail(t)
	ctx := context.Background()
	if err := tr.CycleFailed(ctx, CycleFailure{Stage: "mailbox", Op: "fetch", Kind: FaultReset, UID: 7, Elapsed: 1500 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []CycleFailure{
		{Stage: "elsewhere", Kind: FaultReset},
		{Stage: "mailbox", Kind: "read tcp 10.0.0.1: connection reset by peer"},
		{Stage: "delivery", Op: "send to Mary Jones", Kind: FaultTimeout},
	} {
		if err := tr.CycleFailed(ctx, bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("CycleFailed(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
	entries, err := tr.List(ctx, Filter{Event: EventCycleFailed})
	if err != nil || len(entries) != 1 {
		t.Fatalf("entries %v, %v; want the one valid", entries, err)
	}
	var d map[string]any
	json.Unmarshal(entries[0].Detail, &d)
	if entries[0].Outcome != FaultReset || d["stage"] != "mailbox" || d["op"] != "fetch" || d["uid"] != 7.0 || d["elapsed_ms"] != 1500.0 {
		t.Errorf("entry %s %s, want reset during fetch of UID 7 after 1500 ms", entries[0].Outcome, entries[0].Detail)
	}
}
