package pipeline

import "sync"

// A Preparer is a Document with work that needs only the joined areas,
// such as drawing them: Prepare does it while the datasets are being
// written, in a goroutine of its own, and returns the document that is
// written once they are, with the whole release. The areas are the last
// rows to be joined, so without Prepare that work would wait for every
// file and then run alone.
type Preparer interface {
	Document
	// Prepare returns the document for a release of the areas in rel,
	// which holds About, Areas, AreaDataset and Bound; the returned
	// document's Write gets the whole release, with these the same.
	Prepare(rel *ReleaseInfo) Document
}

// preparing is the documents of a run, each Preparer among them being
// prepared in a goroutine of its own.
type preparing struct {
	docs []Document
	wg   sync.WaitGroup
	g    Guard
}

// prepare starts preparing the documents for the areas in rel.
func prepare(docs []Document, rel *ReleaseInfo) *preparing {
	p := &preparing{docs: append([]Document(nil), docs...)}
	for i, d := range p.docs {
		if pr, ok := d.(Preparer); ok {
			p.wg.Go(func() {
				defer p.g.Recover()
				p.docs[i] = pr.Prepare(rel)
			})
		}
	}
	return p
}

// documents waits for the preparations and returns the documents to write.
// A panic of a preparation is raised again here.
func (p *preparing) documents() []Document {
	p.wg.Wait()
	p.g.Repanic()
	return p.docs
}

// wait waits for the preparations: deferred, so that none outlives a run
// that fails before its documents.
func (p *preparing) wait() { p.wg.Wait() }
