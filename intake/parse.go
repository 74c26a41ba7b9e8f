package intake

import (
	"bytes"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"

	"rxintake/config"
	"rxintake/extract"
)

// parsed is what intake reads from a message's header before handing it
// on: enough to claim it, to tell a referral from an auto-reply, and to find
// the sender's fax number with the body text of its Mail.
type parsed struct {
	header    message.Header
	messageID string
	date      time.Time
	from      string
	subject   string
}

// parseHeader reads only the header block of raw (which may be just that).
func parseHeader(raw []byte) (*parsed, error) {
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, fmt.Errorf("intake: message header: %w", err)
	}
	p := &parsed{header: e.Header}
	h := gomail.Header{Header: e.Header}
	p.messageID = messageID(h)
	p.date, _ = h.Date()
	p.subject, err = h.Subject()
	if err != nil {
		p.subject = h.Get("Subject")
	}
	p.from = fromAddress(h)
	return p, nil
}

func messageID(h gomail.Header) string {
	id, err := h.MessageID()
	if err != nil || id == "" {
		id = strings.TrimSpace(h.Get("Message-Id"))
		id = strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
	}
	return id
}

func fromAddress(h gomail.Header) string {
	for _, key := range []string{"From", "Sender"} {
		if l, err := h.AddressList(key); err == nil && len(l) > 0 {
			return strings.ToLower(l[0].Address)
		}
		if a, err := mail.ParseAddress(h.Get(key)); err == nil {
			return strings.ToLower(a.Address)
		}
	}
	return ""
}

// identity is who we are, to recognise our own correction requests coming
// back (a copy in the mailbox, a reply-all, a loop).
type identity struct {
	addresses map[string]bool // lower case
	domains   []string        // Message-ID right-hand sides we generate, lower case
}

func newIdentity(cfg *config.Config) identity {
	id := identity{addresses: map[string]bool{}}
	if a, err := mail.ParseAddress(cfg.SMTP.From); err == nil {
		addr := strings.ToLower(a.Address)
		id.addresses[addr] = true
		if i := strings.LastIndexByte(addr, '@'); i >= 0 {
			id.domains = append(id.domains, addr[i+1:])
		}
	}
	return id
}

// notReferral says why a message is not a referral to process, or "" when it
// may be one. The reasons are fixed strings: no PHI.
//
// m is the message's walk; a message whose every part was walked and that
// has neither an attachment nor body text is not a referral.
func notReferral(p *parsed, m *extract.Mail, me identity) string {
	h := p.header
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return "not-a-referral: auto-submitted (" + firstWord(v) + ")"
	}
	if h.Has("X-Autoreply") || h.Has("X-Autorespond") {
		return "not-a-referral: auto-reply"
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "bulk", "junk", "list", "auto_reply":
		return "not-a-referral: bulk mail (Precedence)"
	}
	if h.Has("List-Id") {
		return "not-a-referral: mailing list (List-Id)"
	}
	if rp := strings.TrimSpace(h.Get("Return-Path")); rp == "<>" {
		return "not-a-referral: bounce (null Return-Path)"
	}
	if local, _, ok := strings.Cut(p.from, "@"); ok && (strings.EqualFold(local, "mailer-daemon") || strings.EqualFold(local, "postmaster")) {
		return "not-a-referral: bounce (" + strings.ToLower(local) + ")"
	}
	if mt, params, _ := h.ContentType(); mt == "multipart/report" {
		return "not-a-referral: " + firstWord(strings.ToLower(params["report-type"])) + " report"
	}
	if me.addresses[p.from] {
		return "not-a-referral: our own message (From)"
	}
	if _, domain, ok := strings.Cut(p.messageID, "@"); ok {
		for _, d := range me.domains {
			if strings.EqualFold(domain, d) {
				return "not-a-referral: our own message (Message-ID)"
			}
		}
	}
	if len(m.Notes) == 0 && m.Attachments() == 0 && m.Body() == "" {
		return "not-a-referral: no attachment and no body text"
	}
	return ""
}

func firstWord(s string) string {
	s, _, _ = strings.Cut(s, ";")
	s = strings.TrimSpace(s)
	if len(s) > 40 {
		s = s[:40]
	}
	return s
}

// senderFax finds the sender's fax number in the subject, then the body
// text, with the configured patterns; "" when none yields a 10-digit number.
func senderFax(patterns []*regexp.Regexp, subject, text string) string {
	for _, s := range []string{subject, text} {
		for _, re := range patterns {
			for _, m := range re.FindAllStringSubmatch(s, -1) {
				if len(m) > 1 {
					if n := config.NormalizePhone(m[1]); n != "" {
						return n
					}
				}
			}
		}
	}
	return ""
}

// compilePatterns compiles fax.sender_patterns, naming the bad one.
func compilePatterns(src []string) ([]*regexp.Regexp, error) {
	var out []*regexp.Regexp
	for i, s := range src {
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("%w: fax.sender_patterns[%d]: %v", config.ErrInvalid, i, err)
		}
		if re.NumSubexp() < 1 {
			return nil, fmt.Errorf("%w: fax.sender_patterns[%d]: needs a capturing group for the number", config.ErrInvalid, i)
		}
		out = append(out, re)
	}
	return out, nil
}
