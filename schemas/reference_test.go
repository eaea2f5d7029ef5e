package schemas

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The straightforward readers of numbers that the fast ones in cast.go
// replaced: each fast reader must agree with its reference on every input.

func (st numberStyle) referenceNumber(v string) (float64, bool) {
	sign, body := referenceBody(st, v)
	intPart, frac, hasFrac := strings.Cut(body, string(st.decimal))
	digits, ok := referenceUngroup(intPart, st.group)
	if !ok {
		return 0, false
	}
	if hasFrac {
		if frac == "" || strings.Trim(frac, "0123456789") != "" {
			return 0, false
		}
		digits += "." + frac
	}
	x, err := strconv.ParseFloat(sign+digits, 64)
	return x, err == nil && !math.IsInf(x, 0)
}

func (st numberStyle) referenceInt(v string) (int64, bool) {
	sign, body := referenceBody(st, v)
	digits, ok := referenceUngroup(body, st.group)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(sign+digits, 10, 64)
	return n, err == nil
}

func referenceBody(st numberStyle, v string) (sign, body string) {
	sign, v = referenceSign(v)
	var affixes []string
	switch strings.ToUpper(st.unit) {
	case "EUR", "€":
		affixes = []string{"€", "EUR"}
	case "%":
		affixes = []string{"%"}
	}
	for _, a := range affixes {
		if len(v) >= len(a) && strings.EqualFold(v[:len(a)], a) && a != "%" {
			v = strings.TrimSpace(v[len(a):])
			if sign == "" {
				sign, v = referenceSign(v)
			}
			return sign, v
		}
	}
	for _, a := range affixes {
		if len(v) >= len(a) && strings.EqualFold(v[len(v)-len(a):], a) {
			return sign, strings.TrimSpace(v[:len(v)-len(a)])
		}
	}
	return sign, v
}

func referenceSign(v string) (string, string) {
	for _, s := range []string{"-", "+", "−"} {
		if rest, ok := strings.CutPrefix(v, s); ok {
			if s == "+" {
				return "", rest
			}
			return "-", rest
		}
	}
	return "", v
}

func referenceUngroup(s string, group rune) (string, bool) {
	if strings.Contains(s, " ") {
		group = ' '
	}
	if s == "" {
		return "", false
	}
	parts := []string{s}
	if group != 0 {
		parts = strings.Split(s, string(group))
	}
	for i, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return "", false
		}
		if len(parts) > 1 && ((i == 0 && len(p) > 3) || (i > 0 && len(p) != 3)) {
			return "", false
		}
	}
	return strings.Join(parts, ""), true
}

var (
	referenceAmbiguous = regexp.MustCompile(`^[-+]?\d{1,3}[.,]\d{3}$`)
	referenceGrouped   = regexp.MustCompile(`^[-+]?\d{1,3}(\.\d{3})+$`)
)

// referenceStyles are the number styles the agreement is checked in.
var referenceStyles = []numberStyle{
	{decimal: ',', group: '.', unit: "EUR"},
	{decimal: '.', group: ',', unit: "€"},
	{decimal: ',', group: '.', unit: "%"},
	{decimal: '.'},
	{decimal: ',', group: '\''},
	{decimal: '.', group: '\u00a0', unit: "eur"},
	{decimal: '٫', group: '٬'},
}

