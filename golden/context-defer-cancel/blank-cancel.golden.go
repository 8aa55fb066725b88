package blank

import (
	"context"
	"time"
)

func use(ctx context.Context) error { return ctx.Err() }

func Discarded(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, 2*time.Second)
	defer cancel()
	return use(ctx)
}

func DiscardedCause(parent context.Context) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	return use(ctx)
}

// The name cancel is taken in this function: the new one gets another.
func Taken(parent context.Context, cancel func()) error {
	defer cancel()
	ctx, cancel2 := context.WithDeadline(parent, time.Now())
	defer cancel2()
	return use(ctx)
}
