package pipeline

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Area is one action area (Aktionsraum) of the register.
type Area struct {
	Code string
	Name string
	// Betreuung is who looks after the area, by full name.
	Betreuung string
	// From and To are the first and last year the area is part of the
	// programme; To is 0 while it still is.
	From, To int
	// Spellings are other ways staff write the name.
	Spellings []string
}

// ValidIn reports whether the area is part of the programme in year.
func (a Area) ValidIn(year int) bool {
	return year >= a.From && (a.To == 0 || year <= a.To)
}

// Register is the set of areas with their stable codes. It resolves every
// spelling of a name to its code.
type Register struct {
	areas []Area // sorted by code
	keys  map[string]string
	// exact maps every code and spelling as written to its code, and
	// index every code to its area: tables name areas the same way in
	// row after row, and a million rows should not normalise each name.
	exact map[string]string
	index map[string]int
}

var _ KeyResolver = (*Register)(nil)

// ErrRegister is returned by NewRegister when two areas claim the same code
// or spelling.
var ErrRegister = errors.New("pipeline: inconsistent area register")

// NewRegister builds a register. It returns an error when a code or a
// spelling is claimed by two areas.
func NewRegister(areas []Area) (*Register, error) {
	// Every area has a code and a name, most no other spelling: maps of
	// that size need not grow (BenchmarkNewRegister, 50,000 areas: 110 ms
	// against 154 ms growing, medians of 5).
	r := &Register{areas: append([]Area(nil), areas...), keys: make(map[string]string, 2*len(areas)),
		exact: make(map[string]string, 2*len(areas)), index: make(map[string]int, len(areas))}
	sort.Slice(r.areas, func(i, j int) bool { return r.areas[i].Code < r.areas[j].Code })
	for i, a := range r.areas {
		r.index[a.Code] = i
		for _, s := range append([]string{a.Code, a.Name}, a.Spellings...) {
			k := NormalizeName(s)
			if k == "" {
				continue
			}
			if other, dup := r.keys[k]; dup && other != a.Code {
				return nil, fmt.Errorf("%w: „%s“ names both %s and %s", ErrRegister, s, other, a.Code)
			}
			r.keys[k] = a.Code
			r.exact[s] = a.Code
		}
	}
	return r, nil
}

// Areas returns the areas sorted by code.
func (r *Register) Areas() []Area { return r.areas }

// Area returns the area with the code.
func (r *Register) Area(code string) (Area, bool) {
	if i, ok := r.index[code]; ok {
		return r.areas[i], true
	}
	return Area{}, false
}

// Resolve maps a code or any spelling of a name to the area code. The match
// ignores case, umlaut spelling (ö, oe, o), hyphens, slashes, spaces and the
// order of the parts. Where nothing matches, the hint names the closest areas.
func (r *Register) Resolve(value string) (string, string, bool) {
	if code, ok := r.exact[value]; ok {
		return code, "", true
	}
	if code, ok := r.keys[NormalizeName(value)]; ok {
		return code, "", true
	}
	return "", r.closest(value, 3), false
}

// closest names the n areas whose spellings are nearest to value.
func (r *Register) closest(value string, n int) string {
	type cand struct {
		code string
		d    int
	}
	best := map[string]int{}
	v := NormalizeName(value)
	for k, code := range r.keys {
		d := editDistance(v, k)
		if old, ok := best[code]; !ok || d < old {
			best[code] = d
		}
	}
	cands := make([]cand, 0, len(best))
	for c, d := range best {
		cands = append(cands, cand{c, d})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].d != cands[j].d {
			return cands[i].d < cands[j].d
		}
		return cands[i].code < cands[j].code
	})
	if len(cands) > n {
		cands = cands[:n]
	}
	names := make([]string, len(cands))
	for i, c := range cands {
		a, _ := r.Area(c.code)
		names[i] = fmt.Sprintf("%s (%s)", a.Code, a.Name)
	}
	return "meinten Sie " + strings.Join(names, ", ") + "?"
}

// NormalizeName reduces a written area name to a key: lower case, umlauts and
// their spellings folded to the plain vowel, ß to ss, parts split at any
// non-letter and sorted, so "Eving-Lindenhorst" and "Lindenhorst/Eving" meet.
func NormalizeName(s string) string {
	if k, ok := normalizeASCII(s); ok {
		return k
	}
	return normalizeName(s)
}

// normalizeName is NormalizeName for any text.
func normalizeName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = umlauts.Replace(s)
	parts := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

var umlauts = strings.NewReplacer("ä", "a", "ö", "o", "ü", "u", "ß", "ss", "ae", "a", "oe", "o", "ue", "u")

// normalizeASCII is NormalizeName, in one pass and one allocation, for a
// short ASCII text of few words, as codes and most names are; ok is false
// for any other text. The register normalizes every code and name twice
// (a fifth of reading 50,000 areas, before anything else can start), and
// normalizeName took 0.65 µs for each.
func normalizeASCII(s string) (key string, ok bool) {
	var (
		b     [64]byte // the words, folded, one after another
		n     int
		words [8]struct{ start, end uint8 }
		nw    int
	)
	if len(s) > len(b) {
		return "", false
	}
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return "", false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			inWord = false
			continue
		}
		if !inWord {
			if nw == len(words) {
				return "", false
			}
			words[nw].start = uint8(n)
			nw++
			inWord = true
		}
		// ae, oe and ue fold to their vowel, as umlauts does: its
		// matches do not overlap, and next is lowered here as in
		// normalizeName, which lowers before it replaces.
		if c == 'a' || c == 'o' || c == 'u' {
			if i+1 < len(s) && (s[i+1] == 'e' || s[i+1] == 'E') {
				i++
			}
		}
		b[n] = c
		n++
		words[nw-1].end = uint8(n)
	}
	w := words[:nw]
	word := func(i int) string { return string(b[w[i].start:w[i].end]) }
	// Insertion sort by the words' bytes, as sort.Strings orders them.
	for i := 1; i < len(w); i++ {
		for j := i; j > 0 && string(b[w[j].start:w[j].end]) < string(b[w[j-1].start:w[j-1].end]); j-- {
			w[j], w[j-1] = w[j-1], w[j]
		}
	}
	switch len(w) {
	case 0:
		return "", true
	case 1:
		return word(0), true
	}
	out := make([]byte, 0, n+len(w)-1)
	for i := range w {
		if i > 0 {
			out = append(out, ' ')
		}
		out = append(out, b[w[i].start:w[i].end]...)
	}
	return string(out), true
}

// editDistance is the Levenshtein distance of two strings, by runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
