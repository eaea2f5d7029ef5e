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
