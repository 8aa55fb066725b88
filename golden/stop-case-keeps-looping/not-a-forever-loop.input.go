package worker

import (
	"context"
	"log"
)

// Loops with a condition end by it; a select outside a loop runs once.
func Wait(ctx context.Context, results <-chan int, running *bool) int {
	for *running {
		select {
		case <-ctx.Done():
			log.Println("done")
			*running = false
		case r := <-results:
			return r
		}
	}
	for i := 0; i < 3; i++ {
		select {
		case <-ctx.Done():
			log.Println("attempt cancelled")
		case r := <-results:
			_ = r
		}
	}
	select {
	case <-ctx.Done():
		log.Println("cancelled")
	case r := <-results:
		return r
	}
	return 0
}

// Cases that are not stop cases.
func Forward(in <-chan int, out chan<- int, ready <-chan struct{}) {
	for {
		select {
		case v := <-in:
			out <- v
		case <-ready:
			log.Println("ready")
		}
	}
}
