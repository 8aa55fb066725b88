package ctxescapes

import (
	"context"
	"time"
)

type server struct {
	ctx context.Context
}

var background context.Context

func serve(ctx context.Context) error { return ctx.Err() }

func Returned(parent context.Context) (context.Context, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	if err := serve(ctx); err != nil {
		cancel()
		return nil, err
	}
	return ctx, nil
}

// The result may hold the context: it must outlive this function.
func Wrapped(parent context.Context) *server {
	ctx, cancel := context.WithCancel(parent)
	if serve(ctx) != nil {
		cancel()
		return nil
	}
	return newServer(ctx)
}

func newServer(ctx context.Context) *server { return &server{ctx: ctx} }

func Field(s *server, parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	if serve(ctx) != nil {
		cancel()
	}
	s.ctx = ctx
}

func Global(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	if serve(ctx) != nil {
		cancel()
	}
	background = ctx
}

func Sent(parent context.Context, out chan<- context.Context) {
	ctx, cancel := context.WithCancel(parent)
	if serve(ctx) != nil {
		cancel()
	}
	out <- ctx
}

func Goroutine(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	if serve(ctx) != nil {
		cancel()
		return
	}
	go serve(ctx)
}

func GoroutineClosure(parent context.Context) {
	ctx, _ := context.WithTimeout(parent, time.Minute)
	go func() {
		_ = serve(ctx)
	}()
}

func Literal(parent context.Context) server {
	ctx, cancel := context.WithCancel(parent)
	if serve(ctx) != nil {
		cancel()
	}
	return server{ctx: ctx}
}
