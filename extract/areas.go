package extract

import (
	"regexp"
	"slices"
	"strings"
)

// areaRegions are the canonical treatment regions of docs/rules.md, in the
// order Areas reports them.
var areaRegions = []string{
	"head", "cervical", "thoracic", "lumbar", "sacral", "shoulder", "arm",
	"wrist-hand", "chest", "abdomen", "hip", "leg", "ankle-foot", "full-body",
}

// AreaNames returns the canonical region names, in the order [Areas] reports
// them.
func AreaNames() []string { return append([]string(nil), areaRegions...) }

// areaPaired are the regions a side applies to.
var areaPaired = map[string]bool{
	"head": true, "sacral": true, "shoulder": true, "arm": true, "wrist-hand": true,
	"chest": true, "hip": true, "leg": true, "ankle-foot": true,
}

// areaTerms maps words to regions. Patterns match case-insensitively on
// word boundaries unless caseSensitive is set (acronyms such as "LE" or
// "UE", which are ordinary letters in lower case).
var areaTerms = []struct {
	pattern       string
	regions       []string
	caseSensitive bool
}{
	// head
	{pattern: `head|scalp|face|facial|forehead|jaws?|temporomandibular(?:\s+joints?)?|masseters?|temporalis|cranium|cranial`, regions: []string{"head"}},
	{pattern: `TMJ|TMD`, regions: []string{"head"}, caseSensitive: true},

	// cervical. The upper trapezius runs from the skull to the shoulder
	// blade and is treated as neck; the middle and lower fibres are upper
	// back; the trapezius unqualified is both.
	{pattern: `necks?|cervical(?:\s+spine)?|cervicalgia|c[\s-]?spine|suboccipitals?|scalenes?|sternocleidomastoids?|levator\s+scapulae|upper\s+trap(?:ezius|s)?|whiplash`, regions: []string{"cervical"}},
	{pattern: `SCM`, regions: []string{"cervical"}, caseSensitive: true},
	{pattern: `trap(?:ezius|s)`, regions: []string{"cervical", "thoracic"}},
	{pattern: `cervico[\s-]?thoracic`, regions: []string{"cervical", "thoracic"}},

	// thoracic
	{pattern: `thoracic(?:\s+spine)?|t[\s-]?spine|upper[\s-]+back|mid(?:dle)?[\s-]*back|rhomboids?|interscapular|(?:mid(?:dle)?|lower)\s+trap(?:ezius|s)?|lats|latissimus(?:\s+dorsi)?`, regions: []string{"thoracic"}},
	{pattern: `thoraco[\s-]?lumbar`, regions: []string{"thoracic", "lumbar"}},

	// lumbar
	{pattern: `low(?:er)?[\s-]*back|lumbar(?:\s+spine)?|l[\s-]?spine|lumbago|quadratus\s+lumborum`, regions: []string{"lumbar"}},
	{pattern: `LBP|QL`, regions: []string{"lumbar"}, caseSensitive: true},
	{pattern: `lumbo[\s-]?sacral(?:\s+spine)?|LS\s+spine`, regions: []string{"lumbar", "sacral"}},

	// sacral
	{pattern: `sacrum|sacral|s\.?i\.?\s+joints?|sacro[\s-]?iliac(?:\s+joints?)?|coccyx|coccygeal|tailbone`, regions: []string{"sacral"}},
	{pattern: `SIJ`, regions: []string{"sacral"}, caseSensitive: true},

	// shoulder
	{pattern: `shoulders?|rotator\s+cuffs?|deltoids?|scapulae?|scapular|scapulas|a\.?c\.?\s+joints?|glenohumeral|supraspinatus|infraspinatus|subscapularis|teres\s+(?:major|minor)|armpits?|axillae?|axillary`, regions: []string{"shoulder"}},

	// arm
	{pattern: `arms?|upper\s+arms?|elbows?|forearms?|biceps?|triceps?|epicondyl\w*|tennis\s+elbow|golfer'?s\s+elbow|upper\s+extremit(?:y|ies)`, regions: []string{"arm"}},
	{pattern: `UE|BUE|RUE|LUE`, regions: []string{"arm"}, caseSensitive: true},

	// wrist-hand
	{pattern: `wrists?|hands?|fingers?|thumbs?|carpal(?:\s+tunnel)?|knuckles?`, regions: []string{"wrist-hand"}},

	// chest
	{pattern: `chest(?:\s+wall)?|pectorals?|pectoralis(?:\s+(?:major|minor))?|pecs?|sternum|sternal|ribs?|rib\s+cage|intercostals?`, regions: []string{"chest"}},

	// abdomen
	{pattern: `abdomen|abdominals?|abdominal(?:\s+wall)?|belly`, regions: []string{"abdomen"}},

	// hip
	{pattern: `hips?|gluteals?|glutes?|gluteus(?:\s+(?:maximus|medius|minimus))?|buttocks?|piriformis|hip\s+flexors?|psoas|iliopsoas|tensor\s+fasciae\s+latae|groin`, regions: []string{"hip"}},
	{pattern: `TFL`, regions: []string{"hip"}, caseSensitive: true},

	// leg
	{pattern: `legs?|thighs?|knees?|hamstrings?|quadriceps|quads?|it\s*bands?|iliotibial(?:\s+bands?)?|calf|calves|shins?|gastrocnemius|gastrocs?|soleus|adductors?|patellar?|popliteal|lower\s+extremit(?:y|ies)|(?:upper|lower)\s+legs?`, regions: []string{"leg"}},
	{pattern: `LE|BLE|RLE|LLE|ITB`, regions: []string{"leg"}, caseSensitive: true},

	// ankle-foot
	{pattern: `ankles?|foot|feet|heels?|toes?|plantar(?:\s+fascia(?:e|itis)?)?|achilles(?:\s+tendon)?|metatarsals?`, regions: []string{"ankle-foot"}},

	// full-body
	{pattern: `(?:full|whole|entire|total)[\s-]*body`, regions: []string{"full-body"}},

	// Compounds.
	{pattern: `(?:entire|whole|full)\s+spine`, regions: []string{"cervical", "thoracic", "lumbar"}},
	{pattern: `(?:upper|mid(?:dle)?|low(?:er)?)\s*(?:and|&|/|,)\s*(?:upper|mid(?:dle)?|low(?:er)?)[\s-]+back`, regions: nil}, // see areaCompoundBack
	{pattern: `(?:upper|lower)\s*(?:and|&|/)\s*(?:upper|lower)\s+extremit(?:y|ies)`, regions: []string{"arm", "leg"}},
}

