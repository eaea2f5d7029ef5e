package xlsx_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/xuri/excelize/v2"

	"aktionsplan/outputs/xlsx"
	"aktionsplan/pipeline"
)

func ExampleFormat() {
	ds := &pipeline.Dataset{
		Name:  "kennzahlen",
		Title: "Kennzahlen",
		Columns: []pipeline.Column{
			{Name: "code", Title: "Code", Type: "string"},
			{Name: "jahr", Title: "Jahr", Type: "integer"},
			{Name: "kinderarmut_pct", Title: "Kinderarmut (%)", Type: "number", Unit: "%"},
		},
		About: pipeline.About{Note: "Beispieldaten, keine amtlichen Zahlen"},
	}
	var buf bytes.Buffer
	enc, err := xlsx.Format{}.NewEncoder(&buf, ds)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range []pipeline.Feature{
		{ID: "BOR", Values: []any{"BOR", int64(2024), 31.2}},
		{ID: "HAF", Values: []any{"HAF", int64(2024), nil}},
	} {
		if err := enc.Write(f); err != nil {
			log.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		log.Fatal(err)
	}

	wb, err := excelize.OpenReader(&buf)
	if err != nil {
		log.Fatal(err)
	}
	defer wb.Close()
	fmt.Println(wb.GetSheetList())
	rows, _ := wb.GetRows("Daten")
	for _, r := range rows {
		fmt.Printf("%q\n", r)
	}
	// Output:
	// [Daten Beschreibung]
	// ["Code" "Jahr" "Kinderarmut (%)"]
	// ["BOR" "2024" "31.2"]
	// ["HAF" "2024"]
}
