package dcat

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Namespaces of the vocabularies used, with their prefixes in both files.
var namespaces = []struct{ prefix, iri string }{
	{"dcat", "http://www.w3.org/ns/dcat#"},
	{"dcatde", "http://dcat-ap.de/def/dcatde/"},
	{"dct", "http://purl.org/dc/terms/"},
	{"foaf", "http://xmlns.com/foaf/0.1/"},
	{"geo", "http://www.opengis.net/ont/geosparql#"},
	{"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
	{"spdx", "http://spdx.org/rdf/terms#"},
	{"vcard", "http://www.w3.org/2006/vcard/ns#"},
	{"xsd", "http://www.w3.org/2001/XMLSchema#"},
}

// expand turns a prefixed name ("dct:title") into an IRI; anything else is
// returned as it is.
func expand(name string) string {
	for _, ns := range namespaces {
		if local, ok := strings.CutPrefix(name, ns.prefix+":"); ok {
			return ns.iri + local
		}
	}
	return name
}

// term is an object of a statement: an IRI, or a literal with a datatype
// (a prefixed name) or a language.
type term struct {
	iri               string
	value, datatype   string
	lang              string
	literal, language bool
}

func iri(s string) term                 { return term{iri: s} }
func text(s string) term                { return term{value: s, lang: "de", literal: true, language: true} }
func plain(s string) term               { return term{value: s, literal: true} }
func typed(s, datatype string) term     { return term{value: s, datatype: datatype, literal: true} }
func (n *node) add(pred string, o term) { n.props = append(n.props, prop{pred, o}) }

// prop is one statement about a node.
type prop struct {
	pred string
	obj  term
}

// node is a subject with its types and statements, in the order added.
type node struct {
	id    string
	types []string
	props []prop
}

// graph is a list of nodes; both serialisations write it in this order, so
// that both files carry the same statements by construction.
type graph struct{ nodes []*node }

func (g *graph) node(id string, types ...string) *node {
	n := &node{id: id, types: types}
	g.nodes = append(g.nodes, n)
	return n
}

// groups are the statements of n grouped by predicate, in the order of the
// first statement of each predicate.
func (n *node) groups() [][]prop {
	var out [][]prop
	at := map[string]int{}
	for _, p := range n.props {
		i, ok := at[p.pred]
		if !ok {
			i = len(out)
			at[p.pred] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], p)
	}
	return out
}

// writeTurtle writes g as Turtle.
func (g *graph) writeTurtle(w io.Writer) error {
	var b strings.Builder
	for _, ns := range namespaces {
		fmt.Fprintf(&b, "@prefix %s: <%s> .\n", ns.prefix, ns.iri)
	}
	for _, n := range g.nodes {
		fmt.Fprintf(&b, "\n%s", turtleIRI(n.id))
		sep := "\n    "
		if len(n.types) > 0 {
			b.WriteString(sep + "a ")
			for i, t := range n.types {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(turtleIRI(t))
			}
			sep = " ;\n    "
		}
		for _, group := range n.groups() {
			b.WriteString(sep + turtleIRI(group[0].pred) + " ")
			for i, p := range group {
				if i > 0 {
					b.WriteString(",\n        ")
				}
				b.WriteString(turtleTerm(p.obj))
			}
			sep = " ;\n    "
		}
		b.WriteString(" .\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// turtleIRI writes a prefixed name as it is when its local part needs no
// escaping, else the full IRI in angle brackets.
func turtleIRI(name string) string {
	for _, ns := range namespaces {
		if local, ok := strings.CutPrefix(name, ns.prefix+":"); ok && simpleLocal(local) {
			return name
		}
	}
	full := expand(name)
	r := strings.NewReplacer(">", `\u003E`, "<", `\u003C`, `"`, `\u0022`, " ", `\u0020`, `\`, `\u005C`)
	return "<" + r.Replace(full) + ">"
}

// simpleLocal reports whether a local name can follow a prefix in Turtle
// unescaped.
func simpleLocal(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

var turtleEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`)

func turtleTerm(t term) string {
	if !t.literal {
		return turtleIRI(t.iri)
	}
	s := `"` + turtleEscaper.Replace(t.value) + `"`
	switch {
	case t.language:
		return s + "@" + t.lang
	case t.datatype != "":
		return s + "^^" + turtleIRI(t.datatype)
	}
	return s
}

// writeJSONLD writes g as JSON-LD: an inline context of the prefixes (so
// that no processor fetches anything) and the nodes in a flat @graph.
func (g *graph) writeJSONLD(w io.Writer) error {
	ctx := orderedObject{}
	for _, ns := range namespaces {
		ctx = append(ctx, member{ns.prefix, ns.iri})
	}
	var nodes []orderedObject
	for _, n := range g.nodes {
		obj := orderedObject{{"@id", expand(n.id)}}
		if len(n.types) > 0 {
			obj = append(obj, member{"@type", n.types})
		}
		for _, group := range n.groups() {
			values := make([]orderedObject, len(group))
			for i, p := range group {
				values[i] = jsonldTerm(p.obj)
			}
			obj = append(obj, member{group[0].pred, values})
		}
		nodes = append(nodes, obj)
	}
	doc := orderedObject{{"@context", ctx}, {"@graph", nodes}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

func jsonldTerm(t term) orderedObject {
	switch {
	case !t.literal:
		return orderedObject{{"@id", expand(t.iri)}}
	case t.language:
		return orderedObject{{"@value", t.value}, {"@language", t.lang}}
	case t.datatype != "":
		return orderedObject{{"@value", t.value}, {"@type", t.datatype}}
	}
	return orderedObject{{"@value", t.value}}
}

// orderedObject is a JSON object whose members keep their order.
type orderedObject []member

type member struct {
	key   string
	value any
}

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(m.key)
		if err != nil {
			return nil, err
		}
		v, err := marshal(m.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

// marshal is json.Marshal without escaping <, > and &.
func marshal(v any) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(b.String(), "\n")), nil
}
