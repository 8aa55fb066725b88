package server

import (
	"errors"
	"net"
)

type Server struct {
	ln    net.Listener
	serve func(net.Listener) error
}

// Start returns early on a bad config: the serve goroutine's send is never taken.
func (s *Server) Start(validate func() error) error {
	errCh := make(chan error)
	go func() {
		errCh <- s.serve(s.ln)
	}()
	if err := validate(); err != nil {
		s.ln.Close()
		return err
	}
	return <-errCh
}

// A receive inside a loop that stops at the first message.
func First(sources []func() string) (string, error) {
	if len(sources) == 0 {
		return "", errors.New("no source")
	}
	out := make(chan string)
	go func() {
		out <- sources[0]()
	}()
	for {
		select {
		case v := <-out:
			return v, nil
		default:
			return "", errors.New("not ready")
		}
	}
}
