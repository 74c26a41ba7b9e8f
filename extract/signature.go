package extract

import (
	"bytes"
	"image"
	"image/png"
	"regexp"
	"slices"
	"strings"
)

// reSigLabel is where a prescriber signs: a signature label, "Signed:", a
// word beginning "sig" before a colon ("Sig:", "Sigea:" for a misread
// "Signed:"), an X before a rule, a long rule.
var (
	reSigLabel    = cue(`(?i){cues/signature-label}|\bsigned\s*[:_]|\bsign\s*(?:here)?\s*[:_x]|^\W*sig[a-z]{0,5}\s*[:;]|^x\s*_{2,}|_{6,}`)
	reSigAwaiting = cue(`{cues/signature-awaiting}`)
	reSigStamp    = cue(`{cues/signature-stamp}`)
	reClosing     = cue(`(?i)^\W*{cues/closing}\s*[,.!]?\W*$`)
)

// reESignatureOnFile is an electronic signature kept by the EHR ("e-signature
// on file: Ann Vu, MD (electronically signed)"): a signature statement, not
// the "signature on file" a stamp stands for.
var reESignatureOnFile = regexp.MustCompile(`(?i)\b(?:e-?|electronic\s+)signature\s+on\s+file\b`)

// awaitingSignature reports a statement that the order is not signed yet,
// or signed by stamp or "on file".
func awaitingSignature(text string) bool {
	t := reESignatureOnFile.ReplaceAllString(text, "e-signature")
	loc := reSigAwaiting.FindStringIndex(t)
	if loc == nil {
		return false
	}
	// "Signature on file - electronically signed Ann Vu, MD": a statement
	// that names who signed electronically says where the EHR keeps the
	// signature, not that a stamp stands for it.
	if reSigStamp.MatchString(t[loc[0]:loc[1]]) && !reSigAwaiting.MatchString(t[loc[1]:]) {
		if _, _, ok := leadSignedName(t[loc[1]:]); ok {
			return false
		}
	}
	return true
}

// reFieldLabelBefore holds the label of a form field ("Physician name:").
var reFieldLabelBefore = regexp.MustCompile(`[A-Za-z]{2,}\s*:`)

// signature decides whether the prescriber signed: an electronic-signature
// statement naming someone, or ink where the prescriber signs.
func (r *rxReader) signature(d *Document) {
	sig := &r.rx.Signature
	awaiting := false
	for _, l := range r.lines {
		if awaitingSignature(l.Text) {
			awaiting = true
			sig.Evidence = l.evidence(l.Text)
			sig.Printed = "awaiting"
			if reSigStamp.MatchString(l.Text) {
				sig.Printed = "stamp"
			}
		}
	}
	if !awaiting {
		for i, l := range r.lines {
			if _, _, ok := eSignedName(l.Text); ok || r.eSignedByPrescriber(l.Text) || r.eStatement(l.Text) {
				*sig = Signature{Present: true, Kind: "electronic", Evidence: l.evidence(l.Text)}
				return
			}
			// A statement may wrap ("Verified and signed by Ann Vu, MD via
			// secure" / "e-signature 10/01/2026"): read it with the line
			// it runs on to.
			if t, ok := r.runOn(i); ok && strings.Contains(strings.ToLower(l.Text), "signed") && !awaitingSignature(r.lines[i+1].Text) && r.eStatement(t) {
				*sig = Signature{Present: true, Kind: "electronic", Evidence: l.evidence(t)}
				return
			}
			if m := reSlashS.FindStringSubmatch(l.Text); m != nil {
				*sig = Signature{Present: true, Kind: "electronic", Evidence: l.evidence(l.Text)}
				return
			}
		}
	}
	if awaiting {
		return
	}
	// Wet ink: look at the page images where the prescriber signs.
	for _, p := range d.Pages {
		if p.CoverSheet || p.Image == nil || len(p.Lines) == 0 {
			continue
		}
		ok, ev, conf := inkWhereSigned(p, r.prescriberName(), r.signLabelBoxes(p))
		if ok {
			*sig = Signature{Present: true, Kind: "wet", Evidence: Evidence{Text: ev, Confidence: round2(conf), Page: p.Number}}
			return
		}
		if ev != "" && r.weakInk == nil {
			r.weakInk = &Evidence{Text: ev, Confidence: round2(conf), Page: p.Number}
		}
	}
	// Nothing: say what stands in the signature place.
	for _, l := range r.lines {
		if reSigLabel.MatchString(l.Text) {
			sig.Evidence = l.evidence(l.Text)
			sig.Printed = "blank"
			if r.prescriberName() != "" {
				sig.Printed = "typed-name"
			}
			return
		}
	}
	if r.prescriberName() != "" {
		sig.Printed = "typed-name"
	}
}

