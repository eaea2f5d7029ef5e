package geojson

import (
	"strconv"

	"github.com/paulmach/orb"

	"aktionsplan/pipeline"
	"aktionsplan/pipeline/geodesy"
)

// system is a coordinate system the encoder writes: how positions are
// projected and rounded, how the file is named, and the legacy crs member
// that names it.
type system struct {
	// project maps WGS84 longitude and latitude to the system; nil keeps them.
	project func(orb.Point) orb.Point
	// decimals is the number of decimals of the rounded coordinates.
	decimals int
	// suffix is appended to the dataset's name in the file name.
	suffix string
	// urn names the system in the legacy crs member; empty for none.
	urn string
}

// systems are the coordinate systems by EPSG code; 0 is WGS84.
var systems = map[int]system{
	// RFC 7946: WGS84 without crs member; seven decimals of a degree are
	// about a centimetre.
	0:    {decimals: 7},
	4326: {decimals: 7},
	// ETRS89 / UTM in metres, to the centimetre, with the crs member of
	// GeoJSON 2008 that GDAL, QGIS and German GIS software read.
	25832: {project: geodesy.UTM(32).Project, decimals: 2, suffix: "_utm32", urn: "urn:ogc:def:crs:EPSG::25832"},
	25833: {project: geodesy.UTM(33).Project, decimals: 2, suffix: "_utm33", urn: "urn:ogc:def:crs:EPSG::25833"},
}

// system returns the system of f, or false for an unsupported code.
func (f Format) system() (system, bool) {
	s, ok := systems[f.CRS]
	return s, ok
}

// FileName is the dataset's name with the suffix of the coordinate system:
// "aktionsraeume.geojson" in WGS84, "aktionsraeume_utm32.geojson" in
// EPSG:25832.
func (f Format) FileName(ds *pipeline.Dataset) string {
	s, ok := f.system()
	if !ok {
		s.suffix = "_epsg" + strconv.Itoa(f.CRS)
	}
	return ds.Name + s.suffix + "." + f.Ext()
}
