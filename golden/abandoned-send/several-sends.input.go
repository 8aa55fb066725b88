package gather

import "context"

// Each goroutine in the loop sends once: the first error returns and the
// other senders block. The buffer would need len(urls): reported only.
func FetchAll(ctx context.Context, urls []string, get func(string) error) error {
	errs := make(chan error)
	for _, u := range urls {
		go func(u string) {
			errs <- get(u)
		}(u)
	}
	for range urls {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// Two goroutines, one receive in a select with ctx.Done(): each sends once,
// a buffer of two lets both finish.
func Both(ctx context.Context, a, b func() int) int {
	sums := make(chan int)
	go func() { sums <- a() }()
	go func() { sums <- b() }()
	select {
	case s := <-sums:
		return s
	case <-ctx.Done():
		return 0
	}
}
