package intake

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"rxintake/casefile"
	"rxintake/config"
)

// ErrInsecure reports a request for plaintext IMAP to a host that is not
// this machine.
var ErrInsecure = errors.New("intake: plaintext IMAP is allowed only to a loopback host")

// ErrTooLarge reports a message above limits.bytes_per_message.
var ErrTooLarge = errors.New("intake: message too large")

// watch arms the connection's deadline for one exchange: it is cut when
// the server goes mailbox.timeout without a byte (watchedConn); the caller
// sees an error and s.broken().
func (s *session) watch() (stop func()) {
	return s.conn.arm()
}

// tlsConfig verifies the server against the system roots plus caFile.
func tlsConfig(host, caFile string) (*tls.Config, error) {
	cfg := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if caFile == "" {
		return cfg, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("%w: mailbox.ca_file: %v", config.ErrInvalid, err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%w: mailbox.ca_file: %s holds no PEM certificate", config.ErrInvalid, caFile)
	}
	cfg.RootCAs = pool
	return cfg, nil
}

// session is one logged-in IMAP connection with the intake folder selected.
type session struct {
	c           *imapclient.Client
	conn        *watchedConn
	caps        imap.CapSet
	delim       rune   // hierarchy delimiter of the personal namespace; 0 when flat
	prefix      string // personal namespace prefix, e.g. "INBOX." on Courier-style servers
	uidValidity uint32
	keywords    bool            // the selected folder takes keywords
	exists      map[string]bool // folders known to exist
}

// dial connects, secures and logs in. unilateral, when not nil, receives
// what the server reports unasked (IDLE's new-mail notices).
func dial(ctx context.Context, mb config.Mailbox, password string, tlsCfg *tls.Config, unilateral *imapclient.UnilateralDataHandler) (*session, error) {
	addr := net.JoinHostPort(mb.Host, strconv.Itoa(mb.Port))
	d := &net.Dialer{KeepAlive: 30 * time.Second, Timeout: mb.Timeout}
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("intake: connect %s: %w", addr, err)
	}
	// From the greeting to the namespace, every exchange is watched.
	conn := newWatchedConn(raw, mb.Timeout)
	disarm := conn.arm()
	defer disarm()
	dctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var c *imapclient.Client
	opts := &imapclient.Options{TLSConfig: tlsCfg, UnilateralDataHandler: unilateral}
	switch mb.TLS {
	case "implicit", "":
		tc := tls.Client(conn, tlsCfg)
		if err := tc.HandshakeContext(dctx); err != nil {
			conn.Close()
			return nil, fmt.Errorf("intake: TLS with %s: %w", addr, err)
		}
		c = imapclient.New(tc, opts)
	case "starttls":
		stop := context.AfterFunc(dctx, func() { conn.Close() })
		c, err = imapclient.NewStartTLS(conn, opts)
		stop()
		if err != nil {
			return nil, fmt.Errorf("intake: STARTTLS with %s: %w", addr, err)
		}
	case "none":
		if !config.IsLoopback(mb.Host) {
			conn.Close()
			return nil, fmt.Errorf("%w, not %q", ErrInsecure, mb.Host)
		}
		c = imapclient.New(conn, opts)
	default:
		conn.Close()
		return nil, fmt.Errorf("%w: mailbox.tls: %q", config.ErrInvalid, mb.TLS)
	}
	stop := context.AfterFunc(dctx, func() { c.Close() })
	defer stop()
	if err := c.WaitGreeting(); err != nil {
		c.Close()
		return nil, fmt.Errorf("intake: greeting from %s: %w", addr, err)
	}
	if err := c.Login(mb.Username, password).Wait(); err != nil {
		c.Close()
		return nil, fmt.Errorf("intake: login to %s: %w", addr, err)
	}
	s := &session{c: c, conn: conn, delim: '/', exists: map[string]bool{}}
	if s.caps, err = c.Capability().Wait(); err != nil {
		c.Close()
		return nil, fmt.Errorf("intake: capabilities: %w", err)
	}
	if err := s.readNamespace(); err != nil {
		c.Close()
		return nil, err
	}
	return s, nil
}

