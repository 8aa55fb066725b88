package work

import "sync"

func processAll(items []string) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func(it string) {
			defer wg.Done()
			process(it)
		}(item)
	}
	wg.Add(1)
	go func() int {
		defer wg.Done()
		return 0
	}()
	wg.Wait()
}

func process(string) {}
