package geojson

import (
	"errors"
	"strings"
	"testing"

	"aktionsplan/pipeline"
)

func TestPositions(t *testing.T) {
	for in, want := range map[string]int{
		polygon:      4,
		multiPolygon: 8,
		`{"type":"GeometryCollection","geometries":[` + polygon + `,` + polygon2 + `]}`:    8,
		`{"type":"Polygon","coordinates":[[ [ -7.4 ,51.5],[7.5,51.5]]]}`:                   2,
		`{"type":"Polygon","note":"[1,2] \"[3,4]\"","coordinates":[]}`:                     0,
		`{"type":"Polygon","coordinates":[[[7.4,51.5,120.5]]],"bbox":[7.4,51.5,7.5,51.6]}`: 2,
		``: 0,
	} {
		if got := positions([]byte(in)); got != want {
			t.Errorf("positions(%s) = %d, want %d", in, got, want)
		}
	}
}

// A feature with more vertices than one may have is an error and skipped;
// the others are read.
func TestFeatureVertexLimit(t *testing.T) {
	big := square(7.40, 51.50, 7.41, 51.51) // five positions
	in := fc(feat(`{"code":"A"}`, polygon), feat(`{"code":"B"}`, big))
	rep := &pipeline.Report{}
	bs, err := Reader{MaxFeatureVertices: 4}.ReadBoundaries(file, strings.NewReader(in), rep)
	if err != nil || len(bs) != 1 || bs[0].Key != "A" {
		t.Fatalf("%d boundaries, %v", len(bs), err)
	}
	checkIssues(t, file, rep, []want{errAt(pipeline.CodeGeometry, 2, "5 Punkte")})
	is := rep.Issues[0]
	if !strings.Contains(is.Message, "[limits] max_feature_vertices") || !strings.Contains(is.Expected, "höchstens 4 Punkte") {
		t.Errorf("issue %s", is)
	}
}

// A file whose features have more vertices together than the limit is
// refused at the feature that crosses it.
func TestFileVertexLimit(t *testing.T) {
	in := fc(feat(`{"code":"A"}`, polygon), feat(`{"code":"B"}`, polygon2), feat(`{"code":"C"}`, multiPolygon))
	for _, tc := range []struct {
		limit   int
		feature int // of the error; 0 for none
	}{
		{16, 0},
		{15, 3},
		{7, 2},
		{0, 0}, // the default
	} {
		rep := &pipeline.Report{}
		bs, err := Reader{MaxVertices: tc.limit}.ReadBoundaries(file, strings.NewReader(in), rep)
		var bad *pipeline.BadInput
		if tc.feature == 0 {
			if err != nil || len(bs) != 3 {
				t.Errorf("limit %d: %d boundaries, %v", tc.limit, len(bs), err)
			}
			continue
		}
		if !errors.As(err, &bad) || bs != nil {
			t.Fatalf("limit %d: err = %v, want a *pipeline.BadInput", tc.limit, err)
		}
		if is := bad.Issue; is.Pos.File != file || is.Pos.Feature != tc.feature || !strings.Contains(is.Message, "[limits] max_vertices") ||
			!strings.Contains(is.Expected, "höchstens "+pipeline.GermanInt(tc.limit)+" Punkte") || is.Value != "mehr als "+pipeline.GermanInt(tc.limit)+" Punkte" {
			t.Errorf("limit %d: issue %+v", tc.limit, is)
		}
	}
}
