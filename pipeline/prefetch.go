package pipeline

import (
	"errors"
	"io"
	"sync"
)

// prefetchRows is the number of rows read ahead at a time, prefetchDepth
// the number of such batches that may wait.
const (
	prefetchRows  = 256
	prefetchDepth = 4
)

// prefetcher reads the rows of a table in a goroutine of its own, ahead of
// the caller, copying each row's values since a reader may reuse them.
// Rows and errors come in the order the reader gave them; reading stops
// after io.EOF or an error that does not let the reader resume. As with any
// RowReader, a row's Values are valid until the next Read: a batch the
// caller has read goes back to the reading goroutine for reuse.
type prefetcher struct {
	batches chan *readBatch
	free    chan *readBatch
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
	cur     *readBatch
	i       int
	guard   Guard
}

// readBatch is rows read ahead, and the space for their values.
type readBatch struct {
	rows   []readRow
	values []string
}

type readRow struct {
	row Row
	err error
}

func prefetch(rr RowReader) *prefetcher {
	p := &prefetcher{batches: make(chan *readBatch, prefetchDepth), free: make(chan *readBatch, prefetchDepth+2),
		stop: make(chan struct{}), done: make(chan struct{})}
	go p.run(rr)
	return p
}

func (p *prefetcher) run(rr RowReader) {
	defer close(p.done)
	defer close(p.batches)
	// A reader that panics does so again in Read, in the caller's
	// goroutine, as it would have without the prefetcher.
	defer p.guard.Recover()
	for {
		var batch *readBatch
		select {
		case batch = <-p.free:
			clear(batch.rows)
			batch.rows = batch.rows[:0]
			batch.values = batch.values[:0]
		default:
			batch = &readBatch{rows: make([]readRow, 0, prefetchRows)}
		}
		last := false
		for len(batch.rows) < prefetchRows && !last {
			row, err := rr.Read()
			if err == nil {
				if cap(batch.values)-len(batch.values) < len(row.Values) {
					// The rows already in the batch keep the old space.
					batch.values = make([]string, 0, max(prefetchRows*len(row.Values), 2*cap(batch.values)))
				}
				start := len(batch.values)
				batch.values = append(batch.values, row.Values...)
				row.Values = batch.values[start:len(batch.values):len(batch.values)]
			} else {
				var bad *BadInput
				last = !errors.As(err, &bad) || !bad.Resume
			}
			batch.rows = append(batch.rows, readRow{row, err})
		}
		select {
		case p.batches <- batch:
		case <-p.stop:
			return
		}
		if last {
			return
		}
	}
}

// Read returns the next row, or the reader's error.
func (p *prefetcher) Read() (Row, error) {
	for p.cur == nil || p.i == len(p.cur.rows) {
		if p.cur != nil {
			select {
			case p.free <- p.cur:
			default:
			}
			p.cur = nil
		}
		b, ok := <-p.batches
		if !ok {
			p.guard.Repanic()
			return Row{}, io.EOF
		}
		p.cur, p.i = b, 0
	}
	r := p.cur.rows[p.i]
	p.i++
	return r.row, r.err
}

// close stops reading ahead and waits until the reader is no longer used.
func (p *prefetcher) close() {
	p.once.Do(func() { close(p.stop) })
	<-p.done
}
