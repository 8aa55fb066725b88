package exits

import "time"

func Start(in chan int, poll bool) {
	// Returns when the channel is closed.
	go func() {
		for {
			select {
			case v, ok := <-in:
				if !ok {
					return
				}
				_ = v
			}
		}
	}()
	// A labelled break leaves the loop.
	go func() {
	loop:
		for {
			select {
			case v := <-in:
				if v < 0 {
					break loop
				}
			}
		}
	}()
	// A default case never blocks.
	go func() {
		for poll {
			select {
			case <-in:
			default:
			}
		}
		for {
			select {
			case <-in:
			default:
				time.Sleep(time.Millisecond)
			}
		}
	}()
	// A plain break outside the select leaves the loop.
	go func() {
		for {
			select {
			case v := <-in:
				_ = v
			}
			if poll {
				break
			}
		}
	}()
	// A timer case wakes it up.
	go func() {
		for {
			select {
			case v := <-in:
				_ = v
			case <-time.After(time.Minute):
				return
			}
		}
	}()
}
