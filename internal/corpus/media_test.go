package corpus

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/ccitt"
	"golang.org/x/image/tiff"
)

// ifd is one TIFF image file directory: tag -> values (a RATIONAL gives
// numerator and denominator).
type ifd map[uint16][]uint32

// readTIFF parses the IFD chain of a little-endian TIFF.
func readTIFF(t *testing.T, b []byte) []ifd {
	t.Helper()
	if len(b) < 8 || string(b[:4]) != "II*\x00" {
		t.Fatalf("not a little-endian TIFF")
	}
	le := binary.LittleEndian
	var out []ifd
	for off := le.Uint32(b[4:]); off != 0; {
		if int(off)+2 > len(b) || len(out) > 100 {
			t.Fatalf("IFD offset %d out of range", off)
		}
		n := int(le.Uint16(b[off:]))
		d := ifd{}
		for i := 0; i < n; i++ {
			e := b[int(off)+2+12*i:]
			tag, typ, count := le.Uint16(e), le.Uint16(e[2:]), le.Uint32(e[4:])
			switch {
			case typ == 3 && count <= 2:
				for k := uint32(0); k < count; k++ {
					d[tag] = append(d[tag], uint32(le.Uint16(e[8+2*k:])))
				}
			case typ == 4 && count == 1:
				d[tag] = []uint32{le.Uint32(e[8:])}
			case typ == 5 && count == 1:
				v := le.Uint32(e[8:])
				d[tag] = []uint32{le.Uint32(b[v:]), le.Uint32(b[v+4:])}
			default:
				t.Fatalf("tag %d: unexpected type %d count %d", tag, typ, count)
			}
		}
		out = append(out, d)
		off = le.Uint32(b[int(off)+2+12*n:])
	}
	return out
}

// checkTIFF checks a fax TIFF's pages: class F tags, and every strip decodes.
func checkTIFF(t *testing.T, b []byte, pages, yres int) {
	t.Helper()
	dirs := readTIFF(t, b)
	if len(dirs) != pages {
		t.Fatalf("%d pages, want %d", len(dirs), pages)
	}
	if yres == 0 { // either resolution
		yres = int(dirs[0][283][0])
	}
	for i, d := range dirs {
		want := map[uint16][]uint32{256: {1728}, 258: {1}, 259: {4}, 262: {0}, 266: {1}, 277: {1}, 282: {204, 1}, 283: {uint32(yres), 1}, 296: {2}, 297: {uint32(i), uint32(pages)}}
		for tag, v := range want {
			if !slicesEqual(d[tag], v) {
				t.Errorf("page %d tag %d = %v, want %v", i+1, tag, d[tag], v)
			}
		}
		rows := int(d[257][0])
		if yres == faxStdRes && rows != faxRowsFine/2 || yres == faxFineRes && rows != faxRowsFine {
			t.Errorf("page %d has %d rows at %d lpi", i+1, rows, yres)
		}
		strip := b[d[273][0] : d[273][0]+d[279][0]]
		img := image.NewGray(image.Rect(0, 0, 1728, rows))
		if err := ccitt.DecodeIntoGray(img, bytes.NewReader(strip), ccitt.MSB, ccitt.Group4, nil); err != nil {
			t.Errorf("page %d: %v", i+1, err)
		}
	}
	if _, err := tiff.Decode(bytes.NewReader(b)); err != nil {
		t.Errorf("x/image/tiff: %v", err)
	}
	if _, err := exec.LookPath("tiffinfo"); err == nil {
		path := filepath.Join(t.TempDir(), "f.tif")
		os.WriteFile(path, b, 0o644)
		out, err := exec.Command("tiffinfo", "-D", path).CombinedOutput()
		if err != nil || bytes.Contains(out, []byte("Error")) || bytes.Contains(out, []byte("Warning")) ||
			bytes.Count(out, []byte("Compression Scheme: CCITT Group 4")) != pages {
			t.Errorf("tiffinfo -D: %v\n%s", err, out)
		}
	}
}

func slicesEqual(a, b []uint32) bool {
	return len(a) == len(b) && string(binaryOf(a)) == string(binaryOf(b))
}

