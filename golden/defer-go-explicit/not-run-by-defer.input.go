package cleanup

import (
	"fmt"
	"sync"
)

func work(id int) { fmt.Println("work", id) }

func cleanup() { go work(0) }

// The goroutines here are not started by a deferred function call.
func NotDeferred(wg *sync.WaitGroup, register func(func())) {
	defer wg.Wait()
	defer cleanup()
	go work(1)
	register(func() {
		go work(2)
	})
	defer func() {
		// Created but not called by the deferred function.
		later := func() { go work(3) }
		register(later)
		register(func() { go work(4) })
	}()
	stored := func() { go work(5) }
	defer stored()
}
