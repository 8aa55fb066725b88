package fetch

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// settled fails the test when goroutines started since before are still there
// once the work is over: blocked for ever, they never leave.
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

func TestCancelledFetchLeavesNothing(t *testing.T) {
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	release := make(chan struct{})
	for i := 0; i < 5; i++ {
		if _, err := Fetch(ctx, func() int { <-release; return 1 }); err == nil {
			t.Fatal("Fetch with a cancelled context succeeded")
		}
	}
	close(release) // the work finishes after Fetch gave up
	settled(t, before)
}

func TestFetch(t *testing.T) {
	if v, err := Fetch(context.Background(), func() int { return 7 }); v != 7 || err != nil {
		t.Fatalf("Fetch = %d, %v", v, err)
	}
}
