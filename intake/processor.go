package intake

import (
	"context"
	"database/sql"
	"errors"
	"syscall"
	"time"

	"rxintake/casefile"
	"rxintake/extract"
)

// Processor turns a message into a case outcome: the reader and the rules
// behind one method. Process may be called again for the same case (same
// Message.CaseID) when an earlier attempt did not commit, for instance after
// a crash; whatever it does beyond returning the outcome must tolerate that.
//
// The error return means the message could not be processed this time; say
// whether that may pass with an error that has a Temporary() bool method
// (TemporaryError, PermanentError). Temporary failures are retried on later
// cycles with exponential backoff; permanent ones send the case to review at
// once. An error that does not say is treated as temporary.
type Processor interface {
	Process(ctx context.Context, m *Message) (Outcome, error)
}

// Outcome is what a processor decided about a message.
type Outcome struct {
	Status casefile.Status // complete, needs-correction or needs-review
	// Reasons say why: rule ids of docs/rules.md, with a short note when
	// useful ("diagnosis-invalid: M54.5"). They are kept on the ledger; the
	// worker logs them only at debug level.
	Reasons []string
	// SenderFax, when not "", replaces the number read from the
	// notification (for instance from a fax's transmit header line).
	SenderFax string
	// Effects, when not nil, runs inside the transaction that commits the
	// outcome (see Decision).
	Effects func(ctx context.Context, tx *sql.Tx) error
}

// Message is a message taken from the mailbox, as the processor sees it.
type Message struct {
	Key          MessageKey
	CaseID       string // "RX-7K3QH2"
	Attempt      int    // 1 on the first attempt
	MessageID    string // without angle brackets; "" when absent
	SHA256       string // hex digest of Raw
	OriginalPath string // the stored copy of Raw: data_dir/originals/ab/cdef….eml
	Raw          []byte // the message as fetched, RFC 5322
	// Mail is Raw with its parts walked (extract.ParseMail), the one walk
	// of the message: intake judged it by it, the reader reads it.
	Mail *extract.Mail

	// What intake read of the header and used.
	Date      time.Time // the Date header; zero when absent or unreadable
	From      string    // the sender's address
	Subject   string
	SenderFax string // 10 digits, from the fax notification (subject or body); "" when not found
	// Sender says whether From and the fax number may find the office
	// (verifySender); the processor keeps what it may not use for display.
	Sender Sender
}

// Error is a processing failure that says whether it may pass, like go-smtp's
// SMTPError.Temporary and mox's smtpclient.Error.Permanent.
type Error struct {
	Permanent bool
	Err       error
}

func (e *Error) Error() string {
	if e.Permanent {
		return "permanent: " + e.Err.Error()
	}
	return "temporary: " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Temporary reports whether the failure may pass on a later attempt.
func (e *Error) Temporary() bool { return !e.Permanent }

// TemporaryError marks err as one that may pass: a connection drop, an OCR
// timeout, a full disk.
func TemporaryError(err error) error { return &Error{Err: err} }

// PermanentError marks err as one that will not pass: a corrupt file.
func PermanentError(err error) error { return &Error{Permanent: true, Err: err} }

// IsTemporary reports whether a processing error may pass on a later
// attempt. A full disk may; otherwise an error that says (a Temporary() bool
// method anywhere in its chain) is believed, and one that does not is treated
// as temporary, within the attempt limit.
func IsTemporary(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true // syscall.Errno says false for these
	}
	var t interface{ Temporary() bool }
	if errors.As(err, &t) {
		return t.Temporary()
	}
	return true
}
