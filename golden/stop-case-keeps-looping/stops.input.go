package worker

import (
	"context"
	"log"
	"os"
	"runtime"
)

type Server struct {
	quit  chan struct{}
	conns chan int
}

func (s *Server) Serve(ctx context.Context, stopCh, done <-chan struct{}) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				log.Println("stopping")
				return
			case c := <-s.conns:
				_ = c
			}
		}
	}()
	go func() {
	loop:
		for {
			select {
			case <-s.quit:
				break loop
			case c := <-s.conns:
				_ = c
			}
		}
		log.Println("stopped")
	}()
	go func() {
		for {
			select {
			case <-stopCh:
				goto out
			case c := <-s.conns:
				_ = c
			}
		}
	out:
	}()
	go func() {
		for {
			select {
			case <-done:
				runtime.Goexit()
			case <-stopCh:
				os.Exit(1)
			case <-ctx.Done():
				panic("cancelled")
			case <-s.quit:
				log.Fatal("quit")
			}
		}
	}()
}

// Cases that record state the loop tests are left alone.
func (s *Server) Flags(ctx context.Context, done <-chan struct{}) {
	go func() {
		stopping := false
		for {
			select {
			case <-done:
				done = nil // stop selecting on it
			case <-ctx.Done():
				stopping = true
			case c := <-s.conns:
				_ = c
			}
			if stopping && len(s.conns) == 0 {
				return
			}
		}
	}()
}

// A helper closure disables the case: the channel is set to nil elsewhere.
func (s *Server) Helper(done <-chan struct{}) {
	go func() {
		stop := func() { done = nil }
		for {
			select {
			case <-done:
				stop()
			case c, ok := <-s.conns:
				if !ok {
					return
				}
				_ = c
			}
		}
	}()
}

// The loop tests its own condition each round; the case only wakes it up.
func (s *Server) WaitIdle(ctx context.Context, connClosed <-chan struct{}, idle func() bool) {
	for {
		if idle() {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-connClosed:
		}
	}
}
