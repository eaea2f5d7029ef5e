package template_test

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"

	"aktionsplan/outputs/template"
	"aktionsplan/pipeline"
)

func ExampleWrite() {
	first := 2009.0
	t := template.Template{
		Sheet: "Kennzahlen",
		Title: "Kennzahlen",
		Fields: []pipeline.Field{
			{Name: "code", Title: "Aktionsraum", Type: "string", Required: true, Public: true, Reference: "aktionsraeume"},
			{Name: "jahr", Title: "Jahr", Type: "integer", Required: true, Public: true, Minimum: &first},
		},
		Areas: []pipeline.Area{{Code: "HOE", Name: "Hörde", From: 2009}, {Code: "BOR", Name: "Borsigplatz", From: 2009}},
	}
	var b bytes.Buffer
	if err := template.Write(&b, t); err != nil {
		fmt.Println(err)
		return
	}
	f, _ := excelize.OpenReader(&b)
	defer f.Close()
	header, _ := f.GetRows("Kennzahlen")
	areas, _ := f.GetCols("Listen")
	fmt.Println(f.GetSheetList())
	fmt.Println(header[0])
	fmt.Println(areas[0][1:])
	// Output:
	// [Kennzahlen Anleitung Listen]
	// [Aktionsraum Jahr]
	// [Borsigplatz Hörde]
}
