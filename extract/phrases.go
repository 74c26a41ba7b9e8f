package extract

import (
	"embed"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"rxintake/confusion"
)

// The words the reader looks for (form labels, cue words, credentials)
// are data: data/*.txt, in the phrase notation of docs/reading.md
// ("Vocabulary files"). Code holds the grammar around them: where a cue
// must stand, what follows it.
//
//go:embed data/*.txt
var phraseFiles embed.FS

// phraseSections maps "file/section" to its phrases.
var phraseSections = func() map[string][]string {
	m, err := loadPhrases(phraseFiles)
	if err != nil {
		panic(err)
	}
	return m
}()

func loadPhrases(fsys embed.FS) (map[string][]string, error) {
	m := map[string][]string{}
	entries, err := fsys.ReadDir("data")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		b, err := fsys.ReadFile("data/" + e.Name())
		if err != nil {
			return nil, err
		}
		file := strings.TrimSuffix(e.Name(), ".txt")
		section := ""
		for n, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			switch {
			case line == "" || strings.HasPrefix(line, "#"):
			case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
				section = file + "/" + line[1:len(line)-1]
				if _, dup := m[section]; dup {
					return nil, fmt.Errorf("data/%s line %d: section %s twice", e.Name(), n+1, section)
				}
				m[section] = nil
			case section == "":
				return nil, fmt.Errorf("data/%s line %d: phrase before any [section]", e.Name(), n+1)
			default:
				if _, err := regexp.Compile(phraseSource(line)); err != nil {
					return nil, fmt.Errorf("data/%s line %d: %q: %v", e.Name(), n+1, line, err)
				}
				m[section] = append(m[section], line)
			}
		}
	}
	return m, nil
}

// phrases is the alternation of a section's phrases, as regexp source,
// case-insensitive: (?i:p1|p2|...), in the order of the file.
func phrases(section string) string {
	ps, ok := phraseSections[section]
	if !ok || len(ps) == 0 {
		panic("extract: no phrases in data section " + section)
	}
	alts := make([]string, 0, len(ps))
	for _, p := range ps {
		alts = append(alts, phraseSource(p))
	}
	return "(?i:" + strings.Join(alts, "|") + ")"
}

// words are a section's phrases as plain strings, each choice of a
// one-word phrase on its own ("FNP-C|FNP" gives both), for readers that
// compare words rather than match patterns.
func words(section string) []string {
	ps, ok := phraseSections[section]
	if !ok || len(ps) == 0 {
		panic("extract: no phrases in data section " + section)
	}
	var out []string
	for _, p := range ps {
		if strings.ContainsAny(p, " \t") {
			out = append(out, p)
			continue
		}
		out = append(out, strings.Split(p, "|")...)
	}
	return out
}

// cue compiles a regexp of src in which {file/section} stands for the
// phrases of that data section.
func cue(src string) *regexp.Regexp {
	var b strings.Builder
	for src != "" {
		i := strings.IndexByte(src, '{')
		if i < 0 {
			b.WriteString(src)
			break
		}
		j := strings.IndexByte(src[i:], '}')
		name := ""
		if j > 0 {
			name = src[i+1 : i+j]
		}
		if !strings.Contains(name, "/") {
			// A repetition ("{1,3}"), not a section.
			b.WriteString(src[:i+1])
			src = src[i+1:]
			continue
		}
		b.WriteString(src[:i])
		b.WriteString(phrases(name))
		src = src[i+j+1:]
	}
	return regexp.MustCompile(b.String())
}

// phraseSource compiles one phrase. Words are separated by blanks (one
// or more in the text, or a hyphen); "_" joins two words a blank may separate or not
// ("birth_date"); "a|b" is a choice; a trailing "?" makes a word
// optional; a trailing "*" takes any ending ("diagnos*"); "prov~ider" is
// the word or its short form before the "~" ("prov", "prov."); "(s)" and
// "('s)" are optional endings, "(s)" also as printed ("area(s)"). A word
// in capitals is an abbreviation: dots, slashes and a blank may stand between its
// letters, and each letter may be read as the digit OCR takes it for
// (the shared confusion table).
func phraseSource(p string) string {
	toks := strings.Fields(p)
	var b strings.Builder
	lead := true // only optional words so far, each with its blank
	for i, t := range toks {
		opt := strings.HasSuffix(t, "?") && len(t) > 1
		if opt {
			t = t[:len(t)-1]
		}
		src := tokenSource(t)
		sep := ""
		if i > 0 && !lead {
			sep = `(?:\s+|\s*-\s*)`
			if !wordEdge(toks[i-1], false) || !wordEdge(t, true) {
				sep = `\s*`
			}
		}
		switch {
		case opt && lead:
			b.WriteString(`(?:` + src + `\s*)?`)
		case opt:
			b.WriteString(`(?:` + sep + src + `)?`)
		default:
			b.WriteString(sep + src)
			lead = false
		}
	}
	s := b.String()
	if wordEdge(toks[0], true) {
		s = `\b` + s
	}
	return s
}

