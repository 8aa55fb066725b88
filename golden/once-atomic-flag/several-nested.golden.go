package several

import (
	"fmt"
	"sync"
	"sync/atomic"
)

var loggedOnce sync.Once
var warned atomic.Uint32
var warnedOnce sync.Once
var printed atomic.Int64
var printedOnce sync.Once

// Several hand-rolled onces in one function, one nested in a loop and an if.
func Report(items []string) {
	loggedOnce.Do(func() {
		fmt.Println("first report")
	})
	for _, item := range items {
		if item == "" {
			warnedOnce.Do(func() {
				warned.Store(1)
				fmt.Println("empty item")
				for i := 0; i < 3; i++ {
					if i == 1 {
						break
					}
				}
			})
			continue
		}
		printedOnce.Do(func() {
			printed.Store(1)
			fmt.Println(item)
		})
	}
	fmt.Println(warned.Load(), printed.Load())
}
