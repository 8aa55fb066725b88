package main

import "sync"

func work(int) {}

func empty() {
	var wg sync.WaitGroup
	wg.Go(func() {})
	wg.Wait()
}

func loop(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Go(func() {
			work(i)
		})
	}
	wg.Wait()
}

func emptyOnLines() {
	var wg sync.WaitGroup
	wg.Go(func() {
	})
	wg.Wait()
}