func (s *session) readNamespace() error {
	defer s.watch()()
	if s.caps.Has(imap.CapNamespace) {
		ns, err := s.c.Namespace().Wait()
		if err != nil {
			return fmt.Errorf("intake: namespace: %w", err)
		}
		if len(ns.Personal) > 0 {
			s.prefix, s.delim = ns.Personal[0].Prefix, ns.Personal[0].Delim
			return nil
		}
	}
	l, err := s.c.List("", "", nil).Collect()
	if err != nil {
		return fmt.Errorf("intake: list: %w", err)
	}
	if len(l) > 0 {
		s.delim = l[0].Delim
	}
	return nil
}

func (s *session) close() {
	defer s.watch()()
	s.c.Logout().Wait()
	s.c.Close()
}

// broken reports whether the connection is gone, so that the cycle stops
// instead of failing message after message.
func (s *session) broken() bool {
	select {
	case <-s.c.Closed():
		return true
	default:
		return false
	}
}

// selectFolder opens the intake folder read-write.
func (s *session) selectFolder(name string) error {
	defer s.watch()()
	d, err := s.c.Select(name, nil).Wait()
	if err != nil {
		return fmt.Errorf("intake: select %s: %w", name, err)
	}
	if d.UIDValidity == 0 {
		return fmt.Errorf("intake: select %s: server sent no UIDVALIDITY", name)
	}
	s.uidValidity = d.UIDValidity
	s.keywords = slices.Contains(d.PermanentFlags, imap.FlagWildcard)
	return nil
}

// newUIDs lists the UIDs above hw, ascending.
func (s *session) newUIDs(hw uint32) ([]imap.UID, error) {
	defer s.watch()()
	crit := &imap.SearchCriteria{UID: []imap.UIDSet{{imap.UIDRange{Start: imap.UID(hw + 1), Stop: 0}}}}
	d, err := s.c.UIDSearch(crit, nil).Wait()
	if err != nil {
		return nil, fmt.Errorf("intake: search: %w", err)
	}
	var out []imap.UID
	for _, uid := range d.AllUIDs() {
		if uint32(uid) > hw { // "N:*" matches the last message even when it is below N
			out = append(out, uid)
		}
	}
	slices.Sort(out)
	return out, nil
}

// sizes fetches RFC822.SIZE of uids.
func (s *session) sizes(uids []imap.UID) (map[imap.UID]int64, error) {
	out := map[imap.UID]int64{}
	if len(uids) == 0 {
		return out, nil
	}
	defer s.watch()()
	msgs, err := s.c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil {
		return nil, fmt.Errorf("intake: fetch sizes: %w", err)
	}
	for _, m := range msgs {
		out[m.UID] = m.RFC822Size
	}
	return out, nil
}

// errGone reports that a UID is no longer in the folder.
var errGone = errors.New("intake: message no longer in the mailbox")

// fetch reads one message whole, with BODY.PEEK[] so that \Seen is left
// alone, refusing more than limit bytes. With headerOnly it reads just the
// header block.
func (s *session) fetch(uid imap.UID, limit int64, headerOnly bool) ([]byte, error) {
	defer s.watch()()
	section := &imap.FetchItemBodySection{Peek: true}
	if headerOnly {
		section.Specifier = imap.PartSpecifierHeader
	}
	cmd := s.c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}})
	defer cmd.Close()
	var (
		raw   []byte
		found bool
		rerr  error
	)
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		for item := msg.Next(); item != nil; item = msg.Next() {
			b, ok := item.(imapclient.FetchItemDataBodySection)
			if !ok || b.Literal == nil {
				continue
			}
			found = true
			raw, rerr = io.ReadAll(io.LimitReader(b.Literal, limit+1))
			if rerr == nil && int64(len(raw)) > limit {
				rerr = ErrTooLarge
			}
		}
	}
	// A literal cut short (the connection reset or closed) says why; the
	// command then fails only for the literal left open.
	if err := cmd.Close(); err != nil && (rerr == nil || errors.Is(rerr, ErrTooLarge)) {
		return nil, fmt.Errorf("intake: fetch UID %d: %w", uid, err)
	}
	if rerr != nil {
		return nil, fmt.Errorf("intake: fetch UID %d: %w", uid, rerr)
	}
	if !found {
		return nil, fmt.Errorf("%w: UID %d", errGone, uid)
	}
	return raw, nil
}

// Keywords mark a message's outcome when it cannot be moved to a folder.
var keywords = map[casefile.Status]imap.Flag{
	casefile.StatusComplete:        "$RxComplete",
	casefile.StatusNeedsCorrection: "$RxNeedsCorrection",
	casefile.StatusNeedsReview:     "$RxNeedsReview",
}

