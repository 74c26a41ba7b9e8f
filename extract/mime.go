package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode the charsets mail clients use
	"github.com/emersion/go-message/mail"
	"golang.org/x/net/html"
)

// Limits of the MIME walk, well above anything a fax service or mail client
// sends.
const (
	maxMIMEDepth = 8
	maxMIMEParts = 200
)

// Email is the envelope of a message: what intake and notify need to thread
// a reply and find the sending office.
type Email struct {
	MessageID  string    `json:"message_id,omitempty"`
	InReplyTo  []string  `json:"in_reply_to,omitempty"`
	References []string  `json:"references,omitempty"`
	Subject    string    `json:"subject,omitempty"`
	From       string    `json:"from,omitempty"` // address only
	ReplyTo    string    `json:"reply_to,omitempty"`
	Date       time.Time `json:"date,omitzero"`
	Header     mail.Header
}

// Part is one leaf of a message: a body text or an attachment.
type Part struct {
	Name string // file name, or a description such as "message body"
	Type string // declared content type, lowercased
	Data []byte // decoded; for a body part, the text (HTML reduced to text)
	Body bool   // inline text meant to be read as the message body
}

// Mail is a message with its MIME parts walked: its envelope, its body
// texts and its attachments, recursing into forwarded messages. A message
// is walked once: intake judges it by its Mail (ParseMail) and hands the
// Mail on to be read (Reader.ReadMail).
type Mail struct {
	Email *Email
	Parts []Part   // in the order they stand in the message
	Notes []string // problems that cost a part (an unknown charset, a broken part)
	// Cut says why the walk stopped before the end of the message (more
	// parts, or parts nested deeper, than the limits): what was not read
	// may hold the prescription. "" when every part was walked.
	Cut  string
	size int // bytes of the message as it arrived
}

// ParseMail parses an RFC 5322 message and walks its parts. Problems that
// cost a part are kept as notes and the rest of the message is still read;
// the error return means the header cannot be parsed.
func ParseMail(data []byte) (*Mail, error) {
	e, err := message.Read(bytes.NewReader(data))
	if e == nil {
		return nil, fmt.Errorf("%w: the message header cannot be parsed (%v)", ErrUnreadable, err)
	}
	w := &walker{}
	if err != nil {
		w.note("%s", describeMIMEErr(err))
	}
	w.entity(e, 0, "message")
	return &Mail{Email: envelope(mail.Header{Header: e.Header}), Parts: w.parts, Notes: w.notes, Cut: w.cut, size: len(data)}, nil
}

// Body is the text of the message's body parts, in order, each trimmed,
// separated by a blank line.
func (m *Mail) Body() string {
	var texts []string
	for _, p := range m.Parts {
		if t := strings.TrimSpace(string(p.Data)); p.Body && t != "" {
			texts = append(texts, t)
		}
	}
	return strings.Join(texts, "\n\n")
}

// Attachments counts the parts that are not body text.
func (m *Mail) Attachments() int {
	n := 0
	for _, p := range m.Parts {
		if !p.Body {
			n++
		}
	}
	return n
}

func envelope(h mail.Header) *Email {
	env := &Email{Header: h}
	env.MessageID, _ = h.MessageID()
	env.InReplyTo, _ = h.MsgIDList("In-Reply-To")
	env.References, _ = h.MsgIDList("References")
	env.Subject, _ = h.Subject()
	if l, err := h.AddressList("From"); err == nil && len(l) > 0 {
		env.From = strings.ToLower(l[0].Address)
	}
	if l, err := h.AddressList("Reply-To"); err == nil && len(l) > 0 {
		env.ReplyTo = strings.ToLower(l[0].Address)
	}
	env.Date, _ = h.Date()
	return env
}

type walker struct {
	parts []Part
	notes []string
	count int
	cut   string // the first limit the walk hit
}

func (w *walker) note(format string, args ...any) {
	w.notes = append(w.notes, fmt.Sprintf(format, args...))
}

// limit notes a limit the walk hit; the first one is the message's Cut.
func (w *walker) limit(format string, args ...any) {
	w.note(format, args...)
	if w.cut == "" {
		w.cut = w.notes[len(w.notes)-1]
	}
}

func describeMIMEErr(err error) string {
	switch {
	case message.IsUnknownCharset(err):
		return "a part uses an unknown character set; it was read as is"
	case message.IsUnknownEncoding(err):
		return "a part uses an unknown transfer encoding; it was read as is"
	}
	return "a part is malformed: " + err.Error()
}

