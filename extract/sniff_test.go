package extract

import (
	"os"
	"testing"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		data string
		want Kind
	}{
		{"pdf", "%PDF-1.7\n...", KindPDF},
		{"pdf after junk", "\x00\x00garbage\n%PDF-1.4\n", KindPDF},
		{"tiff little endian", "II*\x00\x08\x00\x00\x00", KindTIFF},
		{"tiff big endian", "MM\x00*\x00\x00\x00\x08", KindTIFF},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00", KindPNG},
		{"jpeg", "\xff\xd8\xff\xe0\x00\x10JFIF", KindJPEG},
		{"heic", "\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", KindHEIC},
		{"email", "From: a@b.example\r\nTo: c@d.example\r\nSubject: Rx\r\n\r\nbody", KindEmail},
		{"mbox email", "From a@b Mon Jan 1\nReceived: x\nMessage-ID: <1@x>\n\nbody", KindEmail},
		{"text with a colon line", "Patient: Mary Jones\nDiagnosis: M54.50\n", KindText},
		{"plain text", "Rx: myofascial release 2x/week for 6 weeks\n", KindText},
		{"binary", "\x00\x01\x02\x03\x04", KindUnknown},
		{"empty", "", KindUnknown},
		{"zip (docx)", "PK\x03\x04\x14\x00\x06\x00", KindUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sniff([]byte(tt.data)); got != tt.want {
				t.Errorf("Sniff(%q) = %s, want %s", tt.data, got, tt.want)
			}
		})
	}
}

func FuzzSniff(f *testing.F) {
	for _, s := range []string{"%PDF-1.4", "II*\x00", "From: a\nTo: b\n\n", "hello", "\xff\xd8\xff"} {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile("../testdata/faxmail-octet.eml"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		k := Sniff(data)
		switch k {
		case KindPDF, KindTIFF, KindPNG, KindJPEG, KindEmail, KindText, KindHEIC, KindUnknown:
		default:
			t.Fatalf("Sniff returned %q", k)
		}
	})
}