// runOn is line i joined with the next when the sentence runs on to it:
// the line ends without a full stop, on the same page as the next.
func (r *rxReader) runOn(i int) (string, bool) {
	if i+1 >= len(r.lines) || r.lines[i+1].Page != r.lines[i].Page {
		return "", false
	}
	t := strings.TrimSpace(r.lines[i].Text)
	if t == "" || strings.ContainsAny(t[len(t)-1:], ".!?:") {
		return "", false
	}
	return t + " " + strings.TrimSpace(r.lines[i+1].Text), true
}

// eSignedByPrescriber reports a signature statement whose name OCR
// garbled but in which the prescriber's last name stands ("Electronically
// signed by: Ravi —. Ferreira M,D.").
func (r *rxReader) eSignedByPrescriber(text string) bool {
	f := strings.Fields(r.prescriberName())
	if len(f) < 2 {
		return false
	}
	last := strings.ToLower(f[len(f)-1])
	for _, loc := range reESignedLead.FindAllStringIndex(text, -1) {
		rest := text[loc[1]:]
		if at := nameIndex(rest, last); at >= 0 && at < 40 {
			return true
		}
	}
	return false
}

// signLabelBoxes are the boxes of the lines of page p that the label
// reader found a signature label on, misread ones included ("Signe:").
func (r *rxReader) signLabelBoxes(p *Page) map[image.Rectangle]bool {
	boxes := map[image.Rectangle]bool{}
	for _, l := range r.field("signature") {
		if l.Line.Page == p {
			boxes[l.Line.Box] = true
		}
	}
	return boxes
}

func (r *rxReader) prescriberName() string {
	if r.rx.Prescriber == nil {
		return ""
	}
	return r.rx.Prescriber.Name
}

// inkWhereSigned looks for handwriting near the places a prescriber signs:
// beside or above a signature label or line (labels holds the boxes of
// lines the label reader found one on), below a letter's closing, and above
// the typed prescriber name. Printed words that OCR read with confidence are masked;
// rules (the line to sign on) are ignored. Marks too few for a signature
// and too many for a clean place come back as evidence with ok false.
func inkWhereSigned(p *Page, prescriber string, labels map[image.Rectangle]bool) (bool, string, float64) {
	img, err := png.Decode(bytes.NewReader(p.Image))
	if err != nil {
		return false, "", 0
	}
	gray := toGray(img)
	b := gray.Bounds()
	lineH := medianLineHeight(p.Lines)
	// The typed name is found by its last name, or by its first name when
	// OCR garbled the last one where the name was read (the letterhead).
	var names []string
	if f := strings.Fields(prescriber); len(f) > 0 {
		names = append(names, strings.ToLower(f[len(f)-1]))
		if len(f) > 1 && len(f[0]) >= 4 {
			names = append(names, strings.ToLower(f[0]))
		}
	}
	type region struct {
		r    image.Rectangle
		text string
	}
	var regions, closings []region
	for i, l := range p.Lines {
		if reSigLabel.MatchString(l.Text) || labels[l.Box] {
			// Beside the label and above the line it sits on.
			x0 := l.Box.Min.X
			for _, w := range l.Words {
				if reSigLabel.MatchString(w.Text) || strings.HasSuffix(w.Text, ":") {
					x0 = w.Box.Max.X
					break
				}
			}
			regions = append(regions, region{image.Rect(x0, l.Box.Min.Y-2*lineH, min(b.Max.X, x0+14*lineH), l.Box.Max.Y+lineH/2), l.Text})
			regions = append(regions, region{image.Rect(l.Box.Min.X, l.Box.Min.Y-3*lineH, min(b.Max.X, l.Box.Min.X+16*lineH), l.Box.Min.Y), l.Text})
		}
		// Below the closing of a letter ("Sincerely,"), where the
		// signature goes whatever the name under it reads as.
		if reClosing.MatchString(l.Text) {
			closings = append(closings, region{image.Rect(max(b.Min.X, l.Box.Min.X-lineH), l.Box.Max.Y, min(b.Max.X, l.Box.Min.X+16*lineH), l.Box.Max.Y+4*lineH), l.Text})
		}
		// Above the typed name of a signature block; not above a form's
		// "Physician name:" field, where the lines above are other fields.
		for _, name := range names {
			if at := nameIndex(l.Text, name); at >= 0 && i > len(p.Lines)/3 && !reFieldLabelBefore.MatchString(l.Text[:at]) {
				regions = append(regions, region{image.Rect(l.Box.Min.X-2*lineH, l.Box.Min.Y-3*lineH, l.Box.Max.X+6*lineH, l.Box.Min.Y), l.Text})
				break
			}
		}
	}
	regions = append(regions, closings...) // the other places name what was signed
	printedH := medianWordHeight(p.Words)
	weakest, weakText := 0.0, ""
	for _, rg := range regions {
		rect := rg.r.Intersect(b)
		if rect.Empty() {
			continue
		}
		score := inkScore(gray, rect, p.Words, lineH, printedH)
		if score > 1 {
			return true, "ink near \"" + rg.text + "\"", p.Confidence
		}
		if score > weakest {
			weakest, weakText = score, "marks near \""+rg.text+"\""
		}
	}
	if weakest >= weakInkScore {
		return false, weakText, weakest
	}
	return false, "", 0
}

