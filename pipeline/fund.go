package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Fund names as staff write them in the column Fonds.
const (
	FundArea    = "Aktionsraumfonds"
	FundProject = "Projektbudget"
)

// uncounted are the statuses of rows that count in no sum.
var uncounted = []string{"abgelehnt", "zurückgezogen"}

// isUncounted reports whether a row of this status counts in no sum; case
// does not matter.
func isUncounted(status string) bool {
	for _, u := range uncounted {
		if strings.EqualFold(status, u) {
			return true
		}
	}
	return false
}

// fundKey identifies one sum of the fund usage: the number of its area
// (areaIDs), its year and the number of its fund (fundUsage.funds).
type fundKey struct {
	Area, Year, Fund int32
}

// fundSum aggregates the counted actions of one area, year and fund, in cents
// so that a million rows add up exactly.
type fundSum struct {
	Approved, Paid int64
	Count          int
}

// fundUsage is the aggregate of the fund usage table.
type fundUsage struct {
	ids   *areaIDs
	funds []string // the funds named, by number
	// sums holds the place of each sum in list once the table is read
	// (index); over where a sum first went above its fund.
	sums map[fundKey]int32
	list []fundSum
	// byArea holds the places of the sums of each area, by its number,
	// while the rows are added: a search of an area's few sums (one per
	// year and fund; funds are searched the same way) costs a fraction
	// of a look-up in a map of all, whose hash and compare of a
	// three-part key take the map's slow generic path, and the map is
	// then built once, at its final size.
	byArea   [][]sumRef
	over     map[fundKey]Pos
	yearly   map[int]int64 // approved cents of all funds per year
	overYear map[int]Pos
	fundArea float64
	// complete is false when the table could not be read to its end.
	complete bool
}

// sumRef is the place in fundUsage.list of the sum of one year and fund of
// an area.
type sumRef struct {
	Year, Fund, At int32
}

// fundAreaID is the number of FundArea: the first fund of every fundUsage.
const fundAreaID = 0

func newFundUsage(reg *Register, fundArea float64) *fundUsage {
	return &fundUsage{ids: newAreaIDs(reg), funds: []string{fundAreaID: FundArea, 1: FundProject}, sums: map[fundKey]int32{},
		byArea: make([][]sumRef, len(reg.areas)), over: map[fundKey]Pos{}, yearly: map[int]int64{}, overYear: map[int]Pos{}, fundArea: fundArea}
}

// fund returns the number of a fund, numbering it if it is new.
func (fu *fundUsage) fund(name string) int32 {
	for i, f := range fu.funds {
		if f == name {
			return int32(i)
		}
	}
	fu.funds = append(fu.funds, strings.Clone(name))
	return int32(len(fu.funds) - 1)
}

// sum returns the sum of k, zero if there is none.
func (fu *fundUsage) sum(k fundKey) (fundSum, bool) {
	i, ok := fu.sums[k]
	if !ok {
		return fundSum{}, false
	}
	return fu.list[i], true
}

func cents(eur float64) int64   { return int64(math.Round(eur * 100)) }
func euros(cents int64) float64 { return float64(cents) / 100 }

// readFund streams the fund usage table: every row is checked against the
// schema and the rules, written to w (when publishing) and added to its sum.
func (j *Job) readFund(ctx context.Context, reg *Register, res *Result, w *datasetWriter) (*fundUsage, error) {
	fields := j.FundSchema.Fields()
	fv := newFieldValue(fields)
	rep := res.Report
	fu := newFundUsage(reg, j.Rules.FundPerArea)
	privateIdx, traegerIdx := Index(fields, "privatperson"), Index(fields, "traeger")
	public := newPublicLayout(fields)
	badRows := 0
	var werr error
	next := j.nextYear()
	complete, err := j.readTable(ctx, "fund_usage", j.FundUsage, j.FundSchema, map[string]KeyResolver{"aktionsraeume": fu.ids}, res, func(row Row, c Caster, rec Record, ok bool) {
		code := fv.str(rec, fCode)
		id, a := fu.ids.ofRow(c, fv.idx[fCode], code)
		ok = checkYearAndArea(a, next, fv, row, c, rec, rep) && ok
		ok = j.checkFundRow(fv, row, c, rec, rep) && ok
		res.Actions++
		if !ok {
			badRows++
			return
		}
		if privateIdx >= 0 && traegerIdx >= 0 && fv.bool(rec, fPrivate) {
			rec[traegerIdx] = "Privatperson"
		}
		if w != nil && werr == nil && rep.Valid() {
			werr = w.Write(Feature{ID: code, Values: public.values(w.values(len(public)), rec, fu.ids.name(id))})
		}
		fu.add(id, fv, rec, row, c, j.Rules)
	})
	if err == nil {
		err = werr
	}
	if err != nil {
		return nil, err
	}
	fu.index()
	// Sums that miss rows with errors would report areas "without" actions
	// that only need a cell fixed.
	fu.complete = complete && badRows == 0
	fu.warn(j.Rules, rep)
	return fu, nil
}

