package pipeline_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"aktionsplan/pipeline"
)

// prepDoc records what Prepare got; the document it returns writes what
// was prepared, or fails when Prepare was skipped.
type prepDoc struct {
	got    **pipeline.ReleaseInfo
	panics bool
}

func (prepDoc) Name() string { return "prep.txt" }

func (prepDoc) Write(io.Writer, *pipeline.ReleaseInfo) error {
	return io.ErrUnexpectedEOF // only the prepared document is written
}

func (d prepDoc) Prepare(rel *pipeline.ReleaseInfo) pipeline.Document {
	if d.panics {
		panic("prepare bug")
	}
	*d.got = rel
	return prepared{len(rel.Areas)}
}

type prepared struct{ areas int }

func (prepared) Name() string { return "prep.txt" }

func (p prepared) Write(w io.Writer, rel *pipeline.ReleaseInfo) error {
	if len(rel.Areas) != p.areas || len(rel.Datasets) == 0 {
		return io.ErrShortWrite
	}
	_, err := io.WriteString(w, "prepared")
	return err
}

// A Preparer's Prepare gets the joined areas with their dataset and bound,
// and the document it returns is the one written, with the whole release.
func TestPreparedDocument(t *testing.T) {
	var got *pipeline.ReleaseInfo
	j := job(fundRows(3))
	j.Documents = []pipeline.Document{prepDoc{got: &got}}
	res, err := j.Run(context.Background(), &closingPublisher{})
	if err != nil || !res.Published {
		t.Fatalf("Run = %v, published %v", err, res.Published)
	}
	if got == nil || len(got.Areas) == 0 || got.AreaDataset == nil || got.Bound.Max == got.Bound.Min {
		t.Fatalf("Prepare got %+v, want the areas, their dataset and bound", got)
	}
}

// A panic in Prepare fails the run in its goroutine, after the release is
// aborted.
func TestPreparePanics(t *testing.T) {
	j := job(fundRows(3))
	j.Documents = []pipeline.Document{prepDoc{panics: true}}
	pub := &closingPublisher{}
	var v any
	func() {
		defer func() { v = recover() }()
		j.Run(context.Background(), pub)
	}()
	if s, ok := v.(string); !ok || !strings.Contains(s, "prepare bug") {
		t.Fatalf("Run raised %v, want the panic of Prepare", v)
	}
	if !pub.aborted || len(pub.open) > 0 {
		t.Errorf("aborted %v, files left open: %v", pub.aborted, pub.open)
	}
}
