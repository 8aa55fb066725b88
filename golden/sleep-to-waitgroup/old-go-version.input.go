package workers

import (
	"fmt"
	"time"
)

// The module says go 1.21: loop variables are shared between iterations
// there, so the recipe (which relies on Go 1.22 semantics) does not apply.
func Run(n int) {
	for i := 0; i < n; i++ {
		go fmt.Println("worker", i)
	}
	time.Sleep(time.Second)
}
