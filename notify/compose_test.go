package notify

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"rxintake/casefile"
	"rxintake/config"
	"rxintake/extract"
	"rxintake/validate"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func testSettings(t *testing.T, attach bool) Settings {
	t.Helper()
	cfg := config.Default()
	cfg.SMTP.From = "Bayside Medical Massage <referrals@bayside.example>"
	cfg.SMTP.ReplyTo = "frontdesk@bayside.example"
	cfg.Practice = config.Practice{Name: "Bayside Medical Massage", Phone: "941-321-5311", Fax: "9413215312", Signature: "Lizz Pugh, LMT"}
	cfg.Notify.AttachOriginal = &attach
	s, err := NewSettings(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var gulfCoast = &Office{Name: "Gulf Coast Family Medicine", Emails: []string{"rx@gulfcoastfm.example"}}

// golden compares got with testdata/name.want.eml; -update rewrites it.
// A mismatch leaves name.got.eml beside it.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	want := filepath.Join("testdata", name+".want.eml")
	gotFile := filepath.Join("testdata", name+".got.eml")
	if *update {
		if err := os.WriteFile(want, got, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Remove(gotFile)
		return
	}
	w, err := os.ReadFile(want)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(w, got) {
		os.WriteFile(gotFile, got, 0o644)
		t.Errorf("%s differs from %s (diff the two; -update accepts it)", gotFile, want)
		return
	}
	os.Remove(gotFile)
}

// parts reads a composed message: its header, the text and HTML parts, and
// the attachments by file name.
func parts(t *testing.T, b []byte) (gomail.Header, string, string, map[string][]byte) {
	t.Helper()
	r, err := gomail.CreateReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var text, html string
	att := map[string][]byte{}
	for {
		p, err := r.NextPart()
		if err != nil {
			break
		}
		body, _ := io.ReadAll(p.Body)
		switch h := p.Header.(type) {
		case *gomail.InlineHeader:
			ct, _, _ := h.ContentType()
			if ct == "text/plain" {
				text = string(body)
			} else {
				html = string(body)
			}
		case *gomail.AttachmentHeader:
			name, _ := h.Filename()
			att[name] = body
		}
	}
	return r.Header, text, html, att
}

func TestComposeRequest(t *testing.T) {
	asOf := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	date := time.Date(2026, 11, 20, 9, 30, 0, 0, eastern)
	original := filepath.Join(t.TempDir(), "ab", "cdef.eml")
	os.MkdirAll(filepath.Dir(original), 0o700)
	orig := []byte("From: amber@gulfcoastfm.example\r\nSubject: Order\r\n\r\nthe order\r\n")
	os.WriteFile(original, orig, 0o600)

	rec := rxMissingSignature(asOf)
	rec.CaseID = "RX-7K3QH2"
	r := NewRequest(rec, gulfCoast, original)
	m, err := Compose(r, testSettings(t, true), 1, "", date, orig)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "signature-m545", m.Bytes)

	h, text, html, att := parts(t, m.Bytes)
	subject, _ := h.Subject()
	if subject != "Corrected prescription needed: RX-7K3QH2 (patient S.V.)" {
		t.Errorf("subject %q", subject)
	}
	for _, leak := range []string{"Samantha", "Vasquez", "1964", "03/17"} {
		if strings.Contains(subject, leak) || strings.Contains(text, leak) || strings.Contains(html, leak) {
			t.Errorf("%q appears in the email", leak)
		}
	}
	if id, _ := h.MessageID(); id != "rxintake.RX-7K3QH2.1@bayside.example" {
		t.Errorf("Message-ID %q", id)
	}
	if irt, _ := h.MsgIDList("In-Reply-To"); len(irt) != 1 || irt[0] != "000000000000006c.1795122180@gulfcoastfm.example" {
		t.Errorf("In-Reply-To %q", irt)
	}
	if h.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("Auto-Submitted %q", h.Get("Auto-Submitted"))
	}
	to, _ := h.AddressList("To")
	if len(to) != 1 || to[0].Address != "rx@gulfcoastfm.example" {
		t.Errorf("To %v", to)
	}
	for _, want := range []string{
		"Signature: be sure to sign the prescription",
		"Replace M54.5 with one of its billable codes:",
		"M54.50 Low back pain, unspecified",
		"M54.59 Other low back pain",
		`Add the words "Medically Necessary"`,
		"dated 2026-11-17 (1 page",
		"or by fax to (941) 321-5312",
	} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("text part lacks %q", want)
		}
	}
	if !strings.Contains(html, "<strong>M54.51</strong>") {
		t.Errorf("HTML part lacks the children of M54.5")
	}
	if got := att["prescription-RX-7K3QH2.eml"]; !bytes.Equal(got, orig) {
		t.Errorf("attachment %q, want the original", got)
	}
	// The rendered example of the issue, for the reader of the test log.
	t.Logf("text part:\n%s", text)

	// The reminder: same thread, its own Message-ID.
	m2, err := Compose(r, testSettings(t, true), 2, "2026-11-20", date.AddDate(0, 0, 5), orig)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "signature-m545-reminder", m2.Bytes)
	h2, text2, _, _ := parts(t, m2.Bytes)
	if id, _ := h2.MessageID(); id != "rxintake.RX-7K3QH2.2@bayside.example" {
		t.Errorf("reminder Message-ID %q", id)
	}
	if irt, _ := h2.MsgIDList("In-Reply-To"); len(irt) != 1 || irt[0] != "rxintake.RX-7K3QH2.1@bayside.example" {
		t.Errorf("reminder In-Reply-To %q", irt)
	}
	if refs, _ := h2.MsgIDList("References"); len(refs) != 2 {
		t.Errorf("reminder References %q", refs)
	}
	if s, _ := h2.Subject(); !strings.HasPrefix(s, "Reminder: ") || !strings.Contains(text2, "We wrote to you on 2026-11-20") {
		t.Errorf("reminder subject %q / text:\n%s", s, text2)
	}
}

