package page

import (
	"html/template"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"aktionsplan/pipeline"
)

func TestFormatNumber(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		dec  int
		want string
	}{
		{0, 0, "0"},
		{22189, 0, "22.189"},
		{1234567.891, 2, "1.234.567,89"},
		{-450, 2, "-450,00"},
		{-0.0001, 1, "0,0"},
		{16, 1, "16,0"},
		{999, 0, "999"},
	} {
		if got := pipeline.GermanNumber(tc.v, tc.dec); got != tc.want {
			t.Errorf("pipeline.GermanNumber(%v, %d) = %q, want %q", tc.v, tc.dec, got, tc.want)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 Byte", 999: "999 Byte", 2110: "2,1 kB", 3290364: "3,3 MB", 1_500_000_000: "1,5 GB"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestFormatTimeBerlin(t *testing.T) {
	for _, tc := range []struct{ utc, want string }{
		{"2026-11-25T04:30:00Z", "25.11.2026, 05:30 Uhr"},
		{"2026-07-01T22:15:00Z", "02.07.2026, 00:15 Uhr"},
	} {
		ts, _ := time.Parse(time.RFC3339, tc.utc)
		if got := formatTime(ts); got != tc.want {
			t.Errorf("formatTime(%s) = %q, want %q", tc.utc, got, tc.want)
		}
	}
}

func TestDecimals(t *testing.T) {
	for _, tc := range []struct {
		vs   []float64
		want int
	}{
		{[]float64{16, 17}, 0},
		{[]float64{16, 17.1}, 1},
		{[]float64{3.191, 2}, 3},
		{[]float64{1.0 / 3}, 3},
	} {
		if got := decimals(tc.vs, 3); got != tc.want {
			t.Errorf("decimals(%v) = %d, want %d", tc.vs, got, tc.want)
		}
	}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		name    string
		vs      []float64
		present []bool
		want    []int
	}{
		{"ten values, two a class", []float64{10, 1, 9, 2, 8, 3, 7, 4, 6, 5},
			[]bool{true, true, true, true, true, true, true, true, true, true},
			[]int{4, 0, 4, 0, 3, 1, 3, 1, 2, 2}},
		{"equal values share a class", []float64{1, 1, 1, 1, 2},
			[]bool{true, true, true, true, true},
			[]int{0, 0, 0, 0, 4}},
		{"missing values", []float64{5, 0, 7},
			[]bool{true, false, true},
			[]int{0, -1, 4}},
		{"one value in the middle", []float64{3}, []bool{true}, []int{2}},
		{"nothing", []float64{0}, []bool{false}, []int{-1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := classify(tc.vs, tc.present); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("classify = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNiceStep(t *testing.T) {
	for top, want := range map[float64]float64{5450: 1000, 5000: 1000, 60000: 10000, 120: 20, 0: 1000} {
		if got := niceStep(top); got != want {
			t.Errorf("niceStep(%v) = %v, want %v", top, got, want)
		}
	}
}

func TestPathData(t *testing.T) {
	mp := orb.MultiPolygon{
		{{{0, 0}, {10.04, 0}, {10.01, 0.02}, {10, 10}, {0, 10}, {0, 0}}},
		{{{20, 20}, {30, 20}, {30, 30}, {20, 20}}},
	}
	// The third point rounds onto the second and is dropped; the closing
	// point is Z.
	want := "M0,0L10,0 10,10 0,10ZM20,20L30,20 30,30Z"
	if got := pathData(mp); got != want {
		t.Errorf("pathData = %q, want %q", got, want)
	}
}

func TestProjectionKeepsShape(t *testing.T) {
	// A square of 0.01° at 51.5°N is about 0.62 times as wide as high.
	b := orb.Bound{Min: orb.Point{7.4, 51.5}, Max: orb.Point{7.41, 51.51}}
	p, w, h := newProjection(b)
	sw, ne := p.point(b.Min), p.point(b.Max)
	ratio := (ne[0] - sw[0]) / (sw[1] - ne[1])
	if math.Abs(ratio-math.Cos(51.505*math.Pi/180)) > 1e-9 {
		t.Errorf("width/height %v", ratio)
	}
	if sw[1] <= ne[1] {
		t.Error("north is not up")
	}
	if h > mapMaxHeight+1 || w != mapWidth {
		t.Errorf("drawing %v×%v", w, h)
	}
}

// FuzzWriteHTML checks writeHTML against html/template in the places
// where the rows written without the template put text: element content,
// a <title> and a quoted attribute value.
func FuzzWriteHTML(f *testing.F) {
	for _, s := range []string{"", "Hörde", `a"b'c`, "<&>", "1+1", "\x00", "\xff\xfe", "\ufdd0\uffff", "Gebiet A00001: Anteil 19,4\u00a0%"} {
		f.Add(s)
	}
	tmpl := template.Must(template.New("").Parse(`<p>{{.}}</p><svg><path d="{{.}}"><title>{{.}}</title></path></svg>`))
	f.Fuzz(func(t *testing.T, s string) {
		var want strings.Builder
		if err := tmpl.Execute(&want, s); err != nil {
			t.Skip(err)
		}
		var b strings.Builder
		writeHTML(&b, s)
		e := b.String()
		if got := `<p>` + e + `</p><svg><path d="` + e + `"><title>` + e + `</title></path></svg>`; got != want.String() {
			t.Errorf("writeHTML(%q):\ngot  %s\nwant %s", s, got, want.String())
		}
	})
}
