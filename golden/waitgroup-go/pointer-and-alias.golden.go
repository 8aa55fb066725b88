package pool

import gosync "sync"

func spawn(wg *gosync.WaitGroup, jobs []func()) {
	for _, job := range jobs {
		wg.Go(func() {
			job()
		})
	}
}

func spawnLocal(job func()) {
	var wg gosync.WaitGroup
	(&wg).Go(func() {
		job()
	})
	wg.Wait()
}
