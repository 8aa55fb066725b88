// A file that must still build with Go 1.21: its //go:build line sets its
// language version (Go's rule since 1.21), whatever go.mod says, so
// sync.WaitGroup.Go (Go 1.25) is not available here.

//go:build go1.21

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
