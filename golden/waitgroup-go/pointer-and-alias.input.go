package pool

import gosync "sync"

func spawn(wg *gosync.WaitGroup, jobs []func()) {
	for _, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			job()
		}()
	}
}

func spawnLocal(job func()) {
	var wg gosync.WaitGroup
	(&wg).Add(1)
	go func() {
		defer (&wg).Done()
		job()
	}()
	wg.Wait()
}
