package poll

import (
	"context"
	"time"
)

func Watch(ctx context.Context, events <-chan string, idle time.Duration) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case e := <-events:
				println(e)
			case <-time.After(idle): // a new timer per event
				println("idle")
			}
		}
	}()
}

func Drain(events <-chan string) int {
	n := 0
	for {
		select {
		case <-events:
			n++
		case t := <-time.After(10 * time.Millisecond):
			_ = t
			return n
		}
	}
}
