package extract

import (
	"regexp"
	"strconv"
	"strings"

	"rxintake/config"
)

// FaxHeader is the transmit header line a fax machine prints at the top of
// every page it sends. It names the sender, not the prescriber, and its date
// is the transmission date, not the prescription date: it is metadata and
// never part of the prescription text.
type FaxHeader struct {
	Text         string `json:"text"`
	SenderNumber string `json:"sender_number,omitempty"` // 10 digits
	SenderName   string `json:"sender_name,omitempty"`
	Page         int    `json:"page,omitempty"`
	Of           int    `json:"of,omitempty"`
}

var (
	reHdrDate  = regexp.MustCompile(`(?i)\b(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*[ -]?\d{1,2}[, -]+\d{2,4}|\d{4}-\d{2}-\d{2})\b`)
	reHdrTime  = regexp.MustCompile(`(?i)\b\d{1,2}:\d{2}(:\d{2})?\s*([AP]\.?M\.?)?`)
	reHdrPage  = regexp.MustCompile(`(?i)\b(?:P(?:G|AGE)?\.?\s*#?\s*(\d{1,3})\s*(?:/|OF)\s*(\d{1,3})|(\d{1,3})\s*/\s*(\d{1,3})\s*$|\bP\.\s*(\d{1,3})\s*$)`)
	reHdrPhone = regexp.MustCompile(`\(?\b\d{3}\)?[ .-]*\d{3}[ .-]*\d{4}\b|\b\d{10}\b`)
	reHdrFrom  = regexp.MustCompile(`(?i)\bFROM\s*[:\-]?\s*`)
	reHdrTo    = regexp.MustCompile(`(?i)\bTO\s*[:\-]?\s*`)
	reHdrWords = regexp.MustCompile(`(?i)\b(FAX|FROM|TO|PAGE|P\.|RECEIVED|SENT|TX|RX)\b`)
)

// parseFaxHeader recognises a transmit header line. A header carries a
// date or time, and a page marker or a phone number, and little else.
func parseFaxHeader(line string) (*FaxHeader, bool) {
	line = strings.TrimSpace(line)
	if len(line) < 12 || len(line) > 200 {
		return nil, false
	}
	score := 0
	if reHdrDate.MatchString(line) {
		score++
	}
	if reHdrTime.MatchString(line) {
		score++
	}
	page := reHdrPage.FindStringSubmatch(line)
	if page != nil {
		score++
	}
	phones := reHdrPhone.FindAllStringIndex(line, -1)
	if len(phones) > 0 {
		score++
	}
	if reHdrWords.MatchString(line) {
		score++
	}
	fromTo := reHdrFrom.MatchString(line) && reHdrTo.MatchString(line)
	if fromTo {
		score++
	}
	if score < 3 || (page == nil && len(phones) == 0 && !fromTo) {
		return nil, false
	}
	h := &FaxHeader{Text: line}
	if page != nil {
		n, of := page[1], page[2]
		switch {
		case page[3] != "":
			n, of = page[3], page[4]
		case page[5] != "":
			n = page[5]
		}
		h.Page, _ = strconv.Atoi(n)
		h.Of, _ = strconv.Atoi(of)
	}
	// The sender's number follows FROM; a bare number on a header is the
	// sending station's (its CSID) unless TO comes before it.
	fromAt := -1
	if loc := reHdrFrom.FindStringIndex(line); loc != nil {
		fromAt = loc[1]
	}
	toAt := -1
	if loc := reHdrTo.FindStringIndex(line); loc != nil {
		toAt = loc[0]
	}
	h.SenderNumber = senderNumber(line, phones, fromAt, toAt)
	if fromAt >= 0 {
		rest := line[fromAt:]
		end := len(rest)
		for _, re := range []*regexp.Regexp{reHdrPhone, reHdrTo, reHdrPage, reHdrDate, reHdrTime} {
			if loc := re.FindStringIndex(rest); loc != nil && loc[0] < end {
				end = loc[0]
			}
		}
		name := strings.Trim(rest[:end], " -:,")
		if len(name) >= 3 {
			h.SenderName = name
		}
	}
	return h, true
}

// senderNumber picks the sending station's number: the first after FROM,
// else the first that is not after TO.
func senderNumber(line string, phones [][]int, fromAt, toAt int) string {
	pick := func(ok func(start int) bool) string {
		for _, p := range phones {
			if ok(p[0]) {
				if n := config.NormalizePhone(line[p[0]:p[1]]); n != "" {
					return n
				}
			}
		}
		return ""
	}
	if fromAt >= 0 {
		if n := pick(func(s int) bool { return s >= fromAt && (toAt < fromAt || s < toAt) }); n != "" {
			return n
		}
	}
	return pick(func(s int) bool { return toAt < 0 || s < toAt || fromAt > toAt })
}

var (
	reCoverTitle = cue(`{cues/cover-title}`)
	reCoverField = regexp.MustCompile(`(?im)^\s*(to|from|date|re|subject|fax|phone|pages?|number of pages|# of pages|total pages|attn)\s*[:#]`)
	reCoverConf  = cue(`{cues/cover-notice}`)
	reFaxWord    = regexp.MustCompile(`(?im)^\s*FAX\s*$`)
	reRxSignals  = regexp.MustCompile(`(?i)\b[A-TV-Z]\d{2}\.[0-9A-Z]{1,4}\b|\b97\d{3}\b|\bdiagnos[ie]s\b|\bicd\b|\bunits?\b|\b\d\s*x\s*/?\s*(week|wk)|\bmyofascial\b|\bneuromuscular\b|\bmassage\b|\bfrequency\b`)
)

// isCoverSheet reports whether a page's text is a fax cover sheet: a title
// or the fields of one, and none of the signals of an order. A cover's own
// fields and remarks name the recipient ("Bayside Medical Massage") and
// what is attached ("the order for massage therapy"): the signals of an
// order are counted outside them. A title in a display face often comes
// out of OCR as noise; the fields, the confidentiality notice and the
// "Urgent / Please Reply" boxes of a cover still tell it.
func isCoverSheet(text string) bool {
	fields := len(reCoverField.FindAllString(text, -1))
	conf := reCoverConf.MatchString(text)
	boxes := len(reCoverBoxes.FindAllString(text, -1)) >= 2
	titled := reCoverTitle.MatchString(text) || reFaxWord.MatchString(text)
	if !titled && !(fields >= 3 && (conf || boxes)) {
		return false
	}
	if fields < 2 && !conf {
		return false
	}
	var body []string
	for l := range strings.SplitSeq(text, "\n") {
		if !reCoverRemark.MatchString(l) {
			body = append(body, l)
		}
	}
	return len(reRxSignals.FindAllString(strings.Join(body, "\n"), -1)) < 2
}

var (
	// reCoverRemark starts the lines of a cover that address it or say
	// what is attached.
	reCoverRemark = regexp.MustCompile(`(?i)^\s*(to|from|re|subject|attn|cc|comments?|message|notes?|remarks)\s*[:#]`)
	// reCoverBoxes are the tick boxes of a cover.
	reCoverBoxes = cue(`{cues/cover-boxes}`)
)

// MarkCoverSheets decides which pages of a document are fax cover sheets,
// from their text. Read does it; a document kept from an earlier reading
// may be marked again after the rules change.
func MarkCoverSheets(d *Document) {
	for _, p := range d.Pages {
		p.CoverSheet = p.Unreadable == "" && isCoverSheet(p.Text)
	}
}