// checkAgainstReference fails when a fast reader disagrees with its
// reference on v.
func checkAgainstReference(t *testing.T, v string) {
	t.Helper()
	for _, st := range referenceStyles {
		x, ok := st.parseNumber(v)
		wx, wok := st.referenceNumber(v)
		if ok != wok || (ok && math.Float64bits(x) != math.Float64bits(wx)) {
			t.Errorf("%+v: parseNumber(%q) = %v, %v; reference %v, %v", st, v, x, ok, wx, wok)
		}
		n, ok := st.parseInt(v)
		wn, wok := st.referenceInt(v)
		if ok != wok || (ok && n != wn) {
			t.Errorf("%+v: parseInt(%q) = %v, %v; reference %v, %v", st, v, n, ok, wn, wok)
		}
	}
	if got, want := cellText(v), strings.TrimSpace(spaces.Replace(v)); got != want {
		t.Errorf("cellText(%q) = %q; want %q", v, got, want)
	}
	if got, want := ambiguousNumber(v), referenceAmbiguous.MatchString(v); got != want {
		t.Errorf("ambiguousNumber(%q) = %v; the pattern says %v", v, got, want)
	}
	if got, want := groupedThousands(v), referenceGrouped.MatchString(v); got != want {
		t.Errorf("groupedThousands(%q) = %v; the pattern says %v", v, got, want)
	}
}

// TestNumbersAgreeWithReference: the fast readers of numbers read every
// edge case as the straightforward ones: long digit strings beyond float64's
// exact range, -0, signs, units, groups and spaces.
func TestNumbersAgreeWithReference(t *testing.T) {
	cells := []string{
		"", "0", "-0", "+0", "−0", "0,0", "-0.00", "00012", "1", "12", "123", "1234",
		"1.234", "1,234", "1.234,56", "1,234.56", "12.345.678,9", "1.23.456", "1.2345",
		"1 234,56", "1 234 567", "12 34", ",5", ".5", "5,", "5.", "1,2,3", "1..234",
		"9007199254740992", "9007199254740993", "9007199254740993,5", "123456789012345678",
		"1234567890123456789", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
		"-9223372036854775809", "0,0000000000000000000001", "0,00000000000000000000001",
		"1" + strings.Repeat("0", 400), "1" + strings.Repeat("0", 400) + ",5", "0," + strings.Repeat("0", 400) + "1",
		"€ 1.250,50", "1.250,50 €", "-1.250,50 EUR", "EUR -12", "-€12", "€-12", "12 eur", "12,5 %", "%12",
		"12 %", "1e5", "1E5", "0x10", "1_000", "inf", "NaN", "١٢", "1'234,5", "1\u00a0234", "1٬234٫5",
		"+-1", "--1", "−−1", "− 1", "+ 1", "€", "EUR", "%", "1 €", "€1", "1€", "12abc", "abc12",
		"+1.234", "-1,234", "1.234.567", "123.456.789.012", "1234.567", "12.34.567",
		" 12 ", "\t12\r", "1\u202f234", "1\u2009234", "\u00a012\u00a0", "\u00a0", "\u202f", "\xc2", "\xe2\x80",
		"\xe2\x80\xaf", "12 \u2028", "\u0085x", "x\u3000", "ü", "\x7f",
	}
	for _, c := range cells {
		checkAgainstReference(t, c)
	}
}

// FuzzNumberReference: the fast readers of numbers agree with the
// straightforward ones on any input.
func FuzzNumberReference(f *testing.F) {
	for _, c := range []string{"1.234,56", "-€ 12", "1 234", "9007199254740993", "0,5 %", "+1.234"} {
		f.Add(c)
	}
	for _, c := range fixtureCells(f) {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, v string) {
		checkAgainstReference(t, v)
	})
}

// TestFoldListAgreesWithEqualFold: a cell matches the value that a search
// in any case finds first, also where values differ only in case.
func TestFoldListAgreesWithEqualFold(t *testing.T) {
	values := []string{"ja", "Ja", "x", "K", "straße", "nein", "JA", "k", "STRASSE", "ǆ"}
	l := newFoldList(values[:4], values[4:])
	for _, s := range append(values, "jA", "\u212a", "X", "Straße", "ǅ", "Ǆ", "", "n") {
		want := -1
		for i, v := range values {
			if strings.EqualFold(v, s) {
				want = i
				break
			}
		}
		if got := l.index(s); got != want {
			t.Errorf("index(%q) = %d; want %d", s, got, want)
		}
	}
}
