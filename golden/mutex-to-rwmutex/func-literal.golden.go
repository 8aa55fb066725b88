package watch

import (
	"sync"
	"time"
)

var state struct {
	mu      sync.RWMutex
	updated time.Time
}

func (w *watcher) start() {
	go func() {
		state.mu.Lock()
		defer state.mu.Unlock()
		w.report(time.Since(state.updated))
	}()
	check := func() bool {
		state.mu.RLock()
		defer state.mu.RUnlock()
		return time.Since(state.updated) < time.Minute
	}
	_ = check
}

func touch() {
	state.mu.Lock()
	state.updated = time.Now()
	state.mu.Unlock()
}
