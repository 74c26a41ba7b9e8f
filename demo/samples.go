// Package demo owns rxintake's sample mailbox: a dozen referrals made from
// the test fixtures (faxes as fax services email them, an emailed scan, a
// phone photo, office emails, an auto-reply, an office that is not in the
// directory), the office directory they come from, an in-memory IMAP server
// that holds them and an SMTP server that keeps every message rxintake
// sends as an .eml file. `rxintake demo` runs the real worker against them;
// nothing here touches the network beyond the loopback interface.
//
// The documents are the fixtures of testdata/, which the module embeds
// (rxintake.DemoFixtures); two fax TIFFs are sent as fax PDFs, made when the
// samples are.
package demo

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"

	"golang.org/x/image/tiff"

	"rxintake"
	"rxintake/config"
	"rxintake/internal/corpus"
)

// faxPDFs are the documents sent as image-only fax PDFs, the way fax
// services deliver them: NAME.pdf is the single-page fax TIFF NAME.tif of
// testdata/, at the resolution of its fax mode (dots per inch across and
// down).
var faxPDFs = map[string][2]int{
	"rxpad-standard.pdf":  {204, 98},
	"expired-swedish.pdf": {204, 98},
}

// document returns the sample document name: a fixture of testdata/, or a
// fax PDF made from one.
func document(name string) ([]byte, error) {
	res, ok := faxPDFs[name]
	if !ok {
		return rxintake.DemoFixtures.ReadFile("testdata/" + name)
	}
	tif := strings.TrimSuffix(name, ".pdf") + ".tif"
	b, err := rxintake.DemoFixtures.ReadFile("testdata/" + tif)
	if err != nil {
		return nil, err
	}
	img, err := tiff.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tif, err)
	}
	gray, ok := img.(*image.Gray)
	if !ok {
		return nil, fmt.Errorf("%s: a %T, not a bilevel page", tif, img)
	}
	return corpus.FaxPDF([]*image.Gray{gray}, res[0], res[1]), nil
}

// Sample is one message of the sample mailbox.
type Sample struct {
	Name      string // the document's file name, or the message's
	Kind      string // how it arrives: "fax, PDF", "emailed scan", ...
	MessageID string // without angle brackets
	Raw       []byte // RFC 5322, CRLF line ends
	// Want is the status a correct reading gives when correction requests
	// are sent (with no notifier, a needs-correction case goes to review:
	// rxintake cannot ask an office it cannot write to).
	Want string
	// WantTo is where the correction request goes: an address of the
	// office directory, or "" when none is sent.
	WantTo string
	// Expect are rule ids of docs/rules.md (or the reason a message is not a
	// referral) that a correct reading reports, among others it may.
	Expect []string
}

// The practice the samples are addressed to.
const (
	PracticeName    = "Bayside Medical Massage"
	PracticeAddress = "referrals@baysidemassage.example"
)

// Offices is the office directory of the demo: the offices the fixtures
// come from. Suncoast Spine & Pain Associates, which sends one sample, is
// missing on purpose.
var Offices = []config.Office{
	{Name: "Gulf Coast Family Medicine", Emails: []string{"rx@gulfcoastfm.example"},
		Fax: []string{"9415550143"}, NPI: []string{"1234567893"}},
	{Name: "Bayfront Orthopedics & Sports Medicine", Emails: []string{"referrals@bayfrontortho.example"},
		Fax: []string{"9415550122"}, NPI: []string{"1679576722"}},
	{Name: "Lakewood Ranch Internal Medicine", Emails: []string{"orders@lwrim.example"},
		Fax: []string{"9415550160"}, NPI: []string{"1003000126"}},
}

// est is the offices' time zone in November.
var est = time.FixedZone("EST", -5*60*60)

func at(month time.Month, d, hh, mm int) time.Time {
	return time.Date(2026, month, d, hh, mm, 0, 0, est)
}

// fax describes a fax as a fax-to-email service delivers it.
type fax struct {
	number, csid string
	pages        int
}

type sampleSpec struct {
	name, kind   string
	want, wantTo string
	expect       []string
	build        func(id string) ([]byte, error)
}

