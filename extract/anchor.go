package extract

import (
	"regexp"
	"strings"
	"unicode"
)

// Anchored reading (docs/reading.md): where no label names a value, a
// neighbour that is easy to find says where it stands. The patient is the
// person whose date of birth is given; whoever wrote the letter sits before
// a credential. This reads a wording by its structure, whatever words
// lead into it ("Please see", "Regarding", "For").

// nameParticle are the lower-case words names carry between capitalised
// ones.
var nameParticle = map[string]bool{"van": true, "von": true, "der": true, "den": true, "de": true, "del": true,
	"della": true, "la": true, "le": true, "da": true, "di": true, "du": true, "dos": true, "das": true, "st.": true, "y": true, "bin": true, "ibn": true, "al": true}

// nameSuffix are the generation suffixes a name may end in.
var nameSuffix = map[string]bool{"jr": true, "jr.": true, "sr": true, "sr.": true, "ii": true, "iii": true, "iv": true}

// trailingName is the person's name that ends s: two to five name words
// (capitalised, hyphened, with apostrophes or particles, an initial), read
// back from the end until a word that is not part of a name.
func trailingName(s string) (string, bool) {
	// Whatever OCR left between the name and what follows it ("=", "|",
	// "~") is not the name's; a name ends in a letter or its dot.
	s = strings.TrimRightFunc(s, func(c rune) bool { return !unicode.IsLetter(c) && c != '.' && c != '\'' && c != '’' })
	f := strings.Fields(s)
	i := len(f)
	for i > 0 && nameSuffix[strings.ToLower(strings.Trim(f[i-1], ","))] {
		i--
	}
	end := i
	for i > 0 && end-i < 5 {
		w := strings.TrimRight(f[i-1], ",")
		if w != f[i-1] && i != end {
			break // "Smith, John" is read by personName, not here
		}
		if !nameWord(w) && !(nameParticle[strings.ToLower(w)] && i != end) {
			break
		}
		i--
	}
	// A particle does not start a name here: "see van Buren" is "van Buren"
	// only when a first name precedes.
	for i < end && nameParticle[strings.ToLower(f[i])] && i+1 < end && !startsUpper(f[i]) {
		if i > 0 && nameWord(f[i-1]) {
			break
		}
		i++
	}
	words := f[i:len(f)]
	if end-i < 2 || !startsUpper(f[i]) {
		return "", false
	}
	return strings.Trim(strings.Join(words, " "), " ,"), true
}

// nameWord is a capitalised word of letters, hyphens and apostrophes, or an
// initial ("K.").
func nameWord(w string) bool {
	if w == "" || !startsUpper(w) {
		return false
	}
	letters := 0
	for _, c := range w {
		switch {
		case unicode.IsLetter(c):
			letters++
		case c == '-' || c == '\'' || c == '’' || c == '.':
		default:
			return false
		}
	}
	if letters == 0 || (strings.HasSuffix(w, ".") && letters > 1 && !nameSuffix[strings.ToLower(w)]) {
		return false // "Dr." and abbreviations end in a dot; an initial does too
	}
	return !leadWord[strings.ToLower(w)] && !stopName[strings.ToLower(w)]
}

func startsUpper(w string) bool {
	for _, c := range w {
		return unicode.IsUpper(c)
	}
	return false
}

// leadWord are capitalised words that begin sentences and lines but are
// not names.
var leadWord = map[string]bool{"please": true, "regarding": true, "re": true, "patient": true, "for": true, "see": true,
	"the": true, "our": true, "my": true, "this": true, "name": true, "pt": true, "dear": true, "hello": true, "hi": true,
	"referral": true, "order": true, "rx": true, "mr": true, "mrs": true, "ms": true, "miss": true, "subject": true, "treat": true,
	"evaluate": true, "and": true, "to": true, "with": true, "from": true, "of": true,
	// Verbs that open a referral's sentence ("Referring Ruth Kowalczyk
	// (DOB ...) for ...").
	"referring": true, "sending": true, "forwarding": true, "attaching": true, "enclosing": true,
	"requesting": true, "recommending": true, "prescribing": true, "ordering": true, "seeing": true}

