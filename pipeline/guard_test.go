package pipeline

import (
	"strings"
	"sync"
	"testing"
)

func TestGuardRaisesTheFirstPanicInTheWaitingGoroutine(t *testing.T) {
	var g Guard
	var wg sync.WaitGroup
	wg.Go(func() {
		defer g.Recover()
		panic("boom")
	})
	wg.Go(func() { defer g.Recover() })
	wg.Wait()
	defer func() {
		v := recover()
		if s, ok := v.(string); !ok || !strings.HasPrefix(s, "boom [in a goroutine of the run:") || !strings.Contains(s, "guard_test.go") {
			t.Errorf("Repanic raised %v", v)
		}
	}()
	g.Repanic()
}

func TestGuardWithoutPanic(t *testing.T) {
	var g Guard
	func() { defer g.Recover() }()
	g.Repanic() // nothing
}