// areaRE matches every term; group i+1 is areaTerms[i].
var areaRE = func() *regexp.Regexp {
	var alts []string
	for _, t := range areaTerms {
		p := t.pattern
		if !t.caseSensitive {
			p = `(?i:` + p + `)`
		}
		alts = append(alts, `\b(`+p+`)\b`)
	}
	re := regexp.MustCompile(strings.Join(alts, "|"))
	re.Longest()
	return re
}()

// areaExcludeAfterRE and areaExcludeBeforeRE reject words that name no body
// region in context: "hands-on", "face-to-face", "face sheet", "neck of
// femur", "by hand", "on the other hand".
var (
	areaExcludeAfterRE  = regexp.MustCompile(`(?i)^(?:-on\b|[\s-]+to[\s-]+face\b|\s+sheet\b|\s*&\s*stone\b|[\s-]+written\b|[\s-]+delivered\b|\s+of\s+(?:the\s+)?(?:femur|humerus|radius|department|dept|household)\b)`)
	areaExcludeBeforeRE = regexp.MustCompile(`(?i)(?:\bby|\bother|\bsecond[\s-]|\bfemoral|\bface[\s-]+to[\s-])\s*$`)
)

var (
	areaSideBeforeRE = regexp.MustCompile(`(?i)(?:^|[^\w/])(right\s+(?:and|&)\s+left|left\s+(?:and|&)\s+right|r\s*/\s*l|l\s*/\s*r|r\s*&\s*l|bilateral|bilat|both|b/l|bil|right|left|rt|lt|r|l)\.?[\s:-]*(?:sided?\s+)?$`)
	areaSideAfterRE  = regexp.MustCompile(`(?i)^(?:\s*\(\s*(right|left|rt|lt|r|l|bilateral|bilat|b/l)\s*\)|,?\s+(bilaterally)\b|\s*[-–]\s*(right|left|rt|lt|r|l)\b)`)
)

// AreaMention is one mention of a treatment area.
type AreaMention struct {
	Area string `json:"area"`           // canonical region
	Side string `json:"side,omitempty"` // "left", "right", "bilateral" or ""
	Text string `json:"text"`           // evidence as printed
}

// Areas reads the treatment areas text names and returns their canonical
// regions (see [AreaNames]), each once, in the fixed order head, cervical,
// thoracic, lumbar, sacral, shoulder, arm, wrist-hand, chest, abdomen, hip,
// leg, ankle-foot, full-body.
//
// Words match whole ("leg" is not found in "legal", "arm" not in "pharmacy");
// "armpit" and "axilla" are shoulder. Besides the words of docs/rules.md it
// knows common synonyms, abbreviations and muscles: "c-spine", "LBP",
// "L-spine", "SI joint", "IT band", "plantar fascia", "TMJ", "whole body".
// "Lumbosacral" is lumbar and sacral; "thoracolumbar" thoracic and lumbar;
// "upper trapezius" is cervical, "middle/lower trapezius" thoracic and
// "trapezius" alone both. "Back" and "spine" alone name no region (which
// part?); "low back", "upper back", "mid back" and "upper and lower back" do.
//
// Areas does not read negation: "avoid the neck" still yields cervical. A
// region named is reported; deciding whether it is to be treated is left to
// the reader of the evidence ([AreaMentions]).
func Areas(text string) []string {
	found := map[string]bool{}
	for _, m := range AreaMentions(text) {
		found[m.Area] = true
	}
	var out []string
	for _, r := range areaRegions {
		if found[r] {
			out = append(out, r)
		}
	}
	return out
}

