package stress

import "sync"

func hold(n int, stop chan struct{}, ready *sync.WaitGroup) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		ready.Add(1)
		wg.Add(1)
		go func() { ready.Done(); <-stop; wg.Done() }()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		count := 0
	loop:
		for {
			select {
			case <-stop:
				break loop
			default:
				count++
			}
		}
		_ = count
	}()
	wg.Wait()
}
