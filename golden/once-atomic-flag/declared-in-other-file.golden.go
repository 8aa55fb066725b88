package metrics

import (
	"fmt"
	"sync"
	"sync/atomic"
)

var registeredOnce sync.Once

// Register registers the collectors once.
//
//go:noinline
func Register() {
	registeredOnce.Do(func() {
		atomic.StoreInt64(&registered, 1)
		fmt.Println("registering")
	})
}
