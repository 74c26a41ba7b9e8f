package notify

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"mime"
	"net/mail"
	"path/filepath"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"

	"rxintake/casefile"
	"rxintake/casework"
	"rxintake/config"
	"rxintake/icd10cm"
	"rxintake/validate"
)

//go:embed templates
var templateFS embed.FS

var (
	textTmpl = texttemplate.Must(texttemplate.New("request.txt").Funcs(texttemplate.FuncMap{
		"wrap": wrap, "add": func(a, b int) int { return a + b },
	}).ParseFS(templateFS, "templates/request.txt"))
	htmlTmpl = htmltemplate.Must(htmltemplate.New("request.html").Funcs(htmltemplate.FuncMap{
		"add": func(a, b int) int { return a + b },
	}).ParseFS(templateFS, "templates/request.html"))
)

// ErrCompose reports a request that cannot be written (no address, a bad
// From); it is permanent.
var ErrCompose = errors.New("notify: compose")

// Request is what a correction request says. It is stored with the outbox
// row, so that a reminder can be written from it later; it carries the
// patient's initials, never the name or the date of birth.
type Request struct {
	CaseID     string   `json:"case_id"`           // "RX-7K3QH2"
	Follows    string   `json:"follows,omitempty"` // the case a corrected Rx answered, when it is still incomplete
	Office     string   `json:"office"`
	To         []string `json:"to"`                    // directory addresses, bare
	Patient    string   `json:"patient,omitempty"`     // initials, "B.N."
	Prescriber string   `json:"prescriber,omitempty"`  // as printed, with credentials
	RxDate     string   `json:"rx_date,omitempty"`     // YYYY-MM-DD
	Received   string   `json:"received,omitempty"`    // YYYY-MM-DD
	Pages      int      `json:"pages"`                 // pages of documents; 0 for an email body
	Errors     []Item   `json:"errors"`                // what must change
	Warnings   []Item   `json:"warnings,omitempty"`    // suggestions
	InReplyTo  string   `json:"in_reply_to,omitempty"` // Message-ID of the email the Rx came in, no brackets
	References []string `json:"references,omitempty"`
	Original   string   `json:"original,omitempty"` // stored original to attach, "" for none
}

// Item is one finding as the office reads it: what is missing, and how to
// write it.
type Item struct {
	Rule     string         `json:"rule"`
	Problem  string         `json:"problem"`
	Fix      string         `json:"fix,omitempty"`
	Code     string         `json:"code,omitempty"`
	Children []icd10cm.Code `json:"children,omitempty"`
}

// Rules returns the rule ids the request asks to correct.
func (r *Request) Rules() []string {
	out := make([]string, 0, len(r.Errors))
	for _, e := range r.Errors {
		out = append(out, e.Rule)
	}
	return out
}

// NewRequest writes down the request for a record whose office is o.
// original is the stored original to attach ("" for none).
func NewRequest(rec *casefile.Record, o *Office, original string) *Request {
	r := &Request{CaseID: rec.CaseID, Office: o.Name, To: append([]string(nil), o.Emails...),
		Received: rec.AsOf, Pages: rec.Pages, Original: original, Errors: []Item{}}
	if rx := rec.Prescription; rx != nil {
		if rx.Patient != nil {
			r.Patient = Initials(rx.Patient.Name)
		}
		if rx.Prescriber != nil && rx.Prescriber.Name != "" {
			r.Prescriber = rx.Prescriber.Name
			if rx.Prescriber.Credentials != "" {
				r.Prescriber += ", " + rx.Prescriber.Credentials
			}
		}
		r.RxDate = rx.Date
	}
	for _, f := range rec.Findings {
		switch f.Rule {
		case casework.RuleOfficeUnknown, casework.RuleSenderUnverified, casework.RuleReplyUnverified:
			continue
		}
		if validate.IsReviewRule(f.Rule) {
			continue
		}
		it := Item{Rule: f.Rule, Problem: f.Message, Fix: f.Fix, Code: f.Code, Children: f.Children}
		if f.Severity == validate.Error {
			r.Errors = append(r.Errors, it)
		} else {
			r.Warnings = append(r.Warnings, it)
		}
	}
	if e := rec.Email; e != nil && e.MessageID != "" {
		r.InReplyTo = e.MessageID
		r.References = append(append([]string(nil), e.References...), e.MessageID)
	}
	return r
}

