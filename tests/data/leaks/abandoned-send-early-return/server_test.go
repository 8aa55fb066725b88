package server

import (
	"errors"
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

func TestBadConfigLeavesNothing(t *testing.T) {
	before := runtime.NumGoroutine()
	bad := errors.New("bad config")
	for i := 0; i < 5; i++ {
		err := Run(func() error { return nil }, func() error { return bad })
		if err != bad {
			t.Fatalf("Run = %v, want the config error", err)
		}
	}
	settled(t, before)
}

func TestGoodConfig(t *testing.T) {
	done := errors.New("served")
	if err := Run(func() error { return done }, func() error { return nil }); err != done {
		t.Fatalf("Run = %v", err)
	}
}
