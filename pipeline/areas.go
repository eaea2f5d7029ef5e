package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"

	"github.com/paulmach/orb"
)

// Boundary is one area geometry as read from a boundary file, in WGS84.
type Boundary struct {
	// Key is the code or name that identifies the area in the file.
	Key      string
	Pos      Pos
	Geometry orb.MultiPolygon
	// AreaKM2 is the area of Geometry in km², which the run measures when
	// the file has been read (measureAreas).
	AreaKM2 float64
}

// BoundaryReader reads the area geometries of a boundary file, reprojected to
// WGS84. Features it cannot use are issues in rep; a file that is not
// readable at all is a *BadInput.
type BoundaryReader interface {
	ReadBoundaries(name string, r io.Reader, rep *Report) ([]Boundary, error)
}

// ContextBoundaryReader is a BoundaryReader that also stops checking the
// boundaries it has read when ctx is done, returning ctx's error: a run
// whose other inputs failed does not wait for seconds of geometry checks.
type ContextBoundaryReader interface {
	ReadBoundariesContext(ctx context.Context, name string, r io.Reader, rep *Report) ([]Boundary, error)
}

// readBoundaries reads the boundaries and resolves each to an area code.
func (j *Job) readBoundaries(ctx context.Context, registered <-chan *Register, res *Result) (map[string]Boundary, error) {
	hi, err := j.open("areas", j.Areas)
	if err != nil {
		return nil, err
	}
	var bs []Boundary
	if cr, ok := j.Boundaries.(ContextBoundaryReader); ok {
		bs, err = cr.ReadBoundariesContext(ctx, hi.name, ctxReader{ctx, hi}, res.Report)
	} else {
		bs, err = j.Boundaries.ReadBoundaries(hi.name, ctxReader{ctx, hi}, res.Report)
	}
	if ctx.Err() != nil {
		hi.rc.Close()
		return nil, ctx.Err()
	}
	bad := (*BadInput)(nil)
	if errors.As(err, &bad) {
		res.Report.Add(bad.Issue)
		err = nil
	}
	if err != nil {
		hi.rc.Close()
		return nil, err
	}
	if err := hi.finish(res, len(bs)); err != nil {
		return nil, err
	}
	if bad != nil {
		// Unreadable: no boundaries to match, and no follow-on errors for
		// every area "without" one.
		return nil, nil
	}
	measureAreas(bs)
	reg := <-registered
	if reg == nil {
		return nil, nil // no register, no run
	}
	out := map[string]Boundary{}
	for _, b := range bs {
		code, hint, ok := reg.Resolve(b.Key)
		switch {
		case !ok:
			res.Report.Errorf(CodeForeignKey, b.Pos, b.Key, "ein Code oder Name aus dem Register der Aktionsräume",
				"Die Grenze gehört zu keinem bekannten Aktionsraum; %s", hint)
		case out[code].Geometry != nil:
			res.Report.Errorf(CodeUnique, b.Pos, b.Key, "eine Grenze je Aktionsraum",
				"Für den Aktionsraum %s gibt es schon eine Grenze (%s)", code, out[code].Pos)
		default:
			out[code] = b
		}
	}
	return out, nil
}

// ctxReader reads r until ctx is done: a boundary reader stops at the error
// of its next read, also one without a context of its own.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// measureAreas sets the area of every boundary, on every core: for 50,000
// polygons of 3 million positions it takes longer than the rest of the join,
// which waits for the fund usage, and the boundary reader has the time.
func measureAreas(bs []Boundary) {
	workers := min(runtime.GOMAXPROCS(0), len(bs)/64+1)
	var wg sync.WaitGroup
	var g Guard
	for w := range workers {
		wg.Go(func() {
			defer g.Recover()
			for i := w; i < len(bs); i += workers {
				bs[i].AreaKM2 = AreaKM2(bs[i].Geometry)
			}
		})
	}
	wg.Wait()
	g.Repanic()
}

// AreaKM2 is the area of a WGS84 (multi)polygon on the WGS84 ellipsoid in km².
// Latitudes are mapped to authalic latitudes, which makes the ellipsoid's area
// equal to that of a sphere of the authalic radius; the spherical ring area
// of orb's geo.Area (Chamberlain and Duquette) does the rest. It needs only
// the sine of each authalic latitude, which is q(φ)/q(90°): computed here
// point by point, without a projected copy of the geometry. For areas the
// size of a city the result agrees with geodesic polygon areas to far
// better than the published three decimals.
func AreaKM2(g orb.Geometry) float64 {
	sum := 0.0
	for _, p := range toMultiPolygon(g) {
		for i, r := range p {
			a := math.Abs(authalicRingArea(r))
			if i > 0 {
				a = -a
			}
			sum += a
		}
	}
	return sum * authalicRadius * authalicRadius / 2 / 1e6
}

// authalicRingArea is twice the signed area of the ring on the unit sphere
// of authalic latitudes, in the order of terms of orb's ringArea; the ring
// is closed implicitly.
func authalicRingArea(r orb.Ring) float64 {
	n := len(r)
	if n < 3 {
		return 0
	}
	if r[0] != r[n-1] {
		r = append(r[:n:n], r[0])
		n++
	}
	// Point n-1 is point 0: the terms wrap around over 0..n-2.
	m := n - 1
	area := 0.0
	for i := range m {
		lo, mi, hi := r[i], r[(i+1)%m], r[(i+2)%m]
		area += (lo2rad(hi[0]) - lo2rad(lo[0])) * authalicSin(mi[1])
	}
	return -area
}

