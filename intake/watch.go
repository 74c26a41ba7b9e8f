package intake

import (
	"net"
	"sync"
	"time"
)

// watchedConn is the connection under an IMAP session. While an exchange
// is in flight (arm), it must not go mailbox.timeout without a byte read or
// written: each one moves the deadline on, so a slow line that keeps
// delivering is not cut, and a server that stops answering is, after
// mailbox.timeout. Between exchanges (the worker reading a document) no
// deadline is set: the connection may sit idle.
type watchedConn struct {
	net.Conn
	idle time.Duration

	mu       sync.Mutex
	armed    int  // exchanges in flight (file arms, and ensure inside it)
	timedOut bool // a deadline passed: the session was cut for silence
}

func newWatchedConn(c net.Conn, idle time.Duration) *watchedConn {
	if idle <= 0 {
		idle = 2 * time.Minute
	}
	return &watchedConn{Conn: c, idle: idle}
}

func (c *watchedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.progress(n, err)
	return n, err
}

func (c *watchedConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.progress(n, err)
	return n, err
}

func (c *watchedConn) progress(n int, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		c.timedOut = true
	}
	if n > 0 && c.armed > 0 {
		c.Conn.SetDeadline(time.Now().Add(c.idle))
	}
}

// SetDeadline, SetReadDeadline and SetWriteDeadline are go-imap's own
// (30 s for a response, 5 minutes for a literal, none when idle): while an
// exchange is armed, mailbox.timeout governs instead.
func (c *watchedConn) SetDeadline(t time.Time) error {
	return c.setDeadline(t, c.Conn.SetDeadline)
}

func (c *watchedConn) SetReadDeadline(t time.Time) error {
	return c.setDeadline(t, c.Conn.SetReadDeadline)
}

func (c *watchedConn) SetWriteDeadline(t time.Time) error {
	return c.setDeadline(t, c.Conn.SetWriteDeadline)
}

func (c *watchedConn) setDeadline(t time.Time, set func(time.Time) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.armed > 0 {
		return nil
	}
	return set(t)
}

// arm starts an exchange; the function it returns ends it.
func (c *watchedConn) arm() (disarm func()) {
	c.mu.Lock()
	c.armed++
	c.Conn.SetDeadline(time.Now().Add(c.idle))
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.armed--; c.armed == 0 {
			c.Conn.SetDeadline(time.Time{})
		}
	}
}

// silent reports whether the session was cut because the server went
// mailbox.timeout without a byte.
func (c *watchedConn) silent() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.timedOut
}
