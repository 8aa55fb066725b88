package crawl

import "sync"

func visit(string) {}

// Add before the go statement.
func Good(pages []string) {
	var wg sync.WaitGroup
	for _, p := range pages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			visit(p)
		}()
	}
	wg.Wait()
}

// A counted goroutine adds for the goroutines it starts: legal.
func Nested(pages []string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, p := range pages {
			wg.Add(1)
			go func() {
				defer wg.Done()
				visit(p)
			}()
		}
	}()
	wg.Wait()
}

// Nobody waits in this function.
func Detached(wg *sync.WaitGroup) {
	go func() {
		wg.Add(1)
		defer wg.Done()
	}()
}