// AreaMentions returns every mention of a region in text order, with its
// side when one is written next to a paired region ("R knee", "bilateral
// shoulders", "L/R hips", "shoulder (L)"). A word naming two regions
// ("lumbosacral") yields two mentions with the same Text.
func AreaMentions(text string) []AreaMention {
	var out []AreaMention
	printed := text
	text = mendAreaWords(text)
	defer func() {
		// The mends keep every offset: report the text as printed.
		for i := range out {
			if j := strings.Index(text, out[i].Text); j >= 0 {
				out[i].Text = printed[j : j+len(out[i].Text)]
			}
		}
	}()
	for _, m := range areaRE.FindAllStringSubmatchIndex(text, -1) {
		ti := matchedGroup(m)
		if ti < 0 || ti >= len(areaTerms) {
			continue
		}
		start, end := m[0], m[1]
		if areaExcludeAfterRE.MatchString(text[end:]) || areaExcludeBeforeRE.MatchString(text[max(0, start-16):start]) {
			continue
		}
		regions := areaTerms[ti].regions
		if regions == nil {
			regions = areaCompoundBack(text[start:end])
		}
		side, s, e := areaSide(text, start, end)
		for _, r := range regions {
			am := AreaMention{Area: r, Text: text[start:end]}
			if areaPaired[r] && side != "" {
				am.Side, am.Text = side, text[s:e]
			}
			out = append(out, am)
		}
	}
	return out
}

// areaCompoundBack reads "upper and lower back" and the like.
func areaCompoundBack(s string) []string {
	low := strings.ToLower(s)
	var out []string
	if strings.Contains(low, "upper") || strings.Contains(low, "mid") {
		out = append(out, "thoracic")
	}
	if strings.Contains(low, "low") {
		out = append(out, "lumbar")
	}
	return out
}

// areaSide reads the side written right before or after a mention and
// returns it with the bounds of the mention widened to cover it.
func areaSide(text string, start, end int) (side string, s, e int) {
	s, e = start, end
	var w string
	from := max(0, start-20)
	if m := areaSideBeforeRE.FindStringSubmatchIndex(text[from:start]); m != nil {
		w = text[from+m[2] : from+m[3]]
		s = from + m[2]
	} else if m := areaSideAfterRE.FindStringSubmatchIndex(text[end:min(len(text), end+20)]); m != nil {
		for g := 1; g <= 3; g++ {
			if m[2*g] >= 0 {
				w = text[end+m[2*g] : end+m[2*g+1]]
			}
		}
		e = end + m[1]
	}
	switch strings.ToLower(strings.Join(strings.Fields(w), " ")) {
	case "":
		return "", start, end
	case "right", "rt", "r":
		return "right", s, e
	case "left", "lt", "l":
		return "left", s, e
	}
	return "bilateral", s, e
}

// areaLongWords are the long words of regions, which OCR misreads by one
// letter on a poor page ("tumbosacral", "fumbar", "thoracle").
var areaLongWords = strings.Fields(`lumbar lumbosacral thoracic cervical shoulder shoulders scapula scapular
	trapezius suboccipital suboccipitals sacroiliac thoracolumbar cervicothoracic gluteal gluteus
	piriformis hamstring hamstrings quadriceps forearm forearms plantar calves sacrum coccyx`)

var reLongWord = regexp.MustCompile(`[A-Za-z]{6,}`)

// mendAreaWords replaces, letter for letter, a word of six letters or more
// that is one substitution away from exactly one long region word and is no
// region word itself.
func mendAreaWords(text string) string {
	return reLongWord.ReplaceAllStringFunc(text, func(w string) string {
		low := strings.ToLower(w)
		if slices.Contains(areaLongWords, low) {
			return w
		}
		if m := areaRE.FindStringIndex(w); m != nil && m[0] == 0 && m[1] == len(w) {
			return w // a region word of its own ("scapulae")
		}
		if rxVocabulary[low] {
			return w
		}
		found := ""
		for _, a := range areaLongWords {
			if len(a) != len(low) {
				continue
			}
			diff := 0
			for i := 0; i < len(a) && diff < 2; i++ {
				if a[i] != low[i] {
					diff++
				}
			}
			if diff == 1 {
				if found != "" {
					return w
				}
				found = a
			}
		}
		if found == "" {
			return w
		}
		return sameCase(w, found)
	})
}
