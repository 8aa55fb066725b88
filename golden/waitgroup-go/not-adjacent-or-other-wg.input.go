package work

import "sync"

func gap(wg *sync.WaitGroup, f func()) {
	wg.Add(1)
	f()
	go func() {
		defer wg.Done()
		f()
	}()
}

func twoGroups(a, b *sync.WaitGroup, f func()) {
	a.Add(1)
	go func() {
		defer b.Done()
		f()
	}()
}

func named(wg *sync.WaitGroup) {
	wg.Add(1)
	go worker(wg)
}

func worker(wg *sync.WaitGroup) { wg.Done() }
