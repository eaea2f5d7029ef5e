package pipeline

import (
	"path"
	"strings"
)

// mediaTypes are the IANA media types of the files a release holds, by
// file name extension.
var mediaTypes = map[string]string{
	".csv":     "text/csv",
	".xlsx":    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".geojson": "application/geo+json",
	".gpkg":    "application/geopackage+sqlite3",
	".json":    "application/json",
	".jsonld":  "application/ld+json",
	".ttl":     "text/turtle",
	".html":    "text/html",
}

// MediaType is the media type of a release file by the extension of its
// name (any case), without parameters; ok is false for other files.
func MediaType(name string) (mediaType string, ok bool) {
	mediaType, ok = mediaTypes[strings.ToLower(path.Ext(name))]
	return mediaType, ok
}