// checkYearAndArea checks that the year is not after next year and that the
// area, a, the register's area of the row's code, is part of the programme
// in that year.
func checkYearAndArea(a Area, next int, fv fieldValue, row Row, c Caster, rec Record, rep *Report) bool {
	year, hasYear := fv.int(rec, fYear)
	if !hasYear {
		return true
	}
	if int(year) > next {
		rep.Errorf(CodeConstraint, c.Pos(row, "jahr"), strconv.Itoa(int(year)), fmt.Sprintf("ein Jahr bis %d", next),
			"Das Jahr liegt zu weit in der Zukunft")
		return false
	}
	code := fv.str(rec, fCode)
	if code == "" {
		return true
	}
	if !a.ValidIn(int(year)) {
		valid := fmt.Sprintf("ab %d", a.From)
		if a.To != 0 {
			valid = fmt.Sprintf("%d bis %d", a.From, a.To)
		}
		rep.Errorf(CodeAreaNotValid, c.Pos(row, "code"), code, "ein Aktionsraum, der "+strconv.Itoa(int(year))+" zum Programm gehört",
			"Der Aktionsraum %s (%s) gehört %d nicht zum Programm (gültig %s)", a.Code, a.Name, year, valid)
		return false
	}
	return true
}

// checkFundRow applies the rules between cells of a fund usage row: paid not
// above approved, decision date within the year.
func (j *Job) checkFundRow(fv fieldValue, row Row, c Caster, rec Record, rep *Report) bool {
	ok := true
	approved, hasApproved := fv.num(rec, fApproved)
	paid, hasPaid := fv.num(rec, fPaid)
	if hasApproved && hasPaid && cents(paid) > cents(approved) {
		rep.Errorf(CodeBusinessRule, c.Pos(row, "ausgezahlt_eur"), formatEUR(paid), "höchstens der bewilligte Betrag "+formatEUR(approved),
			"Ausgezahlt ist mehr als bewilligt")
		ok = false
	}
	year, hasYear := fv.int(rec, fYear)
	if d, hasDate := fv.date(rec, fDecided); hasDate && hasYear && d.Year() != int(year) {
		rep.Errorf(CodeBusinessRule, c.Pos(row, "beschlussdatum"), d.Format("02.01.2006"), fmt.Sprintf("ein Datum im Jahr %d (Spalte Jahr)", year),
			"Das Beschlussdatum liegt nicht im Jahr der Maßnahme")
		ok = false
	}
	return ok
}

// add counts a valid row into its sum, unless its status excludes it. A sum
// that goes above its fund or budget remembers the row's approved cell.
func (fu *fundUsage) add(area int32, fv fieldValue, rec Record, row Row, c Caster, rules Rules) {
	if isUncounted(fv.str(rec, fStatus)) {
		return
	}
	year, _ := fv.int(rec, fYear)
	k := fundKey{Area: area, Year: int32(year), Fund: fu.fund(fv.str(rec, fFund))}
	s := &fu.list[fu.place(k)]
	approved, _ := fv.num(rec, fApproved)
	paid, _ := fv.num(rec, fPaid)
	s.Approved += cents(approved)
	s.Paid += cents(paid)
	s.Count++
	if k.Fund == fundAreaID && s.Approved > cents(rules.FundPerArea) {
		if _, noted := fu.over[k]; !noted {
			fu.over[k] = c.Pos(row, "bewilligt_eur")
		}
	}
	y := int(year)
	before := fu.yearly[y]
	after := before + cents(approved)
	fu.yearly[y] = after
	if before <= cents(rules.ProjectBudget) && after > cents(rules.ProjectBudget) {
		fu.overYear[y] = c.Pos(row, "bewilligt_eur")
	}
}

// place returns the place of the sum of k in list, adding a zero sum for a
// new key.
func (fu *fundUsage) place(k fundKey) int32 {
	if int(k.Area) >= len(fu.byArea) {
		fu.byArea = append(fu.byArea, make([][]sumRef, int(k.Area)+1-len(fu.byArea))...)
	}
	refs := fu.byArea[k.Area]
	for _, r := range refs {
		if r.Year == k.Year && r.Fund == k.Fund {
			return r.At
		}
	}
	i := int32(len(fu.list))
	fu.list = append(fu.list, fundSum{})
	fu.byArea[k.Area] = append(refs, sumRef{k.Year, k.Fund, i})
	return i
}

// index fills sums once every row is added.
func (fu *fundUsage) index() {
	fu.sums = make(map[fundKey]int32, len(fu.list))
	for area, refs := range fu.byArea {
		for _, r := range refs {
			fu.sums[fundKey{int32(area), r.Year, r.Fund}] = r.At
		}
	}
	fu.byArea = nil
}

