package pipeline_test

import (
	"context"
	"io"
	"slices"
	"sync"
	"testing"
	"time"

	"aktionsplan/pipeline"
)

// A serial run reads one input at a time, in the order register, fund usage,
// key figures, boundaries; a run that is not serial reads the last three
// side by side. The fund usage's reader pauses at its first row, time enough
// for the other readers to start beside it unless they wait.
func TestSerialReadsOneInputAtATime(t *testing.T) {
	for _, serial := range []bool{true, false} {
		w := &readWatch{pause: map[string]time.Duration{"fund_usage": 100 * time.Millisecond}}
		j := job(fundRows(20))
		j.Tables = watchedTables{j.Tables, w}
		j.Boundaries = watchedBoundaries{j.Boundaries, w}
		j.Serial = serial
		res, err := j.Run(context.Background(), &closingPublisher{})
		if err != nil || !res.Published {
			t.Fatalf("serial %v: Run = %v, published %v, issues %v", serial, err, res.Published, res.Report.Issues)
		}
		order := []string{"register", "fund_usage", "key_figures", "areas"}
		if serial && (w.most != 1 || !slices.Equal(w.order, order)) {
			t.Errorf("serial: %d inputs read at once at most, in the order %v; want 1, in the order %v", w.most, w.order, order)
		}
		if !serial && w.most < 2 {
			t.Errorf("not serial: %d inputs read at once at most, want the fund usage beside the others", w.most)
		}
	}
}

// readWatch counts the inputs being read at once, and the order in which
// they began.
type readWatch struct {
	mu       sync.Mutex
	now      int
	most     int
	order    []string
	pause    map[string]time.Duration
	finished map[string]bool
}

func (w *readWatch) begin(role string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now++
	w.most = max(w.most, w.now)
	w.order = append(w.order, role)
}

func (w *readWatch) end(role string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.finished == nil {
		w.finished = map[string]bool{}
	}
	if !w.finished[role] {
		w.finished[role] = true
		w.now--
	}
}

type watchedTables struct {
	pipeline.TableOpener
	w *readWatch
}

func (t watchedTables) OpenTable(role, name string, r io.Reader, fields []pipeline.Field) (pipeline.RowReader, error) {
	t.w.begin(role)
	rr, err := t.TableOpener.OpenTable(role, name, r, fields)
	if err != nil {
		t.w.end(role)
		return nil, err
	}
	return &watchedRows{RowReader: rr, w: t.w, role: role}, nil
}

// watchedRows ends its input's reading at the end of its rows.
type watchedRows struct {
	pipeline.RowReader
	w      *readWatch
	role   string
	paused bool
}

func (r *watchedRows) Read() (pipeline.Row, error) {
	if d := r.w.pause[r.role]; d > 0 && !r.paused {
		r.paused = true
		time.Sleep(d)
	}
	row, err := r.RowReader.Read()
	if err != nil {
		r.w.end(r.role)
	}
	return row, err
}

func (r *watchedRows) Close() error {
	r.w.end(r.role)
	if c, ok := r.RowReader.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

type watchedBoundaries struct {
	pipeline.BoundaryReader
	w *readWatch
}

func (b watchedBoundaries) ReadBoundaries(name string, r io.Reader, rep *pipeline.Report) ([]pipeline.Boundary, error) {
	b.w.begin("areas")
	defer b.w.end("areas")
	return b.BoundaryReader.ReadBoundaries(name, r, rep)
}
