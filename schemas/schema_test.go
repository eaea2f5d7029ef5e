package schemas

import (
	"slices"
	"testing"

	"aktionsplan/pipeline"
)

// TestParseFieldConstraints checks that the pipeline's fields carry the
// constraints, formats and references of the schema, which templates and
// metadata state.
func TestParseFieldConstraints(t *testing.T) {
	fields := func(name string) map[string]pipeline.Field {
		s, err := Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]pipeline.Field{}
		for _, f := range s.Fields() {
			m[f.Name] = f
		}
		return m
	}
	fund := fields(FundUsage)
	if p := fund["projekt_nr"]; !p.Required || !p.Unique || p.Reference != "" {
		t.Errorf("projekt_nr %+v", p)
	}
	if j := fund["jahr"]; !j.Required || j.Minimum == nil || *j.Minimum != 2009 || j.Maximum != nil {
		t.Errorf("jahr %+v", j)
	}
	if e := fund["fonds"].Enum; !slices.Equal(e, []string{"Aktionsraumfonds", "Projektbudget"}) {
		t.Errorf("fonds enum %v", e)
	}
	if r := fund["code"].Reference; r != Register {
		t.Errorf("code references %q, want %q", r, Register)
	}
	if d := fund["beschlussdatum"]; d.Format != "%d.%m.%Y" || d.Required {
		t.Errorf("beschlussdatum %+v", d)
	}
	if b := fund["privatperson"]; b.TrueValues[0] != "ja" || b.FalseValues[0] != "nein" || b.Public {
		t.Errorf("privatperson %+v", b)
	}
	if k := fields(KeyFigures)["kinderarmut_pct"]; *k.Minimum != 0 || *k.Maximum != 100 {
		t.Errorf("kinderarmut_pct %+v", k)
	}
	if p := fields(Register)["code"].Pattern; p != "[A-Z]{3,4}" {
		t.Errorf("register code pattern %q", p)
	}
}
