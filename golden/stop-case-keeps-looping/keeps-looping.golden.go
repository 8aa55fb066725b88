package worker

import (
	"context"
	"log"
	"time"
)

type Pool struct {
	quit chan struct{}
	jobs chan func()
}

// The stop case only logs: the loop selects again, forever.
func (p *Pool) Run(ctx context.Context) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				log.Println("worker: context done")
			case job := <-p.jobs:
				job()
			}
		}
	}()
}

// An empty stop case.
func (p *Pool) Drain() {
	go func() {
		for {
			select {
			case <-p.quit:
			case job := <-p.jobs:
				job()
			}
		}
	}()
}

// A plain break only leaves the select, and continue goes round again.
func (p *Pool) Tick(stopCh <-chan struct{}, done chan bool) {
	go func() {
		ticker := time.NewTicker(time.Second)
		defer ticker.Stop()
		for {
			select {
			case <-stopCh:
				break
			case <-ticker.C:
			}
		}
	}()
	for {
		select {
		case _, ok := <-done:
			if !ok {
				continue
			}
		case job := <-p.jobs:
			job()
		}
	}
}

// The return belongs to a closure, not to the loop.
func (p *Pool) Defer(ctx context.Context, cleanups chan func() error) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				p.cleanup(func() error {
					return ctx.Err()
				})
			case f := <-cleanups:
				_ = f()
			}
		}
	}()
}

func (p *Pool) cleanup(f func() error) { _ = f() }
