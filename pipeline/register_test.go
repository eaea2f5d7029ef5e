package pipeline

import (
	"strings"
	"testing"
)

func testRegister(t *testing.T) *Register {
	t.Helper()
	r, err := NewRegister([]Area{
		{Code: "BOR", Name: "Borsigplatz", From: 2009},
		{Code: "HOE", Name: "Hörde", From: 2009, Spellings: []string{"Hoerde", "Horde"}},
		{Code: "LIE", Name: "Lindenhorst/Eving", From: 2009, Spellings: []string{"Eving-Lindenhorst"}},
		{Code: "EKE", Name: "Eving/Kemminghausen", From: 2009, Spellings: []string{"Kemminghausen"}},
		{Code: "SCO", Name: "Scharnhorst-Ost", From: 2009},
		{Code: "ASC", Name: "Alt-Scharnhorst", From: 2009},
		{Code: "DOB", Name: "Dorstfelder Brücke", From: 2009, To: 2019},
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRegisterResolve(t *testing.T) {
	r := testRegister(t)
	for _, tc := range []struct {
		name, in, want string
	}{
		{"code", "BOR", "BOR"},
		{"code lower case", "bor", "BOR"},
		{"name", "Borsigplatz", "BOR"},
		{"umlaut", "Hörde", "HOE"},
		{"oe spelling", "Hoerde", "HOE"},
		{"plain o", "HORDE", "HOE"},
		{"slash", "Lindenhorst/Eving", "LIE"},
		{"hyphen reversed", "Eving-Lindenhorst", "LIE"},
		{"space reversed", "Eving Lindenhorst", "LIE"},
		{"extra spaces", "  Eving /  Kemminghausen ", "EKE"},
		{"hyphen vs space", "Scharnhorst Ost", "SCO"},
		{"alt scharnhorst", "alt scharnhorst", "ASC"},
		{"ue spelling not listed", "Dorstfelder Bruecke", "DOB"},
		{"u spelling not listed", "dorstfelder brucke", "DOB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, hint, ok := r.Resolve(tc.in)
			if !ok || got != tc.want {
				t.Fatalf("Resolve(%q) = %q, %v (%s), want %q", tc.in, got, ok, hint, tc.want)
			}
		})
	}
}

func TestRegisterResolveUnknownNamesClosest(t *testing.T) {
	r := testRegister(t)
	for _, tc := range []struct {
		name, in, first string
	}{
		{"typo", "Borsigplats", "BOR"},
		{"typo in compound", "Scharnhorst-Osst", "SCO"},
		{"partial", "Kemminghaus", "EKE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, hint, ok := r.Resolve(tc.in)
			if ok {
				t.Fatalf("Resolve(%q) matched", tc.in)
			}
			if !strings.HasPrefix(hint, "meinten Sie "+tc.first) {
				t.Fatalf("hint %q does not start with %s", hint, tc.first)
			}
			if strings.Count(hint, "(") != 3 {
				t.Fatalf("hint %q should name three areas", hint)
			}
		})
	}
}

func TestNewRegisterRejectsSharedSpelling(t *testing.T) {
	_, err := NewRegister([]Area{{Code: "AAA", Name: "Eving"}, {Code: "BBB", Name: "Nord", Spellings: []string{"eving"}}})
	if err == nil || !strings.Contains(err.Error(), "AAA") {
		t.Fatalf("err = %v, want a shared spelling error", err)
	}
}

func TestAreaValidIn(t *testing.T) {
	a := Area{From: 2009, To: 2019}
	for year, want := range map[int]bool{2008: false, 2009: true, 2019: true, 2020: false} {
		if got := a.ValidIn(year); got != want {
			t.Errorf("ValidIn(%d) = %v, want %v", year, got, want)
		}
	}
	if !(Area{From: 2009}).ValidIn(2100) {
		t.Error("an area without end year must stay valid")
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"abc", "", 3}, {"hörde", "horde", 1}, {"kitten", "sitting", 3}} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// The one-pass key of an ASCII name is the key normalizeName makes.
func FuzzNormalizeASCII(f *testing.F) {
	for _, s := range []string{"", "AAAA", "Quartier AAAB", "Eving-Lindenhorst", "Lindenhorst/Eving", "Huckarde  Nord ",
		"Aeplerbeck", "AEE", "Uelzen-Oestrich", "a-e", "Scharnhorst-Ost 2", "b a c d e f g h", "a b c d e f g h i",
		"  --  ", "Nordstadt (Borsigplatz)", "Hörde", strings.Repeat("x", 65)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, ok := normalizeASCII(s)
		if !ok {
			return
		}
		if want := normalizeName(s); k != want {
			t.Errorf("normalizeASCII(%q) = %q, want %q", s, k, want)
		}
	})
}

// Codes and names of Dortmund's register take the one-pass way.
func TestNormalizeASCIITakesTheRegister(t *testing.T) {
	for _, s := range []string{"AAAA", "Quartier AAAB", "Eving-Lindenhorst", "Westerfilde/Bodelschwingh"} {
		if _, ok := normalizeASCII(s); !ok {
			t.Errorf("normalizeASCII(%q) not ok", s)
		}
	}
	if _, ok := normalizeASCII("Hörde"); ok {
		t.Error("normalizeASCII took a name with an umlaut")
	}
}
