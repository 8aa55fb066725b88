package guard

import (
	"runtime"
	"testing"
	"time"
)

func settled(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine() - before; n > 0 {
		t.Fatalf("%d goroutines leaked", n)
	}
}

func TestSlowWorkLeavesNothing(t *testing.T) {
	before := runtime.NumGoroutine()
	release := make(chan struct{})
	for i := 0; i < 5; i++ {
		if Within(func() { <-release }, time.Millisecond) {
			t.Fatal("blocked work finished in time")
		}
	}
	close(release) // the work ends after Within gave up
	settled(t, before)
}

func TestFastWork(t *testing.T) {
	if !Within(func() {}, time.Minute) {
		t.Fatal("instant work timed out")
	}
}
