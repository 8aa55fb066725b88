package batch

import "sync"

func work(int) {}

// Wait after the loop.
func After(n int) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			defer wg.Done()
			work(i)
		}()
	}
	wg.Wait()
}

// A batch per iteration: Add inside the loop, Wait for that batch.
func Batches(batches [][]int) {
	for _, b := range batches {
		var wg sync.WaitGroup
		for _, x := range b {
			wg.Add(1)
			go func() {
				defer wg.Done()
				work(x)
			}()
		}
		wg.Wait()
	}
}

// Serial on request: Add(1) per iteration, Wait only when asked.
func Maybe(xs []int, sequential bool) {
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(x)
		}()
		if sequential {
			wg.Wait()
		}
	}
	wg.Wait()
}
