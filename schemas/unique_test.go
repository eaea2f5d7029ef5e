package schemas

import "testing"

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
