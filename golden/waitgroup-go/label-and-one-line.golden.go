package stress

import "sync"

func hold(n int, stop chan struct{}, ready *sync.WaitGroup) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		ready.Add(1)
		wg.Go(func() { ready.Done(); <-stop })
	}
	wg.Go(func() {
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
	})
	wg.Wait()
}
