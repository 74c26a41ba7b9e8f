package corpus

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"mime/quotedprintable"
	"strings"
	"time"
)

// faxHeader writes a fax machine's transmit header line in one of several
// machines' formats.
func faxHeader(style int, t time.Time, csid, from, to string, page, total int) string {
	dash := func(n string) string { return n[:3] + "-" + n[3:6] + "-" + n[6:] }
	paren := func(n string) string { return "(" + n[:3] + ") " + n[3:6] + "-" + n[6:] }
	switch style % 6 {
	case 0:
		return fmt.Sprintf("%s %s  FROM: %s  %s  P. %d/%d", strings.ToUpper(t.Format("Jan-02-2006")), t.Format("15:04"), csid, from, page, total)
	case 1:
		return fmt.Sprintf("%s %s FROM: %s TO: %s P.%03d/%03d", t.Format("01/02/2006"), t.Format("3:04PM"), paren(from), to, page, total)
	case 2:
		return fmt.Sprintf("%s %s  %s  %s %s %s  page %d of %d", t.Format("Jan 02 2006"), t.Format("03:04pm"), csid, from[:3], from[3:6], from[6:], page, total)
	case 3:
		return fmt.Sprintf("From: %s  To: %s  %s %s  Pg %d/%d", from, to, t.Format("01-02-06"), t.Format("15:04"), page, total)
	case 4:
		return fmt.Sprintf("%s  %s -> %s  %s  Page %d of %d", t.Format("2006-01-02 15:04:05"), from, to, csid, page, total)
	}
	return fmt.Sprintf("%s %s  %s  FAX No. %s  P.%03d", strings.ToUpper(t.Format("02/Jan/2006/Mon")), t.Format("15:04"), csid, dash(from), page)
}

// message is an email message to write as an .eml file.
type message struct {
	from, to, subject string
	date              time.Time
	id                string // Message-ID without brackets
	text, html        string // bodies; an empty one is left out
	attach            *attachment
}

type attachment struct {
	name, ctype string // name "" leaves the filename out
	data        []byte
}

// bytes writes the message with CRLF line ends: a single text part, or
// multipart/mixed with the attachment in base64.
func (m message) bytes() []byte {
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", m.from)
	h("To", m.to)
	h("Subject", m.subject)
	h("Date", m.date.Format(time.RFC1123Z))
	h("Message-ID", "<"+m.id+">")
	h("MIME-Version", "1.0")
	body := func(ctype, text string) {
		h("Content-Type", ctype+"; charset=\"utf-8\"")
		h("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		qp := quotedprintable.NewWriter(&b)
		qp.Write([]byte(strings.ReplaceAll(text, "\n", "\r\n")))
		qp.Close()
		b.WriteString("\r\n")
	}
	if m.attach == nil {
		if m.html != "" {
			body("text/html", m.html)
		} else {
			body("text/plain", m.text)
		}
		return b.Bytes()
	}
	boundary := "----=_Part_" + strings.ReplaceAll(m.id, "@", "_")
	h("Content-Type", "multipart/mixed; boundary=\""+boundary+"\"")
	b.WriteString("\r\nThis is a multi-part message in MIME format.\r\n\r\n--" + boundary + "\r\n")
	body("text/plain", m.text)
	b.WriteString("--" + boundary + "\r\n")
	ct := m.attach.ctype
	disp := "attachment"
	if m.attach.name != "" {
		ct += "; name=\"" + m.attach.name + "\""
		disp += "; filename=\"" + m.attach.name + "\""
	}
	h("Content-Type", ct)
	h("Content-Transfer-Encoding", "base64")
	h("Content-Disposition", disp)
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString(m.attach.data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--" + boundary + "--\r\n")
	return b.Bytes()
}

// sheetHTML writes sheets as the HTML body of an email, the way a mail
// client sends it: paragraphs in divs, bold labels, &nbsp; for spacing.
func sheetHTML(sheets []sheet, fontFamily string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head>\n<body>\n<div style=\"font-family:%s,sans-serif;font-size:11pt\">\n", fontFamily)
	for _, sh := range sheets {
		for _, bl := range sh.blocks {
			switch bl.kind {
			case blockText:
				t := html.EscapeString(bl.text)
				if label, rest, ok := strings.Cut(t, ": "); ok && !bl.para && isLabel(label) {
					t = "<b>" + label + ":</b>&nbsp;" + rest
				}
				if bl.role == roleBold {
					t = "<b>" + t + "</b>"
				}
				if bl.para {
					b.WriteString("<div><br></div>\n")
				}
				b.WriteString("<div>" + t + "</div>\n")
			case blockRow:
				var parts []string
				for _, c := range bl.cells {
					parts = append(parts, "<b>"+html.EscapeString(c.label)+"</b>&nbsp;"+html.EscapeString(c.value))
				}
				b.WriteString("<div>" + strings.Join(parts, "&nbsp;&nbsp;&nbsp;") + "</div>\n")
			case blockSign:
				b.WriteString("<div><i>" + html.EscapeString(strings.TrimSpace(signText(bl.sig))) + "</i></div>\n")
			case blockRule:
				b.WriteString("<hr>\n")
			}
		}
	}
	b.WriteString("</div>\n</body></html>\n")
	return b.String()
}

// isLabel reports whether s reads as a field label ("Frequency", "- Dx").
func isLabel(s string) bool {
	if len(s) == 0 || len(s) > 24 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == ' ' || r == '-' || r == '*' || r == '/' || r == '(' || r == ')' || r == '•') {
			return false
		}
	}
	return true
}
