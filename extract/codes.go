package extract

import (
	"image"
	"regexp"
	"strings"

	"github.com/otiai10/gosseract/v2"

	"rxintake/icd10cm"

	"rxintake/confusion"
)

// An ICD-10-CM code starts with a letter. On a low-resolution fax an "S"
// or "G" at the start of a code often reads as "5" or "6": the whole word
// is read with the general model, which sees a digit among digits. A code
// shaped token whose first character came out as a digit or a sign is read
// again, that one character alone, with the recogniser limited to the
// letters a code can start with. The new reading is kept only when it makes
// a code that exists; the word keeps the first reading in Word.Read.
var reCodeLike = regexp.MustCompile(`^([^0-9A-Za-z]*)([0-9$§])([0-9][0-9A-Z]\.[0-9A-Z]{1,4})([^0-9A-Za-z]*)$`)

// icdLetters are the letters an ICD-10-CM code may start with.
const icdLetters = "ABCDEFGHIJKLMNOPQRSTVWXYZ"

// letterReader reads single characters as code letters.
type letterReader struct{ c *gosseract.Client }

func newLetterReader(lang string) *letterReader {
	c := gosseract.NewClient()
	if err := c.SetLanguage(lang); err != nil {
		c.Close()
		return nil
	}
	c.SetPageSegMode(gosseract.PSM_SINGLE_CHAR)
	c.SetWhitelist(icdLetters)
	return &letterReader{c}
}

func (l *letterReader) close() {
	if l != nil {
		l.c.Close()
	}
}

// rereadCodes fixes the first character of code-shaped words in place.
func (l *letterReader) rereadCodes(x *pix, words []Word) {
	if l == nil {
		return
	}
	for i := range words {
		w := &words[i]
		m := reCodeLike.FindStringSubmatch(w.Text)
		if m == nil {
			continue
		}
		n := len([]rune(w.Text))
		cw := w.Box.Dx() / max(n, 1)
		x0 := w.Box.Min.X + len([]rune(m[1]))*cw - cw/4
		clip := x.clip(max(x0, 0), max(w.Box.Min.Y-cw/3, 0), cw+cw/2, w.Box.Dy()+2*(cw/3))
		if clip == nil {
			continue
		}
		raw, err := clip.raw()
		clip.free()
		if err != nil || l.c.SetImageFromBytes(raw) != nil {
			continue
		}
		letter, err := l.c.Text()
		letter = strings.TrimSpace(letter)
		if err != nil || len(letter) != 1 || !strings.Contains(icdLetters, letter) {
			continue
		}
		code := letter + m[3]
		if !codeExists(code) {
			continue
		}
		w.Read = w.Text
		w.Text = m[1] + code + m[4]
		w.Conf = min(w.Conf, 80)
	}
}

// codeExists reports whether any embedded code set knows code.
func codeExists(code string) bool {
	for _, fy := range icd10cm.Years() {
		if s, err := icd10cm.ForYear(fy); err == nil && s.Exists(code) {
			return true
		}
	}
	return false
}

// A ten-digit number (an NPI) read with low confidence on a fax is read
// again, alone, with the recogniser limited to digits. When the second
// reading agrees, the word takes its confidence; when the first reading had
// letters OCR confuses with digits (O, l, I, S, B) and the second has the
// digits at their places, the word takes the digits. Anything else leaves
// the word as it was.
var reTenDigits = regexp.MustCompile(`^([^0-9A-Za-z]*)([0-9OolISB]{10})([^0-9A-Za-z]*)$`)

// digitReader reads words as digits, and dates as a line of their own.
type digitReader struct {
	c    *gosseract.Client // digits only, one word
	line *gosseract.Client // any character, one line
}

func newDigitReader(lang string) *digitReader {
	c := gosseract.NewClient()
	if err := c.SetLanguage(lang); err != nil {
		c.Close()
		return nil
	}
	c.SetPageSegMode(gosseract.PSM_SINGLE_WORD)
	c.SetWhitelist("0123456789")
	// The line reader loads its model on first use: most pages have no
	// doubtful date.
	line := gosseract.NewClient()
	if err := line.SetLanguage(lang); err != nil {
		c.Close()
		line.Close()
		return nil
	}
	line.SetPageSegMode(gosseract.PSM_SINGLE_LINE)
	return &digitReader{c: c, line: line}
}

func (d *digitReader) close() {
	if d != nil {
		d.c.Close()
		d.line.Close()
	}
}

// A date or a diagnosis code OCR read with little confidence is often read
// right, the rule it was written on lowering the confidence (a
// "10/26/2026" at 7% beside the same date at 97% elsewhere on the page).
// The word is read again, alone; when the second reading finds the same
// text, the word takes its confidence. The text never changes.
var reDoubtfulWord = regexp.MustCompile(`^([^0-9A-Za-z]*)(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-[A-Za-z]{3}-\d{4}|[A-TV-Z]\d[0-9A-Z]\.[0-9A-Z]{1,4})([^0-9A-Za-z]*)$`)

func (d *digitReader) rereadDoubtful(x *pix, words []Word) {
	if d == nil {
		return
	}
	for i := range words {
		w := &words[i]
		m := reDoubtfulWord.FindStringSubmatch(w.Text)
		if m == nil || w.Conf >= 60 {
			continue
		}
		boxes, ok := readAlone(d.line, x, w.Box)
		if !ok {
			continue
		}
		for _, b := range boxes {
			if strings.TrimSpace(b.Word) == m[2] {
				w.Conf = max(w.Conf, b.Confidence)
				break
			}
		}
	}
}

// readAlone reads the words in box, with a third of its height around it,
// with recogniser c.
func readAlone(c *gosseract.Client, x *pix, box image.Rectangle) ([]gosseract.BoundingBox, bool) {
	pad := box.Dy() / 3
	clip := x.clip(max(box.Min.X-pad, 0), max(box.Min.Y-pad, 0), box.Dx()+2*pad, box.Dy()+2*pad)
	if clip == nil {
		return nil, false
	}
	raw, err := clip.raw()
	clip.free()
	if err != nil || c.SetImageFromBytes(raw) != nil {
		return nil, false
	}
	boxes, err := c.GetBoundingBoxes(gosseract.RIL_WORD)
	return boxes, err == nil
}

func (d *digitReader) rereadNumbers(x *pix, words []Word) {
	if d == nil {
		return
	}
	for i := range words {
		w := &words[i]
		m := reTenDigits.FindStringSubmatch(w.Text)
		if m == nil || (w.Conf >= 80 && !strings.ContainsAny(m[2], "OolISB")) {
			continue
		}
		boxes, ok := readAlone(d.c, x, w.Box)
		if !ok || len(boxes) != 1 {
			continue
		}
		got := strings.TrimSpace(boxes[0].Word)
		if len(got) != 10 || !sameDigits(m[2], got) {
			continue
		}
		if got != m[2] {
			w.Read = w.Text
			w.Text = m[1] + got + m[3]
		}
		w.Conf = max(w.Conf, boxes[0].Confidence)
	}
}

// digitLike returns the digit OCR confused c with (O for 0, l for 1), by
// the shared confusion table, or c.
func digitLike(c rune) rune {
	if d, ok := confusion.Default.Digit(c); ok {
		return d
	}
	return c
}

// sameDigits reports whether b (digits) is what a reads as, taking the
// letters OCR confuses with digits for those digits.
func sameDigits(a, b string) bool {
	for i := range len(a) {
		if byte(digitLike(rune(a[i]))) != b[i] {
			return false
		}
	}
	return true
}
