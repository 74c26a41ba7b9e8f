package intake

import (
	"strings"
	"testing"

	"rxintake/config"
	"rxintake/extract"
)

func TestNotReferral(t *testing.T) {
	cfg := config.Default()
	cfg.SMTP.From = testFrom
	me := newIdentity(&cfg)
	body := "\r\n\r\nPlease see the attached prescription.\r\n"
	tests := []struct {
		name, header, want string
	}{
		{"referral", "From: rx@gulfcoastfm.example\r\nMessage-ID: <a@gulfcoastfm.example>", ""},
		{"Auto-Submitted: no", "From: rx@gulfcoastfm.example\r\nAuto-Submitted: no", ""},
		{"auto-replied", "From: rx@gulfcoastfm.example\r\nAuto-Submitted: auto-replied", "auto-submitted (auto-replied)"},
		{"auto-generated with a comment", "From: x@y.example\r\nAuto-Submitted: auto-generated; owner-email=x", "auto-submitted (auto-generated)"},
		{"X-Autoreply", "From: x@y.example\r\nX-Autoreply: yes", "auto-reply"},
		{"Precedence bulk", "From: x@y.example\r\nPrecedence: bulk", "bulk mail"},
		{"Precedence junk", "From: x@y.example\r\nPrecedence: Junk", "bulk mail"},
		{"List-Id", "From: x@y.example\r\nList-Id: <l.y.example>", "mailing list"},
		{"null Return-Path", "Return-Path: <>\r\nFrom: x@y.example", "null Return-Path"},
		{"MAILER-DAEMON", "From: Mail Delivery System <MAILER-DAEMON@mx.example>", "bounce (mailer-daemon)"},
		{"postmaster", "From: postmaster@mx.example", "bounce (postmaster)"},
		{"delivery report", "From: x@y.example\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b", "delivery-status report"},
		{"our From", "From: " + testFrom, "our own message (From)"},
		{"our Message-ID", "From: someone@else.example\r\nMessage-ID: <rxintake.1@clinic.example>", "our own message (Message-ID)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := tt.header + body
			if strings.Contains(tt.header, "multipart/report") {
				raw = tt.header + "\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nundeliverable\r\n--b--\r\n"
			}
			p, m := parseTest(t, raw)
			got := notReferral(p, m, me)
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("notReferral = %q, want %q", got, tt.want)
			}
			if got != "" && !strings.HasPrefix(got, "not-a-referral: ") {
				t.Errorf("reason %q does not start with the rule id", got)
			}
		})
	}
}

// parseTest reads raw as the worker does: its header, and the walk of its
// parts.
func parseTest(t *testing.T, raw string) (*parsed, *extract.Mail) {
	t.Helper()
	p, err := parseHeader([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	m, err := extract.ParseMail([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return p, m
}

// TestEmptyMessage: a message with neither an attachment nor body text is
// not a referral; what the walk counts as either comes from extract.
func TestEmptyMessage(t *testing.T) {
	tests := []struct {
		name  string
		raw   string
		empty bool
	}{
		{"plain text", "Subject: x\r\n\r\nMFR 97140 lumbar\r\n", false},
		{"no body", "Subject: x\r\n\r\n", true},
		{"blank body", "Subject: x\r\n\r\n \r\n\r\n", true},
		{"html only", "Content-Type: text/html\r\n\r\n<p>New fax received from <b>9415550143</b></p><style>p{}</style>", false},
		{"html without words", "Content-Type: text/html\r\n\r\n<p> </p><style>p{color:red}</style>", true},
		{"octet-stream PDF without body text",
			"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n", false},
		{"inline image without a name", "Content-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n\r\n--b\r\nContent-Type: image/tiff\r\n\r\nII*\x00\r\n--b--\r\n", false},
		{"text attachment", "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=rx.txt\r\n\r\nRx\r\n--b--\r\n", false},
		{"unknown charset", "Content-Type: text/plain; charset=x-unknown\r\n\r\nhello", false},
		{"a part that ends early", "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, m := parseTest(t, tt.raw)
			if got := notReferral(p, m, identity{}) != ""; got != tt.empty {
				t.Errorf("counted as empty: %v, want %v (parts %+v, notes %q)", got, tt.empty, m.Parts, m.Notes)
			}
		})
	}
	if _, err := parseHeader([]byte("not a header line\r\n\r\n")); err == nil {
		t.Error("a message without a header parsed")
	}
}

func TestSenderFax(t *testing.T) {
	patterns, err := compilePatterns(config.DefaultSenderPatterns)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ subject, text, want string }{
		{"New fax received from 9415550143", "", "9415550143"},
		{`eFax from "GULF COAST FM" - 2 page(s), caller ID: 941-555-0143`, "", "9415550143"},
		{"Fax received from +1 (941) 555-0143", "", "9415550143"},
		{"Fax received from GULFCOASTFM", "Caller ID: 941.555.0143", "9415550143"},
		{"Fax received from GULFCOASTFM", "no number here", ""},
		{"Fax from 0123456789", "", ""}, // not a US number
		{"Prescription", "call us at 941-555-0100", ""},
	}
	for _, tt := range tests {
		if got := senderFax(patterns, tt.subject, tt.text); got != tt.want {
			t.Errorf("senderFax(%q, %q) = %q, want %q", tt.subject, tt.text, got, tt.want)
		}
	}
	// The body text is the reader's: an HTML notification reduced to text.
	w := &Worker{faxPatterns: patterns}
	c := w.newContent([]byte("Subject: New fax\r\nContent-Type: text/html\r\n\r\n<p>Fax received from <b>(941) 555-0143</b></p>"))
	if err := w.walk(MessageKey{}, c); err != nil {
		t.Fatal(err)
	}
	if c.fax != "9415550143" {
		t.Errorf("fax of an HTML notification %q, want 9415550143", c.fax)
	}
}

func FuzzParseMessage(f *testing.F) {
	for _, m := range [][]byte{rxEmail(1, ""), faxEmail(2, "pdf"), bounce(3), autoReply(4), listMail(5),
		[]byte("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: multipart/alternative; boundary=c\r\n\r\n--c\r\n\r\nx\r\n--c--\r\n--b--\r\n")} {
		f.Add(m)
	}
	patterns, _ := compilePatterns(config.DefaultSenderPatterns)
	w := &Worker{faxPatterns: patterns}
	f.Fuzz(func(t *testing.T, raw []byte) {
		c := w.newContent(raw)
		if err := w.walk(MessageKey{}, c); err != nil {
			t.Fatal(err)
		}
		if c.p == nil {
			return
		}
		notReferral(c.p, c.mail, identity{addresses: map[string]bool{"a@b": true}, domains: []string{"b"}})
		if c.fax != "" && len(c.fax) != 10 {
			t.Errorf("sender fax %q is not 10 digits", c.fax)
		}
	})
}