// How a message was filed.
const (
	filedByMove    = "move"
	filedByCopy    = "copy"    // COPY, \Deleted, UID EXPUNGE of that UID only
	filedByKeyword = "keyword" // left in place, marked
)

// serverName maps a configured folder ("Rx/Needs-Review") to the server's
// hierarchy delimiter and personal namespace.
func (s *session) serverName(folder string) string {
	name := folder
	if s.delim != 0 && s.delim != '/' {
		name = strings.ReplaceAll(folder, "/", string(s.delim))
	}
	if s.prefix != "" && !strings.EqualFold(name, "INBOX") && !strings.HasPrefix(name, s.prefix) {
		name = s.prefix + name
	}
	return name
}

// ensure makes sure folder exists. ok is false when the server will not
// create it (no permission, bad name): the caller marks instead of moving.
func (s *session) ensure(name string) (ok bool, err error) {
	defer s.watch()()
	if s.exists[name] {
		return true, nil
	}
	l, err := s.c.List("", name, nil).Collect()
	if err != nil {
		return false, fmt.Errorf("intake: list %s: %w", name, err)
	}
	for _, d := range l {
		if d.Mailbox == name && !hasAttr(d.Attrs, imap.MailboxAttrNoSelect) && !hasAttr(d.Attrs, imap.MailboxAttrNonExistent) {
			s.exists[name] = true
			return true, nil
		}
	}
	err = s.c.Create(name, nil).Wait()
	var ierr *imap.Error
	switch {
	case err == nil:
	case errors.As(err, &ierr) && ierr.Code == imap.ResponseCodeAlreadyExists:
	case errors.As(err, &ierr) && ierr.Type == imap.StatusResponseTypeNo && !transientCode(ierr.Code):
		return false, nil
	default:
		return false, fmt.Errorf("intake: create %s: %w", name, err)
	}
	s.exists[name] = true
	return true, nil
}

func hasAttr(attrs []imap.MailboxAttr, a imap.MailboxAttr) bool {
	return slices.ContainsFunc(attrs, func(x imap.MailboxAttr) bool { return strings.EqualFold(string(x), string(a)) })
}

// transientCode reports response codes that say "try again later".
func transientCode(c imap.ResponseCode) bool {
	switch c {
	case imap.ResponseCodeUnavailable, imap.ResponseCodeServerBug, imap.ResponseCodeInUse, imap.ResponseCodeLimit:
		return true
	}
	return false
}

// file moves uid to folder: MOVE when the server has it; else COPY, \Deleted
// and UID EXPUNGE of that UID (UIDPLUS); else, and when the folder cannot be
// created, it marks the message with the outcome's keyword and leaves it.
// Plain EXPUNGE is never used: it would remove other clients' \Deleted mail.
func (s *session) file(uid imap.UID, folder string, status casefile.Status) (where, by string, err error) {
	defer s.watch()()
	set := imap.UIDSetNum(uid)
	canMove, canUIDExpunge := s.caps.Has(imap.CapMove), s.caps.Has(imap.CapUIDPlus)
	if canMove || canUIDExpunge {
		name := s.serverName(folder)
		ok, err := s.ensure(name)
		if err != nil {
			return "", "", err
		}
		if ok && canMove {
			if _, err := s.c.Move(set, name).Wait(); err != nil {
				return "", "", fmt.Errorf("intake: move UID %d to %s: %w", uid, name, err)
			}
			return name, filedByMove, nil
		}
		if ok {
			if _, err := s.c.Copy(set, name).Wait(); err != nil {
				return "", "", fmt.Errorf("intake: copy UID %d to %s: %w", uid, name, err)
			}
			if err := s.c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
				return "", "", fmt.Errorf("intake: flag UID %d deleted: %w", uid, err)
			}
			if err := s.c.UIDExpunge(set).Close(); err != nil {
				return "", "", fmt.Errorf("intake: expunge UID %d: %w", uid, err)
			}
			return name, filedByCopy, nil
		}
	}
	kw := keywords[status]
	if !s.keywords {
		return "", "", fmt.Errorf("intake: cannot file UID %d: no MOVE, no UIDPLUS or no folder %s, and the folder takes no keywords", uid, folder)
	}
	if err := s.c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{kw}}, nil).Close(); err != nil {
		return "", "", fmt.Errorf("intake: mark UID %d %s: %w", uid, kw, err)
	}
	return string(kw), filedByKeyword, nil
}
