package jumps

import (
	"fmt"
	"os"
	"sync/atomic"
	"time"
)

var a, b, c, d, e int32

// A return inside the body would return from the once function instead.
func Returns() int {
	if atomic.CompareAndSwapInt32(&a, 0, 1) {
		return 1
	}
	return 0
}

// A defer inside the body would run when the once function returns.
func Defers() {
	if atomic.CompareAndSwapInt32(&b, 0, 1) {
		t := time.AfterFunc(time.Minute, func() { fmt.Println("slow") })
		defer t.Stop()
	}
	fmt.Println("work")
}

// break and continue that leave the body cannot cross a function literal.
func Breaks(items []int) {
	for range items {
		if atomic.CompareAndSwapInt32(&c, 0, 1) {
			break
		}
	}
	for range items {
		if atomic.CompareAndSwapInt32(&d, 0, 1) {
			fmt.Println("first")
			continue
		}
	}
}

func Goto() {
	if atomic.CompareAndSwapInt32(&e, 0, 1) {
		goto done
	}
	fmt.Fprintln(os.Stderr, "not first")
done:
}
