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
// after io.EOF or an error that does not let the reader resume.
type prefetcher struct {
	batches chan []readRow
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
	cur     []readRow
	i       int
	guard   Guard
}

type readRow struct {
	row Row
	err error
}

func prefetch(rr RowReader) *prefetcher {
	p := &prefetcher{batches: make(chan []readRow, prefetchDepth), stop: make(chan struct{}), done: make(chan struct{})}
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
		batch := make([]readRow, 0, prefetchRows)
		var values []string
		last := false
		for len(batch) < prefetchRows && !last {
			row, err := rr.Read()
			if err == nil {
				if cap(values)-len(values) < len(row.Values) {
					values = make([]string, 0, prefetchRows*len(row.Values))
				}
				start := len(values)
				values = append(values, row.Values...)
				row.Values = values[start:len(values):len(values)]
			} else {
				var bad *BadInput
				last = !errors.As(err, &bad) || !bad.Resume
			}
			batch = append(batch, readRow{row, err})
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
	for p.i == len(p.cur) {
		b, ok := <-p.batches
		if !ok {
			p.guard.Repanic()
			return Row{}, io.EOF
		}
		p.cur, p.i = b, 0
	}
	r := p.cur[p.i]
	p.i++
	return r.row, r.err
}

// close stops reading ahead and waits until the reader is no longer used.
func (p *prefetcher) close() {
	p.once.Do(func() { close(p.stop) })
	<-p.done
}
