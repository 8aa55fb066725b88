package worker

import (
	"context"
	"log"
)

// The ctx.Done() case only logs: the loop never ends.
func Run(ctx context.Context, jobs <-chan func()) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				log.Println("worker: done")
			case job := <-jobs:
				job()
			}
		}
	}()
}

// The quit case breaks the select only.
func Serve(quit <-chan struct{}, conns <-chan int) {
	go func() {
		for {
			select {
			case <-quit:
				break
			case c := <-conns:
				_ = c
			}
		}
	}()
}
