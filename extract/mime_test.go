package extract

import (
	"encoding/base64"
	"os"
	"strings"
	"testing"
)

// crlf turns a readable message literal into wire format.
func crlf(s string) []byte {
	return []byte(strings.ReplaceAll(strings.TrimLeft(s, "\n"), "\n", "\r\n"))
}

func TestParseMail(t *testing.T) {
	pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.4\n%fake\n"))
	tests := []struct {
		name      string
		msg       string
		bodies    []string // substrings of the body texts, in order
		parts     []string // attachment names, in order
		notes     int
		messageID string
	}{
		{
			name: "fax to email with octet-stream pdf",
			msg: `
From: "eFax" <message@inbound.efax.example>
To: referrals@clinic.example
Subject: eFax from GULF COAST FM - 2 page(s), caller ID: 941-555-0143
Message-ID: <fax-1@efax.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=us-ascii

You have received a 2 page fax.
--b1
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="FAX_20261120_1732.dat"
Content-Transfer-Encoding: base64

` + pdf + `
--b1--
`,
			bodies:    []string{"You have received a 2 page fax."},
			parts:     []string{"FAX_20261120_1732.dat"},
			messageID: "fax-1@efax.example",
		},
		{
			name: "alternative prefers plain text",
			msg: `
From: rx@gulfcoastfm.example
Subject: Rx for M. Jones
Content-Type: multipart/alternative; boundary=alt

--alt
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Myofascial release 2x/week =E2=80=93 6 weeks
--alt
Content-Type: text/html; charset=utf-8

<p>Myofascial release <b>2x/week</b></p>
--alt--
`,
			bodies: []string{"Myofascial release 2x/week – 6 weeks"},
		},
		{
			name: "html only, reduced to text",
			msg: `
From: rx@gulfcoastfm.example
Subject: Rx
Content-Type: text/html; charset=iso-8859-1

<html><head><style>p{color:red}</style></head><body><p>Neuromuscular&nbsp;therapy</p><p>Neck</p><script>alert(1)</script></body></html>
`,
			bodies: []string{"Neuromuscular therapy\n\nNeck"},
		},
		{
			name: "forwarded message with its attachment",
			msg: `
From: frontdesk@clinic.example
Subject: Fwd: Rx
Content-Type: multipart/mixed; boundary=outer

--outer
Content-Type: text/plain

See below.
--outer
Content-Type: message/rfc822

From: rx@gulfcoastfm.example
Subject: Rx
Content-Type: multipart/mixed; boundary=inner

--inner
Content-Type: text/plain

Please see the attached order.
--inner
Content-Type: application/pdf; name="order.pdf"
Content-Transfer-Encoding: base64

` + pdf + `
--inner--
--outer--
`,
			bodies: []string{"See below.", "Please see the attached order."},
			parts:  []string{"order.pdf"},
		},
		{
			name: "unknown charset is read as is and noted",
			msg: `
From: a@b.example
Subject: x
Content-Type: text/plain; charset=x-unknown-7

Massage 97140
`,
			bodies: []string{"Massage 97140"},
			notes:  1,
		},
		{
			name: "unterminated multipart keeps the parts before the break",
			msg: `
From: a@b.example
Subject: x
Content-Type: multipart/mixed; boundary=zz

--zz
Content-Type: text/plain

first part
--zz
Content-Type: text/plain

second part, never closed`,
			bodies: []string{"first part", "second part"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseMail(crlf(tt.msg))
			if err != nil {
				t.Fatal(err)
			}
			env, parts, notes := m.Email, m.Parts, m.Notes
			var bodies, names []string
			for _, p := range parts {
				if p.Body {
					bodies = append(bodies, strings.TrimSpace(strings.ReplaceAll(string(p.Data), "\r\n", "\n")))
				} else {
					names = append(names, p.Name)
				}
			}
			if len(bodies) != len(tt.bodies) {
				t.Fatalf("bodies %q, want %q", bodies, tt.bodies)
			}
			for i := range bodies {
				if !strings.Contains(bodies[i], tt.bodies[i]) {
					t.Errorf("body %d = %q, want it to contain %q", i, bodies[i], tt.bodies[i])
				}
			}
			if strings.Join(names, ",") != strings.Join(tt.parts, ",") {
				t.Errorf("attachments %q, want %q", names, tt.parts)
			}
			if len(notes) < tt.notes {
				t.Errorf("notes %q, want at least %d", notes, tt.notes)
			}
			if tt.messageID != "" && env.MessageID != tt.messageID {
				t.Errorf("Message-ID %q, want %q", env.MessageID, tt.messageID)
			}
		})
	}
}

func TestParseMailDepthLimit(t *testing.T) {
	msg := "Content-Type: text/plain\r\n\r\ninnermost\r\n"
	for range maxMIMEDepth + 3 {
		msg = "From: a@b.example\r\nContent-Type: message/rfc822\r\n\r\n" + msg
	}
	m, err := ParseMail([]byte(msg))
	if err != nil {
		t.Fatal(err)
	}
	parts, notes := m.Parts, m.Notes
	if len(parts) != 0 || len(notes) == 0 {
		t.Fatalf("parts %d notes %q: want the deep part refused with a note", len(parts), notes)
	}
}

func FuzzParseMail(f *testing.F) {
	f.Add(crlf("From: a@b\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\nhi\n--x--\n"))
	f.Add(crlf("From: a@b\nContent-Type: message/rfc822\n\nFrom: c@d\n\nbody\n"))
	f.Add(crlf("Content-Type: multipart/alternative; boundary=\"\"\n\n--\n"))
	for _, name := range []string{"../testdata/faxmail-octet.eml", "../testdata/email-plain.eml", "../testdata/email-html.eml"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMail(data)
		if err != nil {
			return
		}
		total := 0
		for _, p := range m.Parts {
			total += len(p.Data)
		}
		// Decoding never grows a message by more than its text's
		// re-encoding (UTF-8 of Latin-1 doubles at most, plus line ends).
		if total > 4*len(data)+1024 {
			t.Fatalf("parts hold %d bytes from a %d-byte message", total, len(data))
		}
	})
}
