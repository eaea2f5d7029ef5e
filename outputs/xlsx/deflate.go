package xlsx

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/flate"

	"aktionsplan/pipeline"
)

// chunkSize is how much row XML is compressed at a time. A chunk is
// compressed on its own, so a larger one compresses a little better; a
// megabyte loses under one percent against one stream.
const chunkSize = 1 << 20

// deflater compresses the XML of the rows while they are written, on other
// cores, into a temporary file: deflating takes two to three times as long
// as producing the XML, and at Close only the rest is left to do.
//
// The rows are cut into chunks; each worker deflates a chunk with a flush
// at its end, so that the compressed chunks joined in row order are one
// deflate stream (the way pigz works), and a writer joins them in the
// temporary file. The bytes depend on the rows alone, not on the number of
// workers or on timing. Memory is bounded by the chunks in flight.
//
// A panic in a worker or the writer is kept, the rows fail, and the
// goroutine that calls send, finish or close raises it again once the
// goroutines have ended and the temporary file is gone: in a goroutine of
// its own it would end the whole process, a server with it, while in the
// caller's it fails only the file (see pipeline's sink).
type deflater struct {
	buf   []byte // the XML of the rows not yet sent
	free  chan *chunk
	work  chan *chunk // to the workers
	order chan *chunk // to the writer, in row order
	done  chan struct{}
	// The writer's results, to be read after done is closed.
	file    *os.File
	unnamed bool // file has been removed already
	sum     deflated
	err     error
	started bool
	// guard keeps the first panic of the goroutines; panicked is set
	// once it holds one, raised once it was raised again.
	guard    pipeline.Guard
	panicked atomic.Bool
	raised   bool
	// hook, when set, is called by the goroutines before each chunk with
	// "deflate" or "join": the tests make them panic through it.
	hook func(step string)
}

// chunk is a piece of the row XML and its compressed bytes.
type chunk struct {
	raw   []byte
	comp  bytes.Buffer
	crc   uint32
	err   error // of the writer, when it recycles the chunk
	ready chan struct{}
	// failed is set by a worker that panicked on the chunk.
	failed bool
}

// deflated describes the compressed rows: raw bytes of XML in comp bytes
// of a deflate stream that is not final, with the CRC-32 of the XML.
type deflated struct {
	raw, comp int64
	crc       uint32
}

// full says whether the rows written so far make a chunk.
func (d *deflater) full() bool { return len(d.buf) >= chunkSize }

// send hands the rows written so far to the workers. It blocks while all
// chunks are in flight. It returns the writer's error, if any yet, or
// raises a panic of the goroutines again.
func (d *deflater) send() error {
	if !d.started {
		d.start()
	}
	if d.work == nil {
		return d.err // stopped by raise
	}
	c := <-d.free
	if c.err != nil {
		d.free <- c
		d.raise()
		return c.err
	}
	c.raw, d.buf = d.buf, c.raw[:0]
	d.work <- c
	d.order <- c
	return nil
}

func (d *deflater) start() {
	d.started = true
	workers := min(runtime.GOMAXPROCS(0), 4)
	chunks := workers + 1
	d.free = make(chan *chunk, chunks)
	d.work = make(chan *chunk, chunks)
	d.order = make(chan *chunk, chunks)
	d.done = make(chan struct{})
	for range chunks {
		d.free <- &chunk{raw: make([]byte, 0, chunkSize+chunkSize/8), ready: make(chan struct{}, 1)}
	}
	for range workers {
		go d.deflateChunks(d.work)
	}
	go d.join()
}

// deflateChunks compresses the chunks it receives until work is closed.
// Every chunk goes on to the writer, also one it panicked on.
func (d *deflater) deflateChunks(work <-chan *chunk) {
	fw := getFlateWriter(nil)
	for c := range work {
		if c.failed = !d.guarded(func() { d.deflate(fw, c) }); c.failed {
			fw = getFlateWriter(nil) // the old one may be in any state
		}
		c.ready <- struct{}{}
	}
	flateWriters.Put(fw)
}

func (d *deflater) deflate(fw *flate.Writer, c *chunk) {
	if d.hook != nil {
		d.hook("deflate")
	}
	c.comp.Reset()
	fw.Reset(&c.comp)
	_, _ = fw.Write(c.raw) // a bytes.Buffer does not fail
	_ = fw.Flush()
	c.crc = crc32.ChecksumIEEE(c.raw)
}

// guarded runs f and reports whether it returned; a panic is kept.
func (d *deflater) guarded(f func()) (returned bool) {
	defer func() {
		if !returned {
			d.panicked.Store(true)
		}
	}()
	defer d.guard.Recover()
	f()
	return true
}

// join writes the compressed chunks in row order into the temporary file.
// After an error or a panic it only recycles the chunks, and the next send
// reports the error or raises the panic.
func (d *deflater) join() {
	defer close(d.done)
	var w *bufio.Writer
	for c := range d.order {
		<-c.ready
		if c.failed || !d.guarded(func() { w = d.write(w, c) }) {
			d.failPanicked()
		}
		c.err = d.err
		d.free <- c
	}
	if !d.guarded(func() { d.flush(w) }) {
		d.failPanicked()
	}
}

