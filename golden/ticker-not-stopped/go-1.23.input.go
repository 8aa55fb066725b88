package monitor

import (
	"context"
	"time"
)

// Go 1.23 collects unstopped tickers: nothing to do.
func Run(ctx context.Context, check func()) {
	ticker := time.NewTicker(time.Second)
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			check()
		}
	}
}
