package demo

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"log"
	"net"
	"net/mail"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// AuthservID is the authserv-id of the practice's receiving mail server in
// the demo: the mailbox puts its Authentication-Results header on top of
// each sample, as that server would for mail that passes DMARC
// (docs/architecture.md, "Who the sender is").
const AuthservID = "mx.baysidemassage.example"

// FaxSenders are the addresses the demo's fax service sends from.
var FaxSenders = []string{"@faxmail.example"}

// received is raw as the practice's mail server delivers it: with its
// verdict on the sender's domain on top.
func received(raw []byte) []byte {
	a, err := mail.ParseAddress(headerValue(raw, "From"))
	if err != nil {
		return raw
	}
	domain := strings.ToLower(a.Address[strings.LastIndexByte(a.Address, '@')+1:])
	return append([]byte(fmt.Sprintf("Authentication-Results: %s; dkim=pass header.d=%s; dmarc=pass header.from=%s\r\n",
		AuthservID, domain, domain)), raw...)
}

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
		data, err := user.Append(m.Folder, bytes.NewReader(received(s.Raw)), &imap.AppendOptions{})
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
