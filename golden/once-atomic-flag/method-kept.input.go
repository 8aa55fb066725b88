package server

import (
	"fmt"
	"sync/atomic"
)

var started atomic.Bool

var opened atomic.Int32 // counts nothing: 0 or 1

func Start() {
	if started.CompareAndSwap(false, true) {
		fmt.Println("starting")
	}
	if opened.CompareAndSwap(0, 1) {
		fmt.Println("opening")
	}
}

// Readers still look at the flags.
func Running() bool { return started.Load() && opened.Load() == 1 }
