package main

import "sync"

func work() {}

func run() {
	var wg sync.WaitGroup
	wg.Go(func() { // why
		work()
	})
	wg.Go(func() { // and here
		// first
		work()
	})
	wg.Wait()
}
