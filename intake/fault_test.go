package intake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"rxintake/audit"
)

func TestCycleFailure(t *testing.T) {
	reset := errors.New("read tcp 127.0.0.1:1->127.0.0.1:2: read: connection reset by peer")
	for _, c := range []struct {
		err      error
		kind, op string
		uid      uint32
	}{
		{fmt.Errorf("intake: fetch UID 12: %w", io.ErrUnexpectedEOF), audit.FaultClosed, "fetch", 12},
		{fmt.Errorf("intake: move UID 3 to Rx.Complete: %w", reset), audit.FaultOther, "move", 3},
		{fmt.Errorf("%w: intake: select INBOX: %w", ErrSilent, io.EOF), audit.FaultTimeout, "select", 0},
		{fmt.Errorf("%w: intake: fetch UID 2: %w", ErrCycleDeadline, io.EOF), audit.FaultDeadline, "fetch", 2},
		{fmt.Errorf("intake: cycle stopped early: %w", context.Canceled), audit.FaultStopped, "", 0},
		{fmt.Errorf("intake: login to 127.0.0.1:993: %w", errors.New("imap: NO [AUTHENTICATIONFAILED]")), audit.FaultOther, "login", 0},
	} {
		f := cycleFailure(c.err, 0)
		if f.Stage != "mailbox" || f.Kind != c.kind || f.Op != c.op || f.UID != c.uid {
			t.Errorf("cycleFailure(%v) = %+v, want %s during %q of UID %d", c.err, f, c.kind, c.op, c.uid)
		}
	}
}
