package work

import "sync"

// Both goroutines run in parallel.
func pair(a, b func()) {
	var wg sync.WaitGroup
	wg.Go(func() {
		a()
	})
	wg.Go(func() {
		b()
	})
	wg.Wait()
}
