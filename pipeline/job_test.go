package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	outcsv "aktionsplan/outputs/csv"
	outgeojson "aktionsplan/outputs/geojson"
	"aktionsplan/pipeline"
	"aktionsplan/schemas"
	"aktionsplan/sources"
	"aktionsplan/sources/geojson"
)

// memPublisher keeps a release in memory.
type memPublisher struct {
	files     map[string]*bytes.Buffer
	committed bool
	aborted   bool
}

var _ pipeline.Publisher = (*memPublisher)(nil)

type nopCloser struct{ *bytes.Buffer }

func (nopCloser) Close() error { return nil }

func (p *memPublisher) Create(name string) (io.WriteCloser, error) {
	if p.files == nil {
		p.files = map[string]*bytes.Buffer{}
	}
	b := &bytes.Buffer{}
	p.files[name] = b
	return nopCloser{b}, nil
}

func (p *memPublisher) Commit(m pipeline.Manifest) (pipeline.Manifest, error) {
	p.committed = true
	m.Release = m.RunID
	return m, nil
}

func (p *memPublisher) Abort() error { p.aborted = true; return nil }

func text(name, s string) pipeline.Input {
	return pipeline.Input{Name: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil }}
}

const register = `code,name,betreuung,gueltig_ab,gueltig_bis,schreibweisen
BOR,Borsigplatz,Stadterneuerung,2009,,
HOE,Hörde,Stadterneuerung,2009,,Hoerde|Horde
OLD,Altbezirk,Stadterneuerung,2009,2015,
`

