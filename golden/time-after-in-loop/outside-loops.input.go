package timeouts

import "time"

// Once, not in a loop.
func Wait(done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	case <-time.After(time.Second):
		return false
	}
}

// One timer for the whole loop.
func Collect(in <-chan int) []int {
	var got []int
	deadline := time.After(time.Second)
	for {
		select {
		case v := <-in:
			got = append(got, v)
		case <-deadline:
			return got
		}
	}
}

// One timer, reset per iteration.
func Idle(in <-chan int, d time.Duration) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		select {
		case <-in:
			timer.Reset(d)
		case <-timer.C:
			return
		}
	}
}

// A loop that starts goroutines: each one waits once.
func Spawn(n int, f func()) {
	for i := 0; i < n; i++ {
		go func() {
			select {
			case <-time.After(time.Duration(i) * time.Millisecond):
				f()
			}
		}()
	}
}
