package relay

import "sync"

// Relay starts goroutines whose bodies are written on one line: go fix keeps
// them on one line, and so does the recipe.
func Relay(in <-chan int, out chan<- int, quit chan struct{}) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); <-quit }()
	wg.Add(1)
	go func() { defer wg.Done(); out <- <-in; close(out) }() // forwards one value
	wg.Add(1)
	go func() { v := <-in; out <- v; wg.Done() }()
	wg.Add(1)
	go func() {
		v := <-in; out <- v
		wg.Done()
	}()
	wg.Wait()
}
