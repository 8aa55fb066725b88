package retry

import (
	clock "time"
)

// Backoff resets one timer; the import has another name.
func Backoff(attempts int, try func() bool) bool {
	if attempts <= 0 {
		return false
	}
	delay := clock.Millisecond
	timer := clock.NewTimer(delay)
	defer timer.Stop()
	for i := 0; i < attempts; i++ {
		if try() {
			return true
		}
		<-timer.C
		delay *= 2
		timer.Reset(delay)
	}
	return false
}
