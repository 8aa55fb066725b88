// Package guard runs work with a deadline.
package guard

import "time"

// Within reports whether work finished within d. The goroutine signals from a
// deferred call, even when work panics; a late signal has nobody to take it.
func Within(work func(), d time.Duration) bool {
	finished := make(chan struct{})
	go func() {
		defer func() {
			recover()
			finished <- struct{}{}
		}()
		work()
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-finished:
		return true
	case <-timer.C:
		return false
	}
}
