package geojson

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	orbgeojson "github.com/paulmach/orb/geojson"
)

// A feature is decoded in two ways that give the same result. The common
// shape, a Feature whose members are named as GeoJSON spells them and whose
// geometry is a Polygon or MultiPolygon of numbers, is read directly from
// its bytes, its coordinates with strconv: encoding/json and orb take five
// times as long and allocate for every position. Everything else (another
// geometry type, escaped or differently cased names, repeated members,
// nulls among the coordinates) goes through encoding/json and orb as before,
// so that odd input reads as it always has.

// parsedFeature is one entry of a collection, or the document itself, as
// decoded, before it is checked.
type parsedFeature struct {
	// feature is false for an entry that is no GeoJSON feature; typ is its
	// type member.
	feature bool
	typ     string
	// bare geometries have no properties; their key is the file name's stem.
	bare  bool
	key   string
	id    any
	props orbgeojson.Properties
	geom  parsedGeometry
}

// parsedGeometry is the geometry of a feature as decoded.
type parsedGeometry struct {
	null bool
	// n counts the positions, as positions does.
	n int
	// tooMany is set for more positions than a feature may have; the
	// geometry is not decoded.
	tooMany bool
	// unreadable is set for a geometry that orb cannot decode.
	unreadable bool
	// typ is the geometry's type, also of an unreadable one where it has one.
	typ string
	g   orb.Geometry
}

// feature is the envelope of a GeoJSON feature as encoding/json decodes it.
type feature struct {
	Type       string                `json:"type"`
	ID         any                   `json:"id"`
	Geometry   rawRef                `json:"geometry"`
	Properties orbgeojson.Properties `json:"properties"`
}

// rawRef is a JSON value kept as a slice of the bytes it was decoded from,
// where json.RawMessage would copy it. encoding/json hands UnmarshalJSON a
// slice of its input and never writes to it.
type rawRef []byte

// UnmarshalJSON keeps data without copying it.
func (r *rawRef) UnmarshalJSON(data []byte) error {
	*r = data
	return nil
}

// decodeFeature decodes one entry of a collection, valid JSON.
func (fr *fileReader) decodeFeature(raw []byte) parsedFeature {
	if f, ok := fr.fastFeature(raw); ok {
		return f
	}
	var f feature
	if err := json.Unmarshal(raw, &f); err != nil || f.Type != "Feature" {
		return parsedFeature{typ: f.Type}
	}
	return parsedFeature{feature: true, typ: f.Type, id: f.ID, props: f.Properties, geom: fr.decodeGeometry(f.Geometry)}
}

// decodeGeometry decodes the geometry of a feature, valid JSON, unless it
// has more positions than a feature may have.
func (fr *fileReader) decodeGeometry(raw []byte) parsedGeometry {
	if len(raw) == 0 || string(raw) == "null" {
		return parsedGeometry{null: true}
	}
	if g, ok := fr.fastGeometry(&cursor{b: raw}); ok {
		return g
	}
	return fr.slowGeometry(raw)
}

// slowGeometry decodes a geometry with orb.
func (fr *fileReader) slowGeometry(raw []byte) parsedGeometry {
	n := positions(raw)
	if n > fr.maxFeatureVertices {
		return parsedGeometry{n: n, tooMany: true}
	}
	g, err := orbgeojson.UnmarshalGeometry(raw)
	if err != nil {
		var head struct {
			Type string `json:"type"`
		}
		json.Unmarshal(raw, &head)
		return parsedGeometry{n: n, unreadable: true, typ: head.Type}
	}
	return parsedGeometry{n: n, typ: g.Type, g: g.Geometry()}
}

// featureMembers and geometryMembers are the member names that
// encoding/json and orb read, in any case.
var (
	featureMembers  = []string{"type", "id", "properties", "geometry"}
	geometryMembers = []string{"type", "coordinates", "geometries"}
)

