package main

import "sync"

func work(int) {}

func run(n int) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()

			// the work itself
			work(i)
		}()
	}
	wg.Wait()
}
