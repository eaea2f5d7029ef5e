package history_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"aktionsplan/outputs/history"
	"aktionsplan/pipeline"
)

func Example() {
	out, err := os.MkdirTemp("", "out")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(out)

	db, err := history.Open(filepath.Join(out, "history.sqlite"))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	ctx := context.Background()
	// On start: runs an earlier process left running have failed.
	if _, err := db.Abandon(ctx); err != nil {
		panic(err)
	}

	start := time.Date(2025, 3, 14, 6, 0, 0, 0, time.UTC)
	run := pipeline.RunRecord{ID: "20250314T060000Z", Trigger: pipeline.TriggerSchedule,
		Status: pipeline.StatusRunning, Start: start}
	db.Save(ctx, run) // when the run starts
	run.Status, run.End, run.Release = pipeline.StatusPublished, start.Add(2*time.Second), "20250314T060000Z"
	run.Rows = map[string]int{"aktionsraeume.geojson": 12}
	db.Save(ctx, run) // and when it ends

	runs, err := db.List(ctx, 10)
	if err != nil {
		panic(err)
	}
	for _, r := range runs {
		fmt.Println(r.ID, r.Status, r.End.Sub(r.Start), r.Rows)
	}
	// Output:
	// 20250314T060000Z published 2s map[aktionsraeume.geojson:12]
}
