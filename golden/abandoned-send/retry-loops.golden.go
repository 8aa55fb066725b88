package retry

import (
	"errors"
	"net"
	"time"
)

// The goroutine retries, but sends once: each send is followed by return.
func Dial(addr string, d time.Duration) (net.Conn, error) {
	type dialed struct {
		c   net.Conn
		err error
	}
	ch := make(chan dialed, 1)
	go func() {
		for {
			c, err := net.Dial("tcp", addr)
			if err == nil {
				ch <- dialed{c, nil}
				return
			}
			var ne net.Error
			if !errors.As(err, &ne) || !ne.Timeout() {
				ch <- dialed{nil, err}
				return
			}
		}
	}()
	select {
	case r := <-ch:
		return r.c, r.err
	case <-time.After(d):
		return nil, errors.New("dial timeout")
	}
}

// A send followed by break leaves the write loop.
func WriteUntilError(c net.Conn, d time.Duration) error {
	errc := make(chan error, 1)
	go func() {
		var b [512]byte
		for {
			if _, err := c.Write(b[:]); err != nil {
				errc <- err
				break
			}
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-time.After(d):
		c.Close()
		return nil
	}
}
