package p

import "context"

// `var cancel context.CancelFunc` would sit between the goto and its label.
func fetch(parent context.Context) (err error) {
	var ctx context.Context
	if parent == nil {
		goto out
	}
	ctx, _ = context.WithCancel(parent)
	err = ctx.Err()
out:
	return
}

// A goto that cannot jump over it does not matter for `:=`.
func declared(parent context.Context) error {
	ctx, _ := context.WithCancel(parent)
	if ctx == nil {
		goto out
	}
	return ctx.Err()
out:
	return nil
}
