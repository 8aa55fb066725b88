package setup

import (
	"fmt"
	"sync"
)

// initialised guards Setup.
var initialisedOnce sync.Once

// Setup runs its body for the first caller only.
func Setup() {
	initialisedOnce.Do(func() {
		// first caller only
		fmt.Println("setting up")
		/* nothing else */
	})
	fmt.Println("ready")
}