const boundaries = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"BOR"},"geometry":{"type":"Polygon","coordinates":[[[7.48,51.52],[7.49,51.52],[7.49,51.53],[7.48,51.53],[7.48,51.52]]]}},
{"type":"Feature","properties":{"code":"Hoerde"},"geometry":{"type":"Polygon","coordinates":[[[7.50,51.48],[7.50,51.49],[7.51,51.49],[7.51,51.48],[7.50,51.48]]]}}
]}`

const figures = `Aktionsraum;Jahr;Einwohner;Anteil unter 18 (%);Anteil ab 65 (%);Ausländeranteil (%);Arbeitslosenquote (%);SGB-II-Quote (%);Kinderarmut (%)
Borsigplatz;2023;12.345;20,5
Borsigplatz;2024;12.400;20,7
Hörde;2023;20100;18,0
`

const fundHeader = "Projekt-Nr;Aktionsraum;Jahr;Fonds;Projekttitel;Träger;Privatperson;Ansprechperson;Beschlussdatum;Bewilligt (EUR);Ausgezahlt (EUR);Status\n"

func job(fund string) *pipeline.Job {
	reg, _ := schemas.Builtin(schemas.Register)
	fs, _ := schemas.Builtin(schemas.FundUsage)
	ks, _ := schemas.Builtin(schemas.KeyFigures)
	return &pipeline.Job{
		RunID:    "test",
		Register: text("register.csv", register), Areas: text("grenzen.geojson", boundaries),
		FundUsage: text("mittel.csv", fundHeader+fund), KeyFigures: text("kennzahlen.csv", figures),
		RegisterSchema: reg, FundSchema: fs, KeyFigureSchema: ks,
		Tables: sources.Tables{}, Boundaries: geojson.Reader{},
		Rules:   pipeline.DefaultRules,
		Formats: []pipeline.Format{outcsv.Format{NoBOM: true}, outgeojson.Format{}},
		Now:     func() time.Time { return time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC) },
	}
}

type issueAt struct {
	code string
	row  int
	sev  pipeline.Severity
}

// issuesOf returns the errors and warnings of a report; notes on how the
// inputs were read (the decimal comma detected) are tested with the readers.
func issuesOf(rep *pipeline.Report) []issueAt {
	var out []issueAt
	for _, i := range rep.Issues {
		if i.Severity == pipeline.Info {
			continue
		}
		out = append(out, issueAt{i.Code, i.Pos.Row, i.Severity})
	}
	return out
}

func TestJobRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		fund string
		want []issueAt
	}{
		{name: "paid above approved",
			fund: "1;BOR;2024;Aktionsraumfonds;T;V;;;;100;100,01;bewilligt\n",
			want: []issueAt{{pipeline.CodeBusinessRule, 2, pipeline.Error}}},
		{name: "decision date outside the year",
			fund: "1;BOR;2024;Aktionsraumfonds;T;V;;;31.12.2023;100;;bewilligt\n",
			want: []issueAt{{pipeline.CodeBusinessRule, 2, pipeline.Error}}},
		{name: "area left the programme",
			fund: "1;BOR;2024;Aktionsraumfonds;T;V;;;;100;;bewilligt\n2;Altbezirk;2016;Projektbudget;T;V;;;;100;;bewilligt\n",
			// No "HOE without actions": the table has a row to fix first.
			want: []issueAt{{pipeline.CodeAreaNotValid, 3, pipeline.Error}}},
		{name: "year after next year",
			fund: "1;BOR;2026;Aktionsraumfonds;T;V;;;;100;;bewilligt\n",
			want: []issueAt{{pipeline.CodeConstraint, 2, pipeline.Error}}},
		{name: "fund exceeded is a warning at the row that exceeds it",
			fund: "1;BOR;2024;Aktionsraumfonds;T;V;;;;3.000;;bewilligt\n2;BOR;2024;Aktionsraumfonds;T;V;;;;2.000,01;;bewilligt\n3;HOE;2024;Aktionsraumfonds;T;V;;;;10;;bewilligt\n",
			want: []issueAt{{pipeline.CodeBudgetExceeded, 3, pipeline.Warning}}},
		{name: "rejected rows count in no sum",
			fund: "1;BOR;2024;Aktionsraumfonds;T;V;;;;3.000,00;;bewilligt\n2;BOR;2024;Aktionsraumfonds;T;V;;;;4.000,00;;abgelehnt\n3;HOE;2024;Aktionsraumfonds;T;V;;;;10;;zurückgezogen\n",
			// HOE has no counted action in 2024: reported by name, not an error.
			want: []issueAt{{pipeline.CodeUnmatchedKey, 0, pipeline.Warning}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pub := &memPublisher{}
			res, err := job(tc.fund).Run(context.Background(), pub)
			got := issuesOf(res.Report)
			// Hörde lacks key figures for 2024 in every case.
			want := append(tc.want, issueAt{pipeline.CodeUnmatchedKey, 0, pipeline.Warning})
			if !sameIssues(got, want) {
				t.Fatalf("issues %v\nwant %v\n%v", got, want, res.Report.Issues)
			}
			invalid := res.Report.Count(pipeline.Error) > 0
			if invalid != errors.Is(err, pipeline.ErrInvalid) || invalid == pub.committed || invalid != pub.aborted {
				t.Fatalf("err %v, committed %v, aborted %v", err, pub.committed, pub.aborted)
			}
		})
	}
}

func sameIssues(got, want []issueAt) bool {
	if len(got) != len(want) {
		return false
	}
	m := map[issueAt]int{}
	for _, g := range got {
		m[g]++
	}
	for _, w := range want {
		if m[w] == 0 {
			return false
		}
		m[w]--
	}
	return true
}

func TestJobPublishes(t *testing.T) {
	fund := "A-1;Borsigplatz;2024;Aktionsraumfonds;Fest;Mia Privat;ja;Erika CANARY;15.03.2024;3.000;1.000,50;bewilligt\n" +
		"A-2;BOR;2024;Aktionsraumfonds;Garten;Verein e.V.;nein;;;2.500;;abgelehnt\n" +
		"A-3;Horde;2024;Projektbudget;Treff;Kirche;;;;10.000;;beantragt\n"
	pub := &memPublisher{}
	res, err := job(fund).Run(context.Background(), pub)
	if err != nil {
		t.Fatalf("%v: %v", err, res.Report.Issues)
	}
	for name, b := range pub.files {
		if strings.Contains(b.String(), "CANARY") || strings.Contains(b.String(), "Mia Privat") {
			t.Errorf("%s publishes personal data", name)
		}
	}
	for name, want := range map[string]string{
		"mittelverwendung.csv": "projekt_nr,code,name,jahr,fonds,projekttitel,traeger,beschlussdatum,bewilligt_eur,ausgezahlt_eur,status\n" +
			"A-1,BOR,Borsigplatz,2024,Aktionsraumfonds,Fest,Privatperson,2024-03-15,3000,1000.5,bewilligt\n" +
			"A-2,BOR,Borsigplatz,2024,Aktionsraumfonds,Garten,Verein e.V.,,2500,,abgelehnt\n" +
			"A-3,HOE,Hörde,2024,Projektbudget,Treff,Kirche,,10000,,beantragt\n",
		"mittelverwendung_summen.csv": "code,name,jahr,fonds,bewilligt_eur,ausgezahlt_eur,anzahl_massnahmen,budget_eur,rest_eur,ueberschritten\n" +
			"BOR,Borsigplatz,2024,Aktionsraumfonds,3000,1000.5,1,5000,2000,false\n" +
			"HOE,Hörde,2024,Projektbudget,10000,0,1,,,false\n",
		"kennzahlen.csv": "code,name,jahr,einwohner,anteil_unter_18_pct,anteil_ab_65_pct,auslaenderanteil_pct,arbeitslosenquote_pct,sgb2_quote_pct,kinderarmut_pct\n" +
			"BOR,Borsigplatz,2023,12345,20.5,,,,,\nBOR,Borsigplatz,2024,12400,20.7,,,,,\nHOE,Hörde,2023,20100,18,,,,,\n",
	} {
		got := strings.ReplaceAll(pub.files[name].String(), "\r\n", "\n")
		if got != want {
			t.Errorf("%s:\n%s\nwant\n%s", name, got, want)
		}
	}
	areas := strings.ReplaceAll(pub.files["aktionsraeume.csv"].String(), "\r\n", "\n")
	lines := strings.Split(areas, "\n")
	// BOR: key figures of 2024, fund of 2024; HOE: its latest key figures are
	// of 2023, and it has no Aktionsraumfonds action in 2024 (its only action
	// is from the Projektbudget), so nothing spent.
	if !strings.HasPrefix(lines[1], "BOR,Borsigplatz,Stadterneuerung,0.772,2024,12400,20.7,,,,,,2024,3000,1000.5,1,5000,2000,false") {
		t.Errorf("BOR row %q", lines[1])
	}
	if lines[2] != "HOE,Hörde,Stadterneuerung,0.773,2023,20100,18,,,,,,2024,0,0,0,5000,5000,false" {
		t.Errorf("HOE row %q", lines[2])
	}
	if len(pub.files) != 5 || !pub.committed || pub.aborted {
		t.Fatalf("files %d committed %v aborted %v", len(pub.files), pub.committed, pub.aborted)
	}
}

func TestJobFlagsExceededProjectBudget(t *testing.T) {
	j := job("1;BOR;2024;Aktionsraumfonds;T;V;;;;100;;bewilligt\n2;HOE;2024;Projektbudget;T;V;;;;10.000;;bewilligt\n")
	j.Rules.ProjectBudget = 9000
	pub := &memPublisher{}
	res, err := j.Run(context.Background(), pub)
	if err != nil {
		t.Fatal(err)
	}
	sums := strings.ReplaceAll(pub.files["mittelverwendung_summen.csv"].String(), "\r\n", "\n")
	if !strings.Contains(sums, "HOE,Hörde,2024,Projektbudget,10000,0,1,,,true\n") || !strings.Contains(sums, "BOR,Borsigplatz,2024,Aktionsraumfonds,100,0,1,5000,4900,false\n") {
		t.Fatalf("sums:\n%s", sums)
	}
	var warned bool
	for _, i := range res.Report.Issues {
		warned = warned || (i.Code == pipeline.CodeBudgetExceeded && i.Pos.Row == 3)
	}
	if !warned {
		t.Fatalf("no budget warning at row 3: %v", res.Report.Issues)
	}
}

func TestJobUnreadableBoundariesGiveOneError(t *testing.T) {
	j := job("1;BOR;2024;Aktionsraumfonds;T;V;;;;100;;bewilligt\n")
	j.Areas = text("grenzen.geojson", "kein JSON")
	res, _ := j.Validate(context.Background())
	if n := res.Report.Count(pipeline.Error); n != 1 {
		t.Fatalf("%d errors, want the one about the file: %v", n, res.Report.Issues)
	}
}

func TestJobReportsUnmatchedBoundaries(t *testing.T) {
	j := job("1;BOR;2024;Aktionsraumfonds;T;V;;;;100;;bewilligt\n")
	j.Areas = text("grenzen.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"Borsigplats"},"geometry":{"type":"Polygon","coordinates":[[[7.48,51.52],[7.49,51.52],[7.49,51.53],[7.48,51.52]]]}}]}`)
	res, err := j.Validate(context.Background())
	if !errors.Is(err, pipeline.ErrInvalid) {
		t.Fatalf("err %v", err)
	}
	var codes []string
	for _, i := range res.Report.Issues {
		if i.Severity == pipeline.Error {
			codes = append(codes, i.Code+" "+i.Value)
		}
	}
	want := []string{"foreign-key Borsigplats", "unmatched-key BOR", "unmatched-key HOE"}
	if strings.Join(codes, "|") != strings.Join(want, "|") {
		t.Fatalf("errors %v, want %v", codes, want)
	}
}

