package schemas

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fixtureCells returns the cells of the CSV files that the project ships and
// tests with: the example's key figures and register, and the fixtures of
// the CSV reader. They seed the fuzz targets of the cell parsers.
func fixtureCells(tb testing.TB) []string {
	var names []string
	for _, pattern := range []string{"../examples/dortmund/*.csv", "../sources/csv/testdata/*.csv", "../sources/csv/testdata/*.tsv"} {
		m, _ := filepath.Glob(filepath.FromSlash(pattern))
		names = append(names, m...)
	}
	seen := map[string]bool{}
	var cells []string
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			for _, c := range strings.FieldsFunc(line, func(r rune) bool { return r == ';' || r == ',' || r == '\t' || r == '\r' }) {
				if c = strings.Trim(c, `"`); c != "" && !seen[c] && len(seen) < 400 {
					seen[c] = true
					cells = append(cells, c)
				}
			}
		}
	}
	return cells
}

// FuzzGermanNumber writes a number the way staff type it, with grouped
// thousands ("1.234.567,891", or with spaces), a sign and a unit, in the
// German and in the English convention, and checks that it reads as the
// number its digits say; a whole number also reads as an integer.
func FuzzGermanNumber(f *testing.F) {
	f.Add(uint64(1234567), "891", uint8(0))
	f.Add(uint64(0), "5", uint8(1))
	for _, c := range fixtureCells(f) {
		whole, frac, _ := strings.Cut(strings.NewReplacer(".", "", " ", "").Replace(c), ",")
		if n, err := strconv.ParseUint(whole, 10, 64); err == nil {
			f.Add(n, frac, uint8(len(c)))
		}
	}
	f.Fuzz(func(t *testing.T, whole uint64, frac string, flags uint8) {
		if strings.Trim(frac, "0123456789") != "" {
			return
		}
		german, negative, spaces := flags&1 == 0, flags&2 != 0, flags&4 != 0
		unit := []string{"", "EUR", "€", "%"}[flags>>3&3]
		st := numberStyle{decimal: '.', group: ',', unit: unit}
		if german {
			st.decimal, st.group = ',', '.'
		}
		group := string(st.group)
		if spaces {
			group = " "
		}
		digits := strconv.FormatUint(whole, 10)
		var grouped []string
		for len(digits) > 3 {
			grouped = append([]string{digits[len(digits)-3:]}, grouped...)
			digits = digits[:len(digits)-3]
		}
		text := strings.Join(append([]string{digits}, grouped...), group)
		plain := strconv.FormatUint(whole, 10)
		if frac != "" {
			text += string(st.decimal) + frac
			plain += "." + frac
		}
		if negative {
			text, plain = "-"+text, "-"+plain
		}
		switch {
		case unit == "€" && flags&32 != 0:
			text = "€ " + text
		case unit != "":
			text += " " + unit
		}
		want, err := strconv.ParseFloat(plain, 64)
		if err != nil || math.IsInf(want, 0) {
			return
		}
		got, ok := st.parseNumber(text)
		if !ok || got != want {
			t.Fatalf("parseNumber(%q) = %v, %v; want %v", text, got, ok, want)
		}
		if frac != "" {
			return
		}
		n, ok := st.parseInt(text)
		if wantN, err := strconv.ParseInt(plain, 10, 64); err == nil && (!ok || n != wantN) {
			t.Fatalf("parseInt(%q) = %d, %v; want %d", text, n, ok, wantN)
		}
	})
}
