package metrics

import (
	"fmt"
	"sync/atomic"
)

// Register registers the collectors once.
//
//go:noinline
func Register() {
	if atomic.CompareAndSwapInt64(&registered, 0, 1) {
		fmt.Println("registering")
	}
}
