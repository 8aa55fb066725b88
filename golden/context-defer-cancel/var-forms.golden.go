package varforms

import (
	"context"
	"time"
)

func use(ctx context.Context) error { return ctx.Err() }

func Named(parent context.Context, quick bool) error {
	var ctx, cancel = context.WithCancel(parent)
	defer cancel()
	if quick {
		return nil // ctx leaks here
	}
	err := use(ctx)
	cancel()
	return err
}

// The context is discarded, but it still hangs off parent until cancelled.
func BlankContext(parent context.Context, quick bool) error {
	var _, cancel = context.WithTimeout(parent, time.Second)
	defer cancel()
	if quick {
		return nil
	}
	cancel()
	return nil
}

func ShortBlankContext(parent context.Context, quick bool) error {
	_, cancel := context.WithCancel(parent)
	defer cancel()
	if quick {
		return nil
	}
	cancel()
	return nil
}

func BlankCancel(parent context.Context) error {
	var ctx, cancel = context.WithDeadline(parent, time.Now())
	defer cancel()
	return use(ctx)
}

func Cause(parent context.Context, quick bool) error {
	var ctx, cancel = context.WithCancelCause(parent)
	defer cancel(nil)
	if quick {
		return nil
	}
	cancel(nil)
	return use(ctx)
}
