package loops

import (
	"context"
	"time"
)

var (
	rootCtx    context.Context
	rootCancel context.CancelFunc
)

func try(ctx context.Context) error { return ctx.Err() }

// In a loop body a deferred cancel would wait for the function to return.
func Retry(parent context.Context, attempts int) error {
	for i := 0; i < attempts; i++ {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		if err := try(ctx); err == nil {
			cancel()
			return nil
		}
	}
	return nil
}

func Each(parent context.Context, names []string) {
	for range names {
		ctx, _ := context.WithTimeout(parent, time.Second)
		_ = try(ctx)
	}
}

// Package-level variables belong to no single function.
func Init(parent context.Context) {
	rootCtx, rootCancel = context.WithCancel(parent)
	if try(rootCtx) != nil {
		rootCancel()
	}
}

// Named results are returned to the caller.
func Named(parent context.Context) (ctx context.Context, cancel context.CancelFunc) {
	ctx, cancel = context.WithCancel(parent)
	if try(ctx) != nil {
		cancel()
	}
	return
}
