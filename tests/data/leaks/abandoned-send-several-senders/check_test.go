package check

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

func TestFirstErrorLeavesNothing(t *testing.T) {
	before := runtime.NumGoroutine()
	bad := errors.New("bad syntax")
	for i := 0; i < 5; i++ {
		slow := func() error { time.Sleep(5 * time.Millisecond); return nil }
		if err := Validate(func() error { return bad }, slow); err != bad {
			t.Fatalf("got %v, want the syntax error", err)
		}
	}
	settled(t, before)
}

func TestBothPass(t *testing.T) {
	before := runtime.NumGoroutine()
	if err := Validate(func() error { return nil }, func() error { return nil }); err != nil {
		t.Fatal(err)
	}
	settled(t, before)
}
