package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// family is a typeface the generator prints with. Files are base names found
// under the font directories; a family whose files are missing falls back to
// the Go fonts, and the truth names the fallback.
type family struct {
	name                   string
	regular, bold, italic  string
	pdf                    string // standard-14 family for text PDFs with the same metrics, or ""
	hand                   bool   // a handwriting font
	signSlant, signStretch float64
}

// families are the printed typefaces of the corpus.
var families = []family{
	{name: "Liberation Sans", regular: "LiberationSans-Regular.ttf", bold: "LiberationSans-Bold.ttf", italic: "LiberationSans-Italic.ttf", pdf: "Helvetica"},
	{name: "Liberation Serif", regular: "LiberationSerif-Regular.ttf", bold: "LiberationSerif-Bold.ttf", italic: "LiberationSerif-Italic.ttf", pdf: "Times"},
	{name: "Liberation Mono", regular: "LiberationMono-Regular.ttf", bold: "LiberationMono-Bold.ttf", italic: "LiberationMono-Italic.ttf", pdf: "Courier"},
	{name: "DejaVu Sans", regular: "DejaVuSans.ttf", bold: "DejaVuSans-Bold.ttf", italic: "DejaVuSans-Oblique.ttf"},
	{name: "DejaVu Serif", regular: "DejaVuSerif.ttf", bold: "DejaVuSerif-Bold.ttf", italic: "DejaVuSerif-Italic.ttf"},
	{name: "Courier Prime", regular: "Courier Prime.otf", bold: "Courier Prime Bold.otf", italic: "Courier Prime Italic.otf"},
	{name: "Nimbus Sans", regular: "NimbusSans-Regular.otf", bold: "NimbusSans-Bold.otf", italic: "NimbusSans-Italic.otf"},
	{name: "Nimbus Roman", regular: "NimbusRoman-Regular.otf", bold: "NimbusRoman-Bold.otf", italic: "NimbusRoman-Italic.otf"},
	{name: "Nimbus Mono PS", regular: "NimbusMonoPS-Regular.otf", bold: "NimbusMonoPS-Bold.otf", italic: "NimbusMonoPS-Italic.otf"},
	{name: "Carlito", regular: "Carlito-Regular.ttf", bold: "Carlito-Bold.ttf", italic: "Carlito-Italic.ttf"},
}

// handFamilies are the handwriting fonts: hand-filled values of the
// handwriting tier and the letters of wet-ink signatures.
var handFamilies = []family{
	{name: "DkgHandwriting", regular: "dkg.ttf", bold: "dkgBd.ttf", italic: "dkgIt.ttf", hand: true, signSlant: 0.15, signStretch: 1.1},
	{name: "Femkeklaver", regular: "femkeklaver.ttf", hand: true, signSlant: 0.2, signStretch: 1.0},
	{name: "Humor Sans", regular: "Humor-Sans.ttf", hand: true, signSlant: 0.25, signStretch: 0.9},
	{name: "Z003", regular: "Z003-MediumItalic.otf", hand: true, signSlant: 0.05, signStretch: 1.2},
}

func familyByName(name string) (family, bool) {
	for _, f := range append(append([]family(nil), families...), handFamilies...) {
		if f.name == name {
			return f, true
		}
	}
	return family{}, false
}

// ErrFont reports a font that cannot be parsed.
var ErrFont = errors.New("corpus: font")

// FontDirs are searched, in order, for the font files; RXCORPUS_FONT_DIR
// (a list like PATH) comes first when set.
var FontDirs = []string{"/usr/share/fonts", "/usr/local/share/fonts"}

var fontCache = struct {
	sync.Mutex
	index map[string]string // base name -> path
	fonts map[string]*sfnt.Font
}{fonts: map[string]*sfnt.Font{}}

// findFontFile returns the path of a font file by base name, or "".
func findFontFile(base string) string {
	fontCache.Lock()
	defer fontCache.Unlock()
	if fontCache.index == nil {
		fontCache.index = map[string]string{}
		dirs := FontDirs
		if env := os.Getenv("RXCORPUS_FONT_DIR"); env != "" {
			dirs = append(filepath.SplitList(env), dirs...)
		}
		for _, dir := range dirs {
			filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return nil
				}
				if _, dup := fontCache.index[d.Name()]; !dup {
					fontCache.index[d.Name()] = path
				}
				return nil
			})
		}
	}
	return fontCache.index[base]
}

// loadFont parses a font file (or one of the Go fonts, named "go:...") once.
func loadFont(path string) (*sfnt.Font, error) {
	fontCache.Lock()
	defer fontCache.Unlock()
	if f, ok := fontCache.fonts[path]; ok {
		return f, nil
	}
	var b []byte
	switch path {
	case "go:regular":
		b = goregular.TTF
	case "go:bold":
		b = gobold.TTF
	case "go:italic":
		b = goitalic.TTF
	default:
		var err error
		if b, err = os.ReadFile(path); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrFont, err)
		}
	}
	f, err := sfnt.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrFont, path, err)
	}
	fontCache.fonts[path] = f
	return f, nil
}

