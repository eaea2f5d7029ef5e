package schemas

import (
	"strconv"
	"testing"
)

func TestValueSet(t *testing.T) {
	s := valueSet{}
	steps := []struct {
		name      string
		value     string
		line      int
		wantFirst int
		wantDup   bool
	}{
		{"first value", "P-001", 2, 0, false},
		{"other value", "P-002", 3, 0, false},
		{"repeated value names its first line", "P-001", 4, 2, true},
		{"empty text is a value too", "", 5, 0, false},
		{"prefix is another value", "P-00", 6, 0, false},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			first, dup := s.add(st.value, st.line)
			if first != st.wantFirst || dup != st.wantDup {
				t.Errorf("add(%q, %d) = %d, %v; want %d, %v", st.value, st.line, first, dup, st.wantFirst, st.wantDup)
			}
		})
	}
}

func TestValueKey(t *testing.T) {
	for _, c := range []struct {
		name string
		v    any
		want string
	}{
		{"text", "P-001", "P-001"},
		{"integer", int64(42), "42"},
		{"boolean", true, "true"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := valueKey(c.v); got != c.want {
				t.Errorf("valueKey(%v) = %q; want %q", c.v, got, c.want)
			}
		})
	}
}

func BenchmarkValueSet(b *testing.B) {
	keys := make([]string, 1<<16)
	for i := range keys {
		keys[i] = "P-" + string(rune('A'+i%26)) + string(rune('0'+i%10)) + string(rune(i))
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		s := valueSet{}
		for j, k := range keys {
			s.add(k, j)
		}
	}
}

// TestValueSetGrows: the set keeps every value and its first line while it
// grows far beyond its first size.
func TestValueSetGrows(t *testing.T) {
	s := valueSet{}
	const n = 100000
	for i := range n {
		if first, dup := s.add(strconv.Itoa(i), i+2); dup {
			t.Fatalf("value %d reported as a duplicate of line %d", i, first)
		}
	}
	for i := 0; i < n; i += 997 {
		if first, dup := s.add(strconv.Itoa(i), n+i); !dup || first != i+2 {
			t.Fatalf("add(%d) = %d, %v; want %d, true", i, first, dup, i+2)
		}
	}
	if first, dup := s.addHash(0, 5); dup {
		t.Fatalf("hash 0 reported as a duplicate of line %d", first)
	}
	if first, dup := s.addHash(0, 6); !dup || first != 5 {
		t.Fatalf("hash 0 again: %d, %v; want 5, true", first, dup)
	}
}
