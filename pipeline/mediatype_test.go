package pipeline

import "testing"

func TestMediaType(t *testing.T) {
	for name, want := range map[string]string{
		"aktionsraeume.geojson": "application/geo+json", "aktionsraeume_utm32.GEOJSON": "application/geo+json",
		"kennzahlen.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "dcat.ttl": "text/turtle",
		"manifest.json": "application/json", "index.html": "text/html",
	} {
		if got, ok := MediaType(name); !ok || got != want {
			t.Errorf("MediaType(%q) = %q, %v, want %q", name, got, ok, want)
		}
	}
	if got, ok := MediaType("history.sqlite"); ok {
		t.Errorf("MediaType(history.sqlite) = %q, want none", got)
	}
}
