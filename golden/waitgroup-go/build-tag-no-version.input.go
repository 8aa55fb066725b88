// A constraint that implies no Go version (!go1.22 or a plain tag) leaves
// the module's version in force.

//go:build linux || !go1.22

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