// Initials returns "B.N." for "Brittany Nguyen" or "Nguyen, Brittany", and
// "" when name has no letters.
func Initials(name string) string {
	first, last := name, ""
	if f, l, ok := strings.Cut(name, ","); ok {
		first, last = l, f
	}
	words := strings.Fields(first)
	if last != "" {
		words = append(words, strings.Fields(last)...)
	}
	var out []string
	for _, w := range words {
		for _, c := range w {
			if unicode.IsLetter(c) {
				out = append(out, string(unicode.ToUpper(c))+".")
				break
			}
		}
	}
	switch len(out) {
	case 0:
		return ""
	case 1:
		return out[0]
	}
	return out[0] + out[len(out)-1]
}

// Settings are what every request shares: who sends it and how the
// practice signs.
type Settings struct {
	From     *mail.Address
	ReplyTo  *mail.Address // nil: none
	Practice config.Practice
	Attach   bool  // attach the stored original
	MaxBytes int64 // largest original attached
}

// NewSettings takes the settings from the configuration.
func NewSettings(cfg *config.Config) (Settings, error) {
	s := Settings{Practice: cfg.Practice, Attach: cfg.Notify.AttachOriginal == nil || *cfg.Notify.AttachOriginal,
		MaxBytes: cfg.Notify.AttachMaxBytes}
	from, err := mail.ParseAddress(cfg.SMTP.From)
	if err != nil || !strings.Contains(from.Address, "@") {
		return s, fmt.Errorf("%w: smtp.from: %q is not an address", config.ErrInvalid, cfg.SMTP.From)
	}
	s.From = from
	if cfg.SMTP.ReplyTo != "" {
		if s.ReplyTo, err = mail.ParseAddress(cfg.SMTP.ReplyTo); err != nil {
			return s, fmt.Errorf("%w: smtp.reply_to: %q is not an address", config.ErrInvalid, cfg.SMTP.ReplyTo)
		}
	}
	if s.Practice.Name == "" {
		s.Practice.Name = from.Name
	}
	return s, nil
}

// Domain is the right-hand side of the Message-IDs rxintake writes: the
// domain of smtp.from.
func (s Settings) Domain() string {
	return strings.ToLower(s.From.Address[strings.LastIndexByte(s.From.Address, '@')+1:])
}

// MessageID is the Message-ID (without brackets) of request n of a case: 1
// for the request, 2 for the reminder. It is the same on every attempt.
func (s Settings) MessageID(caseID string, n int) string {
	return fmt.Sprintf("rxintake.%s.%d@%s", caseID, n, s.Domain())
}

// view is what the templates see.
type view struct {
	*Request
	Reminder     bool
	RequestDate  string // for a reminder: when the request went out
	MessageID    string
	Subject      string
	PagesText    string
	SessionTable bool
	Attached     bool
	TooLarge     bool // an original that was not attached for its size
	Practice     config.Practice
	PracticeFax  string
	PracticeTel  string
}

// Message is a composed email.
type Message struct {
	MessageID string // without brackets
	From      string // envelope sender
	To        []string
	Bytes     []byte
}

