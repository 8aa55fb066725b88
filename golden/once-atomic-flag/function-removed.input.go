package setup

import (
	"fmt"
	"sync/atomic"
)

// initialised guards Setup.
var initialised int32

// Setup runs its body for the first caller only.
func Setup() {
	if atomic.CompareAndSwapInt32(&initialised, 0, 1) {
		// first caller only
		fmt.Println("setting up")
		/* nothing else */
	}
	fmt.Println("ready")
}