// weakInkScore is the ink score above which marks where the prescriber
// signs are a person's to judge.
const weakInkScore = 0.25

func toGray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	b := img.Bounds()
	g := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, gg, bb, _ := img.At(x, y).RGBA()
			g.Pix[(y-b.Min.Y)*g.Stride+(x-b.Min.X)] = uint8((r*299 + gg*587 + bb*114) / 1000 >> 8)
		}
	}
	return g
}

// medianWordHeight is the height of the printed words of a page: words
// read with confidence, which handwriting rarely is.
func medianWordHeight(words []Word) int {
	var hs []int
	for _, w := range words {
		if w.Conf >= 85 && len(w.Text) >= 3 {
			hs = append(hs, w.Box.Dy())
		}
	}
	if len(hs) == 0 {
		return 40
	}
	slices.Sort(hs)
	return hs[len(hs)/2]
}

func medianLineHeight(lines []Line) int {
	var hs []int
	for _, l := range lines {
		if h := l.Box.Dy(); h > 0 {
			hs = append(hs, h)
		}
	}
	if len(hs) == 0 {
		return 40
	}
	for i := 1; i < len(hs); i++ {
		for j := i; j > 0 && hs[j] < hs[j-1]; j-- {
			hs[j], hs[j-1] = hs[j-1], hs[j]
		}
	}
	return max(hs[len(hs)/2], 12)
}

