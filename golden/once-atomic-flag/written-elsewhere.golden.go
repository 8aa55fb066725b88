package reset

import (
	"fmt"
	"sync/atomic"
)

var armed int32

var shared atomic.Bool

var bumped uint32

// Arm runs again after Disarm: a sync.Once cannot be reset.
func Arm() {
	if atomic.CompareAndSwapInt32(&armed, 0, 1) {
		fmt.Println("armed")
	}
}

func Disarm() { atomic.StoreInt32(&armed, 0) }

// Two blocks share one flag: only one of them ever runs.
func First() {
	if shared.CompareAndSwap(false, true) {
		fmt.Println("first")
	}
}

func Second() {
	if shared.CompareAndSwap(false, true) {
		fmt.Println("second")
	}
}

// The flag is written in another file of the package.
func Bump() {
	if atomic.CompareAndSwapUint32(&bumped, 0, 1) {
		fmt.Println("bumped")
	}
}