func TestJobRegisterSpellingOfTwoAreas(t *testing.T) {
	j := job("1;BOR;2024;Aktionsraumfonds;T;V;;;;100;;bewilligt\n")
	j.Register = text("register.csv", register+"HOS,Hörde Süd,Stadterneuerung,2009,,Hoerde\n")
	res, err := j.Validate(context.Background())
	if !errors.Is(err, pipeline.ErrInvalid) {
		t.Fatalf("err %v", err)
	}
	is := res.Report.Issues[0]
	if is.Code != pipeline.CodeUnique || is.Pos.Row != 5 || is.Pos.Field != "schreibweisen" || is.Value != "Hoerde" || !strings.Contains(is.Message, "HOE (Zeile 3)") {
		t.Fatalf("issue %+v", is)
	}
}

func TestJobUnchangedInputsPublishNothing(t *testing.T) {
	fund := "1;BOR;2024;Aktionsraumfonds;T;V;;;;100;;bewilligt\n"
	var seen []pipeline.InputFile
	j := job(fund)
	j.Unchanged = func(in []pipeline.InputFile) bool { seen = in; return true }
	pub := &memPublisher{}
	_, err := j.Run(context.Background(), pub)
	if !errors.Is(err, pipeline.ErrUnchanged) || pub.committed || !pub.aborted {
		t.Fatalf("err %v, committed %v, aborted %v", err, pub.committed, pub.aborted)
	}
	if len(seen) != 4 || seen[0].SHA256 == "" {
		t.Fatalf("inputs asked about: %v", seen)
	}
}

