package escapes

import (
	"context"
	"testing"
	"time"
)

type worker struct {
	stop context.CancelFunc
}

func run(ctx context.Context) error { return ctx.Err() }

func Cleanup(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	_ = run(ctx)
}

func Stored(w *worker, parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	w.stop = cancel
	return run(ctx)
}

func Returned(parent context.Context) (func(), error) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	if err := run(ctx); err != nil {
		cancel()
		return nil, err
	}
	return cancel, nil
}

func Sent(parent context.Context, stops chan<- context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	stops <- cancel
	_ = run(ctx)
}

func Captured(parent context.Context) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	time.AfterFunc(time.Minute, func() { cancel() })
	_ = run(ctx)
}

// Already deferred, directly or inside a deferred closure: nothing to do.
func Deferred(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	return run(ctx)
}

func DeferredClosure(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer func() {
		cancel()
	}()
	return run(ctx)
}