// fastFeature decodes a feature of the common shape; false leaves it to
// encoding/json.
func (fr *fileReader) fastFeature(raw []byte) (parsedFeature, bool) {
	if len(raw) == 0 || raw[0] != '{' {
		return parsedFeature{}, false
	}
	c := cursor{b: raw, i: 1}
	var f parsedFeature
	var geom []byte
	var fast *parsedGeometry // the geometry, decoded where it was read
	var seen [4]bool
	c.space()
	for c.b[c.i] == '"' {
		key, plain := c.str()
		if !plain {
			return parsedFeature{}, false
		}
		c.space()
		c.i++ // the colon
		c.space()
		start := c.i
		k := member(key, featureMembers)
		switch {
		case k == -1:
			c.skip()
		case k < 0 || seen[k]:
			return parsedFeature{}, false
		case k == 0: // type
			if c.b[c.i] != '"' {
				return parsedFeature{}, false
			}
			s, plain := c.str()
			if !plain || !utf8.Valid(s) {
				return parsedFeature{}, false
			}
			f.typ = string(s)
		case k == 1: // id
			c.skip()
			v, ok := fastValue(raw[start:c.i])
			if !ok {
				return parsedFeature{}, false
			}
			f.id = v
		case k == 2: // properties
			c.skip()
			p, ok := fastProperties(raw[start:c.i])
			if !ok {
				return parsedFeature{}, false
			}
			f.props = p
		case k == 3: // geometry
			if pg, ok := fr.fastGeometry(&c); ok {
				geom, fast = nil, &pg
				break
			}
			c.i = start
			c.skip()
			geom = raw[start:c.i]
		}
		if k >= 0 {
			seen[k] = true
		}
		c.space()
		if c.b[c.i] == ',' {
			c.i++
			c.space()
		}
	}
	if f.typ != "Feature" {
		return parsedFeature{typ: f.typ}, true
	}
	f.feature = true
	if fast != nil {
		f.geom = *fast
	} else {
		f.geom = fr.decodeGeometry(geom)
	}
	return f, true
}

// member is the index in names of key, -1 for another name, or -2 for a
// name that encoding/json would match ignoring case.
func member(key []byte, names []string) int {
	for k, n := range names {
		if string(key) == n {
			return k
		}
	}
	for _, n := range names {
		if bytes.EqualFold(key, []byte(n)) {
			return -2
		}
	}
	return -1
}

// fastValue decodes a string, number or null as encoding/json decodes it
// into an any, and anything else with encoding/json.
func fastValue(raw []byte) (any, bool) {
	switch c := raw[0]; {
	case c == '"' && bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw):
		return string(raw[1 : len(raw)-1]), true
	case c == '-' || c >= '0' && c <= '9':
		v, err := strconv.ParseFloat(string(raw), 64)
		return v, err == nil
	case c == 'n':
		return nil, true
	}
	var v any
	err := json.Unmarshal(raw, &v)
	return v, err == nil
}

// fastProperties decodes the properties of a feature as encoding/json
// decodes them into orb's Properties.
func fastProperties(raw []byte) (orbgeojson.Properties, bool) {
	if string(raw) == "null" {
		return nil, true
	}
	if raw[0] != '{' {
		return nil, false
	}
	slow := func() (orbgeojson.Properties, bool) {
		var p orbgeojson.Properties
		err := json.Unmarshal(raw, &p)
		return p, err == nil
	}
	p := orbgeojson.Properties{}
	c := cursor{b: raw, i: 1}
	c.space()
	for c.b[c.i] == '"' {
		key, plain := c.str()
		if !plain || !utf8.Valid(key) {
			return slow()
		}
		c.space()
		c.i++
		c.space()
		start := c.i
		c.skip()
		switch v := raw[start:c.i]; v[0] {
		case '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			val, ok := fastValue(v)
			if !ok {
				return nil, false
			}
			p[string(key)] = val
		default:
			return slow()
		}
		c.space()
		if c.b[c.i] == ',' {
			c.i++
			c.space()
		}
	}
	return p, true
}

