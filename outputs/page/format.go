package page

import (
	"math"
	"strings"
	"time"
	// The release time is shown in Berlin time on every machine, also on
	// one without a time zone database.
	_ "time/tzdata"

	"aktionsplan/pipeline"
)

// berlin is the time zone of the release time on the page.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// formatTime writes t in German in Berlin time: 25.11.2026, 05:30 Uhr.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(berlin)
	if berlin == time.UTC {
		return t.Format("02.01.2006, 15:04 UTC")
	}
	return t.Format("02.01.2006, 15:04 Uhr")
}

// formatSize writes a size in bytes as people read it: 532 Byte, 12,3 kB,
// 4,5 MB (decimal units, as the download area shows them).
func formatSize(n int64) string {
	const unit = 1000
	if n < unit {
		return pipeline.GermanInt(n) + " Byte"
	}
	v, suffix := float64(n)/unit, "kB"
	for _, u := range []string{"MB", "GB"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, u
	}
	return pipeline.GermanNumber(v, 1) + " " + suffix
}

// withUnit writes v with dec decimals (see pipeline.GermanNumber) and a unit:
// "19,4 %", "1.600,00 EUR".
func withUnit(v float64, dec int, unit string) string {
	var buf [48]byte
	b := pipeline.AppendGermanNumber(buf[:0], v, dec)
	if unit != "" {
		b = append(append(b, "\u00a0"...), unit...)
	}
	return string(b)
}

// decimals is the number of decimals (at most max) that writes every value
// of vs exactly, so that a column shows one precision: 16,0 beside 17,1.
func decimals(vs []float64, max int) int {
	d := 0
	for _, v := range vs {
		for d < max {
			p := math.Pow10(d)
			if math.Abs(math.Round(v*p)-v*p) < 1e-6 {
				break
			}
			d++
		}
	}
	return d
}

// number returns v as a float64 when it is a number.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	}
	return 0, false
}

// trimUnit drops a unit in brackets from the end of a German title, which
// the value shows already: "Anteil unter 18 (%)" → "Anteil unter 18".
func trimUnit(title, unit string) string {
	if unit == "" {
		return title
	}
	return strings.TrimSuffix(title, " ("+unit+")")
}
