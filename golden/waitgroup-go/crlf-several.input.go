package work

import "sync"

// Both goroutines run in parallel.
func pair(a, b func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		a()
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		b()
	}()
	wg.Wait()
}
