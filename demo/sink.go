package demo

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"rxintake/internal/safeio"
)

// Sink is an SMTP server on a loopback port that delivers nothing: it
// writes every message it accepts to Dir as an .eml file. It accepts AUTH
// PLAIN for Username and Password without TLS (loopback only).
type Sink struct {
	Host     string
	Port     int
	Username string
	Password string
	Dir      string

	srv  *smtp.Server
	mu   sync.Mutex
	sent []Sent
}

// Sent is a message the sink accepted.
type Sent struct {
	File       string   // where it was written
	From       string   // envelope sender
	To         []string // envelope recipients
	Subject    string
	MessageID  string   // without angle brackets
	InReplyTo  []string // Message-IDs, without angle brackets
	References []string
}

// StartSink starts the server; dir is created when missing, and the .eml
// files an earlier run left there are removed.
func StartSink(dir string) (*Sink, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("demo: mail sink: %w", err)
	}
	old, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return nil, fmt.Errorf("demo: mail sink: %w", err)
		}
	}
	k := &Sink{Host: "127.0.0.1", Username: PracticeAddress, Password: rand.Text(), Dir: dir}
	k.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: k}, nil }))
	k.srv.Domain = "localhost"
	k.srv.AllowInsecureAuth = true // loopback only
	k.srv.MaxMessageBytes = 50 << 20
	k.srv.ReadTimeout = time.Minute
	k.srv.WriteTimeout = time.Minute
	k.srv.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: mail sink: %w", err)
	}
	k.Port = ln.Addr().(*net.TCPAddr).Port
	go k.srv.Serve(ln)
	return k, nil
}

// Close stops the server.
func (k *Sink) Close() error { return k.srv.Close() }

// Sent returns the messages accepted so far, in order.
func (k *Sink) Sent() []Sent {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]Sent(nil), k.sent...)
}

// keep writes a message to Dir (temp file, rename) and records it.
func (k *Sink) keep(from string, to []string, data []byte) error {
	s := Sent{From: from, To: to}
	if m, err := mail.ReadMessage(bytes.NewReader(data)); err == nil {
		s.Subject = m.Header.Get("Subject")
		if d, err := new(mime.WordDecoder).DecodeHeader(s.Subject); err == nil {
			s.Subject = d
		}
		s.MessageID = strings.Trim(m.Header.Get("Message-ID"), "<> ")
		s.InReplyTo = msgIDs(m.Header.Get("In-Reply-To"))
		s.References = msgIDs(m.Header.Get("References"))
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	name := fmt.Sprintf("%02d", len(k.sent)+1)
	if len(to) > 0 {
		name += "-" + safeName(to[0])
	}
	s.File = filepath.Join(k.Dir, name+".eml")
	if err := safeio.WriteFile(s.File, data, 0o600); err != nil {
		return err
	}
	k.sent = append(k.sent, s)
	return nil
}

type sinkSession struct {
	sink *Sink
	from string
	to   []string
}

func (s *sinkSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *sinkSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.sink.Username || password != s.sink.Password {
			return errors.New("invalid username or password")
		}
		return nil
	}), nil
}

func (s *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *sinkSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := s.sink.keep(s.from, s.to, data); err != nil {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "cannot keep the message: " + err.Error()}
	}
	return nil
}

func (s *sinkSession) Reset()        { s.from, s.to = "", nil }
func (s *sinkSession) Logout() error { return nil }

// msgIDs splits a Message-ID list header into ids without angle brackets.
func msgIDs(v string) []string {
	var out []string
	for _, f := range strings.Fields(v) {
		if id := strings.Trim(f, "<>,"); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// safeName keeps what is safe in a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '@', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
}
