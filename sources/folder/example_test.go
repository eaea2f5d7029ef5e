package folder_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"aktionsplan/sources/folder"
)

// Staff save each month's export into a drop folder; the run reads the
// newest, and Excel's owner file of an open workbook is passed over.
func ExampleInput() {
	dir, err := os.MkdirTemp("", "eingang")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	for i, name := range []string{"mittelverwendung_2026-01.xlsx", "mittelverwendung_2026-02.xlsx", "~$mittelverwendung_2026-02.xlsx"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			log.Fatal(err)
		}
		t := time.Date(2026, 3, 1, 8, i, 0, 0, time.UTC)
		os.Chtimes(p, t, t)
	}

	in := folder.Input(dir, "mittelverwendung_*.xlsx")
	rc, err := in.Open()
	if err != nil {
		log.Fatal(err)
	}
	defer rc.Close()
	fmt.Println("input:", in.Name)
	fmt.Println("read: ", filepath.Base(rc.(*os.File).Name()))

	_, err = folder.Input(dir, "kennzahlen_*.csv").Open()
	fmt.Println(err != nil)
	// Output:
	// input: mittelverwendung_*.xlsx
	// read:  mittelverwendung_2026-02.xlsx
	// true
}