// fastGeometry decodes the geometry at c, a Polygon or MultiPolygon of the
// common shape, and moves past it; false leaves it to orb, with c anywhere
// in it.
func (fr *fileReader) fastGeometry(c *cursor) (parsedGeometry, bool) {
	geomStart := c.i
	if c.b[c.i] != '{' {
		return parsedGeometry{}, false
	}
	c.i++
	cp := coordParser{fr: fr, c: c}
	var typ []byte
	coords, extra, decoded := -1, false, false
	var g orb.Geometry
	c.space()
	for c.b[c.i] == '"' {
		key, plain := c.str()
		if !plain {
			return parsedGeometry{}, false
		}
		c.space()
		c.i++
		c.space()
		switch member(key, geometryMembers) {
		case 0: // type
			if typ != nil || c.b[c.i] != '"' {
				return parsedGeometry{}, false
			}
			if typ, plain = c.str(); !plain {
				return parsedGeometry{}, false
			}
		case 1: // coordinates
			if coords >= 0 {
				return parsedGeometry{}, false
			}
			coords = c.i
			if t := polygonType(typ); t != "" {
				var ok bool
				if g, ok = cp.geometry(t); !ok && !cp.over {
					return parsedGeometry{}, false
				}
				if cp.over {
					c.i = coords
					c.skip()
				}
				decoded = true
			} else {
				c.skip()
			}
		case -1:
			extra = true
			c.skip()
		default:
			return parsedGeometry{}, false
		}
		c.space()
		if c.b[c.i] == ',' {
			c.i++
			c.space()
		}
	}
	c.i++ // the closing brace
	end := c.i
	raw := c.b[geomStart:end]
	t := polygonType(typ)
	if coords < 0 || t == "" {
		return parsedGeometry{}, false
	}
	if !decoded {
		c.i = coords
		var ok bool
		if g, ok = cp.geometry(t); !ok && !cp.over {
			return parsedGeometry{}, false
		}
		c.i = end
	}
	if cp.over {
		return parsedGeometry{n: positions(raw), tooMany: true}, true
	}
	n := cp.n
	if extra {
		n = positions(raw)
	}
	return parsedGeometry{n: n, typ: t, g: g}, true
}

// polygonType is t if it names a Polygon or MultiPolygon, else "".
func polygonType(t []byte) string {
	switch string(t) {
	case "Polygon":
		return "Polygon"
	case "MultiPolygon":
		return "MultiPolygon"
	}
	return ""
}

// coordParser reads the coordinates of a polygon or multipolygon, each
// position an array of at least two numbers, into rings of the reader's
// arena.
type coordParser struct {
	fr *fileReader
	c  *cursor
	// n counts the positions read.
	n int
	// over is set once n exceeds the limit of a feature; reading stops.
	over bool
}

// geometry reads the coordinates of a geometry of type t ("Polygon" or
// "MultiPolygon"); false for another shape or too many positions.
func (p *coordParser) geometry(t string) (orb.Geometry, bool) {
	if t == "Polygon" {
		poly, ok := p.polygon()
		return poly, ok
	}
	c := p.c
	if c.b[c.i] != '[' {
		return nil, false
	}
	c.i++
	c.space()
	mp := orb.MultiPolygon{}
	for c.b[c.i] != ']' {
		poly, ok := p.polygon()
		if !ok {
			return nil, false
		}
		mp = append(mp, poly)
		if !c.next() {
			break
		}
	}
	c.i++
	return mp, true
}

func (p *coordParser) polygon() (orb.Polygon, bool) {
	c := p.c
	if c.b[c.i] != '[' {
		return nil, false
	}
	c.i++
	c.space()
	poly := orb.Polygon{}
	for c.b[c.i] != ']' {
		r, ok := p.ring()
		if !ok {
			return nil, false
		}
		poly = append(poly, r)
		if !c.next() {
			break
		}
	}
	c.i++
	return poly, true
}