// warn reports every fund and budget whose approved sum is above its figure.
func (fu *fundUsage) warn(rules Rules, rep *Report) {
	// Only the few sums over their fund, not all: sorting a third of a
	// million keys took a fifth of a second, on one core.
	for _, k := range fu.sorted(slices.Collect(maps.Keys(fu.over))) {
		pos := fu.over[k]
		s, _ := fu.sum(k)
		a := fu.ids.area(k.Area)
		rep.Warnf(CodeBudgetExceeded, pos, formatEUR(euros(s.Approved)), "höchstens "+formatEUR(rules.FundPerArea),
			"Der Aktionsraumfonds %s (%s) %d ist überschritten (ab dieser Zeile); die Summe wird so veröffentlicht und markiert", a.Code, a.Name, k.Year)
	}
	years := make([]int, 0, len(fu.overYear))
	for y := range fu.overYear {
		years = append(years, y)
	}
	sort.Ints(years)
	for _, y := range years {
		rep.Warnf(CodeBudgetExceeded, fu.overYear[y], formatEUR(euros(fu.yearly[y])), "höchstens "+formatEUR(rules.ProjectBudget),
			"Das Projektbudget %d ist überschritten (ab dieser Zeile); die Summe wird so veröffentlicht", y)
	}
}

// keys returns the sums' keys sorted by code, year and fund, with the
// places of their sums: the rows of the sums dataset need no look-up by key.
func (fu *fundUsage) keys() []entry[fundKey, int32] { return sortedEntries(fu.sums, fu.compare) }

// entry is a key of a map with its value.
type entry[K comparable, V any] struct {
	Key   K
	Value V
}

// sortedEntries returns the entries of m sorted by their keys.
func sortedEntries[K comparable, V any](m map[K]V, compare func(a, b K) int) []entry[K, V] {
	out := make([]entry[K, V], 0, len(m))
	for k, v := range m {
		out = append(out, entry[K, V]{k, v})
	}
	slices.SortFunc(out, func(a, b entry[K, V]) int { return compare(a.Key, b.Key) })
	return out
}

// sorted sorts keys by code, year and fund.
func (fu *fundUsage) sorted(keys []fundKey) []fundKey {
	slices.SortFunc(keys, fu.compare)
	return keys
}

// compare orders keys by code, year and fund.
func (fu *fundUsage) compare(a, b fundKey) int {
	if a.Area != b.Area {
		return fu.ids.compare(a.Area, b.Area)
	}
	if a.Year != b.Year {
		return cmp.Compare(a.Year, b.Year)
	}
	return strings.Compare(fu.funds[a.Fund], fu.funds[b.Fund])
}

// latestYear is the latest year with a counted action, or 0.
func (fu *fundUsage) latestYear() int {
	return latestYear(fu.sums, func(k fundKey) int { return int(k.Year) })
}

// latestYear is the latest year among the keys of m, or 0.
func latestYear[K comparable, V any](m map[K]V, year func(K) int) int {
	latest := 0
	for k := range m {
		latest = max(latest, year(k))
	}
	return latest
}

// appendSummary appends to vals the values of the sums columns for s, the
// sum of one area, year and fund k, in the order of sumColumns: approved,
// paid, count, budget, rest and whether the budget is exceeded. The
// Projektbudget has no budget per area, so its budget and rest are missing.
func (fu *fundUsage) appendSummary(vals []any, k fundKey, s fundSum) []any {
	var budget, rest any
	// The project budget is not split by area: its rows carry whether the
	// year's approved sums of all areas and funds exceed it.
	_, over := fu.overYear[int(k.Year)]
	if k.Fund == fundAreaID {
		budget = fu.fundArea
		rest = euros(cents(fu.fundArea) - s.Approved)
		over = s.Approved > cents(fu.fundArea)
	}
	return append(vals, euros(s.Approved), euros(s.Paid), int64(s.Count), budget, rest, over)
}

// features yields the rows of the sums dataset, each made when it is
// written, so that a run never holds all of them; their values are in
// space from values.
func (fu *fundUsage) features() func(values func(int) []any) iter.Seq[Feature] {
	return func(values func(int) []any) iter.Seq[Feature] {
		return func(yield func(Feature) bool) {
			for _, e := range fu.keys() {
				k := e.Key
				code := fu.ids.code(k.Area)
				vals := append(values(10), code, fu.ids.name(k.Area), int64(k.Year), fu.funds[k.Fund])
				if !yield(Feature{ID: code, Values: fu.appendSummary(vals, k, fu.list[e.Value])}) {
					return
				}
			}
		}
	}
}

// formatEUR renders an amount the German way: 5.450,00 EUR.
func formatEUR(v float64) string { return GermanNumber(v, 2) + " EUR" }
