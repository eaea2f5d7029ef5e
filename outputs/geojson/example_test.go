package geojson_test

import (
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
