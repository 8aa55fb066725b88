package gate

import "sync"

func Await(ready func() bool) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	mu.Lock()
	for !ready() {
		c.Wait()
	}
	mu.Unlock()
}
