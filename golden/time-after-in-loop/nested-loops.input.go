package retry

import "time"

func Retry(attempts int, try func() bool) {
	for i := 0; i < attempts; i++ {
		for _, backoff := range []time.Duration{time.Millisecond, time.Second} {
			if try() {
				return
			}
			select {
			case <-time.After(backoff):
			}
		}
	}
}
