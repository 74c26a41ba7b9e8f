package extract

import (
	"bytes"
	"unicode/utf8"
)

// Kind is what a file is, judged from its bytes.
type Kind string

// The kinds rxintake reads, and the ones it recognises to refuse clearly.
const (
	KindPDF     Kind = "pdf"
	KindTIFF    Kind = "tiff"
	KindPNG     Kind = "png"
	KindJPEG    Kind = "jpeg"
	KindEmail   Kind = "email"
	KindText    Kind = "text"
	KindHEIC    Kind = "heic"
	KindUnknown Kind = "unknown"
)

// IsImage reports whether k is a raster image format read by OCR.
func (k Kind) IsImage() bool { return k == KindTIFF || k == KindPNG || k == KindJPEG }

// Sniff tells what data is from its content alone: extensions and MIME
// labels lie (fax services label PDFs application/octet-stream).
func Sniff(data []byte) Kind {
	switch {
	case len(data) == 0:
		return KindUnknown
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return KindTIFF
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return KindPNG
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return KindJPEG
	case len(data) > 12 && bytes.Equal(data[4:8], []byte("ftyp")) &&
		(bytes.HasPrefix(data[8:], []byte("heic")) || bytes.HasPrefix(data[8:], []byte("heix")) || bytes.HasPrefix(data[8:], []byte("mif1"))):
		return KindHEIC
	}
	// PDF readers accept the header anywhere in the first kilobyte.
	if bytes.Contains(head(data, 1024), []byte("%PDF-")) {
		return KindPDF
	}
	if looksLikeEmail(data) {
		return KindEmail
	}
	if looksLikeText(head(data, 8192)) {
		return KindText
	}
	return KindUnknown
}

func head(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// looksLikeEmail reports whether data starts with an RFC 5322 header block
// carrying at least two of the fields every message has.
func looksLikeEmail(data []byte) bool {
	h := head(data, 16384)
	if bytes.HasPrefix(h, []byte("From ")) { // mbox separator line
		if i := bytes.IndexByte(h, '\n'); i >= 0 {
			h = h[i+1:]
		}
	}
	known := 0
	for line := range bytes.Lines(h) {
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue // folded continuation
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			return false
		}
		name := bytes.ToLower(line[:colon])
		for _, c := range name {
			if c <= ' ' || c > '~' {
				return false
			}
		}
		switch string(name) {
		case "from", "to", "subject", "date", "message-id", "mime-version", "received", "return-path", "content-type":
			known++
		}
	}
	return known >= 2
}

func looksLikeText(b []byte) bool {
	if len(b) == 0 || bytes.IndexByte(b, 0) >= 0 {
		return false
	}
	// Allow a multi-byte rune cut at the end of the sample.
	for i := 0; i < 3 && !utf8.Valid(b) && len(b) > 0; i++ {
		b = b[:len(b)-1]
	}
	if !utf8.Valid(b) {
		// Latin-1 text: mostly printable bytes.
		printable := 0
		for _, c := range b {
			if c >= 0x20 || c == '\n' || c == '\r' || c == '\t' {
				printable++
			}
		}
		return printable*100 >= len(b)*98
	}
	ctrl := 0
	for _, r := range string(b) {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' {
			ctrl++
		}
	}
	return ctrl*100 < len(b)
}
