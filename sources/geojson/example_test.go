package geojson_test

import (
	"fmt"
	"strings"

	"aktionsplan/pipeline"
	"aktionsplan/sources/geojson"
)

func ExampleReader() {
	in := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"BOR"},"geometry":{"type":"Polygon","coordinates":[[[7.46,51.52],[7.48,51.52],[7.48,51.53],[7.46,51.52]]]}},
{"type":"Feature","properties":{"name":"Hörde"},"geometry":{"type":"Point","coordinates":[7.49,51.49]}}
]}`
	rep := &pipeline.Report{}
	bs, err := geojson.Reader{}.ReadBoundaries("grenzen.geojson", strings.NewReader(in), rep)
	if err != nil {
		panic(err)
	}
	for _, b := range bs {
		fmt.Println(b.Pos, b.Key, len(b.Geometry))
	}
	for _, i := range rep.Issues {
		fmt.Println(i.Code, i.Pos)
	}
	// Output:
	// grenzen.geojson, Feature 1 BOR 1
	// geometry-error grenzen.geojson, Feature 2
}

// A QGIS export in UTM zone 32 is reprojected to WGS84 (PROJ's cs2cs gives
// the same to the sixth decimal). The file's crs member names the system;
// the configured one would apply to a file without.
func ExampleReader_utm() {
	in := `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[
{"type":"Feature","properties":{"name":"Hörde"},"geometry":{"type":"Polygon","coordinates":[[[393500,5704000],[395000,5704000],[395000,5705500],[393500,5704000]]]}}
]}`
	rep := &pipeline.Report{}
	bs, err := geojson.Reader{CRS: "EPSG:25832"}.ReadBoundaries("grenzen.geojson", strings.NewReader(in), rep)
	if err != nil {
		panic(err)
	}
	for _, pt := range bs[0].Geometry[0][0] {
		fmt.Printf("%.6f, %.6f\n", pt[0], pt[1])
	}
	for _, i := range rep.Issues {
		fmt.Println(i)
	}
	// Output:
	// 7.466426, 51.477122
	// 7.488018, 51.477402
	// 7.487572, 51.490885
	// 7.466426, 51.477122
	// Hinweis: grenzen.geojson: Die Koordinaten in „urn:ogc:def:crs:EPSG::25832“ (ETRS89 / UTM Zone 32N) werden nach WGS84 umgerechnet
}
