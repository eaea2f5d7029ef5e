package pipeline_test

import (
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"

	"aktionsplan/pipeline"
	"aktionsplan/schemas"
	"aktionsplan/sources"
)

func TestLoadRegister(t *testing.T) {
	s, err := schemas.Builtin(schemas.Register)
	if err != nil {
		t.Fatal(err)
	}
	input := func(csv string) pipeline.Input {
		return pipeline.Input{Name: "register.csv", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(csv)), nil }}
	}
	const head = "code,name,betreuung,gueltig_ab,gueltig_bis,schreibweisen\n"
	t.Run("valid", func(t *testing.T) {
		reg, rep, err := pipeline.LoadRegister(input(head+"HOE,Hörde,Stadterneuerung,2009,,Hoerde\nBOR,Borsigplatz,Stadterneuerung,2009,,\n"), s, sources.Tables{})
		if err != nil || !rep.Valid() || reg == nil {
			t.Fatalf("register %v, report %v, err %v", reg, rep.Issues, err)
		}
		if got := reg.Areas(); len(got) != 2 || got[0].Code != "BOR" || got[1].Spellings[0] != "Hoerde" {
			t.Fatalf("areas %+v", got)
		}
	})
	t.Run("invalid", func(t *testing.T) {
		reg, rep, err := pipeline.LoadRegister(input(head+"hoe,Hörde,Stadterneuerung,2009,,\n"), s, sources.Tables{})
		if err != nil || reg != nil || rep.Valid() || rep.Issues[0].Code != pipeline.CodeConstraint || rep.Issues[0].Pos.Row != 2 {
			t.Fatalf("register %v, report %v, err %v", reg, rep.Issues, err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		in := pipeline.Input{Name: "fehlt.csv", Open: func() (io.ReadCloser, error) { return nil, fs.ErrNotExist }}
		_, _, err := pipeline.LoadRegister(in, s, sources.Tables{})
		if !errors.Is(err, pipeline.ErrInput) || !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("err %v", err)
		}
	})
}
