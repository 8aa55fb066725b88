package wait

import (
	"testing"
	"time"
)

// The timer fires before the function goes on: nothing to stop.
func Sleepy(t *testing.T, d time.Duration) {
	start := time.Now()
	tm := time.NewTimer(d)
	<-tm.C
	if got := time.Since(start); got < d {
		t.Errorf("woke after %v", got)
	}
}

func Twice(d time.Duration) time.Time {
	tm := time.NewTimer(d)
	time.Sleep(d)
	if got := <-tm.C; got.IsZero() {
		return got
	}
	tm.Reset(d)
	return <-tm.C
}
