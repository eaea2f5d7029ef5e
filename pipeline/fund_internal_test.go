package pipeline

import (
	"slices"
	"testing"
)

// numbered is a Caster that kept the key number of its last record.
type numbered struct {
	Caster
	number int32
	ok     bool
}

func (n numbered) KeyNumber(field int) (int32, bool) { return n.number, n.ok && field == 1 }

func TestAreaIDsResolveNumber(t *testing.T) {
	reg, err := NewRegister([]Area{{Code: "NOM", Name: "Nordmarkt"}, {Code: "BOR", Name: "Borsigplatz"}})
	if err != nil {
		t.Fatal(err)
	}
	ids := newAreaIDs(reg)
	for value, want := range map[string]int32{"BOR": 0, "Nordmarkt": 1, "borsigplatz": 0} {
		code, n, hint, ok := ids.ResolveNumber(value)
		if !ok || n != want || ids.code(n) != code || hint != "" {
			t.Errorf("ResolveNumber(%q) = %q, %d, %q, %v; want number %d", value, code, n, hint, ok, want)
		}
	}
	if _, _, hint, ok := ids.ResolveNumber("Hafen"); ok || hint == "" {
		t.Errorf("Hafen resolved (hint %q)", hint)
	}
	// A row's number comes from its caster where it kept one, else from
	// its code.
	for _, tc := range []struct {
		c    Caster
		code string
		want int32
	}{
		{numbered{number: 1, ok: true}, "NOM", 1},
		{numbered{}, "NOM", 1},
		{posOnly{}, "BOR", 0},
		{posOnly{}, "ZZZ", 2},
	} {
		if id, a := ids.ofRow(tc.c, 1, tc.code); id != tc.want || a.Code != ids.area(tc.want).Code {
			t.Errorf("ofRow(%T, %q) = %d, %q; want %d", tc.c, tc.code, id, a.Code, tc.want)
		}
	}
}

func TestFundUsageIndex(t *testing.T) {
	reg, err := NewRegister([]Area{{Code: "BOR"}, {Code: "NOM"}})
	if err != nil {
		t.Fatal(err)
	}
	fu := newFundUsage(reg, 5000)
	// Area 3 is a code outside the register, numbered after it.
	keys := []fundKey{{1, 2024, 0}, {0, 2024, 1}, {1, 2024, 0}, {3, 2023, 0}, {1, 2023, 0}, {1, 2024, 1}, {3, 2023, 0}}
	var places []int32
	for _, k := range keys {
		places = append(places, fu.place(k))
	}
	if want := []int32{0, 1, 0, 2, 3, 4, 2}; !slices.Equal(places, want) {
		t.Fatalf("places %v, want %v", places, want)
	}
	fu.index()
	if len(fu.sums) != 5 || fu.byArea != nil {
		t.Fatalf("%d sums indexed, %d areas left", len(fu.sums), len(fu.byArea))
	}
	for i, k := range keys {
		if fu.sums[k] != places[i] {
			t.Errorf("sums[%v] = %d, want %d", k, fu.sums[k], places[i])
		}
	}
}
