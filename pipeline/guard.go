package pipeline

import (
	"fmt"
	"runtime/debug"
	"sync"
)

// Guard carries a panic out of the goroutines a run starts into the
// goroutine that waits for them, where it is raised again: a panic in a
// goroutine of its own would end the whole process (a server with it),
// while one in the run's goroutine fails only that run. Defer Recover
// first in each goroutine; call Repanic once they have ended.
type Guard struct {
	mu    sync.Mutex
	value any
	stack []byte
}

// Recover keeps the first panic of the goroutine that defers it.
func (g *Guard) Recover() {
	if v := recover(); v != nil {
		g.keep(v, debug.Stack())
	}
}

func (g *Guard) keep(v any, stack []byte) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.value == nil {
		g.value, g.stack = v, stack
	}
}

// Repanic raises the kept panic, with the stack of the goroutine it came
// from, if there is one.
func (g *Guard) Repanic() {
	g.mu.Lock()
	v, stack := g.value, g.stack
	g.mu.Unlock()
	if v != nil {
		panic(fmt.Sprintf("%v [in a goroutine of the run:\n%s]", v, stack))
	}
}