// inkScore measures how much rect looks like handwriting: dark pixels that
// are neither confidently read printed words nor rules, in strokes (fax
// speckle, the gaps of a broken rule and stray dots are not), spread over
// several columns and rows. 1 or more is a signature; a little above 0 is
// marks a person should look at; 0 is a clean place.
func inkScore(g *image.Gray, rect image.Rectangle, words []Word, lineH, printedH int) float64 {
	w, h := rect.Dx(), rect.Dy()
	mask := make([]bool, w*h)
	for _, wd := range words {
		if wd.Conf < 70 || len(strings.Trim(wd.Text, "_-—~.")) < 2 {
			continue // handwriting reads as doubtful words; rules as underscores
		}
		if wd.Box.Dy()*10 > printedH*13 && glyphHeight(g, wd.Box)*10 > printedH*13 {
			continue // taller than the print around it: written by hand
		}
		wb := wd.Box.Intersect(rect)
		for y := wb.Min.Y; y < wb.Max.Y; y++ {
			for x := wb.Min.X; x < wb.Max.X; x++ {
				mask[(y-rect.Min.Y)*w+(x-rect.Min.X)] = true
			}
		}
	}
	dark := func(x, y int) bool { return g.Pix[(y-g.Rect.Min.Y)*g.Stride+(x-g.Rect.Min.X)] < 128 }
	ink := make([]bool, w*h)
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		// A row that is mostly dark is the rule to sign on.
		run, maxRun := 0, 0
		for x := rect.Min.X; x < rect.Max.X; x++ {
			if dark(x, y) {
				run++
				maxRun = max(maxRun, run)
			} else {
				run = 0
			}
		}
		if maxRun > 4*lineH {
			continue
		}
		for x := rect.Min.X; x < rect.Max.X; x++ {
			i := (y-rect.Min.Y)*w + (x - rect.Min.X)
			ink[i] = dark(x, y) && !mask[i]
		}
	}
	// Strokes: connected marks big enough and not flat. A speck is a few
	// pixels; a piece of a rule is one or two pixels high.
	minSize, minHeight := max(6, lineH/2), max(3, lineH/6)
	seen := make([]bool, w*h)
	cols := make([]bool, w)
	rows := make([]bool, h)
	total := 0
	var stack, comp []int
	for start := range ink {
		if !ink[start] || seen[start] {
			continue
		}
		comp = comp[:0]
		stack = append(stack[:0], start)
		seen[start] = true
		y0, y1 := h, -1
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			comp = append(comp, i)
			x, y := i%w, i/w
			y0, y1 = min(y0, y), max(y1, y)
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					if j := ny*w + nx; ink[j] && !seen[j] {
						seen[j] = true
						stack = append(stack, j)
					}
				}
			}
		}
		if len(comp) < minSize || y1-y0+1 < minHeight {
			continue
		}
		total += len(comp)
		for _, i := range comp {
			cols[i%w], rows[i/w] = true, true
		}
	}
	spread, rowsWithInk := 0, 0
	for _, c := range cols {
		if c {
			spread++
		}
	}
	for _, r := range rows {
		if r {
			rowsWithInk++
		}
	}
	return min(float64(total)/float64(lineH*lineH/2), float64(spread)/float64(2*lineH), float64(rowsWithInk)/float64(max(lineH/2, 1)))
}

// glyphHeight is the height of the marks in a word's box without the rule
// it sits on or under: OCR boxes a printed word on a signature line down
// to the line, which would make it as tall as handwriting. A row dark without
// a break across three fifths of the box is rule; what remains is split into bands
// at blank rows (a fax breaks a rule into dashes and specks below the
// word), and the band that holds the most ink is the word.
func glyphHeight(g *image.Gray, box image.Rectangle) int {
	box = box.Intersect(g.Rect)
	best, bestInk, start, ink := 0, 0, box.Min.Y, 0
	for y := box.Min.Y; y <= box.Max.Y; y++ {
		n := 0
		if y < box.Max.Y {
			run, longest := 0, 0
			for x := box.Min.X; x < box.Max.X; x++ {
				if g.Pix[(y-g.Rect.Min.Y)*g.Stride+(x-g.Rect.Min.X)] < 128 {
					n++
					run++
					longest = max(longest, run)
				} else {
					run = 0
				}
			}
			if longest*10 >= box.Dx()*6 {
				n = 0 // the rule: letters leave gaps in a row
			}
		}
		if n > 0 {
			ink += n
			continue
		}
		if ink > bestInk {
			best, bestInk = y-start, ink
		}
		start, ink = y+1, 0
	}
	return best
}

// nameIndex is where a last name stands in a line of OCR text, as printed
// or with one letter misread ("Jorge adeyemd M.D." for Adeyemi), or -1.
func nameIndex(line, last string) int {
	low := foldAccents(strings.ToLower(line))
	last = foldAccents(last)
	if at := strings.Index(low, last); at >= 0 || len(last) < 5 {
		return at
	}
	off := 0
	for _, w := range strings.Fields(low) {
		at := off + strings.Index(low[off:], w)
		off = at + len(w)
		if w = strings.Trim(w, ".,;:|_-"); w != "" && editDistance(w, last) <= 1 {
			return at
		}
	}
	return -1
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// accentFold maps accented letters OCR reads on names ("Ferréira") to
// their plain letters, each to one byte less or the same: offsets into the
// folded text are only used to find, not to cut, the original.
var accentFold = strings.NewReplacer(
	"à", "a", "á", "a", "â", "a", "ã", "a", "ä", "a", "å", "a",
	"è", "e", "é", "e", "ê", "e", "ë", "e",
	"ì", "i", "í", "i", "î", "i", "ï", "i",
	"ò", "o", "ó", "o", "ô", "o", "õ", "o", "ö", "o",
	"ù", "u", "ú", "u", "û", "u", "ü", "u", "ñ", "n", "ç", "c")

func foldAccents(s string) string { return accentFold.Replace(s) }
