package probe

import "time"

// Go 1.23 recovers an unreferenced ticker.
func Wait(ready func() bool) {
	for range time.Tick(time.Millisecond) {
		if ready() {
			return
		}
	}
}
