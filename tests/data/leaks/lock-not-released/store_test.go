package store

import (
	"runtime"
	"testing"
	"time"
)

// within runs f in a goroutine and fails the test when it has not returned after a while:
// a call blocked on a mutex some path left locked never returns.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatalf("%s blocked: a mutex was left locked", what)
	}
}

func TestErrorPathsRelease(t *testing.T) {
	before := runtime.NumGoroutine()
	s := New()
	if _, err := s.Get("missing"); err != ErrNotFound {
		t.Fatalf("Get(missing) = %v, want ErrNotFound", err)
	}
	within(t, "Put after a failed Get", func() {
		if err := s.Put("a", 1); err != nil {
			t.Errorf("Put: %v", err)
		}
	})
	if err := s.Put("b", -1); err == nil {
		t.Fatal("Put(-1) succeeded")
	}
	within(t, "Get after a failed Put", func() {
		if v, err := s.Get("a"); err != nil || v != 1 {
			t.Errorf("Get(a) = %d, %v", v, err)
		}
	})
	// nothing left blocked behind the mutex
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines left running", n-before)
	}
}
