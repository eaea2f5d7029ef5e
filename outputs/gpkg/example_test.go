package gpkg_test

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/paulmach/orb"

	"aktionsplan/outputs/gpkg"
	"aktionsplan/pipeline"
)

func ExampleFormat() {
	ds := &pipeline.Dataset{
		Name:    "aktionsraeume",
		Title:   "Aktionsräume",
		Columns: []pipeline.Column{{Name: "code", Type: "string"}, {Name: "flaeche_km2", Type: "number"}},
		Spatial: true,
	}
	var file bytes.Buffer
	enc, err := gpkg.Format{}.NewEncoder(&file, ds)
	if err != nil {
		panic(err)
	}
	ring := orb.Ring{{7.46, 51.52}, {7.48, 51.52}, {7.48, 51.53}, {7.46, 51.53}, {7.46, 51.52}}
	if err := enc.Write(pipeline.Feature{ID: "BOR", Values: []any{"BOR", 1.544}, Geometry: orb.Polygon{ring}}); err != nil {
		panic(err)
	}
	// Close builds the file and writes it.
	if err := enc.Close(); err != nil {
		panic(err)
	}
	b := file.Bytes()
	fmt.Printf("%q, application id %q, version %d\n", b[:15], b[68:72], binary.BigEndian.Uint32(b[60:]))
	// Output:
	// "SQLite format 3", application id "GPKG", version 10300
}
