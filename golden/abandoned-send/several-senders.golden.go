package mirror

import (
	"context"
	"errors"
	"time"
)

type result struct {
	body []byte
	err  error
}

// Hedged asks three mirrors and takes the first answer; the two others
// have nobody to answer to.
func Hedged(ctx context.Context, get func(context.Context, string) ([]byte, error)) ([]byte, error) {
	answers := make(chan result, 3)
	go func() {
		body, err := get(ctx, "a")
		answers <- result{body, err}
	}()
	go func() {
		body, err := get(ctx, "b")
		answers <- result{body, err}
	}()
	go func() {
		body, err := get(ctx, "c")
		answers <- result{body, err} // the third mirror
	}()
	select {
	case r := <-answers:
		return r.body, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Each goroutine sends on one of two paths, never both: one send each.
func Either(load, check func() error) error {
	errs := make(chan error, 2)
	go func() {
		if err := load(); err != nil {
			errs <- err
			return
		}
		errs <- nil
	}()
	go func() {
		if err := check(); err != nil {
			errs <- err
		} else {
			errs <- nil
		}
	}()
	if err := <-errs; err != nil {
		return err
	}
	return <-errs
}

// One goroutine signals from a deferred call, the other at its end.
func Deadline(a, b func(), d time.Duration) bool {
	done := make(chan struct{}, 2)
	go func() {
		defer func() { done <- struct{}{} }()
		a()
	}()
	go func() {
		b()
		done <- struct{}{}
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	for i := 0; i < 2; i++ {
		select {
		case <-done:
		case <-timer.C:
			return false
		}
	}
	return true
}

// The second goroutine sends twice on the error path (no return after the
// first send): reported, not fixed.
func Twice(a, b func() error, d time.Duration) error {
	errs := make(chan error)
	go func() { errs <- a() }()
	go func() {
		if err := b(); err != nil {
			errs <- err
		}
		errs <- errors.New("b done")
	}()
	select {
	case err := <-errs:
		return err
	case <-time.After(d):
		return errors.New("timeout")
	}
}

// One goroutine before the loop, more in it: no constant buffer fits.
func Mixed(ctx context.Context, first func() error, rest []func() error) error {
	errs := make(chan error)
	go func() { errs <- first() }()
	for _, f := range rest {
		go func() { errs <- f() }()
	}
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Each goroutine sends only when it fails, and one failure is expected:
// the count is a bound and the receiver takes what comes. Quiet.
func FirstFailure(a, b func() error) error {
	errs := make(chan error)
	go func() {
		if err := a(); err != nil {
			errs <- err
		}
	}()
	go func() {
		if err := b(); err != nil {
			errs <- err
		}
	}()
	return <-errs
}
