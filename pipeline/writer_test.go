package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"aktionsplan/pipeline"
)

// failFormat's encoder fails at its row at (counting from 1) of the
// dataset named ds.
type failFormat struct {
	ds     string
	at     int
	panics bool
}

var errEncode = errors.New("cell does not fit")

func (failFormat) Ext() string   { return "fail" }
func (failFormat) Spatial() bool { return false }
func (f failFormat) NewEncoder(w io.Writer, ds *pipeline.Dataset) (pipeline.Encoder, error) {
	return &failEncoder{f: f, ds: ds.Name, w: w}, nil
}

type failEncoder struct {
	f    failFormat
	ds   string
	w    io.Writer
	rows int
}

func (e *failEncoder) Write(pipeline.Feature) error {
	e.rows++
	if e.ds == e.f.ds && e.rows == e.f.at && e.f.panics {
		panic("encoder bug")
	}
	if e.ds == e.f.ds && e.rows == e.f.at {
		return fmt.Errorf("row %d: %w", e.rows, errEncode)
	}
	_, err := io.WriteString(e.w, "x")
	return err
}

func (e *failEncoder) Close() error { return nil }

// closingPublisher keeps a release in memory and records which created
// files were closed.
type closingPublisher struct {
	mu      sync.Mutex
	open    map[string]bool
	aborted bool
}

type trackedFile struct {
	bytes.Buffer
	p    *closingPublisher
	name string
}

func (f *trackedFile) Close() error {
	f.p.mu.Lock()
	defer f.p.mu.Unlock()
	delete(f.p.open, f.name)
	return nil
}

func (p *closingPublisher) Create(name string) (io.WriteCloser, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.open == nil {
		p.open = map[string]bool{}
	}
	p.open[name] = true
	return &trackedFile{p: p, name: name}, nil
}

func (p *closingPublisher) Commit(m pipeline.Manifest) (pipeline.Manifest, error) { return m, nil }
func (p *closingPublisher) Abort() error                                          { p.aborted = true; return nil }

// fundRows are n valid rows of the fund usage table.
func fundRows(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d;BOR;2024;Projektbudget;T;V;;;;1;;bewilligt\n", i)
	}
	return b.String()
}

// An encoder runs in a goroutine of its own: its error, found rows after
// the writer handed the row over, still fails the run with the file's name,
// and no file stays open.
func TestEncoderErrorFailsTheRun(t *testing.T) {
	for _, tc := range []struct {
		name string
		ds   string
		at   int
	}{
		{"streamed fund usage, first batch", "mittelverwendung", 3},
		{"streamed fund usage, later batch", "mittelverwendung", 700},
		{"whole dataset", "aktionsraeume", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := job(fundRows(1000))
			j.Formats = append(j.Formats, failFormat{ds: tc.ds, at: tc.at})
			pub := &closingPublisher{}
			_, err := j.Run(context.Background(), pub)
			if !errors.Is(err, errEncode) || !strings.Contains(err.Error(), tc.ds+".fail") {
				t.Fatalf("Run = %v, want the encoder's error naming %s.fail", err, tc.ds)
			}
			if !pub.aborted {
				t.Error("release not aborted")
			}
			if len(pub.open) > 0 {
				t.Errorf("files left open: %v", pub.open)
			}
		})
	}
}

