package several

import (
	"context"
	"time"
)

func call(ctx context.Context) error { return ctx.Err() }

// Two derived contexts in one function, one of them in a nested block.
func Twice(parent context.Context, retry bool) error {
	first, cancelFirst := context.WithTimeout(parent, time.Second)
	if err := call(first); err == nil {
		cancelFirst()
		return nil
	}
	if retry {
		second, cancelSecond := context.WithTimeout(parent, 2*time.Second)
		if err := call(second); err != nil {
			cancelSecond()
			return err
		}
	}
	return nil
}

// The closure owns its context: the defer goes into the closure.
func InClosure(parent context.Context, items []string) {
	for range items {
		func() {
			ctx, cancel := context.WithCancel(parent)
			if call(ctx) != nil {
				cancel()
			}
		}()
	}
}

// The inner cancel shadows the outer one, which is deferred already.
func Shadowed(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	{
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		if err := call(ctx); err != nil {
			cancel()
			return err
		}
	}
	return call(ctx)
}

// A goroutine that owns its context: the defer goes into the goroutine.
func InGoroutine(parent context.Context, done chan<- error) {
	go func() {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		if err := call(ctx); err != nil {
			cancel()
			done <- err
			return
		}
		done <- nil
	}()
}
