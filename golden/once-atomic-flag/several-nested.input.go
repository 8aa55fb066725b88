package several

import (
	"fmt"
	"sync/atomic"
)

var logged int32
var warned atomic.Uint32
var printed atomic.Int64

// Several hand-rolled onces in one function, one nested in a loop and an if.
func Report(items []string) {
	if atomic.CompareAndSwapInt32(&logged, 0, 1) {
		fmt.Println("first report")
	}
	for _, item := range items {
		if item == "" {
			if warned.CompareAndSwap(0, 1) {
				fmt.Println("empty item")
				for i := 0; i < 3; i++ {
					if i == 1 {
						break
					}
				}
			}
			continue
		}
		if printed.CompareAndSwap(0, 1) {
			fmt.Println(item)
		}
	}
	fmt.Println(warned.Load(), printed.Load())
}
