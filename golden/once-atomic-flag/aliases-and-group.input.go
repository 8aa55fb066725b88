package aliases

import (
	"fmt"
	gosync "sync"
	satomic "sync/atomic"
)

var (
	mu    gosync.Mutex
	count int

	loaded uint64
)

func Load() {
	mu.Lock()
	count++
	mu.Unlock()
	if satomic.CompareAndSwapUint64(&loaded, 0, 1) {
		fmt.Println("loading", count)
	}
}
