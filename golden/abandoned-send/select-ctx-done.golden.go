package fetch

import (
	"context"
	"net/http"
	"time"
)

type result struct {
	resp *http.Response
	err  error
}

// Get gives up when ctx is done; the request goroutine then blocks on its send.
func Get(ctx context.Context, c *http.Client, req *http.Request) (*http.Response, error) {
	done := make(chan result, 1) // one result
	go func() {
		resp, err := c.Do(req)
		done <- result{resp, err}
	}()
	select {
	case r := <-done:
		return r.resp, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Lookup has a timeout case instead.
func Lookup(resolve func(string) (string, error), host string) (string, error) {
	errc := make(chan error, 1)
	var addr string
	go func() {
		var err error
		addr, err = resolve(host)
		if err != nil {
			errc <- err
			return
		}
		errc <- nil
	}()
	select {
	case err := <-errc:
		return addr, err
	case <-time.After(time.Second):
		return "", context.DeadlineExceeded
	}
}