// patientByBirth reads the patient as the name just before the date of
// birth: on the same line, or ending the line before.
func (r *rxReader) patientByBirth() *Patient {
	for _, l := range r.lines {
		loc := reDOBInline.FindStringIndex(l.Text)
		if loc == nil {
			continue
		}
		// The date after the label, or digits where OCR spoiled it: the
		// label says where the name ends either way.
		after := r.dateRunOn(l, l.Text[loc[1]:])
		if ds := findDates(after); (len(ds) == 0 || ds[0].Start > 3) && digitCount(after[:min(len(after), 16)]) < 2 {
			continue
		}
		before := strings.TrimRight(l.Text[:loc[0]], " /|,;-") // "Name / DOB ..."
		// "Pt: Kowalczyk, Krystal Birth date: ...": the value of the
		// label before, last name first.
		if i := strings.LastIndex(before, ":"); i >= 0 && strings.Contains(before[i:], ",") {
			if n, _, ok := personName(before[i+1:]); ok && capitalised(n) {
				return &Patient{Name: n, Evidence: l.evidence(l.Text)}
			}
		}
		if name, ok := trailingName(before); ok {
			if n, _, ok := personName(name); ok {
				return &Patient{Name: n, Evidence: l.evidence(l.Text)}
			}
		}
		if strings.TrimSpace(before) == "" && l.Idx > 0 {
			prev := r.lines[l.Idx-1]
			pt := prev.Text
			if i := strings.LastIndex(pt, ":"); i >= 0 {
				if n, _, ok := personName(pt[i+1:]); ok && capitalised(n) {
					return &Patient{Name: n, Evidence: prev.evidence(prev.Text)}
				}
			}
			// The name alone on its line, last name first or not.
			if n, _, ok := personName(pt); ok && capitalised(n) && !r.startsWithLabel(prev) {
				return &Patient{Name: n, Evidence: prev.evidence(prev.Text)}
			}
			if name, ok := trailingName(pt); ok {
				if n, _, ok := personName(name); ok {
					return &Patient{Name: n, Evidence: prev.evidence(prev.Text)}
				}
			}
		}
	}
	return nil
}

// eStatement reports an electronic-signature statement in any word order
// ("Electronically signed by", "Signed electronically", "e-signed:",
// "/es/", "Authenticated (e-signed) by"): a word of signing and a word that
// makes it electronic, followed by a name.
func (r *rxReader) eStatement(text string) bool {
	low := strings.ToLower(text)
	if awaitingSignature(text) {
		return false
	}
	sign, electronic := false, false
	for _, w := range strings.FieldsFunc(low, func(c rune) bool {
		return c == ' ' || c == ':' || c == '(' || c == ')' || c == ',' || c == '[' || c == ']' || c == '|'
	}) {
		// "e-" or "e" before a word of signing makes it electronic:
		// e-signed, eSignature, E-sig.
		stem := strings.TrimPrefix(strings.TrimPrefix(w, "e-"), "e")
		switch {
		case w == "/s/" || w == "/es/" || stem != w && (stem == "sig" || strings.HasPrefix(stem, "sign")):
			sign, electronic = true, true
		case nearWord(w, "electronically", "electronic", "digitally", "digital"):
			electronic = true
		case strings.HasPrefix(w, "authenticat"):
			// A record is authenticated by its signer only electronically:
			// "Authenticated by Ann Vu, MD on ..." is the statement of an
			// electronic signature, whatever else it says.
			sign, electronic = true, true
		case w == "sig" || strings.HasPrefix(w, "sign"):
			sign = true
		}
	}
	// A signing stamped with its date and time of day is a system's record
	// of the act ("Note finalized and signed by Ann Vu MD | 10/14/2026
	// 14:02:00"): no hand types the minute it signed.
	if sign && !electronic && timeStamped(text) {
		electronic = true
	}
	if !sign || !electronic {
		return false
	}
	if f := strings.Fields(r.prescriberName()); len(f) > 0 && nameIndex(text, strings.ToLower(f[len(f)-1])) >= 0 {
		return true
	}
	names := 0
	for _, w := range strings.Fields(text) {
		if nameWord(strings.Trim(w, ",;:")) {
			names++
		}
	}
	return names >= 2
}

