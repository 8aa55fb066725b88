package server

import (
	"fmt"
	"sync"
	"sync/atomic"
)

var started atomic.Bool
var startedOnce sync.Once

var opened atomic.Int32 // counts nothing: 0 or 1
var openedOnce sync.Once

func Start() {
	startedOnce.Do(func() {
		started.Store(true)
		fmt.Println("starting")
	})
	openedOnce.Do(func() {
		opened.Store(1)
		fmt.Println("opening")
	})
}

// Readers still look at the flags.
func Running() bool { return started.Load() && opened.Load() == 1 }