func binaryOf(v []uint32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, x)
	}
	return b
}

func TestFaxTIFF(t *testing.T) {
	fs := testFontSet(t)
	var pages []*image.Gray
	for i := 0; i < 3; i++ {
		p := flow([]sheet{{left: 72, right: 72, top: 72, bottom: 72, body: 12, blocks: []block{textBlock(roleRegular, 0, "Page of a fax")}}}, fs)[0]
		pages = append(pages, faxPage(fs, p, faxHeader(i, receiveDay, "GULF COAST FAMILY MED", gulfFax, "9415550199", i+1, 3), faxOpts{standard: true}, rand.New(rand.NewPCG(3, 4))))
	}
	b, err := FaxTIFF(pages, faxXRes, faxStdRes)
	if err != nil {
		t.Fatal(err)
	}
	checkTIFF(t, b, 3, faxStdRes)
	if _, err := FaxTIFF(nil, faxXRes, faxFineRes); err == nil {
		t.Error("no error for a TIFF without pages")
	}
}

// fixtureFiles generates the fixture set once for the tests that read it.
var fixtureFiles = sync.OnceValues(func() (map[string]*File, error) {
	out := map[string]*File{}
	for _, name := range FixtureNames() {
		f, err := GenerateFixture(name)
		if err != nil {
			return nil, err
		}
		out[name] = f
	}
	return out, nil
})

func fixtureFile(t *testing.T, name string) *File {
	t.Helper()
	files, err := fixtureFiles()
	if err != nil {
		t.Fatal(err)
	}
	f, ok := files[name]
	if !ok {
		t.Fatalf("no fixture %s", name)
	}
	return f
}

