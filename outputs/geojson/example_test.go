package geojson_test

import (
	"fmt"
	"os"

	"github.com/paulmach/orb"

	"aktionsplan/outputs/geojson"
	"aktionsplan/pipeline"
)

func ExampleFormat() {
	ds := &pipeline.Dataset{
		Name:    "aktionsraeume",
		Columns: []pipeline.Column{{Name: "code", Type: "string"}, {Name: "flaeche_km2", Type: "number"}},
		Spatial: true,
		About:   pipeline.About{Note: "Beispieldaten, keine amtlichen Zahlen"},
	}
	enc, err := geojson.Format{}.NewEncoder(os.Stdout, ds)
	if err != nil {
		panic(err)
	}
	// A clockwise ring: it is published counter-clockwise.
	ring := orb.Ring{{7.46, 51.52}, {7.46, 51.53}, {7.48, 51.53}, {7.48, 51.52}, {7.46, 51.52}}
	enc.Write(pipeline.Feature{ID: "BOR", Values: []any{"BOR", 1.544}, Geometry: orb.MultiPolygon{{ring}}})
	enc.Close()
	// Output:
	// {"type":"FeatureCollection","name":"aktionsraeume","hinweis":"Beispieldaten, keine amtlichen Zahlen","features":[
	// {"type":"Feature","id":"BOR","bbox":[7.46,51.52,7.48,51.53],"geometry":{"type":"Polygon","coordinates":[[[7.46,51.52],[7.48,51.52],[7.48,51.53],[7.46,51.53],[7.46,51.52]]]},"properties":{"code":"BOR","flaeche_km2":1.544}}
	// ],"bbox":[7.46,51.52,7.48,51.53]}
}

func ExampleFormat_utm32() {
	ds := &pipeline.Dataset{
		Name:    "aktionsraeume",
		Columns: []pipeline.Column{{Name: "code", Type: "string"}},
		Spatial: true,
	}
	f := geojson.Format{CRS: 25832}
	fmt.Println(f.FileName(ds))
	enc, err := f.NewEncoder(os.Stdout, ds)
	if err != nil {
		panic(err)
	}
	// PROJ: 7.46 51.52 is 393154.065 5708777.622.
	ring := orb.Ring{{7.46, 51.52}, {7.48, 51.52}, {7.48, 51.53}, {7.46, 51.53}, {7.46, 51.52}}
	enc.Write(pipeline.Feature{ID: "BOR", Values: []any{"BOR"}, Geometry: orb.Polygon{ring}})
	enc.Close()
	// Output:
	// aktionsraeume_utm32.geojson
	// {"type":"FeatureCollection","name":"aktionsraeume_utm32","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[
	// {"type":"Feature","id":"BOR","bbox":[393154.07,5708748.61,394564.7,5709889.67],"geometry":{"type":"Polygon","coordinates":[[[393154.07,5708777.62],[394541.6,5708748.61],[394564.7,5709860.66],[393177.47,5709889.67],[393154.07,5708777.62]]]},"properties":{"code":"BOR"}}
	// ],"bbox":[393154.07,5708748.61,394564.7,5709889.67]}
}
