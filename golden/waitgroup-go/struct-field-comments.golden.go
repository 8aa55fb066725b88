package server

import "sync"

type Server struct {
	wg    sync.WaitGroup
	conns chan int
}

func (s *Server) Start() {
	// The accept loop runs until conns is closed.
	s.wg.Go(func() {
		// Drain the channel.
		for c := range s.conns {
			handle(c) // one at a time
		}
		// Closed: nothing left to do.
	})
}

func handle(int) {}
