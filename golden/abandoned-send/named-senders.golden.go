package workers

import (
	"context"
	"errors"
	"time"
)

type Pool struct {
	size int
}

// A package function of the file does the send.
func Square(ctx context.Context, n int) (int, error) {
	out := make(chan int, 1)
	go square(n, out)
	select {
	case v := <-out:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func square(n int, out chan<- int) {
	out <- n * n
}

// A method of the receiver sends its error on every path, deferred.
func (p *Pool) Probe(d time.Duration) error {
	errc := make(chan error, 1)
	go p.probe(errc)
	select {
	case err := <-errc:
		return err
	case <-time.After(d):
		return errors.New("probe timed out")
	}
}

func (p *Pool) probe(errc chan<- error) {
	var err error
	defer func() { errc <- err }()
	if p.size == 0 {
		err = errors.New("empty pool")
		return
	}
}

// The callee sends in a loop: reported, not fixed.
func (p *Pool) First(ctx context.Context) int {
	ids := make(chan int)
	go p.produce(ids)
	select {
	case id := <-ids:
		return id
	case <-ctx.Done():
		return -1
	}
}

func (p *Pool) produce(ids chan<- int) {
	for i := 0; i < p.size; i++ {
		ids <- i
	}
}

// The callee closes the channel: someone else's protocol, quiet.
func Drain(ctx context.Context) bool {
	done := make(chan bool)
	go finish(done)
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

func finish(done chan bool) {
	done <- true
	close(done)
}

// A function value: its code is unknown, quiet.
func Run(ctx context.Context, work func(chan<- int)) int {
	res := make(chan int)
	go work(res)
	select {
	case v := <-res:
		return v
	case <-ctx.Done():
		return 0
	}
}

// The callee hands the channel to another goroutine: quiet.
func Relay(ctx context.Context) int {
	res := make(chan int)
	go relay(res)
	select {
	case v := <-res:
		return v
	case <-ctx.Done():
		return 0
	}
}

func relay(res chan<- int) {
	go func() { res <- 1 }()
}

// A method of some other value: not followed.
func Other(ctx context.Context, q *Pool) error {
	errc := make(chan error)
	go q.probe(errc)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
