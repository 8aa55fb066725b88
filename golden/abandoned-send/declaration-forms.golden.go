package forms

import (
	"context"
	"time"
)

type reply struct {
	n   int
	err error
}

// var with the make call: the same leak as :=.
func Var(ctx context.Context, ask func() (int, error)) (int, error) {
	var replies = make(chan reply, 1)
	go func() {
		n, err := ask()
		replies <- reply{n, err}
	}()
	select {
	case r := <-replies:
		return r.n, r.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// var with the channel type written out.
func Typed(d time.Duration, f func() bool) bool {
	var done chan bool = make(chan bool, 1) // answered by f
	go func() { done <- f() }()
	select {
	case ok := <-done:
		return ok
	case <-time.After(d):
		return false
	}
}

// Two names in one var: not followed.
func Pair(ctx context.Context, f func() int) int {
	var a, b = make(chan int), make(chan int)
	go func() { a <- f() }()
	go func() { b <- f() }()
	select {
	case v := <-a:
		return v
	case v := <-b:
		return v
	case <-ctx.Done():
		return 0
	}
}

// Declared without make, assigned later: not followed.
func Later(ctx context.Context, f func() int) int {
	var ch chan int
	ch = make(chan int)
	go func() { ch <- f() }()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}
