package lib

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Started is part of the package's API: other packages (and the external
// test package) may read it, so it stays and is set inside the once function.
var Started int32
var StartedOnce sync.Once

func Start() {
	StartedOnce.Do(func() {
		atomic.StoreInt32(&Started, 1)
		fmt.Println("started")
	})
}

var Ready atomic.Bool
var ReadyOnce sync.Once

func MakeReady() {
	ReadyOnce.Do(func() {
		Ready.Store(true)
		fmt.Println("ready")
	})
}
