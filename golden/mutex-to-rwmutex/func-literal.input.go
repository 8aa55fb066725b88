package watch

import (
	"sync"
	"time"
)

var state struct {
	mu      sync.Mutex
	updated time.Time
}

func (w *watcher) start() {
	go func() {
		state.mu.Lock()
		defer state.mu.Unlock()
		w.report(time.Since(state.updated))
	}()
	check := func() bool {
		state.mu.Lock()
		defer state.mu.Unlock()
		return time.Since(state.updated) < time.Minute
	}
	_ = check
}

func touch() {
	state.mu.Lock()
	state.updated = time.Now()
	state.mu.Unlock()
}
