package cache

import (
	"fmt"
	"sync/atomic"
)

var warmed uint32

// Warm fills the cache once.
func Warm() {
	if atomic.CompareAndSwapUint32(&warmed, 0, 1) {
		fmt.Println("warming")
	}
}