// reClockTime is a time of day: "14:02", "14:02:00", "1504 hrs".
var reClockTime = regexp.MustCompile(`(?i)\b(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?\b|\b(?:[01]\d|2[0-3])[0-5]\d\s*hrs\b`)

// timeStamped reports a date and a time of day in text.
func timeStamped(text string) bool {
	return reClockTime.MatchString(text) && len(findDates(text)) > 0
}

// credentialedName reads "Name CRED" anywhere in a line: the name just
// before a credential printed in capitals ("Signed: Carmen Abernathy
// ARNP (electronic signature)").
func credentialedName(line string) (name, creds string, ok bool) {
	f := strings.Fields(line)
	for i := len(f) - 1; i > 0; i-- {
		t := strings.NewReplacer(".", "", ",", "", "-", "", ";", "").Replace(f[i])
		if !credentialWords[t] || t == "DR" || strings.ToUpper(f[i]) != f[i] {
			continue
		}
		// Credentials come in lists, degrees beside licences: "MSN, APRN,
		// FNP-C".
		j := i
		for j > 0 {
			u := strings.NewReplacer(".", "", ",", "", "-", "", ";", "").Replace(f[j-1])
			k := strings.ToUpper(strings.NewReplacer(".", "", ",", "", ";", "").Replace(f[j-1]))
			if !(credentialWords[u] || knownCredential[k]) || strings.ToUpper(f[j-1]) != f[j-1] {
				break
			}
			j--
		}
		before := strings.Join(f[:j], " ")
		if n, ok := trailingName(strings.TrimRight(before, ",")); ok {
			if pn, _, ok := personName(n); ok {
				_, c := splitCredentials("X Y " + strings.Join(f[j:i+1], " "))
				return pn, c, true
			}
		}
	}
	return "", "", false
}

// numberWords are the counts written out that plans use.
var numberWords = map[string]bool{"one": true, "two": true, "three": true, "four": true, "five": true, "six": true,
	"seven": true, "eight": true, "nine": true, "ten": true, "eleven": true, "twelve": true}

// weeksSpan finds the first "N weeks" or "N months" in s ("a total of six
// weeks", "4 wks"), as "N weeks", or "".
func weeksSpan(s string) string {
	f := strings.FieldsFunc(strings.ToLower(s), func(c rune) bool { return c == ' ' || c == ',' || c == ';' || c == '.' || c == '(' || c == ')' })
	for i := 0; i+1 < len(f); i++ {
		n := f[i]
		if !numberWords[n] && !allDigits(n) {
			continue
		}
		u := f[i+1]
		switch {
		case strings.HasPrefix(u, "wk") || strings.HasPrefix(u, "week"):
			return n + " weeks"
		case strings.HasPrefix(u, "month") || u == "mo" || u == "mos":
			return n + " months"
		}
	}
	return ""
}

func allDigits(s string) bool {
	if s == "" || len(s) > 2 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// nearWord reports whether w is one of words, or a long one of them with a
// letter or two OCR misread, dropped or added ("Rlectronically",
// "elecironic", "mottths"): the words a statement's meaning rests on are
// recognised however OCR spelled them.
func nearWord(w string, words ...string) bool {
	for _, x := range words {
		if w == x {
			return true
		}
		if len(x) >= 5 && len(w) >= len(x)-2 && len(w) <= len(x)+2 {
			allowed := 1
			if len(x) >= 8 {
				allowed = 2
			}
			if editDistance(w, x) <= allowed {
				return true
			}
		}
	}
	return false
}
