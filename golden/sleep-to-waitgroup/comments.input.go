package workers

import (
	"fmt"
	"time"
)

func Fetch(urls []string) {
	// Fetch every URL at once.
	for _, u := range urls {
		go func() {
			// One goroutine per URL.
			fmt.Println("fetch", u) // print only
		}() // started
	}
	// Give them time to finish.
	time.Sleep(2 * time.Second) // hopefully enough
	fmt.Println("done")
}
