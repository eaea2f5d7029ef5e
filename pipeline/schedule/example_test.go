package schedule_test

import (
	"context"
	"fmt"
	"time"

	"aktionsplan/pipeline"
	"aktionsplan/pipeline/schedule"
)

// The life of a scheduler, as the serve command leads it: New, Start, a
// run by hand, the health check, Stop with a grace period.
func Example() {
	clock := func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }
	s, err := schedule.New(schedule.Config{
		Spec: "30 5 * * *", // Europe/Berlin by default
		Run: func(ctx context.Context, id, trigger string) pipeline.RunRecord {
			return pipeline.RunRecord{Status: pipeline.StatusPublished, Release: id}
		},
		Now:    clock,
		Logger: quiet,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("next:", s.Next().Format("2006-01-02 15:04 MST"))

	s.Start(context.Background())
	id, err := s.Trigger(pipeline.TriggerManual)
	fmt.Println("run:", id, err)

	grace, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	fmt.Println("stop:", s.Stop(grace))
	fmt.Println(s.Health(context.Background()))
	// Output:
	// next: 2026-11-26 05:30 CET
	// run: 20261125T120000Z <nil>
	// stop: <nil>
	// true letzter Lauf 2026-11-25 13:00: published
}

// On the night the clocks go forward, a job at 02:30 runs at 03:00.
func ExampleScheduler_Next() {
	loc, _ := time.LoadLocation("Europe/Berlin")
	s, _ := schedule.New(schedule.Config{
		Spec:     "30 2 * * *",
		Location: loc,
		Run:      func(context.Context, string, string) pipeline.RunRecord { return pipeline.RunRecord{} },
		Now:      func() time.Time { return time.Date(2026, 3, 28, 12, 0, 0, 0, loc) },
	})
	fmt.Println(s.Next().Format("2006-01-02 15:04 MST"))
	// Output: 2026-03-29 03:00 CEST
}
