package ops

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/mail"
	"sort"
	"strings"
	"time"

	"rxintake/notify"
)

// The kinds of alert (docs/operations.md).
const (
	AlertMailbox = "mailbox" // the mailbox login failed alerts.after_failures cycles in a row
	AlertSMTP    = "smtp"    // the SMTP login failed as many tries in a row
	AlertDisk    = "disk"    // the disk under data_dir is past alerts.disk_percent
	AlertAudit   = "audit"   // the audit trail cannot be written: intake is stopped
)

// Alert is one problem the office manager is told about: once when it is
// raised and once when it is over.
type Alert struct {
	Kind   string    `json:"kind"`
	Since  time.Time `json:"since"`
	Reason string    `json:"reason"`
	// Notified: the email that it started went.
	Notified bool `json:"notified,omitempty"`
	// Cleared is when the problem was over; the alert goes once the
	// recovery email has.
	Cleared time.Time `json:"cleared,omitzero"`
}

// Mailer sends an alert email (notify.SMTPSender).
type Mailer interface {
	Send(ctx context.Context, m *notify.Message) error
}

// what each kind of alert tells the office manager: the problem, and the
// first thing to look at.
var alertText = map[string]struct{ problem, recovered, hint string }{
	AlertMailbox: {"intake stopped: the mailbox cannot be reached",
		"the mailbox can be reached again",
		"New referrals wait in the mailbox and are not read. Check the mailbox password (an expired or\r\n" +
			"changed password, a revoked app password) and that the mail server's name and port are still\r\n" +
			"right (mailbox.host, mailbox.port)."},
	AlertSMTP: {"correction requests cannot be sent: the SMTP login fails",
		"correction requests can be sent again",
		"Correction requests wait and are sent once SMTP works again. Check the SMTP password and the\r\n" +
			"server (smtp.host, smtp.port)."},
	AlertDisk: {"the disk of rxintake's data is nearly full",
		"the disk of rxintake's data has room again",
		"When the disk is full the audit trail cannot be written and intake stops. Free space on the\r\n" +
			"disk that holds data_dir, or give it more."},
	AlertAudit: {"intake stopped: the audit trail cannot be written",
		"the audit trail can be written again; intake runs",
		"rxintake takes no referral it cannot record. Check that the disk of data_dir is not full or\r\n" +
			"read-only, and that data_dir belongs to the user rxintake runs as."},
}

// raise compares the facts with the alerts: a problem without an alert
// gets one, an alert without its problem is cleared. m.mu is held.
func (m *Monitor) raise(now time.Time, disk Disk) {
	s := &m.state
	n := m.cfg.Alerts.AfterFailures
	failing := map[string]string{}
	if !s.Mailbox.OK && s.Mailbox.Failures >= n {
		failing[AlertMailbox] = fmt.Sprintf("%d cycles in a row: %s", s.Mailbox.Failures, s.Mailbox.Error)
	}
	if m.smtp != nil && !s.SMTP.OK && s.SMTP.Failures >= n {
		failing[AlertSMTP] = fmt.Sprintf("%d tries in a row: %s", s.SMTP.Failures, s.SMTP.Error)
	}
	if !s.Audit.OK && !s.Audit.At.IsZero() {
		failing[AlertAudit] = s.Audit.Error
	}
	if disk.Error == "" && !disk.OK() {
		failing[AlertDisk] = fmt.Sprintf("%.0f%% full, the limit is %.0f%%", disk.UsedPercent, disk.LimitPercent)
	}
	if s.Alerts == nil {
		s.Alerts = map[string]*Alert{}
	}
	for kind, reason := range failing {
		a := s.Alerts[kind]
		if a == nil {
			since := now
			switch kind {
			case AlertMailbox:
				since = s.Mailbox.Since
			case AlertSMTP:
				since = s.SMTP.Since
			}
			s.Alerts[kind] = &Alert{Kind: kind, Since: since, Reason: reason}
			m.log.Warn("alert raised", "alert", kind, "reason", reason)
			continue
		}
		a.Reason, a.Cleared = reason, time.Time{}
	}
	for kind, a := range s.Alerts {
		if _, ok := failing[kind]; !ok && a.Cleared.IsZero() {
			a.Cleared = now
			m.log.Info("alert cleared", "alert", kind)
		}
	}
}