var specs = []sampleSpec{
	{"rxpad-fine.tif", "fax, TIFF + cover sheet", "complete", "", nil,
		faxMail("rxpad-fine.tif", fax{"9415550143", "GULF COAST FAMILY MED", 2}, at(time.November, 20, 14, 33))},
	{"ehr-order.pdf", "emailed EHR order, PDF", "complete", "", nil,
		officeMail("Gulf Coast Family Medicine", "orders@gulfcoastfm.example", "Referral order",
			"Please find the attached order.\n\nGulf Coast Family Medicine\nPhone (941)555-0100 | Fax (941)555-0143\n",
			"ehr-order.pdf", "Order_Jones_Mary.pdf", "application/pdf", at(time.November, 20, 14, 33))},
	{"rxpad-standard.pdf", "fax, PDF", "complete", "", nil,
		faxMail("rxpad-standard.pdf", fax{"9415550122", "BAYFRONT ORTHO", 1}, at(time.November, 18, 9, 6))},
	{"missing-signature.tif", "fax, TIFF", "needs-correction", "rx@gulfcoastfm.example", []string{"signature-missing"},
		faxMail("missing-signature.tif", fax{"9415550143", "GULF COAST FAMILY MED", 1}, at(time.November, 20, 14, 41))},
	{"expired-swedish.pdf", "fax, PDF", "needs-correction", "rx@gulfcoastfm.example", []string{"modality-unspecific", "rx-expired"},
		faxMail("expired-swedish.pdf", fax{"9415550143", "GULF COAST FAMILY MED", 1}, at(time.November, 3, 11, 12))},
	{"faxmail-tiff.eml", "fax (eFax), TIFF", "needs-correction", "orders@lwrim.example", []string{"npi-invalid"}, asIs("faxmail-tiff.eml")},
	{"scan.png", "emailed scan, PNG", "complete", "", nil,
		officeMail("Tasha - Bayfront Orthopedics", "referrals@bayfrontortho.example", "Massage therapy referral",
			"Hello,\n\nPlease see the attached referral for massage therapy.\n\nThank you,\nTasha, Front Desk\nBayfront Orthopedics & Sports Medicine\n",
			"scan.png", "scan0001.png", "image/png", at(time.October, 30, 15, 41))},
	{"missing-frequency.jpg", "phone photo, JPEG", "needs-correction", "referrals@bayfrontortho.example", []string{"frequency-missing"},
		officeMail("Karen Ellis", "referrals@bayfrontortho.example", "Rx for massage",
			"Rx attached\n\nSent from my iPhone\n", "missing-frequency.jpg", "IMG_0412.jpg", "image/jpeg", at(time.November, 6, 9, 31))},
	{"email-plain.eml", "email, text only", "complete", "", nil, asIs("email-plain.eml")},
	{"warnings-only.pdf", "emailed EHR order, PDF", "complete", "", []string{"diagnosis-single", "medical-necessity-missing"},
		officeMail("Bayfront Orthopedics", "referrals@bayfrontortho.example", "Order: medical massage",
			"Order attached.\n\nBayfront Orthopedics & Sports Medicine\n", "warnings-only.pdf", "order.pdf", "application/pdf", at(time.November, 16, 8, 41))},
	{"out-of-office.eml", "auto-reply", "needs-review", "", []string{"auto-submitted"}, autoReply},
	{"suncoast-spine.eml", "email, unknown office", "needs-review", "", []string{"frequency-missing", "office-unknown"}, unknownOffice},
}

// Samples returns the messages of the sample mailbox, in the order they
// arrive. The EHR order for Mary Jones comes before her unsigned fax: after
// it, it would be taken for the corrected prescription that answers the fax,
// and no correction request would be needed.
func Samples() ([]Sample, error) {
	out := make([]Sample, 0, len(specs))
	for i, s := range specs {
		id := fmt.Sprintf("demo-%02d.20261127@rxintake.example", i+1)
		raw, err := s.build(id)
		if err != nil {
			return nil, fmt.Errorf("demo: sample %s: %w", s.name, err)
		}
		if mid := headerValue(raw, "Message-ID"); mid != "" {
			id = strings.Trim(mid, "<> ")
		}
		out = append(out, Sample{Name: s.name, Kind: s.kind, MessageID: id, Raw: raw, Want: s.want, WantTo: s.wantTo, Expect: s.expect})
	}
	return out, nil
}

// asIs sends a fixture message unchanged.
func asIs(name string) func(string) ([]byte, error) {
	return func(string) ([]byte, error) { return document(name) }
}

// faxMail wraps a fax document in a fax service's notification, attached as
// application/octet-stream, as most services label it.
func faxMail(doc string, f fax, date time.Time) func(string) ([]byte, error) {
	return func(id string) ([]byte, error) {
		data, err := document(doc)
		if err != nil {
			return nil, err
		}
		ext := doc[strings.LastIndexByte(doc, '.'):]
		dashed := f.number[:3] + "-" + f.number[3:6] + "-" + f.number[6:]
		text := fmt.Sprintf("You have received a %d page fax from %s.\n\nReceived: %s\nPages: %d\nCaller ID: %s\nRemote CSID: %s\n\n"+
			"The fax is attached to this message.\n\n--\nThis message was sent by Fax Service. Please do not reply.\n",
			f.pages, dashed, date.Add(-time.Minute).Format("01/02/2006 3:04 PM"), f.pages, f.number, f.csid)
		m := message{
			from: `"Fax Service" <noreply@faxmail.example>`, subject: "New fax received from " + f.number,
			date: date, id: id, text: text,
			attach: &attachment{name: "fax_" + date.Add(-time.Minute).Format("20060102_150405") + ext, ctype: "application/octet-stream", data: data},
		}
		return m.bytes(), nil
	}
}

