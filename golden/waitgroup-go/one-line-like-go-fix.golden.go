package relay

import "sync"

// Relay starts goroutines whose bodies are written on one line: go fix keeps
// them on one line, and so does the recipe.
func Relay(in <-chan int, out chan<- int, quit chan struct{}) {
	var wg sync.WaitGroup
	wg.Go(func() { <-quit })
	wg.Go(func() { out <- <-in; close(out) }) // forwards one value
	wg.Go(func() { v := <-in; out <- v })
	wg.Go(func() {
		v := <-in
		out <- v
	})
	wg.Wait()
}
