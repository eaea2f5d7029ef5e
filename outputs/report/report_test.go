package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"aktionsplan/pipeline"
)

func testResult() *pipeline.Result {
	rep := &pipeline.Report{}
	rep.Warnf(pipeline.CodeBudgetExceeded, pipeline.Pos{File: "a.xlsx", Row: 2}, "5.450,00 EUR", "höchstens 5.000,00 EUR", "Fonds überschritten")
	rep.Errorf(pipeline.CodeTypeError, pipeline.Pos{File: "b.csv", Row: 9, Column: 4, Field: "Jahr"}, "abc", "eine ganze Zahl", "Keine ganze Zahl")
	rep.Errorf(pipeline.CodeTypeError, pipeline.Pos{File: "b.csv", Row: 3, Column: 4, Field: "Jahr"}, "x", "eine ganze Zahl", "Keine ganze Zahl")
	return &pipeline.Result{Report: rep}
}

func TestDocumentOrdersErrorsFirst(t *testing.T) {
	d := NewDocument("r1", testResult())
	if d.Valid || d.Errors != 2 || d.Warnings != 1 {
		t.Fatalf("counts %+v", d)
	}
	var order []int
	for _, i := range d.Issues {
		order = append(order, i.Pos.Row)
	}
	if order[0] != 3 || order[1] != 9 || order[2] != 2 {
		t.Fatalf("order %v, want errors by row, then the warning", order)
	}
	if len(d.Counts) != 2 || d.Counts[0] != (pipeline.CodeCount{File: "a.xlsx", Code: pipeline.CodeBudgetExceeded, Count: 1}) {
		t.Fatalf("counts %v", d.Counts)
	}
}

func TestWriteJSONAndText(t *testing.T) {
	d := NewDocument("r1", testResult())
	var js bytes.Buffer
	if err := WriteJSON(&js, d); err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	issue := back["issues"].([]any)[0].(map[string]any)
	if issue["code"] != "type-error" || issue["position"].(map[string]any)["row"] != 3.0 {
		t.Fatalf("first issue %v", issue)
	}
	var txt bytes.Buffer
	WriteText(&txt, d, 2)
	out := txt.String()
	for _, want := range []string{"Fehler: b.csv, Zeile 3, Spalte 4 (Spalte „Jahr“): Keine ganze Zahl – gefunden: „x“; erwartet: eine ganze Zahl",
		"… und 1 weitere", "nicht bestanden: 2 Fehler, 1 Warnungen"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}
