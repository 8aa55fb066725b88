package quiet

import (
	"sync/atomic"
	"testing"
)

// Two goroutines, each may fail: one error is expected and received. The
// count of sends is only a bound here, so nothing is said.
func Pair(t *testing.T, a, b func() error) {
	errCh := make(chan error)
	go func() {
		if err := a(); err != nil {
			errCh <- err
			return
		}
	}()
	go func() {
		if err := b(); err != nil {
			errCh <- err
		}
	}()
	err := <-errCh
	if err == nil {
		t.Fatal("expected an error")
		return
	}
}

// A fixed number of goroutines, received as many times.
func Twice() {
	done := make(chan bool)
	for i := 0; i < 2; i++ {
		go func() {
			done <- true
		}()
	}
	<-done
	<-done
}

// Only the last goroutine to arrive sends.
func Last(p int) {
	done := make(chan bool)
	var x uint32
	for i := 0; i < p; i++ {
		go func() {
			if atomic.AddUint32(&x, 1) == uint32(p) {
				done <- true
			}
		}()
	}
	<-done
}

// The loop counts the workers down: it returns after the last one.
func Workers(jobs []func() error) error {
	errC := make(chan error)
	for _, job := range jobs {
		go func() {
			errC <- job()
		}()
	}
	active := len(jobs)
	var first error
	for {
		err := <-errC
		if first == nil {
			first = err
		}
		active--
		if active == 0 {
			return first
		}
	}
}
