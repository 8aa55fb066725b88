package cause

import (
	stdctx "context"
	"errors"
	"time"
)

var errSlow = errors.New("slow")

func step(ctx stdctx.Context) error { return ctx.Err() }

// An aliased import of context is still context.
func WithCause(parent stdctx.Context) error {
	ctx, cancel := stdctx.WithCancelCause(parent)
	defer cancel(nil)
	if err := step(ctx); err != nil {
		cancel(err)
		return err
	}
	return nil
}

func TimeoutCause(parent stdctx.Context) error {
	ctx, stop := stdctx.WithTimeoutCause(parent, time.Second, errSlow)
	defer stop()
	if err := step(ctx); err != nil {
		stop()
		return err
	}
	return nil
}

func DeadlineCause(parent stdctx.Context, at time.Time) error {
	ctx, stop := stdctx.WithDeadlineCause(parent, at, errSlow)
	defer stop()
	if err := step(ctx); err != nil {
		stop()
		return err
	}
	return nil
}
