package pipeline

import (
	"time"
)

// Steps of a run, as Stage.Step names them.
const (
	// StepRead is reading and checking one input; for the fund usage it
	// includes writing its rows, which are streamed to the release.
	StepRead = "read"
	// StepJoin is joining boundaries, key figures and fund sums.
	StepJoin = "join"
	// StepWrite is writing one dataset in every format.
	StepWrite = "write"
	// StepEncode is the time spent in the encoder of one file, a part of
	// its dataset's StepWrite (or, for the fund usage, of its StepRead).
	StepEncode = "encode"
	// StepDocument is writing one document of the release.
	StepDocument = "document"
	// StepPublish is completing the manifest and making the release current.
	StepPublish = "publish"
)

// Stage is one finished step of a run, so that users can see where the
// time of a run goes.
type Stage struct {
	Step string
	// Name is the input, dataset or file of the step; empty for join and
	// publish.
	Name string
	// Rows is the number of rows read or written; features for
	// boundaries, areas for the join, files for publish.
	Rows     int
	Duration time.Duration
	// Dataset is the dataset of the file of a StepEncode.
	Dataset string
}

// observe tells Job.Observe about a finished step that began at start.
func (j *Job) observe(step, name string, rows int, start time.Time) {
	if j.Observe != nil {
		j.Observe(Stage{Step: step, Name: name, Rows: rows, Duration: time.Since(start)})
	}
}

// observeRead tells Job.Observe about the input read last, which began at
// start.
func (j *Job) observeRead(res *Result, start time.Time) {
	if j.Observe == nil || len(res.Inputs) == 0 {
		return
	}
	in := res.Inputs[len(res.Inputs)-1]
	j.observe(StepRead, in.Name, in.Rows, start)
}

// timedEncoder measures the time spent in an encoder.
type timedEncoder struct {
	Encoder
	spent time.Duration
}

func (e *timedEncoder) Write(f Feature) error {
	t := time.Now()
	err := e.Encoder.Write(f)
	e.spent += time.Since(t)
	return err
}

func (e *timedEncoder) Close() error {
	t := time.Now()
	err := e.Encoder.Close()
	e.spent += time.Since(t)
	return err
}