// slowReader yields one byte per read, a millisecond apart.
type slowReader struct{ r io.Reader }

func (s slowReader) Read(p []byte) (int, error) {
	time.Sleep(time.Millisecond)
	return s.r.Read(p[:min(len(p), 1)])
}

// failAfter reads r, then fails as a broken disk or network would.
type failAfter struct{ r io.Reader }

func (f failAfter) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errBroken
	}
	return n, err
}

var errBroken = errors.New("Verbindung unterbrochen")

func TestJobFailedFundReadStopsTheOtherReaders(t *testing.T) {
	j := job("")
	fund := fundHeader + "P-1;Borsigplatz;2024;Aktionsraumfonds;Fest;Verein;nein;;01.03.2024;1.000,00;500,00;bewilligt\n"
	j.FundUsage.Open = func() (io.ReadCloser, error) { return io.NopCloser(failAfter{strings.NewReader(fund)}), nil }
	// About 100 KB at a byte a millisecond: read to the end, the
	// boundaries alone would take more than a minute and a half.
	big := strings.Replace(boundaries, `"features":[`, `"features":[`+strings.Repeat(" ", 100_000), 1)
	j.Areas.Open = func() (io.ReadCloser, error) { return io.NopCloser(slowReader{strings.NewReader(big)}), nil }
	done := make(chan error, 1)
	go func() {
		_, err := j.Run(context.Background(), &memPublisher{})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, errBroken) {
			t.Fatalf("Run = %v, want the fund usage's read error", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run still waits for the boundaries after the fund usage failed")
	}
}

// The key figures are written once read, before the join; an error
// the join finds (here a missing boundary) drops them with the release,
// leaving no encoder running.
func TestJobErrorOfTheJoinDropsTheEarlyWrites(t *testing.T) {
	before := runtime.NumGoroutine()
	j := job("1;BOR;2024;Aktionsraumfonds;T;V;;;;100;;bewilligt\n")
	j.Areas = text("grenzen.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"BOR"},"geometry":{"type":"Polygon","coordinates":[[[7.48,51.52],[7.49,51.52],[7.49,51.53],[7.48,51.52]]]}}]}`)
	pub := &memPublisher{}
	res, err := j.Run(context.Background(), pub)
	if !errors.Is(err, pipeline.ErrInvalid) || res.Published || pub.committed || !pub.aborted {
		t.Fatalf("err %v, published %v, committed %v, aborted %v", err, res.Published, pub.committed, pub.aborted)
	}
	var codes []string
	for _, i := range res.Report.Issues {
		if i.Severity == pipeline.Error {
			codes = append(codes, i.Code+" "+i.Value)
		}
	}
	if want := "unmatched-key HOE"; strings.Join(codes, "|") != want {
		t.Fatalf("errors %v, want %s", codes, want)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines left running, %d before", n, before)
	}
}
