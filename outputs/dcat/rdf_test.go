package dcat_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"aktionsplan/outputs/dcat"
)

// rapper returns the path of raptor's rapper, skipping the test when it is
// missing unless AKTIONSPLAN_REQUIRE_TOOLS=1.
func rapper(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("rapper")
	if err != nil {
		if os.Getenv("AKTIONSPLAN_REQUIRE_TOOLS") == "1" {
			t.Fatal("rapper (Debian raptor2-utils) is required: ", err)
		}
		t.Skip("rapper (Debian raptor2-utils) not installed")
	}
	return p
}

// turtleNTriples parses Turtle with rapper and returns its N-Triples lines.
func turtleNTriples(t *testing.T, ttl []byte) []string {
	t.Helper()
	path := filepath.Join(t.TempDir(), dcat.TurtleName)
	if err := os.WriteFile(path, ttl, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(rapper(t), "-q", "-i", "turtle", "-o", "ntriples", path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("rapper: %v\n%s", err, stderr.String())
	}
	return lines(stdout.String())
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out
}

// TestTurtleParses has a real Turtle parser read dcat.ttl and compares its
// triples with the statements of dcat.jsonld, read by the rules of the flat
// JSON-LD shape that the writer uses (an inline context of prefixes, a
// @graph of nodes; TestJSONLDSameTriples reads it with a JSON-LD processor).
func TestTurtleParses(t *testing.T) {
	got := turtleNTriples(t, write(t, dcat.Turtle{}, release()))
	want := flatJSONLD(t, write(t, dcat.JSONLD{}, release()))
	if !slices.Equal(got, want) {
		for _, l := range want {
			if !slices.Contains(got, l) {
				t.Errorf("only in dcat.jsonld: %s", l)
			}
		}
		for _, l := range got {
			if !slices.Contains(want, l) {
				t.Errorf("only in dcat.ttl: %s", l)
			}
		}
	}
	if len(got) < 100 {
		t.Errorf("only %d triples", len(got))
	}
}

// flatJSONLD returns the statements of a JSON-LD document of the flat shape
// as N-Triples lines, escaped as rapper escapes them.
func flatJSONLD(t *testing.T, doc []byte) []string {
	t.Helper()
	var d struct {
		Context map[string]string            `json:"@context"`
		Graph   []map[string]json.RawMessage `json:"@graph"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	expand := func(s string) string {
		if prefix, local, ok := strings.Cut(s, ":"); ok && d.Context[prefix] != "" {
			return d.Context[prefix] + local
		}
		return s
	}
	var out []string
	for _, n := range d.Graph {
		var id string
		var types []string
		json.Unmarshal(n["@id"], &id)
		json.Unmarshal(n["@type"], &types)
		s := "<" + expand(id) + ">"
		for _, ty := range types {
			out = append(out, fmt.Sprintf("%s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <%s> .", s, expand(ty)))
		}
		for key, raw := range n {
			if strings.HasPrefix(key, "@") {
				continue
			}
			var values []map[string]string
			if err := json.Unmarshal(raw, &values); err != nil {
				t.Fatalf("%s %s: %v", id, key, err)
			}
			for _, v := range values {
				var o string
				switch {
				case v["@id"] != "":
					o = "<" + expand(v["@id"]) + ">"
				case v["@language"] != "":
					o = ntLiteral(v["@value"]) + "@" + v["@language"]
				case v["@type"] != "":
					o = ntLiteral(v["@value"]) + "^^<" + expand(v["@type"]) + ">"
				default:
					o = ntLiteral(v["@value"])
				}
				out = append(out, fmt.Sprintf("%s <%s> %s .", s, expand(key), o))
			}
		}
	}
	slices.Sort(out)
	return out
}

// ntLiteral quotes a literal as rapper writes N-Triples: ASCII only.
func ntLiteral(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '"':
			b.WriteString(`\"`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c > 0xffff:
			fmt.Fprintf(&b, `\U%08X`, c)
		case c > 0x7e:
			fmt.Fprintf(&b, `\u%04X`, c)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
