package assign

import (
	"context"
	"time"
)

func poll(ctx context.Context) error { return ctx.Err() }

// Assignment to local variables declared earlier.
func Assigned(parent context.Context, long bool) error {
	var ctx context.Context
	var cancel context.CancelFunc
	if long {
		ctx, cancel = context.WithTimeout(parent, time.Minute)
	} else {
		ctx, cancel = context.WithTimeout(parent, time.Second)
	}
	if err := poll(ctx); err != nil {
		cancel()
		return err
	}
	return nil
}

// A discarded cancel in an assignment: declaring it with := could shadow ctx.
func Reassigned(ctx context.Context) error {
	if ctx.Err() == nil {
		ctx, _ = context.WithTimeout(ctx, time.Second)
	}
	return poll(ctx)
}
