package work

import "sync"

func processAll(items []string) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			process(item)
		}()
	}
	wg.Wait()
}

func process(string) {}
