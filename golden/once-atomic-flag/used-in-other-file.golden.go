package cache

import (
	"fmt"
	"sync"
	"sync/atomic"
)

var warmed uint32
var warmedOnce sync.Once

// Warm fills the cache once.
func Warm() {
	warmedOnce.Do(func() {
		atomic.StoreUint32(&warmed, 1)
		fmt.Println("warming")
	})
}
