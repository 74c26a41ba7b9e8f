package demo

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"log"
	"net"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// Mailbox is an IMAP server on a loopback port holding the samples in
// INBOX. It offers no TLS: rxintake allows plaintext to loopback hosts only.
type Mailbox struct {
	Host        string
	Port        int
	Username    string
	Password    string
	Folder      string
	UIDValidity uint32
	UIDs        []uint32 // of the samples, in order

	srv *imapserver.Server
}

// StartMailbox starts the server and appends the samples to INBOX.
func StartMailbox(samples []Sample) (*Mailbox, error) {
	m := &Mailbox{Host: "127.0.0.1", Username: PracticeAddress, Password: rand.Text(), Folder: "INBOX"}
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(m.Username, m.Password)
	if err := user.Create(m.Folder, nil); err != nil {
		return nil, fmt.Errorf("demo: mailbox: %w", err)
	}
	for _, s := range samples {
		data, err := user.Append(m.Folder, bytes.NewReader(s.Raw), &imap.AppendOptions{})
		if err != nil {
			return nil, fmt.Errorf("demo: mailbox: %s: %w", s.Name, err)
		}
		m.UIDValidity = data.UIDValidity
		m.UIDs = append(m.UIDs, uint32(data.UID))
	}
	mem.AddUser(user)
	m.srv = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapMove: {}, imap.CapUIDPlus: {}, imap.CapNamespace: {}},
		InsecureAuth: true, // loopback only
		Logger:       log.New(io.Discard, "", 0),
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: mailbox: %w", err)
	}
	m.Port = ln.Addr().(*net.TCPAddr).Port
	go m.srv.Serve(ln)
	return m, nil
}

// Close stops the server.
func (m *Mailbox) Close() error { return m.srv.Close() }
