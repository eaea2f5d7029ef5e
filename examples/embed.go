// Package examples holds the shipped sample inputs, embedded in the binary so
// that `aktionsplan run` works from any folder without a config file.
package examples

import (
	"embed"
	"io/fs"
)

//go:embed dortmund/*.toml dortmund/*.csv dortmund/*.geojson dortmund/*.xlsx
var files embed.FS

// DortmundConfig is the name of the config file inside Dortmund.
const DortmundConfig = "aktionsplan.toml"

// Dortmund returns the folder of the Dortmund example: the area register, the
// boundaries, the key figures, the fund usage workbook and the config that
// names them. All of it is sample data, not official figures.
func Dortmund() fs.FS {
	sub, err := fs.Sub(files, "dortmund")
	if err != nil {
		panic(err) // the embedded folder is fixed at build time
	}
	return sub
}
