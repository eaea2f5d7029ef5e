// Package synth writes synthetic input sets of any size for tests and
// benchmarks of the pipeline: an area register, boundaries that tile a
// region, key figures and a fund usage ledger, in the formats the project
// reads, plus the config file that names them.
//
// The output is a function of the Spec alone: the same Spec gives the same
// bytes. Every row is valid under the default schemas and rules; amounts of
// the Aktionsraumfonds stay below the fund of an area, so the only expected
// warnings are a project budget exceeded by large ledgers and areas without
// an action in the latest year when there are fewer rows than areas.
package synth

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"aktionsplan/pipeline"
)

// Spec is the size and seed of a synthetic input set.
type Spec struct {
	// Areas is the number of action areas (at least 1).
	Areas int
	// FundRows is the number of rows of the fund usage ledger (at least 1).
	FundRows int
	// Years is the number of years of key figures and fund usage; default 5.
	Years int
	// Seed makes different sets of the same size.
	Seed uint64
}

// LastYear is the latest year of every synthetic set, fixed so that the
// output does not depend on the clock.
const LastYear = 2025

// Names of the files written into the output folder.
const (
	ConfigFile     = "aktionsplan.toml"
	RegisterFile   = "register.csv"
	AreasFile      = "aktionsraeume.geojson"
	KeyFiguresFile = "kennzahlen.csv"
	FundUsageFile  = "mittelverwendung.csv"
)

// ErrSpec is returned by Write for a Spec that describes no input set.
var ErrSpec = errors.New("synth: invalid spec")

// MaxAreas is the number of distinct area codes of up to four letters.
const MaxAreas = 400000

// Check reports a Spec that cannot be written, wrapping ErrSpec.
func (s Spec) Check() error {
	switch {
	case s.Areas < 1 || s.Areas > MaxAreas:
		return fmt.Errorf("%w: areas %d: between 1 and %d", ErrSpec, s.Areas, MaxAreas)
	case s.FundRows < 1:
		return fmt.Errorf("%w: fund rows %d: at least 1", ErrSpec, s.FundRows)
	case s.Years < 0 || s.Years > LastYear-2009+1:
		return fmt.Errorf("%w: years %d: between 1 and %d", ErrSpec, s.Years, LastYear-2009+1)
	}
	return nil
}

func (s Spec) years() int {
	if s.Years == 0 {
		return 5
	}
	return s.Years
}

