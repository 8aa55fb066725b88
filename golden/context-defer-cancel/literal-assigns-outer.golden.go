package literal

import (
	"context"
	"time"
)

func use(ctx context.Context) error { return ctx.Err() }

// The literal assigns variables declared outside it: a defer in the literal
// would cancel ctx as soon as the literal returns, before use(ctx) runs.
func AssignsBoth(parent context.Context, quick bool) error {
	var ctx context.Context
	var cancel context.CancelFunc
	func() {
		ctx, cancel = context.WithTimeout(parent, time.Second) // set up once
	}()
	if quick {
		return nil
	}
	err := use(ctx)
	cancel()
	return err
}

// Only ctx is the outer one; cancel is the literal's own, and still a defer
// in the literal would cancel the outer ctx too early.
func AssignsContext(parent context.Context) error {
	var ctx context.Context
	func() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(parent)
		if parent == nil {
			return
		}
		cancel()
	}()
	return use(ctx)
}

// Both declared inside the literal: the literal owns them, the defer belongs there.
func OwnsBoth(parent context.Context) {
	func() {
		ctx, cancel := context.WithCancel(parent)
		defer cancel()
		if parent == nil {
			return
		}
		_ = use(ctx)
		cancel()
	}()
}
