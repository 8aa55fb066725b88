package main

import "sync"

func work(int) {}

func run(n int) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {

			// the work itself
			work(i)
		})
	}
	wg.Wait()
}