// wordEdge reports whether a token begins (start) or ends with a letter or
// digit.
func wordEdge(t string, start bool) bool {
	t = strings.TrimSuffix(t, "?")
	if alts := strings.Split(t, "|"); len(alts) > 1 {
		for _, a := range alts {
			if !wordEdge(a, start) {
				return false
			}
		}
		return true
	}
	if t == "" {
		return false
	}
	r := []rune(t)
	c := r[len(r)-1]
	if start {
		c = r[0]
	} else {
		for _, suf := range []string{"(s)", "('s)", "*", "."} {
			if s := strings.TrimSuffix(t, suf); s != t && s != "" {
				return wordEdge(s, false)
			}
		}
	}
	return unicode.IsLetter(c) || unicode.IsDigit(c)
}

func tokenSource(t string) string {
	alts := strings.Split(t, "|")
	out := make([]string, 0, len(alts))
	for _, a := range alts {
		out = append(out, slotSource(a))
	}
	if len(out) == 1 {
		return out[0]
	}
	return "(?:" + strings.Join(out, "|") + ")"
}

func slotSource(a string) string {
	if parts := strings.Split(a, "_"); len(parts) > 1 {
		srcs := make([]string, len(parts))
		for i, p := range parts {
			srcs[i] = slotSource(p)
			if i < len(parts)-1 {
				srcs[i] = strings.TrimSuffix(srcs[i], `\b`)
			}
		}
		return strings.Join(srcs, `\s*`)
	}
	if abbreviation(a) {
		return abbreviationSource(a)
	}
	if head, tail, ok := strings.Cut(a, "~"); ok && head != "" && tail != "" {
		// "prov~ider": the word, or the word cut short, with or without
		// its dot ("Prov.", "Prov NPI").
		return `(?:` + slotSource(head+tail) + `|` + regexp.QuoteMeta(head) + `\b\.?)`
	}
	suffix := ""
	switch {
	case strings.HasSuffix(a, "('s)") && len(a) > 4:
		a, suffix = a[:len(a)-4], `(?:['’]s)?`
	case strings.HasSuffix(a, "(s)") && len(a) > 3:
		a, suffix = a[:len(a)-3], `(?:s|\s*\(s[)}\]])?`
	case strings.HasSuffix(a, "*") && len(a) > 1:
		a, suffix = a[:len(a)-1], `\w*`
	case strings.HasSuffix(a, ".") && len(a) > 1:
		a, suffix = a[:len(a)-1], `\.?`
	}
	q := regexp.QuoteMeta(a)
	q = strings.ReplaceAll(q, "-", "[- ]?")
	q = strings.ReplaceAll(q, "'", "['’]")
	if suffix == "" && wordEdge(a, false) {
		suffix = `\b`
	}
	return q + suffix
}

// abbreviation reports a word written in capitals (dots and hyphens
// allowed): "NPI", "M.D.", "PA-C".
func abbreviation(a string) bool {
	letters := 0
	for _, c := range a {
		switch {
		case c >= 'A' && c <= 'Z':
			letters++
		case c == '.' || c == '-':
		default:
			return false
		}
	}
	return letters >= 2
}

func abbreviationSource(a string) string {
	var b strings.Builder
	var letters []rune
	for _, c := range a {
		if c >= 'A' && c <= 'Z' {
			letters = append(letters, c)
		} else if c == '-' && len(letters) > 0 {
			letters = append(letters, '-')
		}
	}
	for i, c := range letters {
		if c == '-' {
			b.WriteString(`-?`)
			continue
		}
		switch {
		case i == len(letters)-1:
			// A bar read for the last letter has no word boundary after it.
			if cl := letterClass(c); strings.Contains(cl, "|") {
				b.WriteString(`(?:` + strings.Replace(cl, "|", "", 1) + `\b|\|)\.?`)
			} else {
				b.WriteString(cl + `\b\.?`)
			}
			continue
		}
		b.WriteString(letterClass(c))
		switch {
		case letters[i+1] != '-':
			b.WriteString(`[.,/]*\s?`)
		}
	}
	return b.String()
}

// letterClass is a letter of an abbreviation and the digit OCR reads for
// it ("D.O." printed, "D.0." read).
func letterClass(c rune) string {
	set := string(c)
	if d, ok := confusion.Default.Digit(c); ok {
		set += string(d)
		for _, o := range confusion.Default.ReadAs(d) {
			if o != c && !strings.ContainsRune(set, o) {
				set += string(o)
			}
		}
	}
	if len(set) == 1 {
		return set
	}
	var b strings.Builder
	for _, c := range set {
		if strings.ContainsRune(`\]^-[|`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return "[" + b.String() + "]"
}
