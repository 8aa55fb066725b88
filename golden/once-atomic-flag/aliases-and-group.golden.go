package aliases

import (
	"fmt"
	gosync "sync"
)

var (
	mu    gosync.Mutex
	count int

	loadedOnce gosync.Once
)

func Load() {
	mu.Lock()
	count++
	mu.Unlock()
	loadedOnce.Do(func() {
		fmt.Println("loading", count)
	})
}
