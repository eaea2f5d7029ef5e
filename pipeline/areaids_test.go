package pipeline

import (
	"slices"
	"testing"
)

func TestAreaIDsNumberRegisterThenOthers(t *testing.T) {
	reg, err := NewRegister([]Area{{Code: "NOM", Name: "Nordmarkt"}, {Code: "BOR", Name: "Borsigplatz"}, {Code: "WES", Name: "Westerfilde"}})
	if err != nil {
		t.Fatal(err)
	}
	ids := newAreaIDs(reg)
	// The register is sorted by code: BOR, NOM, WES.
	for want, code := range []string{"BOR", "NOM", "WES"} {
		id, a := ids.id(code)
		if id != int32(want) || a.Code != code || ids.code(id) != code || ids.area(id).Code != code {
			t.Errorf("id(%q) = %d, %q; want %d", code, id, a.Code, want)
		}
	}
	// Codes outside the register (a schema without its foreign key) come
	// after, in the order met, with no area.
	line := "ZZZ,AAA"
	zzz, a := ids.id(line[:3])
	aaa, _ := ids.id(line[4:])
	if zzz != 3 || aaa != 4 || a.Code != "" || ids.area(aaa).Code != "" {
		t.Errorf("outside the register: ZZZ %d, AAA %d, area %q", zzz, aaa, a.Code)
	}
	if again, _ := ids.id("ZZZ"); again != zzz || ids.code(zzz) != "ZZZ" {
		t.Errorf("ZZZ numbered again as %d (%q)", again, ids.code(again))
	}
	all := []int32{zzz, 2, aaa, 0, 1}
	slices.SortFunc(all, ids.compare)
	var codes []string
	for _, id := range all {
		codes = append(codes, ids.code(id))
	}
	if want := []string{"AAA", "BOR", "NOM", "WES", "ZZZ"}; !slices.Equal(codes, want) {
		t.Errorf("sorted %v, want %v", codes, want)
	}
}
