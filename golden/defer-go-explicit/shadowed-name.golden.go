package cleanup

import "log"

// Worker here is a local function, not the package-level Worker below: the
// goroutine does not restart anything, so it is made synchronous.
func Shadow() {
	Worker := func() { log.Print("local") }
	defer func() {
		Worker()
	}()
}

func Worker() {
	defer func() {
		Shadow := func() {}
		Shadow()
	}()
}