// The inputs are read at once, but the report and the stages come in the
// order of the inputs every time: register, fund usage, key figures,
// boundaries.
func TestRunReportsInInputOrder(t *testing.T) {
	var first []string
	for range 20 {
		// A fund row and a key figures row with an unknown area, and a
		// boundary of none.
		j := job(fundRows(300) + "9;Nirgendwo;2024;Projektbudget;T;V;;;;1;;bewilligt\n")
		j.KeyFigures = text("kennzahlen.csv", figures+"Nirgendwo;2023;1;1\n")
		j.Areas = text("grenzen.geojson", strings.Replace(boundaries, `"code":"BOR"`, `"code":"Nirgendwo"`, 1))
		var stages []string
		j.Observe = func(s pipeline.Stage) { stages = append(stages, s.Step+" "+s.Name) }
		res, err := j.Run(context.Background(), &closingPublisher{})
		if !errors.Is(err, pipeline.ErrInvalid) {
			t.Fatalf("Run = %v, want ErrInvalid", err)
		}
		var got []string
		for _, is := range res.Report.Issues {
			if is.Severity == pipeline.Error && (len(got) == 0 || got[len(got)-1] != is.Pos.File) {
				got = append(got, is.Pos.File)
			}
		}
		want := []string{"mittel.csv", "kennzahlen.csv", "grenzen.geojson"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("errors in the files %v, want those of each file together in the order %v", got, want)
		}
		var inputs []string
		for _, in := range res.Inputs {
			inputs = append(inputs, in.Name)
		}
		if s := strings.Join(inputs, " "); s != "register.csv mittel.csv kennzahlen.csv grenzen.geojson" {
			t.Fatalf("inputs %s", s)
		}
		if first == nil {
			first = stages
		} else if strings.Join(stages, "|") != strings.Join(first, "|") {
			t.Fatalf("stages %v, earlier %v", stages, first)
		}
	}
	if want := "read register.csv|read mittel.csv|read kennzahlen.csv|read grenzen.geojson|join "; strings.Join(first, "|") != want {
		t.Errorf("stages %q, want %q", strings.Join(first, "|"), want)
	}
}

// An encoder that panics runs in a goroutine of its own, but its panic is
// raised in the goroutine that called Run, where a server's recovery fails
// the run instead of the process ending.
func TestEncoderPanicReachesTheCaller(t *testing.T) {
	for _, ds := range []string{"mittelverwendung", "aktionsraeume"} {
		t.Run(ds, func(t *testing.T) {
			j := job(fundRows(1000))
			j.Formats = append(j.Formats, failFormat{ds: ds, at: 2, panics: true})
			pub := &closingPublisher{}
			var v any
			func() {
				defer func() { v = recover() }()
				j.Run(context.Background(), pub)
			}()
			if s, ok := v.(string); !ok || !strings.Contains(s, "encoder bug") {
				t.Fatalf("Run raised %v, want the encoder's panic", v)
			}
			if !pub.aborted {
				t.Error("release not aborted")
			}
			if len(pub.open) > 0 {
				t.Errorf("files left open: %v", pub.open)
			}
		})
	}
}

// abortFormat's encoders count how they end.
type abortFormat struct{ closed, aborted *atomic.Int32 }

func (abortFormat) Ext() string   { return "abort" }
func (abortFormat) Spatial() bool { return false }
func (f abortFormat) NewEncoder(io.Writer, *pipeline.Dataset) (pipeline.Encoder, error) {
	return abortEncoder{f}, nil
}

type abortEncoder struct{ f abortFormat }

func (abortEncoder) Write(pipeline.Feature) error { return nil }
func (e abortEncoder) Close() error               { e.f.closed.Add(1); return nil }
func (e abortEncoder) Abort()                     { e.f.aborted.Add(1) }

// A run that publishes nothing aborts the encoders it opened (the fund
// usage is streamed to its files before the inputs are known to be valid,
// the key figures once they are read), so that their temporary files and
// goroutines go, and closes none.
func TestInvalidRunAbortsEncoders(t *testing.T) {
	f := abortFormat{new(atomic.Int32), new(atomic.Int32)}
	j := job(fundRows(300) + "9;BOR;2024;Projektbudget;T;V;;;;kein Betrag;;bewilligt\n")
	j.Formats = append(j.Formats, f)
	j.Observe = func(pipeline.Stage) {} // timed encoders are unwrapped too
	if _, err := j.Run(context.Background(), &closingPublisher{}); !errors.Is(err, pipeline.ErrInvalid) {
		t.Fatalf("Run = %v, want ErrInvalid", err)
	}
	if a, c := f.aborted.Load(), f.closed.Load(); a != 2 || c != 0 {
		t.Errorf("%d encoders aborted and %d closed, want the fund usage's and the key figures' aborted and none closed", a, c)
	}
}

// Issues of the inputs read at once keep their values as Add shortened
// them: a long cell names its real length, not that of its shortened form.
func TestMergedIssuesKeepTheirLength(t *testing.T) {
	long := strings.Repeat("x", 5000)
	j := job(fundRows(3))
	j.KeyFigures = text("kennzahlen.csv", figures+long+";2023;1;1\n")
	res, err := j.Run(context.Background(), &closingPublisher{})
	if !errors.Is(err, pipeline.ErrInvalid) {
		t.Fatalf("Run = %v, want ErrInvalid", err)
	}
	for _, is := range res.Report.Issues {
		if strings.HasPrefix(is.Value, "xxx") {
			if !strings.HasSuffix(is.Value, "(5000 Zeichen)") {
				t.Errorf("value ends %q, want the length 5000", is.Value[len(is.Value)-20:])
			}
			return
		}
	}
	t.Fatalf("no issue with the long value: %v", res.Report.Issues)
}

