package monitor

import "time"

type Poller struct {
	ticker *time.Ticker
	timers []*time.Timer
}

// The caller owns the ticker: stopping it here would break the caller.
func NewTicker(d time.Duration) *time.Ticker {
	t := time.NewTicker(d)
	return t
}

// Its channel is handed to the caller.
func Every(d time.Duration) <-chan time.Time {
	t := time.NewTicker(d)
	return t.C
}

// Stored in a field: the Poller stops it later.
func (p *Poller) Start(d time.Duration) {
	t := time.NewTicker(d)
	p.ticker = t
	timer := time.NewTimer(d)
	p.timers = append(p.timers, timer)
}

// Passed on, or used by a goroutine that outlives the function.
func (p *Poller) Loop(d time.Duration, tick func()) {
	t := time.NewTicker(d)
	go func() {
		for range t.C {
			tick()
		}
	}()
	timer := time.NewTimer(d)
	wait(timer)
}

func wait(t *time.Timer) { <-t.C }