// Compose writes request r as an email: text/plain and HTML alternatives,
// and the original when it is to be attached. n is 1 for the request, 2 for
// the reminder (requestDate is then when the request went out); original
// holds the stored original's bytes, or nil.
func Compose(r *Request, s Settings, n int, requestDate string, date time.Time, original []byte) (*Message, error) {
	if len(r.To) == 0 {
		return nil, fmt.Errorf("%w: case %s: the office has no email address", ErrCompose, r.CaseID)
	}
	v := &view{Request: r, Reminder: n > 1, RequestDate: requestDate, MessageID: s.MessageID(r.CaseID, n),
		Practice: s.Practice, PracticeFax: phone(s.Practice.Fax), PracticeTel: phone(s.Practice.Phone)}
	v.Subject = "Corrected prescription needed: " + r.CaseID
	if r.Patient != "" {
		v.Subject += " (patient " + r.Patient + ")"
	}
	if v.Reminder {
		v.Subject = "Reminder: " + v.Subject
	}
	switch r.Pages {
	case 0:
		v.PagesText = "received by email"
	case 1:
		v.PagesText = "1 page"
	default:
		v.PagesText = fmt.Sprintf("%d pages", r.Pages)
	}
	for _, e := range r.Errors {
		v.SessionTable = v.SessionTable || e.Rule == validate.RuleSessionMissing
	}
	attach := s.Attach && r.Original != "" && original != nil
	if attach && s.MaxBytes > 0 && int64(len(original)) > s.MaxBytes {
		attach, v.TooLarge = false, true
	}
	v.Attached = attach

	var text, html bytes.Buffer
	if err := textTmpl.Execute(&text, v); err != nil {
		return nil, fmt.Errorf("%w: text: %v", ErrCompose, err)
	}
	if err := htmlTmpl.Execute(&html, v); err != nil {
		return nil, fmt.Errorf("%w: html: %v", ErrCompose, err)
	}

	var h gomail.Header
	h.SetDate(date)
	h.SetAddressList("From", []*gomail.Address{{Name: s.From.Name, Address: s.From.Address}})
	to := make([]*gomail.Address, len(r.To))
	for i, a := range r.To {
		to[i] = &gomail.Address{Name: r.Office, Address: a}
	}
	h.SetAddressList("To", to)
	if s.ReplyTo != nil {
		h.SetAddressList("Reply-To", []*gomail.Address{{Name: s.ReplyTo.Name, Address: s.ReplyTo.Address}})
	}
	h.SetSubject(v.Subject)
	h.SetMessageID(v.MessageID)
	inReplyTo, refs := r.InReplyTo, r.References
	if v.Reminder {
		first := s.MessageID(r.CaseID, 1)
		inReplyTo, refs = first, append(append([]string(nil), refs...), first)
	}
	if inReplyTo != "" {
		h.SetMsgIDList("In-Reply-To", []string{inReplyTo})
	}
	if len(refs) > 0 {
		h.SetMsgIDList("References", refs)
	}
	h.Set("Auto-Submitted", "auto-generated")
	h.Set("X-Auto-Response-Suppress", "All") // no out-of-office replies from Exchange
	h.Set("MIME-Version", "1.0")

	// Boundaries derived from the Message-ID: the same request gives the
	// same bytes, which the golden files rely on.
	sum := sha256.Sum256([]byte(v.MessageID))
	boundary := func(kind string) string { return "rxintake-" + kind + "-" + hex.EncodeToString(sum[:8]) }

	var (
		buf       bytes.Buffer
		top, altW *message.Writer
		err       error
	)
	var alt message.Header
	alt.SetContentType("multipart/alternative", map[string]string{"boundary": boundary("alt")})
	if attach {
		h.SetContentType("multipart/mixed", map[string]string{"boundary": boundary("mixed")})
		if top, err = message.CreateWriter(&buf, h.Header); err == nil {
			altW, err = top.CreatePart(alt)
		}
	} else {
		h.SetContentType("multipart/alternative", map[string]string{"boundary": boundary("alt")})
		altW, err = message.CreateWriter(&buf, h.Header)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCompose, err)
	}
	for _, p := range []struct {
		typ  string
		body []byte
	}{{"text/plain", text.Bytes()}, {"text/html", html.Bytes()}} {
		var ph message.Header
		ph.SetContentType(p.typ, map[string]string{"charset": "utf-8"})
		ph.Set("Content-Transfer-Encoding", "quoted-printable")
		w, err := altW.CreatePart(ph)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCompose, err)
		}
		if _, err := w.Write(p.body); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCompose, err)
		}
		if err := w.Close(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCompose, err)
		}
	}
	if err := altW.Close(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCompose, err)
	}
	if attach {
		var ah gomail.AttachmentHeader
		name := "prescription-" + r.CaseID + filepath.Ext(r.Original)
		ctype := mime.TypeByExtension(filepath.Ext(r.Original))
		if filepath.Ext(r.Original) == ".eml" || ctype == "" {
			// A stored original is the whole message as it arrived; sent as
			// a file so that no transfer encoding rules bind it.
			ctype = "application/octet-stream"
		}
		ah.SetContentType(ctype, map[string]string{"name": name})
		ah.SetFilename(name)
		ah.Set("Content-Transfer-Encoding", "base64")
		w, err := top.CreatePart(ah.Header)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCompose, err)
		}
		if _, err := w.Write(original); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCompose, err)
		}
		if err := w.Close(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCompose, err)
		}
		if err := top.Close(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCompose, err)
		}
	}
	return &Message{MessageID: v.MessageID, From: s.From.Address, To: r.To, Bytes: buf.Bytes()}, nil
}

// phone writes a 10-digit US number as (941) 555-0143; anything else as
// given.
func phone(s string) string {
	n := config.NormalizePhone(s)
	if n == "" {
		return strings.TrimSpace(s)
	}
	return "(" + n[:3] + ") " + n[3:6] + "-" + n[6:]
}

// wrap folds s to lines of at most 72 columns, indenting every line after
// the first by indent spaces.
func wrap(indent int, s string) string {
	const width = 72
	var b strings.Builder
	col := indent
	for i, w := range strings.Fields(s) {
		if i > 0 {
			if col+1+len(w) > width {
				b.WriteString("\n" + strings.Repeat(" ", indent))
				col = indent
			} else {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(w)
		col += len(w)
	}
	return b.String()
}