// slowFormat's encoder panics at the first row of the sums and takes its
// time over every area, so that the areas are still being fed when the
// panic comes.
type slowFormat struct{}

func (slowFormat) Ext() string   { return "slow" }
func (slowFormat) Spatial() bool { return false }
func (slowFormat) NewEncoder(w io.Writer, ds *pipeline.Dataset) (pipeline.Encoder, error) {
	return &slowEncoder{ds: ds.Name}, nil
}

type slowEncoder struct{ ds string }

func (e *slowEncoder) Write(pipeline.Feature) error {
	switch e.ds {
	case "mittelverwendung_summen":
		panic("encoder bug")
	case "aktionsraeume":
		time.Sleep(200 * time.Microsecond)
	}
	return nil
}

func (e *slowEncoder) Close() error { return nil }

// The sums are written while the areas are: a panic of the one ends the
// feeding of the other before the release is aborted, and Run returns with
// no goroutine of the run left.
func TestEncoderPanicWhileAreasAreFed(t *testing.T) {
	const n = 4000
	var reg, bnd strings.Builder
	reg.WriteString("code,name,betreuung,gueltig_ab,gueltig_bis,schreibweisen\n")
	bnd.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range n {
		// Consonants only: "ae", "oe" and "ue" are spellings of umlauts.
		const l = "BCDFGHJKLMNPQRTV"
		code := "X" + string(l[i/256]) + string(l[i/16%16]) + string(l[i%16])
		fmt.Fprintf(&reg, "%s,Gebiet %d,Stadterneuerung,2009,,\n", code, i)
		if i > 0 {
			bnd.WriteString(",\n")
		}
		x, y := 7+float64(i%100)*0.001, 51+float64(i/100)*0.001
		fmt.Fprintf(&bnd, `{"type":"Feature","properties":{"code":"%s"},"geometry":{"type":"Polygon","coordinates":[[[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f]]]}}`,
			code, x, y, x+0.0005, y, x+0.0005, y+0.0005, x, y+0.0005, x, y)
	}
	bnd.WriteString("]}")
	j := job("1;XBBB;2024;Projektbudget;T;V;;;;1;;bewilligt\n")
	j.Register = text("register.csv", reg.String())
	j.Areas = text("grenzen.geojson", bnd.String())
	j.KeyFigures = text("kennzahlen.csv", strings.SplitN(figures, "\n", 2)[0]+"\nXBBB;2023;1;1\n")
	j.Formats = []pipeline.Format{slowFormat{}}
	before := runtime.NumGoroutine()
	pub := &closingPublisher{}
	var v any
	func() {
		defer func() { v = recover() }()
		j.Run(context.Background(), pub)
	}()
	// A goroutine that Run waited for may still be returning: a moment,
	// far less than feeding the areas would take (0.8 s).
	deadline := time.Now().Add(100 * time.Millisecond)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines when Run returned, %d before", n, before)
	}
	if s, ok := v.(string); !ok || !strings.Contains(s, "encoder bug") {
		t.Fatalf("Run raised %v, want the encoder's panic", v)
	}
	if !pub.aborted || len(pub.open) > 0 {
		t.Errorf("aborted %v, files left open: %v", pub.aborted, pub.open)
	}
}

// A run that fails after the key figures and sums have started (here the
// fund usage's encoder at its end) stops them: no stage says they were
// written.
func TestFailedRunStopsTheEarlyWrites(t *testing.T) {
	j := job(fundRows(50))
	j.Formats = append(j.Formats, closeFailFormat{})
	var stages []string
	j.Observe = func(s pipeline.Stage) { stages = append(stages, s.Step+" "+s.Name) }
	if _, err := j.Run(context.Background(), &closingPublisher{}); !errors.Is(err, errEncode) {
		t.Fatalf("Run = %v, want the encoder's error", err)
	}
	for _, s := range stages {
		if s == pipeline.StepWrite+" kennzahlen" || s == pipeline.StepWrite+" mittelverwendung_summen" {
			t.Errorf("stage %q of a run that failed", s)
		}
	}
}

