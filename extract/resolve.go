package extract

import (
	"slices"
	"strings"
)

// A person's name is read by several strategies at once: a labelled field,
// an electronic-signature statement, running text, the typed name of a
// signature block, a name beside its NPI, a name before its credentials.
// Each proposes a candidate with its source and a weight (how far that kind
// of place is trusted), and one resolver picks among them
// (docs/reading.md, "Candidates and the resolver"): the same person found
// in several places outweighs a lone reading from a weaker place.

// nameCand is one reading of a person's name.
type nameCand struct {
	name, creds string
	source      string   // label, e-signature, prose, beside-npi, signature-block, title, above-npi, credentialed
	weight      float64  // how far the source is trusted, 0..1
	line        textLine // where it was read
	measured    bool     // conf is the OCR confidence of the name's words
	conf        float64
}

// Weights of the sources of a prescriber's name, strongest first.
const (
	wLabel        = 1.0
	wLabelLoose   = 0.95
	wLabelJoined  = 0.9
	wESignature   = 0.85
	wProse        = 0.75
	wBesideNPI    = 0.7
	wSignBlock    = 0.6
	wTitle        = 0.5
	wAboveNPI     = 0.45
	wCredentialed = 0.4
	wSignedName   = 0.3 // the value of a signature's label, read as a name
)

// agreeBonus is what each further line naming the same person adds, and
// credBonus what a name printed with a prescriber's credentials adds: who
// writes credentials after a name on an order is its prescriber more often
// than not.
const (
	agreeBonus = 0.25
	credBonus  = 0.1
)

// resolveName picks the person the candidates name most strongly. The
// candidates are grouped by person (samePerson); a group scores its best
// member's weight plus agreeBonus for each other line that names the same
// person, capped at two. The best member of the best group is returned,
// with the group's credentials when its own line had none. On equal scores
// the earlier candidate wins: the strategies list their candidates in the
// order a person reads the page for that kind of place.
func resolveName(cands []nameCand) (nameCand, bool) {
	if len(cands) == 0 {
		return nameCand{}, false
	}
	score := func(c nameCand) float64 {
		s := c.weight
		if c.creds != "" {
			s += credBonus
		}
		return s
	}
	bestAt, bestScore := -1, 0.0
	for i, c := range cands {
		own := score(c)
		lines := map[int]bool{c.line.Idx: true}
		agree := 0
		for j, o := range cands {
			if j == i || !samePerson(c.name, o.name) {
				continue
			}
			own = max(own, score(o))
			if k := o.line.Idx; !lines[k] && k >= 0 {
				lines[k] = true
				agree++
			}
		}
		total := own + agreeBonus*float64(min(agree, 2))
		if bestAt < 0 || total > bestScore+1e-9 {
			bestAt, bestScore = i, total
		}
	}
	// The group's best-placed member gives the spelling.
	best := cands[bestAt]
	for _, o := range cands {
		if samePerson(best.name, o.name) && score(o) > score(best)+1e-9 {
			best = o
		}
	}
	if best.creds == "" {
		for _, o := range cands {
			if o.creds != "" && samePerson(best.name, o.name) {
				best.creds = o.creds
				break
			}
		}
	}
	return best, true
}

// samePerson reports whether two readings of names name one person: the
// same family name, allowing one letter OCR misread in a long one, and
// given names that do not disagree (one may be an initial of the other, or
// missing).
func samePerson(a, b string) bool {
	fa, fb := personTokens(a), personTokens(b)
	if len(fa) == 0 || len(fb) == 0 {
		return false
	}
	if !closeWord(fa[len(fa)-1], fb[len(fb)-1]) {
		return false
	}
	if len(fa) == 1 || len(fb) == 1 {
		return true
	}
	ga, gb := fa[0], fb[0]
	if len(ga) == 1 || len(gb) == 1 {
		return ga[0] == gb[0]
	}
	return closeWord(ga, gb)
}

// personTokens are a name's words in lower case without generation
// suffixes and middle initials.
func personTokens(s string) []string {
	f := strings.Fields(strings.ToLower(s))
	f = slices.DeleteFunc(f, func(w string) bool { return nameSuffix[w] })
	for i := 1; i < len(f)-1; i++ {
		if len(strings.Trim(f[i], ".")) == 1 {
			f = slices.Delete(f, i, i+1)
			i--
		}
	}
	for i := range f {
		f[i] = strings.Trim(f[i], ".,")
	}
	return f
}

// closeWord: equal, or one edit apart when both are five letters or more.
func closeWord(a, b string) bool {
	if a == b {
		return true
	}
	return len(a) >= 5 && len(b) >= 5 && editDistance(a, b) <= 1
}

// nameAboveNPI reads the typed name of a signature block right above its
// NPI line, its credentials perhaps misread ("Rebecca Bianchi, fp" over
// "NPI #: ..."): the lowest such pair on the order.
func (r *rxReader) nameAboveNPI() (name, creds string, at textLine, ok bool) {
	for i := len(r.lines) - 1; i > 0; i-- {
		npi := strings.Trim(r.lines[i].Text, nameNoise)
		if loc := reNPI.FindStringIndex(npi); (loc == nil || loc[0] != 0) && !r.startsWithField(r.lines[i], "npi") {
			continue
		}
		// Over the specks and rule ends between them.
		j := i - 1
		for j > 0 && alnumCount(r.lines[j].Text) < 6 && r.lines[j].Page == r.lines[i].Page {
			j--
		}
		l := r.lines[j]
		// A speck OCR read as a small letter beside the name is not part of it.
		t := dropSpecks(reTrailingMark.ReplaceAllString(typedNameLine(l.Text), ""))
		t = reCommaJoin.ReplaceAllString(t, ", $1")
		if name, creds, ok := personName(t); ok && capitalised(name) && (creds != "" || !strings.Contains(t, ",")) {
			return name, creds, l, true
		}
		if k := strings.Index(t, ","); k > 0 {
			// What follows the comma is the credentials, misread, not
			// a first name.
			if name, creds, ok := personName(t[:k]); ok && capitalised(name) {
				return name, creds, l, true
			}
		}
		return "", "", textLine{}, false
	}
	return "", "", textLine{}, false
}