func (w *walker) entity(e *message.Entity, depth int, where string) {
	w.count++
	if w.count > maxMIMEParts {
		if w.count == maxMIMEParts+1 {
			w.limit("the message has more than %d parts; the rest were not read", maxMIMEParts)
		}
		return
	}
	if depth > maxMIMEDepth {
		w.limit("parts nested deeper than %d levels were not read", maxMIMEDepth)
		return
	}
	ctype, params, err := e.Header.ContentType()
	if err != nil || ctype == "" {
		ctype = "text/plain"
	}
	ctype = strings.ToLower(ctype)
	if mr := e.MultipartReader(); mr != nil {
		if ctype == "multipart/alternative" {
			w.alternative(mr, depth)
			return
		}
		for i := 1; ; i++ {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil && p == nil {
				w.note("a %s section is malformed (%v); the parts before it were read", ctype, err)
				break
			}
			if err != nil {
				w.note("%s", describeMIMEErr(err))
			}
			w.entity(p, depth+1, fmt.Sprintf("%s part %d", where, i))
		}
		return
	}
	body, err := io.ReadAll(e.Body)
	if err != nil {
		if len(body) == 0 {
			w.note("a part could not be decoded (%v); it was skipped", err)
			return
		}
		w.note("a part ends early (%v); what arrived was read", err)
	}
	name := fileName(e.Header, params)
	disp, _, _ := e.Header.ContentDisposition()
	switch {
	case ctype == "message/rfc822" || ctype == "message/global":
		inner, err := message.Read(bytes.NewReader(body))
		if inner == nil {
			w.note("an attached message cannot be parsed (%v)", err)
			return
		}
		if err != nil {
			w.note("%s", describeMIMEErr(err))
		}
		w.entity(inner, depth+1, where+" (forwarded message)")
	case strings.HasPrefix(ctype, "text/") && disp != "attachment" && name == "":
		text := string(body)
		if ctype == "text/html" {
			text = htmlText(body)
		}
		if ctype == "text/plain" || ctype == "text/html" {
			w.parts = append(w.parts, Part{Name: "message body", Type: ctype, Data: []byte(text), Body: true})
		}
	default:
		if name == "" {
			name = where
		}
		w.parts = append(w.parts, Part{Name: name, Type: ctype, Data: body})
	}
}

// alternative keeps one rendering of a multipart/alternative: the plain
// text if there is one, else the richest other.
func (w *walker) alternative(mr message.MultipartReader, depth int) {
	var kids []*message.Entity
	var bodies [][]byte
	for {
		p, err := mr.NextPart()
		if p == nil || (err != nil && errors.Is(err, io.EOF)) {
			break
		}
		b, rerr := io.ReadAll(p.Body)
		if rerr != nil {
			continue
		}
		q, _ := message.New(p.Header, bytes.NewReader(b))
		if q == nil {
			continue
		}
		kids, bodies = append(kids, q), append(bodies, b)
	}
	pick := -1
	for i, k := range kids {
		t, _, _ := k.Header.ContentType()
		if strings.EqualFold(t, "text/plain") {
			pick = i
			break
		}
		pick = i // later alternatives are richer
	}
	if pick < 0 {
		return
	}
	k := kids[pick]
	k.Body = bytes.NewReader(bodies[pick])
	w.entity(k, depth+1, "message body")
}

func fileName(h message.Header, ctParams map[string]string) string {
	if _, p, err := h.ContentDisposition(); err == nil && p["filename"] != "" {
		return p["filename"]
	}
	if n := ctParams["name"]; n != "" {
		if dec, err := new(mime.WordDecoder).DecodeHeader(n); err == nil {
			return dec
		}
		return n
	}
	return ""
}

// htmlText reduces HTML to its readable text, one line per block.
func htmlText(b []byte) string {
	z := html.NewTokenizer(bytes.NewReader(b))
	var sb strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return tidyLines(sb.String())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "head", "title":
				skip++
			case "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre":
				sb.WriteByte('\n')
			case "td", "th":
				sb.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "head", "title":
				if skip > 0 {
					skip--
				}
			case "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table":
				sb.WriteByte('\n')
			}
		case html.TextToken:
			if skip == 0 {
				sb.Write(z.Text())
			}
		}
	}
}

// tidyLines collapses runs of spaces and blank lines.
func tidyLines(s string) string {
	var out []string
	blank := 0
	for line := range strings.SplitSeq(strings.ReplaceAll(s, "\u00a0", " "), "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			blank++
			if blank > 1 || len(out) == 0 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, line)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
