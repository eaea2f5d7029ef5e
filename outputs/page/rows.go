package page

import (
	"html/template"
	"strings"
)

// The elements that repeat once per area, the paths of the map and the rows
// of the two tables, are written here instead of by the template:
// html/template makes a reflect call for every action, and for 2,000 areas
// those calls took more than half the time of the page. They come out as
// the template wrote them, escaped with its own table (writeHTML), and are
// placed as trusted HTML.

// htmlEscapes are the replacements of html/template for text, RCDATA and
// quoted attribute values (its htmlReplacementTable): every other byte,
// invalid UTF-8 included, stays as it is.
var htmlEscapes = [256]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// writeHTML writes s as html/template writes a string in text, in a
// <title> or in a quoted attribute value.
func writeHTML(b *strings.Builder, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		if r := htmlEscapes[s[i]]; r != "" {
			b.WriteString(s[start:i])
			b.WriteString(r)
			start = i + 1
		}
	}
	b.WriteString(s[start:])
}

// areaPaths are the paths of the map, each on a line of its own.
func areaPaths(areas []areaView, labels bool) template.HTML {
	var b strings.Builder
	n := 0
	for _, a := range areas {
		n += len(a.ID) + len(a.Class) + len(a.D) + len(a.Label) + len(a.Title) + 110
	}
	b.Grow(n)
	for _, a := range areas {
		b.WriteString("\n" + `<path id="`)
		writeHTML(&b, a.ID)
		b.WriteString(`" class="area `)
		writeHTML(&b, a.Class)
		b.WriteString(`" d="`)
		writeHTML(&b, a.D)
		b.WriteByte('"')
		if labels {
			b.WriteString(` tabindex="0"`)
		}
		b.WriteString(` role="img" aria-label="`)
		writeHTML(&b, a.Label)
		b.WriteString(`"><title>`)
		writeHTML(&b, a.Title)
		b.WriteString("</title></path>")
	}
	return template.HTML(b.String())
}

// areaRows are the rows of the table of key figures.
func areaRows(areas []areaView) template.HTML {
	var b strings.Builder
	n := 0
	for _, a := range areas {
		n += len(a.Name) + len(a.Code) + len(a.Year) + 50
		for _, v := range a.Values {
			n += len(v) + 22
		}
	}
	b.Grow(n)
	for _, a := range areas {
		rowHead(&b, a.Name, a.Code)
		b.WriteString("<td>")
		writeHTML(&b, a.Year)
		b.WriteString("</td>")
		for _, v := range a.Values {
			b.WriteString(`<td class="num">`)
			writeHTML(&b, v)
			b.WriteString("</td>")
		}
		b.WriteString("</tr>")
	}
	return template.HTML(b.String())
}

// rowHead starts a table row with the area's name and code as its head.
func rowHead(b *strings.Builder, name, code string) {
	b.WriteString("\n" + `<tr><th scope="row">`)
	writeHTML(b, name)
	b.WriteString(" (")
	writeHTML(b, code)
	b.WriteString(")</th>")
}

// fundRows are the rows of the table of the Aktionsraumfonds.
func fundRows(rows []fundRow) template.HTML {
	var b strings.Builder
	n := 0
	for _, r := range rows {
		n += len(r.Name) + len(r.Code) + len(r.Year) + len(r.Approved) + len(r.Paid) + len(r.Budget) + len(r.Rest) + 160
	}
	b.Grow(n)
	for _, r := range rows {
		rowHead(&b, r.Name, r.Code)
		if !r.Data {
			b.WriteString(`<td colspan="6">keine Angaben</td></tr>`)
			continue
		}
		b.WriteString("<td>")
		writeHTML(&b, r.Year)
		for _, v := range [...]string{r.Approved, r.Paid, r.Budget, r.Rest} {
			b.WriteString(`</td><td class="num">`)
			writeHTML(&b, v)
		}
		b.WriteString("</td><td>")
		if r.Over {
			b.WriteString(`<span class="flag">▲ nein, überschritten</span>`)
		} else {
			b.WriteString("ja")
		}
		b.WriteString("</td></tr>")
	}
	return template.HTML(b.String())
}
