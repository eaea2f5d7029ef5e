package geojson

import (
	"github.com/paulmach/orb"
)

// prepared is a feature's geometry checked ahead of the features before
// it: ok when it is a boundary with nothing to report, in the file's
// system (src) and in WGS84.
type prepared struct {
	ok       bool
	src, wgs orb.MultiPolygon
}

// prepareAll checks the geometries of the features ahead, on all
// processors. The common case, a closed simple ring inside Germany, needs
// neither the state of the file nor a report, and is most of the time a
// file takes after decoding (for UTM, most of it is the transformation to
// WGS84). Anything else, and anything prepare is not sure of, is left to
// geometry in file order, which reports it as before.
func (fr *fileReader) prepareAll(features []parsedFeature) []prepared {
	out := make([]prepared, len(features))
	if fr.unprepared {
		return out
	}
	inParallel(fr.ctx, len(features), 64, func(next func() (int, int, bool)) {
		var w westOrder
		for lo, hi, ok := next(); ok; lo, hi, ok = next() {
			for k := lo; k < hi; k++ {
				if features[k].feature {
					out[k] = fr.prepare(&features[k].geom, &w)
				}
			}
		}
	})
	return out
}

// prepare checks a geometry that geometry would accept without a word: a
// polygon of one closed ring, every position inside Germany and its easting
// written as the file's system says, the ring surely simple.
func (fr *fileReader) prepare(pg *parsedGeometry, w *westOrder) prepared {
	if pg.null || pg.tooMany || pg.unreadable {
		return prepared{}
	}
	mp, problem := polygons(pg.g)
	if problem != "" || len(mp) != 1 || len(mp[0]) != 1 {
		return prepared{}
	}
	r := mp[0][0]
	if len(r) < 4 || r[0] != r[len(r)-1] {
		return prepared{}
	}
	c := fr.crs
	for _, pt := range r {
		if c.zone != 0 {
			if zone, _, prefixed := c.utmEasting(pt[0]); prefixed != c.prefixed || zone != c.zone {
				return prepared{}
			}
		}
		if !inGermany(c.lonLat(pt)) {
			return prepared{}
		}
	}
	if !simpleRing(r, w) {
		return prepared{}
	}
	return prepared{ok: true, src: mp, wgs: fr.wgs84(mp)}
}
