package page_test

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"aktionsplan/outputs/page"
)

// node is a parsed element with its text.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func elements(root *html.Node, tag string) []*html.Node {
	var out []*html.Node
	for n := range root.Descendants() {
		if n.Type == html.ElementNode && n.Data == tag {
			out = append(out, n)
		}
	}
	return out
}

func parse(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestMapAreas reads the page as a browser would and checks the 13 areas
// of the example: a focusable path each, whose title names the area and
// its figures.
func TestMapAreas(t *testing.T) {
	doc := parse(t, write(t, page.Page{}, loadRelease(t)))
	var svg *html.Node
	for _, s := range elements(doc, "svg") {
		if strings.HasPrefix(attr(s, "class"), "map") {
			svg = s
		}
	}
	if svg == nil {
		t.Fatal("no map")
	}
	paths := elements(svg, "path")
	if len(paths) != 13 {
		t.Fatalf("%d area paths, want 13", len(paths))
	}
	titles := map[string]string{}
	for _, p := range paths {
		if attr(p, "tabindex") != "0" || attr(p, "role") != "img" || attr(p, "aria-label") == "" {
			t.Errorf("path %q is not focusable with a label", attr(p, "aria-label"))
		}
		ts := elements(p, "title")
		if len(ts) != 1 {
			t.Fatalf("path with %d titles", len(ts))
		}
		title := textOf(ts[0])
		titles[strings.SplitN(title, "\n", 2)[0]] = title
	}
	for _, tc := range []struct{ head, line string }{
		{"Nordmarkt (NOM), Kennzahlen 2024", "Einwohner: 22.189"},
		{"Nordmarkt (NOM), Kennzahlen 2024", "Arbeitslosenquote: 19,4\u00a0%"},
		{"Alt-Scharnhorst (ASC), Kennzahlen 2024", "SGB-II-Quote: 16,0\u00a0%"},
		{"Hörde (HOE), Kennzahlen 2024", "Kinderarmut: 32,4\u00a0%"},
		{"Lindenhorst/Eving (LIE), Kennzahlen 2024", "Einwohner: 8.935"},
		{"Bodelschwingh (BOD), Kennzahlen 2024", "Anteil unter 18: 17,8\u00a0%"},
	} {
		title, ok := titles[tc.head]
		if !ok {
			t.Errorf("no area titled %q; have %q", tc.head, titles)
			continue
		}
		if !strings.Contains(title, "\n"+tc.line+"\n") && !strings.HasSuffix(title, "\n"+tc.line) {
			t.Errorf("title %q lacks line %q", title, tc.line)
		}
	}
	for _, code := range []string{"ASC", "BOD", "BOR", "DOB", "EKE", "HAF", "HOE", "LIE", "MAR", "NOM", "SCO", "WES", "WIC"} {
		found := false
		for _, l := range elements(svg, "text") {
			found = found || textOf(l) == code
		}
		if !found {
			t.Errorf("no label %s", code)
		}
	}
}

// TestNoExternalResources: the page loads nothing. Scripts, styles,
// images, fonts, frames and objects have no URL at all; links are
// relative to the release or go to the configured base URL, the licence
// or the contact.
func TestNoExternalResources(t *testing.T) {
	rel := loadRelease(t)
	b := write(t, page.Page{}, rel)
	doc := parse(t, b)
	for _, tag := range []string{"script", "link", "img", "iframe", "object", "embed", "audio", "video", "source", "image", "use", "base"} {
		if n := elements(doc, tag); len(n) > 0 {
			t.Errorf("page has <%s> elements (%d)", tag, len(n))
		}
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		for _, a := range n.Attr {
			if (a.Key == "src" || a.Key == "srcset" || a.Key == "xlink:href" || (a.Key == "href" && n.Data != "a")) && a.Val != "" {
				t.Errorf("<%s %s=%q> loads a resource", n.Data, a.Key, a.Val)
			}
			if a.Key == "style" {
				t.Errorf("<%s> has a style attribute, which a strict CSP refuses", n.Data)
			}
		}
	}
	p := rel.About.Portal
	// The server's status page lists the releases.
	allowed := []string{p.BaseURL, strings.TrimSuffix(p.BaseURL, "data/") + "status#", "mailto:" + p.ContactEmail}
	if p.LicenseURL != "" {
		allowed = append(allowed, p.LicenseURL)
	} else {
		allowed = append(allowed, p.License)
	}
	relative := regexp.MustCompile(`^(#[a-z0-9-]+|[a-z0-9_]+\.(csv|xlsx|geojson|gpkg|json|jsonld|ttl))$`)
	for _, a := range elements(doc, "a") {
		href := attr(a, "href")
		ok := relative.MatchString(href)
		for _, prefix := range allowed {
			ok = ok || (prefix != "" && strings.HasPrefix(href, prefix))
		}
		if !ok {
			t.Errorf("link to %q is neither a file of the release nor a configured address", href)
		}
	}
	for _, style := range elements(doc, "style") {
		css := textOf(style)
		if strings.Contains(css, "@import") || strings.Contains(css, "@font-face") || regexp.MustCompile(`url\((?:[^#)]|$)`).MatchString(css) {
			t.Error("the style loads something")
		}
	}
}

// TestHeadingsInOrder: no heading level is skipped.
func TestHeadingsInOrder(t *testing.T) {
	doc := parse(t, write(t, page.Page{}, loadRelease(t)))
	if l := attr(elements(doc, "html")[0], "lang"); l != "de" {
		t.Errorf("lang %q", l)
	}
	last := 0
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || len(n.Data) != 2 || n.Data[0] != 'h' || n.Data[1] < '1' || n.Data[1] > '6' {
			continue
		}
		level := int(n.Data[1] - '0')
		if level > last+1 {
			t.Errorf("<%s>%s</%s> follows h%d", n.Data, textOf(n), n.Data, last)
		}
		last = level
	}
}

// luminance is the relative luminance of a colour #rrggbb (WCAG 2).
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			t.Fatal(err)
		}
		c := float64(v) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}

// TestPaletteGreyscale: each class of the map is darker than the one
// before by a step that greyscale print still shows, and the labels stay
// readable on every class.
func TestPaletteGreyscale(t *testing.T) {
	pal := page.Palette()
	if len(pal) != 5 {
		t.Fatalf("%d colours, want 5", len(pal))
	}
	for i := 1; i < len(pal); i++ {
		a, b := luminance(t, pal[i-1]), luminance(t, pal[i])
		// Lightness L* differs by at least 8 between neighbours.
		if lstar(a)-lstar(b) < 8 {
			t.Errorf("%s (L* %.1f) not clearly darker than %s (L* %.1f)", pal[i], lstar(b), pal[i-1], lstar(a))
		}
	}
}

// lstar is the CIE lightness of a relative luminance.
func lstar(y float64) float64 {
	if y > 216.0/24389 {
		return 116*math.Cbrt(y) - 16
	}
	return y * 24389 / 27
}
