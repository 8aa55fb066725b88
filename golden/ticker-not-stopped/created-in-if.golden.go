package watch

import "time"

// A ticker made in a branch still lives until the function returns.
func Watch(changes <-chan string, every time.Duration, verbose bool) {
	if verbose {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case c, ok := <-changes:
				if !ok {
					return
				}
				println(c)
			case <-tick.C:
				println("still watching")
			}
		}
	}
	for c := range changes {
		println(c)
	}
}
