package workers

import (
	"fmt"
	"sync"
)

func Fetch(urls []string) {
	// Fetch every URL at once.
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// One goroutine per URL.
			fmt.Println("fetch", u) // print only
		}() // started
	}
	// Give them time to finish.
	wg.Wait() // hopefully enough
	fmt.Println("done")
}
