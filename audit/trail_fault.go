package audit

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"time"
)

// EventCycleFailed records a cycle that a fault of the mailbox or the mail
// server cut short: what was being done and what went wrong, as tokens, not
// the server's or the system's words.
const EventCycleFailed = "cycle-failed"

// Fault kinds, as FaultKind names them.
const (
	FaultDeadline = "deadline" // the cycle's own deadline (intake.cycle_timeout) passed
	FaultStopped  = "stopped"  // the worker was told to stop (SIGTERM) between messages
	FaultTimeout  = "timeout"  // the peer sent nothing for mailbox.timeout or smtp.timeout
	FaultReset    = "reset"    // connection reset by the peer
	FaultClosed   = "closed"   // the connection ended before the exchange did
	FaultRefused  = "refused"  // nothing listens at the address
	FaultTLS      = "tls"      // the certificate or the handshake failed
	FaultOther    = "error"
)

// FaultKind names the kind of a network failure for the trail.
func FaultKind(err error) string {
	var (
		ne net.Error
		ua x509.UnknownAuthorityError
		hn x509.HostnameError
		ci x509.CertificateInvalidError
	)
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.DeadlineExceeded):
		return FaultDeadline
	case errors.Is(err, context.Canceled):
		return FaultStopped
	case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return FaultTimeout
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return FaultReset
	case errors.Is(err, syscall.ECONNREFUSED):
		return FaultRefused
	case errors.As(err, &ua), errors.As(err, &hn), errors.As(err, &ci):
		return FaultTLS
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return FaultClosed
	}
	return FaultOther
}

// CycleFailure is a cycle cut short.
type CycleFailure struct {
	Stage   string        // "mailbox" (the intake cycle) or "delivery" (correction requests)
	Op      string        // what was being done: "fetch", "move", "login", "send", ...; "" when unknown
	Kind    string        // a Fault* kind (FaultKind)
	UID     uint32        // the message at hand, 0 for none
	Elapsed time.Duration // from the start of the stage
}

// CycleFailed records that a cycle's stage ended on a fault.
func (t *Trail) CycleFailed(ctx context.Context, f CycleFailure) error {
	var c checker
	if f.Stage != "mailbox" && f.Stage != "delivery" {
		c.fail("stage must be mailbox or delivery")
	}
	if f.Op != "" && !isToken(f.Op, 32, "-") {
		c.fail("op must be a short token")
	}
	if !isToken(f.Kind, 32, "-") {
		c.fail("kind must be a short token")
	}
	return t.write(ctx, c, record{
		actor: ActorWorker, event: EventCycleFailed, outcome: f.Kind,
		detail: struct {
			Stage     string `json:"stage"`
			Op        string `json:"op,omitempty"`
			UID       uint32 `json:"uid,omitempty"`
			ElapsedMS int64  `json:"elapsed_ms"`
		}{f.Stage, f.Op, f.UID, f.Elapsed.Milliseconds()},
	})
}
