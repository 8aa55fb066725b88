package monitor

import (
	"context"
	"log"
	"time"
)

type Monitor struct {
	interval time.Duration
	check    func() error
}

// Run polls until ctx is done; every call used to leave its ticker behind.
func (m *Monitor) Run(ctx context.Context) error {
	ticker := time.NewTicker(m.interval) // the poll clock
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
			if err := m.check(); err != nil {
				log.Printf("check: %v", err)
			}
		}
	}
}

// WaitReady gives up after a timeout; the timer outlives the early return.
func (m *Monitor) WaitReady(ready <-chan struct{}) bool {
	timeout := time.NewTimer(5 * time.Second)
	defer timeout.Stop()

	select {
	case <-ready:
		return true
	case <-timeout.C:
		return false
	}
}

func (m *Monitor) Drain(work <-chan int) {
	go func() {
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for range t.C {
			select {
			case w, ok := <-work:
				if !ok {
					return
				}
				_ = w
			default:
			}
		}
	}()
}