// Write writes the input set of s into dir, which is created when missing,
// and returns the paths of the files written, the config file last.
func Write(dir string, s Spec) ([]string, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	set := newSet(s)
	var paths []string
	for _, f := range []struct {
		name  string
		write func(*bufio.Writer) error
	}{
		{RegisterFile, set.writeRegister},
		{AreasFile, set.writeAreas},
		{KeyFiguresFile, set.writeKeyFigures},
		{FundUsageFile, set.writeFundUsage},
		{ConfigFile, set.writeConfig},
	} {
		p := filepath.Join(dir, f.name)
		if err := writeFile(p, f.write); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// writeFile writes a file through a buffer and reports the first error of
// writing, flushing or closing.
func writeFile(p string, write func(*bufio.Writer) error) error {
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 256*1024)
	err = write(w)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	return nil
}

// set is one input set being written.
type set struct {
	Spec
	codes []string
}

func newSet(s Spec) *set {
	return &set{Spec: s, codes: Codes(s.Areas)}
}

// Codes returns n area codes in ascending order: three letters while they
// suffice, else four. Codes with ae, oe or ue are left out, since names are
// matched with those spelled as umlauts (AEB would be the same area as AB).
func Codes(n int) []string {
	width := 3
	if n > len(Codes3()) {
		width = 4
	}
	out := make([]string, 0, n)
	buf := make([]byte, width)
	for k := 0; len(out) < n; k++ {
		v := k
		for i := width - 1; i >= 0; i-- {
			buf[i] = byte('A' + v%26)
			v /= 26
		}
		if v > 0 {
			break
		}
		if !hasDigraph(buf) {
			out = append(out, string(buf))
		}
	}
	return out
}

// Codes3 returns all three-letter codes without ae, oe, ue. They are made
// on first use, not when the program starts: every run of the command
// would pay 1.4 ms for them (GODEBUG=inittrace=1), and only generate needs
// them.
var Codes3 = sync.OnceValue(func() []string {
	var out []string
	for a := byte('A'); a <= 'Z'; a++ {
		for b := byte('A'); b <= 'Z'; b++ {
			for c := byte('A'); c <= 'Z'; c++ {
				if code := []byte{a, b, c}; !hasDigraph(code) {
					out = append(out, string(code))
				}
			}
		}
	}
	return out
})

func hasDigraph(code []byte) bool {
	for i := 0; i+1 < len(code); i++ {
		if code[i+1] == 'E' && (code[i] == 'A' || code[i] == 'O' || code[i] == 'U') {
			return true
		}
	}
	return false
}

// Name is the area name of a code.
func Name(code string) string { return "Quartier " + code }

// Register is the register of the first n areas as the written register
// file holds them: code, name, part of the programme from 2009. Benchmarks
// that cast rows without reading the register use it.
func Register(n int) (*pipeline.Register, error) {
	areas := make([]pipeline.Area, 0, n)
	for i, c := range Codes(n) {
		areas = append(areas, pipeline.Area{Code: c, Name: Name(c), Betreuung: betreuung(i), From: 2009})
	}
	return pipeline.NewRegister(areas)
}

// Betreuung of the area with index i: every third is urban renewal.
func betreuung(i int) string {
	if i%3 == 0 {
		return "Stadterneuerung"
	}
	return "Dezernat für Arbeit, Gesundheit, Soziales, Sport und Freizeit"
}

func (s *set) writeRegister(w *bufio.Writer) error {
	w.WriteString("code,name,betreuung,gueltig_ab,gueltig_bis,schreibweisen\n")
	for i, c := range s.codes {
		b := betreuung(i)
		if b != "Stadterneuerung" {
			b = `"` + b + `"`
		}
		fmt.Fprintf(w, "%s,%s,%s,2009,,\n", c, Name(c), b)
	}
	return nil
}

// rng returns a random source for one named stream of the set, so that each
// file (and each shared edge) is drawn independently of the others.
func (s *set) rng(stream, id uint64) *rand.Rand {
	return rand.New(rand.NewPCG(s.Seed^stream*0x9e3779b97f4a7c15, id))
}

// Streams of random numbers.
const (
	streamNodes uint64 = iota + 1
	streamEdges
	streamFigures
	streamFund
)

func (s *set) writeKeyFigures(w *bufio.Writer) error {
	r := s.rng(streamFigures, 0)
	w.WriteString("Aktionsraum,Jahr,Einwohner,Anteil unter 18 (%),Anteil ab 65 (%),Ausländeranteil (%),Arbeitslosenquote (%),SGB-II-Quote (%),Kinderarmut (%)\n")
	var buf []byte
	for _, c := range s.codes {
		people := 500 + r.IntN(14500)
		pct := [6]float64{10 + 15*r.Float64(), 12 + 18*r.Float64(), 5 + 40*r.Float64(), 3 + 15*r.Float64(), 5 + 30*r.Float64(), 8 + 40*r.Float64()}
		for y := LastYear - s.years() + 1; y <= LastYear; y++ {
			buf = append(buf[:0], c...)
			buf = append(buf, ',')
			buf = strconv.AppendInt(buf, int64(y), 10)
			buf = append(buf, ',')
			people = max(1, people+r.IntN(201)-100)
			buf = strconv.AppendInt(buf, int64(people), 10)
			for i := range pct {
				pct[i] = min(99, max(0.1, pct[i]+r.Float64()-0.5))
				buf = append(buf, ',')
				buf = strconv.AppendFloat(buf, math.Round(pct[i]*10)/10, 'f', 1, 64)
			}
			buf = append(buf, '\n')
			w.Write(buf)
		}
	}
	return nil
}

// uncounted reports whether rows of status count in no sum.
func uncounted(status string) bool { return status == "abgelehnt" || status == "zurückgezogen" }

var statuses = []string{"abgerechnet", "abgerechnet", "abgerechnet", "bewilligt", "bewilligt", "beantragt", "abgelehnt", "zurückgezogen"}

// writeFundUsage writes the ledger: row i belongs to area i mod N, and the
// first N rows (every area once) to the latest year, from the area fund, so
// that every area has an action in the year the areas dataset shows. Each
// area and year has at most perArea rows, and every amount of the area fund
// is at most 4,500 EUR / perArea, so no area fund is exceeded.
func (s *set) writeFundUsage(w *bufio.Writer) error {
	r := s.rng(streamFund, 0)
	n, years := s.Areas, s.years()
	perArea := (s.FundRows + n*years - 1) / (n * years)
	maxARF := 4500 / float64(perArea)
	w.WriteString("Projekt-Nr,Aktionsraum,Jahr,Fonds,Projekttitel,Träger,Privatperson,Ansprechperson,Beschlussdatum,Bewilligt (EUR),Ausgezahlt (EUR),Status\n")
	var buf []byte
	for i := range s.FundRows {
		area := i % n
		code := s.codes[area]
		year := LastYear - (i/n)%years
		fund, maxEUR := "Aktionsraumfonds", maxARF
		if i >= n && r.IntN(8) == 0 {
			fund, maxEUR = "Projektbudget", 20000
		}
		status := statuses[r.IntN(len(statuses))]
		if i < n && uncounted(status) {
			status = "abgerechnet"
		}
		approved := math.Round(maxEUR*(0.2+0.8*r.Float64())*100) / 100
		buf = strconv.AppendInt(buf[:0], int64(year), 10)
		buf = append(buf, '-')
		buf = append(buf, code...)
		buf = append(buf, '-')
		buf = strconv.AppendInt(buf, int64(i/(n*years)+1), 10)
		buf = append(buf, ',')
		if i%2 == 0 {
			buf = append(buf, code...)
		} else {
			buf = append(buf, Name(code)...)
		}
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(year), 10)
		buf = append(buf, ',')
		buf = append(buf, fund...)
		buf = append(buf, ',')
		buf = append(buf, titles[r.IntN(len(titles))]...)
		buf = append(buf, " in "...)
		buf = append(buf, Name(code)...)
		buf = append(buf, ',')
		private := r.IntN(20) == 0
		person := firstNames[r.IntN(len(firstNames))] + " " + lastNames[r.IntN(len(lastNames))]
		if private {
			buf = append(buf, person...)
			buf = append(buf, ",ja,"...)
		} else {
			buf = append(buf, carriers[r.IntN(len(carriers))]...)
			buf = append(buf, ' ')
			buf = append(buf, code...)
			buf = append(buf, " e.V.,nein,"...)
		}
		buf = append(buf, person...)
		buf = append(buf, ',')
		if status != "beantragt" {
			buf = fmt.Appendf(buf, "%02d.%02d.%d", 1+r.IntN(28), 1+r.IntN(12), year)
		}
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, approved, 'f', 2, 64)
		buf = append(buf, ',')
		if status == "abgerechnet" || status == "bewilligt" {
			paid := approved
			if status == "bewilligt" {
				paid = math.Round(approved*r.Float64()*100) / 100
			}
			buf = strconv.AppendFloat(buf, paid, 'f', 2, 64)
		}
		buf = append(buf, ',')
		buf = append(buf, status...)
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

var (
	titles     = []string{"Stadtteilfest", "Hausaufgabenhilfe", "Sprachcafé", "Nachbarschaftsgarten", "Seniorentreff", "Ferienprogramm", "Spielplatzfest", "Lesepaten", "Repair-Café", "Sportnachmittag"}
	carriers   = []string{"Quartiersverein", "Bürgerverein", "Sportfreunde", "Kulturverein", "Nachbarschaftstreff", "Förderverein"}
	firstNames = []string{"Erika", "Max", "Lieschen", "Otto", "Petra", "Hans", "Aylin", "Mehmet", "Anna", "Jan"}
	lastNames  = []string{"Mustermann", "Müller", "Beispiel", "Normalverbraucher", "Schmidt", "Yılmaz", "Nowak", "Becker"}
)

func (s *set) writeConfig(w *bufio.Writer) error {
	_, err := fmt.Fprintf(w, `# Synthetic input set: %d areas, %d fund usage rows, %d years, seed %d.
# Every figure and boundary here is invented test data.
# Paths are relative to this file.

title = "Aktionsplan Soziale Stadt (synthetische Daten)"
publisher = "Projektbüro Aktionsplan Soziale Stadt"
source = "Synthetische Testdaten"
note = "Synthetische Testdaten, keine amtlichen Zahlen"

[inputs]
register = %q
areas = %q
fund_usage = %q
key_figures = %q

[read.fund_usage]
delimiter = ","
numbers = "en"
encoding = "utf-8"

[read.key_figures]
delimiter = ","
numbers = "en"
encoding = "utf-8"

[areas]
id_property = "code"

[budget]
fund_per_area_eur = 5000.00
project_budget_eur = 226000.00

[output]
csv_bom = false

[portal]
base_url = "http://127.0.0.1:8080/data/"
contact_name = "Projektbüro Aktionsplan Soziale Stadt"
contact_email = "aktionsplan@example.org"
keywords = ["Aktionsplan Soziale Stadt", "Testdaten"]
`, s.Areas, s.FundRows, s.years(), s.Seed, RegisterFile, AreasFile, FundUsageFile, KeyFiguresFile)
	return err
}