func lo2rad(d float64) float64 { return d * math.Pi / 180 }

// authalicSin is the sine of the authalic latitude of latitude lat (degrees).
func authalicSin(lat float64) float64 {
	return authalicQ(math.Sin(lat*math.Pi/180)) / authalicQp
}

// WGS84 ellipsoid.
const (
	wgs84A = 6378137.0
	wgs84F = 1 / 298.257223563
)

var (
	wgs84E2        = wgs84F * (2 - wgs84F)
	wgs84E         = math.Sqrt(wgs84E2)
	authalicQp     = authalicQ(1)
	authalicRadius = wgs84A * math.Sqrt(authalicQp/2)
)

// authalicQ is q(φ) of Snyder's Map Projections (eq. 3-12), for sin φ.
func authalicQ(sinPhi float64) float64 {
	es := wgs84E * sinPhi
	return (1 - wgs84E2) * (sinPhi/(1-es*es) - 1/(2*wgs84E)*math.Log((1-es)/(1+es)))
}

// toMultiPolygon returns the polygons of g, or nil for other geometries.
func toMultiPolygon(g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// join builds the rows of the areas dataset: every area with a boundary, its
// latest key figures (areas report in different years) and its
// Aktionsraumfonds of the latest year of the fund usage (an area without an
// action that year shows nothing spent, not an older year). Keys without a
// partner are reported by name. A nil bounds means the boundary file could
// not be read; its error is reported already.
func (j *Job) join(reg *Register, bounds map[string]Boundary, kf *keyFigures, fu *fundUsage, rep *Report) []Feature {
	kfYear, fundYear := kf.latestYear(), fu.latestYear()
	year := max(kfYear, fundYear)
	if year == 0 {
		year = j.Now().Year()
	}
	areasPos := Pos{File: j.Areas.Name}
	for _, a := range reg.Areas() {
		if _, ok := bounds[a.Code]; !ok && a.ValidIn(year) && bounds != nil {
			rep.Errorf(CodeUnmatchedKey, areasPos, a.Code, "eine Grenze für jeden Aktionsraum des Registers",
				"Für den Aktionsraum %s (%s) fehlt die Grenze", a.Code, a.Name)
		}
	}
	// The values of all rows in one block: a row's are 12 more than its key
	// figures, and building each row in slices of its own cost a fifth of
	// the join in allocations and copies.
	width := 5 + kf.figureCount() + 1 + 6
	block := make([]any, 0, len(bounds)*width)
	rec := make(Record, kf.values.width)
	out := make([]Feature, 0, len(bounds))
	for i, a := range reg.Areas() {
		id := int32(i) // the area's number in kf.ids and fu.ids
		b, ok := bounds[a.Code]
		if !ok {
			continue
		}
		if !a.ValidIn(year) {
			rep.Warnf(CodeUnmatchedKey, b.Pos, b.Key, fmt.Sprintf("ein Aktionsraum, der %d zum Programm gehört", year),
				"Der Aktionsraum %s (%s) gehört %d nicht zum Programm; seine Grenze wird trotzdem veröffentlicht", a.Code, a.Name, year)
		}
		areaYear := kf.latestFor(id)
		switch {
		case !kf.complete:
		case areaYear == 0 && kfYear != 0:
			rep.Warnf(CodeUnmatchedKey, Pos{File: j.KeyFigures.Name}, a.Code, fmt.Sprintf("Kennzahlen bis %d", kfYear),
				"Für den Aktionsraum %s (%s) gibt es keine Kennzahlen", a.Code, a.Name)
		case areaYear < kfYear:
			rep.Warnf(CodeUnmatchedKey, Pos{File: j.KeyFigures.Name}, a.Code, fmt.Sprintf("Kennzahlen für %d", kfYear),
				"Für den Aktionsraum %s (%s) fehlen die Kennzahlen des Jahres %d; veröffentlicht werden die von %d", a.Code, a.Name, kfYear, areaYear)
		}
		areaFund := fundKey{id, int32(fundYear), fundAreaID}
		if _, ok := fu.sums[areaFund]; !ok && fundYear != 0 && fu.complete {
			rep.Warnf(CodeUnmatchedKey, Pos{File: j.FundUsage.Name}, a.Code, fmt.Sprintf("Maßnahmen aus dem Aktionsraumfonds %d", fundYear),
				"Für den Aktionsraum %s (%s) gibt es %d keine Maßnahme aus dem Aktionsraumfonds", a.Code, a.Name, fundYear)
		}
		if len(block)+width > cap(block) {
			block = make([]any, 0, width) // more rows than boundaries: never
		}
		// A row that outgrew its width would move to a slice of its own.
		vals := append(block[len(block):len(block):len(block)+width],
			a.Code, a.Name, a.Betreuung, math.Round(b.AreaKM2*1000)/1000, yearOrNil(areaYear))
		vals = kf.appendFigures(vals, rec, id, areaYear)
		vals = append(vals, yearOrNil(fundYear))
		s, _ := fu.sum(areaFund)
		vals = fu.appendSummary(vals, areaFund, s)
		block = block[:len(block)+width]
		out = append(out, Feature{ID: a.Code, Values: vals, Geometry: b.Geometry})
	}
	return out
}

func yearOrNil(y int) any {
	if y == 0 {
		return nil
	}
	return int64(y)
}
