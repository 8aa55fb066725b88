package work

import "sync"

func both(a, b func()) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		a()
	}()
	go func() {
		defer wg.Done()
		b()
	}()
	wg.Wait()
}

func many(fs []func()) {
	var wg sync.WaitGroup
	wg.Add(len(fs))
	go func() {
		defer wg.Done()
		fs[0]()
	}()
	wg.Wait()
}