// TestFixtures checks every named fixture: its truth, that the file parses
// as its kind with the page count the truth gives, and what the brief of
// each fixture asks.
func TestFixtures(t *testing.T) {
	tests := []struct {
		name   string
		pages  int
		rules  []string
		detail func(t *testing.T, f *File)
	}{
		{"rxpad-fine.tif", 2, nil, func(t *testing.T, f *File) {
			checkTIFF(t, f.Data, 2, faxFineRes)
			if !f.Truth.Cover {
				t.Error("no cover sheet")
			}
		}},
		{"rxpad-standard.tif", 1, nil, func(t *testing.T, f *File) { checkTIFF(t, f.Data, 1, faxStdRes) }},
		{"form-fax.pdf", 1, nil, func(t *testing.T, f *File) { checkPDF(t, f.Data, 1, "/CCITTFaxDecode") }},
		{"ehr-order.pdf", 1, nil, func(t *testing.T, f *File) {
			checkPDF(t, f.Data, 1, "/WinAnsiEncoding")
			text := pdfText(t, f.Data)
			for _, want := range []string{"Electronically signed by Anil Patel, MD on 11/20/2026 14:02", "Procedure:", "97140", "M54.50", "1234567893"} {
				if text != "" && !strings.Contains(text, want) {
					t.Errorf("pdftotext output lacks %q:\n%s", want, text)
				}
			}
		}},
		{"faxmail-octet.eml", 2, nil, func(t *testing.T, f *File) {
			m, att := readMail(t, f.Data)
			if m.Header.Get("Subject") != "New fax received from 9415550143" {
				t.Errorf("subject %q", m.Header.Get("Subject"))
			}
			if att.ctype != "application/octet-stream" || !strings.HasSuffix(att.name, ".tif") || !bytes.HasPrefix(att.data, []byte("%PDF-")) {
				t.Errorf("attachment %s %q starting %q: want a PDF named .tif as octet-stream", att.ctype, att.name, att.data[:8])
			}
			checkPDF(t, att.data, 2, "/CCITTFaxDecode")
		}},
		{"phone-scan.jpg", 1, nil, func(t *testing.T, f *File) { checkImage(t, f.Data, jpeg.Decode) }},
		{"scan.png", 1, nil, func(t *testing.T, f *File) { checkImage(t, f.Data, png.Decode) }},
		{"email-plain.eml", 0, nil, func(t *testing.T, f *File) {
			m, _ := readMail(t, f.Data)
			if ct := m.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || m.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
				t.Errorf("Content-Type %q", ct)
			}
		}},
		{"email-html.eml", 0, nil, func(t *testing.T, f *File) {
			m, _ := readMail(t, f.Data)
			if ct := m.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q", ct)
			}
		}},
		{"letter.txt", 0, nil, func(t *testing.T, f *File) {
			for _, want := range []string{"neuromuscular therapy", "M54.2", "3 times a week for 2 weeks"} {
				if !bytes.Contains(f.Data, []byte(want)) {
					t.Errorf("letter lacks %q", want)
				}
			}
		}},
		{"missing-signature.tif", 1, []string{RuleSignatureMissing}, func(t *testing.T, f *File) { checkTIFF(t, f.Data, 1, faxFineRes) }},
		{"header-code.pdf", 1, []string{RuleDiagnosisInvalid}, func(t *testing.T, f *File) { checkPDF(t, f.Data, 1, "/CCITTFaxDecode") }},
		{"missing-frequency.jpg", 1, []string{RuleFrequencyMissing}, nil},
		{"faxmail-tiff.eml", 1, []string{RuleNPIInvalid}, func(t *testing.T, f *File) {
			_, att := readMail(t, f.Data)
			if att.name != "" || att.ctype != "application/octet-stream" {
				t.Errorf("attachment %s %q: want no file name", att.ctype, att.name)
			}
			checkTIFF(t, att.data, 1, 0)
		}},
		{"expired-swedish.tif", 1, []string{RuleModalityUnspecific, RuleRxExpired}, func(t *testing.T, f *File) { checkTIFF(t, f.Data, 1, faxStdRes) }},
		{"handwritten-pad.png", 1, nil, func(t *testing.T, f *File) {
			if f.Truth.Tier != TierHandwriting {
				t.Errorf("tier %q", f.Truth.Tier)
			}
		}},
		{"letter-scan.pdf", 1, nil, func(t *testing.T, f *File) { checkPDF(t, f.Data, 1, "/DCTDecode") }},
		{"warnings-only.pdf", 1, []string{RuleDiagnosisSingle, RuleNecessityMissing}, func(t *testing.T, f *File) {
			if f.Truth.Status != StatusComplete {
				t.Errorf("status %s", f.Truth.Status)
			}
		}},
	}
	if len(tests) != len(FixtureNames()) {
		t.Errorf("%d fixtures tested, %d written", len(tests), len(FixtureNames()))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := fixtureFile(t, tc.name)
			if err := f.Truth.Check(); err != nil {
				t.Fatal(err)
			}
			if f.Truth.File != tc.name || f.Truth.Pages != tc.pages {
				t.Errorf("truth names %s with %d pages, want %s with %d", f.Truth.File, f.Truth.Pages, tc.name, tc.pages)
			}
			if got := f.Truth.Rules(); !slicesEqualString(got, tc.rules) {
				t.Errorf("rules %v, want %v", got, tc.rules)
			}
			if tc.detail != nil {
				tc.detail(t, f)
			}
		})
	}
}