func (p *coordParser) ring() (orb.Ring, bool) {
	c, fr := p.c, p.fr
	if c.b[c.i] != '[' {
		return nil, false
	}
	c.i++
	c.space()
	a := &fr.arena
	start := len(a.block)
	for c.b[c.i] != ']' {
		if c.b[c.i] != '[' {
			a.block = a.block[:start]
			return nil, false
		}
		c.i++
		c.space()
		x, ok := c.number()
		if !ok {
			a.block = a.block[:start]
			return nil, false
		}
		c.space()
		if c.b[c.i] != ',' {
			a.block = a.block[:start]
			return nil, false // one number only: orb reads 0 for the second
		}
		c.i++
		c.space()
		y, ok := c.number()
		if !ok {
			a.block = a.block[:start]
			return nil, false
		}
		c.space()
		for c.b[c.i] == ',' { // a height or measure, discarded
			c.i++
			c.space()
			// Anything else in a position (an array, a string) is left to
			// the decoder that counts and reads it as orb does.
			if _, ok := c.number(); !ok {
				a.block = a.block[:start]
				return nil, false
			}
			c.space()
		}
		c.i++ // the closing bracket
		if p.n++; p.n > fr.maxFeatureVertices {
			p.over = true
			a.block = a.block[:start]
			return nil, false
		}
		start = a.add(start, orb.Point{x, y})
		if !c.next() {
			break
		}
	}
	c.i++
	return a.block[start:len(a.block):len(a.block)], true
}

// cursor walks over a valid JSON value.
type cursor struct {
	b []byte
	i int
}

func (c *cursor) space() {
	for c.i < len(c.b) {
		switch c.b[c.i] {
		case ' ', '\t', '\n', '\r':
			c.i++
		default:
			return
		}
	}
}

// next moves past white space and a comma between elements; false at the
// end of the array or object.
func (c *cursor) next() bool {
	c.space()
	if c.b[c.i] != ',' {
		return false
	}
	c.i++
	c.space()
	return true
}

// str moves past the string at c.i and returns its bytes between the
// quotes; plain is false when it holds escapes.
func (c *cursor) str() (s []byte, plain bool) {
	start := c.i + 1
	k, plain := start, true
	for {
		for k < len(c.b) && plainByte[c.b[k]] {
			k++
		}
		if c.b[k] == '"' {
			c.i = k + 1
			return c.b[start:k], plain
		}
		plain = false
		k += 2 // the backslash and the escaped byte
	}
}

// skip moves past the value at c.i.
func (c *cursor) skip() {
	depth := 0
	for c.i < len(c.b) {
		switch c.b[c.i] {
		case '"':
			c.str()
			if depth == 0 {
				return
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				c.i++
				return
			}
		default:
			if depth == 0 { // a number or literal
				for c.i < len(c.b) && !strings.ContainsRune(",}] \t\n\r", rune(c.b[c.i])) {
					c.i++
				}
				return
			}
		}
		c.i++
	}
}

// pow10 are the powers of ten that a float64 holds exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// number reads the number at c.i as strconv.ParseFloat does; false for
// another value or a number out of range. Decimals of up to 15 digits, as
// GIS software writes coordinates, are a whole number divided by a power
// of ten, both exact in a float64, which is ParseFloat's own exact case;
// others go to ParseFloat.
func (c *cursor) number() (float64, bool) {
	b, start := c.b, c.i
	i, neg := start, false
	if i < len(b) && b[i] == '-' {
		neg = true
		i++
	}
	if i >= len(b) || b[i] < '0' || b[i] > '9' {
		return 0, false
	}
	var m uint64
	digits, frac := 0, 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		m = m*10 + uint64(b[i]-'0')
		digits++
	}
	if i < len(b) && b[i] == '.' {
		for i++; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			m = m*10 + uint64(b[i]-'0')
			digits++
			frac++
		}
	}
	if digits > 15 || i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		c.skip()
		v, err := strconv.ParseFloat(string(b[start:c.i]), 64)
		return v, err == nil
	}
	c.i = i
	v := float64(m) / pow10[frac]
	if neg {
		v = -v
	}
	return v, true
}

// arena holds rings in large blocks: one allocation for thousands of
// rings instead of one each. A ring is read into the block directly; its
// capacity ends with it, so an append copies it rather than overwrite the
// next.
type arena struct {
	block []orb.Point
}

// add appends p to the ring that starts at start in the block, moving the
// ring to a new block when the block is full; it returns the ring's start.
func (a *arena) add(start int, p orb.Point) int {
	if len(a.block) == cap(a.block) {
		ring := a.block[start:]
		a.block = append(make([]orb.Point, 0, max(1<<14, 2*len(ring))), ring...)
		start = 0
	}
	a.block = append(a.block, p)
	return start
}
