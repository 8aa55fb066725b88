package jobs

import "sync"

func runAll(jobs []func(int)) {
	var wg sync.WaitGroup
	for i, job := range jobs {
		// Copies for the goroutine below.
		// Start it.
		wg.Add(1)
		go func() {
			defer wg.Done()
			job(i)
		}()
	}
	wg.Wait()
}

func runEach(jobs map[string]func()) {
	for name, job := range jobs {
		go func() {
			println(name)
			job()
		}()
	}
}
