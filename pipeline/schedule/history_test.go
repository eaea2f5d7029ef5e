package schedule_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"aktionsplan/pipeline"
)

// memHistory is a pipeline.History in memory that also keeps every save.
type memHistory struct {
	mu    sync.Mutex
	runs  []pipeline.RunRecord // in the order of their first save
	saves []pipeline.RunRecord
	err   error // returned by every method when set
}

var _ pipeline.History = (*memHistory)(nil)

func (h *memHistory) Save(_ context.Context, r pipeline.RunRecord) error {
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

func (h *memHistory) Get(_ context.Context, id string) (pipeline.RunRecord, error) {
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
func (h *memHistory) List(_ context.Context, limit int) ([]pipeline.RunRecord, error) {
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

func (h *memHistory) LastWith(ctx context.Context, statuses ...string) (pipeline.RunRecord, bool, error) {
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

func (h *memHistory) Close() error { return nil }

// withStatus returns the runs with the status, in the order of their first
// save.
func (h *memHistory) withStatus(status string) []pipeline.RunRecord {
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

// savesOf returns the statuses saved for the run id, in order.
func (h *memHistory) savesOf(id string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, r := range h.saves {
		if r.ID == id {
			out = append(out, r.Status)
		}
	}
	return out
}

// waitFor polls until cond holds, for at most three seconds.
func waitFor(cond func() bool) bool {
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return cond()
}
