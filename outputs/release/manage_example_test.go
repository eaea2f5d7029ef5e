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

// After a bad publication current goes back to the release before it; later
// runs prune the old releases but never the current one.
func ExampleRollback() {
	out, err := os.MkdirTemp("", "release-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(out)
	for day := 1; day <= 3; day++ {
		id := fmt.Sprintf("2026-03-%02d", day)
		pub, err := release.New(out, id)
		if err != nil {
			log.Fatal(err)
		}
		w, _ := pub.Create("kennzahlen.csv")
		io.WriteString(w, "code,jahr\nBOR,2025\n")
		w.Close()
		if _, err := pub.Commit(pipeline.Manifest{Time: time.Date(2026, 3, day, 2, 0, 0, 0, time.UTC)}); err != nil {
			log.Fatal(err)
		}
	}

	if err := release.Rollback(out, "2026-03-01"); err != nil {
		log.Fatal(err)
	}
	removed, err := release.Prune(out, 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("removed:", removed)
	infos, err := release.List(out)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range infos {
		fmt.Println(r.ID, r.Files, r.Bytes, r.Current)
	}
	// Output:
	// removed: [2026-03-02]
	// 2026-03-03 1 19 false
	// 2026-03-01 1 19 true
}
