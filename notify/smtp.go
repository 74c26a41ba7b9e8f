package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"rxintake/config"
)

// Sender submits a composed message to the mail server.
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// SendError is a failed submission. It says whether it may pass, like
// go-smtp's SMTPError.Temporary: a 4xx reply or a network failure may, a 5xx
// reply to the message will not.
type SendError struct {
	Permanent bool
	Code      int    // SMTP reply code; 0 when the server gave none
	Enhanced  string // "5.1.1", or ""
	// Account is true when the server refused our account (AUTH) or the
	// connection could not be secured: no message can go, whichever it is,
	// so delivery stops and the requests stay queued.
	Account bool
	// Unreachable is true when the server could not be reached, or the
	// connection failed or went silent before the transaction began
	// (greeting, TLS, EHLO, AUTH): no message can go now, so delivery
	// stops for this cycle and the requests stay queued as they were,
	// instead of each waiting out smtp.timeout in turn.
	Unreachable bool
	// AfterData is true when the connection failed after the whole message
	// was written, before the server's reply: the server may have accepted
	// it.
	AfterData bool
	Err       error
}

func (e *SendError) Error() string {
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	return "notify: send (" + kind + "): " + e.Err.Error()
}

func (e *SendError) Unwrap() error { return e.Err }

// Temporary reports whether a later attempt may succeed.
func (e *SendError) Temporary() bool { return !e.Permanent }

// SMTPSender submits over SMTP: implicit TLS (465) or STARTTLS (587), AUTH
// PLAIN, the server's certificate verified against the system roots and
// smtp.ca_file. Plain text is allowed only to a loopback host.
type SMTPSender struct {
	addr     string
	mode     string
	tls      *tls.Config
	username string
	password string
	hello    string        // EHLO name: the domain of smtp.from
	Timeout  time.Duration // smtp.timeout: connecting, the TLS handshake, each command, the reply to the message; default 2 minutes
}

// NewSMTPSender checks the smtp: section and reads the password now, so
// that bad configuration fails at start-up.
func NewSMTPSender(c config.SMTP, hello string) (*SMTPSender, error) {
	if c.Host == "" {
		return nil, fmt.Errorf("%w: smtp.host: must be set", config.ErrInvalid)
	}
	s := &SMTPSender{addr: net.JoinHostPort(c.Host, strconv.Itoa(c.Port)), mode: c.TLS, username: c.Username,
		hello: hello, Timeout: c.Timeout}
	if s.Timeout <= 0 {
		s.Timeout = 2 * time.Minute
	}
	switch c.TLS {
	case "implicit", "starttls":
	case "none":
		if !config.IsLoopback(c.Host) {
			return nil, fmt.Errorf("%w: smtp.tls: none is allowed only for a loopback host", config.ErrInvalid)
		}
	default:
		return nil, fmt.Errorf("%w: smtp.tls: %q is not one of implicit, starttls, none", config.ErrInvalid, c.TLS)
	}
	s.tls = &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("%w: smtp.ca_file: %v", config.ErrInvalid, err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: smtp.ca_file: %s holds no PEM certificate", config.ErrInvalid, c.CAFile)
		}
		s.tls.RootCAs = pool
	}
	if c.Username != "" {
		p, err := config.Secret("smtp.password", c.PasswordEnv, c.PasswordFile)
		if err != nil {
			return nil, err
		}
		s.password = p
	}
	return s, nil
}

// Probe connects, secures the connection and logs in, then quits: it
// sends nothing. The error is a *SendError, Account when the server
// refused the account or the connection could not be secured.
func (s *SMTPSender) Probe(ctx context.Context) error {
	c, stop, err := s.open(ctx)
	if err != nil {
		return err
	}
	defer stop()
	defer c.Close()
	if err := c.Quit(); err != nil {
		return classify(err, true, false)
	}
	return nil
}

