package work

import "sync"

func processAll(items []string) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Go(func() {
			process(item)
		})
	}
	wg.Wait()
}

func process(string) {}