// closeFailFormat's encoder fails when the fund usage's file is closed.
type closeFailFormat struct{}

func (closeFailFormat) Ext() string   { return "closefail" }
func (closeFailFormat) Spatial() bool { return false }
func (closeFailFormat) NewEncoder(w io.Writer, ds *pipeline.Dataset) (pipeline.Encoder, error) {
	return closeFailEncoder{ds.Name}, nil
}

type closeFailEncoder struct{ ds string }

func (closeFailEncoder) Write(pipeline.Feature) error { return nil }
func (e closeFailEncoder) Close() error {
	if e.ds == "mittelverwendung" {
		return errEncode
	}
	return nil
}

// The key figures are written once they are read, while the fund usage is
// still being read: here the fund usage's encoder waits, at its last row,
// for the key figures' encoder to have a row, which it would wait for in
// vain if the key figures were written after the fund usage.
func TestKeyFiguresWrittenWhileFundUsageIsRead(t *testing.T) {
	const rows = 5000 // more than the writer holds before the reader waits
	f := rendezvousFormat{kf: make(chan struct{}), last: rows}
	j := job(fundRows(rows))
	j.Formats = []pipeline.Format{f}
	if _, err := j.Run(context.Background(), &closingPublisher{}); err != nil {
		t.Fatalf("Run = %v", err)
	}
}

// rendezvousFormat's fund usage encoder waits at its row last until the
// key figures' encoder has had a row, for ten seconds at most.
type rendezvousFormat struct {
	kf   chan struct{}
	last int
}

func (rendezvousFormat) Ext() string   { return "rendezvous" }
func (rendezvousFormat) Spatial() bool { return false }
func (f rendezvousFormat) NewEncoder(w io.Writer, ds *pipeline.Dataset) (pipeline.Encoder, error) {
	return &rendezvousEncoder{f: f, ds: ds.Name}, nil
}

type rendezvousEncoder struct {
	f    rendezvousFormat
	ds   string
	rows int
}

func (e *rendezvousEncoder) Write(pipeline.Feature) error {
	e.rows++
	switch {
	case e.ds == "kennzahlen" && e.rows == 1:
		close(e.f.kf)
	case e.ds == "mittelverwendung" && e.rows == e.f.last:
		select {
		case <-e.f.kf:
		case <-time.After(10 * time.Second):
			return errors.New("the key figures were not written while the fund usage was")
		}
	}
	return nil
}

func (e *rendezvousEncoder) Close() error { return nil }

// Once a run is known to be valid, the files of the fund usage, the key
// figures, the sums and the areas are completed side by side: here the
// fund usage's encoder waits, in Close, until the key figures' encoder is
// closed too, which it would wait for in vain if the key figures were
// completed only after the fund usage.
func TestValidRunCompletesFilesSideBySide(t *testing.T) {
	f := closeRendezvousFormat{kf: make(chan struct{})}
	j := job(fundRows(50))
	j.Formats = []pipeline.Format{f}
	if _, err := j.Run(context.Background(), &closingPublisher{}); err != nil {
		t.Fatalf("Run = %v", err)
	}
}

// closeRendezvousFormat's fund usage encoder waits in Close until the key
// figures' encoder is closed, for ten seconds at most.
type closeRendezvousFormat struct{ kf chan struct{} }

func (closeRendezvousFormat) Ext() string   { return "closerendezvous" }
func (closeRendezvousFormat) Spatial() bool { return false }
func (f closeRendezvousFormat) NewEncoder(w io.Writer, ds *pipeline.Dataset) (pipeline.Encoder, error) {
	return closeRendezvousEncoder{f: f, ds: ds.Name}, nil
}

type closeRendezvousEncoder struct {
	f  closeRendezvousFormat
	ds string
}

func (closeRendezvousEncoder) Write(pipeline.Feature) error { return nil }
func (e closeRendezvousEncoder) Close() error {
	switch e.ds {
	case "kennzahlen":
		close(e.f.kf)
	case "mittelverwendung":
		select {
		case <-e.f.kf:
		case <-time.After(10 * time.Second):
			return errors.New("the key figures' files were completed only after the fund usage's")
		}
	}
	return nil
}
