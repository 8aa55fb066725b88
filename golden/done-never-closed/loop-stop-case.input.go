package poller

import (
	"log"
	"time"
)

// The poller's goroutine leaves its loop only through done, and nothing
// closes done: Close was never written, the goroutine runs for ever.
type Poller struct {
	done  chan struct{}
	every time.Duration
}

func NewPoller(every time.Duration) *Poller {
	return &Poller{done: make(chan struct{}), every: every}
}

func (p *Poller) Start(poll func() error) {
	go func() {
		ticker := time.NewTicker(p.every)
		defer ticker.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-ticker.C:
				if err := poll(); err != nil {
					log.Print(err)
				}
			}
		}
	}()
}

// A local stop channel, the same shape.
func Pump(in <-chan int, out chan<- int) {
	quit := make(chan bool)
	go func() {
		for {
			select {
			case v := <-in:
				out <- v
			case <-quit:
				return
			}
		}
	}()
}

// Another case leaves the loop (the input closes): not reported.
func Copy(in <-chan int, out chan<- int) {
	stop := make(chan bool)
	go func() {
		for {
			select {
			case v, ok := <-in:
				if !ok {
					return
				}
				out <- v
			case <-stop:
				return
			}
		}
	}()
}

// One select, no loop: the timeout ends the wait. Not reported.
func Once(d time.Duration) bool {
	done := make(chan struct{})
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// The stop case does not leave: stop-case-keeps-looping's finding, not this one.
func Spin(in <-chan int) {
	stopping := make(chan struct{})
	for {
		select {
		case <-in:
		case <-stopping:
			log.Print("stopping")
		}
	}
}
