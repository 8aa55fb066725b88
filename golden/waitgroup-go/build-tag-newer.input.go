// Built only by Go 1.25 or later: the //go:build line raises the file's
// language version above the module's go 1.22.

//go:build linux && go1.25

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