// notify sends the emails the alerts are owed: a problem's, once, and its
// recovery's, once. One that cannot go now is tried again after the next
// cycle. Without a mailer a cleared alert simply goes.
func (m *Monitor) notify(ctx context.Context) {
	m.mu.Lock()
	var pending []Alert
	for kind, a := range m.state.Alerts {
		if m.mailer == nil || m.cfg.Alerts.To == "" {
			if !a.Cleared.IsZero() {
				delete(m.state.Alerts, kind)
			}
			continue
		}
		if !a.Notified || !a.Cleared.IsZero() {
			pending = append(pending, *a)
		}
	}
	m.mu.Unlock()
	sort.Slice(pending, func(i, j int) bool { return pending[i].Kind < pending[j].Kind })
	for _, a := range pending {
		recovered := !a.Cleared.IsZero()
		msg, err := m.alertEmail(a, recovered)
		if err == nil {
			sctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
			err = m.mailer.Send(sctx, msg)
			cancel()
		}
		if err != nil {
			m.log.Warn("alert email not sent; it is tried again after the next cycle", "alert", a.Kind, "err", err)
			continue
		}
		m.log.Info("alert email sent", "alert", a.Kind, "recovered", recovered, "to", m.cfg.Alerts.To)
		m.mu.Lock()
		if cur := m.state.Alerts[a.Kind]; cur != nil {
			if recovered && !cur.Cleared.IsZero() {
				delete(m.state.Alerts, a.Kind)
			} else {
				cur.Notified = true
			}
		}
		m.mu.Unlock()
	}
}

// alertEmail composes the email of an alert: plain text, no patient
// information.
func (m *Monitor) alertEmail(a Alert, recovered bool) (*notify.Message, error) {
	from, err := mail.ParseAddress(m.cfg.SMTP.From)
	if err != nil {
		return nil, fmt.Errorf("ops: smtp.from: %w", err)
	}
	to, err := mail.ParseAddress(m.cfg.Alerts.To)
	if err != nil {
		return nil, fmt.Errorf("ops: alerts.to: %w", err)
	}
	_, domain, _ := strings.Cut(from.Address, "@")
	var id [12]byte
	rand.Read(id[:])
	msgID := hex.EncodeToString(id[:]) + ".alert@" + domain
	txt := alertText[a.Kind]
	subject := "rxintake: " + txt.problem
	if recovered {
		subject = "rxintake: resolved: " + txt.recovered
	}
	stamp := func(t time.Time) string { return t.Local().Format("Mon Jan 2 2006, 15:04 MST") }
	var b bytes.Buffer
	w := func(s string) { b.WriteString(s + "\r\n") }
	w("From: " + (&mail.Address{Name: "rxintake", Address: from.Address}).String())
	w("To: " + to.Address)
	w("Subject: " + subject)
	w("Date: " + timeNow().Format(time.RFC1123Z))
	w("Message-ID: <" + msgID + ">")
	w("Auto-Submitted: auto-generated")
	w("MIME-Version: 1.0")
	w("Content-Type: text/plain; charset=utf-8")
	w("")
	if recovered {
		w(fmt.Sprintf("Resolved: %s.", txt.recovered))
		w("")
		w(fmt.Sprintf("The problem began %s and was over %s.", stamp(a.Since), stamp(a.Cleared)))
		if a.Kind == AlertMailbox || a.Kind == AlertAudit {
			w("The referrals that arrived meanwhile are read at this cycle and the next.")
		}
	} else {
		w(fmt.Sprintf("Problem: %s.", txt.problem))
		w("")
		w(fmt.Sprintf("Since %s: %s", stamp(a.Since), a.Reason))
		w("")
		w(txt.hint)
		w("")
		w("The review page shows this too. Another email follows when it is over;")
		w("`rxintake status --config FILE` prints the details.")
	}
	return &notify.Message{MessageID: msgID, From: from.Address, To: []string{to.Address}, Bytes: b.Bytes()}, nil
}

// Banner is what the review page shows above every page: one line per
// problem the office manager must know about, none when all is well.
func (m *Monitor) Banner() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, a := range m.state.Alerts {
		if a.Cleared.IsZero() {
			out = append(out, fmt.Sprintf("%s (since %s).", upperFirst(alertText[a.Kind].problem),
				a.Since.Local().Format("Jan 2, 15:04")))
		}
	}
	sort.Strings(out)
	return out
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
