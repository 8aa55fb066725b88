package probe

import (
	"context"
	"errors"
	"time"
)

// WaitHealthy returns once healthy: every call leaves a ticker running.
func WaitHealthy(ctx context.Context, healthy func() bool) error {
	tick := time.Tick(100 * time.Millisecond)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick:
			if healthy() {
				return nil
			}
		}
	}
}

// A range over the ticks that breaks out.
func Retry(attempts int, try func() error) error {
	n := 0
	for range time.Tick(time.Second) {
		if try() == nil {
			break
		}
		n++
		if n == attempts {
			return errors.New("gave up")
		}
	}
	return nil
}

// A goroutine that stops when asked.
func Heartbeat(stop <-chan struct{}, beat func()) {
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.Tick(time.Second):
				beat()
			}
		}
	}()
}