// officeMail is an office's email with a document attached.
func officeMail(name, addr, subject, text, doc, filename, ctype string, date time.Time) func(string) ([]byte, error) {
	return func(id string) ([]byte, error) {
		data, err := document(doc)
		if err != nil {
			return nil, err
		}
		m := message{from: (&mail.Address{Name: name, Address: addr}).String(), subject: subject, date: date, id: id, text: text,
			attach: &attachment{name: filename, ctype: ctype, data: data}}
		return m.bytes(), nil
	}
}

// autoReply is an office's out-of-office answer: not a referral.
func autoReply(id string) ([]byte, error) {
	m := message{from: `"Gulf Coast Family Medicine" <rx@gulfcoastfm.example>`, subject: "Automatic reply: Prescription received",
		date: at(time.November, 26, 17, 2), id: id,
		headers: [][2]string{{"Auto-Submitted", "auto-replied"}},
		text:    "Thank you for your message. Our office is closed for the Thanksgiving holiday and reopens on Monday, November 30.\n\nGulf Coast Family Medicine\n"}
	return m.bytes(), nil
}

// unknownOffice is an order from an office that is not in the directory,
// and that lacks a frequency: rxintake may not ask an unknown address for a
// correction, so a person sees it first.
func unknownOffice(id string) ([]byte, error) {
	m := message{from: `"Destiny - Suncoast Spine & Pain" <frontdesk@suncoastspine.example>`, subject: "Referral for massage therapy - Walter Brooks",
		date: at(time.November, 23, 10, 17), id: id,
		text: `Hello Bayside Medical Massage team,

Elena Ruiz MD (NPI: 1508236746) is referring our patient Walter Brooks, DOB 08/22/1957 to your office. The order is dated November 23, 2026.

Dr. Ruiz is referring our patient, Walter Brooks, date of birth 08/22/1957 for myofascial release to the low back. The relevant diagnoses are M54.50 - Low back pain, unspecified and M62.830 - Muscle spasm of back.

Sessions of 60 minutes. This therapy is medically necessary for his recovery.

This order was electronically signed by Elena Ruiz MD on Nov 23, 2026 at 9:48 AM.

Thank you for your help,
Destiny, Referral Coordinator
Suncoast Spine & Pain Associates
Phone (941)555-0180 | Fax (941)555-0181
`}
	return m.bytes(), nil
}

// message is an email to write out.
type message struct {
	from, subject string
	date          time.Time
	id            string
	headers       [][2]string // more header fields
	text          string
	attach        *attachment
}

type attachment struct {
	name, ctype string
	data        []byte
}

// bytes writes the message with CRLF line ends: a text part alone, or
// multipart/mixed with the attachment in base64.
func (m message) bytes() []byte {
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", m.from)
	h("To", (&mail.Address{Name: PracticeName, Address: PracticeAddress}).String())
	h("Subject", m.subject)
	h("Date", m.date.Format(time.RFC1123Z))
	h("Message-ID", "<"+m.id+">")
	for _, kv := range m.headers {
		h(kv[0], kv[1])
	}
	h("MIME-Version", "1.0")
	text := func() {
		h("Content-Type", `text/plain; charset="utf-8"`)
		h("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		qp := quotedprintable.NewWriter(&b)
		qp.Write([]byte(strings.ReplaceAll(m.text, "\n", "\r\n")))
		qp.Close()
		b.WriteString("\r\n")
	}
	if m.attach == nil {
		text()
		return b.Bytes()
	}
	boundary := "=_rxintake_demo_" + strings.NewReplacer("@", "_", ".", "_").Replace(m.id)
	h("Content-Type", `multipart/mixed; boundary="`+boundary+`"`)
	b.WriteString("\r\n--" + boundary + "\r\n")
	text()
	b.WriteString("--" + boundary + "\r\n")
	h("Content-Type", m.attach.ctype+`; name="`+m.attach.name+`"`)
	h("Content-Transfer-Encoding", "base64")
	h("Content-Disposition", `attachment; filename="`+m.attach.name+`"`)
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString(m.attach.data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--" + boundary + "--\r\n")
	return b.Bytes()
}

// headerValue returns the first value of a header field in raw, or "".
func headerValue(raw []byte, key string) string {
	hdr, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	for _, line := range strings.Split(string(hdr), "\r\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(k, key) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