// A fax with most elements missing, original not attached (setting off).
func TestComposeFaxNoAttachment(t *testing.T) {
	asOf := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	rx := &extract.Prescription{
		Patient:    &extract.Patient{Name: "Jones, Mary", DOB: "1961-04-02"},
		Prescriber: &extract.Prescriber{Name: "Anil Patel", NPI: "1234567893"},
		Date:       "2026-11-18",
		Procedures: []extract.Procedure{{CPT: "97124", Text: "massage"}},
		Diagnoses:  []extract.Diagnosis{{Code: "M54.2", Description: "Cervicalgia", Billable: true}},
		Signature:  extract.Signature{Present: true, Kind: "wet"},
	}
	res, err := validate.Check(&extract.Document{Pages: []*extract.Page{{Number: 1, Text: "x", TextLayer: true}}}, rx, validate.DefaultProfile, asOf)
	if err != nil {
		t.Fatal(err)
	}
	rec := &casefile.Record{CaseID: "RX-4M2ZQ9", Status: casefile.Status(res.Status), Pages: 2, Prescription: rx, Findings: res.Findings,
		AsOf: "2026-11-20", Sender: &casefile.Sender{Fax: "9415550143"}}
	r := NewRequest(rec, gulfCoast, "")
	m, err := Compose(r, testSettings(t, false), 1, "", time.Date(2026, 11, 20, 9, 30, 0, 0, eastern), nil)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "fax-several", m.Bytes)
	h, text, _, att := parts(t, m.Bytes)
	if len(att) != 0 || h.Has("In-Reply-To") {
		t.Errorf("attachments %d, In-Reply-To %q: want none", len(att), h.Get("In-Reply-To"))
	}
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"myofascial release", `"4 units"`, "8-22 minutes = 1 unit", "2 pages", "your patient M.J.,"} {
		if !strings.Contains(flat, want) {
			t.Errorf("text part lacks %q", want)
		}
	}
}

func TestInitials(t *testing.T) {
	for in, want := range map[string]string{
		"Brittany Nguyen": "B.N.", "Nguyen, Brittany": "B.N.", "Mary Ann Jones": "M.J.", "Cher": "C.", "": "", "  ": "",
		"José Álvarez": "J.Á.",
	} {
		if got := Initials(in); got != want {
			t.Errorf("Initials(%q) = %q, want %q", in, got, want)
		}
	}
}