// write appends the compressed chunk c to the temporary file, which it
// creates first, with its writer w, if there is none yet.
func (d *deflater) write(w *bufio.Writer, c *chunk) *bufio.Writer {
	if d.hook != nil {
		d.hook("join")
	}
	if d.err == nil && d.file == nil {
		var err error
		if d.file, err = os.CreateTemp("", "aktionsplan-xlsx-*"); err != nil {
			d.fail(err)
		} else {
			// Where the system lets an open file lose its name, none
			// is left behind even if the process is killed.
			d.unnamed = os.Remove(d.file.Name()) == nil
			w = bufio.NewWriterSize(d.file, 256<<10)
		}
	}
	if d.err == nil {
		if _, err := w.Write(c.comp.Bytes()); err != nil {
			d.fail(err)
		}
		d.sum.crc = crc32Combine(d.sum.crc, c.crc, int64(len(c.raw)))
		d.sum.raw += int64(len(c.raw))
		d.sum.comp += int64(c.comp.Len())
	}
	return w
}

func (d *deflater) flush(w *bufio.Writer) {
	if d.err == nil && w != nil {
		if err := w.Flush(); err != nil {
			d.fail(err)
		}
	}
}

func (d *deflater) fail(err error) { d.err = fmt.Errorf("temporary file of the rows: %w", err) }

// failPanicked fails the rows after a panic, unless they failed before.
func (d *deflater) failPanicked() {
	if d.err == nil {
		d.err = errPanicked
	}
}

// errPanicked fails the rows when compressing them panicked; the panic
// itself is raised again in the caller's goroutine.
var errPanicked = errors.New("compressing the rows panicked")

// raise raises again, once, a panic of the goroutines, after stopping them
// and removing the temporary file.
func (d *deflater) raise() {
	if d.raised || !d.panicked.Load() {
		return
	}
	d.raised = true
	_ = d.close()
	d.guard.Repanic()
}

// rows are the rows of a sheet as Close finds them: their XML when it fits
// in one chunk, which was never sent, else the deflated chunks.
type rows struct {
	xml      []byte
	deflated io.Reader // nil when xml holds the rows
	sum      deflated
}

// finish compresses the rest and waits for the workers. The rows it
// returns are valid until close. A panic of the goroutines is raised again.
func (d *deflater) finish() (rows, error) {
	if !d.started {
		// Rows that fit in a chunk need neither workers nor a file.
		return rows{xml: d.buf}, nil
	}
	if len(d.buf) > 0 {
		if err := d.send(); err != nil {
			return rows{}, err
		}
	}
	d.stop()
	if d.err != nil {
		d.raise()
		return rows{}, d.err
	}
	return rows{deflated: io.NewSectionReader(d.file, 0, d.sum.comp), sum: d.sum}, nil
}

func (d *deflater) stop() {
	if d.started && d.work != nil {
		close(d.work)
		close(d.order)
		d.work = nil
		<-d.done
	}
}

// close stops the workers and removes the temporary file. It does not
// raise a panic of theirs; raise does.
func (d *deflater) close() error {
	d.stop()
	if d.file == nil {
		return nil
	}
	err := d.file.Close()
	if !d.unnamed {
		if rerr := os.Remove(d.file.Name()); !errors.Is(rerr, os.ErrNotExist) && err == nil {
			err = rerr
		}
	}
	d.file = nil
	return err
}

// flateWriters hold compressors at the fastest level for reuse: each takes
// about a megabyte, and a workbook needs one per part and worker.
var flateWriters sync.Pool

// getFlateWriter returns a compressor at the fastest level writing to w.
// Put it back into flateWriters when done.
func getFlateWriter(w io.Writer) *flate.Writer {
	if fw, ok := flateWriters.Get().(*flate.Writer); ok {
		fw.Reset(w)
		return fw
	}
	fw, _ := flate.NewWriter(w, flate.BestSpeed) // the level is valid
	return fw
}

// pooledFlate is a compressor that goes back to flateWriters on Close.
type pooledFlate struct{ *flate.Writer }

func (w pooledFlate) Close() error {
	err := w.Writer.Close()
	flateWriters.Put(w.Writer)
	return err
}

// crc32Combine returns the CRC-32 (IEEE) of a+b from crcA of a, crcB of b
// and the length of b, by zlib's method: the CRC of a, shifted over lenB
// zero bytes, is a product modulo the polynomial. hash/crc32 lacks it.
func crc32Combine(crcA, crcB uint32, lenB int64) uint32 {
	return multModP(x2nModP(lenB, 3), crcA) ^ crcB
}

// multModP returns a(x) times b(x) modulo p(x), in reflected bit order.
func multModP(a, b uint32) uint32 {
	m, p := uint32(1)<<31, uint32(0)
	for {
		if a&m != 0 {
			p ^= b
			if a&(m-1) == 0 {
				return p
			}
		}
		m >>= 1
		if b&1 != 0 {
			b = b>>1 ^ crc32.IEEE
		} else {
			b >>= 1
		}
	}
}

// x2nModP returns x^(n·2^k) modulo p(x).
func x2nModP(n int64, k uint) uint32 {
	p := uint32(1) << 31 // x^0
	for n != 0 {
		if n&1 != 0 {
			p = multModP(x2nTable[k&31], p)
		}
		n >>= 1
		k++
	}
	return p
}

// x2nTable holds x^(2^k) modulo p(x).
var x2nTable = func() (t [32]uint32) {
	p := uint32(1) << 30 // x^1
	t[0] = p
	for k := 1; k < len(t); k++ {
		p = multModP(p, p)
		t[k] = p
	}
	return t
}()
