package cleanup

import "fmt"

func flush(name string) { fmt.Println("flush", name) }

// Close flushes in the background on purpose: the caller waits elsewhere.
//
//gocodemod:ignore defer-go-explicit -- the flush is awaited by Shutdown
func Close(names []string) {
	for _, name := range names {
		if name != "" {
			defer func() {
				// Keep the background flush.
				go flush(name)
			}()
		}
	}
}

// Open is not covered by the directive above Close.
func Open(name string) {
	defer func() {
		go flush(name) // runs synchronously now
	}()
}