// open connects, secures the connection (implicit TLS or STARTTLS), greets
// and logs in. stop releases ctx's hold on the connection.
func (s *SMTPSender) open(ctx context.Context) (c *smtp.Client, stop func() bool, err error) {
	d := net.Dialer{Timeout: s.Timeout}
	conn, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return nil, nil, &SendError{Unreachable: true, Err: err}
	}
	stop = context.AfterFunc(ctx, func() { conn.Close() })
	fail := func(err error) (*smtp.Client, func() bool, error) {
		stop()
		return nil, nil, err
	}
	conn = boundedConn{conn, s.Timeout}
	if s.mode == "implicit" {
		tc := tls.Client(conn, s.tls)
		conn.SetDeadline(time.Now().Add(s.Timeout))
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return fail(&SendError{Account: isCertError(err), Unreachable: !isCertError(err), Err: err})
		}
		conn.SetDeadline(time.Time{})
		conn = tc
	}
	if s.mode == "starttls" {
		// go-smtp greets with "localhost" before TLS; our name follows
		// inside it.
		if c, err = smtp.NewClientStartTLS(conn, s.tls); err != nil {
			conn.Close()
			if !isCertError(err) && !errors.As(err, new(*smtp.SMTPError)) && !errors.As(err, new(net.Error)) && !isEOF(err) {
				return fail(&SendError{Account: true, Err: err}) // no STARTTLS offered: never send in the clear
			}
			return fail(classify(err, true, false))
		}
	} else {
		c = smtp.NewClient(conn)
	}
	c.CommandTimeout, c.SubmissionTimeout = s.Timeout, s.Timeout
	if err := c.Hello(s.hello); err != nil {
		c.Close()
		return fail(classify(err, true, false))
	}
	if s.username != "" {
		if err := c.Auth(sasl.NewPlainClient("", s.username, s.password)); err != nil {
			c.Close()
			return fail(classify(err, true, false))
		}
	}
	return c, stop, nil
}

// Send implements Sender: one SMTP transaction for m.
func (s *SMTPSender) Send(ctx context.Context, m *Message) error {
	c, stop, err := s.open(ctx)
	if err != nil {
		return err
	}
	defer stop()
	defer c.Close()
	if err := c.Mail(m.From, nil); err != nil {
		return classify(err, true, false)
	}
	for _, to := range m.To {
		if err := c.Rcpt(to, nil); err != nil {
			return classify(err, false, false)
		}
	}
	w, err := c.Data()
	if err != nil {
		return classify(err, false, false)
	}
	if _, err := w.Write(m.Bytes); err != nil {
		return classify(err, false, false)
	}
	if err := w.Close(); err != nil {
		return classify(err, false, true)
	}
	c.Quit() // the message is accepted; a failed QUIT changes nothing
	return nil
}

// boundedConn keeps every deadline within max from now, and puts one where
// none is asked for: go-smtp reads the greeting and runs EHLO and STARTTLS
// before its CommandTimeout can be set, with its own default of 5 minutes,
// and clears the deadline between commands. A server that stops answering
// holds a send for smtp.timeout at most.
type boundedConn struct {
	net.Conn
	max time.Duration
}

func (c boundedConn) SetDeadline(t time.Time) error      { return c.Conn.SetDeadline(c.bound(t)) }
func (c boundedConn) SetReadDeadline(t time.Time) error  { return c.Conn.SetReadDeadline(c.bound(t)) }
func (c boundedConn) SetWriteDeadline(t time.Time) error { return c.Conn.SetWriteDeadline(c.bound(t)) }

func (c boundedConn) bound(t time.Time) time.Time {
	limit := time.Now().Add(c.max)
	if t.IsZero() || t.After(limit) {
		return limit
	}
	return t
}

// classify turns a client error into a SendError. account is true for the
// stages that concern our account rather than the message (TLS, EHLO, AUTH,
// MAIL FROM): their refusal stops delivery and is never held against a
// request. A 5xx reply to RCPT or DATA is permanent for the message.
func classify(err error, account, afterData bool) error {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		e := &SendError{Code: se.Code, Permanent: se.Code/100 == 5 && !account, Account: account && se.Code/100 == 5, Err: err}
		if c := se.EnhancedCode; c[0] > 0 {
			e.Enhanced = fmt.Sprintf("%d.%d.%d", c[0], c[1], c[2])
		}
		return e
	}
	cert := isCertError(err)
	return &SendError{AfterData: afterData, Account: cert, Unreachable: account && !cert, Err: err}
}

func isEOF(err error) bool { return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) }

func isCertError(err error) bool {
	var (
		ua x509.UnknownAuthorityError
		hn x509.HostnameError
		ci x509.CertificateInvalidError
		ve *tls.CertificateVerificationError
	)
	return errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) || errors.As(err, &ve)
}
