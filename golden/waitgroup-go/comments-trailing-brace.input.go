package main

import "sync"

func work() {}

func run() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // why
		work()
		wg.Done()
	}()
	wg.Add(1)
	go func() { // and here
		// first
		defer wg.Done()
		work()
	}()
	wg.Wait()
}
