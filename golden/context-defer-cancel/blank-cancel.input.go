package blank

import (
	"context"
	"time"
)

func use(ctx context.Context) error { return ctx.Err() }

func Discarded(parent context.Context) error {
	ctx, _ := context.WithTimeout(parent, 2*time.Second)
	return use(ctx)
}

func DiscardedCause(parent context.Context) error {
	ctx, _ := context.WithCancelCause(parent)
	return use(ctx)
}

// The name cancel is taken in this function: the new one gets another.
func Taken(parent context.Context, cancel func()) error {
	defer cancel()
	ctx, _ := context.WithDeadline(parent, time.Now())
	return use(ctx)
}
