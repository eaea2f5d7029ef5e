package release_test

import (
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"aktionsplan/outputs/release"
	"aktionsplan/pipeline"
)

// A run writes its files into a new release, commits it with the manifest,
// and the release becomes current at once; on any error it aborts instead.
func Example() {
	out, err := os.MkdirTemp("", "release-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(out)

	pub, err := release.New(out, "2026-03-01")
	if err != nil {
		log.Fatal(err)
	}
	defer pub.Abort() // a no-op once committed

	w, err := pub.Create("kennzahlen.csv")
	if err != nil {
		log.Fatal(err)
	}
	io.WriteString(w, "code,jahr,einwohner\n")
	io.WriteString(w, "BOR,2025,13000\n")
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	_, err = pub.Commit(pipeline.Manifest{
		RunID: "nightly",
		Time:  time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC),
		Files: []pipeline.ManifestFile{{Name: "kennzahlen.csv", Rows: 1}},
	})
	if err != nil {
		log.Fatal(err)
	}

	id, err := release.Current(out)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("current:", id)
	for _, f := range pub.Manifest().Files {
		fmt.Printf("%s: %d bytes, %d rows, sha256 %.12s…\n", f.Name, f.Bytes, f.Rows, f.SHA256)
	}
	fmt.Println("verify:", release.Verify(out))
	// Output:
	// current: 2026-03-01
	// kennzahlen.csv: 35 bytes, 1 rows, sha256 882784321f25…
	// verify: <nil>
}
