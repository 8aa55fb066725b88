package queue

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

func TestSendersFinish(t *testing.T) {
	before := runtime.NumGoroutine()
	q := New(2)
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q.Send("m")
		}()
	}
	finished := make(chan struct{})
	go func() {
		wg.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-time.After(2 * time.Second):
		t.Fatal("senders blocked: Send left the mutex locked when it dropped a message")
	}
	if got := len(q.Drain()); got != 2 {
		t.Fatalf("drained %d messages, want 2", got)
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines left running", n-before)
	}
}

func TestNormalPath(t *testing.T) {
	q := New(10)
	q.Send("a")
	q.Send("b")
	if got := q.Drain(); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Fatalf("Drain() = %q", got)
	}
}
