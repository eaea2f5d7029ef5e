package page

import (
	"html/template"
	"math"
	"strconv"

	"aktionsplan/pipeline"
)

// Bar chart geometry in SVG units: the width, the start and the length of
// the value axis, the height of a row and of the axis above the rows.
const (
	chartWidth = 960.0
	chartX0    = 210.0
	chartLen   = 480.0
	chartRow   = 34.0
	chartTop   = 30.0
)

// fundView is the bar chart of the Aktionsraumfonds of the latest year
// and its table.
type fundView struct {
	Year          string
	Width, Height string
	AxisY, GridY2 string
	Ticks         []tick
	Rows          []fundRow
	// TableRows are the rows of the table of Rows (see fundRows).
	TableRows template.HTML
	Over      int
	// NoChart says why the chart is left out and only the table shown.
	NoChart string
}

type tick struct{ X, Label string }

// fundRow is one area in the chart and its table.
type fundRow struct {
	Code, Name, Year string
	Approved, Paid   string
	Budget, Rest     string
	// Short is the figures beside the bars, in whole euros.
	Short      string
	Over, Data bool
	// Positions in the drawing.
	Y, LabelY, ApprovedY, PaidY, TickY1, TickY2 string
	ApprovedW, PaidW, BudgetX, TextX            string
	Title                                       string
}

// fundColumns are the columns of the areas dataset the chart reads.
type fundColumns struct {
	year, approved, paid, budget, rest, over int
}

func newFundColumns(ds *pipeline.Dataset) (fundColumns, bool) {
	c := fundColumns{
		year: columnIndex(ds, "fonds_jahr"), approved: columnIndex(ds, "fonds_bewilligt_eur"),
		paid: columnIndex(ds, "fonds_ausgezahlt_eur"), budget: columnIndex(ds, "fonds_budget_eur"),
		rest: columnIndex(ds, "fonds_rest_eur"), over: columnIndex(ds, "fonds_ueberschritten"),
	}
	return c, c.year >= 0 && c.approved >= 0 && c.budget >= 0
}

// value returns the number in column i of f, if there is one.
func value(f pipeline.Feature, i int) (float64, bool) {
	if i < 0 || i >= len(f.Values) {
		return 0, false
	}
	return number(f.Values[i])
}

// flag returns the boolean in column i of f, if there is one.
func flag(f pipeline.Feature, i int) (bool, bool) {
	if i < 0 || i >= len(f.Values) {
		return false, false
	}
	b, ok := f.Values[i].(bool)
	return b, ok
}

// euro writes an amount with cents: 1.600,00 EUR.
func euro(v float64) string { return withUnit(v, 2, "EUR") }

// newFund draws the Aktionsraumfonds of every area in its latest year.
// areas holds code and name of rel.Areas in the same order. It returns nil
// when the areas dataset carries no fund figures.
func newFund(rel *pipeline.ReleaseInfo, areas []areaView) *fundView {
	cols, ok := newFundColumns(rel.AreaDataset)
	if !ok {
		return nil
	}
	latest := 0.0
	top := 0.0
	for _, a := range rel.Areas {
		if y, ok := value(a, cols.year); ok {
			latest = math.Max(latest, y)
		}
		for _, i := range []int{cols.approved, cols.paid, cols.budget} {
			if v, ok := value(a, i); ok {
				top = math.Max(top, v)
			}
		}
	}
	if latest == 0 {
		return nil
	}
	step := niceStep(top)
	top = math.Max(step, math.Ceil(top*1.05/step)*step)
	x := func(v float64) float64 { return chartX0 + math.Max(0, v)/top*chartLen }
	fv := &fundView{Year: strconv.Itoa(int(latest)), Rows: make([]fundRow, 0, len(rel.Areas))}
	for v := 0.0; v <= top+step/2; v += step {
		fv.Ticks = append(fv.Ticks, tick{X: coord(x(v)), Label: pipeline.GermanNumber(v, 0) + "\u00a0€"})
	}
	textX := coord(chartX0 + chartLen + 12)
	for i, a := range rel.Areas {
		y0 := chartTop + float64(i)*chartRow
		r := fundRow{Code: areas[i].Code, Name: areas[i].Name,
			Y: coord(y0), LabelY: coord(y0 + 21), ApprovedY: coord(y0 + 5), PaidY: coord(y0 + 19),
			TickY1: coord(y0 + 2), TickY2: coord(y0 + chartRow - 2), TextX: textX}
		year, hasYear := value(a, cols.year)
		approved, _ := value(a, cols.approved)
		paid, _ := value(a, cols.paid)
		budget, hasBudget := value(a, cols.budget)
		if hasYear {
			r.Data = true
			r.Year = strconv.Itoa(int(year))
			r.Approved, r.Paid = euro(approved), euro(paid)
			r.Short = pipeline.GermanNumber(approved, 0) + "\u00a0€ / " + pipeline.GermanNumber(paid, 0) + "\u00a0€"
			r.ApprovedW, r.PaidW = coord(x(approved)-chartX0), coord(x(paid)-chartX0)
			if over, ok := flag(a, cols.over); ok {
				r.Over = over
			} else {
				r.Over = hasBudget && approved > budget
			}
			if rest, ok := value(a, cols.rest); ok {
				r.Rest = euro(rest)
			}
		}
		if hasBudget {
			r.Budget, r.BudgetX = euro(budget), coord(x(budget))
		}
		if r.Over {
			fv.Over++
		}
		r.Title = fundTitle(r)
		fv.Rows = append(fv.Rows, r)
	}
	fv.TableRows = fundRows(fv.Rows)
	h := chartTop + float64(len(fv.Rows))*chartRow
	fv.Width, fv.Height, fv.AxisY, fv.GridY2 = coord(chartWidth), coord(h+8), coord(chartTop-10), coord(h)
	return fv
}

// fundTitle is the text a row shows on hover and reads out on focus.
func fundTitle(r fundRow) string {
	t := r.Name + " (" + r.Code + ")"
	if !r.Data {
		return t + ": keine Angaben zum Aktionsraumfonds"
	}
	t += ", " + r.Year + ": bewilligt " + r.Approved + ", ausgezahlt " + r.Paid
	if r.Budget != "" {
		t += ", Budget " + r.Budget
	}
	if r.Over {
		t += " – Budget überschritten"
	}
	return t
}

// niceStep is a step of 1, 2 or 5 times a power of ten that divides 0 to
// top into at most six parts.
func niceStep(top float64) float64 {
	if top <= 0 {
		return 1000
	}
	p := math.Pow(10, math.Floor(math.Log10(top/6)))
	for _, m := range []float64{1, 2, 5, 10} {
		if top/(m*p) <= 6 {
			return m * p
		}
	}
	return 10 * p
}
