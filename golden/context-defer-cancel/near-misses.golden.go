package nearmiss

import (
	"context"
	"time"
)

type tracker struct{}

func (tracker) WithCancel(ctx context.Context) (context.Context, func()) { return ctx, func() {} }

func check(ctx context.Context) error { return ctx.Err() }

// Not the context package: a method of the same name.
func Method(t tracker, parent context.Context) {
	ctx, cancel := t.WithCancel(parent)
	if check(ctx) != nil {
		cancel()
	}
}

// A local variable named context shadows the package.
func Shadowed(parent context.Context) {
	context := tracker{}
	ctx, cancel := context.WithCancel(parent)
	if check(ctx) != nil {
		cancel()
	}
}

// WithValue returns no cancel function.
func Value(parent context.Context) error {
	ctx := context.WithValue(parent, tracker{}, 1)
	return check(ctx)
}

// In an if header the scope ends with the if: nothing to insert there.
func Header(parent context.Context) error {
	if ctx, cancel := context.WithTimeout(parent, time.Second); check(ctx) != nil {
		cancel()
		return ctx.Err()
	}
	return nil
}

// Cancelled on every path already: the block cancels before anything leaves it.
func AlreadyCancelled(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	cancel()
	return check(ctx)
}

func CancelledAtEnd(parent context.Context, n int) int {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	total := 0
	for i := 0; i < n; i++ {
		if check(ctx) == nil {
			total++
		}
	}
	cancel()
	return total
}
