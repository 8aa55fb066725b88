package cache

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

func TestTimedOutLoadsLeaveNothing(t *testing.T) {
	before := runtime.NumGoroutine()
	release := make(chan struct{})
	c := &Cache{load: func(key string) (string, error) { <-release; return key, nil }}
	for i := 0; i < 5; i++ {
		if _, err := c.Get("k", time.Millisecond); err == nil {
			t.Fatal("a blocked load finished in time")
		}
	}
	close(release) // the loads end after Get gave up
	settled(t, before)
}

func TestFastLoad(t *testing.T) {
	c := &Cache{load: func(key string) (string, error) { return key + "!", nil }}
	if v, err := c.Get("k", time.Minute); err != nil || v != "k!" {
		t.Fatalf("got %q, %v", v, err)
	}
}
