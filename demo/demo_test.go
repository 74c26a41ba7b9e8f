package demo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"gopkg.in/yaml.v3"

	"rxintake/config"
	"rxintake/internal/corpus"
)

// TestFaxPDFs: the fax PDFs of the demo are its fax TIFFs as image-only
// PDFs of one page, the size of a letter page at the resolution of their fax
// mode.
func TestFaxPDFs(t *testing.T) {
	for name := range faxPDFs {
		b, err := document(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("/CCITTFaxDecode")) || bytes.Count(b, []byte("/Type /Page ")) != 1 {
			t.Errorf("%s is not a one-page fax PDF", name)
		}
		var w, h float64
		if i := bytes.Index(b, []byte("/MediaBox [0 0 ")); i < 0 {
			t.Errorf("%s has no MediaBox", name)
		} else if _, err := fmt.Sscanf(string(b[i+len("/MediaBox [0 0 "):]), "%f %f", &w, &h); err != nil || w < 600 || w > 625 || h < 780 || h > 800 {
			t.Errorf("%s: page %.0f x %.0f points, want about 612 x 792 (%v)", name, w, h, err)
		}
	}
	if _, err := document("nothing.pdf"); err == nil {
		t.Error("a document that is not a fixture was found")
	}
}

// A sample's expected outcome is its fixture's truth.
func TestSamplesExpectTheTruth(t *testing.T) {
	ss, err := Samples()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		name := s.Name
		if strings.HasSuffix(name, ".pdf") {
			if _, err := os.Stat(filepath.Join("..", "testdata", name)); err != nil {
				name = strings.TrimSuffix(name, ".pdf") + ".tif"
			}
		}
		truth, err := corpus.LoadTruth(filepath.Join("..", "testdata", corpus.TruthPath(name)))
		if errors.Is(err, fs.ErrNotExist) {
			continue // written for the demo: the auto-reply, the unknown office
		}
		if err != nil {
			t.Fatal(err)
		}
		if s.Want != truth.Status {
			t.Errorf("%s: want %s, the fixture's truth says %s", s.Name, s.Want, truth.Status)
		}
		if rules := truth.Rules(); !slices.Equal(s.Expect, rules) && !(len(s.Expect) == 0 && len(rules) == 0) {
			t.Errorf("%s: expects %v, the fixture's truth says %v", s.Name, s.Expect, rules)
		}
	}
}

func TestSamples(t *testing.T) {
	ss, err := Samples()
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 12 {
		t.Errorf("%d samples, want a dozen", len(ss))
	}
	ids := map[string]bool{}
	for _, s := range ss {
		m, err := mail.ReadMessage(bytes.NewReader(s.Raw))
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		id := strings.Trim(m.Header.Get("Message-ID"), "<>")
		if id != s.MessageID || ids[id] {
			t.Errorf("%s: Message-ID %q, sample says %q (or it repeats)", s.Name, id, s.MessageID)
		}
		ids[id] = true
		if _, err := m.Header.Date(); err != nil {
			t.Errorf("%s: Date: %v", s.Name, err)
		}
		if s.WantTo != "" && !knownAddress(s.WantTo) {
			t.Errorf("%s: a correction request to %s, which is not in the office directory", s.Name, s.WantTo)
		}
		if !strings.HasPrefix(s.Kind, "fax, ") {
			continue
		}
		// Faxes come as fax services send them: the document attached as
		// application/octet-stream, the number in the subject.
		if !strings.Contains(m.Header.Get("Subject"), "fax received from 941555") {
			t.Errorf("%s: subject %q names no fax number", s.Name, m.Header.Get("Subject"))
		}
		_, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
		mr := multipart.NewReader(m.Body, params["boundary"])
		var types []string
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", s.Name, err)
			}
			types = append(types, p.Header.Get("Content-Type"))
		}
		if len(types) != 2 || !strings.HasPrefix(types[1], "application/octet-stream") {
			t.Errorf("%s: parts %q, want a text part and an application/octet-stream attachment", s.Name, types)
		}
	}
}

