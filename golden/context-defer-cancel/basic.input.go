package basic

import (
	"context"
	"errors"
	"time"
)

func fetch(ctx context.Context, key string) (string, error) {
	if key == "" {
		return "", errors.New("empty key")
	}
	return key, ctx.Err()
}

// Lookup cancels only when the fetch fails: the timer leaks otherwise.
func Lookup(parent context.Context, key string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	value, err := fetch(ctx, key)
	if err != nil {
		cancel()
		return "", err
	}
	return value, nil
}

func Deadline(parent context.Context, at time.Time) error {
	ctx, cancel := context.WithDeadline(parent, at)
	if _, err := fetch(ctx, "a"); err != nil {
		cancel()
		return err
	}
	return nil
}

func Plain(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	if _, err := fetch(ctx, ""); err != nil {
		cancel()
	}
}

// A return before the cancel at the end leaves it out on one path.
func EarlyReturn(parent context.Context, key string) error {
	ctx, cancel := context.WithCancel(parent)
	if key == "" {
		return nil
	}
	_, err := fetch(ctx, key)
	cancel()
	return err
}
