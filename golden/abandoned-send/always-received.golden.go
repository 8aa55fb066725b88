package quiet

import (
	"context"
	"errors"
	"time"
)

// Already buffered.
func Buffered(ctx context.Context, f func() int) int {
	ch := make(chan int, 1)
	go func() { ch <- f() }()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// The receive is on every path.
func Plain(f func() (int, error)) (int, error) {
	type res struct {
		n   int
		err error
	}
	ch := make(chan res)
	go func() {
		n, err := f()
		ch <- res{n, err}
	}()
	r := <-ch
	return r.n, r.err
}

// Every goroutine's result is received before returning.
func All(jobs []func() error) error {
	errs := make(chan error)
	for _, job := range jobs {
		go func(job func() error) {
			errs <- job()
		}(job)
	}
	var first error
	for range jobs {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// An early return before the goroutine starts leaves nobody behind.
func Checked(ok bool, f func() int) (int, error) {
	ch := make(chan int)
	if !ok {
		return 0, errors.New("not ok")
	}
	go func() { ch <- f() }()
	return <-ch, nil
}

// The loop keeps selecting until the result comes.
func Patient(f func() string, tick *time.Ticker) string {
	done := make(chan string)
	go func() { done <- f() }()
	for {
		select {
		case s := <-done:
			return s
		case <-tick.C:
			println("waiting")
		}
	}
}

// The worker either reports an error or closes ok: the select takes one.
func Either(work func() error) error {
	errc := make(chan error)
	ok := make(chan struct{})
	go func() {
		if err := work(); err != nil {
			errc <- err
			return
		}
		close(ok)
	}()
	select {
	case err := <-errc:
		return err
	case <-ok:
		return nil
	}
}
