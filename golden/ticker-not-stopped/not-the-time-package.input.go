package fake

import "time"

type clock struct{}

func (clock) NewTicker(d time.Duration) *time.Ticker { return time.NewTicker(d) }

// `time` here is a local clock, not the package.
func Poll(done <-chan struct{}) *time.Ticker {
	time := clock{}
	t := time.NewTicker(1)
	<-t.C
	return nil
}
