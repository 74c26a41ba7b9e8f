package extract

import (
	"strings"
	"unicode"

	"rxintake/confusion"
)

// Words of a prescription that OCR misreads in known ways on faxes: "weck"
// for "week", "cach" for "each", "rn" for "m". A word that is not one of
// them but becomes one through a single known confusion is read as that
// word; the first reading is kept in Word.Read. Nothing else is changed:
// no guessing between words of the vocabulary, no numbers.
var rxVocabulary = func() map[string]bool {
	m := map[string]bool{}
	for w := range strings.FieldsSeq(`week weeks weekly each units unit minutes minute mins hour hours
		session sessions visit visits times twice thrice therapy release myofascial neuromuscular massage
		manual mobilization mobilisation medically necessary necessity frequency duration signature signed
		electronically diagnosis diagnoses diagnosed patient treatment treatments lumbar cervical thoracic
		sacral shoulder shoulders neck back hips knee knees lower upper spine cervicalgia pain unspecified
		spasm muscle myalgia sprain ligaments headache sciatica lumbago physician prescriber provider
		referral referring recommend thereafter then over date birth month months daily plan length area
		areas region bilateral right left trigger point soft tissue lymphatic drainage traction`) {
		m[w] = true
	}
	return m
}()

// mendWords applies the known confusions to the words of a page in place.
func mendWords(words []Word) {
	for i := range words {
		if fixed, ok := mendWord(words[i].Text); ok {
			words[i].Read = words[i].Text
			words[i].Text = fixed
		}
	}
}

// mendWord mends each run of letters in w ("2x/weck" has "x" and "weck").
func mendWord(w string) (string, bool) {
	var b strings.Builder
	changed := false
	r := []rune(w)
	for i := 0; i < len(r); {
		if !unicode.IsLetter(r[i]) {
			b.WriteRune(r[i])
			i++
			continue
		}
		j := i
		for j < len(r) && unicode.IsLetter(r[j]) {
			j++
		}
		run := string(r[i:j])
		if fixed, ok := mendRun(run); ok {
			run, changed = fixed, true
		}
		b.WriteString(run)
		i = j
	}
	return b.String(), changed
}

func mendRun(core string) (string, bool) {
	low := strings.ToLower(core)
	if len(low) < 4 || rxVocabulary[low] {
		return "", false
	}
	for _, c := range confusion.Default.WordSubs() {
		for i := 0; i+len(c[0]) <= len(low); i++ {
			if low[i:i+len(c[0])] != c[0] {
				continue
			}
			cand := low[:i] + c[1] + low[i+len(c[0]):]
			if rxVocabulary[cand] {
				return sameCase(core, cand), true
			}
		}
	}
	return "", false
}

// sameCase writes word in the case pattern of like: upper, title or lower.
func sameCase(like, word string) string {
	switch {
	case strings.ToUpper(like) == like:
		return strings.ToUpper(word)
	case unicode.IsUpper([]rune(like)[0]):
		return strings.ToUpper(word[:1]) + word[1:]
	}
	return word
}