func slicesEqualString(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

func checkImage(t *testing.T, b []byte, decode func(io.Reader) (image.Image, error)) {
	t.Helper()
	img, err := decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if r := img.Bounds(); r.Dx() != 2550 || r.Dy() != 3300 {
		t.Errorf("image is %v, want 2550x3300 (Letter at 300 dpi)", r)
	}
}

var pageRE = regexp.MustCompile(`/Type /Page\b[^s]`)

// checkPDF checks the structure of a generated PDF, and asks pdfinfo when
// it is installed.
func checkPDF(t *testing.T, b []byte, pages int, must string) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-1.4")) || !bytes.HasSuffix(b, []byte("%%EOF\n")) {
		t.Error("PDF header or trailer missing")
	}
	if n := len(pageRE.FindAll(b, -1)); n != pages {
		t.Errorf("%d page objects, want %d", n, pages)
	}
	if !bytes.Contains(b, []byte(must)) {
		t.Errorf("PDF lacks %s", must)
	}
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		return
	}
	path := filepath.Join(t.TempDir(), "f.pdf")
	os.WriteFile(path, b, 0o644)
	out, err := exec.Command("pdfinfo", path).CombinedOutput()
	if err != nil || bytes.Contains(out, []byte("Syntax Error")) || bytes.Contains(out, []byte("Syntax Warning")) {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	if want := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out); want == nil || string(want[1]) != itoa(pages) {
		t.Errorf("pdfinfo pages: %s", out)
	}
	if must == "/CCITTFaxDecode" || must == "/DCTDecode" {
		if _, err := exec.LookPath("pdfimages"); err == nil {
			out, err := exec.Command("pdfimages", "-list", path).CombinedOutput()
			kind := map[string]string{"/CCITTFaxDecode": "ccitt", "/DCTDecode": "jpeg"}[must]
			if err != nil || !bytes.Contains(out, []byte(kind)) || bytes.Contains(out, []byte("Error")) {
				t.Errorf("pdfimages: %v\n%s", err, out)
			}
		}
	}
}

// pdfText returns pdftotext's reading of a PDF, or "" without pdftotext.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return ""
	}
	path := filepath.Join(t.TempDir(), "f.pdf")
	os.WriteFile(path, b, 0o644)
	out, err := exec.Command("pdftotext", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

func itoa(n int) string { return strconv.Itoa(n) }

func decodeBase64(raw []byte) ([]byte, error) {
	return base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(raw)), ""))
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

type mailPart struct {
	ctype, name string
	data        []byte
}

// readMail parses a generated message and returns its attachment, if any.
func readMail(t *testing.T, b []byte) (*mail.Message, mailPart) {
	t.Helper()
	if bytes.Contains(bytes.ReplaceAll(b, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("a line ends without CR")
	}
	m, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"From", "To", "Subject", "Date", "Message-Id"} {
		if m.Header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
	if _, err := m.Header.Date(); err != nil {
		t.Error(err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		return m, mailPart{}
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	var att mailPart
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if p.Header.Get("Content-Disposition") == "" {
			continue
		}
		ct, cp, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		raw, _ := io.ReadAll(p)
		data, err := decodeBase64(raw)
		if err != nil {
			t.Fatal(err)
		}
		att = mailPart{ctype: ct, name: cp["name"], data: data}
	}
	if att.data == nil {
		t.Fatal("no attachment")
	}
	return m, att
}

func TestWriteFixtures(t *testing.T) {
	dir := t.TempDir()
	// Every fixture's truth file loads back; the files are those of the set.
	if err := WriteFixtures(context.Background(), dir, discardLogger()); err != nil {
		t.Fatal(err)
	}
	for _, name := range FixtureNames() {
		tr, err := LoadTruth(TruthPath(filepath.Join(dir, name)))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if f := fixtureFile(t, name); !bytes.Equal(b, f.Data) || tr.Seed != f.Truth.Seed {
			t.Errorf("%s differs between two generations", name)
		}
	}
}

// TestFixturesCurrent compares the committed fixture truths with the
// generator's: a change to the generator regenerates the fixtures
// (go run ./internal/cmd/rxcorpus -fixtures testdata) in the same commit. Truths do
// not depend on the installed fonts; the images do, so they are not compared.
func TestFixturesCurrent(t *testing.T) {
	for _, name := range FixtureNames() {
		path := filepath.Join("..", "..", "testdata", TruthPath(name))
		committed, err := LoadTruth(path)
		if errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s missing: run go run ./internal/cmd/rxcorpus -fixtures testdata", path)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		generated := fixtureFile(t, name).Truth
		// Without the fonts installed the generator names its fallback.
		committed.Font, committed.Hand, generated.Font, generated.Hand = "", "", "", ""
		a, _ := json.Marshal(committed)
		b, _ := json.Marshal(generated)
		if !bytes.Equal(a, b) {
			t.Errorf("%s is stale: run go run ./internal/cmd/rxcorpus -fixtures testdata\ncommitted %s\ngenerated %s", path, a, b)
		}
	}
}
