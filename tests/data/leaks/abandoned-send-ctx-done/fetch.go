// Package fetch runs a slow call and gives up when the context is done.
package fetch

import "context"

// Fetch returns work's result, or ctx's error when ctx is done first.
func Fetch(ctx context.Context, work func() int) (int, error) {
	result := make(chan int)
	go func() {
		result <- work()
	}()
	select {
	case v := <-result:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}
