package probe

import (
	"errors"
	"time"
)

// One channel per host: the timeout moves on to the next host and leaves
// the ping goroutine blocked on its send.
func FirstAlive(hosts []string, ping func(string) error, d time.Duration) (string, error) {
	for _, h := range hosts {
		ch := make(chan error)
		go func() {
			ch <- ping(h)
		}()
		select {
		case err := <-ch:
			if err == nil {
				return h, nil
			}
		case <-time.After(d):
			continue
		}
	}
	return "", errors.New("none alive")
}

// The goroutine reports from a deferred function.
func Guarded(work func(), d time.Duration) bool {
	finished := make(chan struct{})
	go func() {
		defer func() {
			finished <- struct{}{}
		}()
		work()
	}()
	select {
	case <-finished:
		return true
	case <-time.After(d):
		return false
	}
}
