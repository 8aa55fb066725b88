package quiet

import (
	"context"
	"time"
)

type Job struct{ done chan error }

// The channel is handed to a worker: who receives is not known here.
func Start(ctx context.Context, work func(chan<- error)) error {
	errc := make(chan error)
	go work(errc)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Returned to the caller.
func Async(f func() int) <-chan int {
	ch := make(chan int)
	go func() { ch <- f() }()
	return ch
}

// Stored in a struct.
func (j *Job) Run(f func() error) {
	done := make(chan error)
	j.done = done
	go func() { done <- f() }()
}

// Closed by the sender and ranged over by the receiver.
func Stream(items []int, d time.Duration) int {
	out := make(chan int)
	go func() {
		defer close(out)
		for _, it := range items {
			out <- it
		}
	}()
	sum := 0
	for v := range out {
		sum += v
	}
	return sum
}

// The sender gives up too: its send is a select case.
func Polite(ctx context.Context, f func() int) int {
	ch := make(chan int)
	go func() {
		select {
		case ch <- f():
		case <-ctx.Done():
		}
	}()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// A receive from a closure: the receiver is elsewhere.
func Later(f func() int, register func(func() int)) {
	ch := make(chan int)
	go func() { ch <- f() }()
	register(func() int { return <-ch })
}
