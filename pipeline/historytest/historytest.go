// Package historytest provides a run history in memory for the tests of
// the packages that read or write one: the scheduler, the HTTP server.
package historytest

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"aktionsplan/pipeline"
)

// Memory is a pipeline.History in memory that also keeps every save. Its
// methods are safe for concurrent use.
type Memory struct {
	mu    sync.Mutex
	runs  []pipeline.RunRecord // in the order of their first save
	saves []pipeline.RunRecord
	err   error
}

var _ pipeline.History = (*Memory)(nil)

// New returns a history holding runs, saved in that order.
func New(runs ...pipeline.RunRecord) *Memory {
	h := &Memory{}
	for _, r := range runs {
		h.Save(context.Background(), r)
	}
	return h
}

// Fail makes every method return err from now on (nil: work again), as a
// locked or corrupt database would.
func (h *Memory) Fail(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.err = err
}

// Save inserts or replaces the run with r.ID.
func (h *Memory) Save(_ context.Context, r pipeline.RunRecord) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err != nil {
		return h.err
	}
	h.saves = append(h.saves, r)
	if i := slices.IndexFunc(h.runs, func(x pipeline.RunRecord) bool { return x.ID == r.ID }); i >= 0 {
		h.runs[i] = r
	} else {
		h.runs = append(h.runs, r)
	}
	return nil
}

// Get returns the run with the id, or an error wrapping pipeline.ErrNoRun.
func (h *Memory) Get(_ context.Context, id string) (pipeline.RunRecord, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err != nil {
		return pipeline.RunRecord{}, h.err
	}
	for _, r := range h.runs {
		if r.ID == id {
			return r, nil
		}
	}
	return pipeline.RunRecord{}, fmt.Errorf("%w: %s", pipeline.ErrNoRun, id)
}

// List returns the runs newest first by start; of equal starts, the one
// saved later first.
func (h *Memory) List(_ context.Context, limit int) ([]pipeline.RunRecord, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err != nil {
		return nil, h.err
	}
	out := slices.Clone(h.runs)
	slices.Reverse(out)
	slices.SortStableFunc(out, func(a, b pipeline.RunRecord) int { return b.Start.Compare(a.Start) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// LastWith returns the newest run with one of the statuses.
func (h *Memory) LastWith(ctx context.Context, statuses ...string) (pipeline.RunRecord, bool, error) {
	runs, err := h.List(ctx, 0)
	if err != nil {
		return pipeline.RunRecord{}, false, err
	}
	for _, r := range runs {
		if slices.Contains(statuses, r.Status) {
			return r, true, nil
		}
	}
	return pipeline.RunRecord{}, false, nil
}

// Close does nothing.
func (h *Memory) Close() error { return nil }

// WithStatus returns the runs whose last save has the status, in the order
// of their first save.
func (h *Memory) WithStatus(status string) []pipeline.RunRecord {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []pipeline.RunRecord
	for _, r := range h.runs {
		if r.Status == status {
			out = append(out, r)
		}
	}
	return out
}

// Saves returns every save, in order.
func (h *Memory) Saves() []pipeline.RunRecord {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.saves)
}

// SavesOf returns the statuses saved for the run id, in order.
func (h *Memory) SavesOf(id string) []string {
	var out []string
	for _, r := range h.Saves() {
		if r.ID == id {
			out = append(out, r.Status)
		}
	}
	return out
}
