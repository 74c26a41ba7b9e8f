package extract

import (
	"regexp"
	"rxintake/confusion"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// credentials are the letters after a prescriber's name, as printed.
// A credential may carry its field in brackets, as Commonwealth colleges
// print it: "CCFP(EM)", "FRCS (Orth)".
var (
	reCredentials   = cue(`(?:,?\s*(?:{names/prescriber-credential}|{names/other-credential})` + credentialField + `)+\s*$`)
	reCredentialsIn = cue(`(?:,?\s*(?:{names/prescriber-credential}|{names/other-credential})` + credentialField + `)+`)
)

const credentialField = `(?:\s?\([A-Za-z]{1,5}\))?`

// credentialBase is a credential without its field: "CCFP" of "CCFP(EM)".
func credentialBase(c string) string {
	if i := strings.IndexByte(c, '('); i > 0 && strings.HasSuffix(c, ")") {
		return strings.TrimSpace(c[:i])
	}
	return c
}

var reTitle = cue(`^{names/title}\.?\s+`)

// splitCredentials separates "Anil Patel, MD, FACP" into the name and
// "MD, FACP".
func splitCredentials(s string) (name, creds string) {
	s = strings.TrimSpace(s)
	loc := reCredentials.FindStringIndex(s)
	if loc == nil {
		// Credentials end the name wherever they stand: what follows
		// them ("Ann Vu, M.D. Indiv. NPI") is the next field's. Inside
		// a line they count only printed as credentials are, in capitals
		// or with dots ("Anna Do Tran" has a family name, not a degree).
		for _, m := range reCredentialsIn.FindAllStringIndex(s, -1) {
			c := s[m[0]:m[1]]
			if len(strings.Fields(s[:m[0]])) >= 2 && (c == strings.ToUpper(c) || strings.Contains(c, ".")) {
				loc = m
				s = s[:m[1]]
				break
			}
		}
	}
	if loc != nil && loc[0] > 0 {
		loc[0] = credentialListStart(s, loc[0])
		creds = strings.Trim(s[loc[0]:], " ,.")
		s = s[:loc[0]]
		// Normalise "M.D." to "MD", keep the list order.
		var parts []string
		for p := range strings.SplitSeq(creds, ",") {
			p = joinLetters(strings.ReplaceAll(strings.TrimSpace(p), ".", ""))
			p = strings.Replace(p, " (", "(", 1)
			if strings.EqualFold(p, "D0") {
				p = "DO" // OCR reads the O of "D.O." as a zero
			}
			if p != "" {
				parts = append(parts, strings.ToUpper(p))
			}
		}
		creds = strings.Join(parts, ", ")
	}
	return strings.Trim(s, " ,.;:"), creds
}

// joinLetters closes the blanks between single letters of an abbreviation
// ("M D" for "M. D.") and keeps those between its words ("MB BS", "MD
// CCFP"), as printed.
func joinLetters(s string) string {
	f := strings.Fields(s)
	var b strings.Builder
	for i, w := range f {
		if i > 0 && !(utf8.RuneCountInString(w) == 1 && utf8.RuneCountInString(f[i-1]) == 1) {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

// reCredentialShape is a word printed as credentials are: two to six
// capitals, dots between them or not, perhaps a board's suffix ("MSN",
// "M.P.A.S.", "AGACNP-BC").
var reCredentialShape = regexp.MustCompile(`^(?:[A-Z]\.?){2,6}(?:-[A-Z]{1,3})?$`)

// credentialListStart extends a run of known credentials that starts at
// at leftwards over the words of the same list the vocabulary does not
// know: "Ellison Ballentine, MSN, FNP-C" lists "MSN" with "FNP-C". A word
// belongs to the list when it is printed as a credential, a comma joins it
// to the run, and a name of two words stays before it; a name printed in
// capitals ("MARY JONES, MD") gives up only a word a comma also sets off
// from it.
func credentialListStart(s string, at int) int {
	for {
		rest := strings.TrimLeft(s[at:], " ")
		if !strings.HasPrefix(rest, ",") {
			return at
		}
		before := strings.TrimRight(s[:at], " ")
		i := strings.LastIndexAny(before, " ,")
		word := before[i+1:]
		name := strings.TrimRight(before[:i+1], " ,")
		if !reCredentialShape.MatchString(word) || nameSuffix[strings.ToLower(word)] || len(strings.Fields(name)) < 2 {
			return at
		}
		if name == strings.ToUpper(name) && !strings.HasSuffix(strings.TrimRight(before[:i+1], " "), ",") {
			return at
		}
		at = i + 1
	}
}

// romanSuffix reads a generation suffix whose strokes OCR misread ("lll",
// "Il", "lV" for III, II, IV): each stroke is a character the confusion
// table reads as the digit 1, where a number must stand, but a capital L.
func romanSuffix(w string) (string, bool) {
	w = strings.TrimRight(w, ".,")
	if len(w) < 2 || len(w) > 3 {
		return "", false
	}
	b := []byte(w)
	for i, c := range b {
		switch d, _ := confusion.Default.Digit(rune(c)); {
		case c == 'V' || c == 'v':
			b[i] = 'V'
		case d == '1' && c != 'L': // "Li" and "Lo" are family names
			b[i] = 'I'
		default:
			return "", false
		}
	}
	switch s := string(b); s {
	case "II", "III", "IV":
		return s, true
	}
	return "", false
}

// Names are of any script's letters (Hélène, Pépin, Ndiaye): \p{L}.
var reNameToken = regexp.MustCompile(`^\p{L}[\p{L}'’.-]*$`)

// personName cleans a printed name: drops titles and credentials, turns
// "JONES, MARY K" into "MARY K JONES", and refuses what is not a name.
func personName(s string) (name, creds string, ok bool) {
	s = strings.TrimSpace(s)
	s = strings.Trim(s, " ,;:-_()[]\"'")
	// A label without its colon before the name ("Attending Ann Vu, MD").
	if m := reBareLabel.FindStringSubmatchIndex(s); m != nil && m[1] < len(s) {
		if f := reBareLabel.SubexpNames()[matchedGroup(m)+1]; (f == "prescriber" || f == "patient") && len(strings.Fields(s[m[1]:])) >= 2 {
			s = s[m[1]:]
		}
	}
	s = reTitle.ReplaceAllString(s, "")
	name, creds = splitCredentials(s)
	name = reTitle.ReplaceAllString(name, "")
	if i := strings.Index(name, ","); i > 0 {
		last, first := strings.TrimSpace(name[:i]), strings.TrimSpace(name[i+1:])
		lf := strings.Fields(last)
		switch {
		case first == "" || strings.Contains(first, ","):
		case len(lf) >= 2 && utf8.RuneCountInString(lf[len(lf)-1]) == 1 && unicode.IsUpper([]rune(lf[len(lf)-1])[0]):
			// "Tameka Y, Vanderhorst": a family name does not end in an
			// initial; the comma is the initial's full stop misread.
			name = last + ". " + first
		default:
			name = givenNames(first) + " " + last
		}
	}
	// Specks OCR sets inside a word ("NADEAU-~GAGNON") are not letters
	// of the name.
	name = strings.Map(func(c rune) rune {
		if strings.ContainsRune(nameSpecks, c) {
			return -1
		}
		return c
	}, name)
	fields := strings.Fields(name)
	// Particles ("van den Heuvel") do not count toward a name's length.
	words := len(slices.DeleteFunc(slices.Clone(fields), func(f string) bool { return nameParticles[strings.ToLower(f)] }))
	if len(fields) < 2 || words > 5 {
		return "", "", false
	}
	if len(fields) >= 3 {
		if suf, ok := romanSuffix(fields[len(fields)-1]); ok {
			fields[len(fields)-1] = suf
		}
	}
	for i, f := range fields {
		// A middle initial OCR read as a digit ("Oluwaseun 5. Castellano").
		if i > 0 && i < len(fields)-1 && len(f) == 2 && f[1] == '.' {
			if c, ok := initialFor[f[0]]; ok {
				f = string(c) + "."
				fields[i] = f
			}
		}
		if !reNameToken.MatchString(f) {
			// Marks OCR read for letters ("Pau!"): the confusion table's
			// letter lines.
			if f = confusion.Default.Letters(f); !reNameToken.MatchString(f) {
				return "", "", false
			}
			fields[i] = f
		}
		// A middle initial ("Steven A. Ferreira") is a name, whatever
		// word the letter spells.
		// So is a particle inside it ("Mac an Bhaird"), though the same
		// word alone is no name.
		inside := i > 0 && i < len(fields)-1
		initial := inside && len(strings.Trim(f, ".")) == 1
		if !initial && !(inside && nameParticles[f]) && stopName[strings.ToLower(strings.Trim(f, "."))] {
			return "", "", false
		}
	}
	if r, _ := utf8.DecodeRuneInString(fields[0]); !unicode.IsUpper(r) {
		return "", "", false
	}
	return strings.Join(fields, " "), creds, true
}

// nameSpecks are marks no name is written with.
const nameSpecks = "~*«»^`¨°"

// givenNames is what after the comma of a name written last name first
// ("Cyr, Toivo W", "Jones, Mary Ann K.") belongs to it: one or two given
// names, then initials and a suffix. A word after an initial, or a third
// word, is what follows the name (a label OCR spoiled), not part of it.
func givenNames(s string) string {
	f := strings.Fields(s)
	n := 0
	for n < len(f) && n < 2 {
		t := strings.Trim(f[n], ".,")
		if utf8.RuneCountInString(t) == 1 || nameSuffix[strings.ToLower(t)] {
			break
		}
		n++
	}
	if n == 0 {
		return s
	}
	for n < len(f) {
		t := strings.Trim(f[n], ".,")
		r, _ := utf8.DecodeRuneInString(t)
		if !(utf8.RuneCountInString(t) == 1 && unicode.IsUpper(r) || nameSuffix[strings.ToLower(t)]) {
			break
		}
		n++
	}
	return strings.Join(f[:n], " ")
}

// stopName are words that appear where a name is expected but are not one.
var stopName = map[string]bool{
	"signature": true, "date": true, "dob": true, "npi": true, "patient": true, "name": true,
	"physician": true, "provider": true, "phone": true, "fax": true, "the": true, "for": true,
	"and": true, "with": true, "medical": true, "massage": true, "therapy": true, "clinic": true,
	"center": true, "family": true, "medicine": true, "health": true, "street": true, "suite": true,
	"signed": true, "electronically": true, "referral": true, "order": true, "diagnosis": true,
	"treatment": true, "please": true, "thank": true, "sincerely": true, "regards": true,
	"unspecified": true, "pain": true, "low": true, "back": true, "neck": true, "week": true,
	"weeks": true, "units": true, "minutes": true, "hour": true, "file": true, "on": true,
	"to": true, "of": true, "by": true, "in": true, "at": true, "a": true, "an": true,
	"rx": true, "md": true, "do": true, "po": true, "box": true, "avenue": true, "road": true,
	"blvd": true, "drive": true, "bayside": true, "practice": true, "office": true, "group": true,
	"associates": true, "hospital": true, "orthopedics": true, "orthopaedics": true, "spine": true,
	"primary": true, "care": true, "urgent": true, "internal": true, "pediatrics": true, "sports": true,
}

// reNameStop ends the words that may be a name in running text: a digit, a
// bracket, a label, or a word that starts what follows the name.
var reNameStop = regexp.MustCompile(`[0-9(\[#:;|/]`)

// nameAt reads the person named at the start of s, as in "Steven A.
// Ferreira M.D. 11/13/2026" or "CHRISTINE GOLDBERG MD Date: ...": the
// longest run of words, up to a digit, a bracket or a label, that reads as a
// name with its credentials.
func nameAt(s string) (name, creds string, ok bool) {
	if loc := reNameStop.FindStringIndex(s); loc != nil {
		s = s[:loc[0]]
	}
	words := strings.Fields(s)
	if len(words) > 8 {
		words = words[:8]
	}
	for n := len(words); n >= 2; n-- {
		cand := strings.TrimRight(strings.Join(words[:n], " "), " ,;-")
		if bare, _ := splitCredentials(reTitle.ReplaceAllString(cand, "")); strings.Contains(bare, ",") {
			continue // "Jane Roe, MD" is a name; "Jane Roe, Tampa" is not
		}
		if name, creds, ok := personName(cand); ok && capitalised(name) && !endsInInitial(name) {
			return name, creds, true
		}
	}
	return "", "", false
}

// endsInInitial reports a name of three words or more whose last is a
// letter alone: a family name does not end in an initial, so the letter
// is what follows the name (a credential OCR broke: "D.0O.").
func endsInInitial(name string) bool {
	f := strings.Fields(name)
	if len(f) < 3 {
		return false
	}
	last := strings.Trim(f[len(f)-1], ".")
	return utf8.RuneCountInString(last) == 1 && !nameParticles[strings.ToLower(f[len(f)-2])]
}

// capitalised reports whether every word of a name starts with a capital:
// in running text, "Raj Thompson regarding" is not a name. A particle
// inside a name is written small ("Ruiz de Velasco", "van der Berg").
func capitalised(name string) bool {
	fields := strings.Fields(name)
	for i, f := range fields {
		if r, _ := utf8.DecodeRuneInString(f); !unicode.IsUpper(r) && (i == 0 || i == len(fields)-1 || !nameParticles[f]) {
			return false
		}
	}
	return true
}

// nameParticles are the small words inside family names.
var nameParticles = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range words("names/particle") {
		m[w] = true
	}
	return m
}()

// prescriberCredential are the prescriber credentials of
// data/names.txt, in capitals without dots ("DO", "FNP-C").
var prescriberCredential = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range words("names/prescriber-credential") {
		m[strings.ToUpper(strings.ReplaceAll(w, ".", ""))] = true
	}
	return m
}()

// initialFor is the capital a digit stands for as a middle initial: a
// letter OCR reads as that digit (the confusion table), "O" for 0 and "I"
// for 1 where there are several.
var initialFor = func() map[byte]rune {
	m := map[byte]rune{}
	for d := '0'; d <= '9'; d++ {
		for _, c := range confusion.Default.ReadAs(d) {
			if _, seen := m[byte(d)]; unicode.IsUpper(c) && (!seen || c == 'O' || c == 'I') {
				m[byte(d)] = c
			}
		}
	}
	return m
}()

// knownCredential are every credential of data/names.txt, prescribers'
// and others', in capitals without dots.
var knownCredential = func() map[string]bool {
	m := map[string]bool{}
	for _, list := range []string{"names/prescriber-credential", "names/other-credential"} {
		for _, w := range words(list) {
			m[strings.ToUpper(strings.ReplaceAll(w, ".", ""))] = true
		}
	}
	return m
}()

// credentialList reads the whole list of credentials that follows a name on
// text, given the credentials a strategy read there (creds, normalised
// "MD, FACP"): a strategy may stop at the first one, or at a board's suffix
// ("P.A.-C"). From where the first of creds is printed after the name's
// last word, the list runs over known credentials and, after a comma, over
// words printed as credentials are; it ends at any other word ("NPI",
// "November", "(signed"). The list read here is returned only when it
// starts with creds' first credential, whole or with its suffix.
func credentialList(text, name, creds string) string {
	first, _, _ := strings.Cut(creds, ",")
	nameWords := strings.Fields(name)
	if first == "" || len(nameWords) == 0 {
		return creds
	}
	last := strings.ToLower(strings.Trim(nameWords[len(nameWords)-1], ".,"))
	toks := strings.Fields(text)
	norm := func(t string) string {
		return strings.ToUpper(strings.ReplaceAll(strings.Trim(t, ",;"), ".", ""))
	}
	for i := 1; i < len(toks); i++ {
		head := norm(toks[i])
		if credentialBase(head) != credentialBase(first) && !(strings.HasPrefix(head, first+"-") && knownCredential[head]) {
			continue
		}
		// The name's last word stands just before (a suffix may sit between).
		word := func(j int) string { return strings.ToLower(strings.Trim(toks[j], ".,")) }
		if word(i-1) != last && !(i > 1 && nameSuffix[word(i-1)] && word(i-2) == last) {
			continue
		}
		list := []string{head}
		comma := strings.HasSuffix(toks[i], ",")
		for j, t := range toks[i+1:] {
			c := norm(t)
			if f := strings.Trim(c, "()"); len(c) == len(f)+2 && c[0] == '(' && len(f) <= 5 && !strings.HasSuffix(list[len(list)-1], ")") {
				list[len(list)-1] += c // "FRCS (Orth)"
				comma = strings.HasSuffix(t, ",")
				continue
			}
			shaped := reCredentialShape.MatchString(strings.Trim(t, ",;"))
			if c == "" || !(knownCredential[credentialBase(c)] || comma && shaped) || c == "NPI" {
				break
			}
			// A label's first word is no credential ("MBChB, US NPI:").
			if loc := reLabel.FindStringIndex(strings.Join(toks[i+1+j:], " ")); loc != nil && loc[0] == 0 {
				break
			}
			list = append(list, c)
			comma = strings.HasSuffix(t, ",")
		}
		if len(list) >= len(strings.Split(creds, ",")) || head != first {
			return strings.Join(list, ", ")
		}
		return creds
	}
	return creds
}

// recase restores the capitals OCR lost in a name printed under its label
// ("carsten Lujan DNP", "Rafferty fairbrother"): a word of small letters
// that is not a word of the form (stopName) is capitalised. At least one
// word must have kept its capital, so that a phrase ("see attached") stays
// what it is; ok is false when nothing changed.
func recase(v string) (string, bool) {
	f := strings.Fields(v)
	kept, changed := false, false
	for i, w := range f {
		r, n := utf8.DecodeRuneInString(w)
		switch {
		case unicode.IsUpper(r):
			kept = true
		case unicode.IsLower(r) && n < len(w) && !stopName[strings.ToLower(strings.Trim(w, ".,"))] && !nameParticles[strings.ToLower(w)]:
			f[i] = string(unicode.ToUpper(r)) + w[n:]
			changed = true
		}
	}
	if !kept || !changed {
		return v, false
	}
	return strings.Join(f, " "), true
}
