package crlf

import (
	"context"
	"time"
)

func ping(ctx context.Context) error { return ctx.Err() }

func Ping(parent context.Context) error {
	// a short deadline for the ping
	ctx, cancel := context.WithTimeout(parent, time.Second) // not deferred
	defer cancel()
	/* the error path cancels */
	if err := ping(ctx); err != nil {
		cancel() // early cancel
		return err
	}
	return nil
}