func knownAddress(addr string) bool {
	for _, o := range Offices {
		if slices.Contains(o.Emails, addr) {
			return true
		}
	}
	return false
}

// The office directory is valid configuration.
func TestOffices(t *testing.T) {
	b, err := yaml.Marshal(map[string]any{"offices": Offices})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := config.Parse(b, ""); err != nil {
		t.Fatal(err)
	}
}

func TestMailbox(t *testing.T) {
	ss, err := Samples()
	if err != nil {
		t.Fatal(err)
	}
	mb, err := StartMailbox(ss)
	if err != nil {
		t.Fatal(err)
	}
	defer mb.Close()
	if len(mb.UIDs) != len(ss) || mb.UIDValidity == 0 {
		t.Fatalf("UIDs %v, UIDVALIDITY %d for %d samples", mb.UIDs, mb.UIDValidity, len(ss))
	}
	c, err := imapclient.DialInsecure(net.JoinHostPort(mb.Host, strconv.Itoa(mb.Port)), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(mb.Username, "wrong").Wait(); err == nil {
		t.Error("login with a wrong password succeeded")
	}
	if err := c.Login(mb.Username, mb.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	sel, err := c.Select(mb.Folder, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if int(sel.NumMessages) != len(ss) || sel.UIDValidity != mb.UIDValidity {
		t.Errorf("INBOX holds %d messages under UIDVALIDITY %d; want %d under %d", sel.NumMessages, sel.UIDValidity, len(ss), mb.UIDValidity)
	}
	msgs, err := c.Fetch(imap.UIDSetNum(imap.UID(mb.UIDs[4])), &imap.FetchOptions{Envelope: true}).Collect()
	if err != nil || len(msgs) != 1 || msgs[0].Envelope.MessageID != ss[4].MessageID {
		t.Errorf("UID %d: %v, %+v; want %s", mb.UIDs[4], err, msgs, ss[4].MessageID)
	}
}

func TestSink(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "old.eml"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	k, err := StartSink(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if _, err := os.Stat(filepath.Join(dir, "old.eml")); !os.IsNotExist(err) {
		t.Errorf("an earlier run's email is still there: %v", err)
	}
	msg := "From: " + PracticeAddress + "\r\nTo: rx@gulfcoastfm.example\r\nSubject: RX-7K3QH2: please send a corrected prescription\r\n" +
		"Message-ID: <out1@baysidemassage.example>\r\nIn-Reply-To: <demo-03.20261127@rxintake.example>\r\n\r\nThe signature is missing.\r\n"
	addr := net.JoinHostPort(k.Host, strconv.Itoa(k.Port))
	bad := sasl.NewPlainClient("", k.Username, "wrong")
	if err := smtp.SendMail(addr, bad, PracticeAddress, []string{"rx@gulfcoastfm.example"}, strings.NewReader(msg)); err == nil {
		t.Error("AUTH with a wrong password succeeded")
	}
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Auth(sasl.NewPlainClient("", k.Username, k.Password)); err != nil {
		t.Fatal(err)
	}
	if err := c.SendMail(PracticeAddress, []string{"rx@gulfcoastfm.example"}, strings.NewReader(msg)); err != nil {
		t.Fatal(err)
	}
	c.Quit()
	sent := k.Sent()
	if len(sent) != 1 {
		t.Fatalf("sink kept %d messages, want 1", len(sent))
	}
	s := sent[0]
	if s.From != PracticeAddress || !slices.Equal(s.To, []string{"rx@gulfcoastfm.example"}) || s.MessageID != "out1@baysidemassage.example" ||
		!slices.Equal(s.InReplyTo, []string{"demo-03.20261127@rxintake.example"}) || !strings.HasPrefix(s.Subject, "RX-7K3QH2:") {
		t.Errorf("kept %+v", s)
	}
	if b, err := os.ReadFile(s.File); err != nil || string(b) != msg {
		t.Errorf("%s holds %q (%v), want the message as sent", s.File, b, err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 1 || filepath.Ext(files[0]) != ".eml" {
		t.Errorf("%s holds %v, want one .eml file", dir, files)
	}
}
