package dcat_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"

	"aktionsplan/outputs/dcat"
)

// offline refuses every remote document: the context of dcat.jsonld is
// inline, and a test that fetched one would neither be hermetic nor show
// that a harvester without network reads the file.
type offline struct{}

func (offline) LoadDocument(u string) (*ld.RemoteDocument, error) {
	return nil, errors.New("no network in tests: " + u)
}

// normalize returns the URDNA2015 canonical N-Quads of a JSON-LD document,
// or of N-Quads when nquads is set.
func normalize(t *testing.T, input any, nquads bool) string {
	t.Helper()
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = offline{}
	opts.Algorithm = ld.AlgorithmURDNA2015
	opts.Format = "application/n-quads"
	if nquads {
		opts.InputFormat = "application/n-quads"
	}
	out, err := ld.NewJsonLdProcessor().Normalize(input, opts)
	if err != nil {
		t.Fatal(err)
	}
	return out.(string)
}

// TestJSONLDSameTriples reads dcat.jsonld with json-gold and dcat.ttl with
// rapper and compares the two graphs after URDNA2015 normalisation.
func TestJSONLDSameTriples(t *testing.T) {
	var doc any
	if err := json.Unmarshal(write(t, dcat.JSONLD{}, release()), &doc); err != nil {
		t.Fatal(err)
	}
	fromJSONLD := normalize(t, doc, false)
	fromTurtle := normalize(t, strings.Join(turtleNTriples(t, write(t, dcat.Turtle{}, release())), "\n")+"\n", true)
	if fromJSONLD != fromTurtle {
		t.Errorf("the graphs differ:\n--- dcat.jsonld\n%s\n--- dcat.ttl\n%s", fromJSONLD, fromTurtle)
	}
	if n := strings.Count(fromJSONLD, "\n"); n != len(turtleNTriples(t, write(t, dcat.Turtle{}, release()))) {
		t.Errorf("json-gold read %d triples", n)
	}
}