// role is what a run of text is: it picks the face.
type role uint8

const (
	roleRegular role = iota
	roleBold
	roleItalic
	roleHand // values filled in by hand (handwriting tier)
	roleSign // the letters of a wet-ink signature
	roleMono // a fax machine's transmit header
)

// fontSet resolves roles to fonts for one document. It is not safe for
// concurrent use (it owns a buffer).
type fontSet struct {
	family, hand family
	faces        [6]*sfnt.Font
	symbols      []*sfnt.Font // for runes a face lacks (℞): DejaVu Sans when installed, the Go font
	fallbackUsed []string     // families replaced by Go fonts
	buf          sfnt.Buffer
}

// newFontSet loads a printed family and a handwriting family.
func newFontSet(printed, hand string) (*fontSet, error) {
	pf, ok := familyByName(printed)
	if !ok {
		return nil, fmt.Errorf("%w: unknown family %q", ErrFont, printed)
	}
	hf, ok := familyByName(hand)
	if !ok {
		return nil, fmt.Errorf("%w: unknown family %q", ErrFont, hand)
	}
	fs := &fontSet{family: pf, hand: hf}
	var err error
	if p := findFontFile("DejaVuSans.ttf"); p != "" {
		f, err := loadFont(p)
		if err != nil {
			return nil, err
		}
		fs.symbols = append(fs.symbols, f)
	}
	goFont, err := loadFont("go:regular")
	if err != nil {
		return nil, err
	}
	fs.symbols = append(fs.symbols, goFont)
	load := func(base, goName string, fam family) (*sfnt.Font, error) {
		if base != "" {
			if p := findFontFile(base); p != "" {
				return loadFont(p)
			}
		}
		if !strings.Contains(strings.Join(fs.fallbackUsed, ","), fam.name) {
			fs.fallbackUsed = append(fs.fallbackUsed, fam.name)
		}
		return loadFont(goName)
	}
	specs := [6]struct {
		base, goName string
		fam          family
	}{
		roleRegular: {pf.regular, "go:regular", pf},
		roleBold:    {pf.bold, "go:bold", pf},
		roleItalic:  {pf.italic, "go:italic", pf},
		roleHand:    {hf.regular, "go:italic", hf},
		roleSign:    {hf.regular, "go:italic", hf},
		roleMono:    {"LiberationMono-Bold.ttf", "go:bold", family{name: "Liberation Mono"}},
	}
	for r, s := range specs {
		if fs.faces[r], err = load(s.base, s.goName, s.fam); err != nil {
			return nil, err
		}
	}
	return fs, nil
}

// name describes the printed family as the truth records it.
func (fs *fontSet) name() string {
	if len(fs.fallbackUsed) > 0 && strings.Contains(strings.Join(fs.fallbackUsed, ","), fs.family.name) {
		return fs.family.name + " (Go font fallback)"
	}
	return fs.family.name
}

// glyph returns the font and glyph index that draw r in a role, falling back
// to the symbol fonts for a rune the role's font lacks.
func (fs *fontSet) glyph(ro role, r rune) (*sfnt.Font, sfnt.GlyphIndex) {
	f := fs.faces[ro]
	if x, err := f.GlyphIndex(&fs.buf, r); err == nil && x != 0 {
		return f, x
	}
	for _, sf := range fs.symbols {
		if x, err := sf.GlyphIndex(&fs.buf, r); err == nil && x != 0 {
			return sf, x
		}
	}
	x, _ := f.GlyphIndex(&fs.buf, '?')
	return f, x
}

// advance returns the advance of glyph x of f at ppem (26.6 pixels per em).
func (fs *fontSet) advance(f *sfnt.Font, x sfnt.GlyphIndex, ppem fixed.Int26_6) fixed.Int26_6 {
	a, err := f.GlyphAdvance(&fs.buf, x, ppem, font.HintingNone)
	if err != nil {
		return 0
	}
	return a
}

// kern returns the kerning between two glyphs of one font.
func (fs *fontSet) kern(f *sfnt.Font, x0, x1 sfnt.GlyphIndex, ppem fixed.Int26_6) fixed.Int26_6 {
	k, err := f.Kern(&fs.buf, x0, x1, ppem, font.HintingNone)
	if err != nil {
		return 0
	}
	return k
}

// measure returns the width in points of s set in a role at size points.
func (fs *fontSet) measure(ro role, size float64, s string) float64 {
	ppem := fixed.Int26_6(size * 64)
	var w fixed.Int26_6
	var prevF *sfnt.Font
	var prev sfnt.GlyphIndex
	for _, r := range s {
		f, x := fs.glyph(ro, r)
		if f == prevF {
			w += fs.kern(f, prev, x, ppem)
		}
		w += fs.advance(f, x, ppem)
		prevF, prev = f, x
	}
	return float64(w) / 64
}
