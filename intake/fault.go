package intake

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"rxintake/audit"
)

// ErrCycleDeadline reports a cycle stopped by intake.cycle_timeout.
var ErrCycleDeadline = errors.New("intake: the cycle's deadline (intake.cycle_timeout) passed")

// ErrSilent reports an IMAP exchange cut because the server sent nothing
// for mailbox.timeout.
var ErrSilent = errors.New("intake: the server stopped answering (mailbox.timeout)")

// explain says why a cycle that failed on its connection failed: its
// deadline passed, or the server went silent. err keeps its own words.
func explain(ctx context.Context, s *session, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(context.Cause(ctx), ErrCycleDeadline) && !errors.Is(err, ErrCycleDeadline):
		return fmt.Errorf("%w: %w", ErrCycleDeadline, err)
	case s != nil && s.conn.silent() && !errors.Is(err, ErrSilent):
		return fmt.Errorf("%w: %w", ErrSilent, err)
	}
	return err
}

// cycleFailure is how the trail records a cycle that failed with err.
func cycleFailure(err error, elapsed time.Duration) audit.CycleFailure {
	f := audit.CycleFailure{Stage: "mailbox", Elapsed: elapsed}
	switch {
	case errors.Is(err, ErrCycleDeadline):
		f.Kind = audit.FaultDeadline
	case errors.Is(err, ErrSilent):
		f.Kind = audit.FaultTimeout
	default:
		f.Kind = audit.FaultKind(err)
	}
	f.Op, f.UID = faultOp(err.Error())
	return f
}

// faultOp reads the operation and the UID from an error of this package:
// "intake: fetch UID 7: ..." is ("fetch", 7).
func faultOp(msg string) (op string, uid uint32) {
	i := strings.LastIndex(msg, "intake: ")
	for i >= 0 {
		rest := msg[i+len("intake: "):]
		word, after, _ := strings.Cut(rest, " ")
		word = strings.ToLower(strings.TrimRight(word, ":"))
		if isOp(word) {
			if n, ok := strings.CutPrefix(after, "UID "); ok {
				digits, _, _ := strings.Cut(n, ":")
				if v, err := strconv.ParseUint(strings.Fields(digits + " ")[0], 10, 32); err == nil {
					uid = uint32(v)
				}
			}
			return word, uid
		}
		i = strings.LastIndex(msg[:i], "intake: ")
	}
	return "", 0
}

func isOp(w string) bool {
	switch w {
	case "connect", "tls", "starttls", "greeting", "login", "capabilities", "namespace", "list", "select",
		"search", "fetch", "create", "move", "copy", "flag", "expunge", "mark":
		return true
	}
	return false
}
