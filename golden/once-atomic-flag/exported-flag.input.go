package lib

import (
	"fmt"
	"sync/atomic"
)

// Started is part of the package's API: other packages (and the external
// test package) may read it, so it stays and is set inside the once function.
var Started int32

func Start() {
	if atomic.CompareAndSwapInt32(&Started, 0, 1) {
		fmt.Println("started")
	}
}

var Ready atomic.Bool

func MakeReady() {
	if Ready.CompareAndSwap(false, true) {
		fmt.Println("ready")
	}
}
