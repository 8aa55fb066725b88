package crawl

import "sync"

func visit(string) {}

// A Syncthing-style race: Add inside the goroutine it counts.
func Crawl(pages []string) {
	var wg sync.WaitGroup
	for _, p := range pages {
		go func() {
			wg.Add(1)
			defer wg.Done()
			visit(p)
		}()
	}
	wg.Wait()
}
